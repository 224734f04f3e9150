//! Workload 8, timers_10k: the body spawns 10,000 tasks, task i sleeping 1 + i % 10 ms
//! through the runtime's own sleep (`weft::sleep`, `tokio::time::sleep`,
//! `smol::Timer::after`), and joins them all. A sample's time runs from the body's
//! first poll until the last task is joined (ideal: a little over 10 ms). `p99_ns` is
//! the p99 lateness over every timer of every recorded sample: the time a task reads
//! right after its sleep completes minus the deadline it computed right before making
//! the sleep (start + duration), so a runtime that rounds deadlines up pays for it.

use std::time::{Duration, Instant};

use crate::rt::{Spawn, with_bench};
use crate::timer::Sleep;
use crate::{Cfg, Measured, Outcome, Workload, quantile};

const TASKS: usize = 10_000;

pub(crate) const WORKLOADS: [Workload; 1] = [Workload {
    name: "timers_10k",
    run: |c| with_bench!(c.runtime, c.mode, |b| run(c, b)),
}];

fn run<R: Sleep>(cfg: &Cfg, rt: &R) -> Outcome {
    let mut lateness = Vec::with_capacity(cfg.samples * TASKS);
    let mut runs = 0;
    let samples = cfg.sample(|| {
        let (took, late) = rt.run(timers_10k::<R, _>(rt.local()));
        runs += 1;
        if runs > cfg.warmups {
            lateness.extend(late);
        }
        took
    });
    let mut m = Measured::new(samples, TASKS as u64);
    m.p99 = (!lateness.is_empty()).then(|| quantile(&mut lateness, 0.99));
    Outcome::Ok(m)
}

/// One sample: the time until all are done, and each timer's lateness.
async fn timers_10k<R: Sleep, S: Spawn>(s: S) -> (Duration, Vec<Duration>) {
    let start = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|i| {
            s.spawn(async move {
                let d = Duration::from_millis(1 + (i % 10) as u64);
                let deadline = Instant::now() + d;
                let _ = R::sleep(d).await;
                Instant::now().saturating_duration_since(deadline)
            })
        })
        .collect();
    let mut lateness = Vec::with_capacity(TASKS);
    for t in tasks {
        lateness.push(t.await);
    }
    (start.elapsed(), lateness)
}
