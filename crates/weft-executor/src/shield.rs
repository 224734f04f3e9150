//! `shield`: asyncio's `shield`.

use std::future::Future;

use crate::Task;

/// Runs `future` as a task that keeps running when whoever awaits it is cancelled:
/// asyncio's `shield`. Await the returned [`Task`] (or `&mut` it, to keep the handle)
/// for the result; dropping the handle or the future awaiting it leaves the work
/// running, and its result stays obtainable through the handle.
///
/// In weft dropping a [`Task`] handle never cancels the task, so shielding is
/// spawning; `shield` says so where the intent matters.
///
/// # Panics
///
/// Outside a weft executor.
///
/// # Examples
///
/// ```
/// use weft_executor::{Executor, shield};
///
/// let ex = Executor::new(1).unwrap();
/// let v = ex.block_on(async {
///     let (tx, rx) = futures::channel::oneshot::channel();
///     let mut task = shield(async move { rx.await.unwrap() });
///     // A caller that gives up waiting (here: polls once, then drops its future)...
///     assert!(futures::poll!(&mut task).is_pending());
///     tx.send("saved").unwrap();
///     // ...has not cancelled the work.
///     task.await.unwrap()
/// });
/// assert_eq!(v, "saved");
/// ```
#[track_caller]
pub fn shield<F>(future: F) -> Task<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    crate::spawn(future)
}
