//! asyncio's `Future` as a channel for one value: a [`Promise`] that sets a result
//! or an exception, and a [`Receiver`] that awaits it.
//!
//! # Implementation
//!
//! The two halves share one small allocation: a `Mutex` around a `Slot` state
//! (waiting with the receiver's waker, holding the value, spent, or closed by the
//! receiver) and an `event-listener` event, allocated only if
//! [`Promise::closed`] waits, for the promise's side. Every operation holds the
//! lock for a few moves; wakers are woken after it is released. For `()` values the
//! allocation is 56 bytes on 64-bit targets (futures' oneshot takes 72).
//!
//! # Examples
//!
//! ```
//! # futures::executor::block_on(async {
//! let (promise, rx) = weft_sync::oneshot();
//! std::thread::spawn(move || promise.set_result(6 * 7));
//! assert_eq!(rx.await, Ok(42));
//! # });
//! ```

mod error;

use std::fmt;
use std::future::Future;
use std::mem;
use std::pin::Pin;
use std::sync::PoisonError;
use std::task::{Context, Poll, Waker};

use event_listener::{Event, EventListener};

pub use error::{Error, TryRecvError};

use crate::sync::{Arc, Mutex, MutexGuard};

/// A oneshot channel whose promise can set a `T` or an exception `E`: asyncio's
/// `loop.create_future()`. [`oneshot()`](crate::oneshot()) is this with no
/// exception type.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// use weft_sync::oneshot;
///
/// let (promise, rx) = oneshot::channel::<u32, String>();
/// promise.set_exception("no answer".to_string()).unwrap();
/// assert_eq!(rx.await, Err(oneshot::Error::Exception("no answer".to_string())));
/// # });
/// ```
pub fn channel<T, E>() -> (Promise<T, E>, Receiver<T, E>) {
    let inner = Arc::new(Inner {
        slot: Mutex::new(Slot::Waiting(None)),
        closed: Event::new(),
    });
    (
        Promise {
            inner: Some(inner.clone()),
        },
        Receiver { inner },
    )
}

/// The state of a oneshot channel.
enum Slot<T, E> {
    /// No value yet; the receiver's waker once it has waited.
    Waiting(Option<Waker>),
    /// The promise set this.
    Set(Result<T, E>),
    /// The value was taken, or the promise went away without one.
    Spent,
    /// The receiver went away.
    Closed,
}

/// The allocation the two halves share.
struct Inner<T, E> {
    slot: Mutex<Slot<T, E>>,
    /// Notified when the receiver goes away, for [`Promise::closed`].
    closed: Event,
}

impl<T, E> Inner<T, E> {
    fn lock(&self) -> MutexGuard<'_, Slot<T, E>> {
        // No user code runs under the lock (values are dropped and wakers woken after
        // it), so a poisoned lock holds a consistent state.
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Ends the promise's side with `outcome` (a value, or nothing: cancelled);
    /// hands the value back if the receiver is gone.
    fn complete(&self, outcome: Option<Result<T, E>>) -> Result<(), Result<T, E>> {
        let mut slot = self.lock();
        match &mut *slot {
            Slot::Waiting(waker) => {
                let waker = waker.take();
                *slot = match outcome {
                    Some(v) => Slot::Set(v),
                    None => Slot::Spent,
                };
                drop(slot);
                if let Some(w) = waker {
                    w.wake();
                }
                Ok(())
            }
            Slot::Closed => {
                drop(slot);
                outcome.map_or(Ok(()), Err)
            }
            // The promise completes once: it is consumed or dropped doing so.
            Slot::Set(_) | Slot::Spent => unreachable!("a promise completes once"),
        }
    }
}

/// The sending half of a oneshot channel: sets the value once (asyncio's
/// `Future.set_result` / `set_exception`). Dropped without setting, the receiver
/// gets [`Error::Cancelled`].
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let (promise, rx) = weft_sync::oneshot();
/// promise.set_result("done").unwrap();
/// assert_eq!(rx.await, Ok("done"));
/// # });
/// ```
pub struct Promise<T, E = std::convert::Infallible> {
    /// `None` once completed (so that the drop does nothing more).
    inner: Option<Arc<Inner<T, E>>>,
}

/// The receiving half of a oneshot channel: a future of the value (asyncio's
/// awaitable `Future`), also readable without waiting ([`try_recv`](Receiver::try_recv))
/// and from a plain thread ([`recv_blocking`](Receiver::recv_blocking)).
///
/// # Cancel safety
///
/// Awaiting `&mut receiver` in a `select!` is cancel safe: the value stays in the
/// channel until a poll returns it. Dropping the receiver closes the channel, and
/// the promise's [`set_result`](Promise::set_result) hands the value back.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let (promise, rx) = weft_sync::oneshot();
/// promise.set_result(1).unwrap();
/// assert!(rx.is_done());
/// assert_eq!(rx.await, Ok(1));
/// # });
/// ```
pub struct Receiver<T, E = std::convert::Infallible> {
    inner: Arc<Inner<T, E>>,
}

impl<T, E> Promise<T, E> {
    fn inner(&self) -> &Inner<T, E> {
        self.inner
            .as_ref()
            .expect("a live promise holds its channel")
    }

    fn complete(mut self, outcome: Result<T, E>) -> Result<(), Result<T, E>> {
        let inner = self.inner.take().expect("a live promise holds its channel");
        inner.complete(Some(outcome))
    }

    /// Sets the value and wakes the receiver (asyncio's `set_result`).
    ///
    /// # Errors
    ///
    /// Hands `value` back if the receiver is gone.
    ///
    /// # Examples
    ///
    /// ```
    /// let (promise, rx) = weft_sync::oneshot();
    /// drop(rx);
    /// assert_eq!(promise.set_result(3), Err(3));
    /// ```
    pub fn set_result(self, value: T) -> Result<(), T> {
        self.complete(Ok(value)).map_err(|v| match v {
            Ok(v) => v,
            Err(_) => unreachable!("handed back what was given"),
        })
    }

    /// Sets an exception and wakes the receiver (asyncio's `set_exception`): awaiting
    /// the receiver gives [`Error::Exception`].
    ///
    /// # Errors
    ///
    /// Hands `error` back if the receiver is gone.
    ///
    /// # Examples
    ///
    /// ```
    /// let (promise, rx) = weft_sync::oneshot::channel::<(), &str>();
    /// drop(rx);
    /// assert_eq!(promise.set_exception("late"), Err("late"));
    /// ```
    pub fn set_exception(self, error: E) -> Result<(), E> {
        self.complete(Err(error)).map_err(|v| match v {
            Err(e) => e,
            Ok(_) => unreachable!("handed back what was given"),
        })
    }

    /// Whether the receiver is gone, so that nobody will see a value.
    ///
    /// # Examples
    ///
    /// ```
    /// let (promise, rx) = weft_sync::oneshot::<u8>();
    /// assert!(!promise.is_closed());
    /// drop(rx);
    /// assert!(promise.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        matches!(*self.inner().lock(), Slot::Closed)
    }

    /// Waits until the receiver is gone: lets the promise's side stop work nobody
    /// waits for any more.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it changes nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let (promise, rx) = weft_sync::oneshot::<u8>();
    /// std::thread::spawn(move || drop(rx));
    /// promise.closed().await;
    /// assert!(promise.is_closed());
    /// # });
    /// ```
    pub fn closed(&self) -> Closed<'_, T, E> {
        Closed {
            promise: self,
            listener: None,
        }
    }
}

impl<T, E> Drop for Promise<T, E> {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.take() {
            // Nothing was set: the receiver sees the future cancelled.
            let _ = inner.complete(None);
        }
    }
}

impl<T, E> Receiver<T, E> {
    /// Whether the future is done: a value or an exception was set, or the promise
    /// went away (asyncio's `Future.done()`). Once it is, awaiting the receiver
    /// returns at once.
    ///
    /// # Examples
    ///
    /// ```
    /// let (promise, rx) = weft_sync::oneshot::<u8>();
    /// assert!(!rx.is_done());
    /// drop(promise);
    /// assert!(rx.is_done());
    /// ```
    pub fn is_done(&self) -> bool {
        !matches!(*self.inner.lock(), Slot::Waiting(_))
    }

    /// Takes the outcome without waiting.
    ///
    /// # Errors
    ///
    /// [`TryRecvError::Empty`] if nothing is set yet, [`TryRecvError::Done`] with
    /// what awaiting would give if the promise set an exception or went away (and
    /// with [`Error::Cancelled`] once the value was taken).
    ///
    /// # Examples
    ///
    /// ```
    /// let (promise, mut rx) = weft_sync::oneshot();
    /// promise.set_result(9).unwrap();
    /// assert_eq!(rx.try_recv(), Ok(9));
    /// ```
    pub fn try_recv(&mut self) -> Result<T, TryRecvError<E>> {
        match self.take(None) {
            Poll::Ready(r) => r.map_err(TryRecvError::Done),
            Poll::Pending => Err(TryRecvError::Empty),
        }
    }

    /// Blocks this thread until the outcome is set, and returns it: awaiting the
    /// receiver, for plain threads. Do not call it from async code.
    ///
    /// # Errors
    ///
    /// [`Error::Exception`] if the promise set an exception, [`Error::Cancelled`] if
    /// it went away without a value.
    ///
    /// # Examples
    ///
    /// ```
    /// let (promise, rx) = weft_sync::oneshot();
    /// std::thread::spawn(move || promise.set_result('x'));
    /// assert_eq!(rx.recv_blocking(), Ok('x'));
    /// ```
    pub fn recv_blocking(mut self) -> Result<T, Error<E>> {
        let waker = Waker::from(std::sync::Arc::new(ThreadWaker(std::thread::current())));
        loop {
            match self.take(Some(&waker)) {
                Poll::Ready(r) => return r,
                Poll::Pending => std::thread::park(),
            }
        }
    }

    /// Takes the outcome if there is one; otherwise stores `waker`, if given.
    fn take(&mut self, waker: Option<&Waker>) -> Poll<Result<T, Error<E>>> {
        let mut slot = self.inner.lock();
        match &mut *slot {
            Slot::Waiting(stored) => {
                if let Some(w) = waker {
                    match stored {
                        Some(s) if s.will_wake(w) => {}
                        _ => {
                            // The old waker is dropped after the lock.
                            let old = stored.replace(w.clone());
                            drop(slot);
                            drop(old);
                        }
                    }
                }
                Poll::Pending
            }
            Slot::Set(_) => match mem::replace(&mut *slot, Slot::Spent) {
                Slot::Set(r) => {
                    drop(slot);
                    Poll::Ready(r.map_err(Error::Exception))
                }
                _ => unreachable!("matched `Set` above"),
            },
            Slot::Spent => Poll::Ready(Err(Error::Cancelled)),
            Slot::Closed => unreachable!("only the receiver closes the channel"),
        }
    }
}

impl<T, E> Future for Receiver<T, E> {
    type Output = Result<T, Error<E>>;

    /// # Cancel safety
    ///
    /// The value stays in the channel until a poll returns it.
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.get_mut().take(Some(cx.waker()))
    }
}

impl<T, E> Drop for Receiver<T, E> {
    fn drop(&mut self) {
        let old = mem::replace(&mut *self.inner.lock(), Slot::Closed);
        // A value never taken, or a waker, is dropped outside the lock.
        drop(old);
        self.inner.closed.notify(usize::MAX);
    }
}

/// The future of [`Promise::closed`]: completes once the receiver is gone.
///
/// # Cancel safety
///
/// Cancel safe: it changes nothing.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let (promise, rx) = weft_sync::oneshot::<()>();
/// drop(rx);
/// let closed: weft_sync::oneshot::Closed<'_, ()> = promise.closed();
/// closed.await;
/// # });
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Closed<'a, T, E = std::convert::Infallible> {
    promise: &'a Promise<T, E>,
    listener: Option<EventListener>,
}

impl<T, E> Future for Closed<'_, T, E> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        loop {
            if this.promise.is_closed() {
                return Poll::Ready(());
            }
            match &mut this.listener {
                None => this.listener = Some(this.promise.inner().closed.listen()),
                Some(l) => {
                    std::task::ready!(Pin::new(l).poll(cx));
                    this.listener = None;
                }
            }
        }
    }
}

/// Wakes a thread parked in [`Receiver::recv_blocking`].
struct ThreadWaker(std::thread::Thread);

impl std::task::Wake for ThreadWaker {
    fn wake(self: std::sync::Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &std::sync::Arc<Self>) {
        self.0.unpark();
    }
}

impl<T, E> fmt::Debug for Promise<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Promise")
            .field(
                "closed",
                &self.inner.as_ref().is_none_or(|_| self.is_closed()),
            )
            .finish()
    }
}

impl<T, E> fmt::Debug for Receiver<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("done", &self.is_done())
            .finish()
    }
}

impl<T, E> fmt::Debug for Closed<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Closed").finish_non_exhaustive()
    }
}

/// The size of the channel's shared allocation's contents, for tests and benches.
#[doc(hidden)]
pub fn __inner_size<T, E>() -> usize {
    mem::size_of::<Inner<T, E>>()
}

/// A oneshot channel for one `T`: asyncio's `loop.create_future()`, with no
/// exception type (the error is [`Infallible`](std::convert::Infallible); use
/// [`channel`] to set exceptions of a type `E`).
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let (promise, rx) = weft_sync::oneshot();
/// promise.set_result(5).unwrap();
/// assert_eq!(rx.await, Ok(5));
/// # });
/// ```
pub fn oneshot<T>() -> (Promise<T>, Receiver<T>) {
    channel()
}
