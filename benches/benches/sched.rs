//! Scheduling benchmarks (BENCHMARKS.md workloads 1-5 and 12): weft against tokio and
//! smol, in modes `mt2` (2 worker threads) and `st` (one thread).
//!
//! Run with `cargo bench -p weft-benches --bench sched`. The binary runs 5 rounds of
//! fresh processes of itself; in each round, per mode, one process times workloads
//! 1-5 (it builds the three runtimes, runs every workload with 2 warm-ups and 15
//! samples per runtime, the runtimes interleaved sample by sample: A B C, B C A, ...)
//! and another measures workload 12 (fresh runtimes: weft's task registry is
//! process-wide, and the timing workloads should not run on tables grown to 100,000
//! tasks). The parent gathers the samples (75 per runtime and workload) and prints
//! one table per mode: median and minimum per runtime, and the ratio weft / best
//! peer, marked `MISS` where it misses BENCHMARKS.md's target. `--quick` (CI): one
//! round, 1 warm-up and 3 samples. Other arguments: a workload-name filter (a
//! substring, e.g. `ping_pong`, `spawn_many`, `memory`) and/or a mode (`mt2`, `st`);
//! `--bench`, which cargo passes, is ignored. For profilers: `--only=<runtime>`
//! (`weft`, `tokio`, `smol`) times that runtime alone, in this one process, with
//! `--samples=<n>` samples (default 15) after 2 warm-ups, and prints its median and
//! minimum per workload; e.g. `perf record -g target/release/deps/sched-<hash>
//! --only=weft st spawn_many_local --samples=300`.
//!
//! Runtimes:
//! - weft: `weft::Runtime::builder().worker_threads(2)` / `.single_thread()`;
//! - tokio: `new_multi_thread().worker_threads(2)` / `new_current_thread()`, both
//!   with `enable_all()` (as `#[tokio::main]` builds them; weft always has its
//!   reactor too);
//! - smol: one `smol::Executor` run by 2 threads under `smol::block_on(ex.run(..))`
//!   (mt2), or by the bench thread itself inside its `smol::block_on(ex.run(..))`
//!   (st).
//!
//! The workload body runs inside a spawned task and the bench thread waits on that
//! task's handle (`block_on` of the handle); the body measures its own time, from
//! its first poll to the end of its work, and returns it. Spawns inside tasks use
//! `weft::spawn`, `tokio::spawn` and `ex.spawn` (smol); fire-and-forget spawns are
//! detached explicitly. weft has no channels yet, so every oneshot (workloads 4, 5
//! and 12) is `futures::channel::oneshot`, the same for all three runtimes.
//!
//! 1. `spawn_many_local`: inside a task, spawn 10,000 empty tasks, await all.
//! 2. `spawn_many_remote`: a plain OS thread (one helper thread per process, not a
//!    runtime thread) spawns 10,000 empty tasks through the runtime's handle, then
//!    joins all (`futures::executor::block_on` over the handles, for all three); it
//!    times itself. Meanwhile the bench thread waits for it inside the runtime's
//!    `block_on`, which in `st` is what runs the tasks.
//! 3. `yield_many`: 200 tasks x 1,000 yields each (`weft::yield_now`,
//!    `tokio::task::yield_now`, `smol::future::yield_now`).
//! 4. `ping_pong`: 1,000 pairs: A spawns B; a oneshot A->B, then one B->A; a counter
//!    signals done (a oneshot to the body) when the last pair finishes.
//! 5. `chained_spawn`: a chain of 1,000 tasks, each spawns the next; the last
//!    signals done.
//! 12. `memory_per_task`: 100,000 detached tasks, each parked on its own oneshot's
//!     receiver. Live heap bytes (allocated minus freed, at the requested sizes, all
//!     threads, counted by this binary's `#[global_allocator]` around
//!     `std::alloc::System`) taken before spawning and once every task has said
//!     "about to wait" through an atomic counter, divided by 100,000. The first
//!     round runs on fresh runtimes (their own tables grow for these tasks: the
//!     headline figure); the later rounds on the same runtimes (`warm`). Also, in
//!     `st`, the bytes allocated by spawning one `async {}`, and one such parked
//!     task, from the bench thread while the runtime is not running.
//!
//! Benchmarks measure and print; they never assert a time.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt::{self, Debug, Write as _};
use std::future::Future;
use std::io::Write as _;
use std::pin::Pin;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Context, Poll};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use futures::channel::oneshot;
use weft_benches::{fmt_duration, interleaved, median_min};

const SPAWN_MANY: usize = 10_000;
const YIELD_TASKS: usize = 200;
const YIELDS: usize = 1_000;
const PAIRS: usize = 1_000;
const CHAIN: usize = 1_000;
const PARKED: usize = 100_000;

const WARMUPS: usize = 2;
const SAMPLES: usize = 15;
/// Rounds of fresh processes (BENCHMARKS.md: at least 3).
const PROCESSES: usize = 5;
/// Memory rounds per runtime and process: one cold, the others warm.
const MEM_ROUNDS: usize = 3;
/// Spawns measured for the empty-task allocation; the median is reported.
const EMPTY_SPAWNS: usize = 31;

/// BENCHMARKS.md's target for workloads 1-5: weft median / best peer median.
const TARGET_RATIO: f64 = 0.8;
/// BENCHMARKS.md's target for a parked task, in bytes.
const TARGET_PARKED_BYTES: f64 = 150.0;

// ---------------------------------------------------------------------------------
// Counting allocator.
// ---------------------------------------------------------------------------------

/// `System`, counting live bytes per thread (no shared counter on the hot path: each
/// thread owns a slot and only it writes there, so two workers never fight over a
/// cache line), and, on a thread that asks for it, the bytes and allocations it makes.
struct Counting;

const SLOTS: usize = 256;

#[repr(align(128))]
struct Slot(AtomicIsize);

/// Live bytes allocated minus freed by each thread (a thread's slot goes negative
/// when it frees what others allocated; the sum is what counts).
static LIVE: [Slot; SLOTS] = [const { Slot(AtomicIsize::new(0)) }; SLOTS];
/// Threads beyond `SLOTS` share this one.
static LIVE_OVERFLOW: AtomicIsize = AtomicIsize::new(0);
static NEXT_SLOT: AtomicUsize = AtomicUsize::new(0);

/// What this thread allocates while `tracking` is set.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Gross {
    bytes: usize,
    count: usize,
    largest: usize,
}

thread_local! {
    static MY_SLOT: Cell<usize> = const { Cell::new(usize::MAX) };
    static TRACKING: Cell<bool> = const { Cell::new(false) };
    static GROSS: Cell<Gross> = const { Cell::new(Gross { bytes: 0, count: 0, largest: 0 }) };
}

fn account(delta: isize) {
    let slot = MY_SLOT
        .try_with(|s| {
            if s.get() == usize::MAX {
                s.set(NEXT_SLOT.fetch_add(1, Ordering::Relaxed));
            }
            s.get()
        })
        .unwrap_or(usize::MAX);
    match LIVE.get(slot) {
        // Only this thread writes its slot: a load and a store, no read-modify-write.
        Some(s) => {
            s.0.store(s.0.load(Ordering::Relaxed) + delta, Ordering::Relaxed)
        }
        None => {
            LIVE_OVERFLOW.fetch_add(delta, Ordering::Relaxed);
        }
    }
}

fn track(size: usize) {
    let _ = TRACKING.try_with(|t| {
        if t.get() {
            let _ = GROSS.try_with(|g| {
                let mut v = g.get();
                v.bytes += size;
                v.count += 1;
                v.largest = v.largest.max(size);
                g.set(v);
            });
        }
    });
}

// SAFETY: every call is forwarded to `System` with the same arguments; the counting
// on the side allocates nothing.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            account(layout.size() as isize);
            track(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            account(layout.size() as isize);
            track(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) };
        account(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            account(new_size as isize - layout.size() as isize);
            track(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Live heap bytes of the process (every thread), as far as Rust allocated them.
fn live_bytes() -> isize {
    LIVE.iter()
        .map(|s| s.0.load(Ordering::Relaxed))
        .sum::<isize>()
        + LIVE_OVERFLOW.load(Ordering::Relaxed)
}

/// What this thread allocates while running `f`.
fn gross<T>(f: impl FnOnce() -> T) -> (T, Gross) {
    GROSS.with(|g| g.set(Gross::default()));
    TRACKING.with(|t| t.set(true));
    let out = f();
    TRACKING.with(|t| t.set(false));
    (out, GROSS.with(Cell::get))
}

// ---------------------------------------------------------------------------------
// The runtimes, behind two small traits so that every workload is one generic code.
// ---------------------------------------------------------------------------------

/// Spawning: inside the runtime (weft::spawn, tokio::spawn, ex.spawn) or through a
/// handle from a plain thread.
trait Spawn: Clone + Send + Sync + 'static {
    /// A handle that gives the task's output (a join error is a bug here).
    type Join<T: Send + 'static>: Future<Output = T> + Send + Unpin + 'static;
    fn spawn<F>(&self, f: F) -> Self::Join<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static;
    /// Fire and forget, detached explicitly.
    fn detach<F>(&self, f: F)
    where
        F: Future<Output = ()> + Send + 'static;
    fn yield_now() -> impl Future<Output = ()> + Send;
}

/// A runtime in one mode.
trait Bench {
    const NAME: &'static str;
    /// For use inside the runtime's tasks.
    type Local: Spawn;
    /// For use from a plain thread.
    type Remote: Spawn;
    fn local(&self) -> Self::Local;
    fn remote(&self) -> Self::Remote;
    /// Spawns `body` and waits, on this thread, on its handle.
    fn run<T: Send + 'static>(&self, body: impl Future<Output = T> + Send + 'static) -> T;
    /// Runs `f` on this thread; in `st` the runtime's tasks run meanwhile.
    fn block_on<T>(&self, f: impl Future<Output = T>) -> T;
}

/// A join handle whose output is a `Result`, unwrapped.
struct Unwrap<J>(J);

impl<T, E: Debug, J: Future<Output = Result<T, E>> + Unpin> Future for Unwrap<J> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        Pin::new(&mut self.0)
            .poll(cx)
            .map(|r| r.expect("the task failed"))
    }
}

// weft

#[derive(Clone, Copy)]
struct WeftLocal;

impl Spawn for WeftLocal {
    type Join<T: Send + 'static> = Unwrap<weft::Task<T>>;

    fn spawn<F>(&self, f: F) -> Self::Join<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        Unwrap(weft::spawn(f))
    }

    fn detach<F: Future<Output = ()> + Send + 'static>(&self, f: F) {
        weft::spawn(f).detach();
    }

    fn yield_now() -> impl Future<Output = ()> + Send {
        weft::yield_now()
    }
}

#[derive(Clone)]
struct WeftRemote(weft::Handle);

impl Spawn for WeftRemote {
    type Join<T: Send + 'static> = Unwrap<weft::Task<T>>;

    fn spawn<F>(&self, f: F) -> Self::Join<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        Unwrap(self.0.spawn(f))
    }

    fn detach<F: Future<Output = ()> + Send + 'static>(&self, f: F) {
        self.0.spawn(f).detach();
    }

    fn yield_now() -> impl Future<Output = ()> + Send {
        weft::yield_now()
    }
}

struct Weft(weft::Runtime);

impl Weft {
    fn new(mt2: bool) -> Weft {
        let b = weft::Runtime::builder();
        let b = if mt2 {
            b.worker_threads(2)
        } else {
            b.single_thread()
        };
        Weft(b.build().expect("weft runtime"))
    }
}

impl Bench for Weft {
    const NAME: &'static str = "weft";
    type Local = WeftLocal;
    type Remote = WeftRemote;

    fn local(&self) -> WeftLocal {
        WeftLocal
    }

    fn remote(&self) -> WeftRemote {
        WeftRemote(self.0.handle())
    }

    fn run<T: Send + 'static>(&self, body: impl Future<Output = T> + Send + 'static) -> T {
        let task = self.0.spawn(body);
        self.0.block_on(task).expect("the body task failed")
    }

    fn block_on<T>(&self, f: impl Future<Output = T>) -> T {
        self.0.block_on(f)
    }
}

// tokio

#[derive(Clone, Copy)]
struct TokioLocal;

impl Spawn for TokioLocal {
    type Join<T: Send + 'static> = Unwrap<tokio::task::JoinHandle<T>>;

    fn spawn<F>(&self, f: F) -> Self::Join<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        Unwrap(tokio::spawn(f))
    }

    fn detach<F: Future<Output = ()> + Send + 'static>(&self, f: F) {
        // Dropping a JoinHandle detaches the task.
        drop(tokio::spawn(f));
    }

    fn yield_now() -> impl Future<Output = ()> + Send {
        tokio::task::yield_now()
    }
}

#[derive(Clone)]
struct TokioRemote(tokio::runtime::Handle);

impl Spawn for TokioRemote {
    type Join<T: Send + 'static> = Unwrap<tokio::task::JoinHandle<T>>;

    fn spawn<F>(&self, f: F) -> Self::Join<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        Unwrap(self.0.spawn(f))
    }

    fn detach<F: Future<Output = ()> + Send + 'static>(&self, f: F) {
        drop(self.0.spawn(f));
    }

    fn yield_now() -> impl Future<Output = ()> + Send {
        tokio::task::yield_now()
    }
}

struct Tokio(tokio::runtime::Runtime);

impl Tokio {
    fn new(mt2: bool) -> Tokio {
        let mut b = if mt2 {
            let mut b = tokio::runtime::Builder::new_multi_thread();
            b.worker_threads(2);
            b
        } else {
            tokio::runtime::Builder::new_current_thread()
        };
        Tokio(b.enable_all().build().expect("tokio runtime"))
    }
}

impl Bench for Tokio {
    const NAME: &'static str = "tokio";
    type Local = TokioLocal;
    type Remote = TokioRemote;

    fn local(&self) -> TokioLocal {
        TokioLocal
    }

    fn remote(&self) -> TokioRemote {
        TokioRemote(self.0.handle().clone())
    }

    fn run<T: Send + 'static>(&self, body: impl Future<Output = T> + Send + 'static) -> T {
        let handle = self.0.spawn(body);
        self.0.block_on(handle).expect("the body task failed")
    }

    fn block_on<T>(&self, f: impl Future<Output = T>) -> T {
        self.0.block_on(f)
    }
}

// smol

#[derive(Clone, Copy)]
struct SmolEx(&'static smol::Executor<'static>);

impl Spawn for SmolEx {
    type Join<T: Send + 'static> = smol::Task<T>;

    fn spawn<F>(&self, f: F) -> Self::Join<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.0.spawn(f)
    }

    fn detach<F: Future<Output = ()> + Send + 'static>(&self, f: F) {
        // Dropping a smol Task would cancel it.
        self.0.spawn(f).detach();
    }

    fn yield_now() -> impl Future<Output = ()> + Send {
        smol::future::yield_now()
    }
}

struct Smol {
    /// Leaked (one per mode and process) so that tasks can hold it as `&'static`.
    ex: &'static smol::Executor<'static>,
    /// `mt2`: the two threads running the executor, and what stops them.
    threads: Vec<JoinHandle<()>>,
    stop: Option<smol::channel::Sender<()>>,
}

impl Smol {
    fn new(mt2: bool) -> Smol {
        let ex: &'static smol::Executor<'static> = Box::leak(Box::new(smol::Executor::new()));
        let (stop, stopped) = smol::channel::bounded::<()>(1);
        let threads = if mt2 {
            (0..2)
                .map(|i| {
                    let stopped = stopped.clone();
                    thread::Builder::new()
                        .name(format!("smol-{i}"))
                        .spawn(move || {
                            let _ = smol::block_on(ex.run(stopped.recv()));
                        })
                        .expect("smol thread")
                })
                .collect()
        } else {
            Vec::new()
        };
        Smol {
            ex,
            threads,
            stop: Some(stop),
        }
    }

    fn st(&self) -> bool {
        self.threads.is_empty()
    }
}

impl Drop for Smol {
    fn drop(&mut self) {
        drop(self.stop.take());
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Bench for Smol {
    const NAME: &'static str = "smol";
    type Local = SmolEx;
    type Remote = SmolEx;

    fn local(&self) -> SmolEx {
        SmolEx(self.ex)
    }

    fn remote(&self) -> SmolEx {
        SmolEx(self.ex)
    }

    fn run<T: Send + 'static>(&self, body: impl Future<Output = T> + Send + 'static) -> T {
        let task = self.ex.spawn(body);
        self.block_on(task)
    }

    fn block_on<T>(&self, f: impl Future<Output = T>) -> T {
        if self.st() {
            smol::block_on(self.ex.run(f))
        } else {
            smol::block_on(f)
        }
    }
}

// ---------------------------------------------------------------------------------
// The workloads.
// ---------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Workload {
    SpawnManyLocal,
    SpawnManyRemote,
    YieldMany,
    PingPong,
    ChainedSpawn,
}

const WORKLOADS: [Workload; 5] = [
    Workload::SpawnManyLocal,
    Workload::SpawnManyRemote,
    Workload::YieldMany,
    Workload::PingPong,
    Workload::ChainedSpawn,
];
const MEMORY: &str = "memory_per_task";

impl Workload {
    fn name(self) -> &'static str {
        match self {
            Workload::SpawnManyLocal => "spawn_many_local",
            Workload::SpawnManyRemote => "spawn_many_remote",
            Workload::YieldMany => "yield_many",
            Workload::PingPong => "ping_pong",
            Workload::ChainedSpawn => "chained_spawn",
        }
    }
}

/// A countdown whose last hit fires a oneshot.
struct Countdown {
    left: AtomicUsize,
    done: Mutex<Option<oneshot::Sender<()>>>,
}

impl Countdown {
    fn new(n: usize) -> (Arc<Countdown>, oneshot::Receiver<()>) {
        let (tx, rx) = oneshot::channel();
        let c = Countdown {
            left: AtomicUsize::new(n),
            done: Mutex::new(Some(tx)),
        };
        (Arc::new(c), rx)
    }

    fn hit(&self) {
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
struct Helper {
    jobs: Option<mpsc::Sender<Box<dyn FnOnce() + Send>>>,
    thread: Option<JoinHandle<()>>,
}

impl Helper {
    fn new() -> Helper {
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

    fn submit(&self, job: impl FnOnce() + Send + 'static) {
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

fn measure<R: Bench>(rt: &R, helper: &Helper, w: Workload) -> Duration {
    let s = rt.local();
    match w {
        Workload::SpawnManyLocal => rt.run(spawn_many_local(s)),
        Workload::SpawnManyRemote => spawn_many_remote(rt, helper),
        Workload::YieldMany => rt.run(yield_many(s)),
        Workload::PingPong => rt.run(ping_pong(s)),
        Workload::ChainedSpawn => rt.run(chained_spawn(s)),
    }
}

/// How many times the body futures of `--only` runs were polled.
static BODY_POLLS: AtomicUsize = AtomicUsize::new(0);

/// A body future whose polls are counted in `BODY_POLLS` (`--only` runs only).
struct Counted<F>(F);

impl<F: Future> Future for Counted<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        BODY_POLLS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: `F` is structurally pinned: it is never moved out of `self`.
        unsafe { self.map_unchecked_mut(|c| &mut c.0) }.poll(cx)
    }
}

/// `measure`, with the body's polls counted (not used for the tables).
fn measure_counted<R: Bench>(rt: &R, helper: &Helper, w: Workload) -> Duration {
    let s = rt.local();
    match w {
        Workload::SpawnManyLocal => rt.run(Counted(spawn_many_local(s))),
        Workload::SpawnManyRemote => spawn_many_remote(rt, helper),
        Workload::YieldMany => rt.run(Counted(yield_many(s))),
        Workload::PingPong => rt.run(Counted(ping_pong(s))),
        Workload::ChainedSpawn => rt.run(Counted(chained_spawn(s))),
    }
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
async fn parked_task(
    parked: Arc<AtomicUsize>,
    finished: Arc<AtomicUsize>,
    rx: oneshot::Receiver<()>,
) {
    parked.fetch_add(1, Ordering::SeqCst);
    let _ = rx.await;
    finished.fetch_add(1, Ordering::SeqCst);
}

/// 12: live heap bytes per task of `PARKED` tasks parked on a oneshot receive, and
/// what stays allocated once they have all finished; both in bytes per task.
fn memory<R: Bench>(rt: &R) -> (f64, f64) {
    let parked = Arc::new(AtomicUsize::new(0));
    let finished = Arc::new(AtomicUsize::new(0));
    // Allocated before the first count, never grown, freed after the last.
    let senders: Vec<oneshot::Sender<()>> = Vec::with_capacity(PARKED);
    let before = live_bytes();
    let s = rt.local();
    let mut senders = rt.run({
        let parked = parked.clone();
        let finished = finished.clone();
        async move {
            let mut senders = senders;
            for _ in 0..PARKED {
                let (tx, rx) = oneshot::channel::<()>();
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
fn task_allocs<R: Bench>(rt: &R) -> (Gross, Gross) {
    let empty = spawn_alloc(rt, || async {});
    let counter = Arc::new(AtomicUsize::new(0));
    let parked = spawn_alloc(rt, || {
        let (tx, rx) = oneshot::channel();
        drop(tx);
        parked_task(counter.clone(), counter.clone(), rx)
    });
    (empty, parked)
}

// ---------------------------------------------------------------------------------
// Driving a process: the child's part.
// ---------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Mode {
    Mt2,
    St,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Mt2 => "mt2",
            Mode::St => "st",
        }
    }

    fn parse(s: &str) -> Option<Mode> {
        match s {
            "mt2" => Some(Mode::Mt2),
            "st" => Some(Mode::St),
            _ => None,
        }
    }
}

const RUNTIMES: [&str; 3] = [Weft::NAME, Tokio::NAME, Smol::NAME];

/// What a child process does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    /// Workloads 1-5.
    Timing,
    /// Workload 12, in a process of its own so that every runtime starts fresh (weft's
    /// task registry is process-wide) and the timing workloads never run on
    /// structures grown to 100,000 tasks.
    Memory,
}

struct Options {
    quick: bool,
    /// Set in a child process: which mode and part it runs.
    child: Option<(Mode, Part)>,
    modes: Vec<Mode>,
    filters: Vec<String>,
    /// `--only=<runtime>`: time that runtime alone (for `perf record`, `strace -c`).
    only: Option<String>,
    /// `--samples=<n>`: the samples of `--only`.
    samples: Option<usize>,
}

impl Options {
    fn parse() -> Options {
        let mut o = Options {
            quick: false,
            child: None,
            modes: Vec::new(),
            filters: Vec::new(),
            only: None,
            samples: None,
        };
        let mut part = None;
        for a in std::env::args().skip(1) {
            match a.as_str() {
                "--quick" => o.quick = true,
                "--child-timing" => part = Some(Part::Timing),
                "--child-memory" => part = Some(Part::Memory),
                _ if a.starts_with("--only=") => o.only = Some(a["--only=".len()..].into()),
                _ if a.starts_with("--samples=") => {
                    o.samples = Some(a["--samples=".len()..].parse().expect("--samples=<n>"));
                }
                _ if a.starts_with('-') => {} // `--bench`, from cargo
                _ => match Mode::parse(&a) {
                    Some(m) => o.modes.push(m),
                    None => o.filters.push(a),
                },
            }
        }
        if o.modes.is_empty() {
            o.modes = vec![Mode::Mt2, Mode::St];
        }
        o.child = part.map(|p| (o.modes[0], p));
        o
    }

    fn wants(&self, name: &str) -> bool {
        self.filters.is_empty() || self.filters.iter().any(|f| name.contains(f.as_str()))
    }

    fn wants_timing(&self) -> bool {
        WORKLOADS.iter().any(|w| self.wants(w.name()))
    }

    fn child_args(&self, mode: Mode, part: Part) -> Vec<String> {
        let mut v = vec![
            match part {
                Part::Timing => "--child-timing",
                Part::Memory => "--child-memory",
            }
            .to_string(),
            mode.name().to_string(),
        ];
        if self.quick {
            v.push("--quick".into());
        }
        v.extend(self.filters.iter().cloned());
        v
    }
}

/// One process's results, as lines the parent reads:
/// `T <mode> <workload> <runtime> <ns> <ns> ...` and
/// `M <mode> <runtime> <key> <value>`.
#[derive(Default)]
struct Out {
    lines: Vec<String>,
}

impl Out {
    fn times(&mut self, mode: Mode, w: &str, runtime: &str, times: &[Duration]) {
        let mut l = format!("T {} {w} {runtime}", mode.name());
        for t in times {
            let _ = write!(l, " {}", t.as_nanos());
        }
        self.lines.push(l);
    }

    fn mem(&mut self, mode: Mode, runtime: &str, key: &str, value: f64) {
        self.lines
            .push(format!("M {} {runtime} {key} {value}", mode.name()));
    }
}

/// `--only=<runtime>`: that runtime alone, in this process, with nothing else
/// running; prints the median and minimum of each workload.
fn run_only(mode: Mode, o: &Options) {
    let mt2 = mode == Mode::Mt2;
    let samples = o.samples.unwrap_or(SAMPLES);
    match o.only.as_deref() {
        Some("weft") => only(&Weft::new(mt2), mode, o, samples),
        Some("tokio") => only(&Tokio::new(mt2), mode, o, samples),
        Some("smol") => only(&Smol::new(mt2), mode, o, samples),
        other => panic!("--only: weft, tokio or smol, not {other:?}"),
    }
}

fn only<R: Bench>(rt: &R, mode: Mode, o: &Options, samples: usize) {
    let helper = Helper::new();
    for w in WORKLOADS {
        if o.wants(w.name()) {
            BODY_POLLS.store(0, Ordering::Relaxed);
            let times = sample_times(WARMUPS, samples, || measure_counted(rt, &helper, w));
            let polls = BODY_POLLS.load(Ordering::Relaxed) as f64 / (WARMUPS + samples) as f64;
            let (median, min) = median_min(&times);
            println!(
                "{} {} {}: median {}, min {} ({samples} samples); the body task was \
                 polled {polls:.1} times per sample",
                mode.name(),
                w.name(),
                R::NAME,
                fmt_duration(median),
                fmt_duration(min)
            );
        }
    }
}

fn sample_times(warmups: usize, samples: usize, mut f: impl FnMut() -> Duration) -> Vec<Duration> {
    for _ in 0..warmups {
        f();
    }
    (0..samples).map(|_| f()).collect()
}

fn run_timing(mode: Mode, o: &Options, out: &mut Out) {
    let (warmups, samples) = if o.quick { (1, 3) } else { (WARMUPS, SAMPLES) };
    let mt2 = mode == Mode::Mt2;
    let weft = Weft::new(mt2);
    let tokio = Tokio::new(mt2);
    let smol = Smol::new(mt2);
    let helper = Helper::new();
    for w in WORKLOADS {
        if !o.wants(w.name()) {
            continue;
        }
        let times = interleaved(
            warmups,
            samples,
            &mut [
                &mut || measure(&weft, &helper, w),
                &mut || measure(&tokio, &helper, w),
                &mut || measure(&smol, &helper, w),
            ],
        );
        for (rt, t) in RUNTIMES.iter().zip(&times) {
            out.times(mode, w.name(), rt, t);
        }
        eprint!(".");
    }
}

fn run_memory(mode: Mode, o: &Options, out: &mut Out) {
    let mt2 = mode == Mode::Mt2;
    let weft = Weft::new(mt2);
    let tokio = Tokio::new(mt2);
    let smol = Smol::new(mt2);
    // Round 1 on fresh runtimes ("cold": the runtimes' own tables grow for these
    // tasks), then rounds on the same runtimes ("warm": those tables have room).
    let rounds = if o.quick { 2 } else { MEM_ROUNDS };
    let results = interleaved(
        0,
        rounds,
        &mut [&mut || memory(&weft), &mut || memory(&tokio), &mut || {
            memory(&smol)
        }],
    );
    for (rt, r) in RUNTIMES.iter().zip(&results) {
        out.mem(mode, rt, "parked_cold", r[0].0);
        out.mem(mode, rt, "retained_cold", r[0].1);
        let mut warm: Vec<f64> = r[1..].iter().map(|x| x.0).collect();
        warm.sort_by(f64::total_cmp);
        out.mem(mode, rt, "parked_warm", warm[warm.len() / 2]);
    }
    if mode == Mode::St {
        let allocs = [task_allocs(&weft), task_allocs(&tokio), task_allocs(&smol)];
        for (rt, (empty, parked)) in RUNTIMES.iter().zip(allocs) {
            for (prefix, g) in [("empty", empty), ("parkedspawn", parked)] {
                out.mem(mode, rt, &format!("{prefix}_bytes"), g.bytes as f64);
                out.mem(mode, rt, &format!("{prefix}_allocs"), g.count as f64);
                out.mem(mode, rt, &format!("{prefix}_largest"), g.largest as f64);
            }
        }
    }
    eprint!(".");
}

// ---------------------------------------------------------------------------------
// The parent: gathering and printing.
// ---------------------------------------------------------------------------------

#[derive(Default)]
struct Results {
    /// (mode, workload, runtime) -> samples.
    times: BTreeMap<(String, String, String), Vec<Duration>>,
    /// (mode, runtime, key) -> one value per process.
    mem: BTreeMap<(String, String, String), Vec<f64>>,
}

impl Results {
    fn add(&mut self, text: &str) {
        for l in text.lines() {
            let f: Vec<&str> = l.split_whitespace().collect();
            match f.first() {
                Some(&"T") if f.len() >= 4 => {
                    let key = (f[1].to_string(), f[2].to_string(), f[3].to_string());
                    let v = self.times.entry(key).or_default();
                    v.extend(
                        f[4..]
                            .iter()
                            .map(|n| Duration::from_nanos(n.parse().expect("ns"))),
                    );
                }
                Some(&"M") if f.len() == 5 => {
                    let key = (f[1].to_string(), f[2].to_string(), f[3].to_string());
                    self.mem
                        .entry(key)
                        .or_default()
                        .push(f[4].parse().expect("value"));
                }
                _ => {}
            }
        }
    }

    fn median_mem(&self, mode: Mode, rt: &str, key: &str) -> Option<f64> {
        let mut v = self
            .mem
            .get(&(mode.name().into(), rt.into(), key.into()))?
            .clone();
        v.sort_by(f64::total_cmp);
        Some(v[v.len() / 2])
    }
}

struct Verdict<'a> {
    ratio: f64,
    best: &'a str,
    ok: bool,
}

impl fmt::Display for Verdict<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = format!(
            "{:.2} ({}) {}",
            self.ratio,
            self.best,
            if self.ok { "ok" } else { "MISS" }
        );
        f.pad(&s)
    }
}

fn print_mode(r: &Results, mode: Mode, processes: usize, quick: bool) {
    let (warmups, samples) = if quick { (1, 3) } else { (WARMUPS, SAMPLES) };
    let threads = match mode {
        Mode::Mt2 => "2 worker threads",
        Mode::St => "one thread",
    };
    println!();
    println!(
        "== {} ({threads}): {processes} process(es) x {samples} samples after {warmups} \
         warm-up(s) each, runtimes interleaved; median / min ==",
        mode.name()
    );
    println!(
        "{:<18} {:>21} {:>21} {:>21}   {:<19} target",
        "workload", "weft", "tokio", "smol", "weft/best peer"
    );
    for w in WORKLOADS {
        let get = |rt: &str| {
            r.times
                .get(&(mode.name().into(), w.name().into(), rt.into()))
                .filter(|t| !t.is_empty())
                .map(|t| median_min(t))
        };
        let (Some(weft), Some(tokio), Some(smol)) = (get("weft"), get("tokio"), get("smol")) else {
            continue;
        };
        let cell = |(med, min): (Duration, Duration)| {
            format!("{} / {}", fmt_duration(med), fmt_duration(min))
        };
        let (best, best_med) = if tokio.0 <= smol.0 {
            ("tokio", tokio.0)
        } else {
            ("smol", smol.0)
        };
        let ratio = weft.0.as_secs_f64() / best_med.as_secs_f64();
        let v = Verdict {
            ratio,
            best,
            ok: ratio <= TARGET_RATIO,
        };
        println!(
            "{:<18} {:>21} {:>21} {:>21}   {v:<19} <= {TARGET_RATIO}",
            w.name(),
            cell(weft),
            cell(tokio),
            cell(smol)
        );
    }
    let mem = |rt: &str, key: &str| r.median_mem(mode, rt, key);
    let b = |x: f64| format!("{x:.1} B");
    // `target`: whether the row is held to BENCHMARKS.md's target (and has a ratio).
    let row = |label: &str, key: &str, target: bool| {
        let (Some(weft), Some(tokio), Some(smol)) =
            (mem("weft", key), mem("tokio", key), mem("smol", key))
        else {
            return;
        };
        let (best, best_v) = if tokio <= smol {
            ("tokio", tokio)
        } else {
            ("smol", smol)
        };
        if target {
            let v = Verdict {
                ratio: weft / best_v,
                best,
                ok: weft <= TARGET_PARKED_BYTES,
            };
            println!(
                "{label:<18} {:>21} {:>21} {:>21}   {v:<19} <= {TARGET_PARKED_BYTES} B (weft)",
                b(weft),
                b(tokio),
                b(smol)
            );
        } else {
            println!(
                "{label:<18} {:>21} {:>21} {:>21}",
                b(weft),
                b(tokio),
                b(smol)
            );
        }
    };
    row("memory_per_task", "parked_cold", true);
    row("  warm", "parked_warm", true);
    row("  retained after", "retained_cold", false);
    if mem("weft", "parked_cold").is_some() {
        println!(
            "  (live heap bytes per parked task, all threads, / {PARKED}, counted at the \
             requested sizes (malloc's own headers not included); each task parks on its own \
             futures::channel::oneshot, whose {} B are included. memory_per_task: the first \
             round, on fresh runtimes; warm: later rounds on the same runtimes, whose tables \
             kept their room; retained after: still allocated per task once the first \
             round's tasks have all finished)",
            oneshot_bytes()
        );
    }
    let alloc_row = |label: &str, prefix: &str| {
        let cell = |rt: &str| {
            Some(format!(
                "{:.0} B in {:.0} (max {:.0})",
                mem(rt, &format!("{prefix}_bytes"))?,
                mem(rt, &format!("{prefix}_allocs"))?,
                mem(rt, &format!("{prefix}_largest"))?
            ))
        };
        if let (Some(w), Some(t), Some(s)) = (cell("weft"), cell("tokio"), cell("smol")) {
            println!("{label:<18} {w:>21} {t:>21} {s:>21}");
        }
    };
    alloc_row("empty task alloc", "empty");
    alloc_row("parked task alloc", "parkedspawn");
    if mem("weft", "empty_bytes").is_some() {
        println!(
            "  (bytes allocated on the bench thread by one spawn through the runtime's handle, \
             the runtime not running: of `async {{}}`, and of one memory_per_task task (its \
             oneshot made beforehand); median of {EMPTY_SPAWNS}; B in allocations (largest))"
        );
    }
}

/// What one `futures::channel::oneshot::channel::<()>()` allocates.
fn oneshot_bytes() -> usize {
    let (pair, g) = gross(oneshot::channel::<()>);
    drop(pair);
    g.bytes
}

fn main() {
    let o = Options::parse();
    if o.only.is_some() {
        for &mode in &o.modes {
            run_only(mode, &o);
        }
        return;
    }
    if let Some((mode, part)) = o.child {
        let mut out = Out::default();
        match part {
            Part::Timing => run_timing(mode, &o, &mut out),
            Part::Memory => run_memory(mode, &o, &mut out),
        }
        let mut stdout = std::io::stdout().lock();
        for l in out.lines {
            writeln!(stdout, "{l}").expect("stdout");
        }
        return;
    }

    let processes = if o.quick { 1 } else { PROCESSES };
    println!(
        "sched: {} cores, load average {}; weft vs tokio vs smol; every oneshot is \
         futures::channel::oneshot, the same for all runtimes (weft has no channels yet)",
        thread::available_parallelism().map_or(0, |n| n.get()),
        loadavg(),
    );
    let started = Instant::now();
    let exe = std::env::current_exe().expect("current exe");
    let mut results = Results::default();
    for p in 0..processes {
        eprint!("round {}/{processes}: ", p + 1);
        for &mode in &o.modes {
            let mut parts = Vec::new();
            if o.wants_timing() {
                parts.push(Part::Timing);
            }
            if o.wants(MEMORY) {
                parts.push(Part::Memory);
            }
            for part in parts {
                let out = Command::new(&exe)
                    .args(o.child_args(mode, part))
                    .stdin(Stdio::null())
                    .stderr(Stdio::inherit())
                    .output()
                    .expect("start a child process");
                assert!(
                    out.status.success(),
                    "a child process failed: {}",
                    out.status
                );
                results.add(&String::from_utf8(out.stdout).expect("utf-8"));
            }
        }
        eprintln!();
    }
    for &mode in &o.modes {
        print_mode(&results, mode, processes, o.quick);
    }
    println!();
    println!(
        "targets (BENCHMARKS.md): workloads 1-5 weft/best peer <= {TARGET_RATIO}; \
         memory <= {TARGET_PARKED_BYTES} B per parked task. Wall time {:.1} s, load \
         average now {}.",
        started.elapsed().as_secs_f64(),
        loadavg()
    );
}

/// The 1-minute load average, to tell a quiet machine from a busy one.
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(String::from))
        .unwrap_or_else(|| "?".into())
}
