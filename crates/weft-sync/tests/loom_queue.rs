//! Model checks of the queue's protocol (`src/queue/core.rs`): a put against a
//! getter that is cancelled after it was polled, with another getter waiting; a get
//! against a putter that is cancelled, with another putter waiting. A lost
//! wake-up leaves the second getter blocked, which loom reports as a deadlock; a lost
//! item fails the assertion.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test --release -p weft-sync --test loom_queue`.
#![cfg(loom)]

mod loom_common;

use loom::thread;
use loom_common::{block_on, model, poll_once, poll_then_cancel};
use weft_sync::Queue;

#[test]
fn put_against_a_cancelled_getter() {
    model(3, || {
        let q = Queue::new(1);
        let producer = thread::spawn({
            let q = q.clone();
            move || block_on(q.put(7)).unwrap()
        });
        // Polled once (maybe woken by the put), then cancelled; an item it did
        // return counts as got.
        let early = poll_then_cancel(q.get());
        // If the cancelled getter took nothing, the item is still there for this one.
        let got = early.unwrap_or_else(|| block_on(q.get()));
        assert_eq!(got, Ok(7));
        producer.join().unwrap();
    });
}

#[test]
fn two_getters_one_cancelled_after_its_wake_up() {
    model(2, || {
        let q = Queue::new(0);
        let waiter = thread::spawn({
            let q = q.clone();
            move || block_on(q.get()).unwrap()
        });
        let mut cancelled = Box::pin(q.get());
        // The queue is empty: nothing to take yet.
        assert!(poll_once(&mut cancelled).is_pending());
        q.put_nowait(1).unwrap();
        drop(cancelled);
        // Either the waiter gets the item, or it is still in the queue.
        let got = match q.get_nowait() {
            Ok(x) => {
                q.put_nowait(2).unwrap();
                x
            }
            Err(_) => 1,
        };
        assert_eq!(got, 1);
        let w = waiter.join().unwrap();
        assert!(w == 1 || w == 2);
    });
}

#[test]
fn a_cancelled_putter_passes_its_slot_on() {
    model(2, || {
        let q = Queue::new(1);
        q.put_nowait(0).unwrap();
        let putter = thread::spawn({
            let q = q.clone();
            move || block_on(q.put(1)).unwrap()
        });
        let getter = thread::spawn({
            let q = q.clone();
            move || [block_on(q.get()).unwrap(), block_on(q.get()).unwrap()]
        });
        // Waits behind the full queue, perhaps first in line, then goes. If the
        // getter's first get notified it, the notification must reach `putter`.
        let early = poll_then_cancel(q.put(2));
        let taken_here = early.map(|put| {
            put.unwrap();
            q.get_nowait().or_else(|_| block_on(q.get())).unwrap()
        });
        putter.join().unwrap();
        let mut got: Vec<_> = getter
            .join()
            .unwrap()
            .into_iter()
            .chain(taken_here)
            .collect();
        got.sort();
        let want: &[i32] = if taken_here.is_some() {
            &[0, 1, 2]
        } else {
            &[0, 1]
        };
        assert_eq!(got, want);
    });
}
