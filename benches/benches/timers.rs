//! Timer benchmarks: weft-reactor against tokio (current-thread runtime) and smol.
//!
//! Run with `cargo bench -p weft-benches --bench timers`. Every workload runs for
//! every runtime in this one process, the runtimes interleaved sample by sample, and
//! one table is printed at the end. Times are taken inside each runtime's `block_on`,
//! around the work only.
//!
//! - `timer_churn`: 100,000 times, create a 1 s sleep, poll it once with the
//!   runtime's own waker (from inside the runtime), drop it.
//! - `timer_churn+1M_pending`: the same while 1,000,000 other timers of the same
//!   runtime are pending (created and polled once beforehand, not timed; deadlines
//!   1 h + (i % 1000) ms, so that none fires while the benchmark runs).
//! - `insert_1m`: create 1,000,000 timers with deadlines 1 s + (i % 1000) ms and poll
//!   each once.
//! - `drop_1m`: drop those 1,000,000 pending timers (same sample, same `block_on`,
//!   right after `insert_1m`).
//!
//! Fairness: the same generic code runs every runtime. The future that does the work
//! never returns `Pending`, so no runtime's driver turns during a measurement. tokio's
//! future is wrapped in `tokio::task::unconstrained`: otherwise tokio's cooperative
//! budget makes every `Sleep` poll after the 128th return `Pending` without filing the
//! timer, which would measure nothing. The many timers live in one pre-allocated
//! vector per runtime, pinned in place (tokio's `Sleep` is `!Unpin`), so no runtime
//! pays a per-timer allocation that the others do not, and the vector's pages are
//! touched before the first recorded sample.
//!
//! Benchmarks measure and print; they never assert a time.

use std::future::{Future, poll_fn};
use std::mem::size_of;
use std::pin::{Pin, pin};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use weft_benches::{Row, interleaved, print_table};

/// Timers created and dropped by one churn sample.
const CHURN: usize = 100_000;
/// Timers of the 1M workloads.
const MILLION: usize = 1_000_000;
const WARMUPS: usize = 2;
const CHURN_SAMPLES: usize = 21;
const MILLION_SAMPLES: usize = 15;

/// A runtime under test: how to make a sleep and how to run a future.
trait Runtime {
    const NAME: &'static str;
    type Sleep: Future;
    fn sleep(d: Duration) -> Self::Sleep;
    fn block_on<T>(&self, f: impl Future<Output = T>) -> T;
}

struct Weft;

impl Runtime for Weft {
    const NAME: &'static str = "weft";
    type Sleep = weft_reactor::time::Timer;

    fn sleep(d: Duration) -> Self::Sleep {
        weft_reactor::time::sleep(d)
    }

    fn block_on<T>(&self, f: impl Future<Output = T>) -> T {
        weft_reactor::block_on(f)
    }
}

struct Tokio(tokio::runtime::Runtime);

impl Runtime for Tokio {
    const NAME: &'static str = "tokio";
    type Sleep = tokio::time::Sleep;

    fn sleep(d: Duration) -> Self::Sleep {
        tokio::time::sleep(d)
    }

    fn block_on<T>(&self, f: impl Future<Output = T>) -> T {
        self.0.block_on(tokio::task::unconstrained(f))
    }
}

struct Smol;

impl Runtime for Smol {
    const NAME: &'static str = "smol";
    type Sleep = smol::Timer;

    fn sleep(d: Duration) -> Self::Sleep {
        smol::Timer::after(d)
    }

    fn block_on<T>(&self, f: impl Future<Output = T>) -> T {
        smol::block_on(f)
    }
}

/// Timers kept in place. The vector is filled only while empty and never beyond its
/// capacity, so it never reallocates once a timer in it has been polled: a polled
/// timer stays where it is until it is dropped in place (by `clear` or by the
/// vector's own drop). That is what makes pinning its elements sound.
struct Store<F> {
    timers: Vec<F>,
}

impl<F: Future> Store<F> {
    fn with_capacity(n: usize) -> Self {
        Store {
            timers: Vec::with_capacity(n),
        }
    }

    fn fill(&mut self, n: usize, make: impl FnMut(usize) -> F) {
        assert!(self.timers.is_empty() && n <= self.timers.capacity());
        self.timers.extend((0..n).map(make));
    }

    fn poll_each(&mut self, cx: &mut Context<'_>) {
        for t in &mut self.timers {
            // SAFETY: `t` is never moved from here until it is dropped in place; see
            // the type's documentation.
            let t = unsafe { Pin::new_unchecked(t) };
            let _ = t.poll(cx);
        }
    }

    fn clear(&mut self) {
        self.timers.clear();
    }
}

fn churn_deadline() -> Duration {
    Duration::from_secs(1)
}

/// `insert_1m`'s deadlines: 1 s + (i % 1000) ms.
fn spread(i: usize) -> Duration {
    Duration::from_secs(1) + Duration::from_millis((i % 1000) as u64)
}

/// The pending timers of `timer_churn+1M_pending`: 1 h + (i % 1000) ms.
fn background(i: usize) -> Duration {
    Duration::from_secs(3600) + Duration::from_millis((i % 1000) as u64)
}

/// `timer_churn`: the time of `CHURN` create-poll-drop rounds.
fn churn<R: Runtime>(rt: &R) -> Duration {
    rt.block_on(poll_fn(|cx| {
        let start = Instant::now();
        for _ in 0..CHURN {
            let sleep = pin!(R::sleep(churn_deadline()));
            let _ = sleep.poll(cx);
        }
        Poll::Ready(start.elapsed())
    }))
}

/// Creates `n` timers in `store` and polls each once: the time it took.
fn fill<R: Runtime>(
    rt: &R,
    store: &mut Store<R::Sleep>,
    n: usize,
    deadline: fn(usize) -> Duration,
) -> Duration {
    rt.block_on(poll_fn(|cx| {
        let start = Instant::now();
        store.fill(n, |i| R::sleep(deadline(i)));
        store.poll_each(cx);
        Poll::Ready(start.elapsed())
    }))
}

/// Drops every timer of `store`: the time it took.
fn clear<R: Runtime>(rt: &R, store: &mut Store<R::Sleep>) -> Duration {
    rt.block_on(poll_fn(|_| {
        let start = Instant::now();
        store.clear();
        Poll::Ready(start.elapsed())
    }))
}

/// `insert_1m` then `drop_1m`, in one `block_on` so that no driver turns in between.
fn insert_drop<R: Runtime>(rt: &R, store: &mut Store<R::Sleep>) -> (Duration, Duration) {
    rt.block_on(poll_fn(|cx| {
        let start = Instant::now();
        store.fill(MILLION, |i| R::sleep(spread(i)));
        store.poll_each(cx);
        let insert = start.elapsed();
        let start = Instant::now();
        store.clear();
        Poll::Ready((insert, start.elapsed()))
    }))
}

fn main() {
    // `--quick` (CI's smoke run): one warm-up and three samples; `cargo bench` also
    // passes `--bench`, which is not ours.
    let quick = std::env::args().any(|a| a == "--quick");
    let (warmups, churn_samples, million_samples) = if quick {
        (1, 3, 3)
    } else {
        (WARMUPS, CHURN_SAMPLES, MILLION_SAMPLES)
    };
    let weft = Weft;
    let tokio = Tokio(
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("tokio runtime"),
    );
    let smol = Smol;
    let mut weft_store = Store::<weft_reactor::time::Timer>::with_capacity(MILLION);
    let mut tokio_store = Store::<tokio::time::Sleep>::with_capacity(MILLION);
    let mut smol_store = Store::<smol::Timer>::with_capacity(MILLION);

    println!(
        "timers: {} cores; {warmups} warm-ups, then {churn_samples} samples (churn) and \
         {million_samples} samples (1M workloads), runtimes interleaved",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    );
    println!(
        "timer sizes: weft Timer {} B, tokio Sleep {} B, smol Timer {} B",
        size_of::<weft_reactor::time::Timer>(),
        size_of::<tokio::time::Sleep>(),
        size_of::<smol::Timer>(),
    );
    let mut rows = Vec::new();
    let mut push = |workload: &str, ops: usize, names: [&str; 3], times: Vec<Vec<Duration>>| {
        for (name, times) in names.into_iter().zip(times) {
            rows.push(Row {
                workload: workload.to_string(),
                runtime: name.to_string(),
                ops: ops as u64,
                times,
            });
        }
    };
    let names = [Weft::NAME, Tokio::NAME, Smol::NAME];

    // (a) timer_churn.
    let times = interleaved(
        warmups,
        churn_samples,
        &mut [&mut || churn(&weft), &mut || churn(&tokio), &mut || {
            churn(&smol)
        }],
    );
    push("timer_churn", CHURN, names, times);

    // (b) timer_churn with 1M other timers pending, for all three at once.
    let setup = [
        fill(&weft, &mut weft_store, MILLION, background),
        fill(&tokio, &mut tokio_store, MILLION, background),
        fill(&smol, &mut smol_store, MILLION, background),
    ];
    println!(
        "set up 1M pending timers (untimed in the table): weft {:?}, tokio {:?}, smol {:?}",
        setup[0], setup[1], setup[2]
    );
    let times = interleaved(
        warmups,
        churn_samples,
        &mut [&mut || churn(&weft), &mut || churn(&tokio), &mut || {
            churn(&smol)
        }],
    );
    push("timer_churn+1M_pending", CHURN, names, times);
    clear(&weft, &mut weft_store);
    clear(&tokio, &mut tokio_store);
    clear(&smol, &mut smol_store);

    // (c) drop_1m and (d) insert_1m.
    let times = interleaved(
        warmups,
        million_samples,
        &mut [
            &mut || insert_drop(&weft, &mut weft_store),
            &mut || insert_drop(&tokio, &mut tokio_store),
            &mut || insert_drop(&smol, &mut smol_store),
        ],
    );
    let slow = times
        .iter()
        .flatten()
        .filter(|(i, _)| *i >= spread(0))
        .count();
    if slow > 0 {
        println!(
            "note: {slow} insert_1m samples took >= 1 s, so some timers were already due \
             when dropped"
        );
    }
    let inserts = times
        .iter()
        .map(|ts| ts.iter().map(|t| t.0).collect())
        .collect();
    let drops = times
        .iter()
        .map(|ts| ts.iter().map(|t| t.1).collect())
        .collect();
    push("drop_1m", MILLION, names, drops);
    push("insert_1m", MILLION, names, inserts);

    println!();
    print_table(&rows);
}
