//! A worker thread: where tasks are found, run, stolen, and where the worker waits.
//!
//! Order of looking for the next task: every 61st task the global queue first (so
//! it is never starved); the LIFO slot (at most 3 times in a row, so two tasks that
//! wake each other cannot starve the rest); the local queue; the global queue; then,
//! as a searcher, the other workers' local queues (stealing half) and the global
//! queue, spinning for up to `SPIN` before parking (a lone worker only while that
//! pays; see `WorkerCx::spin`). Every 61st task the worker also
//! gives the idle hook a non-blocking turn, so I/O is served under load, and sweeps the
//! task registry if enough of it is dead.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::ptr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

use concurrent_queue::PushError;

use super::{Handle, Shared};
use crate::task::header::{self, Job};
use crate::task::registry::Registry;

/// How often the global queue goes first, and the idle hook gets a turn.
const GLOBAL_INTERVAL: u32 = 61;
/// How many times in a row the LIFO slot may be used.
const MAX_LIFO_STREAK: u32 = 3;
/// At most this many tasks move from the global queue to a local one at a time (half
/// a local queue's room).
const LOCAL_BATCH: usize = super::LOCAL_QUEUE / 2;
/// How long a searching worker spins before it parks. It gives way to other runnable
/// threads every 16 looks (see `WorkerCx::search`), so a spin takes little CPU time
/// from threads that could use it.
const SPIN: Duration = Duration::from_micros(50);
/// How long another worker's queue must stay non-empty before this one steals from
/// it (see `steal`).
const GRACE: Duration = Duration::from_micros(2);

struct WorkerCx {
    shared: Arc<Shared>,
    index: usize,
    lifo: Cell<Option<Job>>,
    /// The local queue of the only worker of an executor (single-thread mode or one
    /// worker thread): nobody steals from it, so it needs no atomics. `None` when
    /// there are several workers; their local queues are in `Shared`, stealable.
    solo: Option<RefCell<VecDeque<Job>>>,
    searching: Cell<bool>,
    /// Whether to spin before parking. Always for one of several workers (a futex
    /// wake from another core costs ~22 us here); for a lone worker only while work
    /// arrives within `SPIN` of looking for it (a spawner thread feeding it), since a
    /// lone worker's spin can only catch remote wakes, and otherwise burns a core and,
    /// measured, slows the wake-up it waits for (idle_wake_latency st 13 -> 3 us).
    spin: Cell<bool>,
    /// The main future's waker, when this thread serves a single-thread `block_on`.
    main: Option<Arc<MainWaker>>,
    rng: Cell<u32>,
    /// Per other worker: since when its local queue has been seen non-empty.
    sighted: Box<[Cell<Option<Instant>>]>,
}

thread_local! {
    /// The worker running on this thread, if any.
    static WORKER: Cell<*const WorkerCx> = const { Cell::new(ptr::null()) };
}

/// Whether this thread is a worker of some executor.
pub(super) fn is_worker() -> bool {
    !WORKER.with(Cell::get).is_null()
}

/// Runs a task; a panic that escapes it (from a destructor or a waker) is dropped
/// (by `Job::run`), so the worker lives on. The task's own panics were caught inside it.
pub(crate) fn run_task(job: Job) {
    job.run();
}

/// Schedules `job` on this thread's worker if it is one of executor `owner`'s; hands
/// it back otherwise. `yielded`: the task woke itself while running.
pub(super) fn schedule_local(owner: u16, job: Job, yielded: bool) -> Option<Job> {
    let cx = WORKER.with(Cell::get);
    if cx.is_null() {
        return Some(job);
    }
    // SAFETY: `WORKER` points to the `WorkerCx` on the stack of this thread's
    // `run`, and is reset to null before that frame ends.
    let cx = unsafe { &*cx };
    if cx.shared.owner.get() != owner {
        return Some(job);
    }
    if yielded || header::finishing() {
        // A yield, or a task woken because the running one finished (its awaiter):
        // behind the others. A parent awaiting many children would otherwise be
        // polled after each one; the LIFO slot is for messages answered at once.
        if yielded && cx.solo.is_none() {
            // A task that yields while it is this worker's only work is run next
            // here anyway (its poll is ending): published, a spinning thief would
            // only move it, and all it touches, to the other core.
            let prev = cx.lifo.take();
            if prev.is_none() && cx.local().is_empty() {
                cx.lifo.set(Some(job));
                return None;
            }
            cx.lifo.set(prev);
        }
        cx.push_local(job);
        cx.shared.notify_one();
    } else if let Some(prev) = cx.lifo.replace(Some(job)) {
        cx.push_local(prev);
        cx.shared.notify_one();
    }
    None
}

/// The body of a worker thread.
pub(super) fn run(shared: Arc<Shared>, index: usize) {
    as_worker(shared, index, None, |cx| cx.main_loop(None));
}

/// Runs `future` on the calling thread, which serves as worker `index` meanwhile: the
/// single-thread executor's `block_on`.
pub(super) fn run_main<F: Future>(shared: Arc<Shared>, index: usize, future: F) -> F::Output {
    let main = Arc::new(MainWaker {
        woken: AtomicBool::new(true),
        shared: shared.clone(),
        index,
    });
    let waker = Waker::from(main.clone());
    let mut future = pin!(future);
    let mut out = None;
    as_worker(shared, index, Some(main.clone()), |cx| {
        cx.main_loop(Some(&mut || {
            // A plain load first: the swap is a locked instruction, and the main
            // future is woken far less often than tasks run.
            if !main.woken.load(Ordering::Relaxed) || !main.woken.swap(false, Ordering::SeqCst) {
                return false;
            }
            match future.as_mut().poll(&mut Context::from_waker(&waker)) {
                Poll::Ready(v) => {
                    out = Some(v);
                    true
                }
                Poll::Pending => false,
            }
        }))
    });
    out.expect("the main future completed")
}

/// Wakes the thread running a `run_main` when its future is woken.
struct MainWaker {
    woken: AtomicBool,
    shared: Arc<Shared>,
    index: usize,
}

impl Wake for MainWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if !self.woken.swap(true, Ordering::SeqCst) {
            self.shared.workers[self.index]
                .parker
                .unpark(self.shared.hook());
        }
    }
}

fn as_worker(
    shared: Arc<Shared>,
    index: usize,
    main: Option<Arc<MainWaker>>,
    body: impl FnOnce(&WorkerCx),
) {
    shared.workers[index].parker.bind();
    let _enter = Handle {
        shared: shared.clone(),
    }
    .enter();
    let solo =
        (shared.workers.len() == 1).then(|| RefCell::new(VecDeque::with_capacity(LOCAL_BATCH)));
    let sighted = (0..shared.workers.len()).map(|_| Cell::new(None)).collect();
    let cx = WorkerCx {
        shared,
        index,
        lifo: Cell::new(None),
        solo,
        searching: Cell::new(false),
        spin: Cell::new(true),
        main,
        rng: Cell::new(0x9E37_79B9 ^ (index as u32).wrapping_mul(0x85EB_CA6B) | 1),
        sighted,
    };
    WORKER.with(|w| w.set(&cx));
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            WORKER.with(|w| w.set(ptr::null()));
        }
    }
    let reset = Reset;
    body(&cx);
    // Hand tasks still in the LIFO slot, or in the solo queue (which lives on this
    // stack), to the global queue: the next `block_on` runs them, or shutdown drops
    // them. A stealable local queue stays where it is, in `Shared`.
    if let Some(r) = cx.lifo.take() {
        let _ = cx.shared.injector.push(r);
    }
    if let Some(solo) = &cx.solo {
        for r in solo.take() {
            let _ = cx.shared.injector.push(r);
        }
    }
    drop(reset);
}

impl WorkerCx {
    /// Runs tasks until shutdown, or until `main` (polled whenever it was woken)
    /// reports that the main future completed.
    fn main_loop(&self, mut main: Option<&mut dyn FnMut() -> bool>) {
        let mut tick: u32 = 0;
        let mut lifo_streak = 0;
        while !self.shared.shutdown.load(Ordering::Acquire) {
            if let Some(main) = main.as_mut()
                && main()
            {
                break;
            }
            let next = self
                .next_task(tick, &mut lifo_streak)
                .or_else(|| self.search());
            match next {
                Some(r) => {
                    if self.searching.get() {
                        self.stop_searching();
                    }
                    run_task(r);
                    tick = tick.wrapping_add(1);
                    if tick.is_multiple_of(GLOBAL_INTERVAL) {
                        if let Some(hook) = self.shared.hook() {
                            hook.drive(Some(Duration::ZERO), &|| false);
                        }
                        Registry::global().sweep_due();
                    }
                }
                None => self.park(),
            }
        }
        if self.searching.get() {
            self.stop_searching();
        }
    }

    /// This worker's stealable local queue (several workers).
    fn local(&self) -> &concurrent_queue::ConcurrentQueue<Job> {
        &self.shared.workers[self.index].local
    }

    fn push_local(&self, runnable: Job) {
        if let Some(solo) = &self.solo {
            solo.borrow_mut().push_back(runnable);
            return;
        }
        if let Err(PushError::Full(r)) = self.local().push(runnable) {
            // Overflow: half the local queue and this task go to the global queue.
            for _ in 0..self.local().len() / 2 {
                match self.local().pop() {
                    Ok(t) => {
                        let _ = self.shared.injector.push(t);
                    }
                    Err(_) => break,
                }
            }
            let _ = self.shared.injector.push(r);
        }
    }

    fn pop_local(&self) -> Option<Job> {
        match &self.solo {
            Some(solo) => solo.borrow_mut().pop_front(),
            None => self.local().pop().ok(),
        }
    }

    fn local_len(&self) -> usize {
        match &self.solo {
            Some(solo) => solo.borrow().len(),
            None => self.local().len(),
        }
    }

    fn next_task(&self, tick: u32, lifo_streak: &mut u32) -> Option<Job> {
        if tick.is_multiple_of(GLOBAL_INTERVAL)
            && !self.shared.injector.is_empty()
            && let Ok(r) = self.shared.injector.pop()
        {
            return Some(r);
        }
        if let Some(r) = self.lifo.take() {
            if *lifo_streak < MAX_LIFO_STREAK {
                *lifo_streak += 1;
                return Some(r);
            }
            self.push_local(r);
        }
        *lifo_streak = 0;
        if let Some(r) = self.pop_local() {
            return Some(r);
        }
        self.pop_global()
    }

    /// One task from the global queue, moving a batch more into the local queue.
    fn pop_global(&self) -> Option<Job> {
        // Plain loads first: `pop` on an empty queue costs a full fence.
        if self.shared.injector.is_empty() {
            return None;
        }
        let first = self.shared.injector.pop().ok()?;
        let n = self.shared.workers.len();
        let batch = (self.shared.injector.len() / n).min(LOCAL_BATCH);
        for _ in 0..batch {
            match self.shared.injector.pop() {
                Ok(r) if self.solo.is_some() => self.push_local(r),
                Ok(r) => {
                    if let Err(PushError::Full(r)) = self.local().push(r) {
                        let _ = self.shared.injector.push(r);
                        break;
                    }
                }
                Err(_) => break,
            }
        }
        Some(first)
    }

    /// Steals half of another worker's local queue, returning one task.
    fn steal(&self) -> Option<Job> {
        let workers = &self.shared.workers;
        let n = workers.len();
        if n == 1 {
            return None;
        }
        let start = self.next_random() as usize % n;
        for k in 0..n {
            let victim = (start + k) % n;
            if victim == self.index {
                continue;
            }
            let q = &workers[victim].local;
            let len = q.len();
            let sighted = &self.sighted[victim];
            if len == 0 {
                sighted.set(None);
                continue;
            }
            // A busy worker usually drains a short burst (the waiters an event
            // woke) within a microsecond; taking part of it would cost more (every
            // task and what it touches moves to this core). Steal only work that
            // stays queued for `GRACE`.
            let now = Instant::now();
            match sighted.get() {
                None => {
                    sighted.set(Some(now));
                    continue;
                }
                Some(t) if now.duration_since(t) < GRACE => continue,
                Some(_) => sighted.set(None),
            }
            let count = len.div_ceil(2);
            let Ok(first) = q.pop() else { continue };
            for _ in 1..count {
                match q.pop() {
                    Ok(r) => self.push_local(r),
                    Err(_) => break,
                }
            }
            return Some(first);
        }
        None
    }

    fn next_random(&self) -> u32 {
        // xorshift32
        let mut x = self.rng.get();
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.rng.set(x);
        x
    }

    /// Looks for work elsewhere, spinning for up to `SPIN`.
    fn search(&self) -> Option<Job> {
        // A lone worker that does not spin has nowhere else to look.
        if self.solo.is_some() && !self.spin.get() && !self.searching.get() {
            return None;
        }
        if !self.searching.get() {
            let idle = &self.shared.idle;
            // At most half the workers search at once (at least one).
            let n = self.shared.workers.len();
            if 2 * idle.searching.load(Ordering::SeqCst) >= n.max(2) {
                return None;
            }
            idle.searching.fetch_add(1, Ordering::SeqCst);
            self.searching.set(true);
        }
        // Read the clock only once spinning (a lone worker mostly does not).
        let mut start = None;
        let mut spins = 0u32;
        loop {
            if let Some(r) = self.steal().or_else(|| self.pop_global()) {
                return Some(r);
            }
            if let Some(r) = self.lifo.take() {
                return Some(r);
            }
            if self.shared.shutdown.load(Ordering::Acquire) || self.main_woken() {
                return None;
            }
            // Spinning catches tasks pushed from other threads; the hook (the
            // reactor) may need this worker more.
            if !self.spin.get() || self.shared.hook().is_some_and(|h| h.wants_driver()) {
                return None;
            }
            let start = *start.get_or_insert_with(Instant::now);
            spins += 1;
            if !spins.is_multiple_of(16) {
                std::hint::spin_loop();
                continue;
            }
            if start.elapsed() >= SPIN {
                // A lone worker whose spin found nothing parks at once next time.
                self.spin.set(self.solo.is_none());
                return None;
            }
            // A spin may only use a CPU nobody else wants: give way to any thread
            // runnable here (the children a task spawned, the thread feeding us).
            // With none, this returns at once and the spin goes on.
            std::thread::yield_now();
        }
    }

    /// Leaves the searching state; the last searcher to find work wakes another
    /// worker if more work is visible.
    fn stop_searching(&self) {
        self.searching.set(false);
        let was_last = self.shared.idle.searching.fetch_sub(1, Ordering::SeqCst) == 1;
        if was_last && self.visible_work() {
            self.shared.notify_one();
        }
    }

    fn main_woken(&self) -> bool {
        self.main
            .as_ref()
            .is_some_and(|m| m.woken.load(Ordering::Relaxed))
    }

    fn visible_work(&self) -> bool {
        !self.shared.injector.is_empty()
            || self.local_len() != 0
            || self.shared.workers.iter().any(|w| !w.local.is_empty())
    }

    fn park(&self) {
        if self.searching.get() {
            self.stop_searching();
        }
        // Free what finished tasks left in the registry before going idle.
        Registry::global().sweep_idle();
        let idle = &self.shared.idle;
        idle.register_parked(self.index);
        // A task pushed before we were listed saw no parked worker to wake: look once
        // more now that we are listed (both sides use SeqCst).
        if !self.visible_work() && !self.shared.shutdown.load(Ordering::SeqCst) {
            let parked_at = (!self.spin.get()).then(Instant::now);
            let unparked = self.shared.workers[self.index]
                .parker
                .park(self.shared.hook());
            // Unparked (work pushed from another thread) soon after parking: spinning
            // would have caught it; spin again. A wake-up through the hook (I/O, a
            // timer) does not count: a spin never sees those, and it would take the
            // CPU that whoever does the I/O (a child process, say) needs.
            if unparked && parked_at.is_some_and(|t| t.elapsed() < SPIN) {
                self.spin.set(true);
            }
        }
        if !idle.unregister_parked(self.index) {
            // A notifier took us off the list and counted us as searching.
            self.searching.set(true);
        }
        // Woken by I/O with more than one task queued here: let another worker help.
        if self.local_len() > 1 {
            self.shared.notify_one();
        }
    }
}
