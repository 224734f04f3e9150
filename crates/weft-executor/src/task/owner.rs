//! Executor ids: a `u16` in each task's header names the executor that owns it.
//!
//! An id is held by the executor's shared state and freed (for reuse) when that state
//! is dropped: after the executor's shutdown, which leaves none of its live tasks in
//! the registry, and once its handles are gone (a local executor's tasks also hold
//! its state, through their schedule function).

use std::sync::{Mutex, PoisonError};

/// An executor's id in the registry, unique among live executors.
pub(crate) struct OwnerId(u16);

/// Owner ids: the next never used, and the freed ones.
struct OwnerPool {
    next: u32,
    free: Vec<u16>,
}

static OWNERS: Mutex<OwnerPool> = Mutex::new(OwnerPool {
    next: 1,
    free: Vec::new(),
});

impl OwnerId {
    /// A free id.
    ///
    /// # Panics
    ///
    /// When 65,535 executors are alive at once.
    pub(crate) fn new() -> OwnerId {
        let mut pool = OWNERS.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(id) = pool.free.pop() {
            return OwnerId(id);
        }
        let Ok(id) = u16::try_from(pool.next) else {
            drop(pool);
            panic!(
                "weft: more than 65,535 executors (Executor or LocalExecutor) alive at once; \
                 an executor's id is freed once it, its handles and its tasks are all dropped"
            );
        };
        pool.next += 1;
        OwnerId(id)
    }

    pub(crate) fn get(&self) -> u16 {
        self.0
    }
}

impl Drop for OwnerId {
    fn drop(&mut self) {
        let mut pool = OWNERS.lock().unwrap_or_else(PoisonError::into_inner);
        pool.free.push(self.0);
    }
}
