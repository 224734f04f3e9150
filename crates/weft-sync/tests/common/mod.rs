//! Helpers shared by the primitives', queues' and channels' tests: run one async
//! body on each executor, join futures in a fixed polling order, yield, poll by hand
//! with wakers that record their wake-ups, and count drops.
#![allow(dead_code, unreachable_pub)]

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};

use futures::task::noop_waker_ref;

/// Runs the body made by `body` on a weft `LocalExecutor`, a multi-thread weft
/// `Executor` (2 workers), a current-thread tokio runtime and `futures`' executor.
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

/// Yields once to the executor (wakes itself, returns `Pending` once).
pub fn yield_now() -> impl Future<Output = ()> + Send {
    let mut yielded = false;
    std::future::poll_fn(move |cx| {
        if yielded {
            return Poll::Ready(());
        }
        yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    })
}

/// Runs `futures` to completion, polling the pending ones in index order on every
/// wake-up (so the first poll of each happens in index order); their outputs in order.
pub async fn join_in_order<F: Future + Unpin>(futures: Vec<F>) -> Vec<F::Output> {
    let mut slots: Vec<(F, Option<F::Output>)> = futures.into_iter().map(|f| (f, None)).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (f, out) in slots.iter_mut() {
            if out.is_none() {
                match Pin::new(f).poll(cx) {
                    Poll::Ready(v) => *out = Some(v),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    slots.into_iter().map(|(_, out)| out.unwrap()).collect()
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

    /// Whether it was woken since the last `poll`.
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

/// Polls each of `futures` once, in order, with a `Flag` of its own; each must be
/// pending. The futures with their flags.
#[track_caller]
pub fn pending_with_flags<F: Future + Unpin>(
    futures: impl IntoIterator<Item = F>,
) -> Vec<(F, Arc<Flag>)> {
    let mut waits: Vec<_> = futures.into_iter().map(|f| (f, Flag::new())).collect();
    for (f, flag) in &mut waits {
        assert!(flag.poll(f).is_pending());
    }
    waits
}

/// Asserts that every flag of `waits` was woken and that its future is now ready with
/// `expected`.
#[track_caller]
pub fn assert_all_woken_and_ready<F>(waits: &mut [(F, Arc<Flag>)], expected: F::Output)
where
    F: Future + Unpin,
    F::Output: Clone + PartialEq + Debug,
{
    for (f, flag) in waits {
        assert!(flag.is_set());
        assert_eq!(flag.poll(f), Poll::Ready(expected.clone()));
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

/// Asserts at compile time that `T` is `Send + Sync`.
pub fn send_sync<T: Send + Sync>() {}

/// Asserts at compile time that `T` is `Send`.
pub fn send<T: Send>() {}
