//! The live multi-thread executors by owner id: how a task's schedule function, which
//! carries no state, finds its executor when it is woken off that executor's workers.
//!
//! A task's schedule function is a plain function (zero-sized), so async-task need
//! not guard it with a temporary waker on every wake (a reference-count increment and
//! decrement), and a task does not hold its executor alive (8 bytes and a shared
//! counter's increment a spawn). A wake on one of the executor's own workers finds it
//! through the worker's context; any other wake looks it up here by the header's
//! `owner`. The table holds each executor from its build to the end of its shutdown,
//! after which a wake finds nothing and drops the task.
//!
//! Owner ids are recycled once an executor's state is gone, so a wake racing with its
//! executor's shutdown (the task woken, its runnable in the waker's hand, while the
//! shutdown completes and a new executor takes the id) may hand the task to the new
//! executor, which then runs or drops it: a task whose executor was shutting down,
//! run on another one; never unsound, since every task here is `Send`.

use std::sync::{Arc, PoisonError, RwLock};

use super::Shared;

static TABLE: RwLock<Vec<Option<Arc<Shared>>>> = RwLock::new(Vec::new());

/// Lists `shared` under its owner id.
pub(super) fn register(shared: &Arc<Shared>) {
    let owner = usize::from(shared.owner.get());
    let mut table = TABLE.write().unwrap_or_else(PoisonError::into_inner);
    if table.len() <= owner {
        table.resize(owner + 1, None);
    }
    table[owner] = Some(shared.clone());
}

/// Takes the executor of `owner` off the list.
pub(super) fn unregister(owner: u16) {
    let removed = {
        let mut table = TABLE.write().unwrap_or_else(PoisonError::into_inner);
        table.get_mut(usize::from(owner)).and_then(Option::take)
    };
    // Outside the lock: this may be the last reference.
    drop(removed);
}

/// The executor of `owner`, if it is listed.
pub(super) fn get(owner: u16) -> Option<Arc<Shared>> {
    let table = TABLE.read().unwrap_or_else(PoisonError::into_inner);
    table.get(usize::from(owner)).and_then(Option::clone)
}
