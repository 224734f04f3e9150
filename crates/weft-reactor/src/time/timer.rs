//! `Timer`: a future that completes at a deadline; `sleep` and `sleep_until`.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use std::time::Duration;

use super::{Instant, clock};
use crate::reactor::{Reactor, lock};

/// A future that completes at its deadline, yielding that deadline.
///
/// A timer costs nothing until first polled: then it is filed in the reactor's timer
/// wheel (O(1), whatever the number of pending timers) unless its deadline has
/// passed, in which case it completes at once. Dropping it cancels it (O(1) too).
/// It fires no earlier than its deadline and, on Linux, within about 20 us of it
/// (plus the time the driving thread needs to wake up), since waits take nanosecond
/// timeouts. [`reset`](Timer::reset) re-arms it, fired or not.
///
/// A deadline too far away to represent (`Duration::MAX` from now) makes a timer
/// that never fires, as does [`Timer::never`].
///
/// # Cancel safety
///
/// Cancel safe: dropping a timer unfiles it, and polling it again after a
/// cancelled `.await` on `&mut timer` resumes the same deadline.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft_reactor::{block_on, time::{Instant, Timer}};
///
/// let start = Instant::now();
/// let deadline = block_on(Timer::after(Duration::from_millis(2)));
/// assert!(deadline >= start + Duration::from_millis(2));
/// assert!(Instant::now() >= deadline);
/// ```
#[derive(Debug)]
#[must_use = "futures do nothing unless polled"]
pub struct Timer {
    deadline: Option<Instant>,
    /// The wheel entry, while filed.
    key: Option<u32>,
    fired: bool,
}

impl Timer {
    /// A timer that fires `duration` from now.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_reactor::{block_on, time::Timer};
    ///
    /// block_on(Timer::after(Duration::from_micros(100)));
    /// ```
    pub fn after(duration: Duration) -> Timer {
        Timer::with_deadline(Instant::now().checked_add(duration))
    }

    /// A timer that fires at `deadline`; at once if it has passed.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_reactor::{block_on, time::{Instant, Timer}};
    ///
    /// let past = Instant::now().checked_sub(Duration::from_secs(1)).unwrap();
    /// assert_eq!(block_on(Timer::at(past)), past);
    /// ```
    pub fn at(deadline: Instant) -> Timer {
        Timer::with_deadline(Some(deadline))
    }

    /// A timer that never fires.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_reactor::time::Timer;
    ///
    /// let t = Timer::never();
    /// assert_eq!(t.deadline(), None);
    /// ```
    pub fn never() -> Timer {
        Timer::with_deadline(None)
    }

    fn with_deadline(deadline: Option<Instant>) -> Timer {
        Timer {
            deadline,
            key: None,
            fired: false,
        }
    }

    /// The deadline, or `None` for a timer that never fires.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_reactor::time::{Instant, Timer};
    ///
    /// let at = Instant::now() + Duration::from_secs(1);
    /// assert_eq!(Timer::at(at).deadline(), Some(at));
    /// assert_eq!(Timer::after(Duration::MAX).deadline(), None);
    /// ```
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Whether the timer has completed (been polled past its deadline).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_reactor::{block_on, time::Timer};
    ///
    /// let mut t = Timer::after(Duration::from_micros(10));
    /// assert!(!t.is_elapsed());
    /// block_on(&mut t);
    /// assert!(t.is_elapsed());
    /// ```
    pub fn is_elapsed(&self) -> bool {
        self.fired
    }

    /// Re-arms the timer for `deadline`, whether it has fired or not.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_reactor::{block_on, time::{Instant, Timer}};
    ///
    /// let mut t = Timer::after(Duration::from_secs(3600));
    /// let soon = Instant::now() + Duration::from_millis(1);
    /// t.reset(soon);
    /// assert_eq!(block_on(&mut t), soon);
    /// ```
    pub fn reset(&mut self, deadline: Instant) {
        self.set_deadline(Some(deadline));
    }

    /// Re-arms the timer for `duration` from now.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_reactor::{block_on, time::Timer};
    ///
    /// let mut t = Timer::never();
    /// t.reset_after(Duration::from_micros(50));
    /// block_on(&mut t);
    /// ```
    pub fn reset_after(&mut self, duration: Duration) {
        self.set_deadline(Instant::now().checked_add(duration));
    }

    pub(crate) fn set_deadline(&mut self, deadline: Option<Instant>) {
        self.cancel();
        self.deadline = deadline;
        self.fired = false;
    }

    fn cancel(&mut self) {
        if let Some(key) = self.key.take() {
            let reactor = Reactor::get();
            let mut timers = lock(&reactor.timers);
            timers.remove(key);
            // Fewer timers: a stale, higher count only costs the driver the lock.
            reactor.timer_count.store(timers.len(), Ordering::Release);
        }
    }
}

impl Future for Timer {
    type Output = Instant;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Instant> {
        let Some(deadline) = self.deadline else {
            return Poll::Pending;
        };
        if self.fired {
            return Poll::Ready(deadline);
        }
        let due = deadline <= clock::now();
        let fired = match self.key {
            None if due => true,
            None => match Reactor::get().insert_timer(clock::to_nanos(deadline), cx.waker()) {
                Some(key) => {
                    self.key = Some(key);
                    false
                }
                None => true,
            },
            Some(_) if due => {
                self.cancel();
                true
            }
            Some(key) => {
                let fired = lock(&Reactor::get().timers).poll(key, cx.waker());
                if fired {
                    self.key = None;
                }
                fired
            }
        };
        if fired {
            self.fired = true;
            Poll::Ready(deadline)
        } else {
            Poll::Pending
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        self.cancel();
    }
}

/// Waits for `duration`: asyncio's `sleep`. Yields the deadline it waited for.
///
/// # Cancel safety
///
/// Cancel safe: see [`Timer`].
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft_reactor::{block_on, time::sleep};
///
/// block_on(async {
///     sleep(Duration::from_millis(1)).await;
///     println!("a millisecond later");
/// });
/// ```
pub fn sleep(duration: Duration) -> Timer {
    Timer::after(duration)
}

/// Waits until `deadline`.
///
/// # Cancel safety
///
/// Cancel safe: see [`Timer`].
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft_reactor::{block_on, time::{Instant, sleep_until}};
///
/// let at = Instant::now() + Duration::from_millis(1);
/// block_on(sleep_until(at));
/// assert!(Instant::now() >= at);
/// ```
pub fn sleep_until(deadline: Instant) -> Timer {
    Timer::at(deadline)
}
