//! The process-wide registry of live tasks: for `task::all`, for waking a task that
//! is cancelled, and for dropping an executor's tasks when it shuts down.
//!
//! # Protocol
//!
//! Each entry holds a `Waker` of its task, which keeps the task's allocation (and so
//! its `Header`) alive, and a pointer to that header. Entries live in shards, one per
//! thread that spawns (recycled when the thread exits), so a spawn locks a mutex that
//! no other thread touches in the common case. The header's `key` names the shard and
//! the slot.
//!
//! A task that finishes, on whatever thread, does not take its entry out: it marks
//! its header `DONE` ([`retire`]) and counts itself in its shard's `retired`, on a
//! cache line of its own. The dead entries are swept (their wakers dropped, their
//! slots reused) by the shard's next spawn that would grow it, once a quarter of the
//! shard's entries are dead (so a shard holds at most a third more than its live
//! tasks, and never more than its peak); by workers about to park (`sweep_idle`), so
//! finished tasks are freed by the time the runtime is idle; and by a busy worker every
//! 61 tasks (`sweep_due`) once three quarters of a shard are dead (tasks spawned in a
//! burst and finished, on a runtime that never idles and spawns no more). Each sweep
//! reads every entry's header, so it waits until it frees many. Every reader (`snapshot`, `drain`, `has_tasks`)
//! skips `DONE` entries. The `retired` count is a hint for when to sweep: a race with
//! `drain` may leave it off by one, never anything unsound.

use std::cell::Cell;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::task::Waker;

use super::TaskInfo;
use super::chunked::Chunked;
use super::header::{DONE, Header, NO_KEY};

/// Bits of a key that name the slot; the rest name the shard.
const SLOT_BITS: u32 = 22;
const MAX_SLOTS: usize = 1 << SLOT_BITS;
/// Shard `MAX_SHARDS` would make `NO_KEY` a key: one fewer.
const MAX_SHARDS: usize = (1 << (32 - SLOT_BITS)) - 1;
/// A shard's spawn sweeps once this many entries, and a quarter of them, are dead.
const MIN_SWEEP: usize = 32;

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

    fn is_live(&self) -> bool {
        self.header().state.load(Ordering::Acquire) != DONE
    }
}

// SAFETY: the entry shares a `Header` (which is `Sync`) and a `Waker` (which is `Send`
// and `Sync`); nothing in it is tied to a thread.
unsafe impl Send for Entry {}

#[derive(Default)]
struct Slots {
    entries: Chunked<Entry>,
    free: Vec<u32>,
}

impl Slots {
    /// Takes out every dead entry, handing back their wakers (to drop outside the
    /// lock: that may free tasks).
    fn sweep(&mut self, dead: &mut Vec<Waker>) {
        for (i, slot) in self.entries.slots_mut() {
            if slot.as_ref().is_some_and(|e| !e.is_live()) {
                dead.push(slot.take().expect("checked").waker);
                self.free.push(i as u32);
            }
        }
    }
}

#[repr(align(128))]
#[derive(Default)]
struct Shard {
    slots: Mutex<Slots>,
    /// Finished tasks whose entries are still here (a hint; see the module docs).
    retired: Padded<AtomicUsize>,
}

#[repr(align(128))]
#[derive(Default)]
struct Padded<T>(T);

impl Shard {
    fn lock(&self) -> MutexGuard<'_, Slots> {
        // Nothing panics while a shard is locked; a poisoned shard holds sound data.
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sweeps if at least `min` entries, and `percent` of all, are dead.
    fn sweep_if(&self, min: usize, percent: usize) {
        // The count first, without the lock: workers call this every 61 tasks and
        // before parking, for every shard, other threads' included.
        if self.retired.0.load(Ordering::Relaxed) < min.max(1) {
            return;
        }
        let mut dead = Vec::new();
        let swept = self.sweep_locked(&mut self.lock(), min, percent, &mut dead);
        if swept {
            self.forget_retired(dead.len());
        }
    }

    /// `sweep_if` with the lock held; the caller drops `dead` after unlocking, and
    /// calls `forget_retired` if this returns true.
    fn sweep_locked(
        &self,
        slots: &mut Slots,
        min: usize,
        percent: usize,
        dead: &mut Vec<Waker>,
    ) -> bool {
        let retired = self.retired.0.load(Ordering::Relaxed);
        if retired < min || retired * 100 < percent * (slots.entries.len() - slots.free.len()) {
            return false;
        }
        slots.sweep(dead);
        true
    }

    fn forget_retired(&self, n: usize) {
        let _ = self
            .retired
            .0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |r| {
                Some(r.saturating_sub(n))
            });
    }
}

/// The shards, by index; each is leaked once made and reused, so a `&'static Shard`
/// stays valid.
pub(crate) struct Registry {
    shards: [AtomicPtr<Shard>; MAX_SHARDS],
    /// Shards made so far, and those whose threads have exited.
    pool: Mutex<Pool>,
}

struct Pool {
    made: usize,
    free: Vec<usize>,
}

/// This thread's shard; returned to the pool when the thread exits.
struct Mine(Cell<Option<usize>>);

impl Drop for Mine {
    fn drop(&mut self) {
        if let Some(i) = self.0.get() {
            let registry = Registry::global();
            registry.shard(i).sweep_if(1, 0);
            registry.pool().free.push(i);
        }
    }
}

thread_local! {
    static MINE: Mine = const { Mine(Cell::new(None)) };
}

fn split(key: u32) -> (usize, usize) {
    (
        (key >> SLOT_BITS) as usize,
        (key as usize) & (MAX_SLOTS - 1),
    )
}

impl Registry {
    pub(crate) fn global() -> &'static Registry {
        static REGISTRY: Registry = Registry {
            shards: [const { AtomicPtr::new(std::ptr::null_mut()) }; MAX_SHARDS],
            pool: Mutex::new(Pool {
                made: 0,
                free: Vec::new(),
            }),
        };
        &REGISTRY
    }

    fn pool(&self) -> MutexGuard<'_, Pool> {
        self.pool.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn shard(&self, i: usize) -> &'static Shard {
        let p = self.shards[i].load(Ordering::Acquire);
        // SAFETY: a non-null pointer came from `Box::leak` in `new_shard`, stored with
        // `Release` after the shard was made, and is never freed.
        unsafe { p.as_ref() }.expect("a key names a shard that was made")
    }

    /// The shards made so far.
    fn shards(&self) -> impl Iterator<Item = &'static Shard> + '_ {
        self.shards
            .iter()
            .map_while(|p| NonNull::new(p.load(Ordering::Acquire)))
            // SAFETY: as in `shard`.
            .map(|p| unsafe { p.as_ref() })
    }

    /// A shard for this thread: a pooled one, else a new one; once every index is in
    /// use, threads share them.
    fn adopt(&self, full: Option<usize>) -> usize {
        let mut pool = self.pool();
        if let Some(i) = full {
            pool.free.insert(0, i); // at the back of the line: it has no room
        }
        let pooled = pool.free.iter().rposition(|&i| Some(i) != full);
        if let Some(at) = pooled {
            return pool.free.swap_remove(at);
        }
        if pool.made < MAX_SHARDS {
            let i = pool.made;
            let shard: &'static Shard = Box::leak(Box::default());
            self.shards[i].store(NonNull::from(shard).as_ptr(), Ordering::Release);
            pool.made += 1;
            return i;
        }
        let i = (full.map_or(0, |i| i + 1)) % MAX_SHARDS;
        pool.free.retain(|&f| f != i);
        i
    }

    /// Registers a task in this thread's shard; its header records the key.
    pub(crate) fn insert(&self, header: &Header, waker: Waker) {
        let mut entry = Some(Entry {
            waker,
            header: NonNull::from(header),
        });
        MINE.with(|mine| {
            let mut index = match mine.0.get() {
                Some(i) => i,
                None => self.adopt(None),
            };
            let mut dead = Vec::new();
            let slot = loop {
                let shard = self.shard(index);
                let mut slots = shard.lock();
                // A spawn that would grow the shard sweeps it first, if it pays.
                let swept = slots.free.is_empty()
                    && shard.sweep_locked(&mut slots, MIN_SWEEP, 25, &mut dead);
                let slot = if let Some(slot) = slots.free.pop() {
                    *slots.entries.slot_mut(slot as usize) = entry.take();
                    Some(slot as usize)
                } else if slots.entries.len() < MAX_SLOTS {
                    Some(slots.entries.push(entry.take().expect("not yet placed")))
                } else {
                    None
                };
                drop(slots);
                if swept {
                    shard.forget_retired(dead.len());
                }
                match slot {
                    Some(slot) => break slot,
                    None => index = self.adopt(Some(index)),
                }
            };
            drop(dead); // outside the lock: this may free tasks
            mine.0.set(Some(index));
            let key = ((index as u32) << SLOT_BITS) | slot as u32;
            header.key.store(key, Ordering::Release);
        });
    }

    /// The live entry of `header`, if it has one, under its shard's lock.
    fn with_entry<R>(&self, header: &Header, f: impl FnOnce(&Entry) -> R) -> Option<R> {
        let key = header.key.load(Ordering::Acquire);
        if key == NO_KEY {
            return None;
        }
        let (shard, slot) = split(key);
        let slots = self.shard(shard).lock();
        slots
            .entries
            .get(slot)
            .and_then(Option::as_ref)
            .filter(|e| e.header == NonNull::from(header))
            .map(f)
    }

    /// Wakes the task registered under the header's key, if it is still there.
    pub(crate) fn wake(&self, header: &Header) {
        if let Some(w) = self.with_entry(header, |e| e.waker.clone()) {
            w.wake();
        }
    }

    /// Sweeps every shard with dead entries: for a worker about to park, so that what
    /// finished tasks hold is freed once the runtime is idle.
    pub(crate) fn sweep_idle(&self) {
        for shard in self.shards() {
            shard.sweep_if(1, 0);
        }
    }

    /// Sweeps the shards of which three quarters are dead: for a busy worker, now and
    /// then, so that tasks spawned in a burst and finished are freed even if no spawn
    /// follows and the runtime never idles.
    pub(crate) fn sweep_due(&self) {
        for shard in self.shards() {
            shard.sweep_if(MIN_SWEEP, 75);
        }
    }

    /// Snapshots the live tasks of `owner` (every owner if `None`).
    pub(crate) fn snapshot(&self, owner: Option<u16>) -> Vec<TaskInfo> {
        let mut out = Vec::new();
        for shard in self.shards() {
            let slots = shard.lock();
            for e in slots.entries.values().filter(|e| e.is_live()) {
                let h = e.header();
                if owner.is_none_or(|o| o == h.owner) {
                    out.push(TaskInfo::from_header(h));
                }
            }
        }
        out.sort_by_key(TaskInfo::id);
        out
    }

    /// Removes every live entry of `owner` (and every dead one), handing back the
    /// wakers of the live ones.
    fn drain(&self, owner: u16) -> Vec<Waker> {
        let mut out = Vec::new();
        let mut dead = Vec::new();
        for shard in self.shards() {
            {
                let mut slots = shard.lock();
                let slots = &mut *slots;
                slots.sweep(&mut dead);
                for (i, slot) in slots.entries.slots_mut() {
                    if slot.as_ref().is_some_and(|e| e.header().owner == owner) {
                        let e = slot.take().expect("checked");
                        e.header().key.store(NO_KEY, Ordering::Release);
                        slots.free.push(i as u32);
                        out.push(e.waker);
                    }
                }
            }
            shard.forget_retired(dead.len());
            dead.clear();
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
        self.shards().any(|s| {
            s.lock()
                .entries
                .values()
                .any(|e| e.header().owner == owner && e.is_live())
        })
    }
}

/// Marks a task finished (its future is done or being dropped): its entry is swept
/// later (see the module docs).
pub(crate) fn retire(header: &Header) {
    header.state.store(DONE, Ordering::Release);
    let key = header.key.load(Ordering::Acquire);
    if key != NO_KEY {
        let (shard, _) = split(key);
        Registry::global()
            .shard(shard)
            .retired
            .0
            .fetch_add(1, Ordering::Relaxed);
    }
}
