//! The runtime: the executor and the reactor, composed.

use std::fmt;
use std::future::Future;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use weft_executor::{Executor, Handle, IdleHook, Task};
use weft_reactor::driver::{self, Driver, Presence};

/// Idle workers drive the reactor, one at a time; the others park, queued to take
/// over when a driver from outside the runtime (a `block_on` thread, another
/// runtime, the reactor's fallback thread) lets go for good. A worker lets go "for
/// now" after its turn: it drives again when idle, so it wakes nobody.
struct ReactorHook;

/// The worker that drove the reactor last (see [`thread_id`]).
static LAST_DRIVER: AtomicUsize = AtomicUsize::new(0);

/// A number that identifies the calling thread while it lives (the address of one of
/// its thread-locals; never 0).
fn thread_id() -> usize {
    thread_local!(static ID: u8 = const { 0 });
    ID.with(|id| std::ptr::from_ref(id) as usize)
}

impl IdleHook for ReactorHook {
    fn drive(&self, timeout: Option<Duration>, unparked: &dyn Fn() -> bool) -> bool {
        let queued = timeout != Some(Duration::ZERO);
        // Only a thread that must queue needs its handle (a reference count).
        let driver = match Driver::try_lock() {
            None if queued => Driver::try_lock_or_queue(&std::thread::current()),
            driver => driver,
        };
        let Some(mut d) = driver else { return false };
        // Holding the lock, only this thread can consume the reactor's notification,
        // so an `interrupt` from now on reaches this turn; one from before may have
        // gone to the previous holder, hence this look.
        if !unparked() {
            // A poller error here has no caller to go to; the next turn retries.
            let _ = d.react(timeout);
        }
        LAST_DRIVER.store(thread_id(), Ordering::Relaxed);
        d.release_for_now();
        true
    }

    fn interrupt(&self) {
        driver::notify();
    }

    fn wants_driver(&self) -> bool {
        !driver::is_held() && LAST_DRIVER.load(Ordering::Relaxed) == thread_id()
    }
}

/// weft's runtime: asyncio's event loop, as a work-stealing executor whose idle
/// workers drive the reactor (I/O and timers), so no extra I/O thread exists.
///
/// [`block_on`](Runtime::block_on) runs a future to completion on the calling thread
/// and can be called again, like asyncio's `Runner`. On the default multi-thread
/// runtime, tasks run on the worker threads and keep running between `block_on`
/// calls; on a [`single_thread`](Builder::single_thread) runtime they run on the
/// thread inside `block_on`, and only there. Dropping the runtime shuts it down:
/// tasks still pending are dropped and the worker threads joined.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
///
/// let rt = weft::Runtime::builder().worker_threads(2).build()?;
/// let out = rt.block_on(async {
///     let task = weft::spawn(async {
///         weft::sleep(Duration::from_millis(1)).await;
///         "done"
///     });
///     task.await.unwrap()
/// });
/// assert_eq!(out, "done");
/// # std::io::Result::Ok(())
/// ```
pub struct Runtime {
    // Fields drop in this order: the executor (joining the workers), their driver
    // presences, then the hand-off of the driver lock to whoever else waits for it.
    executor: Executor,
    /// One per worker: the reactor's fallback thread stays out of the way.
    _presence: Vec<Presence>,
    _hand_off: HandOff,
}

/// Wakes the threads queued for the reactor's driver lock when the runtime goes:
/// its workers let go "for now" and will not come back.
struct HandOff;

impl Drop for HandOff {
    fn drop(&mut self) {
        driver::hand_off();
    }
}

impl Runtime {
    /// A multi-thread runtime with one worker per core.
    ///
    /// # Errors
    ///
    /// When a worker thread cannot be started.
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = weft::Runtime::new()?;
    /// assert_eq!(rt.block_on(async { 1 + 1 }), 2);
    /// # std::io::Result::Ok(())
    /// ```
    pub fn new() -> io::Result<Runtime> {
        Runtime::builder().build()
    }

    /// A builder, for the number of workers, their name, or a single thread.
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = weft::Runtime::builder().single_thread().build()?;
    /// # std::io::Result::Ok(())
    /// ```
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// Runs `future` to completion on the calling thread, with this runtime current
    /// (so [`spawn`](crate::spawn) works inside). On a multi-thread runtime the calling
    /// thread parks while the future waits; the workers drive the reactor.
    ///
    /// # Panics
    ///
    /// When called from inside a runtime worker (it would block the worker): spawn a
    /// task and `.await` it instead.
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = weft::Runtime::new()?;
    /// let a = rt.block_on(async { 1 });
    /// let b = rt.block_on(async { 2 }); // reusable
    /// assert_eq!(a + b, 3);
    /// # std::io::Result::Ok(())
    /// ```
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.executor.handle().block_on(future)
    }

    /// Spawns `future` on the runtime from anywhere.
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = weft::Runtime::new()?;
    /// let task = rt.spawn(async { 40 + 2 });
    /// assert_eq!(rt.block_on(task).unwrap(), 42);
    /// # std::io::Result::Ok(())
    /// ```
    #[track_caller]
    pub fn spawn<F>(&self, future: F) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.executor.spawn(future)
    }

    /// A handle that spawns on this runtime from any thread.
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = weft::Runtime::new()?;
    /// let handle = rt.handle();
    /// let task = std::thread::spawn(move || handle.spawn(async { 7 })).join().unwrap();
    /// assert_eq!(task.join_blocking().unwrap(), 7);
    /// # std::io::Result::Ok(())
    /// ```
    pub fn handle(&self) -> Handle {
        self.executor.handle()
    }
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("executor", &self.executor)
            .finish()
    }
}

/// Configures a [`Runtime`]: `Runtime::builder().worker_threads(n).build()?`.
///
/// # Examples
///
/// ```
/// let rt = weft::Runtime::builder().worker_threads(2).thread_name("app-worker").build()?;
/// assert_eq!(rt.handle().worker_threads(), 2);
/// # std::io::Result::Ok(())
/// ```
#[derive(Debug, Default)]
pub struct Builder {
    workers: Option<usize>,
    single_thread: bool,
    name: Option<String>,
}

impl Builder {
    /// How many worker threads (default: one per core).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(weft::Runtime::builder().worker_threads(0).build().is_err());
    /// ```
    pub fn worker_threads(mut self, n: usize) -> Builder {
        self.workers = Some(n);
        self
    }

    /// Runs every task on the thread inside [`Runtime::block_on`], with no worker
    /// threads (tokio's current-thread runtime).
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = weft::Runtime::builder().single_thread().build()?;
    /// let me = std::thread::current().id();
    /// let there = rt.block_on(async { weft::spawn(async { std::thread::current().id() }).await });
    /// assert_eq!(there.unwrap(), me);
    /// # std::io::Result::Ok(())
    /// ```
    pub fn single_thread(mut self) -> Builder {
        self.single_thread = true;
        self
    }

    /// The worker threads' name (default `weft-worker`).
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = weft::Runtime::builder().worker_threads(1).thread_name("w").build()?;
    /// let name = rt.block_on(rt.spawn(async { std::thread::current().name().map(String::from) }));
    /// assert_eq!(name.unwrap().as_deref(), Some("w"));
    /// # std::io::Result::Ok(())
    /// ```
    pub fn thread_name(mut self, name: impl Into<String>) -> Builder {
        self.name = Some(name.into());
        self
    }

    /// Starts the runtime.
    ///
    /// # Errors
    ///
    /// `InvalidInput` for `worker_threads(0)`; the operating system's error when a
    /// thread cannot be started.
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = weft::Runtime::builder().build()?;
    /// # std::io::Result::Ok(())
    /// ```
    pub fn build(self) -> io::Result<Runtime> {
        let mut b = Executor::builder().idle_hook(ReactorHook);
        if self.single_thread {
            b = b.single_thread();
        } else if let Some(n) = self.workers {
            b = b.worker_threads(n);
        }
        if let Some(name) = self.name {
            b = b.thread_name(name);
        }
        let executor = b.build()?;
        let workers = executor.handle().worker_threads();
        let presence = (0..workers).map(|_| Presence::new()).collect();
        Ok(Runtime {
            executor,
            _presence: presence,
            _hand_off: HandOff,
        })
    }
}

/// Runs `future` on a new multi-thread runtime and shuts the runtime down when it
/// completes: asyncio's `asyncio.run(main())`. Tasks still pending then are dropped
/// and the worker threads joined.
///
/// # Panics
///
/// When the runtime cannot be started (no thread could be created), or when called
/// from inside a runtime worker.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
///
/// let greeting = weft::run(async {
///     weft::sleep(Duration::from_millis(1)).await;
///     "hello"
/// });
/// assert_eq!(greeting, "hello");
/// ```
pub fn run<F: Future>(future: F) -> F::Output {
    let rt = Runtime::new().unwrap_or_else(|e| panic!("weft::run: cannot start the runtime: {e}"));
    rt.block_on(future)
}
