//! Model checks of the lock's hand-off (`src/lock/raw.rs`): a release racing a
//! waiter that is cancelled, with another waiter behind it. A lost hand-off leaves
//! the last waiter blocked for good, which loom reports as a deadlock.
//!
//! Run with `RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test --release
//! -p weft-sync --test loom_lock`.
#![cfg(loom)]

mod loom_common;

use std::task::Poll;

use loom::sync::Arc;
use loom::thread;
use loom_common::{model, poll_once};
use weft_sync::Lock;

#[test]
fn hand_off_survives_a_cancelled_waiter() {
    model(3, || {
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
    model(3, || {
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
