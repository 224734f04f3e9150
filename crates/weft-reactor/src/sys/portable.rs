//! Every Unix but Linux: the `polling` crate, edge-triggered.
//!
//! Sources are added once in `PollMode::Edge` and never re-armed. A poller without
//! edge-triggered mode (illumos event ports, plain `poll`) is refused at start-up with
//! an `Unsupported` error rather than served by a slower, different protocol.

use std::io;
use std::num::NonZeroUsize;
use std::os::fd::{BorrowedFd, RawFd};
use std::time::Duration;

use polling::{Event as PEvent, PollMode};

use super::{EVENTS_CAPACITY, Event};

/// A `polling::Poller` used in edge-triggered mode.
pub(crate) struct Poller {
    poller: polling::Poller,
}

/// A buffer of `polling` events.
pub(crate) struct Events {
    inner: polling::Events,
}

impl Events {
    pub(crate) fn new() -> Events {
        let cap = NonZeroUsize::new(EVENTS_CAPACITY).expect("capacity is not zero");
        Events {
            inner: polling::Events::with_capacity(cap),
        }
    }

    /// The events of the last wait.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Event> + '_ {
        self.inner.iter().map(|ev| {
            let failed = ev.is_err() == Some(true) || ev.is_interrupt();
            Event {
                key: ev.key,
                readable: failed || ev.readable,
                writable: failed || ev.writable,
                // `polling` reports an end of stream as plain readability on some
                // backends (kqueue's EV_EOF, epoll's EPOLLRDHUP): assume any.
                read_closed: failed || ev.readable,
            }
        })
    }
}

impl Poller {
    pub(crate) fn new() -> io::Result<Poller> {
        let poller = polling::Poller::new()?;
        if !poller.supports_edge() {
            return Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "weft-reactor needs an edge-triggered poller, and this platform's has none",
            ));
        }
        Ok(Poller { poller })
    }

    /// Adds `fd`, edge-triggered for reading and writing, under `key`.
    pub(crate) fn add(&self, fd: RawFd, key: usize) -> io::Result<()> {
        // SAFETY: `polling` asks that the source be deleted before it is closed. The
        // reactor adds only descriptors owned by an `Async`, which deletes its source
        // before it drops (and so closes) the descriptor.
        unsafe {
            self.poller
                .add_with_mode(fd, PEvent::all(key), PollMode::Edge)
        }
    }

    /// Removes `fd`.
    pub(crate) fn delete(&self, fd: RawFd) -> io::Result<()> {
        // SAFETY: the caller (an `Async` being dropped) still owns `fd`, so it stays
        // open for the length of this borrow.
        let fd = unsafe { BorrowedFd::borrow_raw(fd) };
        self.poller.delete(fd)
    }

    /// Waits for events until `timeout`; an interrupted wait returns no events.
    pub(crate) fn wait(&self, events: &mut Events, timeout: Option<Duration>) -> io::Result<()> {
        events.inner.clear();
        match self.poller.wait(&mut events.inner, timeout) {
            Ok(_) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Wakes a thread blocked in [`Poller::wait`], or makes the next wait return.
    pub(crate) fn notify(&self) -> io::Result<()> {
        self.poller.notify()
    }
}
