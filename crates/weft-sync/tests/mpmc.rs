//! The MPMC channel: bounds, closing by drop and by `close`, draining, cancel safety,
//! FIFO service of waiters, the `Stream`, on each executor and from plain threads.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Poll;

use common::{Counted, Flag, on_each, pending_with_flags, poll_once, send, send_sync};
use futures::StreamExt;
use weft_sync::mpmc::{RecvError, SendError, TryRecvError, TrySendError};

#[test]
#[should_panic(expected = "capacity must be at least 1")]
fn a_zero_capacity_panics_at_construction() {
    let _ = weft_sync::channel::<u8>(0);
}

#[test]
fn a_bounded_channel_hands_the_value_back_when_full() {
    let (tx, rx) = weft_sync::channel(2);
    tx.try_send(1).unwrap();
    tx.try_send(2).unwrap();
    assert!(matches!(tx.try_send(3), Err(TrySendError::Full(3))));
    assert_eq!((tx.len(), tx.capacity()), (2, Some(2)));
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(rx.try_recv(), Ok(2));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
}

#[test]
fn receivers_drain_after_the_senders_go() {
    on_each(|| async {
        let (tx, rx) = weft_sync::channel(4);
        let tx2 = tx.clone();
        tx.send(1).await.unwrap();
        tx2.send(2).await.unwrap();
        drop(tx);
        assert!(!rx.is_closed(), "one sender is left");
        drop(tx2);
        assert!(rx.is_closed());
        assert_eq!(rx.recv().await, Ok(1));
        assert_eq!(rx.recv().await, Ok(2));
        assert_eq!(rx.recv().await, Err(RecvError));
        assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
    });
}

#[test]
fn sends_fail_once_the_receivers_go_and_the_values_are_dropped() {
    let drops = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = weft_sync::unbounded();
    let rx2 = rx.clone();
    tx.try_send(Counted(drops.clone())).unwrap();
    drop(rx);
    assert!(
        tx.try_send(Counted(drops.clone())).is_ok(),
        "one receiver is left"
    );
    drop(rx2);
    assert_eq!(drops.load(Ordering::SeqCst), 2, "nobody can take them now");
    let back = tx.send_blocking(Counted(drops.clone())).unwrap_err();
    assert_eq!(drops.load(Ordering::SeqCst), 2);
    drop(back);
    assert!(matches!(
        tx.try_send(Counted(drops.clone())),
        Err(TrySendError::Closed(_))
    ));
}

#[test]
fn close_stops_sends_and_wakes_every_waiter() {
    let (tx, rx) = weft_sync::channel::<u8>(1);
    let flag_a = Flag::new();
    let flag_b = Flag::new();
    let mut a = rx.recv();
    let mut b = rx.recv();
    assert!(flag_a.poll(&mut a).is_pending());
    assert!(flag_b.poll(&mut b).is_pending());
    assert!(rx.close());
    assert!(!tx.close(), "already closed");
    assert!(flag_a.is_set() && flag_b.is_set());
    assert_eq!(poll_once(&mut a), Poll::Ready(Err(RecvError)));

    let (tx, _rx) = weft_sync::channel(1);
    tx.try_send(0).unwrap();
    let flag = Flag::new();
    let mut send = tx.send(1);
    assert!(flag.poll(&mut send).is_pending());
    tx.close();
    assert!(flag.is_set());
    assert_eq!(poll_once(&mut send), Poll::Ready(Err(SendError(1))));
}

#[test]
fn a_cancelled_recv_loses_no_value_and_passes_its_wake_up_on() {
    let (tx, rx) = weft_sync::channel(4);
    let (mut first, first_woken) = (rx.recv(), Flag::new());
    let (mut second, second_woken) = (rx.recv(), Flag::new());
    assert!(first_woken.poll(&mut first).is_pending());
    assert!(second_woken.poll(&mut second).is_pending());
    tx.try_send(9).unwrap();
    assert!(first_woken.is_set() && !second_woken.is_set());
    drop(first);
    assert!(second_woken.is_set(), "the wake-up passed on");
    assert_eq!(rx.len(), 1, "the value is still there");
    assert_eq!(poll_once(&mut second), Poll::Ready(Ok(9)));
}

#[test]
fn a_cancelled_send_never_sends_and_passes_the_slot_on() {
    let (tx, rx) = weft_sync::channel(1);
    tx.try_send(0).unwrap();
    let (mut first, first_woken) = (tx.send(1), Flag::new());
    let (mut second, second_woken) = (tx.send(2), Flag::new());
    assert!(first_woken.poll(&mut first).is_pending());
    assert!(second_woken.poll(&mut second).is_pending());
    assert_eq!(rx.try_recv(), Ok(0));
    assert!(first_woken.is_set() && !second_woken.is_set());
    drop(first);
    assert!(second_woken.is_set(), "the wake-up passed on");
    assert!(rx.is_empty(), "the dropped send sent nothing");
    assert_eq!(poll_once(&mut second), Poll::Ready(Ok(())));
    assert_eq!(rx.try_recv(), Ok(2));
}

#[test]
fn waiting_receivers_and_senders_are_served_in_order() {
    const N: usize = 32;
    let (tx, rx) = weft_sync::channel(1);
    let mut receivers = pending_with_flags((0..N).map(|_| rx.recv()));
    for i in 0..N {
        tx.try_send(i).unwrap();
        for (j, (r, flag)) in receivers.iter_mut().enumerate().skip(i) {
            assert_eq!(flag.is_set(), j == i, "receiver {j} after send {i}");
            let p = flag.poll(r);
            assert_eq!(p.is_ready(), j == i);
            if j == i {
                assert_eq!(p, Poll::Ready(Ok(i)));
            }
        }
    }
    tx.try_send(usize::MAX).unwrap();
    let mut senders = pending_with_flags((0..N).map(|i| tx.send(i)));
    assert_eq!(rx.try_recv(), Ok(usize::MAX));
    for i in 0..N {
        for (j, (s, flag)) in senders.iter_mut().enumerate().skip(i) {
            assert_eq!(flag.is_set(), j == i, "sender {j} at turn {i}");
            assert_eq!(flag.poll(s).is_ready(), j == i);
        }
        assert_eq!(rx.try_recv(), Ok(i));
    }
}

#[test]
fn the_receiver_is_a_stream() {
    on_each(|| async {
        let (tx, rx) = weft_sync::channel(2);
        let producer = async move {
            for i in 0..10 {
                tx.send(i).await.unwrap();
            }
        };
        let (_, got) = futures::join!(producer, rx.collect::<Vec<_>>());
        assert_eq!(got, (0..10).collect::<Vec<_>>());
    });
}

#[test]
fn many_producers_and_consumers_on_multi_thread_executors() {
    const PRODUCERS: u64 = 5;
    const ITEMS: u64 = 2_000;
    let total = (0..ITEMS).sum::<u64>() * PRODUCERS;
    let ex = weft_executor::Executor::new(2).unwrap();
    let sum = ex.block_on(async {
        let (tx, rx) = weft_sync::channel(16);
        for _ in 0..PRODUCERS {
            let tx = tx.clone();
            weft_executor::spawn(async move {
                for i in 0..ITEMS {
                    tx.send(i).await.unwrap();
                }
            })
            .detach();
        }
        drop(tx);
        let consumers: Vec<_> = (0..3)
            .map(|_| {
                let rx = rx.clone();
                weft_executor::spawn(async move {
                    let mut sum = 0;
                    while let Ok(v) = rx.recv().await {
                        sum += v;
                    }
                    sum
                })
            })
            .collect();
        drop(rx);
        let mut sum = 0;
        for c in consumers {
            sum += c.await.unwrap();
        }
        sum
    });
    assert_eq!(sum, total);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let sum = rt.block_on(async {
        let (tx, rx) = weft_sync::channel(16);
        for _ in 0..PRODUCERS {
            let tx = tx.clone();
            tokio::spawn(async move {
                for i in 0..ITEMS {
                    tx.send(i).await.unwrap();
                }
            });
        }
        drop(tx);
        let mut rx = rx;
        let mut sum = 0;
        while let Some(v) = rx.next().await {
            sum += v;
        }
        sum
    });
    assert_eq!(sum, total);
}

#[test]
fn blocking_variants_from_plain_threads() {
    let (tx, rx) = weft_sync::channel(1);
    let producers: Vec<_> = (0..3)
        .map(|_| {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for i in 0..500 {
                    tx.send_blocking(i).unwrap();
                }
            })
        })
        .collect();
    drop(tx);
    let mut sum = 0;
    while let Ok(v) = rx.recv_blocking() {
        sum += v;
    }
    for p in producers {
        p.join().unwrap();
    }
    assert_eq!(sum, 3 * (0..500).sum::<i32>());
}

#[test]
fn halves_and_futures_are_send_and_sync() {
    send_sync::<weft_sync::mpmc::Sender<u8>>();
    send_sync::<weft_sync::mpmc::Receiver<std::cell::Cell<u8>>>();
    send::<weft_sync::mpmc::Send<'static, u8>>();
    send::<weft_sync::mpmc::Recv<'static, u8>>();
}
