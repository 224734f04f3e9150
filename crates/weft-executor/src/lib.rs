//! Tasks for weft: a work-stealing multi-thread executor and a local executor.
//!
//! This crate will hold weft's executors (issue 3): `Executor`, run by many threads with
//! per-worker local queues, a LIFO slot and a global injector; `LocalExecutor` for `!Send`
//! futures; `Task<T>` handles with `JoinError`; `task::Builder`, `yield_now`,
//! `task::current()` and `task::all()`; and `TaskGroup` (issue 6). It is built on
//! `async-task` and `concurrent-queue` and depends on no other weft crate, so it knows
//! nothing about I/O or time.
#![forbid(unsafe_code)]
