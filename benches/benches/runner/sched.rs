//! Scheduling workloads 1-5 of BENCHMARKS.md: spawn_many_local, spawn_many_remote,
//! yield_many, ping_pong, chained_spawn. Every oneshot is `futures::channel::oneshot`,
//! the same for all runtimes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use futures::channel::oneshot;

use crate::rt::{Bench, Spawn, with_bench};
use crate::{Cfg, Measured, Outcome, Workload};

const SPAWN_MANY: usize = 10_000;
const YIELD_TASKS: usize = 200;
const YIELDS: usize = 1_000;
const PAIRS: usize = 1_000;
const CHAIN: usize = 1_000;

pub(crate) const WORKLOADS: [Workload; 5] = [
    Workload {
        name: "spawn_many_local",
        run: |c| {
            with_bench!(c.runtime, c.mode, |b| timed(c, SPAWN_MANY, || b
                .run(spawn_many_local(b.local()))))
        },
    },
    Workload {
        name: "spawn_many_remote",
        run: |c| {
            let helper = Helper::new();
            with_bench!(c.runtime, c.mode, |b| timed(c, SPAWN_MANY, || {
                spawn_many_remote(b, &helper)
            }))
        },
    },
    Workload {
        name: "yield_many",
        run: |c| {
            with_bench!(c.runtime, c.mode, |b| timed(
                c,
                YIELD_TASKS * YIELDS,
                || b.run(yield_many(b.local()))
            ))
        },
    },
    Workload {
        name: "ping_pong",
        run: |c| {
            with_bench!(c.runtime, c.mode, |b| timed(c, PAIRS, || b
                .run(ping_pong(b.local()))))
        },
    },
    Workload {
        name: "chained_spawn",
        run: |c| {
            with_bench!(c.runtime, c.mode, |b| timed(c, CHAIN, || b
                .run(chained_spawn(b.local()))))
        },
    },
];

/// Samples `f`, which times one run itself, as a workload of `ops` operations.
pub(crate) fn timed(cfg: &Cfg, ops: usize, f: impl FnMut() -> Duration) -> Outcome {
    Outcome::Ok(Measured::new(cfg.sample(f), ops as u64))
}

/// A countdown whose last hit fires a oneshot.
pub(crate) struct Countdown {
    left: AtomicUsize,
    done: Mutex<Option<oneshot::Sender<()>>>,
}

impl Countdown {
    pub(crate) fn new(n: usize) -> (Arc<Countdown>, oneshot::Receiver<()>) {
        let (tx, rx) = oneshot::channel();
        let c = Countdown {
            left: AtomicUsize::new(n),
            done: Mutex::new(Some(tx)),
        };
        (Arc::new(c), rx)
    }

    pub(crate) fn hit(&self) {
        if self.left.fetch_sub(1, Ordering::AcqRel) == 1
            && let Some(tx) = self.done.lock().expect("countdown lock").take()
        {
            let _ = tx.send(());
        }
    }
}

/// 1: inside a task, spawn 10,000 empty tasks, await all.
async fn spawn_many_local<S: Spawn>(s: S) -> Duration {
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(SPAWN_MANY);
    for _ in 0..SPAWN_MANY {
        tasks.push(s.spawn(async {}));
    }
    for t in tasks {
        t.await;
    }
    start.elapsed()
}

/// 3: 200 tasks x 1,000 yields.
async fn yield_many<S: Spawn>(s: S) -> Duration {
    let start = Instant::now();
    let tasks: Vec<_> = (0..YIELD_TASKS)
        .map(|_| {
            s.spawn(async {
                for _ in 0..YIELDS {
                    S::yield_now().await;
                }
            })
        })
        .collect();
    for t in tasks {
        t.await;
    }
    start.elapsed()
}

/// 4: 1,000 pairs: A spawns B; oneshot A->B, then B->A; a counter signals done.
async fn ping_pong<S: Spawn>(s: S) -> Duration {
    let start = Instant::now();
    let (countdown, done) = Countdown::new(PAIRS);
    for _ in 0..PAIRS {
        let countdown = countdown.clone();
        let s2 = s.clone();
        s.detach(async move {
            let (to_b, from_a) = oneshot::channel::<()>();
            let (to_a, from_b) = oneshot::channel::<()>();
            s2.detach(async move {
                from_a.await.expect("ping");
                to_a.send(()).expect("pong");
            });
            to_b.send(()).expect("ping");
            from_b.await.expect("pong");
            countdown.hit();
        });
    }
    done.await.expect("done");
    start.elapsed()
}

/// 5: a chain of `n` tasks, each spawning the next; the last signals done.
fn chain<S: Spawn>(s: S, n: usize, done: oneshot::Sender<()>) {
    if n == 0 {
        let _ = done.send(());
    } else {
        let s2 = s.clone();
        s.detach(async move { chain(s2, n - 1, done) });
    }
}

async fn chained_spawn<S: Spawn>(s: S) -> Duration {
    let start = Instant::now();
    let (tx, rx) = oneshot::channel();
    chain(s, CHAIN, tx);
    rx.await.expect("done");
    start.elapsed()
}

/// A plain OS thread that runs jobs: the spawner of `spawn_many_remote`. One per
/// process, so that its allocator arena, stack and caches are warm.
pub(crate) struct Helper {
    jobs: Option<mpsc::Sender<Box<dyn FnOnce() + Send>>>,
    thread: Option<JoinHandle<()>>,
}

impl Helper {
    pub(crate) fn new() -> Helper {
        let (tx, rx) = mpsc::channel::<Box<dyn FnOnce() + Send>>();
        let thread = thread::Builder::new()
            .name("remote-spawner".into())
            .spawn(move || {
                for job in rx {
                    job();
                }
            })
            .expect("helper thread");
        Helper {
            jobs: Some(tx),
            thread: Some(thread),
        }
    }

    pub(crate) fn submit(&self, job: impl FnOnce() + Send + 'static) {
        self.jobs
            .as_ref()
            .expect("helper alive")
            .send(Box::new(job))
            .expect("helper alive");
    }
}

impl Drop for Helper {
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// 2: a plain OS thread spawns 10,000 empty tasks through the handle, joins all.
fn spawn_many_remote<R: Bench>(rt: &R, helper: &Helper) -> Duration {
    let remote = rt.remote();
    let (tx, rx) = oneshot::channel();
    helper.submit(move || {
        let start = Instant::now();
        let tasks: Vec<_> = (0..SPAWN_MANY).map(|_| remote.spawn(async {})).collect();
        futures::executor::block_on(async {
            for t in tasks {
                t.await;
            }
        });
        let _ = tx.send(start.elapsed());
    });
    rt.block_on(rx).expect("the helper thread answers")
}
