//! The ready list: which of a combinator's children have been woken since it last
//! looked, so that a wake-up costs a poll of the children that asked for one, not of
//! all of them.
//!
//! Each child is polled with a waker of its own, a [`ChildWaker`] that knows the
//! child's index. The protocol:
//!
//! - Every child has a `queued` flag. A child waker sets it, and only the waker that
//!   turns it from `false` to `true` pushes the index on the shared list (under the
//!   mutex) and wakes the parent. So an index is on the list at most once however
//!   often the child is woken, and duplicate wake-ups touch no lock.
//! - The parent takes the whole list at once ([`ReadyList::take`]), under the same
//!   lock hold in which it stores its own waker: a child woken after the take finds
//!   that waker and wakes the parent again, so no wake-up is lost.
//! - The parent clears a child's flag just before polling it
//!   ([`ReadyList::waker`]): a wake-up during or after that poll queues the child
//!   again; one between the take and the clear is redundant, as the poll follows.
//!
//! All children start queued. The parent's waker is cloned under the lock and woken
//! after unlocking, so no foreign code runs under the crate's lock.

use std::mem;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Wake, Waker};

use crate::sync::lock;

/// What the parent shares with its children's wakers.
struct Shared {
    list: Mutex<List>,
    /// One flag per child: set while its index is on the list (or about to be polled
    /// from a batch already taken).
    queued: Box<[AtomicBool]>,
}

struct List {
    /// The indices of the children woken since the parent last took the list.
    ready: Vec<usize>,
    /// The waker of the task polling the parent, once it has been polled.
    parent: Option<Waker>,
}

/// A child's waker: queues the child's index and wakes the parent.
struct ChildWaker {
    index: usize,
    shared: Arc<Shared>,
}

impl Wake for ChildWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if self.shared.queued[self.index].swap(true, Ordering::AcqRel) {
            return; // already on the list, or about to be polled
        }
        let mut list = lock(&self.shared.list);
        list.ready.push(self.index);
        let parent = list.parent.clone();
        drop(list);
        if let Some(parent) = parent {
            parent.wake();
        }
    }
}

/// The ready list of `len` children, and their wakers (made on first use).
pub(crate) struct ReadyList {
    shared: Arc<Shared>,
    wakers: Vec<Option<Waker>>,
}

impl ReadyList {
    /// A list on which all `len` children are queued, so the first poll polls them
    /// all.
    pub(crate) fn new(len: usize) -> ReadyList {
        ReadyList {
            shared: Arc::new(Shared {
                list: Mutex::new(List {
                    ready: (0..len).collect(),
                    parent: None,
                }),
                queued: (0..len).map(|_| AtomicBool::new(true)).collect(),
            }),
            wakers: vec![None; len],
        }
    }

    /// Stores `parent` as the waker to wake when a child is woken, and moves the
    /// indices of the children woken since the last take into `batch`, which must be
    /// empty (its allocation is kept by the list for the next round).
    pub(crate) fn take(&self, parent: &Waker, batch: &mut Vec<usize>) {
        debug_assert!(batch.is_empty());
        let mut list = lock(&self.shared.list);
        let old = match &list.parent {
            Some(w) if w.will_wake(parent) => None,
            _ => list.parent.replace(parent.clone()),
        };
        mem::swap(&mut list.ready, batch);
        drop(list);
        drop(old);
    }

    /// Child `index`'s waker; clears its queued flag, as the child is about to be
    /// polled.
    pub(crate) fn waker(&mut self, index: usize) -> &Waker {
        self.shared.queued[index].store(false, Ordering::Release);
        let shared = &self.shared;
        self.wakers[index].get_or_insert_with(|| {
            Waker::from(Arc::new(ChildWaker {
                index,
                shared: Arc::clone(shared),
            }))
        })
    }

    /// Forgets child `index`'s waker, once the child is finished.
    pub(crate) fn forget(&mut self, index: usize) {
        self.wakers[index] = None;
    }
}
