//! `wait`: asyncio's `wait(tasks, return_when=...)`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::{JoinError, Task, TaskId};

/// When [`wait`] returns.
///
/// # Examples
///
/// ```
/// use weft_executor::{Executor, wait::{ReturnWhen, wait}};
///
/// let ex = Executor::new(1).unwrap();
/// let (done, pending) = ex.block_on(async {
///     let tasks = vec![weft_executor::spawn(async { 1 }), weft_executor::spawn(std::future::pending())];
///     wait(tasks, ReturnWhen::FirstCompleted).await
/// });
/// assert_eq!((done.len(), pending.len()), (1, 1));
/// # for t in pending { t.cancel(); }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReturnWhen {
    /// As soon as one task has finished (at once if there are none).
    FirstCompleted,
    /// As soon as one task has ended in a [`JoinError`] (panicked, cancelled or
    /// failed), or when all have finished. A task whose value is an `Err` finished
    /// without an exception here: it gave a value.
    FirstException,
    /// When every task has finished.
    AllCompleted,
}

/// A task that finished, as [`wait`] gives it back.
///
/// # Examples
///
/// ```
/// use weft_executor::{Executor, wait::{ReturnWhen, wait}};
///
/// let ex = Executor::new(1).unwrap();
/// let (done, _) = ex.block_on(async {
///     wait([weft_executor::spawn(async { "a" })], ReturnWhen::AllCompleted).await
/// });
/// assert_eq!(done[0].index, 0);
/// assert_eq!(done[0].result.as_ref().ok(), Some(&"a"));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct Finished<T> {
    /// Its position among the tasks given to `wait`.
    pub index: usize,
    /// Its id.
    pub id: TaskId,
    /// What awaiting it gave.
    pub result: Result<T, JoinError>,
}

enum Slot<T> {
    Pending(Task<T>),
    Done(Finished<T>),
}

/// Waits for `tasks` until `when` holds, then returns the finished ones (in the
/// order they were given, with their results) and the others (still running, in
/// the order given): asyncio's `wait`.
///
/// For a time limit, wait on `&mut` the returned [`Wait`] under a timeout, and call
/// [`Wait::into_parts`] if the time runs out (`weft::wait_timeout` does that).
///
/// # Cancel safety
///
/// Dropping the future detaches the tasks still running (it never cancels them) and
/// drops the results of those that finished; see [`Wait`].
///
/// # Examples
///
/// ```
/// use weft_executor::{Executor, wait::{ReturnWhen, wait}};
///
/// let ex = Executor::new(2).unwrap();
/// let (done, pending) = ex.block_on(async {
///     let tasks = (0..4).map(|i| weft_executor::spawn(async move { i * 10 }));
///     wait(tasks, ReturnWhen::AllCompleted).await
/// });
/// assert!(pending.is_empty());
/// let values: Vec<i32> = done.into_iter().map(|f| f.result.unwrap()).collect();
/// assert_eq!(values, [0, 10, 20, 30]);
/// ```
pub fn wait<T>(tasks: impl IntoIterator<Item = Task<T>>, when: ReturnWhen) -> Wait<T> {
    Wait {
        slots: tasks.into_iter().map(Slot::Pending).collect(),
        when,
    }
}

/// The future of [`wait`]. Each poll looks at every task still running.
///
/// # Cancel safety
///
/// Dropping it detaches the tasks still running (dropping a [`Task`] never
/// cancels it) and drops the results of those that finished; to keep both, call
/// [`into_parts`](Wait::into_parts) instead.
///
/// # Examples
///
/// ```
/// use weft_executor::{Executor, wait::{ReturnWhen, wait}};
///
/// let ex = Executor::new(1).unwrap();
/// let (done, pending) = ex.block_on(async {
///     wait([weft_executor::spawn(async {})], ReturnWhen::FirstCompleted).await
/// });
/// assert_eq!((done.len(), pending.len()), (1, 0));
/// ```
#[must_use = "a Wait does nothing unless awaited"]
pub struct Wait<T> {
    slots: Vec<Slot<T>>,
    when: ReturnWhen,
}

impl<T> Wait<T> {
    /// The tasks that have finished so far (with their results) and the others,
    /// without waiting: what is left when a time limit runs out.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, wait::{ReturnWhen, wait}};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let (done, pending) = ex.block_on(async {
    ///     let w = wait([weft_executor::spawn(std::future::pending::<()>())], ReturnWhen::AllCompleted);
    ///     w.into_parts()
    /// });
    /// assert_eq!((done.len(), pending.len()), (0, 1));
    /// pending[0].cancel();
    /// ```
    pub fn into_parts(self) -> (Vec<Finished<T>>, Vec<Task<T>>) {
        let mut done = Vec::new();
        let mut pending = Vec::new();
        for slot in self.slots {
            match slot {
                Slot::Done(f) => done.push(f),
                Slot::Pending(t) => pending.push(t),
            }
        }
        (done, pending)
    }
}

impl<T> Unpin for Wait<T> {}

impl<T> Future for Wait<T> {
    type Output = (Vec<Finished<T>>, Vec<Task<T>>);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let (mut finished, mut failed) = (0, false);
        for (index, slot) in self.slots.iter_mut().enumerate() {
            if let Slot::Pending(task) = slot {
                let id = task.id();
                if let Poll::Ready(result) = Pin::new(task).poll(cx) {
                    *slot = Slot::Done(Finished { index, id, result });
                }
            }
            if let Slot::Done(f) = slot {
                finished += 1;
                failed |= f.result.is_err();
            }
        }
        let all = finished == self.slots.len();
        let ready = match self.when {
            ReturnWhen::FirstCompleted => finished > 0 || all,
            ReturnWhen::FirstException => failed || all,
            ReturnWhen::AllCompleted => all,
        };
        if !ready {
            return Poll::Pending;
        }
        let slots = std::mem::take(&mut self.slots);
        Poll::Ready(
            Wait {
                slots,
                when: self.when,
            }
            .into_parts(),
        )
    }
}

impl<T> fmt::Debug for Wait<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let done = self
            .slots
            .iter()
            .filter(|s| matches!(s, Slot::Done(_)))
            .count();
        f.debug_struct("Wait")
            .field("when", &self.when)
            .field("finished", &done)
            .field("tasks", &self.slots.len())
            .finish()
    }
}
