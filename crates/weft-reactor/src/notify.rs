//! Whether the driver sleeps, and whether someone asked it to return: the protocol
//! that keeps wake-ups to one notifier write per sleep, and none while awake.
//!
//! The driver calls [`NotifyState::before_sleep`] just before it waits on the poller:
//! if a notification is pending it must not block. It calls
//! [`NotifyState::after_wake`] when the wait returns, which consumes notifications.
//! [`NotifyState::notify`] records a notification and says whether the notifier must
//! be written: only on the transition from "sleeping" to "sleeping and notified". All
//! three use `SeqCst`, so a notifier and a driver going to sleep always see each
//! other: either the driver sees `NOTIFIED` and does not block, or the notifier sees
//! `SLEEPING` and writes.

use crate::sync::atomic::{AtomicU8, Ordering};

const SLEEPING: u8 = 1;
const NOTIFIED: u8 = 2;

#[derive(Debug, Default)]
pub(crate) struct NotifyState {
    state: AtomicU8,
}

impl NotifyState {
    pub(crate) fn new() -> NotifyState {
        NotifyState {
            state: AtomicU8::new(0),
        }
    }

    /// Marks the driver as sleeping; returns `false` if a notification is pending, in
    /// which case the driver must not block.
    pub(crate) fn before_sleep(&self) -> bool {
        self.state.fetch_or(SLEEPING, Ordering::SeqCst) & NOTIFIED == 0
    }

    /// Marks the driver awake, consuming any notification.
    pub(crate) fn after_wake(&self) {
        self.state.store(0, Ordering::SeqCst);
    }

    /// Records a notification; returns whether the sleeping driver must be woken
    /// through the poller's notifier.
    pub(crate) fn notify(&self) -> bool {
        self.state.fetch_or(NOTIFIED, Ordering::SeqCst) == SLEEPING
    }
}

/// [`NotifyState`] for the model-checking tests (`tests/loom_notify.rs`).
#[cfg(loom)]
pub(crate) mod model {
    /// See [`super::NotifyState`].
    #[derive(Debug, Default)]
    pub struct NotifyState(super::NotifyState);

    impl NotifyState {
        /// See [`super::NotifyState::new`].
        pub fn new() -> NotifyState {
            NotifyState(super::NotifyState::new())
        }

        /// See [`super::NotifyState::before_sleep`].
        pub fn before_sleep(&self) -> bool {
            self.0.before_sleep()
        }

        /// See [`super::NotifyState::after_wake`].
        pub fn after_wake(&self) {
            self.0.after_wake();
        }

        /// See [`super::NotifyState::notify`].
        pub fn notify(&self) -> bool {
            self.0.notify()
        }
    }
}
