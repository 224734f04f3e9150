//! Model checks of the broadcast channel (`src/broadcast/core.rs`): a send against
//! two receivers waiting for it, one of them cancelled after its first poll; and a
//! receiver dropped against a send and a receive. A lost wake-up leaves a receiver
//! blocked (a loom deadlock); a value lost, duplicated or freed too early fails the
//! assertions.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test --release -p weft-sync --test loom_broadcast`.
#![cfg(loom)]

use std::future::Future;
use std::task::Context;

use futures::task::noop_waker_ref;
use loom::thread;
use weft_sync::broadcast::{self, RecvError, TryRecvError};

/// Runs `f` to completion on this loom thread, parking it while `f` waits.
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    struct Unpark(loom::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = std::task::Waker::from(std::sync::Arc::new(Unpark(loom::thread::current())));
    let mut f = std::pin::pin!(f);
    loop {
        if let std::task::Poll::Ready(out) =
            f.as_mut().poll(&mut std::task::Context::from_waker(&waker))
        {
            return out;
        }
        loom::thread::park();
    }
}

fn model_bounded(preemptions: usize, f: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(preemptions);
    }
    builder.check(f);
}

#[test]
fn send_against_two_receivers() {
    model_bounded(3, || {
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
        let early = {
            let mut cancelled = Box::pin(a.recv());
            match cancelled
                .as_mut()
                .poll(&mut Context::from_waker(noop_waker_ref()))
            {
                std::task::Poll::Ready(v) => Some(v),
                std::task::Poll::Pending => None,
            }
        };
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
    model_bounded(3, || {
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
