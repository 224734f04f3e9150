//! Combinators, timeouts and the blocking thread pool of weft.
//!
//! This crate will hold `to_thread` and `ThreadPool` (issue 3), and the executor-agnostic
//! combinators and timeouts of issue 6: `gather!`, `gather_all`, `as_completed`, `race`,
//! `select!`, `wait_for`, `timeout` and `timeout_at`. It depends only on `weft-reactor`,
//! whose timers the timeouts use.
#![forbid(unsafe_code)]
