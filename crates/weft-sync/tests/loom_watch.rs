//! Model checks of the watch channel (`src/watch/core.rs`): a send against a
//! `changed()` that is cancelled after its first poll, and the sender's drop against
//! `changed()`. A lost wake-up leaves the receiver blocked (a loom deadlock); a
//! change missed or reported twice fails the assertions.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test --release -p weft-sync --test loom_watch`.
#![cfg(loom)]

mod loom_common;

use loom::thread;
use loom_common::{block_on, model, poll_then_cancel};
use weft_sync::watch::{self, RecvError};

#[test]
fn send_against_a_cancelled_changed() {
    model(3, || {
        let (tx, mut rx) = watch::channel(0);
        // The sender stays alive: only the send's own wake-up can end the wait.
        let producer = thread::spawn(move || {
            tx.send(1).unwrap();
            tx
        });
        // Polled once, then cancelled; a change it did report counts as seen.
        let early = poll_then_cancel(rx.changed());
        let got = early.unwrap_or_else(|| block_on(rx.changed()));
        assert_eq!(got, Ok(()));
        assert_eq!(*rx.borrow(), 1);
        let tx = producer.join().unwrap();
        assert_eq!(rx.has_changed(), Ok(false), "one change, reported once");
        drop(tx);
        assert_eq!(block_on(rx.changed()), Err(RecvError));
    });
}

#[test]
fn sender_dropped_against_changed() {
    model(3, || {
        let (tx, mut rx) = watch::channel(0);
        let producer = thread::spawn(move || {
            tx.send_replace(1);
            drop(tx);
        });
        assert_eq!(block_on(rx.changed()), Ok(()));
        assert_eq!(*rx.borrow_and_update(), 1);
        assert_eq!(block_on(rx.changed()), Err(RecvError));
        producer.join().unwrap();
    });
}
