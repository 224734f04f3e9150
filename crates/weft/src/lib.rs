//! weft: everything Python's asyncio gives Python, for Rust.
//!
//! An event loop, tasks, task groups, timeouts, locks, events, semaphores, queues,
//! streams, servers, subprocesses and signals, as a workspace of small crates that
//! can be used one at a time. This crate composes them; it re-implements nothing.
//!
//! # Implementation
//!
//! Today it holds the reactor ([`reactor`]): I/O readiness on epoll (or `polling`
//! elsewhere), the timer wheel, the clock and [`block_on`](reactor::block_on). The
//! runtime (`weft::run`, `spawn`), synchronisation, networking and subprocesses
//! arrive crate by crate; see the README's crate map.
//!
//! # Examples
//!
//! ```
//! use std::time::Duration;
//!
//! weft::reactor::block_on(async {
//!     let start = weft::time::Instant::now();
//!     weft::sleep(Duration::from_millis(1)).await;
//!     assert!(start.elapsed() >= Duration::from_millis(1));
//! });
//! ```
#![forbid(unsafe_code)]

pub use weft_executor as executor;
pub use weft_net as net;
pub use weft_process as process;
pub use weft_reactor as reactor;
pub use weft_reactor::time;
pub use weft_sync as sync;
pub use weft_util as util;

#[doc(inline)]
pub use weft_reactor::time::{sleep, sleep_until};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
