//! [`Condition`]: asyncio's `Condition`, a notification queue bound to a [`Lock`].
//!
//! A waiter registers its listener *before* it releases the lock, so a notify made
//! by the next holder of the lock cannot slip between the two. Notifications are
//! `additional` (each `notify(n)` wakes `n` more waiters, in the order they began
//! waiting). A waiter dropped while notified but before it has the lock back passes
//! its notification on: `event-listener` does so when a notified listener is
//! dropped, and the future notifies once more if it was re-taking the lock.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use event_listener::{Event, EventListener, IntoNotification, Listener};

use crate::lock::{Lock, LockFuture, LockGuard};
use std::sync::Arc;

/// A condition variable for tasks: asyncio's `Condition`.
///
/// It is bound to a [`Lock`] (its own from [`Condition::new`], or a shared one from
/// [`Condition::with_lock`]). Take the lock with [`lock`](Condition::lock), then
/// [`wait`](Condition::wait) hands the guard in, releases the lock, waits for a
/// [`notify`](Condition::notify), re-takes the lock and hands the guard back.
/// [`wait_for`](Condition::wait_for) waits until a predicate on the value holds.
/// Notified waiters wake in the order they began waiting.
///
/// asyncio requires the lock to be held around `notify`; here `notify` needs no
/// guard and is sound either way, but holding the lock is how a change of the value
/// and its notification stay together.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use weft_sync::Condition;
///
/// # weft_executor::Executor::new(1).unwrap().block_on(async {
/// let cond = Arc::new(Condition::with_value(Vec::new()));
/// let consumer = weft_executor::spawn({
///     let cond = cond.clone();
///     async move {
///         let items = cond.lock().await;
///         let mut items = cond.wait_for(items, |v| !v.is_empty()).await;
///         items.pop()
///     }
/// });
/// weft_executor::yield_now().await;
/// cond.lock().await.push(42);
/// cond.notify(1);
/// assert_eq!(consumer.await.unwrap(), Some(42));
/// # });
/// ```
pub struct Condition<T = ()> {
    lock: Arc<Lock<T>>,
    event: Event,
}

impl Condition<()> {
    /// A condition with its own lock (asyncio's `Condition()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let cond = weft_sync::Condition::new();
    /// assert!(!cond.is_locked());
    /// ```
    pub fn new() -> Condition<()> {
        Condition::with_value(())
    }
}

impl Default for Condition<()> {
    fn default() -> Condition<()> {
        Condition::new()
    }
}

impl<T> Condition<T> {
    /// A condition with its own lock over `value`.
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let cond = weft_sync::Condition::with_value(5);
    /// assert_eq!(*cond.lock().await, 5);
    /// # });
    /// ```
    pub fn with_value(value: T) -> Condition<T> {
        Condition::with_lock(Arc::new(Lock::new(value)))
    }

    /// A condition bound to a shared lock (asyncio's `Condition(lock)`); several
    /// conditions may share one lock.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// let lock = Arc::new(weft_sync::Lock::new(0));
    /// let not_empty = weft_sync::Condition::with_lock(lock.clone());
    /// let not_full = weft_sync::Condition::with_lock(lock.clone());
    /// assert!(Arc::ptr_eq(not_empty.get_lock(), not_full.get_lock()));
    /// ```
    pub fn with_lock(lock: Arc<Lock<T>>) -> Condition<T> {
        Condition {
            lock,
            event: Event::new(),
        }
    }

    /// The lock this condition is bound to.
    ///
    /// # Examples
    ///
    /// ```
    /// let cond = weft_sync::Condition::new();
    /// assert!(!cond.get_lock().is_locked());
    /// ```
    pub fn get_lock(&self) -> &Arc<Lock<T>> {
        &self.lock
    }

    /// Waits for the lock (asyncio's `async with cond:`).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, as [`Lock::lock`].
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let cond = weft_sync::Condition::new();
    /// let _guard = cond.lock().await;
    /// assert!(cond.is_locked());
    /// # });
    /// ```
    pub fn lock(&self) -> LockFuture<'_, T> {
        self.lock.lock()
    }

    /// Whether the lock is held (asyncio's `locked()`).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!weft_sync::Condition::new().is_locked());
    /// ```
    pub fn is_locked(&self) -> bool {
        self.lock.is_locked()
    }

    /// Releases the lock, waits for a notification, re-takes the lock and returns
    /// the guard. As with asyncio, a waiter may also wake without a change it cares
    /// about: re-check the state (or use [`wait_for`](Condition::wait_for)).
    ///
    /// # Panics
    ///
    /// If `guard` holds another lock than this condition's.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe in the sense that no notification is lost: a notification that
    /// reached this waiter passes to the next one if the future is dropped before it
    /// completes. The guard handed in is released, as asyncio's `wait` releases the
    /// lock; a dropped future does not give it back.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// # weft_executor::Executor::new(1).unwrap().block_on(async {
    /// let cond = Arc::new(weft_sync::Condition::with_value(false));
    /// let waiter = weft_executor::spawn({
    ///     let cond = cond.clone();
    ///     async move {
    ///         let mut ready = cond.lock().await;
    ///         while !*ready {
    ///             ready = cond.wait(ready).await;
    ///         }
    ///     }
    /// });
    /// weft_executor::yield_now().await;
    /// *cond.lock().await = true;
    /// cond.notify_all();
    /// waiter.await.unwrap();
    /// # });
    /// ```
    pub fn wait<'a>(&'a self, guard: LockGuard<'a, T>) -> ConditionWait<'a, T> {
        assert!(
            std::ptr::eq(LockGuard::lock(&guard), &*self.lock),
            "Condition::wait: the guard holds another lock than the condition's"
        );
        ConditionWait {
            event: &self.event,
            state: State::Start(guard),
        }
    }

    /// Waits until `predicate` holds for the value, checking it first and after each
    /// notification, with the lock held; returns the guard.
    ///
    /// # Panics
    ///
    /// If `guard` holds another lock than this condition's.
    ///
    /// # Cancel safety
    ///
    /// As [`wait`](Condition::wait).
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let cond = weft_sync::Condition::with_value(3);
    /// let guard = cond.lock().await;
    /// let guard = cond.wait_for(guard, |n| *n == 3).await; // holds: no wait
    /// assert_eq!(*guard, 3);
    /// # });
    /// ```
    pub fn wait_for<'a, F>(&'a self, guard: LockGuard<'a, T>, predicate: F) -> WaitFor<'a, T, F>
    where
        F: FnMut(&mut T) -> bool,
    {
        assert!(
            std::ptr::eq(LockGuard::lock(&guard), &*self.lock),
            "Condition::wait_for: the guard holds another lock than the condition's"
        );
        WaitFor {
            cond: self,
            guard: Some(guard),
            wait: None,
            predicate,
        }
    }

    /// Releases the lock, waits for a notification and re-takes the lock, blocking
    /// the thread: for plain threads, never inside async code.
    ///
    /// # Panics
    ///
    /// If `guard` holds another lock than this condition's.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// let cond = Arc::new(weft_sync::Condition::with_value(0));
    /// let t = std::thread::spawn({
    ///     let cond = cond.clone();
    ///     move || {
    ///         let mut n = cond.get_lock().lock_blocking();
    ///         while *n == 0 {
    ///             n = cond.wait_blocking(n);
    ///         }
    ///         *n
    ///     }
    /// });
    /// *cond.get_lock().lock_blocking() = 9;
    /// cond.notify_all();
    /// assert_eq!(t.join().unwrap(), 9);
    /// ```
    pub fn wait_blocking<'a>(&'a self, guard: LockGuard<'a, T>) -> LockGuard<'a, T> {
        let lock = LockGuard::lock(&guard);
        assert!(
            std::ptr::eq(lock, &*self.lock),
            "Condition::wait_blocking: the guard holds another lock than the condition's"
        );
        let listener = self.event.listen();
        drop(guard);
        listener.wait();
        lock.lock_blocking()
    }

    /// Wakes up to `n` more waiters, the longest-waiting first.
    ///
    /// # Examples
    ///
    /// ```
    /// let cond = weft_sync::Condition::new();
    /// cond.notify(1); // nobody waits: nothing happens
    /// ```
    pub fn notify(&self, n: usize) {
        self.event.notify(n.additional());
    }

    /// Wakes every waiter.
    ///
    /// # Examples
    ///
    /// ```
    /// weft_sync::Condition::new().notify_all();
    /// ```
    pub fn notify_all(&self) {
        self.event.notify(usize::MAX);
    }
}

impl<T> fmt::Debug for Condition<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Condition")
            .field("locked", &self.is_locked())
            .finish_non_exhaustive()
    }
}

enum State<'a, T> {
    Start(LockGuard<'a, T>),
    Waiting(EventListener, &'a Lock<T>),
    Relocking(LockFuture<'a, T>),
    Done,
}

/// The future of [`Condition::wait`].
///
/// # Cancel safety
///
/// No notification is lost: dropped after a notification reached it and before it
/// completed, it passes the notification to the next waiter.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let cond = weft_sync::Condition::new();
/// let guard = cond.lock().await;
/// let fut: weft_sync::ConditionWait<'_, ()> = cond.wait(guard);
/// drop(fut); // releases the lock
/// assert!(!cond.is_locked());
/// # });
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct ConditionWait<'a, T> {
    event: &'a Event,
    state: State<'a, T>,
}

// Nothing is pinned in place: the guard and the lock future move freely.
impl<T> Unpin for ConditionWait<'_, T> {}

impl<'a, T> Future for ConditionWait<'a, T> {
    type Output = LockGuard<'a, T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<LockGuard<'a, T>> {
        let this = &mut *self;
        loop {
            match &mut this.state {
                State::Start(_) => {
                    let listener = this.event.listen();
                    let State::Start(guard) = std::mem::replace(&mut this.state, State::Done)
                    else {
                        unreachable!()
                    };
                    let lock = LockGuard::lock(&guard);
                    drop(guard);
                    this.state = State::Waiting(listener, lock);
                }
                State::Waiting(listener, lock) => {
                    if Pin::new(listener).poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    this.state = State::Relocking(lock.lock());
                }
                State::Relocking(relock) => {
                    let guard = std::task::ready!(Pin::new(relock).poll(cx));
                    this.state = State::Done;
                    return Poll::Ready(guard);
                }
                State::Done => panic!("ConditionWait polled after completion"),
            }
        }
    }
}

impl<T> Drop for ConditionWait<'_, T> {
    fn drop(&mut self) {
        // A notified listener passes its notification on when dropped; one consumed
        // while re-taking the lock is passed on here.
        if let State::Relocking(_) = self.state {
            self.state = State::Done;
            self.event.notify(1.additional());
        }
    }
}

impl<T> fmt::Debug for ConditionWait<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConditionWait").finish_non_exhaustive()
    }
}

/// The future of [`Condition::wait_for`].
///
/// # Cancel safety
///
/// As [`ConditionWait`].
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let cond = weft_sync::Condition::with_value(1);
/// let guard = cond.lock().await;
/// let fut = cond.wait_for(guard, |n| *n > 0);
/// assert_eq!(*fut.await, 1);
/// # });
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct WaitFor<'a, T, F> {
    cond: &'a Condition<T>,
    /// The guard while checking; `None` while waiting and after completion.
    guard: Option<LockGuard<'a, T>>,
    wait: Option<ConditionWait<'a, T>>,
    predicate: F,
}

// Nothing is pinned in place: the predicate is only called through `&mut`.
impl<T, F> Unpin for WaitFor<'_, T, F> {}

impl<'a, T, F: FnMut(&mut T) -> bool> Future for WaitFor<'a, T, F> {
    type Output = LockGuard<'a, T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<LockGuard<'a, T>> {
        let this = &mut *self;
        loop {
            if let Some(wait) = &mut this.wait {
                let guard = std::task::ready!(Pin::new(wait).poll(cx));
                this.wait = None;
                this.guard = Some(guard);
            }
            let mut guard = this.guard.take().expect("WaitFor polled after completion");
            if (this.predicate)(&mut guard) {
                return Poll::Ready(guard);
            }
            this.wait = Some(this.cond.wait(guard));
        }
    }
}

impl<T, F> fmt::Debug for WaitFor<'_, T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitFor").finish_non_exhaustive()
    }
}
