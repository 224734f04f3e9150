//! Workload 14 of BENCHMARKS.md, process_spawn: `/bin/true` run 200 times, at most 4 at
//! a time: 4 tasks each take the next of the 200 turns until none is left, spawn the
//! child (stdio inherited; `/bin/true` touches none of it), await its exit status and
//! assert success. A sample is the time from spawning the 4 tasks to the last one's
//! end; `cpu_ns` is the process CPU time (user + system, `getrusage` of
//! `RUSAGE_SELF` plus `RUSAGE_CHILDREN`, the latter counting the reaped children) used
//! over the same span, the median over the samples. weft uses `weft::process`
//! (weft-process), tokio `tokio::process`, smol `smol::process` (async-process); all
//! three spawn through `std::process::Command`.

use std::future::Future;
use std::io;
use std::process::ExitStatus;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::rt::{Bench, Rt, Smol, Spawn, Tokio, Weft};
use crate::{Cfg, Measured, Outcome, Workload, quantile};

const SPAWNS: usize = 200;
const AT_ONCE: usize = 4;
const TRUE: &str = "/bin/true";

pub(crate) const WORKLOADS: [Workload; 1] = [Workload {
    name: "process_spawn",
    run: |c| {
        let mt2 = c.mode.mt2();
        match c.runtime {
            Rt::Weft => measure::<WeftProcess, _>(c, &Weft::new(mt2), "weft::process"),
            Rt::Tokio => measure::<TokioProcess, _>(c, &Tokio::new(mt2), "tokio::process"),
            Rt::Smol => {
                measure::<SmolProcess, _>(c, &Smol::new(mt2), "smol::process (async-process)")
            }
        }
    },
}];

fn measure<P: Proc, R: Bench>(cfg: &Cfg, rt: &R, note: &str) -> Outcome {
    let mut cpu = Vec::new();
    let mut runs = 0;
    let samples = cfg.sample(|| {
        let (took, used) = rt.run(spawn_all::<P, _>(rt.local()));
        if runs >= cfg.warmups {
            cpu.push(used);
        }
        runs += 1;
        took
    });
    let mut m = Measured::new(samples, SPAWNS as u64);
    if !cpu.is_empty() {
        m.cpu = Some(quantile(&mut cpu, 0.5));
    }
    m.note = Some(note.to_string());
    Outcome::Ok(m)
}

/// Runs `/bin/true` as one runtime does.
trait Proc: 'static {
    /// Spawns `/bin/true` and waits for its exit status.
    fn run_true() -> impl Future<Output = io::Result<ExitStatus>> + Send;
}

struct WeftProcess;

impl Proc for WeftProcess {
    async fn run_true() -> io::Result<ExitStatus> {
        weft::process::Command::new(TRUE).status().await
    }
}

struct TokioProcess;

impl Proc for TokioProcess {
    async fn run_true() -> io::Result<ExitStatus> {
        tokio::process::Command::new(TRUE).status().await
    }
}

struct SmolProcess;

impl Proc for SmolProcess {
    async fn run_true() -> io::Result<ExitStatus> {
        smol::process::Command::new(TRUE).status().await
    }
}

/// 14: `SPAWNS` runs of `/bin/true` by `AT_ONCE` tasks; the time and the CPU used.
async fn spawn_all<P: Proc, S: Spawn>(s: S) -> (Duration, Duration) {
    let turns = Arc::new(AtomicUsize::new(0));
    let cpu = cpu_time();
    let start = Instant::now();
    let tasks: Vec<_> = (0..AT_ONCE)
        .map(|_| {
            let turns = turns.clone();
            s.spawn(async move {
                while turns.fetch_add(1, Ordering::Relaxed) < SPAWNS {
                    let status = P::run_true().await.expect("spawn /bin/true");
                    assert!(status.success(), "/bin/true exited with {status}");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await;
    }
    (start.elapsed(), cpu_time().saturating_sub(cpu))
}

/// CPU time (user + system) of this process and of its reaped children so far.
fn cpu_time() -> Duration {
    crate::rusage(libc::RUSAGE_SELF) + crate::rusage(libc::RUSAGE_CHILDREN)
}
