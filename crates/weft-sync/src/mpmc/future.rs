//! The futures of the channel's waiting methods: [`Send`] and [`Recv`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::core::Chan;
use super::error::{RecvError, SendError};

/// The future of [`Sender::send`](super::Sender::send): sends the value once there
/// is room.
///
/// # Cancel safety
///
/// Cancel safe: dropped before it completes, it has not sent the value (which is
/// dropped with it), and a slot it was woken for passes to the next waiting sender.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let (tx, rx) = weft_sync::channel(1);
/// let send: weft_sync::mpmc::Send<'_, u8> = tx.send(1);
/// send.await.unwrap();
/// assert_eq!(rx.len(), 1);
/// # });
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Send<'a, T> {
    chan: &'a Chan<T>,
    value: Option<T>,
    /// Its place in the line of waiting senders.
    waiter: Option<u64>,
}

/// The future of [`Receiver::recv`](super::Receiver::recv): receives the next value
/// once there is one.
///
/// # Cancel safety
///
/// Cancel safe: dropped before it completes, it has taken no value, and the wake-up
/// of a value it was woken for passes to the next waiting receiver.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let (tx, rx) = weft_sync::channel(1);
/// tx.try_send('a').unwrap();
/// let recv: weft_sync::mpmc::Recv<'_, char> = rx.recv();
/// assert_eq!(recv.await, Ok('a'));
/// # });
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Recv<'a, T> {
    chan: &'a Chan<T>,
    /// Its place in the line of waiting receivers.
    waiter: Option<u64>,
}

impl<'a, T> Send<'a, T> {
    pub(super) fn new(chan: &'a Chan<T>, value: T) -> Self {
        Send {
            chan,
            value: Some(value),
            waiter: None,
        }
    }
}

impl<'a, T> Recv<'a, T> {
    pub(super) fn new(chan: &'a Chan<T>) -> Self {
        Recv { chan, waiter: None }
    }
}

// The value is never pinned: it is moved into the channel.
impl<T> Unpin for Send<'_, T> {}

impl<T> Future for Send<'_, T> {
    type Output = Result<(), SendError<T>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        this.chan
            .poll_send(&mut this.value, &mut this.waiter, cx)
            .map(|r| r.map_err(SendError))
    }
}

impl<T> Drop for Send<'_, T> {
    fn drop(&mut self) {
        if let Some(id) = self.waiter {
            self.chan.cancel_send(id);
        }
    }
}

impl<T> Future for Recv<'_, T> {
    type Output = Result<T, RecvError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        poll_recv(this.chan, &mut this.waiter, cx)
    }
}

impl<T> Drop for Recv<'_, T> {
    fn drop(&mut self) {
        if let Some(id) = self.waiter {
            self.chan.cancel_recv(id);
        }
    }
}

/// Receives a value, or registers `cx`'s waker under `waiter`.
pub(super) fn poll_recv<T>(
    chan: &Chan<T>,
    waiter: &mut Option<u64>,
    cx: &mut Context<'_>,
) -> Poll<Result<T, RecvError>> {
    chan.poll_recv(waiter, cx).map(|v| v.ok_or(RecvError))
}

impl<T> fmt::Debug for Send<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Send")
            .field("waiting", &self.waiter.is_some())
            .finish_non_exhaustive()
    }
}

impl<T> fmt::Debug for Recv<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recv")
            .field("waiting", &self.waiter.is_some())
            .finish_non_exhaustive()
    }
}
