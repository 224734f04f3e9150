//! Model checks of the event (`src/event.rs`) and the barrier (`src/barrier.rs`):
//! a `set` racing a `wait`, a cancelled waiter and a waiting one racing a `set` (the
//! cancelled one's slot must not be lost or freed twice, so a later wait still
//! works), and two parties tripping a barrier. A lost wake-up is a loom
//! deadlock.
//!
//! Run with `RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test --release
//! -p weft-sync --test loom_event`.
#![cfg(loom)]

mod loom_common;

use loom::sync::Arc;
use loom::thread;
use loom_common::{model, poll_then_cancel};
use weft_sync::{Barrier, Event};

#[test]
fn set_wakes_a_racing_wait() {
    model(3, || {
        let event = Arc::new(Event::new());
        let waiter = {
            let event = event.clone();
            thread::spawn(move || event.wait_blocking())
        };
        event.set();
        waiter.join().unwrap();
    });
}

#[test]
fn a_cancelled_waiter_against_set() {
    model(3, || {
        let event = Arc::new(Event::new());
        let cancelled = {
            let event = event.clone();
            thread::spawn(move || {
                let _ = poll_then_cancel(event.wait());
            })
        };
        let waiter = {
            let event = event.clone();
            thread::spawn(move || event.wait_blocking())
        };
        event.set();
        cancelled.join().unwrap();
        waiter.join().unwrap();
        // The list is usable afterwards: a new waiter is woken by a new set.
        event.clear();
        let again = {
            let event = event.clone();
            thread::spawn(move || event.wait_blocking())
        };
        event.set();
        again.join().unwrap();
    });
}

#[test]
fn barrier_of_two_trips_once_with_one_leader() {
    model(3, || {
        let barrier = Arc::new(Barrier::new(2));
        let other = {
            let barrier = barrier.clone();
            thread::spawn(move || barrier.wait_blocking().unwrap())
        };
        let mine = barrier.wait_blocking().unwrap();
        let theirs = other.join().unwrap();
        assert!(mine.is_leader() != theirs.is_leader());
        assert_eq!(mine.index() + theirs.index(), 1);
    });
}
