//! A broadcast channel: every receiver sees every value sent after it subscribed.
//!
//! [`channel(capacity)`](channel) makes a [`Sender`] and a first [`Receiver`]; more
//! receivers come from [`Sender::subscribe`] (starting at the next value sent) or
//! from cloning a receiver (starting where it is). Sending never waits: the channel
//! keeps the last `capacity` values that some receiver still needs, and frees each
//! value once every receiver has taken it. A receiver that falls more than
//! `capacity` values behind is told how many it missed
//! ([`RecvError::Lagged`]) and goes on with the oldest value retained.
//!
//! The channel closes when every sender is gone; each receiver then takes what is
//! left for it before it gets [`RecvError::Closed`].
//!
//! Values are cloned for every receiver but the last to take them, which gets the
//! value itself. `T::clone` runs while the channel is locked, so it must not use the
//! channel.
//!
//! # Examples
//!
//! ```
//! # futures::executor::block_on(async {
//! use weft_sync::broadcast;
//!
//! let (tx, mut rx1) = broadcast::channel(16);
//! let mut rx2 = tx.subscribe();
//! assert_eq!(tx.send("hello"), Ok(2));
//! assert_eq!(rx1.recv().await, Ok("hello"));
//! assert_eq!(rx2.recv().await, Ok("hello"));
//! # });
//! ```

mod core;
mod error;
mod future;

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use event_listener::{EventListener, Listener};

pub use error::{Lagged, RecvError, SendError, TryRecvError};
pub use future::Recv;

use self::core::Shared;
use crate::sync::Arc;

/// A broadcast channel that retains at most `capacity` values a receiver still
/// needs.
///
/// # Panics
///
/// If `capacity` is 0 (no value could be retained for a receiver to take).
///
/// # Examples
///
/// ```
/// let (tx, mut rx) = weft_sync::broadcast::channel(4);
/// tx.send(1).unwrap();
/// assert_eq!(rx.try_recv(), Ok(1));
/// ```
pub fn channel<T: Clone>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    assert!(
        capacity > 0,
        "weft_sync::broadcast::channel(0): the capacity must be at least 1"
    );
    let shared = Arc::new(Shared::new(capacity));
    (
        Sender {
            shared: shared.clone(),
        },
        Receiver {
            shared,
            pos: 0,
            listener: None,
        },
    )
}

/// The sending half of a broadcast channel; clone it for more producers.
///
/// # Examples
///
/// ```
/// let (tx, mut rx) = weft_sync::broadcast::channel(4);
/// let tx2 = tx.clone();
/// tx.send(1).unwrap();
/// tx2.send(2).unwrap();
/// assert_eq!(rx.len(), 2);
/// ```
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

/// The receiving half of a broadcast channel: it takes every value sent after it
/// subscribed, in order.
///
/// A clone starts at the same position (it will take the same values). The
/// receiver is a [`Stream`](futures_core::Stream) of `Result<T, Lagged>`: a lag is
/// reported, not hidden (filter the errors out to skip it), and the stream ends once
/// the channel is closed and this receiver has taken every value.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// use futures::StreamExt;
///
/// let (tx, rx) = weft_sync::broadcast::channel(4);
/// tx.send(1).unwrap();
/// tx.send(2).unwrap();
/// drop(tx);
/// assert_eq!(rx.collect::<Vec<_>>().await, [Ok(1), Ok(2)]);
/// # });
/// ```
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
    /// The sequence number of the next value this receiver takes.
    pos: u64,
    /// The stream's wait, kept between polls of `poll_next`.
    listener: Option<EventListener>,
}

impl<T> Sender<T> {
    /// Sends `value` to every receiver, without waiting; returns how many there are.
    /// If the channel holds `capacity` values, the oldest is dropped: receivers that
    /// had not taken it have lagged.
    ///
    /// # Errors
    ///
    /// [`SendError`] with `value` if there is no receiver.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::broadcast::channel(4);
    /// let _rx2 = rx.clone();
    /// assert_eq!(tx.send(1), Ok(2));
    /// ```
    pub fn send(&self, value: T) -> Result<usize, SendError<T>> {
        self.shared.send(value)
    }

    /// A new receiver, which takes the values sent from now on.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, _rx) = weft_sync::broadcast::channel(4);
    /// tx.send(1).unwrap();
    /// let mut late = tx.subscribe();
    /// tx.send(2).unwrap();
    /// assert_eq!(late.try_recv(), Ok(2));
    /// ```
    pub fn subscribe(&self) -> Receiver<T> {
        let pos = self.shared.subscribe();
        Receiver {
            shared: self.shared.clone(),
            pos,
            listener: None,
        }
    }

    /// How many receivers there are.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::broadcast::channel::<u8>(4);
    /// let rx2 = tx.subscribe();
    /// assert_eq!(tx.receiver_count(), 2);
    /// drop((rx, rx2));
    /// assert_eq!(tx.receiver_count(), 0);
    /// ```
    pub fn receiver_count(&self) -> usize {
        self.shared.receiver_count()
    }

    /// How many values the channel retains: those sent that some receiver has yet
    /// to take, at most `capacity`.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, mut rx) = weft_sync::broadcast::channel(4);
    /// tx.send(1).unwrap();
    /// assert_eq!(tx.len(), 1);
    /// rx.try_recv().unwrap();
    /// assert_eq!(tx.len(), 0, "every receiver took it");
    /// ```
    pub fn len(&self) -> usize {
        self.shared.len()
    }

    /// Whether the channel retains no value.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, _rx) = weft_sync::broadcast::channel::<u8>(4);
    /// assert!(tx.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most values the channel retains.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, _rx) = weft_sync::broadcast::channel::<u8>(4);
    /// assert_eq!(tx.capacity(), 4);
    /// ```
    pub fn capacity(&self) -> usize {
        self.shared.capacity()
    }
}

impl<T: Clone> Receiver<T> {
    /// Receives the next value, waiting until there is one.
    ///
    /// # Errors
    ///
    /// [`RecvError::Lagged`] with how many values this receiver missed, if it fell
    /// more than `capacity` values behind (the next receive takes the oldest value
    /// retained); [`RecvError::Closed`] once every sender is gone and this receiver
    /// has taken every value.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropped before it completes, the future has taken no value and
    /// has not moved the receiver on, so the value stays for the next receive.
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let (tx, mut rx) = weft_sync::broadcast::channel(4);
    /// std::thread::spawn(move || tx.send(3).unwrap());
    /// assert_eq!(rx.recv().await, Ok(3));
    /// # });
    /// ```
    pub fn recv(&mut self) -> Recv<'_, T> {
        Recv::new(&self.shared, &mut self.pos)
    }

    /// Receives the next value without waiting.
    ///
    /// # Errors
    ///
    /// [`TryRecvError::Empty`] if there is no new value now, and the errors of
    /// [`recv`](Receiver::recv).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_sync::broadcast::{self, TryRecvError};
    ///
    /// let (tx, mut rx) = broadcast::channel(4);
    /// assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    /// tx.send(1).unwrap();
    /// assert_eq!(rx.try_recv(), Ok(1));
    /// ```
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        self.shared.try_recv(&mut self.pos)
    }

    /// Receives the next value, blocking this thread until there is one:
    /// [`recv`](Receiver::recv) for plain threads. Do not call it from async code.
    ///
    /// # Errors
    ///
    /// The errors of [`recv`](Receiver::recv).
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, mut rx) = weft_sync::broadcast::channel(4);
    /// std::thread::spawn(move || tx.send(8).unwrap());
    /// assert_eq!(rx.recv_blocking(), Ok(8));
    /// ```
    pub fn recv_blocking(&mut self) -> Result<T, RecvError> {
        let mut listener: Option<EventListener> = None;
        loop {
            match self.shared.try_recv(&mut self.pos) {
                Ok(v) => return Ok(v),
                Err(TryRecvError::Lagged(n)) => return Err(RecvError::Lagged(n)),
                Err(TryRecvError::Closed) => return Err(RecvError::Closed),
                Err(TryRecvError::Empty) => {}
            }
            match listener.take() {
                None => listener = Some(self.shared.recv_ops.listen()),
                Some(l) => l.wait(),
            }
        }
    }
}

impl<T> Receiver<T> {
    /// How many values this receiver can take now: those retained that it has not
    /// taken (values it already lagged past are not counted).
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::broadcast::channel(2);
    /// for i in 0..5 {
    ///     tx.send(i).unwrap();
    /// }
    /// assert_eq!(rx.len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.shared.len_from(self.pos)
    }

    /// Whether this receiver has no value to take now.
    ///
    /// # Examples
    ///
    /// ```
    /// let (_tx, rx) = weft_sync::broadcast::channel::<u8>(2);
    /// assert!(rx.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether every sender is gone (values may be left to take).
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::broadcast::channel::<u8>(2);
    /// drop(tx);
    /// assert!(rx.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.shared.is_closed()
    }
}

impl<T: Clone> futures_core::Stream for Receiver<T> {
    type Item = Result<T, Lagged>;

    /// # Cancel safety
    ///
    /// A value stays in the channel, and this receiver's position does not move,
    /// until a poll returns it.
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        future::poll_recv(&this.shared, &mut this.pos, &mut this.listener, cx).map(|r| match r {
            Ok(v) => Some(Ok(v)),
            Err(RecvError::Lagged(n)) => Some(Err(Lagged(n))),
            Err(RecvError::Closed) => None,
        })
    }
}

impl<T> Clone for Sender<T> {
    /// Another sender of the same channel.
    fn clone(&self) -> Self {
        self.shared.add_sender();
        Sender {
            shared: self.shared.clone(),
        }
    }
}

impl<T> Clone for Receiver<T> {
    /// Another receiver at the same position: it takes the same values as this one.
    fn clone(&self) -> Self {
        self.shared.add_receiver_at(self.pos);
        Receiver {
            shared: self.shared.clone(),
            pos: self.pos,
            listener: None,
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        self.shared.drop_sender();
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        self.shared.drop_receiver_at(self.pos);
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender")
            .field("len", &self.len())
            .field("capacity", &self.capacity())
            .field("receivers", &self.receiver_count())
            .finish()
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("len", &self.len())
            .field("closed", &self.is_closed())
            .finish()
    }
}
