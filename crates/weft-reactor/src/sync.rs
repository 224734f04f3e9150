//! The atomics and locks of the reactor's protocols, mapped to `loom` under
//! `cfg(loom)` so that model-checking tests explore every interleaving.

#[cfg(not(loom))]
pub(crate) use std::sync::atomic;

#[cfg(loom)]
pub(crate) use loom::sync::atomic;
