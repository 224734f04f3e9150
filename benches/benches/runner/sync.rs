//! Workload 13 of BENCHMARKS.md, sync_primitives: five primitives, each with 6
//! contending tasks x 1,000 operations; one sample runs the five phases in sequence
//! (fresh primitives, made before the clock starts) and is the time from the first
//! phase's spawns to the last phase's end (30,000 operations). The note gives each
//! phase's median.
//!
//! The operations (the same shape for both peers; each holds what it took across one
//! `yield_now`, so that the others find it taken and must wait and be woken, even on
//! one thread):
//! - Lock: lock the mutex, yield, increment the `u64` inside, unlock.
//! - Semaphore(5): acquire a permit, yield, release (6 tasks for 5 permits).
//! - RwLock read: take a read guard, read the `u64`, yield, release (readers never
//!   exclude each other: the shared-acquire path).
//! - Event: rounds 1..=1,000; 5 waiter tasks wait until the generation reaches the
//!   round, then acknowledge (the fifth acknowledgement notifies a second event); 1
//!   setter task sets the generation to the round, notifies all waiters, and waits for
//!   the 5 acknowledgements. Every task waits once per round: 6 x 1,000 waits.
//!   A wait is: register a listener, check the condition, wait if it does not hold.
//! - Queue: 6 producer tasks x 1,000 sends into one bounded queue of capacity 5; the
//!   sample's own task receives all 6,000.
//!
//! tokio: `tokio::sync` Mutex, Semaphore, RwLock, Notify (`notify_waiters`) and mpsc.
//! smol: async-lock Mutex, Semaphore, RwLock (`smol::lock`), event-listener `Event`
//! (`notify(usize::MAX)`) and async-channel (`smol::channel`).
//! weft: `weft::sync` Lock, Semaphore, RwLock, Event (asyncio's flag: a notification
//! is `set()` then `clear()`, which wakes every waiter registered before it) and
//! Queue (bounded `put`/`get`).

use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::rt::{Bench, Rt, Smol, Spawn, Tokio, Weft};
use crate::{Cfg, Measured, Outcome, Workload, quantile};

const TASKS: usize = 6;
const OPS: usize = 1_000;
const PERMITS: usize = 5;
const WAITERS: u64 = TASKS as u64 - 1;
const QUEUE: usize = 5;
const PHASES: [&str; 5] = ["lock", "semaphore", "rwlock_read", "event", "queue"];

pub(crate) const WORKLOADS: [Workload; 1] = [Workload {
    name: "sync_primitives",
    run: |c| {
        let mt2 = c.mode.mt2();
        match c.runtime {
            Rt::Weft => measure::<WeftSync, _>(
                c,
                &Weft::new(mt2),
                "weft::sync Lock, Semaphore, RwLock, Event, Queue",
            ),
            Rt::Tokio => measure::<TokioSync, _>(
                c,
                &Tokio::new(mt2),
                "tokio::sync Mutex, Semaphore, RwLock, Notify, mpsc",
            ),
            Rt::Smol => measure::<SmolSync, _>(
                c,
                &Smol::new(mt2),
                "async-lock Mutex, Semaphore, RwLock; event-listener Event; async-channel",
            ),
        }
    },
}];

fn measure<P: Prims, R: Bench>(cfg: &Cfg, rt: &R, what: &str) -> Outcome {
    let mut phases: [Vec<Duration>; 5] = Default::default();
    let mut runs = 0;
    let samples = cfg.sample(|| {
        let times = rt.run(sample::<P, _>(rt.local()));
        if runs >= cfg.warmups {
            for (all, t) in phases.iter_mut().zip(times) {
                all.push(t);
            }
        }
        runs += 1;
        times.iter().sum()
    });
    let mut m = Measured::new(samples, (PHASES.len() * TASKS * OPS) as u64);
    let medians: Vec<String> = PHASES
        .iter()
        .zip(&mut phases)
        .filter(|(_, all)| !all.is_empty())
        .map(|(name, all)| format!("{name} {} us", quantile(all, 0.5).as_micros()))
        .collect();
    m.note = Some(if medians.is_empty() {
        what.to_string()
    } else {
        format!("{what}; phase medians: {}", medians.join(", "))
    });
    Outcome::Ok(m)
}

/// An event: notify every waiter.
trait Signal: Send + Sync + 'static {
    fn new() -> Self;
    /// Wakes every task waiting in `wait_until`.
    fn notify_all(&self);
    /// Waits until `cond()` holds, checking it after registering for a notification
    /// (so none is lost) and after each.
    fn wait_until(&self, cond: impl Fn() -> bool + Send) -> impl Future<Output = ()> + Send;
}

impl Signal for tokio::sync::Notify {
    fn new() -> Self {
        tokio::sync::Notify::new()
    }

    fn notify_all(&self) {
        self.notify_waiters();
    }

    async fn wait_until(&self, cond: impl Fn() -> bool + Send) {
        loop {
            // A `Notified` receives every `notify_waiters` made after its creation.
            let notified = self.notified();
            if cond() {
                return;
            }
            notified.await;
        }
    }
}

impl Signal for event_listener::Event {
    fn new() -> Self {
        event_listener::Event::new()
    }

    fn notify_all(&self) {
        self.notify(usize::MAX);
    }

    async fn wait_until(&self, cond: impl Fn() -> bool + Send) {
        loop {
            if cond() {
                return;
            }
            let listener = self.listen();
            if cond() {
                return;
            }
            listener.await;
        }
    }
}

impl Signal for weft::sync::Event {
    fn new() -> Self {
        weft::sync::Event::new()
    }

    fn notify_all(&self) {
        // asyncio's flag as a pulse: waiters registered before `set` complete even
        // though `clear` follows at once.
        self.set();
        self.clear();
    }

    async fn wait_until(&self, cond: impl Fn() -> bool + Send) {
        loop {
            if cond() {
                return;
            }
            // The first poll registers the wait; check again, then wait.
            let mut wait = std::pin::pin!(self.wait());
            if futures::poll!(wait.as_mut()).is_ready() {
                continue;
            }
            if cond() {
                return;
            }
            wait.await;
        }
    }
}

/// One runtime's primitives, and one operation on each (see the module docs).
trait Prims: Send + Sync + Sized + 'static {
    type Event: Signal;
    type Tx: Clone + Send + 'static;
    type Rx: Send + 'static;
    /// A mutex over 0, a semaphore of `PERMITS`, a read-write lock over 0.
    fn new() -> Self;
    /// Lock, yield, increment, unlock.
    fn lock_op<S: Spawn>(&self) -> impl Future<Output = ()> + Send;
    /// The mutex's value.
    fn count(&self) -> u64;
    /// Acquire a permit, yield, release; returns how many were held with it.
    fn permit_op<S: Spawn>(&self) -> impl Future<Output = usize> + Send;
    /// Read-lock, read, yield, unlock.
    fn read_op<S: Spawn>(&self) -> impl Future<Output = u64> + Send;
    fn queue(capacity: usize) -> (Self::Tx, Self::Rx);
    fn send(tx: &Self::Tx, v: u64) -> impl Future<Output = ()> + Send;
    fn recv(rx: &mut Self::Rx) -> impl Future<Output = u64> + Send;
}

/// Lock op, once the guard is taken: yield holding it, then increment.
async fn increment_across_yield<S: Spawn>(mut guard: impl DerefMut<Target = u64> + Send) {
    S::yield_now().await;
    *guard += 1;
}

/// Permit op, once the permit is taken: count it in `held`, yield holding it, release
/// it; how many were held with it.
async fn count_held_across_yield<S: Spawn>(held: &AtomicUsize, permit: impl Send) -> usize {
    let n = held.fetch_add(1, Ordering::Relaxed) + 1;
    S::yield_now().await;
    held.fetch_sub(1, Ordering::Relaxed);
    drop(permit);
    n
}

/// Read op, once the read guard is taken: read, yield holding it, release it.
async fn read_across_yield<S: Spawn>(guard: impl Deref<Target = u64> + Send) -> u64 {
    let v = *guard;
    S::yield_now().await;
    v
}

struct TokioSync {
    mutex: tokio::sync::Mutex<u64>,
    semaphore: tokio::sync::Semaphore,
    held: AtomicUsize,
    rwlock: tokio::sync::RwLock<u64>,
}

impl Prims for TokioSync {
    type Event = tokio::sync::Notify;
    type Tx = tokio::sync::mpsc::Sender<u64>;
    type Rx = tokio::sync::mpsc::Receiver<u64>;

    fn new() -> Self {
        TokioSync {
            mutex: tokio::sync::Mutex::new(0),
            semaphore: tokio::sync::Semaphore::new(PERMITS),
            held: AtomicUsize::new(0),
            rwlock: tokio::sync::RwLock::new(0),
        }
    }

    async fn lock_op<S: Spawn>(&self) {
        increment_across_yield::<S>(self.mutex.lock().await).await;
    }

    fn count(&self) -> u64 {
        *self.mutex.try_lock().expect("the mutex is free")
    }

    async fn permit_op<S: Spawn>(&self) -> usize {
        let permit = self
            .semaphore
            .acquire()
            .await
            .expect("the semaphore is open");
        count_held_across_yield::<S>(&self.held, permit).await
    }

    async fn read_op<S: Spawn>(&self) -> u64 {
        read_across_yield::<S>(self.rwlock.read().await).await
    }

    fn queue(capacity: usize) -> (Self::Tx, Self::Rx) {
        tokio::sync::mpsc::channel(capacity)
    }

    async fn send(tx: &Self::Tx, v: u64) {
        tx.send(v).await.expect("the receiver is alive");
    }

    async fn recv(rx: &mut Self::Rx) -> u64 {
        rx.recv().await.expect("a sender is alive")
    }
}

struct SmolSync {
    mutex: smol::lock::Mutex<u64>,
    semaphore: smol::lock::Semaphore,
    held: AtomicUsize,
    rwlock: smol::lock::RwLock<u64>,
}

impl Prims for SmolSync {
    type Event = event_listener::Event;
    type Tx = smol::channel::Sender<u64>;
    type Rx = smol::channel::Receiver<u64>;

    fn new() -> Self {
        SmolSync {
            mutex: smol::lock::Mutex::new(0),
            semaphore: smol::lock::Semaphore::new(PERMITS),
            held: AtomicUsize::new(0),
            rwlock: smol::lock::RwLock::new(0),
        }
    }

    async fn lock_op<S: Spawn>(&self) {
        increment_across_yield::<S>(self.mutex.lock().await).await;
    }

    fn count(&self) -> u64 {
        *self.mutex.try_lock().expect("the mutex is free")
    }

    async fn permit_op<S: Spawn>(&self) -> usize {
        let permit = self.semaphore.acquire().await;
        count_held_across_yield::<S>(&self.held, permit).await
    }

    async fn read_op<S: Spawn>(&self) -> u64 {
        read_across_yield::<S>(self.rwlock.read().await).await
    }

    fn queue(capacity: usize) -> (Self::Tx, Self::Rx) {
        smol::channel::bounded(capacity)
    }

    async fn send(tx: &Self::Tx, v: u64) {
        tx.send(v).await.expect("the receiver is alive");
    }

    async fn recv(rx: &mut Self::Rx) -> u64 {
        rx.recv().await.expect("a sender is alive")
    }
}

struct WeftSync {
    mutex: weft::sync::Lock<u64>,
    semaphore: weft::sync::Semaphore,
    held: AtomicUsize,
    rwlock: weft::sync::RwLock<u64>,
}

impl Prims for WeftSync {
    type Event = weft::sync::Event;
    type Tx = weft::sync::Queue<u64>;
    type Rx = weft::sync::Queue<u64>;

    fn new() -> Self {
        WeftSync {
            mutex: weft::sync::Lock::new(0),
            semaphore: weft::sync::Semaphore::new(PERMITS),
            held: AtomicUsize::new(0),
            rwlock: weft::sync::RwLock::new(0),
        }
    }

    async fn lock_op<S: Spawn>(&self) {
        increment_across_yield::<S>(self.mutex.lock().await).await;
    }

    fn count(&self) -> u64 {
        *self.mutex.try_lock().expect("the mutex is free")
    }

    async fn permit_op<S: Spawn>(&self) -> usize {
        let permit = self
            .semaphore
            .acquire()
            .await
            .expect("the semaphore is open");
        count_held_across_yield::<S>(&self.held, permit).await
    }

    async fn read_op<S: Spawn>(&self) -> u64 {
        read_across_yield::<S>(self.rwlock.read().await).await
    }

    fn queue(capacity: usize) -> (Self::Tx, Self::Rx) {
        let q = weft::sync::Queue::new(capacity);
        (q.clone(), q)
    }

    async fn send(tx: &Self::Tx, v: u64) {
        tx.put(v).await.expect("the queue is open");
    }

    async fn recv(rx: &mut Self::Rx) -> u64 {
        rx.get().await.expect("the queue is open")
    }
}

/// Runs `TASKS` tasks, task `i` being `task(i)`, and waits for all.
async fn phase<S: Spawn, F: Future<Output = ()> + Send + 'static>(
    s: &S,
    task: impl Fn(usize) -> F,
) {
    let tasks: Vec<_> = (0..TASKS).map(|i| s.spawn(task(i))).collect();
    for t in tasks {
        t.await;
    }
}

/// The two events of the Event phase and what their waiters wait for.
struct Rounds<E> {
    set: E,
    acked: E,
    generation: AtomicU64,
    acks: AtomicU64,
}

/// One sample: the five phases in order; each one's time.
async fn sample<P: Prims, S: Spawn>(s: S) -> [Duration; 5] {
    let p = Arc::new(P::new());
    let rounds = Arc::new(Rounds {
        set: P::Event::new(),
        acked: P::Event::new(),
        generation: AtomicU64::new(0),
        acks: AtomicU64::new(0),
    });
    let (tx, mut rx) = P::queue(QUEUE);
    let mut times = [Duration::ZERO; 5];
    let mut t = Instant::now();
    let mut lap = |i: usize| {
        let now = Instant::now();
        times[i] = now - t;
        t = now;
    };

    phase(&s, |_| {
        let p = p.clone();
        async move {
            for _ in 0..OPS {
                p.lock_op::<S>().await;
            }
        }
    })
    .await;
    lap(0);

    phase(&s, |_| {
        let p = p.clone();
        async move {
            for _ in 0..OPS {
                let held = p.permit_op::<S>().await;
                assert!(held <= PERMITS, "{held} permits of {PERMITS} held");
            }
        }
    })
    .await;
    lap(1);

    phase(&s, |_| {
        let p = p.clone();
        async move {
            for _ in 0..OPS {
                std::hint::black_box(p.read_op::<S>().await);
            }
        }
    })
    .await;
    lap(2);

    phase(&s, |i| {
        let e = rounds.clone();
        async move {
            for r in 1..=OPS as u64 {
                if i == 0 {
                    // The setter.
                    e.generation.store(r, Ordering::SeqCst);
                    e.set.notify_all();
                    e.acked
                        .wait_until(|| e.acks.load(Ordering::SeqCst) >= WAITERS * r)
                        .await;
                } else {
                    e.set
                        .wait_until(|| e.generation.load(Ordering::SeqCst) >= r)
                        .await;
                    if e.acks.fetch_add(1, Ordering::SeqCst) + 1 == WAITERS * r {
                        e.acked.notify_all();
                    }
                }
            }
        }
    })
    .await;
    lap(3);

    let producers: Vec<_> = (0..TASKS)
        .map(|_| {
            let tx = tx.clone();
            s.spawn(async move {
                for i in 0..OPS {
                    P::send(&tx, i as u64).await;
                }
            })
        })
        .collect();
    for _ in 0..TASKS * OPS {
        P::recv(&mut rx).await;
    }
    for t in producers {
        t.await;
    }
    lap(4);

    assert_eq!(p.count(), (TASKS * OPS) as u64, "every lock op counted");
    times
}
