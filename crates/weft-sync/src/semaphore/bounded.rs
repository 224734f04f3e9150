//! [`BoundedSemaphore`]: asyncio's `BoundedSemaphore`, a [`Semaphore`] that refuses
//! to be released past its initial value.

use std::fmt;

use crate::error::{AcquireError, ReleaseError, TryAcquireError};
use crate::semaphore::{AcquireFuture, Permit, Semaphore};

/// A semaphore that cannot be released past its initial value: asyncio's
/// `BoundedSemaphore`.
///
/// Two styles work, and mix:
/// - RAII, as with [`Semaphore`]: [`acquire`](BoundedSemaphore::acquire) returns a
///   [`Permit`] that gives itself back when dropped.
/// - asyncio's, with separate calls: `acquire().await?.forget()`, then later
///   [`release`](BoundedSemaphore::release). A `release` that would raise the
///   available permits past the initial value is refused with [`ReleaseError`]
///   (asyncio's `ValueError`), and changes nothing.
///
/// # Examples
///
/// ```
/// use weft_sync::{BoundedSemaphore, ReleaseError};
///
/// # futures::executor::block_on(async {
/// let sem = BoundedSemaphore::new(2);
/// sem.acquire().await.unwrap().forget(); // asyncio: await sem.acquire()
/// assert_eq!(sem.available(), 1);
/// sem.release().unwrap(); // asyncio: sem.release()
/// assert_eq!(sem.release(), Err(ReleaseError)); // one release too many
/// assert_eq!(sem.available(), 2);
/// # });
/// ```
pub struct BoundedSemaphore {
    sem: Semaphore,
    bound: usize,
}

impl BoundedSemaphore {
    /// A bounded semaphore with `permits` permits, which is also its bound.
    ///
    /// # Panics
    ///
    /// If `permits` is over [`Semaphore::MAX_PERMITS`].
    ///
    /// # Examples
    ///
    /// ```
    /// let sem = weft_sync::BoundedSemaphore::new(3);
    /// assert_eq!(sem.bound(), 3);
    /// ```
    pub fn new(permits: usize) -> BoundedSemaphore {
        BoundedSemaphore {
            sem: Semaphore::new(permits),
            bound: permits,
        }
    }

    /// The initial value: `available()` never exceeds it.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(weft_sync::BoundedSemaphore::new(2).bound(), 2);
    /// ```
    pub fn bound(&self) -> usize {
        self.bound
    }

    /// Waits for a permit, as [`Semaphore::acquire`].
    ///
    /// # Errors
    ///
    /// [`AcquireError`] if the semaphore is closed.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, as [`Semaphore::acquire`].
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let sem = weft_sync::BoundedSemaphore::new(1);
    /// let permit = sem.acquire().await.unwrap();
    /// assert!(sem.is_locked());
    /// drop(permit);
    /// assert!(!sem.is_locked());
    /// # });
    /// ```
    pub fn acquire(&self) -> AcquireFuture<'_> {
        self.sem.acquire()
    }

    /// Takes a permit if one is available and nobody waits.
    ///
    /// # Errors
    ///
    /// [`TryAcquireError::NoPermits`] or [`TryAcquireError::Closed`].
    ///
    /// # Examples
    ///
    /// ```
    /// let sem = weft_sync::BoundedSemaphore::new(1);
    /// let _p = sem.try_acquire().unwrap();
    /// assert!(sem.try_acquire().is_err());
    /// ```
    pub fn try_acquire(&self) -> Result<Permit<'_>, TryAcquireError> {
        self.sem.try_acquire()
    }

    /// Takes a permit, blocking the thread: for plain threads, never inside async
    /// code.
    ///
    /// # Errors
    ///
    /// [`AcquireError`] if the semaphore is closed.
    ///
    /// # Examples
    ///
    /// ```
    /// let sem = weft_sync::BoundedSemaphore::new(1);
    /// sem.acquire_blocking().unwrap().forget();
    /// sem.release().unwrap();
    /// ```
    pub fn acquire_blocking(&self) -> Result<Permit<'_>, AcquireError> {
        self.sem.acquire_blocking()
    }

    /// Gives back one permit that was taken and [`forget`](Permit::forget)-ten
    /// (asyncio's `release()`), waking the first waiter.
    ///
    /// # Errors
    ///
    /// [`ReleaseError`] if `bound()` permits are available already; nothing changes.
    ///
    /// # Examples
    ///
    /// ```
    /// let sem = weft_sync::BoundedSemaphore::new(1);
    /// assert!(sem.release().is_err());
    /// sem.try_acquire().unwrap().forget();
    /// assert!(sem.release().is_ok());
    /// ```
    pub fn release(&self) -> Result<(), ReleaseError> {
        if self.sem.raw().release_bounded(self.bound) {
            Ok(())
        } else {
            Err(ReleaseError)
        }
    }

    /// How many permits are available now.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(weft_sync::BoundedSemaphore::new(4).available(), 4);
    /// ```
    pub fn available(&self) -> usize {
        self.sem.available()
    }

    /// Whether an acquire would wait now (asyncio's `locked()`).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(weft_sync::BoundedSemaphore::new(0).is_locked());
    /// ```
    pub fn is_locked(&self) -> bool {
        self.sem.is_locked()
    }

    /// Closes the semaphore, as [`Semaphore::close`].
    ///
    /// # Examples
    ///
    /// ```
    /// let sem = weft_sync::BoundedSemaphore::new(1);
    /// sem.close();
    /// assert!(sem.is_closed());
    /// ```
    pub fn close(&self) {
        self.sem.close();
    }

    /// Whether [`close`](BoundedSemaphore::close) was called.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!weft_sync::BoundedSemaphore::new(1).is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.sem.is_closed()
    }
}

impl fmt::Debug for BoundedSemaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BoundedSemaphore")
            .field("available", &self.available())
            .field("bound", &self.bound)
            .finish_non_exhaustive()
    }
}
