//! Time: the reactor's clock, timers, sleeps and intervals.
//!
//! Timers live in one hierarchical timing wheel owned by the reactor: filing and
//! cancelling a timer is O(1) however many are pending, and the thread that drives
//! the reactor fires them, waiting on the poller with a nanosecond timeout until the
//! next one is due. All deadlines are [`Instant`]s on the reactor's clock.
//!
//! # Examples
//!
//! ```
//! use std::time::Duration;
//! use weft_reactor::{block_on, time::{Instant, sleep}};
//!
//! block_on(async {
//!     let start = Instant::now();
//!     sleep(Duration::from_millis(1)).await;
//!     assert!(start.elapsed() >= Duration::from_millis(1));
//! });
//! ```

pub(crate) mod clock;
mod instant;
mod interval;
mod timer;
pub(crate) mod wheel;

pub use instant::Instant;
pub use interval::{Interval, MissedTickBehavior, Tick, interval, interval_at};
pub use timer::{Timer, sleep, sleep_until};
