//! Model checks of the oneshot channel (`src/oneshot.rs`): setting against
//! receiving, dropping the promise against receiving, dropping the receiver against
//! setting. A lost wake-up leaves the receiver blocked (a loom deadlock); a value
//! lost or dropped twice fails the assertions.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test --release -p weft-sync --test loom_oneshot`.
#![cfg(loom)]

use std::future::Future;

use loom::sync::Arc;
use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::thread;
use weft_sync::oneshot;

/// Runs `f` to completion on this loom thread, parking it while `f` waits.
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    struct Unpark(loom::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = std::task::Waker::from(std::sync::Arc::new(Unpark(loom::thread::current())));
    let mut f = std::pin::pin!(f);
    loop {
        if let std::task::Poll::Ready(out) =
            f.as_mut().poll(&mut std::task::Context::from_waker(&waker))
        {
            return out;
        }
        loom::thread::park();
    }
}

fn model_bounded(preemptions: usize, f: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(preemptions);
    }
    builder.check(f);
}

#[test]
fn set_against_receive() {
    model_bounded(3, || {
        let (promise, rx) = oneshot::channel::<u8, ()>();
        let t = thread::spawn(move || promise.set_result(5).unwrap());
        assert_eq!(block_on(rx), Ok(5));
        t.join().unwrap();
    });
}

#[test]
fn promise_dropped_against_receive() {
    model_bounded(3, || {
        let (promise, rx) = oneshot::channel::<u8, ()>();
        let t = thread::spawn(move || drop(promise));
        assert_eq!(block_on(rx), Err(oneshot::Error::Cancelled));
        t.join().unwrap();
    });
}

/// Counts its drops.
struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn receiver_dropped_against_set() {
    model_bounded(3, || {
        let drops = Arc::new(AtomicUsize::new(0));
        let (promise, rx) = oneshot::channel::<Counted, ()>();
        let t = thread::spawn(move || drop(rx));
        let value = Counted(drops.clone());
        match promise.set_result(value) {
            // Handed back: the receiver was gone.
            Err(v) => drop(v),
            Ok(()) => {}
        }
        t.join().unwrap();
        // Either way the value is dropped exactly once.
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    });
}

#[test]
fn closed_against_receiver_drop() {
    model_bounded(3, || {
        let (promise, rx) = oneshot::channel::<u8, ()>();
        let t = thread::spawn(move || drop(rx));
        block_on(promise.closed());
        assert!(promise.is_closed());
        t.join().unwrap();
    });
}
