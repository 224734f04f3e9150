//! Workload 9, timer_churn and its variant timer_churn_1m. In a task, 100,000 times:
//! make a 1 s sleep with the runtime's own sleep (`weft::sleep`, `tokio::time::sleep`,
//! `smol::Timer::after`), poll it once with the task's waker (which files it in the
//! runtime's timer structure), drop it (which unfiles it); a sample's time is that
//! loop's, read inside the one poll that runs it, so no driver turns meanwhile.
//! timer_churn_1m does the same while 1,000,000 other sleeps of the same runtime are
//! pending: made in a task once per process, before the warm-ups (deadlines
//! 1 h + (i % 1000) ms, so none fires), each polled once (with a no-op waker) so that
//! it is filed, and kept until the workload ends; the note says how long filing them
//! took. tokio's loops run under `tokio::task::unconstrained`
//! (`timer::Sleep::unbudgeted`): its budget would stop filing after 128 polls.

use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use crate::rt::with_bench;
use crate::timer::Sleep;
use crate::{Cfg, Measured, Outcome, Workload};

const CHURN: usize = 100_000;
const PENDING: usize = 1_000_000;

pub(crate) const WORKLOADS: [Workload; 2] = [
    Workload {
        name: "timer_churn",
        run: |c| with_bench!(c.runtime, c.mode, |b| run(c, b, 0)),
    },
    Workload {
        name: "timer_churn_1m",
        run: |c| with_bench!(c.runtime, c.mode, |b| run(c, b, PENDING)),
    },
];

fn run<R: Sleep>(cfg: &Cfg, rt: &R, pending: usize) -> Outcome {
    let (filing, held) = rt.run(R::unbudgeted(file_pending::<R>(pending)));
    let samples = cfg.sample(|| rt.run(R::unbudgeted(churn::<R>())));
    drop(held);
    let mut m = Measured::new(samples, CHURN as u64);
    if pending > 0 {
        m.note = Some(format!(
            "{pending} sleeps pending (deadlines 1 h + (i % 1000) ms), made and filed \
             in {:.1} ms before the warm-ups",
            filing.as_secs_f64() * 1e3
        ));
    }
    Outcome::Ok(m)
}

/// `n` sleeps that will not fire while the process runs, each polled once; boxed so
/// that they stay where they were filed. Also the time it took.
async fn file_pending<R: Sleep>(n: usize) -> (Duration, Vec<Pin<Box<R::Sleep>>>) {
    let start = Instant::now();
    let mut cx = Context::from_waker(Waker::noop());
    let held = (0..n)
        .map(|i| {
            let far = Duration::from_secs(3600) + Duration::from_millis((i % 1000) as u64);
            let mut sleep = Box::pin(R::sleep(far));
            assert!(sleep.as_mut().poll(&mut cx).is_pending(), "an hour's sleep");
            sleep
        })
        .collect();
    (start.elapsed(), held)
}

/// One sample: `CHURN` times make a sleep, poll it once, drop it.
async fn churn<R: Sleep>() -> Duration {
    poll_fn(|cx| {
        let start = Instant::now();
        for _ in 0..CHURN {
            let sleep = pin!(R::sleep(Duration::from_secs(1)));
            let _ = sleep.poll(cx);
        }
        Poll::Ready(start.elapsed())
    })
    .await
}
