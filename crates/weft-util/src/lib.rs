//! Combinators, timeouts and the blocking thread pool of weft.
//!
//! Today the crate holds asyncio's `to_thread` and `run_in_executor`: [`to_thread`]
//! runs a blocking closure on a bounded pool shared by the process, and
//! [`ThreadPool`] is a pool of your own, whose [`run`](ThreadPool::run) does the same.
//! Both yield a [`RunFuture`], which resolves to the closure's value or to a
//! [`BlockingError`] carrying its panic. The executor-agnostic combinators and
//! timeouts (`gather!`, `wait_for`, `timeout`, `race`, ...) will join them.
//!
//! # Implementation
//!
//! A pool is a FIFO queue and two counters behind one mutex, a condition variable,
//! and at most `max_threads` threads: one starts when a job arrives and no thread is
//! idle, and a thread idle for the keep-alive exits. A job and its future share a
//! slot behind a mutex (the closure until a pool thread takes it, then the outcome)
//! with the awaiting task's waker: the pool thread runs the closure under
//! `catch_unwind`, stores the outcome and wakes the task. So the future needs no
//! reactor and works under any executor, and the crate has no unsafe code.
//!
//! # Examples
//!
//! ```
//! use std::time::Duration;
//! use weft_reactor::{block_on, time::sleep};
//! use weft_util::{ThreadPool, to_thread};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//! let pool = ThreadPool::new(2)?;
//! let (hash, len) = block_on(async {
//!     let hash = pool.run(|| (0..1_000u64).fold(0, |h, i| h ^ i.wrapping_mul(31)));
//!     let len = to_thread(|| std::env::current_dir().map(|d| d.as_os_str().len()));
//!     sleep(Duration::from_millis(1)).await; // the reactor runs meanwhile
//!     (hash.await, len.await)
//! });
//! println!("hash {}, path of {} bytes", hash?, len??);
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]

mod builder;
mod error;
mod pool;
mod run;
mod sync;
mod task;
mod to_thread;
mod worker;

pub use builder::Builder;
pub use error::BlockingError;
pub use pool::ThreadPool;
pub use run::RunFuture;
pub use to_thread::to_thread;
