//! `Elapsed`: a timeout's deadline passed before its future finished.

use std::error::Error;
use std::fmt;
use std::io;

/// The error of a [`Timeout`](crate::Timeout): its deadline passed before its future
/// finished, which was dropped. asyncio's `TimeoutError`.
///
/// It converts into an [`io::Error`] of kind [`TimedOut`](io::ErrorKind::TimedOut).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft_util::{Elapsed, timeout};
///
/// let err: Elapsed = weft_reactor::block_on(timeout(
///     Duration::from_millis(1),
///     std::future::pending::<()>(),
/// ))
/// .unwrap_err();
/// assert_eq!(err.to_string(), "deadline has elapsed");
/// assert_eq!(std::io::Error::from(err).kind(), std::io::ErrorKind::TimedOut);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Elapsed(());

impl Elapsed {
    pub(crate) fn new() -> Elapsed {
        Elapsed(())
    }
}

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("deadline has elapsed")
    }
}

impl Error for Elapsed {}

impl From<Elapsed> for io::Error {
    fn from(e: Elapsed) -> io::Error {
        io::Error::new(io::ErrorKind::TimedOut, e)
    }
}
