//! The process-wide registry of live tasks: for `task::all`, for waking a task that
//! is cancelled, and for dropping an executor's tasks when it shuts down.
//!
//! Each entry holds a `Waker` of its task, which keeps the task's allocation (and so
//! its `Header`) alive, and a pointer to that header. Entries are spread over shards
//! by task id, so spawns on different threads rarely meet on one lock. An entry is
//! removed by the executor after the run in which its task finished, or by the
//! executor's shutdown.

use std::ptr::NonNull;
use std::sync::atomic::Ordering;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::task::Waker;

use super::TaskInfo;
use super::header::{Header, NO_KEY};

const SHARDS: usize = 16;
const INDEX_BITS: u32 = 32;

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

    /// Registers a task; its header records the key.
    pub(crate) fn insert(&self, header: &Header, waker: Waker) {
        let shard_index = (header.id.as_u64() % SHARDS as u64) as usize;
        let mut shard = lock(&self.shards[shard_index].0);
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
                shard.entries.push(entry);
                u32::try_from(shard.entries.len() - 1).expect("fewer than 2^32 tasks per shard")
            }
        };
        header.key.store(
            ((shard_index as u64) << INDEX_BITS) | u64::from(index),
            Ordering::Release,
        );
    }

    fn split(key: u64) -> (usize, usize) {
        (
            (key >> INDEX_BITS) as usize,
            (key & ((1 << INDEX_BITS) - 1)) as usize,
        )
    }

    /// Removes the task's entry, if it still has one.
    pub(crate) fn remove(&self, header: &Header) {
        let key = header.key.swap(NO_KEY, Ordering::AcqRel);
        if key == NO_KEY {
            return;
        }
        let (s, i) = Registry::split(key);
        let entry = {
            let mut shard = lock(&self.shards[s].0);
            let entry = shard.entries[i].take();
            shard.free.push(i as u32);
            entry
        };
        // Dropping the waker may free the task: outside the lock.
        drop(entry);
    }

    /// Wakes the task registered under the header's key, if it is still there.
    pub(crate) fn wake(&self, header: &Header) {
        let key = header.key.load(Ordering::Acquire);
        if key == NO_KEY {
            return;
        }
        let (s, i) = Registry::split(key);
        let waker = {
            let shard = lock(&self.shards[s].0);
            shard
                .entries
                .get(i)
                .and_then(Option::as_ref)
                .filter(|e| e.header == NonNull::from(header))
                .map(|e| e.waker.clone())
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Snapshots the live tasks of `owner` (every owner if `None`).
    pub(crate) fn snapshot(&self, owner: Option<u32>) -> Vec<TaskInfo> {
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
    pub(crate) fn drain(&self, owner: u32) -> Vec<Waker> {
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
    pub(crate) fn drop_tasks_of(&self, owner: u32, mut drain: impl FnMut() -> usize) {
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
    pub(crate) fn has_tasks(&self, owner: u32) -> bool {
        self.shards.iter().any(|s| {
            lock(&s.0)
                .entries
                .iter()
                .flatten()
                .any(|e| e.header().owner == owner)
        })
    }
}
