//! `Interval`: a stream of ticks at a fixed period, with a missed-tick policy.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use futures_core::Stream;

use super::{Instant, Timer};

/// What an [`Interval`] does when a tick is late by a whole period or more (the
/// task was busy, or the machine asleep).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft_reactor::time::{MissedTickBehavior, interval};
///
/// let mut every = interval(Duration::from_millis(10));
/// every.set_missed_tick_behavior(MissedTickBehavior::Skip);
/// assert_eq!(every.missed_tick_behavior(), MissedTickBehavior::Skip);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum MissedTickBehavior {
    /// Yields the missed ticks at once, one after another, then keeps the original
    /// schedule.
    #[default]
    Burst,
    /// Yields one tick now and schedules the next a whole period after it.
    Delay,
    /// Yields one tick now and drops the missed ones: the next tick is the next one
    /// of the original schedule.
    Skip,
}

/// A stream of instants, one per period, the first at once.
///
/// It yields the instant each tick was scheduled for. Made with [`interval`] or
/// [`interval_at`]; await ticks with [`tick`](Interval::tick) or use it as a
/// `futures-core` [`Stream`].
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft_reactor::{block_on, time::interval};
///
/// block_on(async {
///     let mut every = interval(Duration::from_millis(1));
///     let first = every.tick().await;
///     let second = every.tick().await;
///     assert_eq!(second - first, Duration::from_millis(1));
/// });
/// ```
#[derive(Debug)]
pub struct Interval {
    timer: Timer,
    period: Duration,
    behavior: MissedTickBehavior,
}

/// An interval whose first tick is now.
///
/// # Panics
///
/// When `period` is zero.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft_reactor::time::interval;
///
/// let every = interval(Duration::from_secs(1));
/// assert_eq!(every.period(), Duration::from_secs(1));
/// ```
pub fn interval(period: Duration) -> Interval {
    interval_at(Instant::now(), period)
}

/// An interval whose first tick is at `start`.
///
/// # Panics
///
/// When `period` is zero.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft_reactor::{block_on, time::{Instant, interval_at}};
///
/// let start = Instant::now() + Duration::from_millis(1);
/// let mut every = interval_at(start, Duration::from_millis(5));
/// assert_eq!(block_on(every.tick()), start);
/// ```
pub fn interval_at(start: Instant, period: Duration) -> Interval {
    assert!(
        !period.is_zero(),
        "weft-reactor: an interval's period must not be zero"
    );
    Interval {
        timer: Timer::at(start),
        period,
        behavior: MissedTickBehavior::default(),
    }
}

impl Interval {
    /// Waits for the next tick and yields the instant it was scheduled for.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a tick is consumed only when the future completes.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_reactor::{block_on, time::interval};
    ///
    /// let mut every = interval(Duration::from_micros(200));
    /// block_on(async {
    ///     for _ in 0..3 {
    ///         every.tick().await;
    ///     }
    /// });
    /// ```
    pub fn tick(&mut self) -> Tick<'_> {
        Tick(self)
    }

    /// Polls for the next tick.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::future::poll_fn;
    /// use std::time::Duration;
    /// use weft_reactor::{block_on, time::interval};
    ///
    /// let mut every = interval(Duration::from_millis(1));
    /// block_on(poll_fn(|cx| every.poll_tick(cx)));
    /// ```
    pub fn poll_tick(&mut self, cx: &mut Context<'_>) -> Poll<Instant> {
        let scheduled = ready!(Pin::new(&mut self.timer).poll(cx));
        let next = scheduled.checked_add(self.period);
        let now = Instant::now();
        let next = match next {
            Some(next) if now >= next => match self.behavior {
                MissedTickBehavior::Burst => Some(next),
                MissedTickBehavior::Delay => now.checked_add(self.period),
                MissedTickBehavior::Skip => {
                    // The first tick of the schedule after `now`, in u128 nanoseconds:
                    // the number of missed periods need not fit in a u32.
                    let period = self.period.as_nanos();
                    let behind = (now - scheduled).as_nanos();
                    let ahead = (behind / period + 1) * period;
                    u64::try_from(ahead / 1_000_000_000)
                        .ok()
                        .map(|secs| Duration::new(secs, (ahead % 1_000_000_000) as u32))
                        .and_then(|d| scheduled.checked_add(d))
                }
            },
            next => next,
        };
        self.timer.set_deadline(next);
        Poll::Ready(scheduled)
    }

    /// Makes the next tick one period from now.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_reactor::time::interval;
    ///
    /// let mut every = interval(Duration::from_secs(1));
    /// every.reset(); // the first tick is now a second away
    /// ```
    pub fn reset(&mut self) {
        self.timer
            .set_deadline(Instant::now().checked_add(self.period));
    }

    /// The period.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_reactor::time::interval;
    ///
    /// assert_eq!(interval(Duration::from_secs(2)).period(), Duration::from_secs(2));
    /// ```
    pub fn period(&self) -> Duration {
        self.period
    }

    /// The policy for missed ticks ([`MissedTickBehavior::Burst`] unless set).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_reactor::time::{MissedTickBehavior, interval};
    ///
    /// let every = interval(Duration::from_secs(1));
    /// assert_eq!(every.missed_tick_behavior(), MissedTickBehavior::Burst);
    /// ```
    pub fn missed_tick_behavior(&self) -> MissedTickBehavior {
        self.behavior
    }

    /// Sets the policy for missed ticks.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_reactor::time::{MissedTickBehavior, interval};
    ///
    /// let mut every = interval(Duration::from_secs(1));
    /// every.set_missed_tick_behavior(MissedTickBehavior::Delay);
    /// ```
    pub fn set_missed_tick_behavior(&mut self, behavior: MissedTickBehavior) {
        self.behavior = behavior;
    }
}

impl Stream for Interval {
    type Item = Instant;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Instant>> {
        self.get_mut().poll_tick(cx).map(Some)
    }
}

/// The future of [`Interval::tick`].
#[derive(Debug)]
#[must_use = "futures do nothing unless polled"]
pub struct Tick<'a>(&'a mut Interval);

impl Future for Tick<'_> {
    type Output = Instant;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Instant> {
        self.0.poll_tick(cx)
    }
}
