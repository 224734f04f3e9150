//! Model checks of the lock's hand-off (`src/lock/raw.rs`): a release racing a
//! waiter that is cancelled, with another waiter behind it. A lost hand-off leaves
//! the last waiter blocked for good, which loom reports as a deadlock.
//!
//! Run with `RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test --release
//! -p weft-sync --test loom_lock`.
#![cfg(loom)]

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::task::noop_waker_ref;
use loom::sync::Arc;
use loom::thread;
use weft_sync::Lock;

fn model(f: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(3);
    }
    builder.check(f);
}

fn poll_once<F: Future + Unpin>(f: &mut F) -> Poll<F::Output> {
    Pin::new(f).poll(&mut Context::from_waker(noop_waker_ref()))
}

#[test]
fn hand_off_survives_a_cancelled_waiter() {
    model(|| {
        let lock = Arc::new(Lock::new(0));
        let guard = lock.try_lock().unwrap();
        let canceller = {
            let lock = lock.clone();
            thread::spawn(move || {
                let mut fut = lock.lock();
                if let Poll::Ready(mut g) = poll_once(&mut fut) {
                    *g += 1;
                }
                // Dropped here: queued, handed the lock, or done.
            })
        };
        let waiter = {
            let lock = lock.clone();
            thread::spawn(move || {
                *lock.lock_blocking() += 1;
            })
        };
        drop(guard);
        canceller.join().unwrap();
        waiter.join().unwrap();
        let st = lock.__state();
        let n = *lock.try_lock().unwrap_or_else(|_| panic!("state {st}"));
        assert!(n == 1 || n == 2);
    });
}

#[test]
fn two_lockers_exclude_each_other() {
    model(|| {
        let lock = Arc::new(Lock::new(0));
        let other = {
            let lock = lock.clone();
            thread::spawn(move || {
                let mut g = lock.lock_blocking();
                *g += 1;
            })
        };
        {
            let mut g = lock.lock_blocking();
            *g += 1;
        }
        other.join().unwrap();
        assert_eq!(*lock.try_lock().unwrap(), 2);
    });
}
