//! `Task<T>`: the handle of a spawned task.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::ptr::NonNull;
use std::task::{Context, Poll};

use async_task::FallibleTask;

use super::header::{CANCELLED, Header};
use super::registry::Registry;
use super::{JoinError, TaskId};

/// A handle to a spawned task: asyncio's `Task`.
///
/// Awaiting it gives the task's output, or a [`JoinError`] when the task panicked or
/// was cancelled. Dropping it *detaches* the task, which keeps running (asyncio keeps
/// tasks running too; keep the handle, or use a task group, to own a task
/// structurally). [`cancel`](Task::cancel) asks the task to stop: it is dropped at its
/// next suspension point, or before its first poll if it has not started.
///
/// # Cancel safety
///
/// Awaiting a `Task` is cancel safe: dropping the `.await` (or the handle) never
/// cancels the task, and a later `.await` on the same handle still gets the output.
///
/// # Panics
///
/// Polled again after it gave its output (through `&mut task`, say).
///
/// # Examples
///
/// ```
/// use weft_executor::Executor;
///
/// let ex = Executor::new(2).unwrap();
/// let sum = ex.block_on(async {
///     let a = ex.spawn(async { 1 + 2 });
///     let b = ex.spawn(async { 3 + 4 });
///     a.await.unwrap() + b.await.unwrap()
/// });
/// assert_eq!(sum, 10);
/// ```
#[must_use = "dropping a Task detaches it; call `.detach()` to say so"]
pub struct Task<T> {
    inner: Option<FallibleTask<Result<T, JoinError>, Header>>,
    /// The header in the task's allocation, which `inner` keeps alive.
    header: NonNull<Header>,
    /// The output was handed out: polling again is a bug, reported as one (async-task
    /// would answer "closed", which would read as a cancellation).
    done: bool,
}

// SAFETY: the handle shares the task's `Header` (`Sync`) and an async-task handle,
// which is `Send` when the output is; the output only ever moves to the awaiting side.
unsafe impl<T: Send> Send for Task<T> {}
// SAFETY: `&Task` gives access to the header's atomics and immutable fields only.
unsafe impl<T: Send> Sync for Task<T> {}

impl<T> Unpin for Task<T> {}

impl<T> Task<T> {
    pub(crate) fn new(inner: async_task::Task<Result<T, JoinError>, Header>) -> Task<T> {
        let header = NonNull::from(inner.metadata());
        Task {
            inner: Some(inner.fallible()),
            header,
            done: false,
        }
    }

    fn header(&self) -> &Header {
        // SAFETY: `inner` holds a reference on the task's allocation until `self` is
        // dropped, and the header lives in that allocation.
        unsafe { self.header.as_ref() }
    }

    /// Asks the task to stop. It is dropped at its next suspension point (it is woken
    /// to reach it), or before its first poll if it has not started; awaiting the
    /// handle then gives [`JoinError::is_cancelled`]. A task that has already finished
    /// keeps its result.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::Executor;
    ///
    /// let ex = Executor::new(1).unwrap();
    /// ex.block_on(async {
    ///     let task = ex.spawn(std::future::pending::<()>());
    ///     task.cancel();
    ///     assert!(task.await.unwrap_err().is_cancelled());
    /// });
    /// ```
    pub fn cancel(&self) {
        let header = self.header();
        header.abort(CANCELLED);
        Registry::global().wake(header);
    }

    /// Whether the task has finished (completed, panicked or been cancelled).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::Executor;
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let task = ex.spawn(async {});
    /// let task = ex.block_on(async { weft_executor::task::yield_now().await; task });
    /// # let _ = ex.block_on(async { while !task.is_finished() { weft_executor::task::yield_now().await } });
    /// assert!(task.is_finished());
    /// ```
    pub fn is_finished(&self) -> bool {
        self.inner.as_ref().is_none_or(FallibleTask::is_finished)
    }

    /// The task's id.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::Executor;
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let task = ex.spawn(async { weft_executor::task::current().unwrap().id() });
    /// let id = task.id();
    /// assert_eq!(ex.block_on(task).unwrap(), id);
    /// ```
    pub fn id(&self) -> TaskId {
        self.header().id
    }

    /// The task's name, if it was given one with [`Builder::name`](super::Builder::name).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, task::Builder};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let task = Builder::new().name("fetch").spawn_on(&ex.handle(), async {});
    /// assert_eq!(task.name(), Some("fetch"));
    /// ```
    pub fn name(&self) -> Option<&str> {
        self.header().name().map(|n| &**n)
    }

    /// Lets the task run on without a handle; the same as dropping the handle.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::Executor;
    ///
    /// let ex = Executor::new(1).unwrap();
    /// ex.spawn(async { println!("in the background") }).detach();
    /// ```
    pub fn detach(mut self) {
        if let Some(t) = self.inner.take() {
            t.detach();
        }
    }

    /// Waits for the task from synchronous code, parking the thread.
    ///
    /// Do not call it on a worker of the executor the task runs on with nothing
    /// else to run it: a one-worker executor would wait forever.
    ///
    /// # Errors
    ///
    /// As awaiting the task.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::Executor;
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let task = ex.spawn(async { 6 * 7 });
    /// assert_eq!(task.join_blocking().unwrap(), 42);
    /// ```
    pub fn join_blocking(self) -> Result<T, JoinError> {
        crate::park::block_on(self)
    }
}

impl<T> Future for Task<T> {
    type Output = Result<T, JoinError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        assert!(!self.done, "a Task is not polled after it completed");
        let id = self.id();
        let inner = self
            .inner
            .as_mut()
            .expect("only `detach` takes it, by value");
        let out = match Pin::new(inner).poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Some(res)) => res,
            // The executor dropped the task (it shut down) before it finished.
            Poll::Ready(None) => Err(JoinError::cancelled(id)),
        };
        self.done = true;
        Poll::Ready(out)
    }
}

impl<T> Drop for Task<T> {
    fn drop(&mut self) {
        if let Some(t) = self.inner.take() {
            t.detach();
        }
    }
}

impl<T> fmt::Debug for Task<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Task")
            .field("id", &self.id())
            .field("name", &self.name())
            .finish_non_exhaustive()
    }
}
