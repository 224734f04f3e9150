//! Model checks of the broadcast channel (`src/broadcast/core.rs`): a send against
//! two receivers waiting for it, one of them cancelled after its first poll; and a
//! receiver dropped against a send and a receive. A lost wake-up leaves a receiver
//! blocked (a loom deadlock); a value lost, duplicated or freed too early fails the
//! assertions.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test --release -p weft-sync --test loom_broadcast`.
#![cfg(loom)]

mod loom_common;

use loom::thread;
use loom_common::{block_on, model, poll_then_cancel};
use weft_sync::broadcast::{self, RecvError, TryRecvError};

#[test]
fn send_against_two_receivers() {
    model(3, || {
        let (tx, mut a) = broadcast::channel(1);
        let mut b = tx.subscribe();
        // The sender stays alive: only the send's own wake-up can end the waits.
        let producer = thread::spawn(move || {
            assert_eq!(tx.send(1), Ok(2));
            tx
        });
        let other = thread::spawn(move || {
            assert_eq!(block_on(b.recv()), Ok(1));
            b
        });
        // Polled once, then cancelled; a value it did return counts as received.
        let early = poll_then_cancel(a.recv());
        let got = early.unwrap_or_else(|| block_on(a.recv()));
        assert_eq!(got, Ok(1));
        let tx = producer.join().unwrap();
        let mut b = other.join().unwrap();
        assert!(tx.is_empty(), "both took it: freed");
        drop(tx);
        assert_eq!(block_on(a.recv()), Err(RecvError::Closed));
        assert_eq!(b.try_recv(), Err(TryRecvError::Closed));
    });
}

#[test]
fn receiver_dropped_against_send_and_receive() {
    model(3, || {
        let (tx, mut a) = broadcast::channel(2);
        let b = a.clone();
        let dropper = thread::spawn(move || drop(b));
        let producer = thread::spawn(move || {
            let n = tx.send(1).unwrap();
            assert!(n == 1 || n == 2);
            tx
        });
        assert_eq!(block_on(a.recv()), Ok(1));
        dropper.join().unwrap();
        let tx = producer.join().unwrap();
        assert!(tx.is_empty(), "freed once every receiver took it or went");
        assert_eq!(a.try_recv(), Err(TryRecvError::Empty));
    });
}
