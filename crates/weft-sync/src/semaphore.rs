//! [`Semaphore`]: asyncio's `Semaphore`, with RAII permits.
//!
//! The protocol is in `semaphore/raw.rs`; this file is the API.

mod bounded;
pub(crate) mod raw;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::error::{AcquireError, TryAcquireError};
pub use bounded::BoundedSemaphore;
use raw::{Acquirer, RawSemaphore};
use std::sync::Arc;

/// A counter of permits that tasks acquire and release: asyncio's `Semaphore`.
///
/// [`acquire`](Semaphore::acquire) waits for a permit and returns a [`Permit`] that
/// gives it back when dropped (asyncio's `async with sem:`). Waiters are served in
/// the order they came, whatever they ask for: a task waiting for three permits is
/// not overtaken by later tasks that want one, and a newcomer does not take permits
/// while others wait.
///
/// Beyond asyncio: [`acquire_many`](Semaphore::acquire_many),
/// [`add_permits`](Semaphore::add_permits), [`close`](Semaphore::close) (waiting and
/// later acquires fail), owned permits for an `Arc<Semaphore>`, and
/// [`acquire_blocking`](Semaphore::acquire_blocking) for plain threads. A semaphore
/// holds at most [`Semaphore::MAX_PERMITS`].
///
/// # Examples
///
/// Limit concurrent work to two tasks at a time:
///
/// ```
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use weft_sync::Semaphore;
///
/// # weft_executor::Executor::new(1).unwrap().block_on(async {
/// let sem = Arc::new(Semaphore::new(2));
/// let running = Arc::new(AtomicUsize::new(0));
/// let tasks: Vec<_> = (0..6)
///     .map(|_| {
///         let (sem, running) = (sem.clone(), running.clone());
///         weft_executor::spawn(async move {
///             let _permit = sem.acquire().await.unwrap();
///             assert!(running.fetch_add(1, Ordering::SeqCst) < 2);
///             weft_executor::yield_now().await;
///             running.fetch_sub(1, Ordering::SeqCst);
///         })
///     })
///     .collect();
/// for t in tasks {
///     t.await.unwrap();
/// }
/// # });
/// ```
pub struct Semaphore {
    raw: RawSemaphore,
}

impl Semaphore {
    /// The most permits a semaphore can hold (and one acquire can ask for):
    /// `usize::MAX >> 3`.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_sync::Semaphore;
    ///
    /// let sem = Semaphore::new(Semaphore::MAX_PERMITS);
    /// assert_eq!(sem.available(), Semaphore::MAX_PERMITS);
    /// ```
    pub const MAX_PERMITS: usize = raw::MAX_PERMITS;

    /// A semaphore with `permits` permits.
    ///
    /// # Panics
    ///
    /// If `permits` is over [`Semaphore::MAX_PERMITS`].
    ///
    /// # Examples
    ///
    /// ```
    /// let sem = weft_sync::Semaphore::new(3);
    /// assert_eq!(sem.available(), 3);
    /// ```
    pub fn new(permits: usize) -> Semaphore {
        Semaphore {
            raw: RawSemaphore::new(permits),
        }
    }

    /// Waits for one permit.
    ///
    /// # Errors
    ///
    /// [`AcquireError`] if the semaphore is closed (or closes while waiting).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropping the future leaves the queue in order, passing its turn
    /// to the next waiter, and it holds no permits until it completes.
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let sem = weft_sync::Semaphore::new(1);
    /// let permit = sem.acquire().await.unwrap();
    /// assert_eq!(sem.available(), 0);
    /// drop(permit);
    /// assert_eq!(sem.available(), 1);
    /// # });
    /// ```
    pub fn acquire(&self) -> AcquireFuture<'_> {
        self.acquire_many(1)
    }

    /// Waits for `n` permits at once (and holds its place in the queue meanwhile).
    ///
    /// # Errors
    ///
    /// [`AcquireError`] if the semaphore is closed (or closes while waiting).
    ///
    /// # Panics
    ///
    /// If `n` is over [`Semaphore::MAX_PERMITS`].
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, as [`acquire`](Semaphore::acquire).
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let sem = weft_sync::Semaphore::new(5);
    /// let permit = sem.acquire_many(3).await.unwrap();
    /// assert_eq!(permit.num_permits(), 3);
    /// assert_eq!(sem.available(), 2);
    /// # });
    /// ```
    pub fn acquire_many(&self, n: usize) -> AcquireFuture<'_> {
        AcquireFuture {
            sem: self,
            acq: Acquirer::new(n),
        }
    }

    /// Waits for one permit of an `Arc<Semaphore>`; the permit keeps the `Arc`.
    ///
    /// # Errors
    ///
    /// [`AcquireError`] if the semaphore is closed (or closes while waiting).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, as [`acquire`](Semaphore::acquire).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// # futures::executor::block_on(async {
    /// let sem = Arc::new(weft_sync::Semaphore::new(1));
    /// let permit: weft_sync::OwnedPermit = sem.acquire_owned().await.unwrap();
    /// assert_eq!(sem.available(), 0);
    /// drop(permit);
    /// assert_eq!(sem.available(), 1);
    /// # });
    /// ```
    pub fn acquire_owned(self: &Arc<Self>) -> AcquireOwnedFuture {
        self.acquire_many_owned(1)
    }

    /// Waits for `n` permits of an `Arc<Semaphore>`.
    ///
    /// # Errors
    ///
    /// [`AcquireError`] if the semaphore is closed (or closes while waiting).
    ///
    /// # Panics
    ///
    /// If `n` is over [`Semaphore::MAX_PERMITS`].
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, as [`acquire`](Semaphore::acquire).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// # futures::executor::block_on(async {
    /// let sem = Arc::new(weft_sync::Semaphore::new(4));
    /// let permit = sem.acquire_many_owned(4).await.unwrap();
    /// assert_eq!(permit.num_permits(), 4);
    /// # });
    /// ```
    pub fn acquire_many_owned(self: &Arc<Self>, n: usize) -> AcquireOwnedFuture {
        AcquireOwnedFuture {
            sem: Some(self.clone()),
            acq: Acquirer::new(n),
        }
    }

    /// Takes one permit if one is available and nobody waits.
    ///
    /// # Errors
    ///
    /// [`TryAcquireError::NoPermits`] or [`TryAcquireError::Closed`].
    ///
    /// # Examples
    ///
    /// ```
    /// let sem = weft_sync::Semaphore::new(1);
    /// let permit = sem.try_acquire().unwrap();
    /// assert!(sem.try_acquire().is_err());
    /// drop(permit);
    /// assert!(sem.try_acquire().is_ok());
    /// ```
    pub fn try_acquire(&self) -> Result<Permit<'_>, TryAcquireError> {
        self.try_acquire_many(1)
    }

    /// Takes `n` permits if they are available and nobody waits.
    ///
    /// # Errors
    ///
    /// [`TryAcquireError::NoPermits`] or [`TryAcquireError::Closed`].
    ///
    /// # Panics
    ///
    /// If `n` is over [`Semaphore::MAX_PERMITS`].
    ///
    /// # Examples
    ///
    /// ```
    /// let sem = weft_sync::Semaphore::new(2);
    /// assert!(sem.try_acquire_many(3).is_err());
    /// assert_eq!(sem.try_acquire_many(2).unwrap().num_permits(), 2);
    /// ```
    pub fn try_acquire_many(&self, n: usize) -> Result<Permit<'_>, TryAcquireError> {
        check(n);
        match self.raw.try_acquire(n) {
            Ok(()) => Ok(Permit { sem: self, n }),
            Err(true) => Err(TryAcquireError::Closed),
            Err(false) => Err(TryAcquireError::NoPermits),
        }
    }

    /// Takes `n` permits of an `Arc<Semaphore>` if they are available and nobody
    /// waits.
    ///
    /// # Errors
    ///
    /// [`TryAcquireError::NoPermits`] or [`TryAcquireError::Closed`].
    ///
    /// # Panics
    ///
    /// If `n` is over [`Semaphore::MAX_PERMITS`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// let sem = Arc::new(weft_sync::Semaphore::new(1));
    /// let permit = sem.try_acquire_many_owned(1).unwrap();
    /// assert!(sem.try_acquire_many_owned(1).is_err());
    /// ```
    pub fn try_acquire_many_owned(
        self: &Arc<Self>,
        n: usize,
    ) -> Result<OwnedPermit, TryAcquireError> {
        check(n);
        match self.raw.try_acquire(n) {
            Ok(()) => Ok(OwnedPermit {
                sem: self.clone(),
                n,
            }),
            Err(true) => Err(TryAcquireError::Closed),
            Err(false) => Err(TryAcquireError::NoPermits),
        }
    }

    /// Takes one permit, blocking the thread until one is available: for plain
    /// threads, never inside async code.
    ///
    /// # Errors
    ///
    /// [`AcquireError`] if the semaphore is closed (or closes while waiting).
    ///
    /// # Examples
    ///
    /// ```
    /// let sem = weft_sync::Semaphore::new(1);
    /// let permit = sem.acquire_blocking().unwrap();
    /// assert_eq!(sem.available(), 0);
    /// ```
    pub fn acquire_blocking(&self) -> Result<Permit<'_>, AcquireError> {
        self.acquire_many_blocking(1)
    }

    /// Takes `n` permits, blocking the thread until they are available.
    ///
    /// # Errors
    ///
    /// [`AcquireError`] if the semaphore is closed (or closes while waiting).
    ///
    /// # Panics
    ///
    /// If `n` is over [`Semaphore::MAX_PERMITS`].
    ///
    /// # Examples
    ///
    /// ```
    /// let sem = weft_sync::Semaphore::new(3);
    /// assert_eq!(sem.acquire_many_blocking(2).unwrap().num_permits(), 2);
    /// ```
    pub fn acquire_many_blocking(&self, n: usize) -> Result<Permit<'_>, AcquireError> {
        let mut acq = Acquirer::new(n);
        match self.raw.try_acquire(n) {
            Ok(()) => return Ok(Permit { sem: self, n }),
            Err(true) => return Err(AcquireError),
            Err(false) => {}
        }
        acq.wait(&self.raw)?;
        Ok(Permit { sem: self, n })
    }

    /// How many permits are available now (asyncio keeps this as `_value`).
    ///
    /// # Examples
    ///
    /// ```
    /// let sem = weft_sync::Semaphore::new(2);
    /// let _p = sem.try_acquire().unwrap();
    /// assert_eq!(sem.available(), 1);
    /// ```
    pub fn available(&self) -> usize {
        self.raw.available()
    }

    /// Whether an acquire would wait now: no permit is available, or tasks are
    /// waiting (asyncio's `locked()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let sem = weft_sync::Semaphore::new(1);
    /// assert!(!sem.is_locked());
    /// let _p = sem.try_acquire().unwrap();
    /// assert!(sem.is_locked());
    /// ```
    pub fn is_locked(&self) -> bool {
        self.raw.is_locked()
    }

    /// Adds `n` permits (waking waiters they satisfy).
    ///
    /// # Panics
    ///
    /// If the available permits would exceed [`Semaphore::MAX_PERMITS`].
    ///
    /// # Examples
    ///
    /// ```
    /// let sem = weft_sync::Semaphore::new(0);
    /// sem.add_permits(2);
    /// assert_eq!(sem.available(), 2);
    /// ```
    pub fn add_permits(&self, n: usize) {
        self.raw.add_permits(n);
    }

    /// Closes the semaphore: waiting and later acquires fail with [`AcquireError`].
    /// Permits already held stay valid and are given back as usual.
    ///
    /// # Examples
    ///
    /// ```
    /// let sem = weft_sync::Semaphore::new(1);
    /// sem.close();
    /// assert!(sem.is_closed());
    /// assert!(sem.try_acquire().is_err());
    /// ```
    pub fn close(&self) {
        self.raw.close();
    }

    /// Whether [`close`](Semaphore::close) was called.
    ///
    /// # Examples
    ///
    /// ```
    /// let sem = weft_sync::Semaphore::new(1);
    /// assert!(!sem.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.raw.is_closed()
    }

    pub(crate) fn raw(&self) -> &RawSemaphore {
        &self.raw
    }
}

fn check(n: usize) {
    assert!(
        n <= Semaphore::MAX_PERMITS,
        "a semaphore holds at most {} permits: cannot acquire {n}",
        Semaphore::MAX_PERMITS
    );
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Semaphore")
            .field("available", &self.available())
            .field("closed", &self.is_closed())
            .finish_non_exhaustive()
    }
}

/// Permits taken from a [`Semaphore`]; given back when dropped.
///
/// # Examples
///
/// ```
/// let sem = weft_sync::Semaphore::new(1);
/// let permit: weft_sync::Permit<'_> = sem.try_acquire().unwrap();
/// assert_eq!(permit.num_permits(), 1);
/// ```
#[must_use = "a permit is given back as soon as it is dropped"]
pub struct Permit<'a> {
    sem: &'a Semaphore,
    n: usize,
}

impl Permit<'_> {
    /// How many permits this holds.
    ///
    /// # Examples
    ///
    /// ```
    /// let sem = weft_sync::Semaphore::new(3);
    /// assert_eq!(sem.try_acquire_many(2).unwrap().num_permits(), 2);
    /// ```
    pub fn num_permits(&self) -> usize {
        self.n
    }

    /// Drops the permit without giving it back: the semaphore has fewer permits from
    /// now on, until someone adds or releases them (asyncio style, where `acquire()`
    /// and `release()` are separate calls; see
    /// [`BoundedSemaphore::release`](crate::BoundedSemaphore::release)).
    ///
    /// # Examples
    ///
    /// ```
    /// let sem = weft_sync::Semaphore::new(2);
    /// sem.try_acquire().unwrap().forget();
    /// assert_eq!(sem.available(), 1);
    /// ```
    pub fn forget(mut self) {
        self.n = 0;
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if self.n > 0 {
            self.sem.raw.release(self.n);
        }
    }
}

impl fmt::Debug for Permit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Permit").field("n", &self.n).finish()
    }
}

/// Permits taken from an `Arc<Semaphore>`; given back when dropped.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// let sem = Arc::new(weft_sync::Semaphore::new(1));
/// let permit: weft_sync::OwnedPermit = sem.try_acquire_many_owned(1).unwrap();
/// std::thread::spawn(move || drop(permit)).join().unwrap();
/// assert_eq!(sem.available(), 1);
/// ```
#[must_use = "a permit is given back as soon as it is dropped"]
pub struct OwnedPermit {
    sem: Arc<Semaphore>,
    n: usize,
}

impl OwnedPermit {
    /// How many permits this holds.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// let sem = Arc::new(weft_sync::Semaphore::new(3));
    /// assert_eq!(sem.try_acquire_many_owned(3).unwrap().num_permits(), 3);
    /// ```
    pub fn num_permits(&self) -> usize {
        self.n
    }

    /// The semaphore the permits came from.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// let sem = Arc::new(weft_sync::Semaphore::new(1));
    /// let permit = sem.try_acquire_many_owned(1).unwrap();
    /// assert!(Arc::ptr_eq(permit.semaphore(), &sem));
    /// ```
    pub fn semaphore(&self) -> &Arc<Semaphore> {
        &self.sem
    }

    /// Drops the permit without giving it back (see [`Permit::forget`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// let sem = Arc::new(weft_sync::Semaphore::new(1));
    /// sem.try_acquire_many_owned(1).unwrap().forget();
    /// assert_eq!(sem.available(), 0);
    /// ```
    pub fn forget(mut self) {
        self.n = 0;
    }
}

impl Drop for OwnedPermit {
    fn drop(&mut self) {
        if self.n > 0 {
            self.sem.raw.release(self.n);
        }
    }
}

impl fmt::Debug for OwnedPermit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedPermit").field("n", &self.n).finish()
    }
}

/// The future of [`Semaphore::acquire`] and [`Semaphore::acquire_many`].
///
/// # Cancel safety
///
/// Cancel safe: dropped before completion, it leaves the queue and passes its turn
/// on; it holds no permits until it completes.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let sem = weft_sync::Semaphore::new(1);
/// let fut: weft_sync::AcquireFuture<'_> = sem.acquire();
/// let _permit = fut.await.unwrap();
/// # });
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct AcquireFuture<'a> {
    sem: &'a Semaphore,
    acq: Acquirer,
}

impl<'a> Future for AcquireFuture<'a> {
    type Output = Result<Permit<'a>, AcquireError>;

    #[inline]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        match this.acq.poll(&this.sem.raw, cx) {
            Poll::Ready(Ok(())) => Poll::Ready(Ok(Permit {
                sem: this.sem,
                n: this.acq.n(),
            })),
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Drop for AcquireFuture<'_> {
    fn drop(&mut self) {
        self.acq.cancel(&self.sem.raw);
    }
}

impl fmt::Debug for AcquireFuture<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AcquireFuture")
            .field("n", &self.acq.n())
            .finish_non_exhaustive()
    }
}

/// The future of [`Semaphore::acquire_owned`] and [`Semaphore::acquire_many_owned`].
///
/// # Cancel safety
///
/// Cancel safe, as [`AcquireFuture`].
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// # futures::executor::block_on(async {
/// let sem = Arc::new(weft_sync::Semaphore::new(1));
/// let fut: weft_sync::AcquireOwnedFuture = sem.acquire_owned();
/// let _permit = fut.await.unwrap();
/// # });
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct AcquireOwnedFuture {
    /// `None` once completed.
    sem: Option<Arc<Semaphore>>,
    acq: Acquirer,
}

impl Future for AcquireOwnedFuture {
    type Output = Result<OwnedPermit, AcquireError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let sem = this.sem.as_ref().expect("polled after completion");
        match this.acq.poll(&sem.raw, cx) {
            Poll::Ready(Ok(())) => Poll::Ready(Ok(OwnedPermit {
                sem: this.sem.take().expect("present until completion"),
                n: this.acq.n(),
            })),
            Poll::Ready(Err(e)) => {
                this.sem = None;
                Poll::Ready(Err(e))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Drop for AcquireOwnedFuture {
    fn drop(&mut self) {
        if let Some(sem) = &self.sem {
            self.acq.cancel(&sem.raw);
        }
    }
}

impl fmt::Debug for AcquireOwnedFuture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AcquireOwnedFuture")
            .field("n", &self.acq.n())
            .finish_non_exhaustive()
    }
}
