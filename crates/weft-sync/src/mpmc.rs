//! A multi-producer, multi-consumer channel, bounded ([`channel`]) or not
//! ([`unbounded`]): asyncio's `Queue` as a pair of halves that close.
//!
//! Both halves are `Clone`. The channel closes when every sender or every receiver
//! is gone, or on [`Sender::close`] / [`Receiver::close`]: sends then fail and hand
//! their value back, and receivers take what is left before they fail. Waiting
//! senders and waiting receivers are each served first come, first served.
//!
//! # Examples
//!
//! ```
//! # futures::executor::block_on(async {
//! let (tx, rx) = weft_sync::channel(10);
//! let producers = futures::future::join_all((0..3).map(|i| {
//!     let tx = tx.clone();
//!     async move { tx.send(i).await.unwrap() }
//! }));
//! drop(tx);
//! producers.await;
//! let mut got = Vec::new();
//! while let Ok(v) = rx.recv().await {
//!     got.push(v);
//! }
//! got.sort();
//! assert_eq!(got, [0, 1, 2]);
//! # });
//! ```

mod core;
mod error;
mod future;

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

pub use error::{RecvError, SendError, TryRecvError, TrySendError};
pub use future::{Recv, Send};

use self::core::Chan;
use crate::sync::Arc;

/// A channel that holds at most `capacity` values: [`Sender::send`] waits while it
/// is full.
///
/// # Panics
///
/// If `capacity` is 0 (a rendezvous channel is not supported; use 1).
///
/// # Examples
///
/// ```
/// let (tx, rx) = weft_sync::channel(1);
/// tx.try_send(1).unwrap();
/// assert!(tx.try_send(2).is_err());
/// assert_eq!(rx.try_recv(), Ok(1));
/// ```
pub fn channel<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    assert!(
        capacity > 0,
        "weft_sync::channel(0): the capacity must be at least 1 (use `unbounded()` for no limit)"
    );
    // usize::MAX stands for "unbounded"; nobody buffers that many values.
    pair(Chan::new(capacity.min(usize::MAX - 1)))
}

/// A channel without a bound: [`Sender::send`] never waits.
///
/// # Examples
///
/// ```
/// let (tx, rx) = weft_sync::unbounded();
/// for i in 0..1000 {
///     tx.try_send(i).unwrap();
/// }
/// assert_eq!(rx.len(), 1000);
/// assert_eq!(tx.capacity(), None);
/// ```
pub fn unbounded<T>() -> (Sender<T>, Receiver<T>) {
    pair(Chan::new(usize::MAX))
}

fn pair<T>(chan: Chan<T>) -> (Sender<T>, Receiver<T>) {
    let chan = Arc::new(chan);
    (
        Sender { chan: chan.clone() },
        Receiver { chan, waiter: None },
    )
}

/// The sending half of a channel; clone it for more producers.
///
/// # Examples
///
/// ```
/// let (tx, rx) = weft_sync::channel(2);
/// let tx2 = tx.clone();
/// tx.try_send(1).unwrap();
/// tx2.try_send(2).unwrap();
/// assert_eq!(rx.len(), 2);
/// ```
pub struct Sender<T> {
    chan: Arc<Chan<T>>,
}

/// The receiving half of a channel; clone it for more consumers (each value goes to
/// one of them). It is a [`Stream`](futures_core::Stream) of the values, which ends
/// once the channel is closed and empty.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// use futures::StreamExt;
///
/// let (tx, rx) = weft_sync::unbounded();
/// tx.try_send(1).unwrap();
/// tx.try_send(2).unwrap();
/// drop(tx);
/// assert_eq!(rx.collect::<Vec<_>>().await, [1, 2]);
/// # });
/// ```
pub struct Receiver<T> {
    chan: Arc<Chan<T>>,
    /// The stream's place in the line of waiting receivers, kept between polls of
    /// `poll_next`.
    waiter: Option<u64>,
}

impl<T> Sender<T> {
    /// Sends `value`, waiting while the channel is full.
    ///
    /// # Errors
    ///
    /// [`SendError`] with `value` if the channel is closed, before or while this
    /// waits.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropped before it completes, the future has not sent `value`,
    /// and a slot it was woken for passes to the next waiting sender.
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let (tx, rx) = weft_sync::channel(1);
    /// tx.send("hi").await.unwrap();
    /// assert_eq!(rx.recv().await, Ok("hi"));
    /// # });
    /// ```
    pub fn send(&self, value: T) -> Send<'_, T> {
        Send::new(&self.chan, value)
    }

    /// Sends `value` without waiting.
    ///
    /// # Errors
    ///
    /// [`TrySendError::Full`] if the channel holds `capacity` values,
    /// [`TrySendError::Closed`] if it is closed; both hand `value` back.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_sync::mpmc::TrySendError;
    ///
    /// let (tx, rx) = weft_sync::channel(1);
    /// drop(rx);
    /// assert!(matches!(tx.try_send(1), Err(TrySendError::Closed(1))));
    /// ```
    pub fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        self.chan.try_send(value)
    }

    /// Sends `value`, blocking this thread while the channel is full:
    /// [`send`](Sender::send) for plain threads. Do not call it from async code.
    ///
    /// # Errors
    ///
    /// [`SendError`] with `value` if the channel is closed.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::channel(1);
    /// let t = std::thread::spawn(move || {
    ///     for i in 0..3 {
    ///         tx.send_blocking(i).unwrap();
    ///     }
    /// });
    /// let got: Vec<_> = std::iter::from_fn(|| rx.recv_blocking().ok()).collect();
    /// assert_eq!(got, [0, 1, 2]);
    /// t.join().unwrap();
    /// ```
    pub fn send_blocking(&self, value: T) -> Result<(), SendError<T>> {
        let mut send = self.send(value);
        crate::blocking::block_on_poll(|cx| Pin::new(&mut send).poll(cx))
    }

    /// Closes the channel: sends fail from now on, receivers take what is left.
    /// Returns `true` if this call closed it.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::channel(1);
    /// tx.try_send(1).unwrap();
    /// assert!(tx.close());
    /// assert!(tx.try_send(2).is_err());
    /// assert_eq!(rx.try_recv(), Ok(1));
    /// ```
    pub fn close(&self) -> bool {
        self.chan.close(false)
    }

    /// Whether the channel is closed.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::channel::<u8>(1);
    /// drop(rx);
    /// assert!(tx.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.chan.is_closed()
    }

    /// How many values the channel holds.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, _rx) = weft_sync::channel(4);
    /// tx.try_send(1).unwrap();
    /// assert_eq!(tx.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.chan.len()
    }

    /// Whether the channel holds no value.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, _rx) = weft_sync::channel::<u8>(4);
    /// assert!(tx.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most values the channel holds; `None` if unbounded.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, _rx) = weft_sync::channel::<u8>(4);
    /// assert_eq!(tx.capacity(), Some(4));
    /// ```
    pub fn capacity(&self) -> Option<usize> {
        self.chan.capacity()
    }
}

impl<T> Receiver<T> {
    /// Receives the next value, waiting while the channel is empty.
    ///
    /// # Errors
    ///
    /// [`RecvError`] once the channel is closed and empty.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropped before it completes, the future has taken no value, and
    /// the wake-up of a value it was woken for passes to the next waiting receiver.
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let (tx, rx) = weft_sync::channel(1);
    /// tx.send(3).await.unwrap();
    /// assert_eq!(rx.recv().await, Ok(3));
    /// # });
    /// ```
    pub fn recv(&self) -> Recv<'_, T> {
        Recv::new(&self.chan)
    }

    /// Receives a value without waiting.
    ///
    /// # Errors
    ///
    /// [`TryRecvError::Empty`] if there is none now, [`TryRecvError::Closed`] if the
    /// channel is closed and empty.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::channel(1);
    /// tx.try_send(1).unwrap();
    /// assert_eq!(rx.try_recv(), Ok(1));
    /// ```
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        self.chan.try_recv()
    }

    /// Receives a value, blocking this thread while the channel is empty:
    /// [`recv`](Receiver::recv) for plain threads. Do not call it from async code.
    ///
    /// # Errors
    ///
    /// [`RecvError`] once the channel is closed and empty.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::channel(1);
    /// std::thread::spawn(move || tx.send_blocking(8).unwrap());
    /// assert_eq!(rx.recv_blocking(), Ok(8));
    /// ```
    pub fn recv_blocking(&self) -> Result<T, RecvError> {
        let mut recv = self.recv();
        crate::blocking::block_on_poll(|cx| Pin::new(&mut recv).poll(cx))
    }

    /// Closes the channel: sends fail from now on, receivers take what is left.
    /// Returns `true` if this call closed it.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::channel::<u8>(1);
    /// assert!(rx.close());
    /// assert!(tx.is_closed());
    /// ```
    pub fn close(&self) -> bool {
        self.chan.close(false)
    }

    /// Whether the channel is closed.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::channel::<u8>(1);
    /// drop(tx);
    /// assert!(rx.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.chan.is_closed()
    }

    /// How many values the channel holds.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::channel(4);
    /// tx.try_send(1).unwrap();
    /// assert_eq!(rx.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.chan.len()
    }

    /// Whether the channel holds no value.
    ///
    /// # Examples
    ///
    /// ```
    /// let (_tx, rx) = weft_sync::channel::<u8>(4);
    /// assert!(rx.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most values the channel holds; `None` if unbounded.
    ///
    /// # Examples
    ///
    /// ```
    /// let (_tx, rx) = weft_sync::unbounded::<u8>();
    /// assert_eq!(rx.capacity(), None);
    /// ```
    pub fn capacity(&self) -> Option<usize> {
        self.chan.capacity()
    }
}

impl<T> futures_core::Stream for Receiver<T> {
    type Item = T;

    /// # Cancel safety
    ///
    /// A value stays in the channel until a poll returns it.
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let this = self.get_mut();
        future::poll_recv(&this.chan, &mut this.waiter, cx).map(Result::ok)
    }
}

impl<T> Clone for Sender<T> {
    /// Another sender of the same channel.
    fn clone(&self) -> Self {
        self.chan.add_sender();
        Sender {
            chan: self.chan.clone(),
        }
    }
}

impl<T> Clone for Receiver<T> {
    /// Another receiver of the same channel.
    fn clone(&self) -> Self {
        self.chan.add_receiver();
        Receiver {
            chan: self.chan.clone(),
            waiter: None,
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        self.chan.drop_sender();
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        if let Some(id) = self.waiter {
            self.chan.cancel_recv(id);
        }
        self.chan.drop_receiver();
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender")
            .field("len", &self.len())
            .field("capacity", &self.capacity())
            .field("closed", &self.is_closed())
            .finish()
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("len", &self.len())
            .field("capacity", &self.capacity())
            .field("closed", &self.is_closed())
            .finish()
    }
}
