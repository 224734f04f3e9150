//! weft: everything Python's asyncio gives Python, for Rust.
//!
//! An event loop, tasks, task groups, timeouts, locks, events, semaphores, queues,
//! streams, servers, subprocesses and signals, as a workspace of small crates that
//! can be used one at a time. This crate composes them; it re-implements nothing.
//!
//! # Implementation
//!
//! A [`Runtime`] is a work-stealing executor ([`executor`]) whose idle workers take
//! turns driving the reactor ([`reactor`]: I/O readiness on epoll, the timer wheel),
//! so there is no separate I/O thread. Blocking work goes to a bounded thread pool
//! ([`to_thread`]). Synchronisation, networking and subprocesses arrive crate by
//! crate; see the README's crate map.
//!
//! # Examples
//!
//! ```
//! use std::time::Duration;
//!
//! weft::run(async {
//!     let start = weft::time::Instant::now();
//!     weft::sleep(Duration::from_millis(1)).await;
//!     assert!(start.elapsed() >= Duration::from_millis(1));
//! });
//! ```
#![forbid(unsafe_code)]

#[cfg(doctest)]
mod macro_errors;
pub mod net;
pub mod runtime;
mod timer_handle;
mod wait_timeout;

pub use weft_executor as executor;
pub use weft_process as process;
pub use weft_process::signal;
pub use weft_reactor as reactor;
pub use weft_reactor::time;
pub use weft_sync as sync;
pub use weft_util as util;

pub use runtime::{Runtime, run};
pub use timer_handle::{TimerHandle, call_at, call_later};
pub use wait_timeout::wait_timeout;
#[doc(inline)]
pub use weft_executor::group::{ErrorGroup, Failure, TaskGroup};
#[doc(inline)]
pub use weft_executor::wait::{Finished, ReturnWhen, Wait, wait};
#[doc(inline)]
pub use weft_executor::{Handle, JoinError, Task, shield, spawn, task, yield_now};
#[doc(inline)]
pub use weft_macros::{main, test};
#[doc(inline)]
pub use weft_reactor::time::{sleep, sleep_until};
#[doc(inline)]
pub use weft_util::{
    AsCompleted, Elapsed, GatherAll, Timeout, TryGatherAll, as_completed, gather_all, race,
    timeout, timeout_at, try_gather_all, wait_for,
};
#[doc(inline)]
pub use weft_util::{ThreadPool, to_thread};
#[doc(inline)]
pub use weft_util::{gather, select, try_gather};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
