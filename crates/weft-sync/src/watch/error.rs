//! The errors of the watch channel.

use std::error::Error;
use std::fmt;

/// [`Sender::send`](super::Sender::send) found no receiver; the value is handed
/// back (and the channel's value is unchanged).
///
/// # Examples
///
/// ```
/// let (tx, rx) = weft_sync::watch::channel(0);
/// drop(rx);
/// assert_eq!(tx.send(5).unwrap_err().0, 5);
/// assert_eq!(*tx.borrow(), 0);
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SendError<T>(pub T);

impl<T> SendError<T> {
    /// The value that was not sent.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::watch::channel("a");
    /// drop(rx);
    /// assert_eq!(tx.send("b").unwrap_err().into_inner(), "b");
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
        f.write_str("sending to a watch channel with no receiver")
    }
}

impl<T> Error for SendError<T> {}

/// The sender is gone and this receiver has seen its last value:
/// [`Receiver::changed`](super::Receiver::changed) will never complete with a new one.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let (tx, mut rx) = weft_sync::watch::channel(0);
/// drop(tx);
/// assert_eq!(rx.changed().await, Err(weft_sync::watch::RecvError));
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecvError;

impl fmt::Display for RecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the watch sender is gone")
    }
}

impl Error for RecvError {}
