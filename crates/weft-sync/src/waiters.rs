//! A list of wakers behind a mutex, woken all at once: the waiting side of
//! [`Event`](crate::Event), without an allocation per waiter (event-listener boxes
//! each listener).
//!
//! A waiter registers its waker and gets a slot; `wake_all` takes every registered
//! waker (leaving the slots reserved, so that a waiter polled again can tell it was
//! woken, and re-register if that was spurious) and wakes them with the mutex
//! released, 32 at a time. A waiter frees its slot when it completes or is dropped.
//!
//! No wake-up is lost: a waiter checks its condition under the mutex as it
//! registers, and `wake_all` takes the mutex after the condition was made true, so
//! either the waiter sees the condition or `wake_all` sees the waker. (Skipping the
//! mutex when nobody waits would need a store-load fence pair between a counter and
//! the condition, which loom cannot check; a `set` costs one uncontended lock more.)

use std::sync::PoisonError;
use std::task::Waker;

use crate::sync::{Mutex, MutexGuard};

const BATCH: usize = 32;

#[derive(Default)]
struct Slots {
    /// `Some(Some(waker))` registered; `Some(None)` woken, not yet freed; `None` free.
    slots: Vec<Option<Option<Waker>>>,
    free: Vec<usize>,
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

    /// Registers `waker` in `slot` (a new slot if `None`), unless `done()` holds
    /// (checked under the mutex). Returns the slot, or `None` if `done()` held (and
    /// nothing stays registered).
    pub(crate) fn register(
        &self,
        slot: Option<usize>,
        waker: &Waker,
        done: impl Fn() -> bool,
    ) -> Option<usize> {
        let mut s = self.lock();
        let i = match slot {
            Some(i) => i,
            None => match s.free.pop() {
                Some(i) => {
                    s.slots[i] = Some(None);
                    i
                }
                None => {
                    s.slots.push(Some(None));
                    s.slots.len() - 1
                }
            },
        };
        if done() {
            self.free_locked(&mut s, i);
            return None;
        }
        let cell = s.slots[i].as_mut().expect("a reserved slot");
        match cell {
            Some(w) if w.will_wake(waker) => {}
            _ => *cell = Some(waker.clone()),
        }
        Some(i)
    }

    /// Frees a slot (its waiter completed or was dropped).
    pub(crate) fn free(&self, slot: usize) {
        let mut s = self.lock();
        self.free_locked(&mut s, slot);
    }

    fn free_locked(&self, s: &mut Slots, slot: usize) {
        s.slots[slot] = None;
        s.free.push(slot);
    }

    /// Wakes every registered waiter. Call after making the waited-for condition
    /// true.
    pub(crate) fn wake_all(&self) {
        let mut from = 0;
        loop {
            let mut batch: [Option<Waker>; BATCH] = Default::default();
            let mut n = 0;
            {
                let mut s = self.lock();
                while from < s.slots.len() && n < BATCH {
                    if let Some(cell) = &mut s.slots[from]
                        && let Some(w) = cell.take()
                    {
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
