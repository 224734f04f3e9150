//! The futures of the watch channel's waiting methods: [`Changed`], [`WaitFor`] and
//! [`Closed`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use event_listener::EventListener;

use super::core::{CLOSED, Shared};
use super::error::RecvError;
use super::guard::Ref;

/// The future of [`Receiver::changed`](super::Receiver::changed): completes once
/// there is a value the receiver has not seen, and marks it seen.
///
/// # Cancel safety
///
/// Cancel safe: dropped before it completes, it has marked nothing seen, so the next
/// `changed()` reports the change this one would have. Every change wakes every
/// waiting receiver, so no wake-up is lost with it.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let (tx, mut rx) = weft_sync::watch::channel(0);
/// tx.send(1).unwrap();
/// let changed: weft_sync::watch::Changed<'_, i32> = rx.changed();
/// changed.await.unwrap();
/// assert_eq!(*rx.borrow(), 1);
/// # });
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Changed<'a, T> {
    shared: &'a Shared<T>,
    seen: &'a mut usize,
    listener: Option<EventListener>,
}

impl<'a, T> Changed<'a, T> {
    pub(super) fn new(shared: &'a Shared<T>, seen: &'a mut usize) -> Self {
        Changed {
            shared,
            seen,
            listener: None,
        }
    }
}

impl<T> Future for Changed<'_, T> {
    type Output = Result<(), RecvError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        loop {
            match check_changed(this.shared, this.seen) {
                Some(done) => {
                    this.listener = None;
                    return Poll::Ready(done);
                }
                None => match &mut this.listener {
                    None => this.listener = Some(this.shared.changed.listen()),
                    Some(l) => {
                        ready!(Pin::new(l).poll(cx));
                        this.listener = None;
                    }
                },
            }
        }
    }
}

/// `Ok` (marking it seen) if there is a new value, `Err` if there is none and the
/// sender is gone, `None` if there is none yet.
pub(super) fn check_changed<T>(
    shared: &Shared<T>,
    seen: &mut usize,
) -> Option<Result<(), RecvError>> {
    let version = shared.version();
    if version & !CLOSED != *seen {
        *seen = version & !CLOSED;
        Some(Ok(()))
    } else if version & CLOSED != 0 {
        Some(Err(RecvError))
    } else {
        None
    }
}

/// The future of [`Receiver::wait_for`](super::Receiver::wait_for): completes with
/// a borrow of the first value (the current one included) that satisfies the
/// predicate.
///
/// # Cancel safety
///
/// Cancel safe: dropped before it completes, it has marked seen only values the
/// predicate rejected, and every change wakes every waiting receiver.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let (tx, mut rx) = weft_sync::watch::channel(0);
/// std::thread::spawn(move || {
///     for i in 1..=5 {
///         tx.send(i).unwrap();
///     }
/// });
/// let wait: weft_sync::watch::WaitFor<'_, i32, _> = rx.wait_for(|v| *v == 5);
/// assert_eq!(*wait.await.unwrap(), 5);
/// # });
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct WaitFor<'a, T, F> {
    shared: &'a Shared<T>,
    seen: &'a mut usize,
    predicate: F,
    /// Whether the value at `seen` was checked (the first poll checks it even if seen).
    checked: bool,
    listener: Option<EventListener>,
}

impl<'a, T, F> WaitFor<'a, T, F> {
    pub(super) fn new(shared: &'a Shared<T>, seen: &'a mut usize, predicate: F) -> Self {
        WaitFor {
            shared,
            seen,
            predicate,
            checked: false,
            listener: None,
        }
    }
}

// Neither the predicate nor anything else is pinned.
impl<T, F> Unpin for WaitFor<'_, T, F> {}

impl<'a, T, F: FnMut(&T) -> bool> Future for WaitFor<'a, T, F> {
    type Output = Result<Ref<'a, T>, RecvError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let shared: &'a Shared<T> = this.shared;
        loop {
            let (guard, version) = shared.read();
            if !this.checked || version != *this.seen {
                let has_changed = version != *this.seen;
                this.checked = true;
                *this.seen = version;
                if (this.predicate)(&guard) {
                    this.listener = None;
                    return Poll::Ready(Ok(Ref::new(guard, has_changed)));
                }
            }
            drop(guard);
            if shared.version() == version | CLOSED {
                this.listener = None;
                return Poll::Ready(Err(RecvError));
            }
            match &mut this.listener {
                None => this.listener = Some(shared.changed.listen()),
                Some(l) => {
                    ready!(Pin::new(l).poll(cx));
                    this.listener = None;
                }
            }
        }
    }
}

/// The future of [`Sender::closed`](super::Sender::closed): completes once every
/// receiver is gone.
///
/// # Cancel safety
///
/// Cancel safe: it changes nothing.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let (tx, rx) = weft_sync::watch::channel(());
/// drop(rx);
/// let closed: weft_sync::watch::Closed<'_, ()> = tx.closed();
/// closed.await;
/// # });
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Closed<'a, T> {
    shared: &'a Shared<T>,
    listener: Option<EventListener>,
}

impl<'a, T> Closed<'a, T> {
    pub(super) fn new(shared: &'a Shared<T>) -> Self {
        Closed {
            shared,
            listener: None,
        }
    }
}

impl<T> Future for Closed<'_, T> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        loop {
            if this.shared.receiver_count() == 0 {
                this.listener = None;
                return Poll::Ready(());
            }
            match &mut this.listener {
                None => this.listener = Some(this.shared.no_receivers.listen()),
                Some(l) => {
                    ready!(Pin::new(l).poll(cx));
                    this.listener = None;
                }
            }
        }
    }
}

impl<T> fmt::Debug for Changed<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Changed")
            .field("waiting", &self.listener.is_some())
            .finish_non_exhaustive()
    }
}

impl<T, F> fmt::Debug for WaitFor<'_, T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitFor")
            .field("waiting", &self.listener.is_some())
            .finish_non_exhaustive()
    }
}

impl<T> fmt::Debug for Closed<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Closed")
            .field("waiting", &self.listener.is_some())
            .finish_non_exhaustive()
    }
}
