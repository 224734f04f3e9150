//! Waiters in line for one condition of a structure whose mutex also guards the
//! line: the waiting side of the MPMC channel, without an allocation per waiter and
//! without a second lock (event-listener takes its own lock per notification).
//!
//! A waiter that finds its condition false registers its waker under the same lock
//! and keeps the id it was given. An operation that makes the condition true for one
//! waiter takes the first waker off the line (`notify_one`) and wakes it after the
//! lock is released. Because the check, the registration and the notification all
//! happen under the one lock, no wake-up is lost.
//!
//! Ids grow, and the line stays sorted by id: a waiter that was notified but lost its
//! race (another caller took the slot or the value first) registers again under its
//! old id and so goes back to its place near the front, not to the back. A waiter
//! that goes away looks for its id: still in line, it leaves; gone, it had been
//! notified, and its owner passes the notification on if the condition still holds.

use std::collections::VecDeque;
use std::task::Waker;

/// The line; see the module documentation.
#[derive(Default)]
pub(crate) struct WaitQueue {
    waiting: VecDeque<(u64, Waker)>,
    next_id: u64,
}

impl WaitQueue {
    /// Puts the waiter in line (under its old id, if it had one) or refreshes its
    /// waker if it is still in line.
    pub(crate) fn register(&mut self, waiter: &mut Option<u64>, waker: &Waker) {
        let Some(id) = *waiter else {
            let id = self.next_id;
            self.next_id += 1;
            self.waiting.push_back((id, waker.clone()));
            *waiter = Some(id);
            return;
        };
        match self.waiting.binary_search_by_key(&id, |&(id, _)| id) {
            Ok(i) => {
                let w = &mut self.waiting[i].1;
                if !w.will_wake(waker) {
                    *w = waker.clone();
                }
            }
            Err(i) => self.waiting.insert(i, (id, waker.clone())),
        }
    }

    /// Takes the first waiter off the line; wake it once the lock is released.
    pub(crate) fn notify_one(&mut self) -> Option<Waker> {
        self.waiting.pop_front().map(|(_, w)| w)
    }

    /// Takes every waiter off the line.
    pub(crate) fn take_all(&mut self) -> VecDeque<(u64, Waker)> {
        std::mem::take(&mut self.waiting)
    }

    /// Takes the waiter out of line; false if it was not in line (it had been
    /// notified).
    pub(crate) fn remove(&mut self, id: u64) -> bool {
        match self.waiting.binary_search_by_key(&id, |&(id, _)| id) {
            Ok(i) => {
                self.waiting.remove(i);
                true
            }
            Err(_) => false,
        }
    }

    /// Whether nobody is in line.
    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }
}

/// Wakes the waiter `notify_one` handed out, if any, once the lock is released.
pub(crate) fn wake(woken: Option<Waker>) {
    if let Some(w) = woken {
        w.wake();
    }
}

/// Wakes what a [`WaitQueue`] handed out, once the lock is released.
pub(crate) fn wake_all(woken: VecDeque<(u64, Waker)>) {
    for (_, w) in woken {
        w.wake();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::task::Waker;

    #[test]
    fn a_notified_waiter_that_registers_again_keeps_its_place() {
        let mut q = WaitQueue::default();
        let (mut a, mut b, mut c) = (None, None, None);
        q.register(&mut a, Waker::noop());
        q.register(&mut b, Waker::noop());
        q.register(&mut c, Waker::noop());
        assert!(q.notify_one().is_some()); // a leaves the line
        q.register(&mut a, Waker::noop()); // a lost its race
        assert!(q.remove(a.unwrap()), "a is back in line");
        assert!(!q.remove(a.unwrap()), "and out again");
        assert!(q.notify_one().is_some()); // b
        assert!(!q.remove(b.unwrap()), "b had been notified");
        assert!(q.remove(c.unwrap()), "c still waits");
        assert!(q.is_empty());
    }

    #[test]
    fn the_line_is_first_come_first_served() {
        let mut q = WaitQueue::default();
        let mut ids: Vec<Option<u64>> = vec![None; 5];
        for id in &mut ids {
            q.register(id, Waker::noop());
        }
        // The third waiter was notified and came back: it is served before the
        // fourth and fifth, after nobody who came before it.
        q.notify_one();
        q.notify_one();
        q.notify_one();
        q.register(&mut ids[2], Waker::noop());
        assert!(q.notify_one().is_some());
        assert!(!q.remove(ids[2].unwrap()), "the third is served first");
        assert!(q.remove(ids[3].unwrap()));
        assert!(q.remove(ids[4].unwrap()));
    }
}
