//! `Timeout`: a future with a deadline; `timeout`, `timeout_at` and `wait_for`.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use weft_reactor::time::{Instant, Timer};

use crate::Elapsed;

/// Runs `future` with a time limit of `duration`: its output, or [`Elapsed`] if the
/// time runs out first. asyncio's `async with timeout(delay)`.
///
/// The deadline is `duration` from the call (not from the first poll); a duration
/// too long to represent (`Duration::MAX`) means no deadline. The returned
/// [`Timeout`] can be moved to another deadline with
/// [`reschedule`](Timeout::reschedule). The timer is the reactor's, which works under
/// any executor.
///
/// # Cancel safety
///
/// As cancel safe as `future`: dropping the [`Timeout`] drops `future`.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft_util::timeout;
///
/// # weft_reactor::block_on(async {
/// let quick = timeout(Duration::from_secs(60), async { 7 }).await;
/// assert_eq!(quick, Ok(7));
///
/// let stuck = timeout(Duration::from_millis(1), std::future::pending::<()>()).await;
/// assert!(stuck.is_err());
/// # });
/// ```
pub fn timeout<F: IntoFuture>(duration: Duration, future: F) -> Timeout<F::IntoFuture> {
    Timeout::new(Timer::after(duration), future.into_future())
}

/// Runs `future` until `deadline`: its output, or [`Elapsed`] if the deadline passes
/// first. asyncio's `async with timeout_at(when)`.
///
/// A deadline that has already passed still lets `future` finish if it can do so
/// at its first poll (the future is always polled before the deadline is checked).
///
/// # Cancel safety
///
/// As cancel safe as `future`: dropping the [`Timeout`] drops `future`.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft_reactor::time::{Instant, sleep};
/// use weft_util::timeout_at;
///
/// # weft_reactor::block_on(async {
/// let deadline = Instant::now() + Duration::from_millis(5);
/// let slow = timeout_at(deadline, sleep(Duration::from_secs(60))).await;
/// assert!(slow.is_err());
/// assert!(Instant::now() >= deadline);
///
/// // Already past, but the future is ready: its value wins.
/// assert_eq!(timeout_at(deadline, async { "ready" }).await, Ok("ready"));
/// # });
/// ```
pub fn timeout_at<F: IntoFuture>(deadline: Instant, future: F) -> Timeout<F::IntoFuture> {
    Timeout::new(Timer::at(deadline), future.into_future())
}

/// Waits for `future` for at most `duration`: asyncio's `wait_for(aw, timeout)`.
///
/// The same as [`timeout`], under asyncio's name. Note the order of the arguments:
/// asyncio's `wait_for(aw, timeout)` puts the awaitable first; here the duration
/// comes first, as in [`timeout`] and [`timeout_at`], so that a long `async` block
/// reads last. asyncio's `timeout=None` (no limit) is awaiting `future` itself.
///
/// # Cancel safety
///
/// As cancel safe as `future`: dropping the [`Timeout`] drops `future`.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft_reactor::time::sleep;
/// use weft_util::wait_for;
///
/// # weft_reactor::block_on(async {
/// // asyncio: await asyncio.wait_for(slow_operation(), timeout=0.01)
/// match wait_for(Duration::from_millis(10), sleep(Duration::from_secs(60))).await {
///     Ok(_) => unreachable!(),
///     Err(e) => println!("operation timed out: {e}"),
/// }
/// # });
/// ```
pub fn wait_for<F: IntoFuture>(duration: Duration, future: F) -> Timeout<F::IntoFuture> {
    timeout(duration, future)
}

/// A future with a deadline: made by [`timeout`], [`timeout_at`] and [`wait_for`].
///
/// It resolves to `Ok` with the inner future's output, or to `Err(`[`Elapsed`]`)` if
/// the deadline passes first; the inner future is then dropped at once. Each poll
/// polls the inner future first, so a future that finishes in the poll in which the
/// deadline is found to have passed gives its value, as asyncio does.
///
/// [`reschedule`](Timeout::reschedule) moves the deadline, earlier or later, before
/// or between polls (through `Pin<&mut Timeout<F>>` too): asyncio's
/// `Timeout.reschedule`.
///
/// The inner future is boxed (one allocation), so that `Timeout` is `Unpin` and the
/// crate needs no unsafe code; it is `Send` or `Sync` when the inner future is.
///
/// # Cancel safety
///
/// As cancel safe as the inner future: dropping the `Timeout` drops it.
///
/// # Panics
///
/// Polling it again after it has completed panics.
///
/// # Examples
///
/// ```
/// use std::pin::pin;
/// use std::time::Duration;
/// use weft_reactor::time::{Instant, sleep};
/// use weft_util::timeout;
///
/// # weft_reactor::block_on(async {
/// let mut work = pin!(timeout(Duration::from_millis(1), async {
///     sleep(Duration::from_millis(20)).await;
///     "done"
/// }));
/// // More time, before it is first polled (or between polls).
/// work.as_mut().reschedule(Instant::now() + Duration::from_secs(60));
/// assert_eq!(work.await, Ok("done"));
/// # });
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Timeout<F> {
    /// `None` once the timeout has completed.
    future: Option<Pin<Box<F>>>,
    timer: Timer,
}

impl<F> Timeout<F> {
    fn new(timer: Timer, future: F) -> Timeout<F> {
        Timeout {
            future: Some(Box::pin(future)),
            timer,
        }
    }

    /// The deadline, or `None` when there is none (a duration too long to
    /// represent): asyncio's `Timeout.when()`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_reactor::time::Instant;
    /// use weft_util::{timeout, timeout_at};
    ///
    /// let at = Instant::now() + Duration::from_secs(5);
    /// assert_eq!(timeout_at(at, async {}).deadline(), Some(at));
    /// assert_eq!(timeout(Duration::MAX, async {}).deadline(), None);
    /// ```
    pub fn deadline(&self) -> Option<Instant> {
        self.timer.deadline()
    }

    /// Moves the deadline to `deadline`, earlier or later, whether the timeout has
    /// been polled or not: asyncio's `Timeout.reschedule(when)`. A deadline in the past
    /// makes the next poll return `Elapsed`, unless the inner future finishes in it.
    ///
    /// It takes effect at the next poll, which is the caller's own: only the owner of
    /// the `Timeout` (or of a `Pin<&mut Timeout>`) can call it.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::future::pending;
    /// use std::pin::pin;
    /// use std::time::Duration;
    /// use weft_reactor::time::Instant;
    /// use weft_util::timeout;
    ///
    /// # weft_reactor::block_on(async {
    /// let mut t = pin!(timeout(Duration::from_secs(3600), pending::<()>()));
    /// let sooner = Instant::now() + Duration::from_millis(2);
    /// t.as_mut().reschedule(sooner);
    /// assert_eq!(t.deadline(), Some(sooner));
    /// assert!(t.await.is_err()); // after 2 ms, not an hour
    /// # });
    /// ```
    pub fn reschedule(&mut self, deadline: Instant) {
        self.timer.reset(deadline);
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let future = this
            .future
            .as_mut()
            .expect("`Timeout` polled after completion");
        if let Poll::Ready(out) = future.as_mut().poll(cx) {
            this.future = None;
            return Poll::Ready(Ok(out));
        }
        if Pin::new(&mut this.timer).poll(cx).is_ready() {
            this.future = None;
            return Poll::Ready(Err(Elapsed::new()));
        }
        Poll::Pending
    }
}

impl<F> fmt::Debug for Timeout<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timeout")
            .field("deadline", &self.deadline())
            .field("done", &self.future.is_none())
            .finish()
    }
}
