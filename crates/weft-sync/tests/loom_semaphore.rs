//! Model checks of the semaphore (`src/semaphore/raw.rs`): a release racing a
//! waiter that is cancelled, with another waiter behind it, and a release racing a
//! waiter joining the queue. A lost wake-up leaves a waiter blocked for good (a loom
//! deadlock); removing the joining waiter's own dispatch makes the second model fail.
//!
//! Run with `RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test --release
//! -p weft-sync --test loom_semaphore`.
#![cfg(loom)]

mod loom_common;

use loom::sync::Arc;
use loom::thread;
use loom_common::{model, poll_once};
use weft_sync::Semaphore;

#[test]
fn release_survives_a_cancelled_waiter() {
    model(2, || {
        let sem = Arc::new(Semaphore::new(1));
        let permit = sem.try_acquire().unwrap();
        let canceller = {
            let sem = sem.clone();
            thread::spawn(move || {
                let mut fut = sem.acquire();
                let _ = poll_once(&mut fut);
            })
        };
        let waiter = {
            let sem = sem.clone();
            thread::spawn(move || {
                let p = sem.acquire_blocking().unwrap();
                drop(p);
            })
        };
        drop(permit);
        canceller.join().unwrap();
        waiter.join().unwrap();
        assert_eq!(sem.available(), 1);
    });
}

#[test]
fn acquire_and_release_between_two_tasks() {
    model(2, || {
        let sem = Arc::new(Semaphore::new(1));
        let other = {
            let sem = sem.clone();
            thread::spawn(move || {
                drop(sem.acquire_blocking().unwrap());
            })
        };
        drop(sem.acquire_blocking().unwrap());
        other.join().unwrap();
        assert_eq!(sem.available(), 1);
    });
}
