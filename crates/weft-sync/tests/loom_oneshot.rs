//! Model checks of the oneshot channel (`src/oneshot.rs`): setting against
//! receiving, dropping the promise against receiving, dropping the receiver against
//! setting. A lost wake-up leaves the receiver blocked (a loom deadlock); a value
//! lost or dropped twice fails the assertions.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test --release -p weft-sync --test loom_oneshot`.
#![cfg(loom)]

mod loom_common;

use loom::sync::Arc;
use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::thread;
use loom_common::{block_on, model};
use weft_sync::oneshot;

#[test]
fn set_against_receive() {
    model(3, || {
        let (promise, rx) = oneshot::channel::<u8, ()>();
        let t = thread::spawn(move || promise.set_result(5).unwrap());
        assert_eq!(block_on(rx), Ok(5));
        t.join().unwrap();
    });
}

#[test]
fn promise_dropped_against_receive() {
    model(3, || {
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
    model(3, || {
        let drops = Arc::new(AtomicUsize::new(0));
        let (promise, rx) = oneshot::channel::<Counted, ()>();
        let t = thread::spawn(move || drop(rx));
        let value = Counted(drops.clone());
        if let Err(v) = promise.set_result(value) {
            // Handed back: the receiver was gone.
            drop(v);
        }
        t.join().unwrap();
        // Either way the value is dropped exactly once.
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    });
}

#[test]
fn closed_against_receiver_drop() {
    model(3, || {
        let (promise, rx) = oneshot::channel::<u8, ()>();
        let t = thread::spawn(move || drop(rx));
        block_on(promise.closed());
        assert!(promise.is_closed());
        t.join().unwrap();
    });
}
