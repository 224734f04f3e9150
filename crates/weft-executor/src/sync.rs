//! The atomics, locks and thread parking of the executor's protocols, mapped to
//! `loom` under `cfg(loom)` so that model-checking tests explore every interleaving.
//!
//! `OnceLock` stays std's under loom, which has none: the one that holds a worker's
//! `Thread` is written once, by the worker before it first parks.

#[cfg(not(loom))]
pub(crate) use std::sync::atomic;
#[cfg(not(loom))]
pub(crate) use std::sync::{Mutex, MutexGuard};
#[cfg(not(loom))]
pub(crate) use std::thread;

#[cfg(loom)]
pub(crate) use loom::sync::atomic;
#[cfg(loom)]
pub(crate) use loom::sync::{Mutex, MutexGuard};
#[cfg(loom)]
pub(crate) use loom::thread;
