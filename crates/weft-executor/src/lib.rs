//! Tasks for weft: a work-stealing multi-thread executor and a local executor.
//!
//! asyncio's tasks (`create_task`, `Task`, `current_task`, `all_tasks`, `sleep(0)`),
//! as executors that know nothing about I/O or time: the runtime in the `weft` crate
//! joins this crate to the reactor through an [`IdleHook`].
//!
//! # Implementation
//!
//! Tasks are `async-task` allocations whose metadata carries the task's id, name,
//! spawn location and state; the future inside is wrapped so that its panics are
//! caught and its cancellation honoured. An [`Executor`] is run by a pool of worker
//! threads, each with a local queue (`concurrent-queue`) others steal from and a LIFO
//! slot; spawns from outside go through a global queue. A process-wide registry of
//! live tasks serves [`task::all`] and lets an executor drop its tasks on shutdown.
//! [`LocalExecutor`] runs `!Send` futures on one thread. Structured concurrency:
//! [`group::TaskGroup`] (asyncio's `TaskGroup` and `ExceptionGroup`), [`wait::wait`]
//! and [`shield`].
//!
//! # Examples
//!
//! ```
//! use weft_executor::{Executor, task};
//!
//! let ex = Executor::new(2).unwrap();
//! let out = ex.block_on(async {
//!     let child = task::Builder::new().name("child").spawn(async {
//!         task::yield_now().await;
//!         task::current().unwrap().name().map(String::from)
//!     });
//!     child.await.unwrap()
//! });
//! assert_eq!(out.as_deref(), Some("child"));
//! ```

mod executor;
pub mod group;
mod local;
mod park;
mod shield;
mod sync;
pub mod task;
pub mod wait;

use std::future::Future;

pub use executor::{EnterGuard, Executor, ExecutorBuilder, Handle, IdleHook, assert_not_worker};
pub use local::LocalExecutor;
pub use shield::shield;
pub use task::{JoinError, Task, TaskId, yield_now};

/// The protocols' internals for the model-checking tests (`tests/loom_*.rs`); built
/// only under `RUSTFLAGS="--cfg loom"`.
#[cfg(loom)]
#[doc(hidden)]
pub mod __loom {
    pub use crate::executor::idle::model::{Idle, Parker};
    pub use crate::group::model::Group;
}

/// Spawns `future` on the current thread's executor: asyncio's `create_task`.
///
/// # Panics
///
/// Outside a weft executor (not on a worker, nor inside `block_on` or
/// [`Handle::enter`]), with a message that says what to do.
///
/// # Examples
///
/// ```
/// let ex = weft_executor::Executor::new(1).unwrap();
/// let n = ex.block_on(async { weft_executor::spawn(async { 5 }).await.unwrap() });
/// assert_eq!(n, 5);
/// ```
#[track_caller]
pub fn spawn<F>(future: F) -> Task<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    task::Builder::new().spawn(future)
}
