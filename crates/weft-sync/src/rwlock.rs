//! [`RwLock`]: a read-write lock for tasks (asyncio has none; this is the usual
//! fair one).
//!
//! The protocol is in `rwlock/raw.rs`; this file is the API. Without `unsafe`, the
//! value lives in an `Arc` that read guards share (each holds a clone, so `&T` stays
//! valid); a write guard takes the `Arc` out, and is its only owner once the readers
//! have left, which is what gives it `&mut T`.

mod raw;

use std::fmt;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::error::TryLockError;
use std::sync::Arc;

use crate::sync::Mutex;
use raw::{RawRwLock, ReadWaiter, WriteWaiter};

/// A read-write lock over a value: many readers or one writer.
///
/// [`read`](RwLock::read) shares the value with other readers;
/// [`write`](RwLock::write) takes it alone. A writer that is waiting stops new
/// readers from coming in, so writers are not starved; writers are served in the
/// order they came. `try_` and `_blocking` variants serve synchronous code.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let config = weft_sync::RwLock::new(String::from("v1"));
/// {
///     let a = config.read().await;
///     let b = config.read().await; // readers share
///     assert_eq!(*a, *b);
/// }
/// config.write().await.push_str("-patched");
/// assert_eq!(&*config.read().await, "v1-patched");
/// # });
/// ```
pub struct RwLock<T> {
    raw: RawRwLock,
    /// `None` while a write guard holds the value.
    value: Mutex<Option<Arc<T>>>,
}

impl<T> RwLock<T> {
    /// A new, unlocked read-write lock holding `value`.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = weft_sync::RwLock::new(1);
    /// assert!(lock.try_write().is_ok());
    /// ```
    pub fn new(value: T) -> RwLock<T> {
        RwLock {
            raw: RawRwLock::new(),
            value: Mutex::new(Some(Arc::new(value))),
        }
    }

    /// Waits for a shared read lock.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: until it completes the future holds nothing, and readers are
    /// woken all together, so dropping one loses nobody's wake-up.
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let lock = weft_sync::RwLock::new(5);
    /// assert_eq!(*lock.read().await, 5);
    /// # });
    /// ```
    pub fn read(&self) -> ReadFuture<'_, T> {
        ReadFuture {
            lock: self,
            waiter: ReadWaiter::default(),
        }
    }

    /// Waits for the exclusive write lock.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropped while queued behind other writers, it leaves the queue
    /// (passing the turn on); dropped while waiting for readers to leave, it lets new
    /// readers in again and hands the turn to the next writer.
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let lock = weft_sync::RwLock::new(5);
    /// *lock.write().await += 1;
    /// assert_eq!(*lock.read().await, 6);
    /// # });
    /// ```
    pub fn write(&self) -> WriteFuture<'_, T> {
        WriteFuture {
            lock: self,
            waiter: WriteWaiter::default(),
        }
    }

    /// Takes a read lock if no writer holds or waits for the lock.
    ///
    /// # Errors
    ///
    /// [`TryLockError`] if a writer holds the lock or waits for it.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = weft_sync::RwLock::new(());
    /// let _r = lock.try_read().unwrap();
    /// assert!(lock.try_read().is_ok());
    /// assert!(lock.try_write().is_err());
    /// ```
    pub fn try_read(&self) -> Result<RwLockReadGuard<'_, T>, TryLockError> {
        if self.raw.try_read() {
            Ok(RwLockReadGuard::new(self))
        } else {
            Err(TryLockError)
        }
    }

    /// Takes the write lock if nobody holds or waits for the lock.
    ///
    /// # Errors
    ///
    /// [`TryLockError`] if the lock is held (or writers are queued).
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = weft_sync::RwLock::new(());
    /// let w = lock.try_write().unwrap();
    /// assert!(lock.try_read().is_err());
    /// drop(w);
    /// assert!(lock.try_read().is_ok());
    /// ```
    pub fn try_write(&self) -> Result<RwLockWriteGuard<'_, T>, TryLockError> {
        if self.raw.try_write() {
            Ok(RwLockWriteGuard::new(self))
        } else {
            Err(TryLockError)
        }
    }

    /// Takes a read lock, blocking the thread: for plain threads, never inside async
    /// code.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = weft_sync::RwLock::new(2);
    /// assert_eq!(*lock.read_blocking(), 2);
    /// ```
    pub fn read_blocking(&self) -> RwLockReadGuard<'_, T> {
        self.raw.read_blocking();
        RwLockReadGuard::new(self)
    }

    /// Takes the write lock, blocking the thread: for plain threads, never inside
    /// async code.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = weft_sync::RwLock::new(2);
    /// *lock.write_blocking() = 3;
    /// assert_eq!(*lock.read_blocking(), 3);
    /// ```
    pub fn write_blocking(&self) -> RwLockWriteGuard<'_, T> {
        self.raw.write_blocking();
        RwLockWriteGuard::new(self)
    }

    /// How many read guards are alive now.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = weft_sync::RwLock::new(());
    /// let _a = lock.try_read().unwrap();
    /// assert_eq!(lock.readers(), 1);
    /// ```
    pub fn readers(&self) -> usize {
        self.raw.readers()
    }

    /// Whether a writer holds the lock or is waiting for the readers to leave.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = weft_sync::RwLock::new(());
    /// let _w = lock.try_write().unwrap();
    /// assert!(lock.is_write_locked());
    /// ```
    pub fn is_write_locked(&self) -> bool {
        self.raw.is_write_locked()
    }

    /// Consumes the lock and returns the value.
    ///
    /// # Panics
    ///
    /// If a guard of this lock was leaked with `mem::forget`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(weft_sync::RwLock::new(4).into_inner(), 4);
    /// ```
    pub fn into_inner(self) -> T {
        let value = self
            .value
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .expect("a write guard of this lock was leaked");
        Arc::try_unwrap(value)
            .ok()
            .expect("a read guard of this lock was leaked")
    }

    /// The value, through a unique borrow (no locking needed).
    ///
    /// # Panics
    ///
    /// If a guard of this lock was leaked with `mem::forget`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut lock = weft_sync::RwLock::new(4);
    /// *lock.get_mut() = 5;
    /// assert_eq!(lock.into_inner(), 5);
    /// ```
    pub fn get_mut(&mut self) -> &mut T {
        let value = self
            .value
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .as_mut()
            .expect("a write guard of this lock was leaked");
        Arc::get_mut(value).expect("a read guard of this lock was leaked")
    }

    fn slot(&self) -> crate::sync::MutexGuard<'_, Option<Arc<T>>> {
        self.value.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<T: Default> Default for RwLock<T> {
    fn default() -> RwLock<T> {
        RwLock::new(T::default())
    }
}

impl<T> fmt::Debug for RwLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RwLock")
            .field("readers", &self.readers())
            .field("write_locked", &self.is_write_locked())
            .finish_non_exhaustive()
    }
}

/// A shared hold on a [`RwLock`]; releases it when dropped.
///
/// # Examples
///
/// ```
/// let lock = weft_sync::RwLock::new(vec![1]);
/// let guard: weft_sync::RwLockReadGuard<'_, Vec<i32>> = lock.try_read().unwrap();
/// assert_eq!(guard.len(), 1);
/// ```
pub struct RwLockReadGuard<'a, T> {
    lock: &'a RwLock<T>,
    /// `Some` until dropped.
    value: Option<Arc<T>>,
}

impl<'a, T> RwLockReadGuard<'a, T> {
    fn new(lock: &'a RwLock<T>) -> RwLockReadGuard<'a, T> {
        let value = lock.slot().clone().expect("no writer holds the value");
        RwLockReadGuard {
            lock,
            value: Some(value),
        }
    }
}

impl<T> Deref for RwLockReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value.as_ref().expect("present until dropped")
    }
}

impl<T> Drop for RwLockReadGuard<'_, T> {
    fn drop(&mut self) {
        // The clone goes first, so that a writer let in by the release owns the
        // value alone.
        drop(self.value.take());
        self.lock.raw.read_unlock();
    }
}

impl<T: fmt::Debug> fmt::Debug for RwLockReadGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// The exclusive hold on a [`RwLock`]; releases it when dropped.
///
/// # Examples
///
/// ```
/// let lock = weft_sync::RwLock::new(1);
/// let mut guard: weft_sync::RwLockWriteGuard<'_, i32> = lock.try_write().unwrap();
/// *guard += 1;
/// drop(guard);
/// assert_eq!(lock.into_inner(), 2);
/// ```
pub struct RwLockWriteGuard<'a, T> {
    lock: &'a RwLock<T>,
    /// `Some` until dropped; the only clone of the `Arc`.
    value: Option<Arc<T>>,
}

impl<'a, T> RwLockWriteGuard<'a, T> {
    fn new(lock: &'a RwLock<T>) -> RwLockWriteGuard<'a, T> {
        let value = lock
            .slot()
            .take()
            .expect("the value is there while unlocked");
        RwLockWriteGuard {
            lock,
            value: Some(value),
        }
    }
}

impl<T> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value.as_ref().expect("present until dropped")
    }
}

impl<T> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        let value = self.value.as_mut().expect("present until dropped");
        Arc::get_mut(value).expect("the readers have left")
    }
}

impl<T> Drop for RwLockWriteGuard<'_, T> {
    fn drop(&mut self) {
        *self.lock.slot() = self.value.take();
        self.lock.raw.write_unlock();
    }
}

impl<T: fmt::Debug> fmt::Debug for RwLockWriteGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// The future of [`RwLock::read`].
///
/// # Cancel safety
///
/// Cancel safe: it holds nothing until it completes.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let lock = weft_sync::RwLock::new(());
/// let fut: weft_sync::ReadFuture<'_, ()> = lock.read();
/// let _guard = fut.await;
/// # });
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct ReadFuture<'a, T> {
    lock: &'a RwLock<T>,
    waiter: ReadWaiter,
}

impl<'a, T> Future for ReadFuture<'a, T> {
    type Output = RwLockReadGuard<'a, T>;

    #[inline]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let lock = self.lock;
        std::task::ready!(self.waiter.poll(&lock.raw, cx));
        Poll::Ready(RwLockReadGuard::new(lock))
    }
}

impl<T> fmt::Debug for ReadFuture<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadFuture").finish_non_exhaustive()
    }
}

/// The future of [`RwLock::write`].
///
/// # Cancel safety
///
/// Cancel safe: dropped before completion it leaves the writers' queue, or, if it
/// was waiting for readers to leave, lets readers in again and passes the turn on.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let lock = weft_sync::RwLock::new(());
/// let fut: weft_sync::WriteFuture<'_, ()> = lock.write();
/// let _guard = fut.await;
/// # });
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct WriteFuture<'a, T> {
    lock: &'a RwLock<T>,
    waiter: WriteWaiter,
}

impl<'a, T> Future for WriteFuture<'a, T> {
    type Output = RwLockWriteGuard<'a, T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let lock = self.lock;
        std::task::ready!(self.waiter.poll(&lock.raw, cx));
        Poll::Ready(RwLockWriteGuard::new(lock))
    }
}

impl<T> Drop for WriteFuture<'_, T> {
    fn drop(&mut self) {
        self.waiter.cancel(&self.lock.raw);
    }
}

impl<T> fmt::Debug for WriteFuture<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WriteFuture").finish_non_exhaustive()
    }
}
