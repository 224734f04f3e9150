//! The state every handle of a queue shares, and its non-waiting operations.
//!
//! # Protocol
//!
//! One `Mutex` guards the items, the count of unfinished tasks and the shut-down
//! flag; each operation holds it for a push or a pop. Waiting goes through three
//! `event-listener` events, always notified after the lock is released:
//!
//! - `not_empty`: one additional listener per item put, every listener on shutdown.
//! - `not_full` (bounded queues only): one additional listener per item got, every
//!   listener on shutdown.
//! - `all_done`: every listener when the unfinished count reaches zero.
//!
//! The notifications are "relaxed" (no fence of their own): the lock orders a
//! waiter's listening before its failed check, and that check before the change
//! that notifies.
//!
//! A waiter listens, then checks again before it parks, so that no item or slot
//! that came between its failed attempt and its listening is missed. A listener that
//! is dropped after being notified (a cancelled `get` or `put`) hands its
//! notification to the next listener, so a cancelled waiter never swallows a wake-up
//! meant for an item.

use std::marker::PhantomData;
use std::sync::PoisonError;

use event_listener::Event;

use super::container::Container;
use super::error::{GetError, PutError, TaskDoneError};
use crate::sync::{Mutex, MutexGuard};

/// What the lock guards.
struct State<C> {
    items: C,
    /// Items put and not yet marked done with `task_done`.
    unfinished: usize,
    shut_down: bool,
}

/// The shared part of a queue.
pub(crate) struct Core<T, C> {
    state: Mutex<State<C>>,
    /// 0: unbounded.
    maxsize: usize,
    pub(crate) not_empty: Event,
    pub(crate) not_full: Event,
    pub(crate) all_done: Event,
    _items: PhantomData<fn(T) -> T>,
}

impl<T, C: Container<T>> Core<T, C> {
    pub(crate) fn new(maxsize: usize) -> Self {
        Core {
            state: Mutex::new(State {
                items: C::default(),
                unfinished: 0,
                shut_down: false,
            }),
            maxsize,
            not_empty: Event::new(),
            not_full: Event::new(),
            all_done: Event::new(),
            _items: PhantomData,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<C>> {
        // The state is consistent between every two statements that change it, and
        // no user code runs under the lock but the container's: a poisoned lock is
        // still a good one.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn maxsize(&self) -> usize {
        self.maxsize
    }

    pub(crate) fn len(&self) -> usize {
        self.lock().items.len()
    }

    pub(crate) fn is_full(&self) -> bool {
        self.maxsize > 0 && self.len() >= self.maxsize
    }

    pub(crate) fn is_shut_down(&self) -> bool {
        self.lock().shut_down
    }

    pub(crate) fn unfinished(&self) -> usize {
        self.lock().unfinished
    }

    pub(crate) fn try_put(&self, item: T) -> Result<(), PutError<T>> {
        {
            let mut state = self.lock();
            if state.shut_down {
                return Err(PutError::ShutDown(item));
            }
            if self.maxsize > 0 && state.items.len() >= self.maxsize {
                return Err(PutError::Full(item));
            }
            state.items.push(item);
            state.unfinished += 1;
        }
        self.not_empty.notify_additional_relaxed(1);
        Ok(())
    }

    pub(crate) fn try_get(&self) -> Result<T, GetError> {
        let item = {
            let mut state = self.lock();
            match state.items.pop() {
                Some(item) => item,
                None if state.shut_down => return Err(GetError::ShutDown),
                None => return Err(GetError::Empty),
            }
        };
        if self.maxsize > 0 {
            self.not_full.notify_additional_relaxed(1);
        }
        Ok(item)
    }

    pub(crate) fn task_done(&self) -> Result<(), TaskDoneError> {
        let done = {
            let mut state = self.lock();
            if state.unfinished == 0 {
                return Err(TaskDoneError);
            }
            state.unfinished -= 1;
            state.unfinished == 0
        };
        if done {
            self.all_done.notify(usize::MAX);
        }
        Ok(())
    }

    pub(crate) fn shutdown(&self, immediate: bool) {
        let (dropped, done) = {
            let mut state = self.lock();
            state.shut_down = true;
            if immediate {
                let dropped = std::mem::take(&mut state.items);
                state.unfinished = state.unfinished.saturating_sub(dropped.len());
                (Some(dropped), state.unfinished == 0)
            } else {
                (None, false)
            }
        };
        // The items' destructors run outside the lock.
        drop(dropped);
        self.not_empty.notify(usize::MAX);
        self.not_full.notify(usize::MAX);
        if done {
            self.all_done.notify(usize::MAX);
        }
    }
}
