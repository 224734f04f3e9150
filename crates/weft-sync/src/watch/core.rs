//! The state the halves of one watch channel share.
//!
//! # Protocol
//!
//! An `RwLock` holds the value; a version counter counts its changes. The counter
//! goes up by 2 (bit 0 is the closed flag, set when the sender goes) while the
//! write lock is held, so a reader holding the read lock sees the version of the
//! value it reads. Each receiver keeps the version it has seen; a value is new to it
//! when the counter (without the closed bit) differs.
//!
//! Two `event-listener` events carry the waiting: `changed`, notified (every
//! listener) after each change and on close, and `no_receivers`, notified when the
//! last receiver goes. A waiter listens, checks the counter again, then parks; the
//! notifications are the full (`SeqCst`) kind, which pair with the listening, since
//! the counter is read without the lock.

use std::sync::PoisonError;

use event_listener::Event;

use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{RwLock, RwLockReadGuard};

/// Bit 0 of the version: the sender is gone.
pub(crate) const CLOSED: usize = 1;
/// What a change adds to the version.
const STEP: usize = 2;

/// The shared part of a watch channel.
pub(crate) struct Shared<T> {
    value: RwLock<T>,
    /// The number of changes times [`STEP`], plus [`CLOSED`] once the sender is gone.
    version: AtomicUsize,
    receivers: AtomicUsize,
    /// Notified on each change and on close.
    pub(crate) changed: Event,
    /// Notified when the last receiver goes.
    pub(crate) no_receivers: Event,
}

impl<T> Shared<T> {
    /// A channel holding `value` at version 0, with one receiver.
    pub(crate) fn new(value: T) -> Self {
        Shared {
            value: RwLock::new(value),
            version: AtomicUsize::new(0),
            receivers: AtomicUsize::new(1),
            changed: Event::new(),
            no_receivers: Event::new(),
        }
    }

    /// Reads the value, with its version (without the closed bit).
    pub(crate) fn read(&self) -> (RwLockReadGuard<'_, T>, usize) {
        // A panic in the sender's `send_modify` poisons the lock; the value is then
        // whatever the closure left, which receivers may still read.
        let guard = self.value.read().unwrap_or_else(PoisonError::into_inner);
        // Changes bump the version under the write lock: it is stable while we read.
        let version = self.version.load(Ordering::Acquire) & !CLOSED;
        (guard, version)
    }

    /// Runs `modify` on the value; if it says it changed it, a new version is
    /// published and every waiting receiver woken.
    pub(crate) fn modify<R>(&self, modify: impl FnOnce(&mut T) -> (bool, R)) -> R {
        let (changed, out) = {
            let mut guard = self.value.write().unwrap_or_else(PoisonError::into_inner);
            let (changed, out) = modify(&mut guard);
            if changed {
                self.version.fetch_add(STEP, Ordering::Release);
            }
            (changed, out)
        };
        if changed {
            self.changed.notify(usize::MAX);
        }
        out
    }

    /// The version now, with the closed bit.
    pub(crate) fn version(&self) -> usize {
        self.version.load(Ordering::Acquire)
    }

    /// The sender goes.
    pub(crate) fn close(&self) {
        self.version.fetch_or(CLOSED, Ordering::Release);
        self.changed.notify(usize::MAX);
    }

    pub(crate) fn receiver_count(&self) -> usize {
        self.receivers.load(Ordering::Acquire)
    }

    pub(crate) fn add_receiver(&self) {
        self.receivers.fetch_add(1, Ordering::Relaxed);
    }

    /// A receiver goes; the last one wakes the sender's `closed()`.
    pub(crate) fn drop_receiver(&self) {
        if self.receivers.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.no_receivers.notify(usize::MAX);
        }
    }
}
