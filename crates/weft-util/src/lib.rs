//! Combinators, timeouts and the blocking thread pool of weft.
//!
//! asyncio's task-coordination functions, for any future under any executor:
//!
//! - Awaiting several futures together: [`gather!`] and [`try_gather!`] for a fixed
//!   set (a tuple out), [`gather_all`] and [`try_gather_all`] over an iterator (a
//!   `Vec` out, in input order); the `try_` forms stop at the first `Err` and drop the
//!   rest. [`as_completed`] is a [`Stream`](futures_core::Stream) of the outputs in
//!   the order they finish.
//! - The first of several: [`race`] for two futures of one type, [`select!`] for any
//!   number, with a handler per branch.
//! - Timeouts on the reactor's timers: [`timeout`], [`timeout_at`] and asyncio's
//!   [`wait_for`] yield a [`Timeout`], whose deadline can be read and moved
//!   ([`Timeout::reschedule`]); it resolves to the output or to [`Elapsed`].
//! - Blocking work, asyncio's `to_thread` and `run_in_executor`: [`to_thread`] runs a
//!   blocking closure on a bounded pool shared by the process, and [`ThreadPool`] is
//!   a pool of your own, whose [`run`](ThreadPool::run) does the same. Both yield a
//!   [`RunFuture`], which resolves to the closure's value or to a [`BlockingError`]
//!   carrying its panic.
//!
//! Unlike asyncio's, none of these spawns a task: the futures run inside the future
//! that combines them, and dropping it drops them. To run work as tasks, spawn them
//! (weft's `spawn`) and combine the handles.
//!
//! # Implementation
//!
//! The combinators over iterators poll each future with a waker of its own, which
//! puts the future's index on a ready list shared with the parent (a mutex-guarded
//! vector, and an atomic flag per future so that each index is listed once); a
//! wake-up of the parent polls only the listed futures, so 10,000 futures cost one
//! poll per wake-up, not 10,000. The futures are boxed, so no unsafe code is needed
//! to pin them. The macros and [`race`] pin their futures in place inside an `async`
//! block with [`pin!`](core::pin::pin) and poll them all at each wake-up. A timeout
//! is the reactor's [`Timer`](weft_reactor::time::Timer) next to the boxed future,
//! polled after it.
//!
//! A pool is a FIFO queue and two counters behind one mutex, a condition variable,
//! and at most `max_threads` threads: one starts when a job arrives and no thread is
//! idle, and a thread idle for the keep-alive exits. A job and its future share a
//! slot behind a mutex (the closure until a pool thread takes it, then the outcome)
//! with the awaiting task's waker: the pool thread runs the closure under
//! `catch_unwind`, stores the outcome and wakes the task.
//!
//! So nothing here needs weft's executor: everything works under tokio or
//! `futures::executor` too (the reactor drives itself there), and the crate has no
//! unsafe code.
//!
//! # Examples
//!
//! ```
//! use std::time::Duration;
//! use weft_reactor::{block_on, time::sleep};
//! use weft_util::{gather, gather_all, timeout, to_thread};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//! let (squares, len, slow) = block_on(async {
//!     let squares = gather_all((1..=3u64).map(|i| async move {
//!         sleep(Duration::from_millis(i)).await;
//!         i * i
//!     }));
//!     let len = to_thread(|| std::env::current_dir().map(|d| d.as_os_str().len()));
//!     let slow = timeout(Duration::from_millis(5), sleep(Duration::from_secs(60)));
//!     gather!(squares, len, slow).await
//! });
//! assert_eq!(squares, [1, 4, 9]);
//! println!("path of {} bytes", len??);
//! assert!(slow.is_err()); // timed out
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]

#[doc(hidden)]
pub mod __private;
mod as_completed;
mod builder;
mod elapsed;
mod error;
mod gather;
mod gather_all;
mod pool;
mod race;
mod ready;
mod run;
mod select;
mod set;
mod sync;
mod task;
mod timeout;
mod to_thread;
mod try_gather_all;
mod worker;

pub use as_completed::{AsCompleted, as_completed};
pub use builder::Builder;
pub use elapsed::Elapsed;
pub use error::BlockingError;
pub use gather_all::{GatherAll, gather_all};
pub use pool::ThreadPool;
pub use race::race;
pub use run::RunFuture;
pub use timeout::{Timeout, timeout, timeout_at, wait_for};
pub use to_thread::to_thread;
pub use try_gather_all::{TryGatherAll, try_gather_all};
