//! [`Ref`]: a borrow of a watch channel's value.

use std::fmt;
use std::ops::Deref;

use crate::sync::RwLockReadGuard;

/// A borrow of the value in a watch channel, from [`Receiver::borrow`],
/// [`Receiver::borrow_and_update`], [`Receiver::wait_for`] or [`Sender::borrow`].
///
/// It holds a read lock: the sender's changes wait until it is dropped, so keep it
/// briefly, and never across an `.await` or a send on the same channel (which would
/// deadlock).
///
/// [`Receiver::borrow`]: super::Receiver::borrow
/// [`Receiver::borrow_and_update`]: super::Receiver::borrow_and_update
/// [`Receiver::wait_for`]: super::Receiver::wait_for
/// [`Sender::borrow`]: super::Sender::borrow
///
/// # Examples
///
/// ```
/// let (tx, rx) = weft_sync::watch::channel(vec![1, 2]);
/// let value: weft_sync::watch::Ref<'_, Vec<i32>> = rx.borrow();
/// assert_eq!(value.len(), 2);
/// drop(value);
/// tx.send_modify(|v| v.push(3));
/// assert_eq!(*rx.borrow(), [1, 2, 3]);
/// ```
pub struct Ref<'a, T> {
    guard: RwLockReadGuard<'a, T>,
    has_changed: bool,
}

impl<'a, T> Ref<'a, T> {
    pub(super) fn new(guard: RwLockReadGuard<'a, T>, has_changed: bool) -> Self {
        Ref { guard, has_changed }
    }

    /// Whether the value was new to the receiver that borrowed it (always `false`
    /// for [`Sender::borrow`](super::Sender::borrow)).
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, mut rx) = weft_sync::watch::channel(0);
    /// tx.send(1).unwrap();
    /// assert!(rx.borrow_and_update().has_changed());
    /// assert!(!rx.borrow().has_changed());
    /// ```
    pub fn has_changed(&self) -> bool {
        self.has_changed
    }
}

impl<T> Deref for Ref<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T: fmt::Debug> fmt::Debug for Ref<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}
