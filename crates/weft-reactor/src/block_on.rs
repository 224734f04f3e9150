//! `block_on`: run a future on the current thread, driving the reactor while it waits.

use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

use crate::driver::{Driver, Presence};
use crate::reactor::{self, Reactor};

/// How a `block_on` thread is woken.
struct Signal {
    /// The future was woken and must be polled again.
    woken: AtomicBool,
    /// The thread is driving the reactor (or about to): wake it through the poller.
    in_reactor: AtomicBool,
    thread: Thread,
}

impl Wake for Signal {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if self.woken.swap(true, Ordering::SeqCst) {
            return;
        }
        if self.in_reactor.load(Ordering::SeqCst) {
            // From the driving thread itself nothing is needed: it looks at `woken`
            // as soon as its turn ends.
            if !reactor::in_react() {
                Reactor::get().notify();
            }
        } else {
            // Cheap when the thread is not parked: one atomic swap.
            self.thread.unpark();
        }
    }
}

thread_local! {
    /// The thread's `Signal` and waker, reused by every `block_on` on it; a nested
    /// `block_on` finds the cell empty and makes its own.
    static CACHE: RefCell<Option<(Arc<Signal>, Waker)>> = const { RefCell::new(None) };
}

/// Runs `future` to completion on the current thread, driving the reactor while the
/// future waits: the I/O and timers it waits on are served by this very thread, with
/// no other thread involved.
///
/// When another thread is already driving the reactor, this one parks until its
/// future is woken or the driver lets go. It may be called from any thread, and
/// nested.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft_reactor::{block_on, time::sleep};
///
/// let answer = block_on(async {
///     sleep(Duration::from_millis(1)).await;
///     42
/// });
/// assert_eq!(answer, 42);
/// ```
///
/// # Panics
///
/// When the future panics, or when the poller fails for a reason other than an
/// interrupted wait (the reactor's descriptors were closed under it, say).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let _presence = Presence::new();
    let cached = CACHE.with(|c| c.try_borrow_mut().ok().and_then(|mut c| c.take()));
    let entry = cached.unwrap_or_else(|| {
        let signal = Arc::new(Signal {
            woken: AtomicBool::new(false),
            in_reactor: AtomicBool::new(false),
            thread: thread::current(),
        });
        let waker = Waker::from(signal.clone());
        (signal, waker)
    });
    /// Owns the thread's signal and waker while `block_on` runs, and puts them back
    /// in the cache when it returns or unwinds.
    struct Restore(Option<(Arc<Signal>, Waker)>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let entry = self.0.take();
            CACHE.with(|c| {
                if let Ok(mut c) = c.try_borrow_mut() {
                    *c = entry;
                }
            });
        }
    }
    let restore = Restore(Some(entry));
    let (signal, waker) = restore.0.as_ref().expect("held until drop");
    // A panic out of an earlier turn (a waker's) may have left this set.
    signal.in_reactor.store(false, Ordering::SeqCst);

    let mut cx = Context::from_waker(waker);
    let mut future = pin!(future);
    loop {
        signal.woken.store(false, Ordering::SeqCst);
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        wait(signal);
    }
}

/// Waits until the future is woken, driving the reactor if no one else does.
fn wait(signal: &Signal) {
    let mut driver: Option<Driver> = None;
    while !signal.woken.load(Ordering::SeqCst) {
        let Some(d) = driver.as_mut() else {
            driver = Driver::try_lock_or_queue(&signal.thread);
            if driver.is_none() {
                // Unparked by the future's waker or by the driver letting go.
                thread::park();
            }
            continue;
        };
        signal.in_reactor.store(true, Ordering::SeqCst);
        // A wake that came before `in_reactor` was set went to `unpark`, not to the
        // poller: look once more before sleeping in it.
        if signal.woken.load(Ordering::SeqCst) {
            signal.in_reactor.store(false, Ordering::SeqCst);
            break;
        }
        let res = d.react(None);
        signal.in_reactor.store(false, Ordering::SeqCst);
        if let Err(e) = res {
            panic!("weft-reactor: waiting for events failed: {e}");
        }
    }
}
