//! The state the handles of one broadcast channel share, and its non-waiting
//! operations.
//!
//! # Protocol
//!
//! Every value sent gets a sequence number, one more than the last. A `Mutex` guards
//! a ring (a `VecDeque` of at most `capacity` slots) of the values some receiver
//! still needs, the next sequence number (`tail`), the receiver count and the closed
//! flag. The oldest retained value has sequence number `head = tail - slots.len()`.
//! Each receiver keeps its own position: the sequence number of the next value it
//! takes.
//!
//! Each slot counts the receivers that still need it: those whose position is at or
//! before it. A send sets the count to the number of receivers (all of them are at or
//! before the new value); a receive decrements it; a clone of a receiver increments
//! it on every slot from the clone's position on, a dropped receiver decrements
//! them. The count never decreases from an older slot to a newer one, so the slots
//! that every receiver has seen (count 0) are a prefix of the ring: they are popped
//! at once, and the last receiver to read a value takes it without cloning. A send
//! into a full ring evicts the oldest value; receivers still before it have lagged,
//! and their next receive reports `head - position` values missed and moves them to
//! `head`.
//!
//! One `event-listener` event carries the waiting: each send and the close notify
//! every listener, after the lock is released. The notifications are relaxed: the
//! lock orders a waiter's listening before its failed check, and that check before
//! the send that notifies. A waiter listens, checks again, then parks.
//!
//! `T::clone` runs under the lock (it must not use the channel); evicted and freed
//! values are dropped after it.

use std::collections::VecDeque;
use std::sync::PoisonError;

use event_listener::Event;

use super::error::{SendError, TryRecvError};
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{Mutex, MutexGuard};

/// A value and how many receivers still need it.
struct Slot<T> {
    value: T,
    remaining: usize,
}

/// What the lock guards.
struct State<T> {
    slots: VecDeque<Slot<T>>,
    /// The sequence number of the next value sent.
    tail: u64,
    receivers: usize,
    closed: bool,
}

impl<T> State<T> {
    /// The sequence number of the oldest retained value (`tail` if none).
    fn head(&self) -> u64 {
        self.tail - self.slots.len() as u64
    }

    /// The index in `slots` of the first value a receiver at `pos` still needs.
    fn first_needed(&self, pos: u64) -> usize {
        pos.saturating_sub(self.head()) as usize
    }

    /// Pops the values no receiver needs any more (a prefix of the ring).
    fn free_seen(&mut self) -> Vec<T> {
        let seen = self.slots.iter().take_while(|s| s.remaining == 0).count();
        self.slots.drain(..seen).map(|s| s.value).collect()
    }
}

/// The shared part of a broadcast channel.
pub(crate) struct Shared<T> {
    state: Mutex<State<T>>,
    capacity: usize,
    senders: AtomicUsize,
    /// Notified (every listener) on each send and on close.
    pub(crate) recv_ops: Event,
}

impl<T> Shared<T> {
    /// A channel with one sender and one receiver at position 0.
    pub(crate) fn new(capacity: usize) -> Self {
        Shared {
            state: Mutex::new(State {
                slots: VecDeque::with_capacity(capacity),
                tail: 0,
                receivers: 1,
                closed: false,
            }),
            capacity,
            senders: AtomicUsize::new(1),
            recv_ops: Event::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // The state is updated only after `T::clone` returns, so a lock poisoned by a
        // panicking clone holds a consistent state.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many values are retained.
    pub(crate) fn len(&self) -> usize {
        self.lock().slots.len()
    }

    /// How many retained values a receiver at `pos` will still take.
    pub(crate) fn len_from(&self, pos: u64) -> usize {
        let state = self.lock();
        state.slots.len() - state.first_needed(pos)
    }

    pub(crate) fn receiver_count(&self) -> usize {
        self.lock().receivers
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.lock().closed
    }

    /// Sends `value` to every receiver; how many there are.
    pub(crate) fn send(&self, value: T) -> Result<usize, SendError<T>> {
        let (receivers, evicted) = {
            let mut state = self.lock();
            if state.receivers == 0 {
                return Err(SendError(value));
            }
            let evicted = if state.slots.len() == self.capacity {
                state.slots.pop_front()
            } else {
                None
            };
            let remaining = state.receivers;
            state.slots.push_back(Slot { value, remaining });
            state.tail += 1;
            (remaining, evicted)
        };
        drop(evicted);
        self.recv_ops.notify_relaxed(usize::MAX);
        Ok(receivers)
    }

    /// Takes the value at `pos` for a receiver there, and moves it on.
    pub(crate) fn try_recv(&self, pos: &mut u64) -> Result<T, TryRecvError>
    where
        T: Clone,
    {
        let mut state = self.lock();
        let head = state.head();
        if *pos < head {
            let missed = head - *pos;
            *pos = head;
            return Err(TryRecvError::Lagged(missed));
        }
        if *pos == state.tail {
            return Err(if state.closed {
                TryRecvError::Closed
            } else {
                TryRecvError::Empty
            });
        }
        let i = (*pos - head) as usize;
        let value = if state.slots[i].remaining == 1 {
            // The last reader: every older value is freed, so this is the oldest.
            debug_assert_eq!(i, 0, "the values every receiver has seen are freed");
            state.slots.pop_front().map(|s| s.value)
        } else {
            let slot = &mut state.slots[i];
            let value = slot.value.clone();
            slot.remaining -= 1;
            Some(value)
        };
        *pos += 1;
        Ok(value.expect("the slot at `pos` is retained"))
    }

    /// A new receiver, at the next value sent; its position.
    pub(crate) fn subscribe(&self) -> u64 {
        let mut state = self.lock();
        state.receivers += 1;
        state.tail
    }

    /// A new receiver at `pos` (a clone of one there).
    pub(crate) fn add_receiver_at(&self, pos: u64) {
        let mut state = self.lock();
        state.receivers += 1;
        let first = state.first_needed(pos);
        for slot in state.slots.range_mut(first..) {
            slot.remaining += 1;
        }
    }

    /// The receiver at `pos` goes: the values only it still needed are freed.
    pub(crate) fn drop_receiver_at(&self, pos: u64) {
        let freed = {
            let mut state = self.lock();
            state.receivers -= 1;
            let first = state.first_needed(pos);
            for slot in state.slots.range_mut(first..) {
                slot.remaining -= 1;
            }
            state.free_seen()
        };
        drop(freed);
    }

    pub(crate) fn add_sender(&self) {
        self.senders.fetch_add(1, Ordering::Relaxed);
    }

    /// A sender goes; the last one closes the channel.
    pub(crate) fn drop_sender(&self) {
        if self.senders.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.lock().closed = true;
            self.recv_ops.notify_relaxed(usize::MAX);
        }
    }
}
