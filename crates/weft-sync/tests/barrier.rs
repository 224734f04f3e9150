//! Barrier: trips with `parties` waiters (unique indices, one leader), reuse,
//! withdrawal of a cancelled arrival, abort and reset, and the blocking wait.

mod common;

use std::sync::Arc;

use common::{join_in_order, on_each, poll_once};
use weft_sync::{Barrier, BrokenBarrier};

#[test]
fn trips_with_unique_indices_and_one_leader_twice() {
    on_each(|| async {
        let barrier = Arc::new(Barrier::new(4));
        for _ in 0..2 {
            let waiters: Vec<_> = (0..4)
                .map(|_| {
                    let barrier = barrier.clone();
                    Box::pin(async move { barrier.wait().await.unwrap() })
                })
                .collect();
            let out = join_in_order(waiters).await;
            let mut indices: Vec<_> = out.iter().map(|r| r.index()).collect();
            indices.sort();
            assert_eq!(indices, [0, 1, 2, 3]);
            assert_eq!(out.iter().filter(|r| r.is_leader()).count(), 1);
            assert!(out[3].is_leader());
            assert_eq!(barrier.n_waiting(), 0);
        }
    });
}

#[test]
fn a_cancelled_wait_withdraws_its_arrival() {
    let barrier = Barrier::new(2);
    let mut gone = barrier.wait();
    assert!(poll_once(&mut gone).is_pending());
    assert_eq!(barrier.n_waiting(), 1);
    drop(gone);
    assert_eq!(barrier.n_waiting(), 0);
    let mut a = barrier.wait();
    assert!(
        poll_once(&mut a).is_pending(),
        "tripped by a withdrawn arrival"
    );
    let mut b = barrier.wait();
    let std::task::Poll::Ready(Ok(rb)) = poll_once(&mut b) else {
        panic!("did not trip")
    };
    let std::task::Poll::Ready(Ok(ra)) = poll_once(&mut a) else {
        panic!("not woken")
    };
    assert_eq!((ra.index(), rb.index()), (0, 1));
}

#[test]
fn abort_breaks_waiting_and_later_waits_until_reset() {
    on_each(|| async {
        let barrier = Arc::new(Barrier::new(3));
        let waiter = {
            let b = barrier.clone();
            async move { b.wait().await }
        };
        let aborter = async {
            common::yield_now().await;
            assert_eq!(barrier.n_waiting(), 1);
            barrier.abort();
        };
        let (r, ()) = futures::join!(waiter, aborter);
        assert_eq!(r, Err(BrokenBarrier));
        assert!(barrier.broken());
        assert_eq!(barrier.wait().await, Err(BrokenBarrier));
        barrier.reset();
        assert!(!barrier.broken());
        let mut w = Box::pin(barrier.wait());
        assert!(poll_once(&mut w).is_pending());
        barrier.reset(); // waiting tasks fail
        assert_eq!(w.await, Err(BrokenBarrier));
        assert_eq!(barrier.n_waiting(), 0);
    });
}

#[test]
#[should_panic(expected = "parties must be at least 1")]
fn zero_parties_panics() {
    let _ = Barrier::new(0);
}

#[test]
fn wait_blocking_from_threads() {
    let barrier = Arc::new(Barrier::new(4));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let b = barrier.clone();
            std::thread::spawn(move || b.wait_blocking().unwrap())
        })
        .collect();
    let out: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(out.iter().filter(|r| r.is_leader()).count(), 1);
}

#[test]
fn types_are_send_and_sync() {
    common::send_sync::<Barrier>();
    common::send_sync::<weft_sync::BarrierWait<'static>>();
    common::send_sync::<BrokenBarrier>();
}
