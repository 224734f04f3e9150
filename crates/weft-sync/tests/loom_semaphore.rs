//! Model checks of the semaphore (`src/semaphore/raw.rs`): a release racing a
//! waiter that is cancelled, with another waiter behind it, and a release racing a
//! waiter joining the queue. A lost wake-up leaves a waiter blocked for good (a loom
//! deadlock); removing the joining waiter's own dispatch makes the second model fail.
//!
//! Run with `RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test --release
//! -p weft-sync --test loom_semaphore`.
#![cfg(loom)]

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::task::noop_waker_ref;
use loom::sync::Arc;
use loom::thread;
use weft_sync::Semaphore;

fn model(f: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(2);
    }
    builder.check(f);
}

fn poll_once<F: Future + Unpin>(f: &mut F) -> Poll<F::Output> {
    Pin::new(f).poll(&mut Context::from_waker(noop_waker_ref()))
}

#[test]
fn release_survives_a_cancelled_waiter() {
    model(|| {
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
    model(|| {
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
