//! `call_later` and `call_at`: asyncio's scheduled callbacks.

use std::fmt;
use std::time::Duration;

use weft_executor::Task;
use weft_reactor::time::{Instant, Timer};

/// A callback scheduled by [`call_later`] or [`call_at`]: asyncio's `TimerHandle`.
///
/// Dropping it leaves the callback scheduled; [`cancel`](TimerHandle::cancel) stops it.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
///
/// weft::run(async {
///     let handle = weft::call_later(Duration::from_secs(3600), || println!("never"));
///     handle.cancel();
///     assert!(handle.when().is_some());
/// });
/// ```
pub struct TimerHandle {
    task: Task<()>,
    when: Option<Instant>,
}

impl TimerHandle {
    /// Cancels the callback if it has not run yet.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// weft::run(async {
    ///     weft::call_later(Duration::from_millis(1), || unreachable!()).cancel();
    ///     weft::sleep(Duration::from_millis(5)).await;
    /// });
    /// ```
    pub fn cancel(&self) {
        self.task.cancel();
    }

    /// When the callback is due (`None`: never, the delay was too long to represent).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// weft::run(async {
    ///     let h = weft::call_later(Duration::MAX, || {});
    ///     assert_eq!(h.when(), None);
    /// });
    /// ```
    pub fn when(&self) -> Option<Instant> {
        self.when
    }

    /// Whether the callback has run or been cancelled.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// weft::run(async {
    ///     let h = weft::call_later(Duration::from_secs(1), || {});
    ///     assert!(!h.is_finished());
    /// });
    /// ```
    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }
}

impl fmt::Debug for TimerHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimerHandle")
            .field("when", &self.when)
            .finish_non_exhaustive()
    }
}

/// Calls `f` on the runtime after `delay`: asyncio's `loop.call_later`.
///
/// # Panics
///
/// Outside a weft runtime.
///
/// # Examples
///
/// ```
/// use std::sync::mpsc;
/// use std::time::Duration;
///
/// let (tx, rx) = mpsc::channel();
/// weft::run(async move {
///     weft::call_later(Duration::from_millis(1), move || tx.send("fired").unwrap());
///     weft::sleep(Duration::from_millis(20)).await;
/// });
/// assert_eq!(rx.try_recv(), Ok("fired"));
/// ```
#[track_caller]
pub fn call_later<F>(delay: Duration, f: F) -> TimerHandle
where
    F: FnOnce() + Send + 'static,
{
    schedule(Timer::after(delay), f)
}

/// Calls `f` on the runtime at `when`: asyncio's `loop.call_at`.
///
/// # Panics
///
/// Outside a weft runtime.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft::time::Instant;
///
/// weft::run(async {
///     let at = Instant::now() + Duration::from_millis(1);
///     let h = weft::call_at(at, || {});
///     assert_eq!(h.when(), Some(at));
/// });
/// ```
#[track_caller]
pub fn call_at<F>(when: Instant, f: F) -> TimerHandle
where
    F: FnOnce() + Send + 'static,
{
    schedule(Timer::at(when), f)
}

#[track_caller]
fn schedule<F>(timer: Timer, f: F) -> TimerHandle
where
    F: FnOnce() + Send + 'static,
{
    let when = timer.deadline();
    let task = weft_executor::spawn(async move {
        timer.await;
        f();
    });
    TimerHandle { task, when }
}
