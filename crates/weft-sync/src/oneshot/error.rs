//! The errors of the oneshot channel.

use std::error::Error as StdError;
use std::fmt;

/// Why a [`Receiver`](super::Receiver) got no value: the promise set an exception,
/// or went away without setting anything (asyncio's cancelled future).
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// use weft_sync::oneshot;
///
/// let (promise, rx) = oneshot::channel::<u8, &str>();
/// promise.set_exception("boom").unwrap();
/// assert_eq!(rx.await, Err(oneshot::Error::Exception("boom")));
///
/// let (promise, rx) = weft_sync::oneshot::<u8>();
/// drop(promise);
/// assert_eq!(rx.await, Err(oneshot::Error::Cancelled));
/// # });
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error<E> {
    /// The promise set this exception ([`Promise::set_exception`](super::Promise::set_exception)).
    Exception(E),
    /// The promise was dropped without a value, or the value was already taken.
    Cancelled,
}

impl<E> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Exception(_) => f.write_str("Exception(..)"),
            Error::Cancelled => f.write_str("Cancelled"),
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Exception(_) => f.write_str("promise set an exception"),
            Error::Cancelled => f.write_str("promise dropped without a value"),
        }
    }
}

impl<E> StdError for Error<E> {}

/// Why [`Receiver::try_recv`](super::Receiver::try_recv) returned no value.
///
/// # Examples
///
/// ```
/// use weft_sync::oneshot::{self, TryRecvError};
///
/// let (promise, mut rx) = weft_sync::oneshot::<u8>();
/// assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
/// drop(promise);
/// assert_eq!(rx.try_recv(), Err(TryRecvError::Done(oneshot::Error::Cancelled)));
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TryRecvError<E> {
    /// Nothing yet: the promise has set nothing and is still alive.
    Empty,
    /// The future is done without a value: this is what awaiting it gives.
    Done(Error<E>),
}

impl<E> fmt::Debug for TryRecvError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryRecvError::Empty => f.write_str("Empty"),
            TryRecvError::Done(e) => f.debug_tuple("Done").field(e).finish(),
        }
    }
}

impl<E> fmt::Display for TryRecvError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryRecvError::Empty => f.write_str("no value yet"),
            TryRecvError::Done(e) => e.fmt(f),
        }
    }
}

impl<E> StdError for TryRecvError<E> {}
