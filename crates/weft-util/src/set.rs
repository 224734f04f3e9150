//! `FutureSet`: a fixed set of futures, each polled only when its own waker asked for
//! it; the engine of [`gather_all`](crate::gather_all),
//! [`try_gather_all`](crate::try_gather_all) and [`as_completed`](crate::as_completed).
//!
//! Futures are boxed so that they can be pinned without unsafe code; a finished
//! future is dropped at once, and so is every remaining one when the set is dropped.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::ready::ReadyList;

pub(crate) struct FutureSet<F> {
    /// The futures by input index; `None` once finished.
    futures: Vec<Option<Pin<Box<F>>>>,
    /// How many are not finished.
    pending: usize,
    ready: ReadyList,
    /// The batch taken from the ready list, and how far it has been polled.
    batch: Vec<usize>,
    next: usize,
}

impl<F: Future> FutureSet<F> {
    pub(crate) fn new(futures: impl IntoIterator<Item = F>) -> FutureSet<F> {
        let futures: Vec<_> = futures.into_iter().map(|f| Some(Box::pin(f))).collect();
        FutureSet {
            pending: futures.len(),
            ready: ReadyList::new(futures.len()),
            futures,
            batch: Vec::new(),
            next: 0,
        }
    }

    /// How many futures have not finished yet.
    pub(crate) fn pending(&self) -> usize {
        self.pending
    }

    /// The next future to finish, with its input index: `None` when all have.
    ///
    /// A call takes the ready list at most once, so it returns `Pending` after
    /// polling each woken future at most once: a future that wakes itself at every
    /// poll cannot keep the caller's task busy forever. When it returns `Pending`, the
    /// task's waker is stored, to be woken when a future is.
    pub(crate) fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<(usize, F::Output)>> {
        let mut took = false;
        loop {
            if let Some(&index) = self.batch.get(self.next) {
                self.next += 1;
                let Some(future) = &mut self.futures[index] else {
                    continue; // a stale wake-up of a finished future
                };
                let waker = self.ready.waker(index);
                if let Poll::Ready(out) = future.as_mut().poll(&mut Context::from_waker(waker)) {
                    self.futures[index] = None;
                    self.ready.forget(index);
                    self.pending -= 1;
                    return Poll::Ready(Some((index, out)));
                }
                continue;
            }
            if self.pending == 0 {
                return Poll::Ready(None);
            }
            if took {
                return Poll::Pending;
            }
            self.batch.clear();
            self.next = 0;
            self.ready.take(cx.waker(), &mut self.batch);
            took = true;
        }
    }
}

impl<F> fmt::Debug for FutureSet<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FutureSet")
            .field("len", &self.futures.len())
            .field("pending", &self.pending)
            .finish_non_exhaustive()
    }
}
