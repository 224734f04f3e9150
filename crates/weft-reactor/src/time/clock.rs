//! The one place the reactor reads the time.
//!
//! Every deadline, timeout and `Instant::now()` goes through [`now`], so a later
//! virtual clock for tests replaces this function and nothing else. The wheel counts
//! time in nanoseconds since [`origin`], the first reading the process took.

use std::sync::OnceLock;

use super::Instant;

static ORIGIN: OnceLock<std::time::Instant> = OnceLock::new();

/// The clock's origin: the first time anything asked for the time.
fn origin() -> std::time::Instant {
    *ORIGIN.get_or_init(std::time::Instant::now)
}

/// The current time.
pub(crate) fn now() -> Instant {
    // Fix the origin first so that no reading ever precedes it.
    origin();
    Instant::from_std(std::time::Instant::now())
}

/// Nanoseconds from the origin to `t`: 0 for earlier instants, saturating at `u64::MAX`.
pub(crate) fn to_nanos(t: Instant) -> u64 {
    let d = t.into_std().saturating_duration_since(origin());
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}
