//! Helpers shared by the queue and channel tests: run a body on each executor, and
//! poll futures by hand with a waker that records its wake-ups.
#![allow(dead_code, unreachable_pub)]

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};

use futures::task::noop_waker_ref;

/// Runs the body made by `body` on a weft `LocalExecutor`, a multi-thread weft
/// `Executor`, a current-thread tokio runtime and `futures`' executor.
pub fn on_each<F, Fut>(body: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    weft_executor::LocalExecutor::new().block_on(body());
    weft_executor::Executor::new(2).unwrap().block_on(body());
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(body());
    futures::executor::block_on(body());
}

/// A waker that records that it was woken.
pub struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl Flag {
    pub fn new() -> Arc<Flag> {
        Arc::new(Flag(AtomicBool::new(false)))
    }

    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// Clears the flag and polls `f` once with this waker.
    pub fn poll<F: Future + Unpin>(self: &Arc<Self>, f: &mut F) -> Poll<F::Output> {
        self.0.store(false, Ordering::SeqCst);
        let waker = Waker::from(self.clone());
        Pin::new(f).poll(&mut Context::from_waker(&waker))
    }
}

/// Polls `f` once with a waker that does nothing.
pub fn poll_once<F: Future + Unpin>(f: &mut F) -> Poll<F::Output> {
    Pin::new(f).poll(&mut Context::from_waker(noop_waker_ref()))
}

/// Counts its drops.
#[derive(Debug)]
pub struct Counted(pub Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Yields once to the executor (wakes itself, then returns `Pending` once).
pub async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await;
}
