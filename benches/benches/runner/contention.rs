//! Workload 7 of BENCHMARKS.md, mpsc_contention: 5 producer tasks each send 1,000 `u64`s
//! into one bounded channel of capacity 100; the sample's own task is the one
//! consumer. A sample is the time from spawning the producers (the channel is made
//! just before) to the consumer's 5,000th receive; the producers are joined after the
//! clock stops.
//!
//! - `mpsc_contention`: the same third-party channel for all three runtimes,
//!   `async-channel` (`smol::channel`).
//! - `mpsc_contention_own`: each runtime's own channel: `weft::sync::channel` for
//!   weft, `tokio::sync::mpsc` for tokio, `async-channel` for smol (smol has no
//!   other).

use std::future::Future;
use std::time::{Duration, Instant};

use crate::rt::{Bench, Rt, Smol, Spawn, Tokio, Weft, with_bench};
use crate::{Cfg, Measured, Outcome, Workload};

const PRODUCERS: usize = 5;
const MESSAGES: usize = 1_000;
const CAPACITY: usize = 100;
const TOTAL: usize = PRODUCERS * MESSAGES;

pub(crate) const WORKLOADS: [Workload; 2] = [
    Workload {
        name: "mpsc_contention",
        run: |c| {
            with_bench!(c.runtime, c.mode, |b| measure::<AsyncChannel, _>(
                c,
                b,
                "async-channel (smol::channel) for all runtimes"
            ))
        },
    },
    Workload {
        name: "mpsc_contention_own",
        run: |c| {
            let mt2 = c.mode.mt2();
            match c.runtime {
                Rt::Weft => measure::<WeftChannel, _>(
                    c,
                    &Weft::new(mt2),
                    "weft::sync::channel (weft-sync's MPMC channel)",
                ),
                Rt::Tokio => measure::<TokioMpsc, _>(c, &Tokio::new(mt2), "tokio::sync::mpsc"),
                Rt::Smol => measure::<AsyncChannel, _>(
                    c,
                    &Smol::new(mt2),
                    "smol's own channel is async-channel (smol::channel)",
                ),
            }
        },
    },
];

fn measure<C: Chan, R: Bench>(cfg: &Cfg, rt: &R, note: &str) -> Outcome {
    let samples = cfg.sample(|| rt.run(contention::<C, _>(rt.local())));
    let mut m = Measured::new(samples, TOTAL as u64);
    m.note = Some(note.to_string());
    Outcome::Ok(m)
}

/// A bounded multi-producer channel of `u64`.
trait Chan: 'static {
    type Tx: Clone + Send + 'static;
    type Rx: Send + 'static;
    fn bounded(capacity: usize) -> (Self::Tx, Self::Rx);
    /// Sends `v`, waiting for room; the receiver is alive.
    fn send(tx: &Self::Tx, v: u64) -> impl Future<Output = ()> + Send;
    /// The next message; `None` once every sender is gone.
    fn recv(rx: &mut Self::Rx) -> impl Future<Output = Option<u64>> + Send;
}

struct AsyncChannel;

impl Chan for AsyncChannel {
    type Tx = smol::channel::Sender<u64>;
    type Rx = smol::channel::Receiver<u64>;

    fn bounded(capacity: usize) -> (Self::Tx, Self::Rx) {
        smol::channel::bounded(capacity)
    }

    async fn send(tx: &Self::Tx, v: u64) {
        tx.send(v).await.expect("the consumer is alive");
    }

    async fn recv(rx: &mut Self::Rx) -> Option<u64> {
        rx.recv().await.ok()
    }
}

struct WeftChannel;

impl Chan for WeftChannel {
    type Tx = weft::sync::mpmc::Sender<u64>;
    type Rx = weft::sync::mpmc::Receiver<u64>;

    fn bounded(capacity: usize) -> (Self::Tx, Self::Rx) {
        weft::sync::channel(capacity)
    }

    async fn send(tx: &Self::Tx, v: u64) {
        tx.send(v).await.expect("the consumer is alive");
    }

    async fn recv(rx: &mut Self::Rx) -> Option<u64> {
        rx.recv().await.ok()
    }
}

struct TokioMpsc;

impl Chan for TokioMpsc {
    type Tx = tokio::sync::mpsc::Sender<u64>;
    type Rx = tokio::sync::mpsc::Receiver<u64>;

    fn bounded(capacity: usize) -> (Self::Tx, Self::Rx) {
        tokio::sync::mpsc::channel(capacity)
    }

    async fn send(tx: &Self::Tx, v: u64) {
        tx.send(v).await.expect("the consumer is alive");
    }

    async fn recv(rx: &mut Self::Rx) -> Option<u64> {
        rx.recv().await
    }
}

/// 7: 5 producers x 1,000 messages, capacity 100, one consumer (this task).
async fn contention<C: Chan, S: Spawn>(s: S) -> Duration {
    let (tx, mut rx) = C::bounded(CAPACITY);
    let start = Instant::now();
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|_| {
            let tx = tx.clone();
            s.spawn(async move {
                for i in 0..MESSAGES {
                    C::send(&tx, i as u64).await;
                }
            })
        })
        .collect();
    drop(tx);
    for _ in 0..TOTAL {
        C::recv(&mut rx).await.expect("a producer still sends");
    }
    let took = start.elapsed();
    for p in producers {
        p.await;
    }
    took
}
