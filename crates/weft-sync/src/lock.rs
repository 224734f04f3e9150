//! [`Lock`]: asyncio's `Lock`, holding a value like a mutex.
//!
//! The protocol is in `lock/raw.rs`; this file is the API. The value lives in a
//! `std::sync::Mutex<Option<T>>` that is only ever touched by the task that holds the
//! lock (so it is never contended): a guard moves the value out when it is made and
//! back when it is dropped, which lets the crate do without `unsafe`.

pub(crate) mod raw;

use std::fmt;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::error::TryLockError;
use std::sync::Arc;

use crate::sync::Mutex;
use raw::{RawLock, Waiter};

/// An asynchronous mutual-exclusion lock over a value: asyncio's `Lock`.
///
/// [`lock`](Lock::lock) waits for the lock and returns a [`LockGuard`] that gives
/// access to the value and releases the lock when dropped (asyncio's `async with
/// lock:`). The lock is fair like asyncio's: waiters get it in the order they
/// started waiting, a newcomer never takes it while others are queued, and a release
/// hands it straight to the first waiter. `Lock<()>` (the default) is asyncio's plain
/// lock.
///
/// Works on any executor, and from plain threads with [`lock_blocking`](Lock::lock_blocking).
///
/// While the lock is held the value is moved into the guard, and moved back on
/// release: for a large `T`, put it in a `Box`.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use weft_sync::Lock;
///
/// # weft_executor::Executor::new(1).unwrap().block_on(async {
/// let counter = Arc::new(Lock::new(0));
/// let tasks: Vec<_> = (0..4)
///     .map(|_| {
///         let counter = counter.clone();
///         weft_executor::spawn(async move {
///             let mut n = counter.lock().await;
///             *n += 1;
///         })
///     })
///     .collect();
/// for t in tasks {
///     t.await.unwrap();
/// }
/// assert_eq!(*counter.lock().await, 4);
/// # });
/// ```
pub struct Lock<T = ()> {
    raw: RawLock,
    value: Mutex<Option<T>>,
}

impl<T> Lock<T> {
    /// A new, unlocked lock holding `value`.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = weft_sync::Lock::new(vec![1, 2]);
    /// assert!(!lock.is_locked());
    /// ```
    pub fn new(value: T) -> Lock<T> {
        Lock {
            raw: RawLock::new(),
            value: Mutex::new(Some(value)),
        }
    }

    /// Waits for the lock and returns a guard that holds it.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropping the future before it completes leaves the queue; if the
    /// lock had already been handed to it, the lock passes on to the next waiter (or is
    /// released), so no wake-up is lost.
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let lock = weft_sync::Lock::new(1);
    /// *lock.lock().await += 1;
    /// assert_eq!(*lock.lock().await, 2);
    /// # });
    /// ```
    pub fn lock(&self) -> LockFuture<'_, T> {
        LockFuture {
            lock: self,
            waiter: Waiter::new(),
        }
    }

    /// Waits for the lock and returns a guard that keeps the `Arc` alive, so it can be
    /// moved into a task.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, as [`lock`](Lock::lock).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// # futures::executor::block_on(async {
    /// let lock = Arc::new(weft_sync::Lock::new(0));
    /// let mut guard = lock.lock_owned().await;
    /// *guard = 7;
    /// drop(guard);
    /// assert_eq!(*lock.lock().await, 7);
    /// # });
    /// ```
    pub fn lock_owned(self: &Arc<Self>) -> LockOwnedFuture<T> {
        LockOwnedFuture {
            lock: Some(self.clone()),
            waiter: Waiter::new(),
        }
    }

    /// Takes the lock if it is free and nobody is waiting for it.
    ///
    /// # Errors
    ///
    /// [`TryLockError`] if the lock is held or tasks are queued for it.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = weft_sync::Lock::new(());
    /// let guard = lock.try_lock().unwrap();
    /// assert!(lock.try_lock().is_err());
    /// drop(guard);
    /// assert!(lock.try_lock().is_ok());
    /// ```
    pub fn try_lock(&self) -> Result<LockGuard<'_, T>, TryLockError> {
        if self.raw.try_lock() {
            Ok(LockGuard::new(self))
        } else {
            Err(TryLockError)
        }
    }

    /// Takes the lock, blocking the thread until it is free: for plain threads, never
    /// inside async code.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// let lock = Arc::new(weft_sync::Lock::new(0));
    /// let l = lock.clone();
    /// std::thread::spawn(move || *l.lock_blocking() += 1).join().unwrap();
    /// assert_eq!(*lock.lock_blocking(), 1);
    /// ```
    pub fn lock_blocking(&self) -> LockGuard<'_, T> {
        self.raw.lock_blocking();
        LockGuard::new(self)
    }

    #[cfg(loom)]
    #[doc(hidden)]
    pub fn __state(&self) -> usize {
        self.raw.state()
    }

    /// Whether the lock is held (asyncio's `locked()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = weft_sync::Lock::new(());
    /// let guard = lock.try_lock().unwrap();
    /// assert!(lock.is_locked());
    /// drop(guard);
    /// assert!(!lock.is_locked());
    /// ```
    pub fn is_locked(&self) -> bool {
        self.raw.is_locked()
    }

    /// Consumes the lock and returns the value.
    ///
    /// # Panics
    ///
    /// If a guard of this lock was leaked with `mem::forget` (the value went with it).
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = weft_sync::Lock::new(3);
    /// assert_eq!(lock.into_inner(), 3);
    /// ```
    pub fn into_inner(self) -> T {
        self.value
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .expect("a guard of this lock was leaked")
    }

    /// The value, through a unique borrow of the lock (no locking needed).
    ///
    /// # Panics
    ///
    /// If a guard of this lock was leaked with `mem::forget`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut lock = weft_sync::Lock::new(3);
    /// *lock.get_mut() += 1;
    /// assert_eq!(lock.into_inner(), 4);
    /// ```
    pub fn get_mut(&mut self) -> &mut T {
        self.value
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .as_mut()
            .expect("a guard of this lock was leaked")
    }

    /// Moves the value out (the caller holds the lock).
    fn take(&self) -> T {
        let mut slot = self.value.lock().unwrap_or_else(|e| e.into_inner());
        slot.take()
            .expect("the lock's value is present while it is free")
    }

    /// Moves the value back and releases the lock.
    fn put_back(&self, value: T) {
        *self.value.lock().unwrap_or_else(|e| e.into_inner()) = Some(value);
        self.raw.unlock();
    }
}

impl<T: Default> Default for Lock<T> {
    fn default() -> Lock<T> {
        Lock::new(T::default())
    }
}

impl<T> From<T> for Lock<T> {
    fn from(value: T) -> Lock<T> {
        Lock::new(value)
    }
}

impl<T> fmt::Debug for Lock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lock")
            .field("locked", &self.is_locked())
            .finish_non_exhaustive()
    }
}

/// Holds a [`Lock`] and its value; releases the lock when dropped.
///
/// # Examples
///
/// ```
/// let lock = weft_sync::Lock::new(String::new());
/// let mut guard = lock.try_lock().unwrap();
/// guard.push_str("hi");
/// assert_eq!(&*guard, "hi");
/// assert!(std::ptr::eq(weft_sync::LockGuard::lock(&guard), &lock));
/// ```
pub struct LockGuard<'a, T> {
    lock: &'a Lock<T>,
    /// `Some` until dropped.
    value: Option<T>,
}

impl<'a, T> LockGuard<'a, T> {
    fn new(lock: &'a Lock<T>) -> LockGuard<'a, T> {
        LockGuard {
            value: Some(lock.take()),
            lock,
        }
    }

    /// The lock this guard holds (an associated function, so as not to hide a method
    /// of `T`).
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = weft_sync::Lock::new(());
    /// let guard = lock.try_lock().unwrap();
    /// assert!(std::ptr::eq(weft_sync::LockGuard::lock(&guard), &lock));
    /// ```
    pub fn lock(guard: &Self) -> &'a Lock<T> {
        guard.lock
    }
}

impl<T> Deref for LockGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value.as_ref().expect("present until dropped")
    }
}

impl<T> DerefMut for LockGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.value.as_mut().expect("present until dropped")
    }
}

impl<T> Drop for LockGuard<'_, T> {
    fn drop(&mut self) {
        if let Some(value) = self.value.take() {
            self.lock.put_back(value);
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for LockGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// Holds a [`Lock`] through an `Arc`, so it is `'static`; releases the lock when
/// dropped. Made by [`Lock::lock_owned`].
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// # futures::executor::block_on(async {
/// let lock = Arc::new(weft_sync::Lock::new(1));
/// let guard: weft_sync::OwnedLockGuard<i32> = lock.lock_owned().await;
/// assert_eq!(*guard, 1);
/// # });
/// ```
pub struct OwnedLockGuard<T> {
    lock: Arc<Lock<T>>,
    value: Option<T>,
}

impl<T> OwnedLockGuard<T> {
    fn new(lock: Arc<Lock<T>>) -> OwnedLockGuard<T> {
        OwnedLockGuard {
            value: Some(lock.take()),
            lock,
        }
    }

    /// The lock this guard holds.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// # futures::executor::block_on(async {
    /// let lock = Arc::new(weft_sync::Lock::new(()));
    /// let guard = lock.lock_owned().await;
    /// assert!(Arc::ptr_eq(weft_sync::OwnedLockGuard::lock(&guard), &lock));
    /// # });
    /// ```
    pub fn lock(guard: &Self) -> &Arc<Lock<T>> {
        &guard.lock
    }
}

impl<T> Deref for OwnedLockGuard<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value.as_ref().expect("present until dropped")
    }
}

impl<T> DerefMut for OwnedLockGuard<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.value.as_mut().expect("present until dropped")
    }
}

impl<T> Drop for OwnedLockGuard<T> {
    fn drop(&mut self) {
        if let Some(value) = self.value.take() {
            self.lock.put_back(value);
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for OwnedLockGuard<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// The future of [`Lock::lock`].
///
/// # Cancel safety
///
/// Cancel safe: dropped before completion it leaves the queue and passes on a lock
/// that had been handed to it.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let lock = weft_sync::Lock::new(());
/// let fut: weft_sync::LockFuture<'_, ()> = lock.lock();
/// let _guard = fut.await;
/// # });
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct LockFuture<'a, T> {
    lock: &'a Lock<T>,
    waiter: Waiter,
}

impl<'a, T> Future for LockFuture<'a, T> {
    type Output = LockGuard<'a, T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<LockGuard<'a, T>> {
        let lock = self.lock;
        match self.waiter.poll(&lock.raw, cx) {
            Poll::Ready(()) => Poll::Ready(LockGuard::new(lock)),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T> Drop for LockFuture<'_, T> {
    fn drop(&mut self) {
        self.waiter.cancel(&self.lock.raw);
    }
}

impl<T> fmt::Debug for LockFuture<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LockFuture").finish_non_exhaustive()
    }
}

/// The future of [`Lock::lock_owned`].
///
/// # Cancel safety
///
/// Cancel safe, as [`LockFuture`].
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// # futures::executor::block_on(async {
/// let lock = Arc::new(weft_sync::Lock::new(()));
/// let fut: weft_sync::LockOwnedFuture<()> = lock.lock_owned();
/// let _guard = fut.await;
/// # });
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct LockOwnedFuture<T> {
    /// `None` once the guard was made.
    lock: Option<Arc<Lock<T>>>,
    waiter: Waiter,
}

impl<T> Future for LockOwnedFuture<T> {
    type Output = OwnedLockGuard<T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<OwnedLockGuard<T>> {
        let this = &mut *self;
        let lock = this.lock.as_ref().expect("polled after completion");
        match this.waiter.poll(&lock.raw, cx) {
            Poll::Ready(()) => Poll::Ready(OwnedLockGuard::new(
                this.lock.take().expect("present until completion"),
            )),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T> Drop for LockOwnedFuture<T> {
    fn drop(&mut self) {
        if let Some(lock) = &self.lock {
            self.waiter.cancel(&lock.raw);
        }
    }
}

impl<T> fmt::Debug for LockOwnedFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LockOwnedFuture").finish_non_exhaustive()
    }
}
