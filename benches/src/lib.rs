//! Shared helpers for weft's benchmarks: timing and reporting.
//!
//! Benchmarks measure and print; they never assert a time.

use std::time::{Duration, Instant};

/// Runs `f` `samples` times after `warmups` unmeasured runs; returns each run's time.
pub fn sample(warmups: usize, samples: usize, mut f: impl FnMut()) -> Vec<Duration> {
    for _ in 0..warmups {
        f();
    }
    (0..samples)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect()
}

/// The median and the minimum of `times`.
///
/// # Panics
///
/// When `times` is empty.
pub fn median_min(times: &[Duration]) -> (Duration, Duration) {
    let mut sorted = times.to_vec();
    sorted.sort();
    (sorted[sorted.len() / 2], sorted[0])
}
