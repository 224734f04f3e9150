//! The errors of the primitives: small types with a terse `Display`.

use std::error::Error;
use std::fmt;

/// The lock (or read-write lock) is held, so a `try_` method could not take it.
///
/// Returned by [`Lock::try_lock`](crate::Lock::try_lock), [`RwLock::try_read`] and
/// [`RwLock::try_write`](crate::RwLock::try_write).
///
/// [`RwLock::try_read`]: crate::RwLock::try_read
///
/// # Examples
///
/// ```
/// use weft_sync::{Lock, TryLockError};
///
/// let lock = Lock::new(0);
/// let _guard = lock.try_lock().unwrap();
/// assert_eq!(lock.try_lock().unwrap_err(), TryLockError);
/// assert_eq!(TryLockError.to_string(), "lock is held");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TryLockError;

impl fmt::Display for TryLockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("lock is held")
    }
}

impl Error for TryLockError {}

/// The semaphore was closed, so no permit can be acquired from it.
///
/// Returned by [`Semaphore::acquire`](crate::Semaphore::acquire) and its kin after
/// [`Semaphore::close`](crate::Semaphore::close).
///
/// # Examples
///
/// ```
/// use weft_sync::{AcquireError, Semaphore};
///
/// let sem = Semaphore::new(1);
/// sem.close();
/// assert_eq!(sem.acquire_blocking().unwrap_err(), AcquireError);
/// assert_eq!(AcquireError.to_string(), "semaphore closed");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AcquireError;

impl fmt::Display for AcquireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("semaphore closed")
    }
}

impl Error for AcquireError {}

/// Why [`Semaphore::try_acquire`](crate::Semaphore::try_acquire) (or its kin) took no
/// permit.
///
/// # Examples
///
/// ```
/// use weft_sync::{Semaphore, TryAcquireError};
///
/// let sem = Semaphore::new(1);
/// let _permit = sem.try_acquire().unwrap();
/// assert_eq!(sem.try_acquire().unwrap_err(), TryAcquireError::NoPermits);
/// sem.close();
/// assert_eq!(sem.try_acquire().unwrap_err(), TryAcquireError::Closed);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TryAcquireError {
    /// Too few permits are available now (or other tasks are queued ahead).
    NoPermits,
    /// The semaphore was closed.
    Closed,
}

impl fmt::Display for TryAcquireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TryAcquireError::NoPermits => "no permits available",
            TryAcquireError::Closed => "semaphore closed",
        })
    }
}

impl Error for TryAcquireError {}

/// A [`BoundedSemaphore`](crate::BoundedSemaphore) was released more times than it
/// was acquired: asyncio's `ValueError("BoundedSemaphore released too many times")`.
///
/// # Examples
///
/// ```
/// use weft_sync::{BoundedSemaphore, ReleaseError};
///
/// let sem = BoundedSemaphore::new(1);
/// assert_eq!(sem.release(), Err(ReleaseError));
/// assert_eq!(ReleaseError.to_string(), "semaphore released too many times");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReleaseError;

impl fmt::Display for ReleaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("semaphore released too many times")
    }
}

impl Error for ReleaseError {}

/// The barrier was aborted (or is being reset) while this task waited, or before it
/// came: asyncio's `BrokenBarrierError`.
///
/// # Examples
///
/// ```
/// use weft_sync::{Barrier, BrokenBarrier};
///
/// let barrier = Barrier::new(2);
/// barrier.abort();
/// # futures::executor::block_on(async {
/// assert_eq!(barrier.wait().await.unwrap_err(), BrokenBarrier);
/// # });
/// assert_eq!(BrokenBarrier.to_string(), "barrier is broken");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrokenBarrier;

impl fmt::Display for BrokenBarrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("barrier is broken")
    }
}

impl Error for BrokenBarrier {}
