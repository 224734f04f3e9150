//! The semaphore's protocol: permits in one atomic word, and a FIFO queue of waiters
//! behind a `std::sync::Mutex` to which releases hand permits directly.
//!
//! `state` is `permits << 2 | QUEUED | CLOSED`. `QUEUED` is set, under the mutex,
//! while any task waits: a newcomer then does not take permits on the fast path but
//! joins the queue, so a waiter for many permits is not starved by later waiters for
//! few. A release adds its permits with one atomic add and, if it saw `QUEUED`, takes
//! the mutex and hands permits to the waiters at the front of the queue that they
//! suffice for (`dispatch`), marking each granted and waking it: a woken waiter
//! already holds its permits, and no newcomer can take them first.
//!
//! No wake-up is lost: a waiter sets `QUEUED` (an atomic read-modify-write) and then,
//! still under the mutex, dispatches itself, so a release whose add came first is
//! seen by that dispatch, and one whose add came after sees `QUEUED` and dispatches.
//!
//! A waiter that is cancelled takes its record out under the mutex: if it had been
//! granted, it gives its permits back (which dispatches them onward); if not, it
//! leaves the queue, and the waiters behind it may now fit (dispatch again).
//! [`close`](RawSemaphore::close) sets `CLOSED` and wakes everyone; waiters not yet
//! granted then leave with an error.
//!
//! Measured against the event-listener design it replaces (a head waiter and a queue
//! of listeners): no allocation per waiter and one wake-up per hand-off took the
//! sync_primitives bench's semaphore phase from 2.0 ms to 1.27 ms (tokio 1.54 ms,
//! async-lock 1.22 ms, which is not FIFO).

use std::collections::VecDeque;
use std::sync::PoisonError;
use std::task::{Context, Poll, Waker};

use crate::blocking::block_on_poll;
use crate::error::AcquireError;
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{Mutex, MutexGuard};

const CLOSED: usize = 1;
const QUEUED: usize = 2;
const SHIFT: u32 = 2;

/// The most permits a semaphore holds (and the most one acquire may ask for).
pub(crate) const MAX_PERMITS: usize = usize::MAX >> 3;

/// Wakers to call once the mutex is released; a dispatch that fills it stops early
/// and goes on after waking them.
const WAKE_BATCH: usize = 8;

enum Record {
    Waiting {
        want: usize,
        waker: Waker,
    },
    Granted,
    /// Left while queued; its slot frees when it reaches the front.
    Cancelled,
}

#[derive(Default)]
struct Queue {
    records: Vec<Option<Record>>,
    free: Vec<usize>,
    /// Slots in arrival order.
    order: VecDeque<usize>,
}

impl Queue {
    fn insert(&mut self, r: Record) -> usize {
        match self.free.pop() {
            Some(i) => {
                self.records[i] = Some(r);
                i
            }
            None => {
                self.records.push(Some(r));
                self.records.len() - 1
            }
        }
    }

    fn remove(&mut self, i: usize) -> Record {
        self.free.push(i);
        self.records[i].take().expect("a live record")
    }
}

pub(crate) struct RawSemaphore {
    state: AtomicUsize,
    queue: Mutex<Queue>,
}

impl RawSemaphore {
    pub(crate) fn new(permits: usize) -> RawSemaphore {
        assert!(
            permits <= MAX_PERMITS,
            "a semaphore holds at most {MAX_PERMITS} permits, not {permits}"
        );
        RawSemaphore {
            state: AtomicUsize::new(permits << SHIFT),
            queue: Mutex::new(Queue::default()),
        }
    }

    pub(crate) fn available(&self) -> usize {
        self.state.load(Ordering::Acquire) >> SHIFT
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.state.load(Ordering::Acquire) & CLOSED != 0
    }

    pub(crate) fn is_locked(&self) -> bool {
        let s = self.state.load(Ordering::Acquire);
        s >> SHIFT == 0 || s & QUEUED != 0
    }

    fn lock(&self) -> MutexGuard<'_, Queue> {
        // Nothing panics while the queue is locked; a poisoned one holds sound data.
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes `n` permits if nobody waits and enough are there. `Err(true)`: closed.
    #[inline]
    pub(crate) fn try_acquire(&self, n: usize) -> Result<(), bool> {
        let mut s = self.state.load(Ordering::Relaxed);
        loop {
            if s & CLOSED != 0 {
                return Err(true);
            }
            if s & QUEUED != 0 || s >> SHIFT < n {
                return Err(false);
            }
            match self.state.compare_exchange_weak(
                s,
                s - (n << SHIFT),
                Ordering::Acquire,
                Ordering::Relaxed,
            ) {
                Ok(_) => return Ok(()),
                Err(now) => s = now,
            }
        }
    }

    /// Gives back `n` permits (from a permit, or new ones that were checked).
    #[inline]
    pub(crate) fn release(&self, n: usize) {
        let prev = self.state.fetch_add(n << SHIFT, Ordering::AcqRel);
        if prev & QUEUED != 0 {
            self.dispatch_and_wake(self.lock());
        }
    }

    /// Adds `n` new permits.
    pub(crate) fn add_permits(&self, n: usize) {
        let mut s = self.state.load(Ordering::Relaxed);
        loop {
            let have = s >> SHIFT;
            assert!(
                n <= MAX_PERMITS - have,
                "a semaphore holds at most {MAX_PERMITS} permits: cannot add {n} to {have}"
            );
            match self.state.compare_exchange_weak(
                s,
                s + (n << SHIFT),
                Ordering::AcqRel,
                Ordering::Relaxed,
            ) {
                Ok(prev) => {
                    if prev & QUEUED != 0 {
                        self.dispatch_and_wake(self.lock());
                    }
                    return;
                }
                Err(now) => s = now,
            }
        }
    }

    /// Adds one permit unless `bound` are available already (`BoundedSemaphore`'s
    /// manual release). Returns whether it added one.
    pub(crate) fn release_bounded(&self, bound: usize) -> bool {
        let mut s = self.state.load(Ordering::Relaxed);
        loop {
            if s >> SHIFT >= bound {
                return false;
            }
            match self.state.compare_exchange_weak(
                s,
                s + (1 << SHIFT),
                Ordering::AcqRel,
                Ordering::Relaxed,
            ) {
                Ok(prev) => {
                    if prev & QUEUED != 0 {
                        self.dispatch_and_wake(self.lock());
                    }
                    return true;
                }
                Err(now) => s = now,
            }
        }
    }

    pub(crate) fn close(&self) {
        let prev = self.state.fetch_or(CLOSED, Ordering::AcqRel);
        if prev & CLOSED != 0 {
            return;
        }
        let wakers: Vec<Waker> = {
            let mut q = self.lock();
            let q = &mut *q;
            q.order
                .iter()
                .filter_map(|&i| match &mut q.records[i] {
                    Some(Record::Waiting { waker, .. }) => Some(waker.clone()),
                    _ => None,
                })
                .collect()
        };
        for w in wakers {
            w.wake();
        }
    }

    /// Hands permits to the waiters at the front that they suffice for, then wakes
    /// them with the mutex released.
    fn dispatch_and_wake<'a>(&'a self, mut q: MutexGuard<'a, Queue>) {
        loop {
            let mut wake: [Option<Waker>; WAKE_BATCH] = Default::default();
            let more = self.dispatch(&mut q, &mut wake);
            drop(q);
            for w in wake.into_iter().flatten() {
                w.wake();
            }
            if !more {
                return;
            }
            q = self.lock();
        }
    }

    /// The dispatch proper, under the mutex: grants the front waiters in order while
    /// permits suffice, putting their wakers in `wake`; clears `QUEUED` once nobody
    /// waits. Returns true if it stopped because `wake` was full.
    fn dispatch(&self, q: &mut Queue, wake: &mut [Option<Waker>; WAKE_BATCH]) -> bool {
        let mut woken = 0;
        while let Some(&front) = q.order.front() {
            let want = match &q.records[front] {
                Some(Record::Waiting { want, .. }) => *want,
                Some(Record::Cancelled) => {
                    q.order.pop_front();
                    q.remove(front);
                    continue;
                }
                _ => unreachable!("granted records leave the order"),
            };
            if woken == WAKE_BATCH {
                return true;
            }
            if !self.take_queued(want) {
                break;
            }
            q.order.pop_front();
            let Some(Record::Waiting { waker, .. }) = q.records[front].replace(Record::Granted)
            else {
                unreachable!("checked above")
            };
            wake[woken] = Some(waker);
            woken += 1;
        }
        if q.order.is_empty() {
            self.state.fetch_and(!QUEUED, Ordering::AcqRel);
        }
        false
    }

    /// Takes `n` permits for the front waiter, if there are enough (and not closed).
    fn take_queued(&self, n: usize) -> bool {
        let mut s = self.state.load(Ordering::Acquire);
        loop {
            if s & CLOSED != 0 || s >> SHIFT < n {
                return false;
            }
            match self.state.compare_exchange_weak(
                s,
                s - (n << SHIFT),
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => return true,
                Err(now) => s = now,
            }
        }
    }
}

/// The state of one acquire of `n` permits: the machinery of the acquire futures and
/// of `acquire_blocking`.
pub(crate) struct Acquirer {
    n: usize,
    /// The record in the queue while waiting.
    slot: Option<usize>,
    done: bool,
}

impl Acquirer {
    pub(crate) fn new(n: usize) -> Acquirer {
        assert!(
            n <= MAX_PERMITS,
            "a semaphore holds at most {MAX_PERMITS} permits: cannot acquire {n}"
        );
        Acquirer {
            n,
            slot: None,
            done: false,
        }
    }

    pub(crate) fn n(&self) -> usize {
        self.n
    }

    /// Polls the acquire.
    #[inline]
    pub(crate) fn poll(
        &mut self,
        sem: &RawSemaphore,
        cx: &mut Context<'_>,
    ) -> Poll<Result<(), AcquireError>> {
        assert!(!self.done, "semaphore acquire polled after completion");
        if self.slot.is_none() {
            match sem.try_acquire(self.n) {
                Ok(()) => return self.finish(Ok(())),
                Err(true) => return self.finish(Err(AcquireError)),
                Err(false) => {}
            }
        }
        self.poll_slow(sem, cx.waker())
    }

    /// Joins the queue, or looks at the record there.
    #[cold]
    fn poll_slow(&mut self, sem: &RawSemaphore, waker: &Waker) -> Poll<Result<(), AcquireError>> {
        let mut q = sem.lock();
        let Some(slot) = self.slot else {
            if sem.is_closed() {
                return self.finish(Err(AcquireError));
            }
            let slot = q.insert(Record::Waiting {
                want: self.n,
                waker: waker.clone(),
            });
            q.order.push_back(slot);
            sem.state.fetch_or(QUEUED, Ordering::AcqRel);
            // Permits released before `QUEUED` was set are seen here.
            let mut wake: [Option<Waker>; WAKE_BATCH] = Default::default();
            let more = sem.dispatch(&mut q, &mut wake);
            let granted = matches!(q.records[slot], Some(Record::Granted));
            if granted {
                q.remove(slot);
            } else {
                self.slot = Some(slot);
            }
            if more {
                sem.dispatch_and_wake(q);
            } else {
                drop(q);
            }
            // Our own waker may be among them (granted at once): harmless.
            for w in wake.into_iter().flatten() {
                w.wake();
            }
            return if granted {
                self.finish(Ok(()))
            } else {
                Poll::Pending
            };
        };
        match &mut q.records[slot] {
            Some(Record::Granted) => {
                q.remove(slot);
                self.slot = None;
                self.finish(Ok(()))
            }
            Some(Record::Waiting { waker: w, .. }) => {
                if sem.is_closed() {
                    q.records[slot] = Some(Record::Cancelled);
                    self.slot = None;
                    return self.finish(Err(AcquireError));
                }
                if !w.will_wake(waker) {
                    *w = waker.clone();
                }
                Poll::Pending
            }
            _ => unreachable!("a waiting acquire's record is waiting or granted"),
        }
    }

    /// Acquires, parking the thread while waiting.
    pub(crate) fn wait(&mut self, sem: &RawSemaphore) -> Result<(), AcquireError> {
        block_on_poll(|cx| self.poll(sem, cx))
    }

    fn finish(&mut self, out: Result<(), AcquireError>) -> Poll<Result<(), AcquireError>> {
        self.done = true;
        Poll::Ready(out)
    }

    /// The future was dropped: leave the queue, or give back permits granted meanwhile.
    pub(crate) fn cancel(&mut self, sem: &RawSemaphore) {
        let Some(slot) = self.slot.take() else {
            return;
        };
        let mut q = sem.lock();
        match q.records[slot] {
            Some(Record::Granted) => {
                q.remove(slot);
                drop(q);
                sem.release(self.n);
            }
            Some(Record::Waiting { .. }) => {
                q.records[slot] = Some(Record::Cancelled);
                // The waiters behind may fit now (or nobody waits any more).
                sem.dispatch_and_wake(q);
            }
            _ => unreachable!("a waiting acquire's record is waiting or granted"),
        }
    }
}
