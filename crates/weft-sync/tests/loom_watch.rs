//! Model checks of the watch channel (`src/watch/core.rs`): a send against a
//! `changed()` that is cancelled after its first poll, and the sender's drop against
//! `changed()`. A lost wake-up leaves the receiver blocked (a loom deadlock); a
//! change missed or reported twice fails the assertions.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test --release -p weft-sync --test loom_watch`.
#![cfg(loom)]

use std::future::Future;
use std::task::Context;

use futures::task::noop_waker_ref;
use loom::thread;
use weft_sync::watch::{self, RecvError};

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
fn send_against_a_cancelled_changed() {
    model_bounded(3, || {
        let (tx, mut rx) = watch::channel(0);
        // The sender stays alive: only the send's own wake-up can end the wait.
        let producer = thread::spawn(move || {
            tx.send(1).unwrap();
            tx
        });
        // Polled once, then cancelled; a change it did report counts as seen.
        let early = {
            let mut cancelled = Box::pin(rx.changed());
            match cancelled
                .as_mut()
                .poll(&mut Context::from_waker(noop_waker_ref()))
            {
                std::task::Poll::Ready(r) => Some(r),
                std::task::Poll::Pending => None,
            }
        };
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
    model_bounded(3, || {
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
