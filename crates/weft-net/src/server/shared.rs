//! What a server's handle, its accept loop and its connection tasks share: whether
//! it is closed, the live connections, and who waits for the end.

use std::collections::HashMap;
use std::io;
use std::mem;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::Waker;

/// A connection as the server sees it: something it can close or abort.
pub(crate) trait ConnCtl: Send + Sync {
    /// Flush and shut down the write side, and end the handler's reads (EOF).
    fn close(&self);
    /// Reset the connection (TCP: `SO_LINGER` 0) and cancel its handler.
    fn abort(&self);
}

/// Called with every error `accept` returns.
pub(crate) type AcceptErrorHandler = Arc<dyn Fn(&io::Error) + Send + Sync>;

pub(crate) struct Shared {
    state: Mutex<State>,
}

struct State {
    closed: bool,
    /// The accept loop's task is alive (not yet returned or dropped).
    accepting: bool,
    /// The accept loop's waker, for `close` to wake it out of a back-off.
    accept_waker: Option<Waker>,
    conns: HashMap<u64, Arc<dyn ConnCtl>>,
    next_id: u64,
    /// `serve_forever` and `wait_closed` callers; woken at every step of the end.
    waiters: Vec<Waker>,
    /// Stops listening: drops the listeners (and removes Unix socket files).
    stop: Option<Box<dyn FnOnce() + Send>>,
    on_accept_error: Option<AcceptErrorHandler>,
}

fn lock(m: &Mutex<State>) -> MutexGuard<'_, State> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    pub(crate) fn new(stop: Box<dyn FnOnce() + Send>) -> Arc<Shared> {
        Arc::new(Shared {
            state: Mutex::new(State {
                closed: false,
                accepting: true,
                accept_waker: None,
                conns: HashMap::new(),
                next_id: 0,
                waiters: Vec::new(),
                stop: Some(stop),
                on_accept_error: None,
            }),
        })
    }

    pub(crate) fn is_closed(&self) -> bool {
        lock(&self.state).closed
    }

    /// Closed, the accept loop gone, and every connection's handler returned.
    pub(crate) fn is_done(&self) -> bool {
        let st = lock(&self.state);
        st.closed && !st.accepting && st.conns.is_empty()
    }

    /// Stops listening; the connections go on.
    pub(crate) fn close(&self) {
        let (stop, wake) = {
            let mut st = lock(&self.state);
            if st.closed {
                return;
            }
            st.closed = true;
            let mut wake = mem::take(&mut st.waiters);
            wake.extend(st.accept_waker.take());
            (st.stop.take(), wake)
        };
        // Outside the lock: dropping a listener wakes the tasks waiting on it.
        if let Some(stop) = stop {
            stop();
        }
        for w in wake {
            w.wake();
        }
    }

    /// Leaves `waker` to be woken at the next step of the server's end.
    pub(crate) fn wait(&self, waker: &Waker) {
        let mut st = lock(&self.state);
        if !st.waiters.iter().any(|w| w.will_wake(waker)) {
            st.waiters.push(waker.clone());
        }
    }

    /// The accept loop's waker, for `close`. `false` if the server is closed.
    pub(crate) fn set_accept_waker(&self, waker: &Waker) -> bool {
        let mut st = lock(&self.state);
        if st.closed {
            return false;
        }
        match &st.accept_waker {
            Some(w) if w.will_wake(waker) => {}
            _ => st.accept_waker = Some(waker.clone()),
        }
        true
    }

    /// The accept loop has ended.
    pub(crate) fn accept_loop_ended(&self) {
        let wake = {
            let mut st = lock(&self.state);
            st.accepting = false;
            st.accept_waker = None;
            mem::take(&mut st.waiters)
        };
        for w in wake {
            w.wake();
        }
    }

    /// Counts a connection in until its guard drops.
    pub(crate) fn register(self: &Arc<Self>, ctl: Arc<dyn ConnCtl>) -> ConnGuard {
        let mut st = lock(&self.state);
        let id = st.next_id;
        st.next_id += 1;
        st.conns.insert(id, ctl);
        ConnGuard {
            shared: self.clone(),
            id,
        }
    }

    /// The live connections, to close or abort outside the lock.
    pub(crate) fn conns(&self) -> Vec<Arc<dyn ConnCtl>> {
        lock(&self.state).conns.values().cloned().collect()
    }

    pub(crate) fn set_accept_error_handler(&self, handler: AcceptErrorHandler) {
        lock(&self.state).on_accept_error = Some(handler);
    }

    pub(crate) fn report_accept_error(&self, e: &io::Error) {
        let handler = lock(&self.state).on_accept_error.clone();
        if let Some(h) = handler {
            h(e);
        }
    }
}

/// A connection's place in the server; dropping it (the handler returned, panicked,
/// or its task was dropped) takes the connection out.
pub(crate) struct ConnGuard {
    shared: Arc<Shared>,
    id: u64,
}

impl Drop for ConnGuard {
    fn drop(&mut self) {
        let (ctl, wake) = {
            let mut st = lock(&self.shared.state);
            let ctl = st.conns.remove(&self.id);
            let wake = if st.closed && st.conns.is_empty() {
                mem::take(&mut st.waiters)
            } else {
                Vec::new()
            };
            (ctl, wake)
        };
        // Outside the lock: the last reference to the connection's transport may go.
        drop(ctl);
        for w in wake {
            w.wake();
        }
    }
}
