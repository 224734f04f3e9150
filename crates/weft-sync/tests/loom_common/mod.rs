//! Helpers shared by the loom models: run a future to completion on a loom thread,
//! check a model with a preemption bound, and poll a future once with a waker that
//! does nothing (to cancel it after its first poll).
#![allow(dead_code, unreachable_pub)]

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use futures::task::noop_waker_ref;

/// Runs `f` to completion on this loom thread, parking it while `f` waits.
pub fn block_on<F: Future>(f: F) -> F::Output {
    struct Unpark(loom::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(loom::thread::current())));
    let mut f = std::pin::pin!(f);
    loop {
        if let Poll::Ready(out) = f.as_mut().poll(&mut Context::from_waker(&waker)) {
            return out;
        }
        loom::thread::park();
    }
}

/// Runs `f` under loom with at most `preemptions` preemptions per execution
/// (`LOOM_MAX_PREEMPTIONS` overrides it). Unbounded, these models run for a very
/// long time, and bugs of this kind show within two or three preemptions.
pub fn model(preemptions: usize, f: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(preemptions);
    }
    builder.check(f);
}

/// Polls `f` once with a waker that does nothing.
pub fn poll_once<F: Future + Unpin>(f: &mut F) -> Poll<F::Output> {
    Pin::new(f).poll(&mut Context::from_waker(noop_waker_ref()))
}

/// Polls `f` once with a waker that does nothing, then drops it (cancelling it if it
/// was still pending); its output if that one poll finished it.
pub fn poll_then_cancel<F: Future>(f: F) -> Option<F::Output> {
    match poll_once(&mut std::pin::pin!(f)) {
        Poll::Ready(out) => Some(out),
        Poll::Pending => None,
    }
}
