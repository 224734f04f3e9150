//! The counting allocator: live heap bytes of the process, and what one thread
//! allocates while it asks to be told (for `memory_per_task`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};

/// `System`, counting live bytes per thread (no shared counter on the hot path: each
/// thread owns a slot and only it writes there, so two workers never fight over a
/// cache line), and, on a thread that asks for it, the bytes and allocations it makes.
struct Counting;

const SLOTS: usize = 256;

#[repr(align(128))]
struct Slot(AtomicIsize);

/// Live bytes allocated minus freed by each thread (a thread's slot goes negative
/// when it frees what others allocated; the sum is what counts).
static LIVE: [Slot; SLOTS] = [const { Slot(AtomicIsize::new(0)) }; SLOTS];
/// Threads beyond `SLOTS` share this one.
static LIVE_OVERFLOW: AtomicIsize = AtomicIsize::new(0);
static NEXT_SLOT: AtomicUsize = AtomicUsize::new(0);

/// What this thread allocates while `tracking` is set.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Gross {
    pub(crate) bytes: usize,
    pub(crate) count: usize,
    pub(crate) largest: usize,
}

thread_local! {
    static MY_SLOT: Cell<usize> = const { Cell::new(usize::MAX) };
    static TRACKING: Cell<bool> = const { Cell::new(false) };
    static GROSS: Cell<Gross> = const { Cell::new(Gross { bytes: 0, count: 0, largest: 0 }) };
}

fn account(delta: isize) {
    let slot = MY_SLOT
        .try_with(|s| {
            if s.get() == usize::MAX {
                s.set(NEXT_SLOT.fetch_add(1, Ordering::Relaxed));
            }
            s.get()
        })
        .unwrap_or(usize::MAX);
    match LIVE.get(slot) {
        // Only this thread writes its slot: a load and a store, no read-modify-write.
        Some(s) => {
            s.0.store(s.0.load(Ordering::Relaxed) + delta, Ordering::Relaxed)
        }
        None => {
            LIVE_OVERFLOW.fetch_add(delta, Ordering::Relaxed);
        }
    }
}

fn track(size: usize) {
    let _ = TRACKING.try_with(|t| {
        if t.get() {
            let _ = GROSS.try_with(|g| {
                let mut v = g.get();
                v.bytes += size;
                v.count += 1;
                v.largest = v.largest.max(size);
                g.set(v);
            });
        }
    });
}

// SAFETY: every call is forwarded to `System` with the same arguments; the counting
// on the side allocates nothing.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            account(layout.size() as isize);
            track(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            account(layout.size() as isize);
            track(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) };
        account(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            account(new_size as isize - layout.size() as isize);
            track(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Live heap bytes of the process (every thread), as far as Rust allocated them.
pub(crate) fn live_bytes() -> isize {
    LIVE.iter()
        .map(|s| s.0.load(Ordering::Relaxed))
        .sum::<isize>()
        + LIVE_OVERFLOW.load(Ordering::Relaxed)
}

/// What this thread allocates while running `f`.
pub(crate) fn gross<T>(f: impl FnOnce() -> T) -> (T, Gross) {
    GROSS.with(|g| g.set(Gross::default()));
    TRACKING.with(|t| t.set(true));
    let out = f();
    TRACKING.with(|t| t.set(false));
    (out, GROSS.with(Cell::get))
}
