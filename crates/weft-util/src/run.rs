//! `RunFuture`: the future of a job run on a pool.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use crate::BlockingError;
use crate::task::Task;

/// The future of a job run with [`ThreadPool::run`](crate::ThreadPool::run) or
/// [`to_thread`](crate::to_thread): yields the closure's value, or a
/// [`BlockingError`] if it panicked.
///
/// It works under any executor (weft's, tokio, `futures::executor`, `block_on`): the
/// pool thread that runs the job stores the outcome and wakes the task that last
/// polled the future. It is `Unpin`, and `Send` and `Sync` (the closure's output is
/// `Send` by construction).
///
/// # Cancel safety
///
/// Dropping the future cancels the job if no pool thread has picked it up yet: the
/// closure never runs and is dropped at once, on the dropping thread. Once the job
/// has started it cannot be stopped (a thread cannot be interrupted): dropping the
/// future lets the closure run to the end, and its value (or panic) is discarded. So
/// in a `select!` or a timeout, a losing `RunFuture` either never ran or ran fully;
/// its value is lost either way, and awaiting `&mut fut` again instead of dropping it
/// loses nothing.
///
/// # Panics
///
/// Polling the future again after it has completed panics.
///
/// # Examples
///
/// ```
/// use weft_reactor::block_on;
/// use weft_util::{RunFuture, to_thread};
///
/// let job: RunFuture<usize> = to_thread(|| "blocking".len());
/// assert_eq!(block_on(job).unwrap(), 8);
/// ```
#[must_use = "dropping a `RunFuture` before its job starts cancels the job"]
pub struct RunFuture<T> {
    /// `None` once detached.
    task: Option<Arc<Task<T>>>,
}

impl<T> RunFuture<T> {
    pub(crate) fn new(task: Arc<Task<T>>) -> RunFuture<T> {
        RunFuture { task: Some(task) }
    }

    /// Lets the job run to the end with no one awaiting it: unlike dropping the
    /// future, this never cancels it. Its value, or its panic, is discarded.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use weft_util::to_thread;
    ///
    /// let (tx, rx) = mpsc::channel();
    /// to_thread(move || tx.send("done").unwrap()).detach();
    /// assert_eq!(rx.recv().unwrap(), "done");
    /// ```
    pub fn detach(mut self) {
        // Dropping our reference without closing the slot leaves the job queued or
        // running; the pool drops the slot, and the outcome with it, when done.
        drop(self.task.take());
    }
}

impl<T> Future for RunFuture<T> {
    type Output = Result<T, BlockingError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.task
            .as_ref()
            .expect("a detached future cannot be polled")
            .poll(cx)
    }
}

impl<T> Drop for RunFuture<T> {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.close();
        }
    }
}

impl<T> fmt::Debug for RunFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let stage = self.task.as_ref().map_or("detached", |t| t.stage_name());
        f.debug_struct("RunFuture").field("stage", &stage).finish()
    }
}
