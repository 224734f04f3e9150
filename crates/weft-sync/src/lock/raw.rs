//! The lock's protocol: one atomic word and an `event-listener` queue, FIFO with
//! direct hand-off.
//!
//! `state` is `LOCKED | waiters * WAITER`, where `waiters` counts the tasks queued
//! for the lock (each has a listener in `event`'s list, which is FIFO).
//!
//! - Taking the lock is a compare-and-swap from `0` (unlocked, nobody queued) to
//!   `LOCKED`: while anyone is queued a newcomer does not barge.
//! - A task that finds the lock taken registers a listener *first*, then either takes
//!   the lock after all (the word became `0`) or adds itself to the count.
//! - Releasing with nobody queued stores `0`. With waiters queued the word keeps
//!   `LOCKED` and one notification goes out (`1.additional()`): that notification *is*
//!   the lock, and the listener that receives it (the oldest) owns it from then on.
//!   It subtracts itself from the count when it sees the notification.
//! - A queued task that is cancelled first subtracts itself from the count, then
//!   removes its listener with `discard()`: if that reports a notification, the lock
//!   had been handed to it, and it releases it as an owner would (to the next waiter,
//!   or to nobody). Subtracting before discarding is what keeps a release from
//!   handing the lock to a listener that is already gone.
//!
//! At any time exactly one party owns a locked lock: a guard, a notified listener, or
//! a cancelled waiter passing the lock on; so at most one hand-off is in flight. A
//! release that saw `waiters > 0` may still find no listener to notify: the waiter it
//! counted was cancelled in between (it subtracted itself and removed its listener).
//! `notify` reports how many it reached, and on 0 the release reads the word again.

use std::pin::Pin;
use std::task::{Context, Poll};

use event_listener::{Event, EventListener, IntoNotification, Listener};

use crate::sync::atomic::{AtomicUsize, Ordering};

const LOCKED: usize = 1;
const WAITER: usize = 2;

/// A lock without data: the protocol shared by `Lock`, `RwLock`'s writers and
/// `Condition`.
pub(crate) struct RawLock {
    state: AtomicUsize,
    event: Event,
}

impl RawLock {
    pub(crate) fn new() -> RawLock {
        RawLock {
            state: AtomicUsize::new(0),
            event: Event::new(),
        }
    }

    /// Takes the lock if it is free and nobody is queued.
    #[inline]
    pub(crate) fn try_lock(&self) -> bool {
        self.state
            .compare_exchange(0, LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    }

    #[cfg(loom)]
    pub(crate) fn state(&self) -> usize {
        self.state.load(Ordering::SeqCst)
    }

    pub(crate) fn is_locked(&self) -> bool {
        self.state.load(Ordering::Relaxed) & LOCKED != 0
    }

    /// Releases the lock: to the first waiter if one is queued.
    #[inline]
    pub(crate) fn unlock(&self) {
        if self
            .state
            .compare_exchange(LOCKED, 0, Ordering::Release, Ordering::Relaxed)
            .is_err()
        {
            self.unlock_slow();
        }
    }

    #[cold]
    fn unlock_slow(&self) {
        let mut s = self.state.load(Ordering::Acquire);
        loop {
            debug_assert!(s & LOCKED != 0, "unlocking a lock that is not locked");
            if s >= WAITER {
                // Hand the lock to the oldest listener: the word keeps `LOCKED`.
                if self.event.notify(1.additional()) > 0 {
                    return;
                }
                // The waiter counted in `s` was cancelled and removed its listener
                // between our read and the notification: look again.
                s = self.state.load(Ordering::Acquire);
                continue;
            }
            match self
                .state
                .compare_exchange(s, 0, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) => return,
                Err(now) => s = now,
            }
        }
    }

    /// Registers a listener, then takes the lock if it became free (returns `None`) or
    /// joins the queue (returns the listener).
    #[cold]
    fn enqueue(&self) -> Option<EventListener> {
        let listener = self.event.listen();
        let mut s = self.state.load(Ordering::Acquire);
        loop {
            let (next, order) = if s == 0 {
                (LOCKED, Ordering::Acquire)
            } else {
                (s + WAITER, Ordering::AcqRel)
            };
            match self
                .state
                .compare_exchange(s, next, order, Ordering::Acquire)
            {
                Ok(_) if s == 0 => {
                    // Nobody owned the lock, so nobody can have handed it to us.
                    let handed = listener.discard();
                    debug_assert!(!handed, "a free lock was handed over");
                    return None;
                }
                Ok(_) => return Some(listener),
                Err(now) => s = now,
            }
        }
    }

    /// Called by a waiter that received the hand-off: it leaves the count.
    fn handed(&self) {
        self.state.fetch_sub(WAITER, Ordering::Acquire);
    }

    /// Takes the lock, parking the thread while it waits.
    pub(crate) fn lock_blocking(&self) {
        if self.try_lock() {
            return;
        }
        if let Some(listener) = self.enqueue() {
            listener.wait();
            self.handed();
        }
    }
}

/// One task's place in the lock's queue: the state of a lock future.
#[derive(Default)]
pub(crate) struct Waiter {
    /// `Some` while queued.
    listener: Option<EventListener>,
}

impl Waiter {
    pub(crate) const fn new() -> Waiter {
        Waiter { listener: None }
    }

    /// Polls for the lock; once `Ready`, the caller owns it. Must not be polled again
    /// after `Ready` unless the caller wants the lock a second time.
    #[inline]
    pub(crate) fn poll(&mut self, raw: &RawLock, cx: &mut Context<'_>) -> Poll<()> {
        let listener = match &mut self.listener {
            Some(listener) => listener,
            None => {
                if raw.try_lock() {
                    return Poll::Ready(());
                }
                match raw.enqueue() {
                    None => return Poll::Ready(()),
                    Some(listener) => self.listener.insert(listener),
                }
            }
        };
        match Pin::new(listener).poll(cx) {
            Poll::Ready(()) => {
                self.listener = None;
                raw.handed();
                Poll::Ready(())
            }
            Poll::Pending => Poll::Pending,
        }
    }

    /// Leaves the queue (the future was dropped before it had the lock), passing the
    /// lock on if it had been handed to this waiter.
    pub(crate) fn cancel(&mut self, raw: &RawLock) {
        if let Some(listener) = self.listener.take() {
            raw.state.fetch_sub(WAITER, Ordering::AcqRel);
            if listener.discard() {
                raw.unlock();
            }
        }
    }
}
