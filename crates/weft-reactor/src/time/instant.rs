//! `Instant`: a point on the reactor's clock.

use std::fmt;
use std::ops::{Add, AddAssign, Sub, SubAssign};
use std::time::Duration;

use super::clock;

/// A point in time on the reactor's monotonic clock.
///
/// It is what [`Timer`](crate::time::Timer) deadlines are made of. [`Instant::now`]
/// reads the reactor's clock, which is the system's monotonic clock today and the
/// point where a virtual clock for tests will plug in; convert to and from
/// [`std::time::Instant`] with [`Instant::into_std`] and `From`.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft_reactor::time::Instant;
///
/// let start = Instant::now();
/// let later = start + Duration::from_millis(5);
/// assert_eq!(later.duration_since(start), Duration::from_millis(5));
/// assert_eq!(start.duration_since(later), Duration::ZERO); // saturates
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(std::time::Instant);

impl Instant {
    /// The current time on the reactor's clock.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_reactor::time::Instant;
    ///
    /// let a = Instant::now();
    /// let b = Instant::now();
    /// assert!(b >= a);
    /// ```
    pub fn now() -> Instant {
        clock::now()
    }

    /// Wraps a standard library instant.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_reactor::time::Instant;
    ///
    /// let std_now = std::time::Instant::now();
    /// assert_eq!(Instant::from_std(std_now).into_std(), std_now);
    /// ```
    pub fn from_std(t: std::time::Instant) -> Instant {
        Instant(t)
    }

    /// The standard library instant this one stands for.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_reactor::time::Instant;
    ///
    /// let t = Instant::now();
    /// assert!(t.into_std() <= std::time::Instant::now());
    /// ```
    pub fn into_std(self) -> std::time::Instant {
        self.0
    }

    /// The time from `earlier` to `self`, or zero if `earlier` is later.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_reactor::time::Instant;
    ///
    /// let t = Instant::now();
    /// assert_eq!((t + Duration::from_secs(1)).duration_since(t), Duration::from_secs(1));
    /// ```
    pub fn duration_since(&self, earlier: Instant) -> Duration {
        self.0.saturating_duration_since(earlier.0)
    }

    /// The time from `earlier` to `self`, or `None` if `earlier` is later.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_reactor::time::Instant;
    ///
    /// let t = Instant::now();
    /// assert_eq!(t.checked_duration_since(t + Duration::from_secs(1)), None);
    /// ```
    pub fn checked_duration_since(&self, earlier: Instant) -> Option<Duration> {
        self.0.checked_duration_since(earlier.0)
    }

    /// The time from `earlier` to `self`, or zero if `earlier` is later.
    ///
    /// The same as [`Instant::duration_since`], under the name tokio users look for.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_reactor::time::Instant;
    ///
    /// let t = Instant::now();
    /// assert_eq!(t.saturating_duration_since(t + Duration::from_secs(1)), Duration::ZERO);
    /// ```
    pub fn saturating_duration_since(&self, earlier: Instant) -> Duration {
        self.duration_since(earlier)
    }

    /// The time that has passed since `self`, on the reactor's clock.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_reactor::time::Instant;
    ///
    /// let t = Instant::now();
    /// let _ = t.elapsed(); // never negative, never panics
    /// ```
    pub fn elapsed(&self) -> Duration {
        Instant::now().duration_since(*self)
    }

    /// `self + d`, or `None` if that cannot be represented.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_reactor::time::Instant;
    ///
    /// assert!(Instant::now().checked_add(Duration::MAX).is_none());
    /// ```
    pub fn checked_add(&self, d: Duration) -> Option<Instant> {
        self.0.checked_add(d).map(Instant)
    }

    /// `self - d`, or `None` if that cannot be represented.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_reactor::time::Instant;
    ///
    /// assert!(Instant::now().checked_sub(Duration::MAX).is_none());
    /// ```
    pub fn checked_sub(&self, d: Duration) -> Option<Instant> {
        self.0.checked_sub(d).map(Instant)
    }
}

impl From<std::time::Instant> for Instant {
    fn from(t: std::time::Instant) -> Instant {
        Instant(t)
    }
}

impl From<Instant> for std::time::Instant {
    fn from(t: Instant) -> std::time::Instant {
        t.0
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;

    /// # Panics
    ///
    /// When the result cannot be represented; see [`Instant::checked_add`].
    fn add(self, d: Duration) -> Instant {
        Instant(self.0 + d)
    }
}

impl AddAssign<Duration> for Instant {
    fn add_assign(&mut self, d: Duration) {
        *self = *self + d;
    }
}

impl Sub<Duration> for Instant {
    type Output = Instant;

    /// # Panics
    ///
    /// When the result cannot be represented; see [`Instant::checked_sub`].
    fn sub(self, d: Duration) -> Instant {
        Instant(self.0 - d)
    }
}

impl SubAssign<Duration> for Instant {
    fn sub_assign(&mut self, d: Duration) {
        *self = *self - d;
    }
}

impl Sub<Instant> for Instant {
    type Output = Duration;

    /// Saturates at zero, like [`Instant::duration_since`].
    fn sub(self, earlier: Instant) -> Duration {
        self.duration_since(earlier)
    }
}

impl fmt::Debug for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
