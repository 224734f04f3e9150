//! The process-wide reactor: one poller, the registered sources, the timers, and the
//! protocol by which threads take turns driving it.
//!
//! # Who touches what
//! - `sources` (a slab of `Arc<Source>`, keyed by index and generation) is locked to
//!   add or remove a source and, by the driver, once per batch of events.
//! - `timers` is locked by a `Timer` to file, poll or cancel itself, and by the driver
//!   twice per turn: to learn how long it may sleep, and to fire what is due; but not
//!   while `timer_count`, which every change to the wheel updates under the lock,
//!   says there is no timer. `sleep_until` says until when the driver sleeps: the
//!   driver stores it before looking at the count, and whoever files the first timer
//!   updates the count before looking at it (both SeqCst), so a timer filed as the
//!   driver falls asleep either is seen by the driver or wakes it. With a timer
//!   already filed the driver takes the lock, which orders the rest.
//! - `driver` is the turn itself: whoever holds it may wait on the poller. Everyone
//!   else uses `try_lock`, so no thread ever blocks behind a sleeping driver except
//!   the fallback thread, which drives only when no other thread offers to.
//! - `state` says whether the driver sleeps and whether someone asked it to return;
//!   [`Reactor::notify`] writes the poller's notifier at most once per sleep and never
//!   while the driver is awake (see `notify.rs`).
//! - Wakers are collected under the locks and woken after all are released.

use std::cell::Cell;
use std::io;
use std::os::fd::RawFd;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, TryLockError};
use std::task::Waker;
use std::thread::Thread;
use std::time::Duration;

use crate::fallback::Fallback;
use crate::notify::NotifyState;
use crate::source::Source;
use crate::sys::{Events, Poller};
use crate::time::clock;
use crate::time::wheel::{self, Wheel};

/// Locks `m`, ignoring poisoning: no code panics while holding a reactor lock (wakers
/// run after the locks are released), so a poisoned lock still holds sound data.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

thread_local! {
    /// Set while this thread is inside [`Reactor::react`].
    static IN_REACT: Cell<bool> = const { Cell::new(false) };
}

/// Whether the calling thread is the one driving the reactor right now.
pub(crate) fn in_react() -> bool {
    IN_REACT.with(Cell::get)
}

/// What the thread driving the reactor works with, reused turn after turn.
pub(crate) struct DriverState {
    events: Events,
    wakers: Vec<Waker>,
}

pub(crate) struct Reactor {
    poller: Poller,
    sources: Mutex<Sources>,
    pub(crate) timers: Mutex<Wheel>,
    /// How many timers the wheel holds, as of its last change.
    pub(crate) timer_count: AtomicUsize,
    /// The tick until which the driver sleeps: 0 while it is not sleeping, `u64::MAX`
    /// when it sleeps with no timer. A timer filed before it must wake the driver.
    sleep_until: AtomicU64,
    driver: Mutex<DriverState>,
    state: NotifyState,
    /// Turns of the reactor, for the fallback thread to see whether anyone drives.
    ticker: AtomicUsize,
    /// Threads that drive the reactor whenever they are idle (see `driver::Presence`).
    pub(crate) drivers: AtomicUsize,
    /// Whether a `Driver` holds the driver lock (see `driver::is_held`).
    pub(crate) held: AtomicBool,
    /// Threads waiting for the driver lock, unparked one at a time as it is released.
    lock_waiters: Mutex<Vec<Thread>>,
    lock_waiter_count: AtomicUsize,
    pub(crate) fallback: Fallback,
}

static REACTOR: OnceLock<Result<Reactor, (io::ErrorKind, String)>> = OnceLock::new();

impl Reactor {
    /// The reactor, created on first use.
    pub(crate) fn try_get() -> io::Result<&'static Reactor> {
        let r = REACTOR.get_or_init(|| Reactor::new().map_err(|e| (e.kind(), e.to_string())));
        r.as_ref().map_err(|(kind, msg)| {
            io::Error::new(
                *kind,
                format!("weft-reactor: cannot create the poller: {msg}"),
            )
        })
    }

    /// The reactor, for callers that cannot report an error (timers, wakers).
    ///
    /// # Panics
    ///
    /// When the operating system refuses to create the poller.
    pub(crate) fn get() -> &'static Reactor {
        Reactor::try_get().unwrap_or_else(|e| panic!("{e}"))
    }

    fn new() -> io::Result<Reactor> {
        Ok(Reactor {
            poller: Poller::new()?,
            sources: Mutex::new(Sources::default()),
            timers: Mutex::new(Wheel::new()),
            timer_count: AtomicUsize::new(0),
            sleep_until: AtomicU64::new(0),
            driver: Mutex::new(DriverState {
                events: Events::new(),
                wakers: Vec::new(),
            }),
            state: NotifyState::new(),
            ticker: AtomicUsize::new(0),
            drivers: AtomicUsize::new(0),
            held: AtomicBool::new(false),
            lock_waiters: Mutex::new(Vec::new()),
            lock_waiter_count: AtomicUsize::new(0),
            fallback: Fallback::new(),
        })
    }

    /// Registers `fd` with the poller; readiness is tracked from now on.
    pub(crate) fn insert_source(&'static self, fd: RawFd) -> io::Result<Arc<Source>> {
        let mut sources = lock(&self.sources);
        let (index, generation) = sources.vacant();
        let key = index | (generation << KEY_GEN_SHIFT);
        let source = Arc::new(Source::new(fd, key));
        self.poller.add(fd, key)?;
        sources.occupy(index, source.clone());
        drop(sources);
        self.ensure_driven();
        Ok(source)
    }

    /// Deregisters `source`, then wakes every task still waiting on it.
    pub(crate) fn remove_source(&self, source: &Source) -> io::Result<()> {
        lock(&self.sources).vacate(source.key());
        let res = self.poller.delete(source.fd());
        source.close();
        res
    }

    /// Makes sure some thread will drive the reactor: called whenever a task starts
    /// waiting on it.
    pub(crate) fn ensure_driven(&'static self) {
        if self.drivers.load(Ordering::SeqCst) == 0 {
            self.fallback.ensure(self);
        }
    }

    /// Whether any source or timer exists that a driver would have to serve.
    pub(crate) fn has_interest(&self) -> bool {
        lock(&self.sources).len > 0 || self.timer_count.load(Ordering::SeqCst) > 0
    }

    pub(crate) fn ticker(&self) -> usize {
        self.ticker.load(Ordering::Acquire)
    }

    /// Makes the driver return from its wait, or its next wait return at once.
    pub(crate) fn notify(&self) {
        if self.state.notify() {
            // Failing to write an eventfd means the process is out of something
            // fundamental; the driver still wakes at its next deadline or event.
            let _ = self.poller.notify();
        }
    }

    /// Takes the driver lock if it is free.
    pub(crate) fn try_lock_driver(&self) -> Option<MutexGuard<'_, DriverState>> {
        match self.driver.try_lock() {
            Ok(g) => Some(g),
            Err(TryLockError::Poisoned(p)) => Some(p.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        }
    }

    /// Takes the driver lock, waiting for it: for the fallback thread only.
    pub(crate) fn lock_driver(&self) -> MutexGuard<'_, DriverState> {
        lock(&self.driver)
    }

    /// Takes the driver lock if it is free; otherwise queues `thread` to be unparked
    /// when the lock is next released, so that a thread parked for want of the lock
    /// gets its turn even when the current driver leaves for good.
    pub(crate) fn try_lock_driver_or_queue(
        &self,
        thread: &Thread,
    ) -> Option<MutexGuard<'_, DriverState>> {
        if let Some(g) = self.try_lock_driver() {
            return Some(g);
        }
        {
            let mut waiters = lock(&self.lock_waiters);
            if !waiters.iter().any(|t| t.id() == thread.id()) {
                waiters.push(thread.clone());
                self.lock_waiter_count.fetch_add(1, Ordering::SeqCst);
            }
        }
        // The driver may have left between the first try and the queueing.
        self.try_lock_driver()
    }

    /// Called after the driver lock is released: wakes every queued thread.
    ///
    /// Every one, not one: an entry may be stale (its thread's future was woken and it
    /// left `block_on`'s wait without the lock), and handing the turn to a stale entry
    /// would hand it to nobody. The threads that lose the race for the lock queue
    /// again.
    pub(crate) fn driver_released(&self) {
        if self.lock_waiter_count.load(Ordering::SeqCst) > 0 {
            let queued = {
                let mut waiters = lock(&self.lock_waiters);
                self.lock_waiter_count.store(0, Ordering::SeqCst);
                std::mem::take(&mut *waiters)
            };
            for t in queued {
                t.unpark();
            }
        }
    }

    /// One turn: waits for I/O events, a due timer, a notification or `timeout`,
    /// then wakes every task whose source or timer is ready.
    ///
    /// Returns how many tasks it woke.
    pub(crate) fn react(
        &self,
        st: &mut DriverState,
        timeout: Option<Duration>,
    ) -> io::Result<usize> {
        IN_REACT.with(|c| c.set(true));
        struct Reset;
        impl Drop for Reset {
            fn drop(&mut self) {
                IN_REACT.with(|c| c.set(false));
            }
        }
        let _reset = Reset;

        // How long may this turn sleep? A non-blocking turn (the safety net, a
        // worker's periodic look) never says it sleeps, so nobody writes the
        // notifier for it, and it leaves pending notifications for the next sleep.
        let blocking = timeout != Some(Duration::ZERO);
        let mut timeout = timeout;
        if blocking {
            // No timer (the common case for I/O): no clock read and no lock.
            self.sleep_until.store(u64::MAX, Ordering::SeqCst);
            let timer_timeout = if self.timer_count.load(Ordering::SeqCst) == 0 {
                None
            } else {
                let now_ns = clock::to_nanos(clock::now());
                let timers = lock(&self.timers);
                let next = timers.next_expiration();
                self.sleep_until
                    .store(next.unwrap_or(u64::MAX), Ordering::SeqCst);
                next.map(|tick| {
                    Duration::from_nanos(wheel::tick_start(tick).saturating_sub(now_ns))
                })
            };
            timeout = match (timeout, timer_timeout) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            if !self.state.before_sleep() {
                timeout = Some(Duration::ZERO);
            }
        }
        let res = self.poller.wait(&mut st.events, timeout);
        if blocking {
            self.state.after_wake();
        }

        self.sleep_until.store(0, Ordering::SeqCst);
        if self.timer_count.load(Ordering::SeqCst) > 0 {
            let now_ns = clock::to_nanos(clock::now());
            let mut timers = lock(&self.timers);
            timers.process(now_ns, &mut st.wakers);
            // Fewer timers: a stale, higher count only costs the driver the lock.
            self.timer_count.store(timers.len(), Ordering::Release);
        }
        if res.is_ok() {
            let sources = lock(&self.sources);
            for ev in st.events.iter() {
                if let Some(source) = sources.get(ev.key) {
                    source.set_ready(ev, &mut st.wakers);
                }
            }
        }
        // Only the driver writes it (no read-modify-write needed); others only look.
        let tick = self.ticker.load(Ordering::Relaxed).wrapping_add(1);
        self.ticker.store(tick, Ordering::Release);
        let woken = st.wakers.len();
        wake_all(&mut st.wakers);
        res.map(|()| woken)
    }

    /// Files a timer; wakes the driver if it sleeps past the new deadline.
    pub(crate) fn insert_timer(&'static self, deadline_ns: u64, waker: &Waker) -> Option<u32> {
        let mut timers = lock(&self.timers);
        let key = timers.insert(deadline_ns, waker.clone())?;
        // Only the first timer needs the SeqCst pair with the driver's look at the
        // count: with one already filed, the driver takes the lock to sleep.
        let order = if timers.len() == 1 {
            Ordering::SeqCst
        } else {
            Ordering::Release
        };
        self.timer_count.store(timers.len(), order);
        let tick = wheel::ceil_tick(deadline_ns);
        let wake_driver = tick < self.sleep_until.load(Ordering::SeqCst);
        if wake_driver {
            self.sleep_until.store(tick, Ordering::SeqCst);
        }
        drop(timers);
        if wake_driver {
            self.notify();
        }
        self.ensure_driven();
        Some(key)
    }
}

/// Wakes every waker, even if some panic; then re-raises the first panic, so a bad
/// waker neither poisons the reactor nor strands the other tasks.
fn wake_all(wakers: &mut Vec<Waker>) {
    let mut first_panic = None;
    for w in wakers.drain(..) {
        if let Err(p) = panic::catch_unwind(AssertUnwindSafe(|| w.wake())) {
            first_panic.get_or_insert(p);
        }
    }
    if let Some(p) = first_panic {
        panic::resume_unwind(p);
    }
}

/// Keys carry the slab index in the low half and a generation in the high half, so
/// an event that arrives for a removed source never reaches its slot's next owner.
const KEY_GEN_SHIFT: u32 = usize::BITS / 2;
const KEY_INDEX_MASK: usize = (1 << KEY_GEN_SHIFT) - 1;

#[derive(Default)]
struct Sources {
    slots: Vec<(usize, Option<Arc<Source>>)>,
    free: Vec<usize>,
    len: usize,
}

impl Sources {
    /// A free slot: `(index, generation)`.
    fn vacant(&mut self) -> (usize, usize) {
        let index = match self.free.last() {
            Some(&i) => i,
            None => {
                self.slots.push((0, None));
                self.free.push(self.slots.len() - 1);
                self.slots.len() - 1
            }
        };
        (index, self.slots[index].0)
    }

    fn occupy(&mut self, index: usize, source: Arc<Source>) {
        let popped = self.free.pop();
        debug_assert_eq!(popped, Some(index));
        self.slots[index].1 = Some(source);
        self.len += 1;
    }

    fn vacate(&mut self, key: usize) {
        let index = key & KEY_INDEX_MASK;
        let slot = &mut self.slots[index];
        if slot.1.take().is_some() {
            slot.0 = (slot.0 + 1) & KEY_INDEX_MASK;
            self.free.push(index);
            self.len -= 1;
        }
    }

    fn get(&self, key: usize) -> Option<&Arc<Source>> {
        let (gen_, source) = self.slots.get(key & KEY_INDEX_MASK)?;
        if *gen_ == key >> KEY_GEN_SHIFT {
            source.as_ref()
        } else {
            None
        }
    }
}
