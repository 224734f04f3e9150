//! The future a `TaskGroup` child runs: the user's, watched for failure and for the
//! group's cancellation.

use std::future::Future;
use std::mem::ManuallyDrop;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::{Failure, Group};
use crate::task::header::{self, CANCELLED, FAILED};

/// A child's future. Its output is the user future's `Ok` value; on `Err`, a panic,
/// or the group's cancellation it hands the failure to the group and aborts its own
/// task (`header::abort_current`), whose handle then reports `JoinError::Failed` or
/// `Cancelled`. Dropping it (the task finished or was dropped) counts the child out.
pub(super) struct Child<F, E> {
    /// Dropped first in `drop`, before the child counts itself out, so that the
    /// join returns only once every child's destructors have run.
    future: ManuallyDrop<F>,
    group: Arc<Group<E>>,
    slot: usize,
}

impl<F, E> Child<F, E> {
    pub(super) fn new(future: F, group: Arc<Group<E>>, slot: usize) -> Child<F, E> {
        Child {
            future: ManuallyDrop::new(future),
            group,
            slot,
        }
    }
}

impl<F, T, E> Future for Child<F, E>
where
    F: Future<Output = Result<T, E>>,
{
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // SAFETY: nothing is moved out of `this`: `future` is re-pinned below, and
        // the rest is only read.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: `future` is structurally pinned: never moved out of `self` (`drop`
        // drops it in place), and `Child` has no `Unpin` impl of its own.
        let future = unsafe { Pin::new_unchecked(&mut *this.future) };
        let (group, slot) = (&this.group, this.slot);
        if group.is_cancelled() {
            header::abort_current(CANCELLED);
            return Poll::Pending;
        }
        let failure = match panic::catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
            Ok(Poll::Ready(Ok(v))) => return Poll::Ready(v),
            Ok(Poll::Pending) => {
                if !group.park(slot, cx.waker()) {
                    header::abort_current(CANCELLED);
                }
                return Poll::Pending;
            }
            Ok(Poll::Ready(Err(error))) => Failure::Error {
                task: header::current_id(),
                error,
            },
            Err(payload) => Failure::Panic {
                task: header::current_id(),
                payload,
            },
        };
        group.fail(failure);
        header::abort_current(FAILED);
        Poll::Pending
    }
}

impl<F, E> Drop for Child<F, E> {
    fn drop(&mut self) {
        /// Counts the child out even if the future's destructor panics.
        struct Leave<'a, E>(&'a Group<E>, usize);
        impl<E> Drop for Leave<'_, E> {
            fn drop(&mut self) {
                self.0.leave(self.1);
            }
        }
        let _leave = Leave(&self.group, self.slot);
        // SAFETY: dropped once, here, in place (it may be pinned), and never used
        // after.
        unsafe { ManuallyDrop::drop(&mut self.future) };
    }
}
