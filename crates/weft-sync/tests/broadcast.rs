//! The broadcast channel: every receiver gets every value once, lag counting,
//! freeing what every receiver has seen, closing, cancel safety, the `Stream`, on
//! each executor and from plain threads.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Poll;

use common::{
    Flag, assert_all_woken_and_ready, on_each, pending_with_flags, poll_once, send, send_sync,
};
use futures::StreamExt;
use weft_sync::broadcast::{self, Lagged, RecvError, SendError, TryRecvError};

#[test]
#[should_panic(expected = "capacity must be at least 1")]
fn a_zero_capacity_panics_at_construction() {
    let _ = broadcast::channel::<u8>(0);
}

#[test]
fn a_receiver_that_reads_none_gets_the_exact_lag_then_the_retained_values() {
    const CAP: usize = 4;
    let (tx, mut rx) = broadcast::channel(CAP);
    for i in 0..CAP + 3 {
        assert_eq!(tx.send(i), Ok(1));
    }
    assert_eq!((tx.len(), rx.len()), (CAP, CAP));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Lagged(3)));
    for i in 3..CAP + 3 {
        assert_eq!(rx.try_recv(), Ok(i));
    }
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    // The same through `recv` and the blocking receive.
    on_each(|| async {
        let (tx, mut rx) = broadcast::channel(CAP);
        for i in 0..CAP + 3 {
            tx.send(i).unwrap();
        }
        drop(tx);
        assert_eq!(rx.recv().await, Err(RecvError::Lagged(3)));
        for i in 3..CAP + 3 {
            assert_eq!(rx.recv().await, Ok(i));
        }
        assert_eq!(rx.recv().await, Err(RecvError::Closed));
    });
    let (tx, mut rx) = broadcast::channel(CAP);
    for i in 0..CAP + 3 {
        tx.send(i).unwrap();
    }
    assert_eq!(rx.recv_blocking(), Err(RecvError::Lagged(3)));
    assert_eq!(rx.recv_blocking(), Ok(3));
}

#[test]
fn lags_are_counted_per_receiver() {
    let (tx, mut slow) = broadcast::channel(2);
    let mut fast = tx.subscribe();
    for i in 0..10 {
        tx.send(i).unwrap();
        assert_eq!(fast.try_recv(), Ok(i));
    }
    assert_eq!(slow.try_recv(), Err(TryRecvError::Lagged(8)));
    assert_eq!(slow.try_recv(), Ok(8));
    tx.send(10).unwrap();
    tx.send(11).unwrap();
    // `slow` holds 9, 10; 11 evicted 9 (which `slow` had not taken).
    assert_eq!(slow.try_recv(), Err(TryRecvError::Lagged(1)));
    assert_eq!(slow.try_recv(), Ok(10));
    assert_eq!(slow.try_recv(), Ok(11));
    assert_eq!(fast.try_recv(), Ok(10));
    assert_eq!(fast.try_recv(), Ok(11));
}

#[test]
fn senders_get_the_value_back_without_receivers_and_receivers_drain_after_close() {
    let (tx, rx) = broadcast::channel(4);
    drop(rx);
    assert_eq!(tx.send(1), Err(SendError(1)));
    let mut rx = tx.subscribe();
    let tx2 = tx.clone();
    tx.send(2).unwrap();
    tx2.send(3).unwrap();
    drop(tx);
    assert!(!rx.is_closed(), "one sender is left");
    drop(tx2);
    assert!(rx.is_closed());
    assert_eq!(rx.try_recv(), Ok(2));
    assert_eq!(rx.recv_blocking(), Ok(3));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
    assert_eq!(rx.recv_blocking(), Err(RecvError::Closed));
}

#[test]
fn subscribers_start_at_the_next_value_and_clones_where_they_are() {
    let (tx, mut rx) = broadcast::channel(8);
    tx.send(1).unwrap();
    tx.send(2).unwrap();
    assert_eq!(rx.try_recv(), Ok(1));
    let mut clone = rx.clone();
    let mut late = tx.subscribe();
    assert_eq!(tx.receiver_count(), 3);
    tx.send(3).unwrap();
    assert_eq!(rx.try_recv(), Ok(2));
    assert_eq!(rx.try_recv(), Ok(3));
    assert_eq!(clone.try_recv(), Ok(2));
    assert_eq!(clone.try_recv(), Ok(3));
    assert_eq!(late.try_recv(), Ok(3));
    assert!(tx.is_empty(), "every receiver took every value");
}

/// A value that counts its clones and drops.
#[derive(Debug)]
struct Tracked {
    clones: Arc<AtomicUsize>,
    drops: Arc<AtomicUsize>,
}

impl Clone for Tracked {
    fn clone(&self) -> Self {
        self.clones.fetch_add(1, Ordering::SeqCst);
        Tracked {
            clones: self.clones.clone(),
            drops: self.drops.clone(),
        }
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn values_every_receiver_has_seen_are_freed_and_the_last_reader_takes_the_value() {
    let clones = Arc::new(AtomicUsize::new(0));
    let drops = Arc::new(AtomicUsize::new(0));
    let value = || Tracked {
        clones: clones.clone(),
        drops: drops.clone(),
    };
    let (tx, mut a) = broadcast::channel(4);
    let mut b = tx.subscribe();
    tx.send(value()).unwrap();
    tx.send(value()).unwrap();
    drop(a.try_recv().unwrap());
    assert_eq!((clones.load(Ordering::SeqCst), tx.len()), (1, 2));
    drop(b.try_recv().unwrap());
    assert_eq!(clones.load(Ordering::SeqCst), 1, "the last reader took it");
    assert_eq!(tx.len(), 1, "the value both took is freed");
    // A receiver that goes frees what only it still needed.
    drop(a.try_recv().unwrap());
    assert_eq!(tx.len(), 1, "b still needs it");
    let before = drops.load(Ordering::SeqCst);
    drop(b);
    assert_eq!(tx.len(), 0);
    assert_eq!(drops.load(Ordering::SeqCst), before + 1);
    // An evicted value is dropped.
    let (tx, _rx) = broadcast::channel(1);
    let before = drops.load(Ordering::SeqCst);
    tx.send(value()).unwrap();
    tx.send(value()).unwrap();
    assert_eq!(drops.load(Ordering::SeqCst), before + 1);
}

#[test]
fn a_cancelled_recv_leaves_the_value_for_the_next() {
    let (tx, mut rx) = broadcast::channel(4);
    let mut other = tx.subscribe();
    let flag = Flag::new();
    {
        let mut recv = rx.recv();
        assert!(flag.poll(&mut recv).is_pending());
        tx.send(7).unwrap();
        assert!(flag.is_set(), "woken by the send");
        // Cancelled after the wake-up, before it took the value.
    }
    let (mut a, a_woken) = (other.recv(), Flag::new());
    assert!(
        a_woken.poll(&mut a).is_ready(),
        "the other receiver is unaffected"
    );
    drop(a);
    assert_eq!(rx.len(), 1, "the value stays for this receiver");
    assert_eq!(poll_once(&mut rx.recv()), Poll::Ready(Ok(7)));
    // A cancelled receive never reports a lag it did not return.
    for i in 0..6 {
        tx.send(i).unwrap();
    }
    drop(rx.recv());
    assert_eq!(rx.try_recv(), Err(TryRecvError::Lagged(2)));
}

#[test]
fn every_waiting_receiver_is_woken_by_a_send_and_by_the_close() {
    const N: usize = 16;
    let (tx, rx) = broadcast::channel(2);
    let mut receivers: Vec<_> = (0..N).map(|_| rx.clone()).collect();
    drop(rx);
    let mut waits = pending_with_flags(receivers.iter_mut().map(|r| r.recv()));
    assert_eq!(tx.send(5), Ok(N));
    assert_all_woken_and_ready(&mut waits, Ok(5));
    let mut waits = pending_with_flags(receivers.iter_mut().map(|r| r.recv()));
    drop(tx);
    assert_all_woken_and_ready(&mut waits, Err(RecvError::Closed));
}

#[test]
fn many_receivers_each_get_every_value_exactly_once() {
    const RECEIVERS: usize = 4;
    const ITEMS: u64 = 2_000;
    on_each(|| async {
        // Capacity ITEMS: nobody lags, whatever the scheduling.
        let (tx, rx) = broadcast::channel(ITEMS as usize);
        let receivers: Vec<_> = (0..RECEIVERS).map(|_| rx.clone()).collect();
        drop(rx);
        let producer = async move {
            for i in 0..ITEMS {
                tx.send(i).unwrap();
                if i % 64 == 0 {
                    common::yield_now().await;
                }
            }
        };
        let consumers = futures::future::join_all(receivers.into_iter().map(|mut rx| async move {
            let mut got = Vec::new();
            while let Ok(v) = rx.recv().await {
                got.push(v);
            }
            got
        }));
        let (_, all) = futures::join!(producer, consumers);
        for got in all {
            assert_eq!(got, (0..ITEMS).collect::<Vec<_>>());
        }
    });
}

#[test]
fn lags_reported_on_a_multi_thread_executor_are_the_exact_gaps() {
    const ITEMS: u64 = 5_000;
    let ex = weft_executor::Executor::new(2).unwrap();
    ex.block_on(async {
        let (tx, rx) = broadcast::channel(16);
        let tasks: Vec<_> = (0..3)
            .map(|_| {
                let mut rx = rx.clone();
                weft_executor::spawn(async move {
                    // Values come in order, each once; a reported lag of n is
                    // exactly the gap before the next value.
                    let (mut next, mut missed) = (0, 0);
                    loop {
                        match rx.recv().await {
                            Ok(v) => {
                                assert_eq!(v, next, "the value after the lag reported");
                                next = v + 1;
                            }
                            Err(RecvError::Lagged(n)) => {
                                missed += n;
                                next += n;
                            }
                            Err(RecvError::Closed) => return (next, missed),
                            Err(e) => panic!("{e}"),
                        }
                    }
                })
            })
            .collect();
        drop(rx);
        for i in 0..ITEMS {
            tx.send(i).unwrap();
            if i % 16 == 0 {
                common::yield_now().await;
            }
        }
        drop(tx);
        for t in tasks {
            let (next, missed) = t.await.unwrap();
            assert_eq!(next, ITEMS, "the last value reaches every receiver");
            assert!(missed < ITEMS);
        }
    });
}

#[test]
fn the_receiver_is_a_stream_that_reports_lags() {
    on_each(|| async {
        let (tx, rx) = broadcast::channel(2);
        for i in 0..5 {
            tx.send(i).unwrap();
        }
        drop(tx);
        let got: Vec<_> = rx.collect().await;
        assert_eq!(got, [Err(Lagged(3)), Ok(3), Ok(4)]);
    });
    on_each(|| async {
        let (tx, rx) = broadcast::channel(64);
        let producer = async move {
            for i in 0..20 {
                tx.send(i).unwrap();
                common::yield_now().await;
            }
        };
        let (_, got) = futures::join!(producer, rx.collect::<Vec<_>>());
        assert_eq!(got, (0..20).map(Ok).collect::<Vec<_>>());
    });
}

#[test]
fn blocking_receives_from_plain_threads() {
    const ITEMS: u64 = 500;
    let (tx, rx) = broadcast::channel(ITEMS as usize);
    let threads: Vec<_> = (0..3)
        .map(|_| {
            let mut rx = rx.clone();
            std::thread::spawn(move || {
                let mut got = Vec::new();
                while let Ok(v) = rx.recv_blocking() {
                    got.push(v);
                }
                got
            })
        })
        .collect();
    drop(rx);
    let sender = std::thread::spawn(move || {
        for i in 0..ITEMS {
            tx.send(i).unwrap();
        }
    });
    sender.join().unwrap();
    for t in threads {
        assert_eq!(t.join().unwrap(), (0..ITEMS).collect::<Vec<_>>());
    }
}

#[test]
fn errors_display_tersely() {
    assert_eq!(
        RecvError::Lagged(3).to_string(),
        "receiver lagged and missed 3 values"
    );
    assert_eq!(
        TryRecvError::Empty.to_string(),
        "receiving from an empty channel"
    );
    assert_eq!(
        format!("{:?}", SendError(std::cell::Cell::new(1))),
        "SendError(..)"
    );
    assert_eq!(Lagged(2).to_string(), "receiver lagged and missed 2 values");
}

#[test]
fn halves_and_futures_are_send_and_sync() {
    send_sync::<broadcast::Sender<u8>>();
    send_sync::<broadcast::Receiver<std::cell::Cell<u8>>>();
    send::<broadcast::Recv<'static, u8>>();
    send_sync::<broadcast::RecvError>();
    send_sync::<broadcast::TryRecvError>();
}

#[test]
fn sizes() {
    use std::mem::size_of;
    assert_eq!(size_of::<broadcast::Sender<u64>>(), size_of::<usize>());
    assert_eq!(
        size_of::<broadcast::Receiver<u64>>(),
        3 * size_of::<usize>()
    );
    assert_eq!(
        size_of::<broadcast::Recv<'_, u64>>(),
        3 * size_of::<usize>()
    );
}
