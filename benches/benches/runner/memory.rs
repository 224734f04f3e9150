//! Workload 12, memory_per_task: 100,000 detached tasks, each parked on its own
//! oneshot receiver, the channel's allocation included: weft's own
//! (`weft::sync::oneshot`, 56 B) for weft, `futures::channel::oneshot` (72 B) for
//! tokio and smol. Live heap bytes (allocated minus freed, at the requested sizes, all
//! threads, counted by the runner's `#[global_allocator]`) before spawning and once
//! every task has said "about to wait", divided by 100,000. The first batch runs on a
//! fresh runtime whose tables grow for it (`bytes_per_task`, the headline); the note
//! gives the median of the later batches (`warm`: tables kept their room), what stays
//! allocated once the tasks finish, and the bytes one spawn of `async {}` and of one
//! parked task allocates. A sample's time is the time to spawn and park the batch.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::alloc::{Gross, gross, live_bytes};
use crate::rt::{Bench, Rt, Smol, Spawn, Tokio, Weft};
use crate::{Cfg, Measured, Outcome, Workload};

const PARKED: usize = 100_000;
/// Spawns measured one by one for the single-task figures.
const EMPTY_SPAWNS: usize = 31;

pub(crate) const WORKLOADS: [Workload; 1] = [Workload {
    name: "memory_per_task",
    run: |c| {
        let mt2 = c.mode.mt2();
        match c.runtime {
            Rt::Weft => run::<_, WeftOneshot>(c, &Weft::new(mt2)),
            Rt::Tokio => run::<_, FuturesOneshot>(c, &Tokio::new(mt2)),
            Rt::Smol => run::<_, FuturesOneshot>(c, &Smol::new(mt2)),
        }
    },
}];

/// A oneshot channel of `()` the parked tasks wait on.
trait Shot: 'static {
    type Tx: Send + 'static;
    type Rx: Future + Send + 'static;
    /// What the note says about the channel.
    const NOTE: &'static str;
    fn pair() -> (Self::Tx, Self::Rx);
}

struct FuturesOneshot;

impl Shot for FuturesOneshot {
    type Tx = futures::channel::oneshot::Sender<()>;
    type Rx = futures::channel::oneshot::Receiver<()>;
    const NOTE: &'static str = "futures::channel::oneshot, its 72 B included";

    fn pair() -> (Self::Tx, Self::Rx) {
        futures::channel::oneshot::channel()
    }
}

struct WeftOneshot;

impl Shot for WeftOneshot {
    type Tx = weft::sync::oneshot::Promise<()>;
    type Rx = weft::sync::oneshot::Receiver<()>;
    const NOTE: &'static str = "weft::sync::oneshot, its 56 B included";

    fn pair() -> (Self::Tx, Self::Rx) {
        weft::sync::oneshot()
    }
}

fn run<R: Bench, S: Shot>(cfg: &Cfg, rt: &R) -> Outcome {
    let runs: Vec<(Duration, f64, f64)> = (0..cfg.warmups.max(1) + cfg.samples)
        .map(|_| memory::<R, S>(rt))
        .collect();
    let fresh = runs[0].1;
    let mut warm: Vec<f64> = runs[1..].iter().map(|r| r.1).collect();
    warm.sort_by(f64::total_cmp);
    let retained = runs[0].2;
    let (empty, parked) = task_allocs::<R, S>(rt);
    let samples = runs[runs.len() - cfg.samples..]
        .iter()
        .map(|r| r.0)
        .collect();
    let mut m = Measured::new(samples, PARKED as u64);
    m.bytes_per_task = Some(fresh);
    m.note = Some(format!(
        "fresh {fresh:.1} B/task; warm {} B/task; retained after {retained:.1} B/task; \
         one spawn allocates {} B in {} (async {{}}) and {} B in {} (parked task); {}",
        warm.get(warm.len() / 2)
            .map_or("-".to_string(), |w| format!("{w:.1}")),
        empty.bytes,
        empty.count,
        parked.bytes,
        parked.count,
        S::NOTE
    ));
    Outcome::Ok(m)
}

/// Runs the runtime until `cond` holds (a task that yields until it does).
fn wait_until<R: Bench>(rt: &R, cond: impl Fn() -> bool + Send + 'static) {
    rt.run(async move {
        while !cond() {
            <R::Local as Spawn>::yield_now().await;
        }
    });
}

/// The body of one task of `memory_per_task`: says "about to wait", parks on `rx`.
async fn parked_task<Rx: Future>(parked: Arc<AtomicUsize>, finished: Arc<AtomicUsize>, rx: Rx) {
    parked.fetch_add(1, Ordering::SeqCst);
    let _ = rx.await;
    finished.fetch_add(1, Ordering::SeqCst);
}

/// 12: live heap bytes per task of `PARKED` tasks parked on a oneshot receive, and
/// what stays allocated once they have all finished; both in bytes per task.
fn memory<R: Bench, S: Shot>(rt: &R) -> (Duration, f64, f64) {
    let parked = Arc::new(AtomicUsize::new(0));
    let finished = Arc::new(AtomicUsize::new(0));
    // Allocated before the first count, never grown, freed after the last.
    let senders: Vec<S::Tx> = Vec::with_capacity(PARKED);
    let before = live_bytes();
    let start = Instant::now();
    let s = rt.local();
    let mut senders = rt.run({
        let parked = parked.clone();
        let finished = finished.clone();
        async move {
            let mut senders = senders;
            for _ in 0..PARKED {
                let (tx, rx) = S::pair();
                senders.push(tx);
                s.detach(parked_task(parked.clone(), finished.clone(), rx));
            }
            senders
        }
    });
    {
        let parked = parked.clone();
        wait_until(rt, move || parked.load(Ordering::SeqCst) == PARKED);
    }
    let took = start.elapsed();
    let during = live_bytes();
    // Release them all (dropping a sender wakes its receiver), and wait until they
    // have finished.
    senders.clear();
    {
        let finished = finished.clone();
        wait_until(rt, move || finished.load(Ordering::SeqCst) == PARKED);
    }
    // Let the runtimes free what finished tasks leave behind (a worker may still
    // hold the last task's allocation for a moment).
    thread::sleep(Duration::from_millis(20));
    rt.block_on(async {});
    let after = live_bytes();
    drop(senders);
    (
        took,
        (during - before) as f64 / PARKED as f64,
        (after - before) as f64 / PARKED as f64,
    )
}

/// Bytes allocated on this thread by one spawn of `make()`'s future through the
/// runtime's handle, the runtime not running it (st only): the median (by bytes) of
/// `EMPTY_SPAWNS` spawns, after a few unmeasured ones so that queues have room.
fn spawn_alloc<R: Bench, F>(rt: &R, mut make: impl FnMut() -> F) -> Gross
where
    F: Future<Output = ()> + Send + 'static,
{
    let remote = rt.remote();
    let mut held = Vec::with_capacity(EMPTY_SPAWNS + 8);
    for _ in 0..8 {
        held.push(remote.spawn(make()));
    }
    let mut seen: Vec<Gross> = (0..EMPTY_SPAWNS)
        .map(|_| {
            let f = make();
            let (t, g) = gross(|| remote.spawn(f));
            held.push(t);
            g
        })
        .collect();
    rt.block_on(async {
        for t in held {
            t.await;
        }
    });
    seen.sort();
    seen[seen.len() / 2]
}

/// `spawn_alloc` of an empty task and of one task of `memory_per_task` (its oneshot
/// made outside the count, and released at once).
fn task_allocs<R: Bench, S: Shot>(rt: &R) -> (Gross, Gross) {
    let empty = spawn_alloc(rt, || async {});
    let counter = Arc::new(AtomicUsize::new(0));
    let parked = spawn_alloc(rt, || {
        let (tx, rx) = S::pair();
        drop(tx);
        parked_task(counter.clone(), counter.clone(), rx)
    });
    (empty, parked)
}
