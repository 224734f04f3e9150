//! The state the handles of one channel share, and its non-waiting operations.
//!
//! # Protocol
//!
//! A `Mutex` guards the buffered values and the closed flag; each operation holds it
//! for a push or a pop. Two `event-listener` events carry the waiting, notified after
//! the lock is released: `recv_ops` gets one additional listener per value sent,
//! `send_ops` (bounded channels) one per value received, and both every listener on
//! close. The notifications are relaxed: the lock orders a waiter's listening before
//! its failed check and that check before the change that notifies. A waiter
//! listens, checks again, then parks; a notified listener that is dropped (a
//! cancelled send or receive) hands its notification to the next listener.
//!
//! The handles are counted apart from the lock; the last sender or the last receiver
//! to go closes the channel.

use std::collections::VecDeque;
use std::sync::PoisonError;

use event_listener::Event;

use super::error::{TryRecvError, TrySendError};
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{Mutex, MutexGuard};

/// What the lock guards.
struct State<T> {
    values: VecDeque<T>,
    closed: bool,
}

/// The shared part of a channel.
pub(crate) struct Chan<T> {
    state: Mutex<State<T>>,
    /// `usize::MAX`: unbounded.
    capacity: usize,
    pub(crate) senders: AtomicUsize,
    pub(crate) receivers: AtomicUsize,
    pub(crate) send_ops: Event,
    pub(crate) recv_ops: Event,
}

impl<T> Chan<T> {
    pub(crate) fn new(capacity: usize) -> Self {
        let values = if capacity == usize::MAX {
            VecDeque::new()
        } else {
            VecDeque::with_capacity(capacity)
        };
        Chan {
            state: Mutex::new(State {
                values,
                closed: false,
            }),
            capacity,
            senders: AtomicUsize::new(1),
            receivers: AtomicUsize::new(1),
            send_ops: Event::new(),
            recv_ops: Event::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // No user code runs under the lock: a poisoned lock holds a consistent state.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn capacity(&self) -> Option<usize> {
        (self.capacity != usize::MAX).then_some(self.capacity)
    }

    pub(crate) fn len(&self) -> usize {
        self.lock().values.len()
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.lock().closed
    }

    pub(crate) fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        {
            let mut state = self.lock();
            if state.closed {
                return Err(TrySendError::Closed(value));
            }
            if state.values.len() >= self.capacity {
                return Err(TrySendError::Full(value));
            }
            state.values.push_back(value);
        }
        self.recv_ops.notify_additional_relaxed(1);
        Ok(())
    }

    pub(crate) fn try_recv(&self) -> Result<T, TryRecvError> {
        let value = {
            let mut state = self.lock();
            match state.values.pop_front() {
                Some(v) => v,
                None if state.closed => return Err(TryRecvError::Closed),
                None => return Err(TryRecvError::Empty),
            }
        };
        if self.capacity != usize::MAX {
            self.send_ops.notify_additional_relaxed(1);
        }
        Ok(value)
    }

    /// Closes the channel; `true` if this call closed it.
    pub(crate) fn close(&self) -> bool {
        let was = std::mem::replace(&mut self.lock().closed, true);
        self.send_ops.notify(usize::MAX);
        self.recv_ops.notify(usize::MAX);
        !was
    }

    /// Drops the values left once no receiver is left to take them.
    pub(crate) fn close_and_clear(&self) {
        let values = {
            let mut state = self.lock();
            state.closed = true;
            std::mem::take(&mut state.values)
        };
        drop(values);
        self.send_ops.notify(usize::MAX);
        self.recv_ops.notify(usize::MAX);
    }

    pub(crate) fn add_sender(&self) {
        self.senders.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn add_receiver(&self) {
        self.receivers.fetch_add(1, Ordering::Relaxed);
    }

    /// A sender goes; the last one closes the channel.
    pub(crate) fn drop_sender(&self) {
        if self.senders.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.close();
        }
    }

    /// A receiver goes; the last one closes the channel and drops what is left.
    pub(crate) fn drop_receiver(&self) {
        if self.receivers.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.close_and_clear();
        }
    }
}
