//! The oneshot channel: values, exceptions, cancellation (a promise dropped without
//! a value), a receiver dropped first, `closed`, and the wake-ups, on each executor
//! and from plain threads.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Poll;

use common::{Counted, Flag, on_each, send_sync};
use weft_sync::oneshot::{self, Error, TryRecvError};

#[test]
fn a_value_set_from_another_task_arrives() {
    on_each(|| async {
        let (promise, rx) = weft_sync::oneshot();
        let (go, wait) = weft_sync::oneshot::<()>();
        let setter = async move {
            wait.await.unwrap();
            promise.set_result(String::from("hi")).unwrap();
        };
        let getter = async move {
            go.set_result(()).unwrap();
            rx.await
        };
        let ((), got) = futures::join!(setter, getter);
        assert_eq!(got.as_deref(), Ok("hi"));
    });
}

#[test]
fn an_exception_is_told_apart_from_cancellation() {
    on_each(|| async {
        let (promise, rx) = oneshot::channel::<u8, &str>();
        promise.set_exception("bad").unwrap();
        assert_eq!(rx.await, Err(Error::Exception("bad")));
        let (promise, rx) = oneshot::channel::<u8, &str>();
        drop(promise);
        assert_eq!(rx.await, Err(Error::Cancelled));
    });
}

#[test]
fn the_receiver_is_woken_once_set_or_cancelled() {
    let (promise, mut rx) = weft_sync::oneshot::<u8>();
    let flag = Flag::new();
    assert!(flag.poll(&mut rx).is_pending());
    assert!(!flag.is_set());
    promise.set_result(4).unwrap();
    assert!(flag.is_set());
    assert_eq!(flag.poll(&mut rx), Poll::Ready(Ok(4)));

    let (promise, mut rx) = weft_sync::oneshot::<u8>();
    assert!(flag.poll(&mut rx).is_pending());
    drop(promise);
    assert!(flag.is_set());
    assert_eq!(flag.poll(&mut rx), Poll::Ready(Err(Error::Cancelled)));
}

#[test]
fn a_receiver_polled_and_then_left_keeps_the_value() {
    // As in a `select!` that picked another branch: the value is not lost.
    let (promise, mut rx) = weft_sync::oneshot::<u8>();
    let flag = Flag::new();
    assert!(flag.poll(&mut rx).is_pending());
    promise.set_result(1).unwrap();
    assert!(rx.is_done());
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Done(Error::Cancelled)));
}

#[test]
fn try_recv_and_is_done_follow_the_state() {
    let (promise, mut rx) = oneshot::channel::<u8, ()>();
    assert!(!rx.is_done());
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    promise.set_exception(()).unwrap();
    assert!(rx.is_done());
    assert_eq!(rx.try_recv(), Err(TryRecvError::Done(Error::Exception(()))));
}

#[test]
fn a_closed_receiver_hands_the_value_back() {
    let drops = Arc::new(AtomicUsize::new(0));
    let (promise, rx) = weft_sync::oneshot();
    assert!(!promise.is_closed());
    drop(rx);
    assert!(promise.is_closed());
    let back = promise.set_result(Counted(drops.clone())).unwrap_err();
    assert_eq!(drops.load(Ordering::SeqCst), 0);
    drop(back);
    assert_eq!(drops.load(Ordering::SeqCst), 1);

    let (promise, rx) = oneshot::channel::<(), u8>();
    drop(rx);
    assert_eq!(promise.set_exception(3), Err(3));
}

#[test]
fn a_value_never_received_is_dropped_with_the_receiver() {
    let drops = Arc::new(AtomicUsize::new(0));
    let (promise, rx) = weft_sync::oneshot();
    promise.set_result(Counted(drops.clone())).unwrap();
    assert_eq!(drops.load(Ordering::SeqCst), 0);
    drop(rx);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
}

#[test]
fn closed_wakes_when_the_receiver_goes() {
    let (promise, rx) = weft_sync::oneshot::<u8>();
    let mut closed = Box::pin(promise.closed());
    let flag = Flag::new();
    assert!(flag.poll(&mut closed).is_pending());
    drop(rx);
    assert!(flag.is_set());
    assert!(flag.poll(&mut closed).is_ready());
    on_each(|| async {
        let (promise, rx) = weft_sync::oneshot::<u8>();
        let dropper = async move {
            common::yield_now().await; // let `closed` wait first
            drop(rx);
        };
        futures::join!(promise.closed(), dropper);
        assert!(promise.is_closed());
    });
}

#[test]
fn recv_blocking_from_a_plain_thread() {
    let (promise, rx) = weft_sync::oneshot();
    let t = std::thread::spawn(move || rx.recv_blocking());
    promise.set_result(10).unwrap();
    assert_eq!(t.join().unwrap(), Ok(10));

    let (promise, rx) = weft_sync::oneshot::<u8>();
    let t = std::thread::spawn(move || rx.recv_blocking());
    drop(promise);
    assert_eq!(t.join().unwrap(), Err(Error::Cancelled));
}

#[test]
fn many_parked_receivers_on_a_multi_thread_executor() {
    let ex = weft_executor::Executor::new(2).unwrap();
    let sum = ex.block_on(async {
        let (promises, tasks): (Vec<_>, Vec<_>) = (0..1_000u64)
            .map(|_| {
                let (p, rx) = weft_sync::oneshot::<u64>();
                (p, weft_executor::spawn(async move { rx.await.unwrap() }))
            })
            .unzip();
        for (i, p) in promises.into_iter().enumerate() {
            p.set_result(i as u64).unwrap();
        }
        let mut sum = 0;
        for t in tasks {
            sum += t.await.unwrap();
        }
        sum
    });
    assert_eq!(sum, (0..1_000).sum::<u64>());
}

#[test]
fn halves_are_send_and_sync_and_small() {
    send_sync::<oneshot::Promise<u8>>();
    send_sync::<oneshot::Receiver<u8, String>>();
    send_sync::<oneshot::Closed<'static, u8>>();
    assert_eq!(std::mem::size_of::<oneshot::Receiver<u8>>(), 8);
    assert_eq!(std::mem::size_of::<oneshot::Promise<u8>>(), 8);
    // Memory per parked task: the shared allocation is the Arc's two counts and this.
    assert!(oneshot::__inner_size::<(), std::convert::Infallible>() <= 40);
}
