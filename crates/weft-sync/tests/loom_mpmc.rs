//! Model checks of the MPMC channel (`src/mpmc/core.rs`): bounded sends against
//! receives, with a receive that is cancelled after it was polled, and a waiting
//! send cancelled while the slot it waits for is freed. A lost wake-up
//! leaves a side blocked (a loom deadlock); a lost value fails the assertion.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test --release -p weft-sync --test loom_mpmc`.
#![cfg(loom)]

mod loom_common;

use loom::thread;
use loom_common::{block_on, model, poll_then_cancel};

#[test]
fn bounded_send_against_a_cancelled_receive() {
    model(2, || {
        let (tx, rx) = weft_sync::channel(1);
        let producer = thread::spawn(move || {
            block_on(async {
                tx.send(1).await.unwrap();
                tx.send(2).await.unwrap();
            })
        });
        // Polled once, then cancelled; a value it did return counts as received.
        let early = poll_then_cancel(rx.recv());
        let a = early.unwrap_or_else(|| block_on(rx.recv()));
        let b = block_on(rx.recv());
        assert_eq!((a, b), (Ok(1), Ok(2)));
        assert!(block_on(rx.recv()).is_err(), "closed once sent");
        producer.join().unwrap();
    });
}

#[test]
fn a_cancelled_send_passes_its_slot_on() {
    model(2, || {
        let (tx, rx) = weft_sync::channel(1);
        tx.try_send(0).unwrap();
        let other = tx.clone();
        let extra = rx.clone();
        let sender = thread::spawn(move || block_on(other.send(1)).unwrap());
        let consumer = thread::spawn(move || {
            let a = block_on(rx.recv()).unwrap();
            let b = block_on(rx.recv()).unwrap();
            (a, b)
        });
        // Waits behind the full channel, perhaps first in line, then goes. If the
        // consumer's receive notified it, the notification must reach `sender`.
        let early = poll_then_cancel(tx.send(2));
        let taken_here = early.map(|sent| {
            sent.unwrap();
            block_on(extra.recv()).unwrap()
        });
        sender.join().unwrap();
        let (a, b) = consumer.join().unwrap();
        let mut got: Vec<_> = [a, b].into_iter().chain(taken_here).collect();
        got.sort();
        let want: &[i32] = if early.is_some() { &[0, 1, 2] } else { &[0, 1] };
        assert_eq!(got, want);
    });
}
