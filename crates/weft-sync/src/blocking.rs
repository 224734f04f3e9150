//! Running a poll function to completion on a plain thread: the `_blocking` methods
//! of the primitives whose waiters are wakers (not event-listener listeners).

use std::sync::Arc as StdArc;
use std::task::{Context, Poll, Wake, Waker};

use crate::sync::thread;

/// Wakes the thread parked in [`block_on_poll`].
struct Unparker(thread::Thread);

impl Wake for Unparker {
    fn wake(self: StdArc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &StdArc<Self>) {
        self.0.unpark();
    }
}

/// Calls `poll` until it is ready, parking the thread in between (a wake-up unparks
/// it; a spurious unpark only costs another call).
pub(crate) fn block_on_poll<T>(mut poll: impl FnMut(&mut Context<'_>) -> Poll<T>) -> T {
    let waker = Waker::from(StdArc::new(Unparker(thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(out) = poll(&mut cx) {
            return out;
        }
        thread::park();
    }
}
