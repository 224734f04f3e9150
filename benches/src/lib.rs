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

/// Runs every case `warmups + samples` times, interleaved: each round runs each case
/// once, starting from a different case every round so that no case always runs
/// right after the same other one. Returns each case's measured times, in the order
/// of `cases`; the first `warmups` rounds are not recorded.
///
/// A case returns what it measured itself (the time it took inside its runtime, say,
/// or several such times).
pub fn interleaved<T>(
    warmups: usize,
    samples: usize,
    cases: &mut [&mut dyn FnMut() -> T],
) -> Vec<Vec<T>> {
    let n = cases.len();
    let mut times: Vec<Vec<T>> = (0..n).map(|_| Vec::with_capacity(samples)).collect();
    for round in 0..warmups + samples {
        for k in 0..n {
            let i = (round + k) % n;
            let t = (cases[i])();
            if round >= warmups {
                times[i].push(t);
            }
        }
    }
    times
}

/// Formats a duration with a unit that suits its size.
pub fn fmt_duration(d: Duration) -> String {
    let ns = d.as_nanos();
    if ns < 1_000 {
        format!("{ns} ns")
    } else if ns < 1_000_000 {
        format!("{:.2} us", ns as f64 / 1e3)
    } else if ns < 1_000_000_000 {
        format!("{:.2} ms", ns as f64 / 1e6)
    } else {
        format!("{:.2} s", ns as f64 / 1e9)
    }
}

/// One row of a results table.
#[derive(Debug, Clone)]
pub struct Row {
    /// What was measured.
    pub workload: String,
    /// Whose code ran it.
    pub runtime: String,
    /// How many operations one sample does, to print the time per operation.
    pub ops: u64,
    /// The measured samples.
    pub times: Vec<Duration>,
}

/// Prints `rows` as a table: workload, runtime, samples, median, min, and the median
/// and minimum divided by the operations of one sample.
pub fn print_table(rows: &[Row]) {
    println!(
        "{:<22} {:<7} {:>7} {:>11} {:>11} {:>12} {:>12}",
        "workload", "runtime", "samples", "median", "min", "median/op", "min/op"
    );
    for r in rows {
        let (median, min) = median_min(&r.times);
        let per = |d: Duration| {
            let ns = d.as_nanos() as f64 / r.ops as f64;
            if ns < 1_000.0 {
                format!("{ns:.1} ns")
            } else {
                format!("{:.2} us", ns / 1e3)
            }
        };
        println!(
            "{:<22} {:<7} {:>7} {:>11} {:>11} {:>12} {:>12}",
            r.workload,
            r.runtime,
            r.times.len(),
            fmt_duration(median),
            fmt_duration(min),
            per(median),
            per(min),
        );
    }
}
