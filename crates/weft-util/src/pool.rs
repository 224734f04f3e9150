//! `ThreadPool`: a bounded pool of threads for blocking work.

use std::fmt;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use crate::task::Task;
use crate::worker::Shared;
use crate::{Builder, RunFuture};

/// A pool of at most `max_threads` threads that runs blocking closures for async
/// tasks: asyncio's `run_in_executor(pool, f)` with a `ThreadPoolExecutor`.
///
/// Threads start lazily, one when a job arrives and no thread is idle, up to
/// `max_threads`; beyond that, jobs wait in a FIFO queue. A thread that has been idle
/// for the keep-alive (10 seconds by default) exits. Configure a pool with
/// [`ThreadPool::builder`]; use the shared default pool through
/// [`to_thread`](crate::to_thread).
///
/// Dropping the pool cancels nothing: queued and running jobs still run and their
/// futures still complete, then the threads exit (idle ones at once). The drop does
/// not wait for them, so it may happen anywhere, even on a pool thread.
///
/// # Examples
///
/// ```
/// use weft_reactor::block_on;
/// use weft_util::ThreadPool;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
/// let pool = ThreadPool::new(4)?;
/// let (a, b) = block_on(async {
///     // Both jobs are queued at once and run in parallel.
///     let a = pool.run(|| (1..=10u64).product::<u64>());
///     let b = pool.run(|| std::env::temp_dir());
///     (a.await, b.await)
/// });
/// assert_eq!(a?, 3_628_800);
/// assert!(b?.is_absolute());
/// # Ok(())
/// # }
/// ```
pub struct ThreadPool {
    shared: Arc<Shared>,
}

impl ThreadPool {
    /// A pool of at most `max_threads` threads, with the default keep-alive (10
    /// seconds) and thread name (`weft-blocking`). No thread starts until the first
    /// job arrives.
    ///
    /// # Errors
    ///
    /// An error of kind [`InvalidInput`](io::ErrorKind::InvalidInput) when
    /// `max_threads` is 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_util::ThreadPool;
    ///
    /// let pool = ThreadPool::new(2)?;
    /// assert_eq!(pool.max_threads(), 2);
    /// assert!(ThreadPool::new(0).is_err());
    /// # std::io::Result::Ok(())
    /// ```
    pub fn new(max_threads: usize) -> io::Result<ThreadPool> {
        ThreadPool::builder().max_threads(max_threads).build()
    }

    /// A builder for a pool with other settings.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_util::ThreadPool;
    ///
    /// let pool = ThreadPool::builder()
    ///     .max_threads(16)
    ///     .keep_alive(Duration::from_secs(30))
    ///     .thread_name("weft-blocking")
    ///     .build()?;
    /// # std::io::Result::Ok(())
    /// ```
    pub fn builder() -> Builder {
        Builder::new()
    }

    pub(crate) fn from_shared(shared: Arc<Shared>) -> ThreadPool {
        ThreadPool { shared }
    }

    /// Runs `f` on one of the pool's threads; the future yields what it returns.
    ///
    /// The job is queued when `run` is called, not when the future is first polled
    /// (as with asyncio's `run_in_executor`), so several jobs started before any is
    /// awaited run in parallel. A panic in `f` is caught, the thread survives it, and
    /// the future yields it as a [`BlockingError`](crate::BlockingError).
    ///
    /// # Cancel safety
    ///
    /// Dropping the future before a thread picks the job up cancels the job: it
    /// never runs, and `f` is dropped at once. Dropping it later lets `f` finish and
    /// discards the result; [`RunFuture::detach`] does the same without cancelling.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_reactor::block_on;
    /// use weft_util::ThreadPool;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    /// let pool = ThreadPool::new(1)?;
    /// let path = std::env::temp_dir().join(format!("weft-run-{}.txt", std::process::id()));
    /// std::fs::write(&path, "hello")?;
    /// // `?` twice: once for the pool, once for the I/O.
    /// let text = block_on(pool.run(move || std::fs::read_to_string(path)))??;
    /// assert_eq!(text, "hello");
    /// # Ok(())
    /// # }
    /// ```
    pub fn run<F, T>(&self, f: F) -> RunFuture<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let task = Task::new(f);
        self.shared.submit(task.clone());
        RunFuture::new(task)
    }

    /// The most threads the pool runs at once.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_util::ThreadPool;
    ///
    /// assert_eq!(ThreadPool::new(3)?.max_threads(), 3);
    /// # std::io::Result::Ok(())
    /// ```
    pub fn max_threads(&self) -> usize {
        self.shared.config().max_threads
    }

    /// How long an idle thread waits for work before it exits.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_util::ThreadPool;
    ///
    /// assert_eq!(ThreadPool::new(1)?.keep_alive(), Duration::from_secs(10));
    /// # std::io::Result::Ok(())
    /// ```
    pub fn keep_alive(&self) -> Duration {
        self.shared.config().keep_alive
    }

    /// How many threads the pool has now, busy or idle: 0 when it is new and again
    /// once every thread has outlived its keep-alive.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_reactor::block_on;
    /// use weft_util::ThreadPool;
    ///
    /// // Idle threads stay until the pool is dropped.
    /// let pool = ThreadPool::builder().keep_alive(Duration::MAX).build()?;
    /// assert_eq!(pool.live_threads(), 0);
    /// block_on(pool.run(|| ())).unwrap();
    /// assert_eq!(pool.live_threads(), 1);
    /// # std::io::Result::Ok(())
    /// ```
    pub fn live_threads(&self) -> usize {
        self.shared.live_threads()
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        self.shared.shutdown();
    }
}

impl fmt::Debug for ThreadPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = self.shared.config();
        f.debug_struct("ThreadPool")
            .field("max_threads", &config.max_threads)
            .field("keep_alive", &config.keep_alive)
            .field("thread_name", &config.thread_name)
            .field("live_threads", &self.live_threads())
            .finish()
    }
}
