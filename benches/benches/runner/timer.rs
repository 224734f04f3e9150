//! The runtimes' public sleeps behind one trait, for the timer workloads:
//! `weft::sleep`, `tokio::time::sleep`, `smol::Timer::after`.

use std::future::Future;
use std::time::Duration;

use crate::rt::{Bench, Smol, Tokio, Weft};

/// A runtime's sleep.
pub(crate) trait Sleep: Bench + 'static {
    type Sleep: Future + Send + 'static;
    /// A sleep of `d` from now, filed with this runtime's timers when first polled
    /// (tokio's and weft's must be made inside the runtime).
    fn sleep(d: Duration) -> Self::Sleep;
    /// `f`, exempt from the runtime's cooperative budget: past 128 polls of its
    /// resources in one task poll, a tokio `Sleep` returns `Pending` without being
    /// filed, so a loop of polls would measure nothing. weft and smol have no budget.
    fn unbudgeted<F: Future + Send>(f: F) -> impl Future<Output = F::Output> + Send {
        f
    }
}

impl Sleep for Weft {
    type Sleep = weft::time::Timer;

    fn sleep(d: Duration) -> Self::Sleep {
        weft::sleep(d)
    }
}

impl Sleep for Tokio {
    type Sleep = tokio::time::Sleep;

    fn sleep(d: Duration) -> Self::Sleep {
        tokio::time::sleep(d)
    }

    fn unbudgeted<F: Future + Send>(f: F) -> impl Future<Output = F::Output> + Send {
        tokio::task::unconstrained(f)
    }
}

impl Sleep for Smol {
    type Sleep = smol::Timer;

    fn sleep(d: Duration) -> Self::Sleep {
        smol::Timer::after(d)
    }
}
