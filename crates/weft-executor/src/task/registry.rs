//! The process-wide registry of live tasks: for `task::all`, for waking a task that
//! is cancelled, and for dropping an executor's tasks when it shuts down.
//!
//! Each entry holds a `Waker` of its task, which keeps the task's allocation (and so
//! its `Header`) alive, and a pointer to that header. Entries are spread over shards
//! by task id, so spawns on different threads rarely meet on one lock. An entry is
//! removed from inside its task's last poll, or by the executor's shutdown.
//!
//! An executor is known here by its `OwnerId`, a `u16` in each header, held by the
//! executor's shared state and freed (for reuse) when that state is dropped: after
//! the executor's shutdown, which leaves none of its tasks in the registry, and once
//! its handles are gone (a local executor's tasks also hold its state, through their
//! schedule function).

use std::ptr::NonNull;
use std::sync::atomic::Ordering;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::task::Waker;

use super::TaskInfo;
use super::header::{Header, NO_KEY};

const SHARDS: usize = 16;

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

struct Entry {
    waker: Waker,
    /// Valid while `waker` is held: it keeps the allocation alive.
    header: NonNull<Header>,
}

impl Entry {
    fn header(&self) -> &Header {
        // SAFETY: `waker` holds a reference on the task's allocation, in which the
        // header lives, so the header is valid while the entry exists.
        unsafe { self.header.as_ref() }
    }
}

// SAFETY: the entry shares a `Header` (which is `Sync`) and a `Waker` (which is `Send`
// and `Sync`); nothing in it is tied to a thread.
unsafe impl Send for Entry {}

#[derive(Default)]
struct Shard {
    entries: Vec<Option<Entry>>,
    free: Vec<u32>,
}

#[repr(align(128))]
#[derive(Default)]
struct Padded(Mutex<Shard>);

pub(crate) struct Registry {
    shards: [Padded; SHARDS],
}

fn lock(m: &Mutex<Shard>) -> MutexGuard<'_, Shard> {
    // Nothing panics while a shard is locked; a poisoned shard holds sound data.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Registry {
    pub(crate) fn global() -> &'static Registry {
        static REGISTRY: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
        REGISTRY.get_or_init(|| Registry {
            shards: Default::default(),
        })
    }

    fn shard(&self, header: &Header) -> &Mutex<Shard> {
        &self.shards[(header.id.as_u64() % SHARDS as u64) as usize].0
    }

    /// Registers a task; its header records its slot in its shard.
    pub(crate) fn insert(&self, header: &Header, waker: Waker) {
        let mut shard = lock(self.shard(header));
        let entry = Some(Entry {
            waker,
            header: NonNull::from(header),
        });
        let index = match shard.free.pop() {
            Some(i) => {
                shard.entries[i as usize] = entry;
                i
            }
            None => {
                let i = u32::try_from(shard.entries.len())
                    .ok()
                    .filter(|&i| i != NO_KEY)
                    .expect("fewer than 2^32 - 1 live tasks per registry shard");
                shard.entries.push(entry);
                i
            }
        };
        header.key.store(index, Ordering::Release);
    }

    /// Removes the task's entry, if it still has one.
    pub(crate) fn remove(&self, header: &Header) {
        let index = header.key.swap(NO_KEY, Ordering::AcqRel);
        if index == NO_KEY {
            return;
        }
        let entry = {
            let mut shard = lock(self.shard(header));
            let slot = &mut shard.entries[index as usize];
            // `drain` may have taken the entry since the swap (and the slot may hold
            // another task's by now): then it is not ours to free.
            if slot
                .as_ref()
                .is_some_and(|e| e.header == NonNull::from(header))
            {
                let entry = slot.take();
                shard.free.push(index);
                entry
            } else {
                None
            }
        };
        // Dropping the waker may free the task: outside the lock.
        drop(entry);
    }

    /// Wakes the task registered under the header's key, if it is still there.
    pub(crate) fn wake(&self, header: &Header) {
        let index = header.key.load(Ordering::Acquire);
        if index == NO_KEY {
            return;
        }
        let waker = {
            let shard = lock(self.shard(header));
            shard
                .entries
                .get(index as usize)
                .and_then(Option::as_ref)
                .filter(|e| e.header == NonNull::from(header))
                .map(|e| e.waker.clone())
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Snapshots the live tasks of `owner` (every owner if `None`).
    pub(crate) fn snapshot(&self, owner: Option<u16>) -> Vec<TaskInfo> {
        let mut out = Vec::new();
        for shard in &self.shards {
            let shard = lock(&shard.0);
            for e in shard.entries.iter().flatten() {
                let h = e.header();
                if owner.is_none_or(|o| o == h.owner) {
                    out.push(TaskInfo::from_header(h));
                }
            }
        }
        out.sort_by_key(TaskInfo::id);
        out
    }

    /// Removes every entry of `owner`, handing back the wakers.
    pub(crate) fn drain(&self, owner: u16) -> Vec<Waker> {
        let mut out = Vec::new();
        for shard in &self.shards {
            let mut shard = lock(&shard.0);
            let shard = &mut *shard;
            for (i, slot) in shard.entries.iter_mut().enumerate() {
                if slot.as_ref().is_some_and(|e| e.header().owner == owner) {
                    let e = slot.take().expect("checked");
                    e.header().key.store(NO_KEY, Ordering::Release);
                    shard.free.push(i as u32);
                    out.push(e.waker);
                }
            }
        }
        out
    }

    /// Drops every pending task of `owner`: wakes each, so that its runnable lands in
    /// one of the owner's queues, then has `drain` drop what those queues hold
    /// (returning how many); again, since dropping a future may wake or spawn others.
    pub(crate) fn drop_tasks_of(&self, owner: u16, mut drain: impl FnMut() -> usize) {
        loop {
            let wakers = self.drain(owner);
            for w in &wakers {
                w.wake_by_ref();
            }
            let dropped = drain();
            drop(wakers);
            if dropped == 0 && !self.has_tasks(owner) {
                break;
            }
        }
    }

    /// Whether `owner` has live tasks.
    pub(crate) fn has_tasks(&self, owner: u16) -> bool {
        self.shards.iter().any(|s| {
            lock(&s.0)
                .entries
                .iter()
                .flatten()
                .any(|e| e.header().owner == owner)
        })
    }
}
