//! Helpers shared by the combinator tests: executors, drop guards, gates, and a
//! counting waker.

#![allow(dead_code)] // each test file uses a part

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

/// Runs the future made by `make` to completion under weft's `block_on`,
/// `futures::executor::block_on` and a tokio current-thread runtime, in turn.
pub(crate) fn everywhere<F, Fut>(make: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()>,
{
    weft_reactor::block_on(make());
    futures::executor::block_on(make());
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(make());
}

/// Sets its flag when dropped.
pub(crate) struct DropGuard(Arc<AtomicBool>);

impl DropGuard {
    /// A guard and the flag it sets.
    pub(crate) fn new() -> (DropGuard, Arc<AtomicBool>) {
        let flag = Arc::new(AtomicBool::new(false));
        (DropGuard(flag.clone()), flag)
    }
}

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// A future that never finishes and sets a flag when dropped.
pub(crate) fn pending_guarded<T>() -> (impl Future<Output = T>, Arc<AtomicBool>) {
    let (guard, flag) = DropGuard::new();
    let fut = async move {
        let _guard = guard;
        std::future::pending::<T>().await
    };
    (fut, flag)
}

/// A one-shot signal: `open` it, and every `wait` future finishes.
#[derive(Clone, Default)]
pub(crate) struct Gate(Arc<Mutex<GateState>>);

#[derive(Default)]
struct GateState {
    open: bool,
    wakers: Vec<Waker>,
}

impl Gate {
    pub(crate) fn new() -> Gate {
        Gate::default()
    }

    /// Opens the gate and wakes its waiters.
    pub(crate) fn open(&self) {
        let wakers = {
            let mut state = self.0.lock().unwrap();
            state.open = true;
            std::mem::take(&mut state.wakers)
        };
        wakers.into_iter().for_each(Waker::wake);
    }

    /// Finishes once the gate is open.
    pub(crate) fn wait(&self) -> GateWait {
        GateWait(self.clone())
    }
}

/// The future of [`Gate::wait`].
pub(crate) struct GateWait(Gate);

impl Future for GateWait {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = (self.0).0.lock().unwrap();
        if state.open {
            Poll::Ready(())
        } else {
            state.wakers.push(cx.waker().clone());
            Poll::Pending
        }
    }
}

/// A future that counts its polls in `polls` and finishes once `gate` is open.
pub(crate) fn counted(gate: &Gate, polls: &Arc<AtomicUsize>) -> impl Future<Output = ()> + use<> {
    let (gate, polls) = (gate.clone(), polls.clone());
    let mut wait = gate.wait();
    std::future::poll_fn(move |cx| {
        polls.fetch_add(1, Ordering::SeqCst);
        Pin::new(&mut wait).poll(cx)
    })
}

/// A waker that counts its wake-ups.
#[derive(Default)]
pub(crate) struct CountingWaker(AtomicUsize);

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

impl CountingWaker {
    /// A counter and a waker that bumps it.
    pub(crate) fn new() -> (Arc<CountingWaker>, Waker) {
        let counter = Arc::new(CountingWaker::default());
        (counter.clone(), Waker::from(counter))
    }

    pub(crate) fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Returns `Pending` once, waking its task at once: a task switch, as
/// `weft::yield_now` makes, on any executor.
pub(crate) async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            return Poll::Ready(());
        }
        yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    })
    .await
}

/// A future that wakes itself at every poll and never finishes.
pub(crate) fn spinning<T>() -> impl Future<Output = T> {
    std::future::poll_fn(|cx| {
        cx.waker().wake_by_ref();
        Poll::Pending
    })
}
