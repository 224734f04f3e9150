//! The atomics and locks of the reactor's protocols, mapped to `loom` under
//! `cfg(loom)` so that model-checking tests explore every interleaving.

#[cfg(not(loom))]
pub(crate) use std::sync::Mutex;
#[cfg(not(loom))]
pub(crate) use std::sync::atomic;

#[cfg(not(loom))]
pub(crate) use crate::reactor::lock;

#[cfg(loom)]
pub(crate) use loom::sync::Mutex;
#[cfg(loom)]
pub(crate) use loom::sync::atomic;

/// Locks `m`, ignoring poisoning, as [`crate::reactor::lock`] does for std's mutex.
#[cfg(loom)]
pub(crate) fn lock<T>(m: &Mutex<T>) -> loom::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
