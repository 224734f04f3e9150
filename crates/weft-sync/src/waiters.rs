//! A list of wakers behind a mutex, woken all at once: the waiting side of
//! [`Event`](crate::Event), without an allocation per waiter (event-listener boxes
//! each listener).
//!
//! A waiter registers its waker and gets a [`Ticket`] (a slot and the slot's
//! sequence number). `wake_all` takes every registered waker and frees its slot,
//! then wakes them with the mutex released, 32 at a time. So a woken waiter need not
//! touch the list again: it sees its condition hold and completes without locking.
//!
//! No wake-up is lost: a waiter checks its condition under the mutex as it
//! registers, and `wake_all` takes the mutex after the condition was made true, so
//! either the waiter sees the condition or `wake_all` sees the waker. The same
//! argument shows that a waiter that finds its condition true after registering was
//! (or, while a `wake_all` goes through its batches, will be) taken off the list by
//! a `wake_all`, so it may simply forget its ticket. A waiter woken for another
//! reason re-registers under its ticket, or anew if its slot was taken; a waiter
//! dropped while registered gives back its slot if the ticket still matches. (Skipping
//! the mutex in `wake_all` when nobody waits would need a store-load fence pair
//! between a counter and the condition, which loom cannot check; a `set` costs one
//! uncontended lock more.)

use std::sync::PoisonError;
use std::task::Waker;

use crate::sync::{Mutex, MutexGuard};

const BATCH: usize = 32;

/// A registration: the slot and its sequence number when it was taken.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ticket {
    slot: usize,
    seq: u64,
}

#[derive(Default)]
struct Slots {
    /// A registered waiter's sequence number and waker; `None` when free.
    slots: Vec<Option<(u64, Waker)>>,
    free: Vec<usize>,
    next_seq: u64,
}

impl Slots {
    fn holds(&self, t: Ticket) -> bool {
        matches!(self.slots[t.slot], Some((seq, _)) if seq == t.seq)
    }

    fn release(&mut self, slot: usize) -> Option<Waker> {
        let (_, w) = self.slots[slot].take()?;
        self.free.push(slot);
        Some(w)
    }
}

#[derive(Default)]
pub(crate) struct Waiters {
    slots: Mutex<Slots>,
}

impl Waiters {
    fn lock(&self) -> MutexGuard<'_, Slots> {
        // Nothing panics while the list is locked; a poisoned one holds sound data.
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers `waker` (under `ticket` if it still holds its slot, else anew)
    /// unless `done()` holds, checked under the mutex. Returns false if `done()`
    /// held; the ticket is then cleared and nothing stays registered.
    pub(crate) fn register(
        &self,
        ticket: &mut Option<Ticket>,
        waker: &Waker,
        done: impl Fn() -> bool,
    ) -> bool {
        let mut s = self.lock();
        let held = ticket.filter(|&t| s.holds(t));
        if done() {
            if let Some(t) = held {
                s.release(t.slot);
            }
            *ticket = None;
            return false;
        }
        match held {
            Some(t) => {
                let (_, w) = s.slots[t.slot].as_mut().expect("held");
                if !w.will_wake(waker) {
                    *w = waker.clone();
                }
            }
            None => {
                let seq = s.next_seq;
                s.next_seq += 1;
                let entry = Some((seq, waker.clone()));
                let slot = match s.free.pop() {
                    Some(i) => {
                        s.slots[i] = entry;
                        i
                    }
                    None => {
                        s.slots.push(entry);
                        s.slots.len() - 1
                    }
                };
                *ticket = Some(Ticket { slot, seq });
            }
        }
        true
    }

    /// Gives back the ticket's slot, if it still holds it (a waiter dropped while
    /// registered).
    pub(crate) fn cancel(&self, ticket: Ticket) {
        let mut s = self.lock();
        if s.holds(ticket) {
            s.release(ticket.slot);
        }
    }

    /// Wakes every registered waiter, freeing their slots. Call after making the
    /// waited-for condition true.
    pub(crate) fn wake_all(&self) {
        let mut from = 0;
        loop {
            let mut batch: [Option<Waker>; BATCH] = Default::default();
            let mut n = 0;
            {
                let mut s = self.lock();
                while from < s.slots.len() && n < BATCH {
                    if let Some(w) = s.release(from) {
                        batch[n] = Some(w);
                        n += 1;
                    }
                    from += 1;
                }
                if n == 0 {
                    return;
                }
            }
            for w in batch.into_iter().flatten() {
                w.wake();
            }
        }
    }
}
