//! `to_thread`: asyncio's `to_thread`, on a default pool shared by the process.

use std::env;
use std::sync::OnceLock;

use crate::builder::DEFAULT_MAX_THREADS;
use crate::{RunFuture, ThreadPool};

/// The environment variable that sets the default pool's thread limit.
const MAX_THREADS_VAR: &str = "WEFT_BLOCKING_THREADS";

/// Runs the blocking closure `f` on a thread of the default pool, so that it does not
/// block the async task's thread: asyncio's `to_thread(f)` and
/// `run_in_executor(None, f)`.
///
/// The default pool is created on first use and shared by the whole process. It runs
/// at most 512 threads, or the number in the `WEFT_BLOCKING_THREADS` environment
/// variable when it holds a positive integer (read once, on first use; any other
/// value is ignored). Its threads are named `weft-blocking` and exit after 10 seconds
/// idle. Beyond the limit, jobs wait in a FIFO queue. For a pool of your own
/// (one per kind of resource, say), use [`ThreadPool`].
///
/// The job is queued when `to_thread` is called, not when the future is first polled.
/// A panic in `f` comes back as a [`BlockingError`](crate::BlockingError); the
/// thread survives it.
///
/// # Cancel safety
///
/// Dropping the future before a thread picks the job up cancels it: `f` never runs.
/// Once started, `f` runs to the end and its value is discarded. See [`RunFuture`].
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft_reactor::{block_on, time::sleep};
/// use weft_util::to_thread;
///
/// block_on(async {
///     let job = to_thread(|| {
///         std::thread::sleep(Duration::from_millis(10)); // stands in for blocking I/O
///         "read"
///     });
///     sleep(Duration::from_millis(10)).await; // runs meanwhile
///     assert_eq!(job.await.unwrap(), "read");
/// });
/// ```
pub fn to_thread<F, T>(f: F) -> RunFuture<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    default_pool().run(f)
}

fn default_pool() -> &'static ThreadPool {
    static POOL: OnceLock<ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| {
        let max = max_threads(env::var(MAX_THREADS_VAR).ok().as_deref());
        ThreadPool::builder()
            .max_threads(max)
            .build()
            .expect("the default pool's settings are valid")
    })
}

/// The default pool's thread limit, given the environment variable's value.
fn max_threads(var: Option<&str>) -> usize {
    var.and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(DEFAULT_MAX_THREADS)
}

#[cfg(test)]
mod tests {
    use super::max_threads;

    #[test]
    fn env_var_sets_the_limit_when_valid() {
        assert_eq!(max_threads(None), 512);
        assert_eq!(max_threads(Some("8")), 8);
        assert_eq!(max_threads(Some(" 3 ")), 3);
        assert_eq!(max_threads(Some("0")), 512);
        assert_eq!(max_threads(Some("-1")), 512);
        assert_eq!(max_threads(Some("many")), 512);
        assert_eq!(max_threads(Some("")), 512);
    }
}
