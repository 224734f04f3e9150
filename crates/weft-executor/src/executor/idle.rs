//! Idle workers: how they park, how they are woken, and the hook through which an
//! idle worker does useful waiting (weft's runtime: driving the reactor).
//!
//! # Protocol
//!
//! Each worker has a parker state: `EMPTY`, `PARKED` (its thread is parked),
//! `DRIVING` (it is inside [`IdleHook::drive`]) or `NOTIFIED`. `unpark` swaps in
//! `NOTIFIED` and, depending on what it replaced, unparks the thread or interrupts
//! the hook; `park` consumes a `NOTIFIED` at every step, so no wake-up is lost.
//!
//! The executor keeps the indices of parked workers in `Idle::parked`, and counts
//! workers that are searching for work (`searching`). A new task wakes a parked
//! worker only if no worker is searching: a searching worker will find it. A worker
//! that finds work after searching, and was the last searcher, wakes another, so a
//! burst of tasks fans out to all workers one wake-up at a time.

use std::sync::{OnceLock, PoisonError};
use std::time::Duration;

use crate::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use crate::sync::thread::{self, Thread};
use crate::sync::{Mutex, MutexGuard};

/// Useful waiting for an idle worker: weft's runtime drives the reactor here.
///
/// An executor without a hook parks idle workers' threads.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft_executor::{Executor, IdleHook};
///
/// /// A hook that never drives: workers park their threads.
/// struct Nothing;
/// impl IdleHook for Nothing {
///     fn drive(&self, _timeout: Option<Duration>, _unparked: &dyn Fn() -> bool) -> bool {
///         false
///     }
///     fn interrupt(&self) {}
/// }
///
/// let ex = Executor::builder().worker_threads(1).idle_hook(Nothing).build().unwrap();
/// assert_eq!(ex.block_on(ex.spawn(async { 1 })).unwrap(), 1);
/// ```
pub trait IdleHook: Send + Sync + 'static {
    /// Waits for something to do (I/O, a timer) for at most `timeout`, waking the
    /// tasks it concerns, or returns `false` at once if it cannot wait here (another
    /// thread is doing it). `Some(Duration::ZERO)` asks for a non-blocking check.
    ///
    /// `unparked` says whether the worker has been unparked meanwhile. Call it once
    /// whatever makes [`interrupt`](IdleHook::interrupt) reach this thread is in place
    /// (for the reactor: once the driver lock is held), and return without waiting if
    /// it says `true`: an `interrupt` that came earlier may have reached whoever held
    /// that place before.
    fn drive(&self, timeout: Option<Duration>, unparked: &dyn Fn() -> bool) -> bool;

    /// Makes a [`drive`](IdleHook::drive) in progress on another thread return soon.
    fn interrupt(&self);

    /// Whether the calling worker, out of tasks, should stop spinning for more and go
    /// to [`drive`](IdleHook::drive) at once: for the reactor, when nobody drives it
    /// and this thread drove it last (it left only to run the tasks its turn woke,
    /// whose next I/O is its to see). Another worker spins on: taking the reactor from
    /// under a thread about to come back to it would move every wake-up to another
    /// core. It drives once its spin ends, if the reactor is still free. The default,
    /// `false`, always lets a worker spin.
    fn wants_driver(&self) -> bool {
        false
    }
}

const EMPTY: u8 = 0;
const PARKED: u8 = 1;
const DRIVING: u8 = 2;
const NOTIFIED: u8 = 3;

/// One worker's parker.
pub(crate) struct Parker {
    state: AtomicU8,
    thread: OnceLock<Thread>,
}

impl Parker {
    pub(crate) fn new() -> Parker {
        Parker {
            state: AtomicU8::new(EMPTY),
            thread: OnceLock::new(),
        }
    }

    /// Records the worker's thread; called by the worker when it starts.
    pub(crate) fn bind(&self) {
        let _ = self.thread.set(thread::current());
    }

    fn consume(&self) -> bool {
        self.state
            .compare_exchange(NOTIFIED, EMPTY, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    }

    /// Waits until unparked: driving the hook if it can, parking the thread if not.
    /// Returns whether an unpark ended the wait (rather than the hook's own work,
    /// such as I/O readiness, or a spurious wake-up).
    pub(crate) fn park(&self, hook: Option<&dyn IdleHook>) -> bool {
        if self.consume() {
            return true;
        }
        if let Some(hook) = hook {
            if self
                .state
                .compare_exchange(EMPTY, DRIVING, Ordering::SeqCst, Ordering::SeqCst)
                .is_err()
            {
                self.state.store(EMPTY, Ordering::SeqCst); // it was NOTIFIED
                return true;
            }
            let drove = hook.drive(None, &|| self.state.load(Ordering::SeqCst) == NOTIFIED);
            if self.state.swap(EMPTY, Ordering::SeqCst) == NOTIFIED {
                return true;
            }
            if drove {
                return false;
            }
        }
        if self
            .state
            .compare_exchange(EMPTY, PARKED, Ordering::SeqCst, Ordering::SeqCst)
            .is_err()
        {
            self.state.store(EMPTY, Ordering::SeqCst); // it was NOTIFIED
            return true;
        }
        // Any unpark ends the wait, not only our own notification: the hook may have
        // queued this thread to take over driving when another driver lets go. A
        // spurious wake-up costs one more look for work.
        thread::park();
        self.state.swap(EMPTY, Ordering::SeqCst) == NOTIFIED
    }

    /// Wakes the worker, or makes its next `park` return at once.
    pub(crate) fn unpark(&self, hook: Option<&dyn IdleHook>) {
        match self.state.swap(NOTIFIED, Ordering::SeqCst) {
            PARKED => {
                if let Some(t) = self.thread.get() {
                    t.unpark();
                }
            }
            DRIVING => {
                if let Some(hook) = hook {
                    hook.interrupt();
                }
            }
            _ => {}
        }
    }
}

/// Which workers are parked and how many are searching.
///
/// With one worker there is no list: `num_parked` is 1 while it is parked, and a
/// notifier that sees it so unparks it without counting it as searching (no other
/// worker could be woken instead), so parking costs one store instead of a lock.
pub(crate) struct Idle {
    parked: Mutex<Vec<usize>>,
    num_parked: AtomicUsize,
    pub(crate) searching: AtomicUsize,
    single: bool,
}

fn lock(m: &Mutex<Vec<usize>>) -> MutexGuard<'_, Vec<usize>> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Idle {
    pub(crate) fn new(workers: usize) -> Idle {
        Idle {
            parked: Mutex::new(Vec::with_capacity(workers)),
            num_parked: AtomicUsize::new(0),
            searching: AtomicUsize::new(0),
            single: workers == 1,
        }
    }

    /// A worker to wake for new work, if none is searching and one is parked; it
    /// counts as searching from now on.
    pub(crate) fn worker_to_notify(&self) -> Option<usize> {
        if self.searching.load(Ordering::SeqCst) != 0 || self.num_parked.load(Ordering::SeqCst) == 0
        {
            return None;
        }
        if self.single {
            return Some(0);
        }
        let mut parked = lock(&self.parked);
        if self.searching.load(Ordering::SeqCst) != 0 {
            return None;
        }
        let w = parked.pop()?;
        self.num_parked.store(parked.len(), Ordering::SeqCst);
        self.searching.fetch_add(1, Ordering::SeqCst);
        Some(w)
    }

    /// Every parked worker (for shutdown).
    pub(crate) fn take_all(&self) -> Vec<usize> {
        if self.single {
            self.num_parked.store(0, Ordering::SeqCst);
            return vec![0];
        }
        let mut parked = lock(&self.parked);
        self.num_parked.store(0, Ordering::SeqCst);
        std::mem::take(&mut *parked)
    }

    /// Records `worker` as parked, before it looks for work one last time.
    pub(crate) fn register_parked(&self, worker: usize) {
        if self.single {
            self.num_parked.store(1, Ordering::SeqCst);
            return;
        }
        let mut parked = lock(&self.parked);
        if !parked.contains(&worker) {
            parked.push(worker);
        }
        self.num_parked.store(parked.len(), Ordering::SeqCst);
    }

    /// Takes `worker` off the parked list (it found work, or was woken spuriously).
    /// Returns whether it was still listed (if not, a notifier picked it and counted
    /// it as searching).
    pub(crate) fn unregister_parked(&self, worker: usize) -> bool {
        if self.single {
            // A notifier that still sees 1 unparks a running worker: one spare look.
            self.num_parked.store(0, Ordering::Release);
            return true;
        }
        let mut parked = lock(&self.parked);
        let listed = match parked.iter().position(|&w| w == worker) {
            Some(i) => {
                parked.swap_remove(i);
                true
            }
            None => false,
        };
        self.num_parked.store(parked.len(), Ordering::SeqCst);
        listed
    }
}

/// [`Parker`] and [`Idle`] for the model-checking tests (`tests/loom_idle.rs`).
#[cfg(loom)]
pub(crate) mod model {
    use super::IdleHook;
    use crate::sync::atomic::AtomicUsize;

    /// See [`super::Parker`].
    pub struct Parker(super::Parker);

    impl Default for Parker {
        fn default() -> Parker {
            Parker(super::Parker::new())
        }
    }

    impl Parker {
        /// See [`super::Parker::bind`].
        pub fn bind(&self) {
            self.0.bind();
        }

        /// See [`super::Parker::park`].
        pub fn park(&self, hook: Option<&dyn IdleHook>) -> bool {
            self.0.park(hook)
        }

        /// See [`super::Parker::unpark`].
        pub fn unpark(&self, hook: Option<&dyn IdleHook>) {
            self.0.unpark(hook);
        }
    }

    /// See [`super::Idle`].
    pub struct Idle(super::Idle);

    impl Idle {
        /// See [`super::Idle::new`].
        pub fn new(workers: usize) -> Idle {
            Idle(super::Idle::new(workers))
        }

        /// See [`super::Idle::worker_to_notify`].
        pub fn worker_to_notify(&self) -> Option<usize> {
            self.0.worker_to_notify()
        }

        /// See [`super::Idle::register_parked`].
        pub fn register_parked(&self, worker: usize) {
            self.0.register_parked(worker);
        }

        /// See [`super::Idle::unregister_parked`].
        pub fn unregister_parked(&self, worker: usize) -> bool {
            self.0.unregister_parked(worker)
        }

        /// The count of searching workers, which the workers update themselves.
        pub fn searching(&self) -> &AtomicUsize {
            &self.0.searching
        }
    }
}
