//! The operating system's poller behind one small interface.
//!
//! Linux talks to epoll directly ([`epoll`]); every other Unix uses the `polling`
//! crate in edge-triggered mode ([`portable`]). ARCHITECTURE.md says why. The test-only
//! `--cfg weft_reactor_force_polling` selects the portable backend on Linux too, so
//! that it is built and tested here.
//!
//! Both backends register a source once, for reading and writing, edge-triggered, and
//! never re-arm it; both have a notifier that wakes a blocked [`Poller::wait`].

#[cfg(not(unix))]
compile_error!(
    "weft-reactor supports Unix platforms (Linux through epoll; macOS and the BSDs through \
     the `polling` crate's kqueue backend)"
);

#[cfg(all(target_os = "linux", not(weft_reactor_force_polling)))]
mod epoll;
#[cfg(all(target_os = "linux", not(weft_reactor_force_polling)))]
pub(crate) use epoll::{Events, Poller};

#[cfg(all(unix, any(not(target_os = "linux"), weft_reactor_force_polling)))]
mod portable;
#[cfg(all(unix, any(not(target_os = "linux"), weft_reactor_force_polling)))]
pub(crate) use portable::{Events, Poller};

/// Readiness reported for one registered source.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Event {
    /// The key the source was registered with.
    pub(crate) key: usize,
    /// Reading will not block (data, end of stream, or an error to report).
    pub(crate) readable: bool,
    /// Writing will not block (buffer space, or an error to report).
    pub(crate) writable: bool,
    /// Reading may have reached its end: the peer closed, a hang-up or an error; or
    /// the backend cannot tell an end from data. No later event would announce it
    /// (see `Source::drained`).
    pub(crate) read_closed: bool,
}

/// How many events one wait collects at most; more stay queued in the kernel.
pub(crate) const EVENTS_CAPACITY: usize = 1024;
