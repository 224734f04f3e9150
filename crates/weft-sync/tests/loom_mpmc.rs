//! Model checks of the MPMC channel (`src/mpmc/core.rs`): bounded sends against
//! receives, with a receive that is cancelled after it was polled. A lost wake-up
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
