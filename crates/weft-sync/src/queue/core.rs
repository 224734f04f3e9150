//! The state every handle of a queue shares, and its operations.
//!
//! # Protocol
//!
//! One `Mutex` guards the items, the count of unfinished tasks, the shut-down flag
//! and three lines of waiters (`wait_queue.rs`): putters waiting for room, getters
//! waiting for an item, joiners waiting for the unfinished count to reach zero. An
//! operation checks, changes and, if it must wait, registers under that lock, and
//! takes the wakers it notifies off their lines there too, waking them once the lock
//! is released:
//!
//! - each item put takes one getter off its line; each item got one putter (bounded
//!   queues only);
//! - the unfinished count reaching zero takes every joiner;
//! - shutting down takes every putter and getter.
//!
//! So one lock per operation, and no wake-up lost. A putter or getter that goes away
//! before it completes leaves its line; if it was no longer in line it had been
//! notified, and it passes the notification to the next in line while what it was
//! notified for still holds, so a cancelled waiter never swallows a wake-up meant for
//! an item or a slot.

use std::marker::PhantomData;
use std::sync::PoisonError;
use std::task::{Context, Poll, Waker};

use super::container::Container;
use super::error::{GetError, PutError, TaskDoneError};
use crate::sync::{Mutex, MutexGuard};
use crate::wait_queue::{self, WaitQueue, wake};

/// What the lock guards.
struct State<C> {
    items: C,
    /// How many items `items` holds (counted here, so that a waiter's drop needs no
    /// `Container` bound).
    len: usize,
    /// Items put and not yet marked done with `task_done`.
    unfinished: usize,
    shut_down: bool,
    putters: WaitQueue,
    getters: WaitQueue,
    joiners: WaitQueue,
}

/// The shared part of a queue.
pub(crate) struct Core<T, C> {
    state: Mutex<State<C>>,
    /// 0: unbounded.
    maxsize: usize,
    _items: PhantomData<fn(T) -> T>,
}

impl<T, C: Container<T>> Core<T, C> {
    pub(crate) fn new(maxsize: usize) -> Self {
        Core {
            state: Mutex::new(State {
                items: C::default(),
                len: 0,
                unfinished: 0,
                shut_down: false,
                putters: WaitQueue::default(),
                getters: WaitQueue::default(),
                joiners: WaitQueue::default(),
            }),
            maxsize,
            _items: PhantomData,
        }
    }

    pub(crate) fn maxsize(&self) -> usize {
        self.maxsize
    }

    pub(crate) fn len(&self) -> usize {
        self.lock().len
    }

    pub(crate) fn is_full(&self) -> bool {
        self.maxsize > 0 && self.len() >= self.maxsize
    }

    pub(crate) fn is_shut_down(&self) -> bool {
        self.lock().shut_down
    }

    pub(crate) fn try_put(&self, item: T) -> Result<(), PutError<T>> {
        let mut item = Some(item);
        match self.put_or_register(&mut item, &mut None, None) {
            Poll::Ready(Ok(())) => Ok(()),
            Poll::Ready(Err(item)) => Err(PutError::ShutDown(item)),
            Poll::Pending => Err(PutError::Full(item.take().expect("kept"))),
        }
    }

    pub(crate) fn try_get(&self) -> Result<T, GetError> {
        match self.get_or_register(&mut None, None) {
            Poll::Ready(Some(item)) => Ok(item),
            Poll::Ready(None) => Err(GetError::ShutDown),
            Poll::Pending => Err(GetError::Empty),
        }
    }

    /// Puts `item` (taking it), or, if the queue is full, registers `cx`'s waker
    /// under `waiter` and leaves `item` in place. `Err` hands the item of a shut-down
    /// queue back.
    pub(crate) fn poll_put(
        &self,
        item: &mut Option<T>,
        waiter: &mut Option<u64>,
        cx: &mut Context<'_>,
    ) -> Poll<Result<(), T>> {
        self.put_or_register(item, waiter, Some(cx.waker()))
    }

    fn put_or_register(
        &self,
        item: &mut Option<T>,
        waiter: &mut Option<u64>,
        waker: Option<&Waker>,
    ) -> Poll<Result<(), T>> {
        let mut s = self.lock();
        if s.shut_down || self.has_room(&s) {
            if let Some(id) = waiter.take() {
                s.putters.remove(id);
            }
            let item = item.take().expect("a put polled after completion");
            if s.shut_down {
                return Poll::Ready(Err(item));
            }
            s.items.push(item);
            s.len += 1;
            s.unfinished += 1;
            let woken = s.getters.notify_one();
            drop(s);
            wake(woken);
            return Poll::Ready(Ok(()));
        }
        if let Some(waker) = waker {
            s.putters.register(waiter, waker);
        }
        Poll::Pending
    }

    /// Gets an item (`None`: shut down and empty), or registers `cx`'s waker under
    /// `waiter`.
    pub(crate) fn poll_get(
        &self,
        waiter: &mut Option<u64>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<T>> {
        self.get_or_register(waiter, Some(cx.waker()))
    }

    fn get_or_register(&self, waiter: &mut Option<u64>, waker: Option<&Waker>) -> Poll<Option<T>> {
        let mut s = self.lock();
        let item = s.items.pop();
        if item.is_some() {
            s.len -= 1;
        }
        if item.is_some() || s.shut_down {
            if let Some(id) = waiter.take() {
                s.getters.remove(id);
            }
            let woken = match item {
                Some(_) if self.maxsize > 0 => s.putters.notify_one(),
                _ => None,
            };
            drop(s);
            wake(woken);
            return Poll::Ready(item);
        }
        if let Some(waker) = waker {
            s.getters.register(waiter, waker);
        }
        Poll::Pending
    }

    /// Ready once no task is unfinished, or registers `cx`'s waker under `waiter`.
    pub(crate) fn poll_join(&self, waiter: &mut Option<u64>, cx: &mut Context<'_>) -> Poll<()> {
        let mut s = self.lock();
        if s.unfinished == 0 {
            if let Some(id) = waiter.take() {
                s.joiners.remove(id);
            }
            return Poll::Ready(());
        }
        s.joiners.register(waiter, cx.waker());
        Poll::Pending
    }

    pub(crate) fn task_done(&self) -> Result<(), TaskDoneError> {
        let joiners = {
            let mut s = self.lock();
            if s.unfinished == 0 {
                return Err(TaskDoneError);
            }
            s.unfinished -= 1;
            (s.unfinished == 0).then(|| s.joiners.take_all())
        };
        if let Some(joiners) = joiners {
            wait_queue::wake_all(joiners);
        }
        Ok(())
    }

    pub(crate) fn shutdown(&self, immediate: bool) {
        let (dropped, putters, getters, joiners) = {
            let mut s = self.lock();
            s.shut_down = true;
            let dropped = if immediate {
                let dropped = std::mem::take(&mut s.items);
                s.unfinished = s.unfinished.saturating_sub(s.len);
                s.len = 0;
                Some(dropped)
            } else {
                None
            };
            let joiners = (s.unfinished == 0).then(|| s.joiners.take_all());
            (dropped, s.putters.take_all(), s.getters.take_all(), joiners)
        };
        // The items' destructors run outside the lock.
        drop(dropped);
        wait_queue::wake_all(putters);
        wait_queue::wake_all(getters);
        if let Some(joiners) = joiners {
            wait_queue::wake_all(joiners);
        }
    }
}

/// What a waiter's drop needs, without a `Container` bound (a future's `Drop` cannot
/// add one).
impl<T, C> Core<T, C> {
    fn lock(&self) -> MutexGuard<'_, State<C>> {
        // The state is consistent between every two statements that change it, and
        // no user code runs under the lock but the container's: a poisoned lock is
        // still a good one.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn has_room(&self, s: &State<C>) -> bool {
        self.maxsize == 0 || s.len < self.maxsize
    }

    /// A waiting put goes away; see the module documentation.
    pub(crate) fn cancel_put(&self, id: u64) {
        let mut s = self.lock();
        if s.putters.remove(id) || !(s.shut_down || self.has_room(&s)) {
            return;
        }
        let woken = s.putters.notify_one();
        drop(s);
        wake(woken);
    }

    /// A waiting get goes away; see the module documentation.
    pub(crate) fn cancel_get(&self, id: u64) {
        let mut s = self.lock();
        if s.getters.remove(id) || (s.len == 0 && !s.shut_down) {
            return;
        }
        let woken = s.getters.notify_one();
        drop(s);
        wake(woken);
    }

    /// A waiting join goes away (every joiner is woken at once: nothing to pass on).
    pub(crate) fn cancel_join(&self, id: u64) {
        self.lock().joiners.remove(id);
    }
}
