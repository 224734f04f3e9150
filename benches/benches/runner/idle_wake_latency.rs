//! Workload 15, idle_wake_latency: a plain OS thread sends 5,000 messages, one every
//! 200 us (it sleeps until the next deadline, so the period does not drift), each
//! carrying the `Instant` it was sent at, to a task on an otherwise idle runtime; the
//! task records `now - sent` for each: the wake-to-poll latency, thread wake-up
//! included. `samples_ns`: per-sample median latency; `p99_ns`: the p99 over every
//! message of every recorded sample; `cpu_ns`: the process's CPU time (user + system,
//! `getrusage(RUSAGE_SELF)`) used during a sample, median over samples; it includes
//! the sender thread's, the same work for every runtime. The channel is
//! `futures::channel::mpsc::unbounded` for all three runtimes.

use std::thread;
use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::channel::mpsc::{self, UnboundedReceiver, UnboundedSender};

use crate::rt::{Bench, with_bench};
use crate::sched::Helper;
use crate::{Cfg, Measured, Outcome, Workload, quantile};

const MESSAGES: usize = 5_000;
const PERIOD: Duration = Duration::from_micros(200);

pub(crate) const WORKLOADS: [Workload; 1] = [Workload {
    name: "idle_wake_latency",
    run: |c| {
        let sender = Helper::new();
        with_bench!(c.runtime, c.mode, |b| run(c, b, &sender))
    },
}];

fn run<R: Bench>(cfg: &Cfg, rt: &R, sender: &Helper) -> Outcome {
    let mut latencies = Vec::with_capacity(cfg.samples * MESSAGES);
    let mut cpu = Vec::with_capacity(cfg.samples);
    let mut runs = 0;
    let samples = cfg.sample(|| {
        let (tx, rx) = mpsc::unbounded();
        let cpu_before = cpu_time();
        sender.submit(move || send_ticks(tx));
        let mut sample = rt.run(receive(rx));
        let used = cpu_time() - cpu_before;
        runs += 1;
        if runs > cfg.warmups {
            latencies.extend_from_slice(&sample);
            cpu.push(used);
        }
        quantile(&mut sample, 0.5)
    });
    let mut m = Measured::new(samples, MESSAGES as u64);
    if !cpu.is_empty() {
        m.p99 = Some(quantile(&mut latencies, 0.99));
        m.cpu = Some(quantile(&mut cpu, 0.5));
    }
    m.note = Some(
        "futures::channel::mpsc::unbounded for all three runtimes; cpu_ns includes the \
         sender thread's"
            .into(),
    );
    Outcome::Ok(m)
}

/// The sender: `MESSAGES` send instants, one per `PERIOD`; then `tx` is dropped,
/// which ends the receiver's stream.
fn send_ticks(tx: UnboundedSender<Instant>) {
    let mut next = Instant::now();
    for _ in 0..MESSAGES {
        next += PERIOD;
        thread::sleep(next.saturating_duration_since(Instant::now()));
        tx.unbounded_send(Instant::now())
            .expect("the task receives");
    }
}

/// The task: each message's latency, until the sender is gone.
async fn receive(mut rx: UnboundedReceiver<Instant>) -> Vec<Duration> {
    let mut latencies = Vec::with_capacity(MESSAGES);
    while let Some(sent) = rx.next().await {
        latencies.push(sent.elapsed());
    }
    latencies
}

/// The process's CPU time so far, user + system, all threads.
fn cpu_time() -> Duration {
    crate::rusage(libc::RUSAGE_SELF)
}
