//! Model checks of the MPMC channel (`src/mpmc/core.rs`): bounded sends against
//! receives, with a receive that is cancelled after it was polled. A lost wake-up
//! leaves a side blocked (a loom deadlock); a lost value fails the assertion.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test --release -p weft-sync --test loom_mpmc`.
#![cfg(loom)]

use std::future::Future;
use std::task::Context;

use futures::task::noop_waker_ref;
use loom::thread;

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
fn bounded_send_against_a_cancelled_receive() {
    model_bounded(2, || {
        let (tx, rx) = weft_sync::channel(1);
        let producer = thread::spawn(move || {
            block_on(async {
                tx.send(1).await.unwrap();
                tx.send(2).await.unwrap();
            })
        });
        // Polled once, then cancelled; a value it did return counts as received.
        let early = {
            let mut cancelled = Box::pin(rx.recv());
            match cancelled
                .as_mut()
                .poll(&mut Context::from_waker(noop_waker_ref()))
            {
                std::task::Poll::Ready(v) => Some(v),
                std::task::Poll::Pending => None,
            }
        };
        let a = early.unwrap_or_else(|| block_on(rx.recv()));
        let b = block_on(rx.recv());
        assert_eq!((a, b), (Ok(1), Ok(2)));
        assert!(block_on(rx.recv()).is_err(), "closed once sent");
        producer.join().unwrap();
    });
}
