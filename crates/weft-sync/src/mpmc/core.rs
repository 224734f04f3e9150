//! The state the handles of one channel share, and its operations.
//!
//! # Protocol
//!
//! One `Mutex` guards the buffered values, the closed flag and the two lines of
//! waiters (`wait_queue.rs`): senders waiting for room, receivers waiting for a
//! value. An operation checks, changes and, if it must wait, registers under that
//! lock, and takes the waker it notifies off the line there too, waking it after the
//! lock is released: each value sent takes one waiting receiver off the line, each
//! value received one waiting sender (bounded channels), and closing takes all of
//! them. So one lock per operation, and no wake-up lost.
//!
//! A waiter that goes away before it completes leaves the line; if it was no longer
//! in line it had been notified, so it passes the notification to the next waiter
//! while what it was notified for still holds (a cancelled send or receive never
//! swallows a wake-up).
//!
//! The handles are counted apart from the lock; the last sender or the last receiver
//! to go closes the channel.

use std::collections::VecDeque;
use std::sync::PoisonError;
use std::task::{Context, Poll, Waker};

use super::error::{TryRecvError, TrySendError};
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{Mutex, MutexGuard};
use crate::wait_queue::{self, WaitQueue, wake};

/// What the lock guards.
struct State<T> {
    values: VecDeque<T>,
    closed: bool,
    senders: WaitQueue,
    receivers: WaitQueue,
}

/// The shared part of a channel.
pub(crate) struct Chan<T> {
    state: Mutex<State<T>>,
    /// `usize::MAX`: unbounded.
    capacity: usize,
    pub(crate) senders: AtomicUsize,
    pub(crate) receivers: AtomicUsize,
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
                senders: WaitQueue::default(),
                receivers: WaitQueue::default(),
            }),
            capacity,
            senders: AtomicUsize::new(1),
            receivers: AtomicUsize::new(1),
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
        let mut value = Some(value);
        match self.send_or_register(&mut value, &mut None, None) {
            Poll::Ready(Ok(())) => Ok(()),
            Poll::Ready(Err(v)) => Err(TrySendError::Closed(v)),
            Poll::Pending => Err(TrySendError::Full(value.take().expect("kept"))),
        }
    }

    pub(crate) fn try_recv(&self) -> Result<T, TryRecvError> {
        match self.recv_or_register(&mut None, None) {
            Poll::Ready(Some(v)) => Ok(v),
            Poll::Ready(None) => Err(TryRecvError::Closed),
            Poll::Pending => Err(TryRecvError::Empty),
        }
    }

    /// Sends `value` (taking it), or, if the channel is full, registers `cx`'s
    /// waker under `waiter` and leaves `value` in place. `Err` hands the value of a
    /// closed channel back.
    pub(crate) fn poll_send(
        &self,
        value: &mut Option<T>,
        waiter: &mut Option<u64>,
        cx: &mut Context<'_>,
    ) -> Poll<Result<(), T>> {
        self.send_or_register(value, waiter, Some(cx.waker()))
    }

    fn send_or_register(
        &self,
        value: &mut Option<T>,
        waiter: &mut Option<u64>,
        waker: Option<&Waker>,
    ) -> Poll<Result<(), T>> {
        let mut s = self.lock();
        if s.closed || s.values.len() < self.capacity {
            if let Some(id) = waiter.take() {
                s.senders.remove(id);
            }
            let value = value.take().expect("a send polled after completion");
            if s.closed {
                return Poll::Ready(Err(value));
            }
            s.values.push_back(value);
            let woken = s.receivers.notify_one();
            drop(s);
            wake(woken);
            return Poll::Ready(Ok(()));
        }
        if let Some(waker) = waker {
            s.senders.register(waiter, waker);
        }
        Poll::Pending
    }

    /// Receives a value (`None`: closed and empty), or registers `cx`'s waker under
    /// `waiter`.
    pub(crate) fn poll_recv(
        &self,
        waiter: &mut Option<u64>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<T>> {
        self.recv_or_register(waiter, Some(cx.waker()))
    }

    fn recv_or_register(&self, waiter: &mut Option<u64>, waker: Option<&Waker>) -> Poll<Option<T>> {
        let mut s = self.lock();
        let value = s.values.pop_front();
        if value.is_some() || s.closed {
            if let Some(id) = waiter.take() {
                s.receivers.remove(id);
            }
            let woken = match value {
                Some(_) if self.capacity != usize::MAX => s.senders.notify_one(),
                _ => None,
            };
            drop(s);
            wake(woken);
            return Poll::Ready(value);
        }
        if let Some(waker) = waker {
            s.receivers.register(waiter, waker);
        }
        Poll::Pending
    }

    /// A waiting send goes away; see the module documentation.
    pub(crate) fn cancel_send(&self, id: u64) {
        let mut s = self.lock();
        if s.senders.remove(id) || !(s.closed || s.values.len() < self.capacity) {
            return;
        }
        let woken = s.senders.notify_one();
        drop(s);
        wake(woken);
    }

    /// A waiting receive goes away; see the module documentation.
    pub(crate) fn cancel_recv(&self, id: u64) {
        let mut s = self.lock();
        if s.receivers.remove(id) || (s.values.is_empty() && !s.closed) {
            return;
        }
        let woken = s.receivers.notify_one();
        drop(s);
        wake(woken);
    }

    /// Closes the channel; `true` if this call closed it. With `clear`, also drops
    /// the values left (no receiver is left to take them).
    pub(crate) fn close(&self, clear: bool) -> bool {
        let (was, values, senders, receivers) = {
            let mut s = self.lock();
            let was = std::mem::replace(&mut s.closed, true);
            let values = if clear {
                std::mem::take(&mut s.values)
            } else {
                VecDeque::new()
            };
            (was, values, s.senders.take_all(), s.receivers.take_all())
        };
        drop(values);
        wait_queue::wake_all(senders);
        wait_queue::wake_all(receivers);
        !was
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
            self.close(false);
        }
    }

    /// A receiver goes; the last one closes the channel and drops what is left.
    pub(crate) fn drop_receiver(&self) {
        if self.receivers.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.close(true);
        }
    }
}
