//! `Builder`: a [`ThreadPool`]'s settings.

use std::io;
use std::time::Duration;

use crate::ThreadPool;
use crate::worker::{Config, Shared};

/// The most threads a pool starts unless told otherwise: tokio's blocking pool's
/// default.
pub(crate) const DEFAULT_MAX_THREADS: usize = 512;

/// How long an idle thread waits for work before it exits, unless told otherwise.
pub(crate) const DEFAULT_KEEP_ALIVE: Duration = Duration::from_secs(10);

/// The name of a pool's threads, unless told otherwise.
pub(crate) const DEFAULT_THREAD_NAME: &str = "weft-blocking";

/// Settings for a [`ThreadPool`]: made by [`ThreadPool::builder`], finished by
/// [`build`](Builder::build).
///
/// The defaults: at most 512 threads, a keep-alive of 10 seconds, threads named
/// `weft-blocking`.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft_util::ThreadPool;
///
/// let pool = ThreadPool::builder()
///     .max_threads(4)
///     .keep_alive(Duration::from_secs(1))
///     .thread_name("disk-io")
///     .build()?;
/// assert_eq!(pool.max_threads(), 4);
/// # std::io::Result::Ok(())
/// ```
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct Builder {
    config: Config,
}

impl Builder {
    pub(crate) fn new() -> Builder {
        Builder {
            config: Config {
                max_threads: DEFAULT_MAX_THREADS,
                keep_alive: DEFAULT_KEEP_ALIVE,
                thread_name: DEFAULT_THREAD_NAME.to_owned(),
            },
        }
    }

    /// The most threads the pool runs at once (512 by default); jobs beyond them
    /// wait in the queue. Must be at least 1, which [`build`](Builder::build) checks.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_util::ThreadPool;
    ///
    /// let pool = ThreadPool::builder().max_threads(2).build()?;
    /// assert_eq!(pool.max_threads(), 2);
    /// # std::io::Result::Ok(())
    /// ```
    pub fn max_threads(mut self, n: usize) -> Builder {
        self.config.max_threads = n;
        self
    }

    /// How long an idle thread waits for work before it exits (10 seconds by
    /// default). `Duration::MAX` keeps idle threads until the pool is dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_util::ThreadPool;
    ///
    /// let pool = ThreadPool::builder().keep_alive(Duration::from_millis(500)).build()?;
    /// assert_eq!(pool.keep_alive(), Duration::from_millis(500));
    /// # std::io::Result::Ok(())
    /// ```
    pub fn keep_alive(mut self, keep_alive: Duration) -> Builder {
        self.config.keep_alive = keep_alive;
        self
    }

    /// The name of the pool's threads (`weft-blocking` by default), as panic
    /// messages, debuggers and `top -H` show it. Linux shows its first 15 bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_reactor::block_on;
    /// use weft_util::ThreadPool;
    ///
    /// let pool = ThreadPool::builder().thread_name("disk-io").build()?;
    /// let name = block_on(pool.run(|| std::thread::current().name().map(str::to_owned)));
    /// assert_eq!(name.unwrap().as_deref(), Some("disk-io"));
    /// # std::io::Result::Ok(())
    /// ```
    pub fn thread_name(mut self, name: impl Into<String>) -> Builder {
        self.config.thread_name = name.into();
        self
    }

    /// Makes the pool. No thread starts until the first job arrives.
    ///
    /// # Errors
    ///
    /// An error of kind [`InvalidInput`](io::ErrorKind::InvalidInput) when
    /// `max_threads` is 0 or the thread name contains a nul byte.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use weft_util::ThreadPool;
    ///
    /// let pool = ThreadPool::builder().max_threads(8).build()?;
    /// assert_eq!(pool.live_threads(), 0);
    ///
    /// let err = ThreadPool::builder().max_threads(0).build().unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidInput);
    /// # std::io::Result::Ok(())
    /// ```
    pub fn build(self) -> io::Result<ThreadPool> {
        if self.config.max_threads == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a thread pool needs at least one thread (max_threads is 0)",
            ));
        }
        if self.config.thread_name.contains('\0') {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a thread name cannot contain a nul byte",
            ));
        }
        Ok(ThreadPool::from_shared(Shared::new(self.config)))
    }
}

impl Default for Builder {
    /// The default settings, as [`ThreadPool::builder`].
    fn default() -> Builder {
        Builder::new()
    }
}
