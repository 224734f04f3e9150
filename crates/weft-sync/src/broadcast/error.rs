//! The errors of the broadcast channel.

use std::error::Error;
use std::fmt;

/// [`Sender::send`](super::Sender::send) found no receiver; the value is handed
/// back.
///
/// # Examples
///
/// ```
/// use weft_sync::broadcast;
///
/// let (tx, rx) = broadcast::channel(2);
/// drop(rx);
/// assert_eq!(tx.send(5).unwrap_err().0, 5);
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SendError<T>(pub T);

impl<T> SendError<T> {
    /// The value that was not sent.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::broadcast::channel(2);
    /// drop(rx);
    /// assert_eq!(tx.send("v").unwrap_err().into_inner(), "v");
    /// ```
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for SendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SendError(..)")
    }
}

impl<T> fmt::Display for SendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("broadcasting to no receiver")
    }
}

impl<T> Error for SendError<T> {}

/// Why [`Receiver::recv`](super::Receiver::recv) returned no value.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// use weft_sync::broadcast::{self, RecvError};
///
/// let (tx, mut rx) = broadcast::channel(1);
/// tx.send(1).unwrap();
/// tx.send(2).unwrap();
/// drop(tx);
/// assert_eq!(rx.recv().await, Err(RecvError::Lagged(1)));
/// assert_eq!(rx.recv().await, Ok(2));
/// assert_eq!(rx.recv().await, Err(RecvError::Closed));
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RecvError {
    /// The receiver fell more than `capacity` values behind and missed this many;
    /// the next receive takes the oldest value retained.
    Lagged(u64),
    /// Every sender is gone and the receiver has taken every value.
    Closed,
}

impl fmt::Display for RecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecvError::Lagged(n) => write!(f, "receiver lagged and missed {n} values"),
            RecvError::Closed => f.write_str("receiving from a closed and empty channel"),
        }
    }
}

impl Error for RecvError {}

/// Why [`Receiver::try_recv`](super::Receiver::try_recv) returned no value.
///
/// # Examples
///
/// ```
/// use weft_sync::broadcast::{self, TryRecvError};
///
/// let (tx, mut rx) = broadcast::channel::<u8>(1);
/// assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
/// drop(tx);
/// assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TryRecvError {
    /// No new value now; one may come.
    Empty,
    /// The receiver fell more than `capacity` values behind and missed this many;
    /// the next receive takes the oldest value retained.
    Lagged(u64),
    /// Every sender is gone and the receiver has taken every value.
    Closed,
}

impl fmt::Display for TryRecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryRecvError::Empty => f.write_str("receiving from an empty channel"),
            TryRecvError::Lagged(n) => write!(f, "receiver lagged and missed {n} values"),
            TryRecvError::Closed => f.write_str("receiving from a closed and empty channel"),
        }
    }
}

impl Error for TryRecvError {}

/// The error the [`Receiver`](super::Receiver) stream yields when the receiver
/// fell behind: it missed this many values, and the stream goes on with the oldest
/// value retained.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// use futures::StreamExt;
/// use weft_sync::broadcast::{self, Lagged};
///
/// let (tx, rx) = broadcast::channel(2);
/// for i in 0..3 {
///     tx.send(i).unwrap();
/// }
/// drop(tx);
/// let got: Vec<_> = rx.collect().await;
/// assert_eq!(got, [Err(Lagged(1)), Ok(1), Ok(2)]);
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lagged(pub u64);

impl fmt::Display for Lagged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "receiver lagged and missed {} values", self.0)
    }
}

impl Error for Lagged {}
