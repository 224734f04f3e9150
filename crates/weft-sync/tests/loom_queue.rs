//! Model checks of the queue's protocol (`src/queue/core.rs`): a put against a
//! getter that is cancelled after it was polled, with another getter waiting. A lost
//! wake-up leaves the second getter blocked, which loom reports as a deadlock; a lost
//! item fails the assertion.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test --release -p weft-sync --test loom_queue`.
#![cfg(loom)]

use std::future::Future;
use std::pin::pin;
use std::task::Context;

use futures::task::noop_waker_ref;
use loom::thread;
use weft_sync::Queue;

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

/// Runs `f` under loom with at most `preemptions` preemptions per execution
/// (`LOOM_MAX_PREEMPTIONS` overrides it).
fn model_bounded(preemptions: usize, f: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(preemptions);
    }
    builder.check(f);
}

#[test]
fn put_against_a_cancelled_getter() {
    model_bounded(3, || {
        let q = Queue::new(1);
        let producer = thread::spawn({
            let q = q.clone();
            move || block_on(q.put(7)).unwrap()
        });
        // Polled once (maybe woken by the put), then cancelled; an item it did
        // return counts as got.
        let early = {
            let mut cancelled = pin!(q.get());
            match cancelled
                .as_mut()
                .poll(&mut Context::from_waker(noop_waker_ref()))
            {
                std::task::Poll::Ready(x) => Some(x),
                std::task::Poll::Pending => None,
            }
        };
        // If the cancelled getter took nothing, the item is still there for this one.
        let got = early.unwrap_or_else(|| block_on(q.get()));
        assert_eq!(got, Ok(7));
        producer.join().unwrap();
    });
}

#[test]
fn two_getters_one_cancelled_after_its_wake_up() {
    model_bounded(2, || {
        let q = Queue::new(0);
        let waiter = thread::spawn({
            let q = q.clone();
            move || block_on(q.get()).unwrap()
        });
        let mut cancelled = Box::pin(q.get());
        // The queue is empty: nothing to take yet.
        assert!(
            cancelled
                .as_mut()
                .poll(&mut Context::from_waker(noop_waker_ref()))
                .is_pending()
        );
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
