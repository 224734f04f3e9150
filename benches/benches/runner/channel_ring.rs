//! Workload 6, channel_ring: 300 tasks in a ring of bounded(1) channels, task i
//! receiving from channel i and sending to channel i + 1 (mod 300); one token goes
//! round the ring 300 times, so a sample is 90,000 hops, one after the other, each a
//! send, a wake and a receive. A sample's time runs from the first poll of the body
//! (before the channels are made and the tasks spawned) until every task has been
//! joined. The channel is async-channel's `bounded(1)` (as `smol::channel`) for all
//! three runtimes: weft has no channels yet.

use std::time::{Duration, Instant};

use smol::channel;

use crate::rt::{Bench, Spawn, with_bench};
use crate::{Cfg, Measured, Outcome, Workload};

const TASKS: usize = 300;
const LAPS: usize = 300;

pub(crate) const WORKLOADS: [Workload; 1] = [Workload {
    name: "channel_ring",
    run: |c| with_bench!(c.runtime, c.mode, |b| run(c, b)),
}];

fn run<R: Bench>(cfg: &Cfg, rt: &R) -> Outcome {
    let samples = cfg.sample(|| rt.run(channel_ring(rt.local())));
    let mut m = Measured::new(samples, (TASKS * LAPS) as u64);
    m.note = Some(
        "async-channel bounded(1) (smol::channel) for all three runtimes: weft has no \
         channels yet"
            .into(),
    );
    Outcome::Ok(m)
}

async fn channel_ring<S: Spawn>(s: S) -> Duration {
    let start = Instant::now();
    let (txs, rxs): (Vec<_>, Vec<_>) = (0..TASKS).map(|_| channel::bounded(1)).unzip();
    // The token's last hop lands in channel 0 after task 0 is gone: kept open here.
    let back = rxs[0].clone();
    let tasks: Vec<_> = rxs
        .into_iter()
        .enumerate()
        .map(|(i, rx)| {
            let tx = txs[(i + 1) % TASKS].clone();
            s.spawn(async move {
                for _ in 0..LAPS {
                    let hops: usize = rx.recv().await.expect("ring");
                    tx.send(hops + 1).await.expect("ring");
                }
            })
        })
        .collect();
    txs[0].send(0).await.expect("ring");
    for t in tasks {
        t.await;
    }
    let took = start.elapsed();
    assert_eq!(back.try_recv(), Ok(TASKS * LAPS), "the token's hops");
    took
}
