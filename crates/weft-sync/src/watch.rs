//! A watch channel: one value that a sender changes and receivers watch, each
//! told when there is a value it has not seen.
//!
//! Receivers see the latest value, not every value: changes made while a receiver
//! was not looking show up as one change. Each receiver tracks the version it has
//! seen ([`Receiver::changed`], [`Receiver::borrow_and_update`]); the value a
//! receiver starts with counts as seen. The channel closes when the sender goes:
//! receivers can still [`borrow`](Receiver::borrow) the last value, and
//! [`changed`](Receiver::changed) fails once they have seen it.
//!
//! # Examples
//!
//! ```
//! let (tx, mut rx) = weft_sync::watch::channel("starting");
//! let watcher = std::thread::spawn(move || {
//!     let mut last = *rx.borrow();
//!     while rx.changed_blocking().is_ok() {
//!         last = *rx.borrow_and_update();
//!     }
//!     last
//! });
//! tx.send("ready").unwrap();
//! drop(tx);
//! assert_eq!(watcher.join().unwrap(), "ready");
//! ```

mod core;
mod error;
mod future;
mod guard;

use std::fmt;

use event_listener::{EventListener, Listener};

pub use error::{RecvError, SendError};
pub use future::{Changed, Closed, WaitFor};
pub use guard::Ref;

use self::core::Shared;
use crate::sync::Arc;

/// A watch channel holding `initial`, which its first receiver counts as seen.
///
/// # Examples
///
/// ```
/// let (tx, rx) = weft_sync::watch::channel(1);
/// assert_eq!(*rx.borrow(), 1);
/// assert!(!rx.has_changed().unwrap());
/// tx.send(2).unwrap();
/// assert!(rx.has_changed().unwrap());
/// ```
pub fn channel<T>(initial: T) -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Shared::new(initial));
    (
        Sender {
            shared: shared.clone(),
        },
        Receiver { shared, seen: 0 },
    )
}

/// The sending half of a watch channel: it changes the value. There is one; the
/// channel closes when it goes.
///
/// # Examples
///
/// ```
/// let (tx, rx) = weft_sync::watch::channel(0);
/// tx.send_modify(|v| *v += 10);
/// assert_eq!(*rx.borrow(), 10);
/// ```
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

/// The receiving half of a watch channel: it reads the value and waits for
/// changes. A clone has seen what this one has.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let (tx, mut rx) = weft_sync::watch::channel(0);
/// tx.send(1).unwrap();
/// rx.changed().await.unwrap();
/// assert_eq!(*rx.borrow(), 1);
/// # });
/// ```
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
    /// The version this receiver has seen (without the closed bit).
    seen: usize,
}

impl<T> Sender<T> {
    /// Replaces the value and tells every receiver.
    ///
    /// # Errors
    ///
    /// [`SendError`] with `value` if there is no receiver; the value is then left
    /// unchanged (use [`send_replace`](Sender::send_replace) to change it anyway).
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::watch::channel(0);
    /// tx.send(1).unwrap();
    /// assert_eq!(*rx.borrow(), 1);
    /// ```
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        if self.shared.receiver_count() == 0 {
            return Err(SendError(value));
        }
        self.send_replace(value);
        Ok(())
    }

    /// Replaces the value, whether or not there are receivers, tells every
    /// receiver, and returns the old value.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, _rx) = weft_sync::watch::channel(1);
    /// assert_eq!(tx.send_replace(2), 1);
    /// ```
    pub fn send_replace(&self, value: T) -> T {
        self.shared
            .modify(|current| (true, std::mem::replace(current, value)))
    }

    /// Changes the value in place, whether or not there are receivers, and tells
    /// every receiver. `modify` runs under the channel's write lock: it must not use
    /// the channel.
    ///
    /// # Panics
    ///
    /// If `modify` panics, the panic goes on; the value is left as `modify` left it,
    /// and receivers are not told of a change.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::watch::channel(vec![1]);
    /// tx.send_modify(|v| v.push(2));
    /// assert_eq!(*rx.borrow(), [1, 2]);
    /// ```
    pub fn send_modify(&self, modify: impl FnOnce(&mut T)) {
        self.shared.modify(|value| {
            modify(value);
            (true, ())
        });
    }

    /// Changes the value in place, and tells every receiver only if `modify`
    /// returns `true` (that it changed it); returns what `modify` returned. `modify`
    /// runs under the channel's write lock: it must not use the channel.
    ///
    /// # Panics
    ///
    /// If `modify` panics, as [`send_modify`](Sender::send_modify).
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::watch::channel(5);
    /// assert!(!tx.send_if_modified(|v| std::mem::replace(v, 5) != 5));
    /// assert!(!rx.has_changed().unwrap());
    /// ```
    pub fn send_if_modified(&self, modify: impl FnOnce(&mut T) -> bool) -> bool {
        self.shared.modify(|value| {
            let changed = modify(value);
            (changed, changed)
        })
    }

    /// Borrows the value. The borrow holds a read lock: sends wait until it is
    /// dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, _rx) = weft_sync::watch::channel("v");
    /// assert_eq!(*tx.borrow(), "v");
    /// ```
    pub fn borrow(&self) -> Ref<'_, T> {
        Ref::new(self.shared.read().0, false)
    }

    /// A new receiver, which counts the current value as seen.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::watch::channel(0);
    /// drop(rx);
    /// let rx = tx.subscribe();
    /// assert!(tx.send(1).is_ok());
    /// assert!(rx.has_changed().unwrap());
    /// ```
    pub fn subscribe(&self) -> Receiver<T> {
        self.shared.add_receiver();
        let seen = self.shared.read().1;
        Receiver {
            shared: self.shared.clone(),
            seen,
        }
    }

    /// How many receivers there are.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::watch::channel(0);
    /// let _rx2 = rx.clone();
    /// assert_eq!(tx.receiver_count(), 2);
    /// ```
    pub fn receiver_count(&self) -> usize {
        self.shared.receiver_count()
    }

    /// Whether every receiver is gone.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::watch::channel(0);
    /// drop(rx);
    /// assert!(tx.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.receiver_count() == 0
    }

    /// Waits until every receiver is gone: lets the sender's side stop work nobody
    /// watches any more.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it changes nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let (tx, rx) = weft_sync::watch::channel(0);
    /// std::thread::spawn(move || drop(rx));
    /// tx.closed().await;
    /// assert!(tx.is_closed());
    /// # });
    /// ```
    pub fn closed(&self) -> Closed<'_, T> {
        Closed::new(&self.shared)
    }
}

impl<T> Receiver<T> {
    /// Borrows the value, without marking it seen. The borrow holds a read lock:
    /// sends wait until it is dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::watch::channel(0);
    /// tx.send(1).unwrap();
    /// assert_eq!(*rx.borrow(), 1);
    /// assert!(rx.has_changed().unwrap(), "still unseen");
    /// ```
    pub fn borrow(&self) -> Ref<'_, T> {
        let (guard, version) = self.shared.read();
        Ref::new(guard, version != self.seen)
    }

    /// Borrows the value and marks it seen.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, mut rx) = weft_sync::watch::channel(0);
    /// tx.send(1).unwrap();
    /// assert_eq!(*rx.borrow_and_update(), 1);
    /// assert!(!rx.has_changed().unwrap());
    /// ```
    pub fn borrow_and_update(&mut self) -> Ref<'_, T> {
        let (guard, version) = self.shared.read();
        let has_changed = version != self.seen;
        self.seen = version;
        Ref::new(guard, has_changed)
    }

    /// Whether there is a value this receiver has not seen.
    ///
    /// # Errors
    ///
    /// [`RecvError`] if there is none and the sender is gone (there never will be).
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::watch::channel(0);
    /// assert_eq!(rx.has_changed(), Ok(false));
    /// tx.send(1).unwrap();
    /// drop(tx);
    /// assert_eq!(rx.has_changed(), Ok(true), "an unseen value is left");
    /// ```
    pub fn has_changed(&self) -> Result<bool, RecvError> {
        let mut seen = self.seen;
        match future::check_changed(&self.shared, &mut seen) {
            Some(Ok(())) => Ok(true),
            Some(Err(e)) => Err(e),
            None => Ok(false),
        }
    }

    /// Waits for a value this receiver has not seen, and marks it seen (read it
    /// with [`borrow`](Receiver::borrow)). Returns at once if there is one already.
    ///
    /// # Errors
    ///
    /// [`RecvError`] once the sender is gone and this receiver has seen its last
    /// value.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropped before it completes, the future has marked nothing seen,
    /// so the next `changed()` reports the change this one would have.
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let (tx, mut rx) = weft_sync::watch::channel(0);
    /// std::thread::spawn(move || tx.send(1).unwrap());
    /// rx.changed().await.unwrap();
    /// assert_eq!(*rx.borrow(), 1);
    /// # });
    /// ```
    pub fn changed(&mut self) -> Changed<'_, T> {
        Changed::new(&self.shared, &mut self.seen)
    }

    /// Waits for a value this receiver has not seen, blocking this thread:
    /// [`changed`](Receiver::changed) for plain threads. Do not call it from async
    /// code.
    ///
    /// # Errors
    ///
    /// [`RecvError`] once the sender is gone and this receiver has seen its last
    /// value.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, mut rx) = weft_sync::watch::channel(0);
    /// std::thread::spawn(move || tx.send(1).unwrap());
    /// rx.changed_blocking().unwrap();
    /// assert_eq!(*rx.borrow(), 1);
    /// ```
    pub fn changed_blocking(&mut self) -> Result<(), RecvError> {
        let mut listener: Option<EventListener> = None;
        loop {
            if let Some(done) = future::check_changed(&self.shared, &mut self.seen) {
                return done;
            }
            match listener.take() {
                None => listener = Some(self.shared.changed.listen()),
                Some(l) => l.wait(),
            }
        }
    }

    /// Waits until the value satisfies `predicate` (the current value counts, seen
    /// or not), and borrows it, marked seen. `predicate` runs under the channel's
    /// read lock: it must not use the channel's sender.
    ///
    /// # Errors
    ///
    /// [`RecvError`] if the sender goes before a value satisfies `predicate`.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropped before it completes, the future has marked seen only
    /// values `predicate` rejected.
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let (tx, mut rx) = weft_sync::watch::channel(0);
    /// std::thread::spawn(move || {
    ///     for i in 1..=3 {
    ///         tx.send(i).unwrap();
    ///     }
    /// });
    /// assert_eq!(*rx.wait_for(|v| *v == 3).await.unwrap(), 3);
    /// # });
    /// ```
    pub fn wait_for<F: FnMut(&T) -> bool>(&mut self, predicate: F) -> WaitFor<'_, T, F> {
        WaitFor::new(&self.shared, &mut self.seen, predicate)
    }

    /// Whether the sender is gone (the last value stays readable).
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft_sync::watch::channel(0);
    /// drop(tx);
    /// assert!(rx.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.shared.version() & self::core::CLOSED != 0
    }
}

impl<T> Clone for Receiver<T> {
    /// Another receiver, which has seen what this one has.
    fn clone(&self) -> Self {
        self.shared.add_receiver();
        Receiver {
            shared: self.shared.clone(),
            seen: self.seen,
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        self.shared.close();
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        self.shared.drop_receiver();
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender")
            .field("receivers", &self.receiver_count())
            .finish_non_exhaustive()
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("has_changed", &self.has_changed())
            .finish_non_exhaustive()
    }
}
