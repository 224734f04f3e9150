//! What every task carries (async-task's metadata) and the future wrapped around the
//! user's: the one place a task's panics are caught and its cancellation observed.
//!
//! # Protocol
//!
//! The `Header` lives in the task's allocation, pinned there by async-task for the
//! allocation's whole life. The wrapper holds no pointer to it (8 bytes a task):
//! async-task polls and drops a task's future only inside `Runnable::run` or the
//! `Runnable`'s drop, every `Runnable` of ours is a [`Job`] from the moment async-task
//! hands it over (`spawn` and `spawn_local` below), and a `Job` points the thread's
//! `Run::job` at its header while it runs or drops. Who writes what:
//! - `state` is written by the schedule function (`SCHEDULED`) and the wrapper
//!   (`RUNNING`, `IDLE`, `DONE`); it is informative only (for `task::all`), so relaxed.
//! - `abort` is set by `Task::cancel` (`CANCELLED`) or by a `TaskGroup` child whose
//!   future failed (`FAILED`); the wrapper reads it before each poll and after each
//!   poll that is pending, and ends the task with the matching `JoinError`.
//! - `key` is the task's slot in its registry shard (the shard follows from the id):
//!   set once after spawning, cleared when the entry is removed.

use std::cell::Cell;
use std::fmt;
use std::future::Future;
use std::mem::ManuallyDrop;
use std::num::NonZeroU64;
use std::panic::{self, AssertUnwindSafe, Location};
use std::pin::Pin;
use std::ptr::{self, NonNull};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU32, AtomicU64, Ordering};
use std::task::{Context, Poll, Waker};

use async_task::{Runnable, ScheduleInfo, WithInfo};

use super::JoinError;
use super::registry;

/// A task's identity: unique in the process, never reused.
///
/// # Examples
///
/// ```
/// use weft_executor::Executor;
///
/// let ex = Executor::new(1).unwrap();
/// let (a, b) = (ex.spawn(async {}), ex.spawn(async {}));
/// assert_ne!(a.id(), b.id());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskId(NonZeroU64);

/// A fresh id, for the model-checking tests.
#[cfg(loom)]
pub(crate) fn test_id() -> TaskId {
    TaskId::next()
}

impl TaskId {
    fn next() -> TaskId {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        TaskId(NonZeroU64::new(id).expect("task ids do not wrap in 2^64 spawns"))
    }

    /// The id as a number.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::Executor;
    ///
    /// let ex = Executor::new(1).unwrap();
    /// assert!(ex.spawn(async {}).id().as_u64() > 0);
    /// ```
    pub fn as_u64(self) -> u64 {
        self.0.get()
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TaskId({})", self.0)
    }
}

/// What a task is doing, as last seen.
///
/// # Examples
///
/// ```
/// use weft_executor::{Executor, task::{self, TaskState}};
///
/// let ex = Executor::new(1).unwrap();
/// ex.block_on(ex.spawn(async {
///     assert_eq!(task::current().unwrap().state(), TaskState::Running);
/// })).unwrap();
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TaskState {
    /// Waiting in a run queue.
    Scheduled,
    /// Being polled.
    Running,
    /// Waiting for a wake-up.
    Idle,
    /// Finished: completed, panicked or cancelled.
    Done,
}

pub(crate) const SCHEDULED: u8 = 0;
pub(crate) const RUNNING: u8 = 1;
pub(crate) const IDLE: u8 = 2;
pub(crate) const DONE: u8 = 3;

/// `Header::abort`: not aborted, cancelled (`Task::cancel`), failed (a `TaskGroup`
/// child whose error or panic went to its group).
pub(crate) const NOT_ABORTED: u8 = 0;
pub(crate) const CANCELLED: u8 = 1;
pub(crate) const FAILED: u8 = 2;

/// No registry entry.
pub(crate) const NO_KEY: u32 = u32::MAX;

/// A task's metadata, inside its allocation: 24 bytes on 64-bit targets, so that
/// async-task's header around it (32 bytes before it, a `bool` after) is 64.
pub(crate) struct Header {
    pub(crate) id: TaskId,
    origin: Origin,
    pub(crate) key: AtomicU32,
    /// The executor that owns the task (see `registry::OwnerId`).
    pub(crate) owner: u16,
    pub(crate) state: AtomicU8,
    pub(crate) abort: AtomicU8,
}

#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Header>() == 24);

impl Header {
    pub(crate) fn new(
        name: Option<Arc<str>>,
        location: &'static Location<'static>,
        owner: u16,
    ) -> Header {
        Header {
            id: TaskId::next(),
            origin: Origin::new(name, location),
            key: AtomicU32::new(NO_KEY),
            owner,
            state: AtomicU8::new(SCHEDULED),
            abort: AtomicU8::new(NOT_ABORTED),
        }
    }

    /// The error to end the task with, if it was aborted.
    #[inline]
    fn aborted(&self) -> Option<JoinError> {
        match self.abort.load(Ordering::Acquire) {
            NOT_ABORTED => None,
            CANCELLED => Some(JoinError::cancelled(self.id)),
            _ => Some(JoinError::failed(self.id)),
        }
    }

    /// Asks the task to end with `how` (`CANCELLED` or `FAILED`) at its next poll, or
    /// right after the poll under way; the first request wins.
    pub(crate) fn abort(&self, how: u8) {
        let _ = self
            .abort
            .compare_exchange(NOT_ABORTED, how, Ordering::AcqRel, Ordering::Acquire);
    }

    pub(crate) fn state(&self) -> TaskState {
        match self.state.load(Ordering::Relaxed) {
            SCHEDULED => TaskState::Scheduled,
            RUNNING => TaskState::Running,
            IDLE => TaskState::Idle,
            _ => TaskState::Done,
        }
    }

    pub(crate) fn name(&self) -> Option<&Arc<str>> {
        self.origin.named().map(|n| &n.name)
    }

    pub(crate) fn location(&self) -> &'static Location<'static> {
        match self.origin.named() {
            Some(n) => n.location,
            None => self.origin.location(),
        }
    }
}

/// Where a task comes from, in one word: the spawn location for an unnamed task (the
/// common case, no allocation), or, tagged by the low bit, a box holding the name and
/// the location.
struct Origin(NonNull<()>);

struct Named {
    name: Arc<str>,
    location: &'static Location<'static>,
}

/// The tag of a `Box<Named>`; a `Location` and a `Named` are at least 2-aligned, so
/// an untagged pointer to either has the bit clear.
const NAMED: usize = 1;
const _: () = assert!(std::mem::align_of::<Location<'static>>() > NAMED);
const _: () = assert!(std::mem::align_of::<Named>() > NAMED);

// SAFETY: an `Origin` owns a `Box<Named>` (`Send` and `Sync`: an `Arc<str>` and a
// `&'static Location`) or shares a `&'static Location` (`Sync`); it is never mutated.
unsafe impl Send for Origin {}
// SAFETY: as for `Send`.
unsafe impl Sync for Origin {}

impl Origin {
    fn new(name: Option<Arc<str>>, location: &'static Location<'static>) -> Origin {
        match name {
            None => Origin(NonNull::from(location).cast()),
            Some(name) => {
                let named = NonNull::from(Box::leak(Box::new(Named { name, location })));
                Origin(named.cast::<()>().map_addr(|a| a | NAMED))
            }
        }
    }

    fn is_named(&self) -> bool {
        self.0.addr().get() & NAMED != 0
    }

    /// The pointer without its tag (with its provenance).
    fn untagged(&self) -> *mut () {
        self.0.as_ptr().map_addr(|a| a & !NAMED)
    }

    fn named(&self) -> Option<&Named> {
        self.is_named().then(|| {
            // SAFETY: a tagged pointer came from `Box::leak` in `new` and is freed
            // only by `drop`.
            unsafe { &*self.untagged().cast::<Named>() }
        })
    }

    /// The location of an unnamed task.
    fn location(&self) -> &'static Location<'static> {
        debug_assert!(!self.is_named());
        // SAFETY: an untagged pointer came from a `&'static Location` in `new`.
        unsafe { self.0.cast::<Location<'static>>().as_ref() }
    }
}

impl Drop for Origin {
    fn drop(&mut self) {
        if self.is_named() {
            // SAFETY: the pointer came from `Box::leak` in `new`, and this is the one
            // place that frees it, once.
            drop(unsafe { Box::from_raw(self.untagged().cast::<Named>()) });
        }
    }
}

thread_local! {
    /// The header of the task being polled on this thread (for `task::current`): set
    /// only for the length of the user's poll.
    static CURRENT: Cell<Option<NonNull<Header>>> = const { Cell::new(None) };
    /// What the thread's runs of tasks leave for their futures and the executor, in
    /// one thread-local (each access to one costs a call).
    static RUN: Run = const {
        Run {
            job: Cell::new(ptr::null()),
            finishing: Cell::new(false),
        }
    };
}

struct Run {
    /// The header of the task whose `Job` is running or being dropped on this thread:
    /// how its future finds its header. Not for anything else: once async-task has
    /// handed the job's reference on (the task finished, or was rescheduled and may
    /// be run and freed by another worker), it still runs code here (the awaiter's
    /// wake, the schedule function) with `job` dangling until the job returns; only a
    /// future reads it, and only inside a job of its own task, which sets it afresh.
    job: Cell<*const Header>,
    /// Set when the task being run on this thread has just finished, until the run
    /// returns: the wake-ups it makes then (its awaiter's) are not messages to answer
    /// at once, so they need not jump the queue.
    finishing: Cell<bool>,
}

/// Runs `f` with the header of the task being polled on this thread, if any.
pub(crate) fn with_current<R>(f: impl FnOnce(Option<&Header>) -> R) -> R {
    let current = CURRENT.with(Cell::get);
    // SAFETY: `CURRENT` is set only by `Wrapped::poll` for the length of the poll, and
    // the header lives in the allocation of the task being polled, which cannot be
    // freed while its future is being polled.
    f(current.map(|h| unsafe { h.as_ref() }))
}

/// Aborts the task being polled on this thread (see `Header::abort`): it ends as
/// soon as this poll returns.
///
/// # Panics
///
/// Outside a task's poll.
pub(crate) fn abort_current(how: u8) {
    with_current(|h| {
        h.expect("a TaskGroup child runs inside its task")
            .abort(how)
    });
}

/// The id of the task being polled on this thread.
///
/// # Panics
///
/// Outside a task's poll.
pub(crate) fn current_id() -> TaskId {
    with_current(|h| h.expect("a TaskGroup child runs inside its task").id)
}

/// Whether the task being run on this thread has finished (see `Run::finishing`).
pub(crate) fn finishing() -> bool {
    RUN.with(|r| r.finishing.get())
}

/// Points `Run::job` at a header until dropped, then restores what it held.
struct InJob(*const Header);

impl InJob {
    fn enter(header: &Header) -> InJob {
        InJob(RUN.with(|r| r.job.replace(header)))
    }
}

impl Drop for InJob {
    fn drop(&mut self) {
        RUN.with(|r| r.job.set(self.0));
    }
}

/// The header of the task whose future is being polled or dropped on this thread.
///
/// # Safety
///
/// Only from `Wrapped`'s `poll` or `drop`; the header is valid for that call.
#[inline(always)]
unsafe fn job_header<'a>() -> &'a Header {
    let h = NonNull::new(RUN.with(|r| r.job.get()).cast_mut())
        .expect("a weft task's future is polled or dropped only through its `Job`");
    // SAFETY: async-task polls and drops the future only inside `Runnable::run` or the
    // `Runnable`'s drop; every `Runnable` of a weft task is a `Job` (see `spawn`), which
    // sets `Run::job` to its own header around both, restoring it after (so a nested
    // run, of an eager spawn say, does not leave its header behind). The `Runnable`
    // holds a reference on the allocation meanwhile, so the header is alive.
    unsafe { h.as_ref() }
}

/// A task's `Runnable`, which points the thread's `Run::job` at the task's header
/// while it runs or is dropped, so that the wrapped future can find its header.
pub(crate) struct Job(ManuallyDrop<Runnable<Header>>);

impl Job {
    fn new(runnable: Runnable<Header>) -> Job {
        Job(ManuallyDrop::new(runnable))
    }

    fn into_runnable(self) -> Runnable<Header> {
        let mut this = ManuallyDrop::new(self);
        // SAFETY: `this` is never used again nor dropped, so the runnable is taken once.
        unsafe { ManuallyDrop::take(&mut this.0) }
    }

    pub(crate) fn metadata(&self) -> &Header {
        self.0.metadata()
    }

    pub(crate) fn waker(&self) -> Waker {
        self.0.waker()
    }

    /// Runs the task (see `Runnable::run`). A panic that escapes the run (from a
    /// destructor or a waker: the task's own are caught inside it) is dropped here,
    /// so that the worker lives on.
    pub(crate) fn run(self) {
        let outer = RUN.with(|r| r.job.replace(self.metadata()));
        let runnable = self.into_runnable();
        let res = panic::catch_unwind(AssertUnwindSafe(|| runnable.run()));
        RUN.with(|r| {
            r.job.set(outer);
            r.finishing.set(false);
        });
        // After restoring: a panic payload may panic when dropped.
        drop(res);
    }

    /// Hands the task to its schedule function (see `Runnable::schedule`).
    pub(crate) fn schedule(self) {
        self.into_runnable().schedule();
    }
}

impl Drop for Job {
    fn drop(&mut self) {
        let _in_job = InJob::enter(self.metadata());
        // SAFETY: `into_runnable` forgets the job, so this is the only take.
        drop(unsafe { ManuallyDrop::take(&mut self.0) });
    }
}

/// The task's output as async-task holds it.
pub(crate) type Output<T> = Result<T, JoinError>;

/// Spawns a task (async-task's `spawn`) whose runnables are `Job`s.
pub(crate) fn spawn<F, S>(
    future: F,
    header: Header,
    schedule: S,
) -> (Job, async_task::Task<Output<F::Output>, Header>)
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
    S: Fn(Job, ScheduleInfo) + Send + Sync + 'static,
{
    let schedule = move |r: Runnable<Header>, info: ScheduleInfo| schedule(Job::new(r), info);
    let (runnable, task) = async_task::Builder::new()
        .metadata(header)
        .spawn(move |_: &Header| Wrapped { future }, WithInfo(schedule));
    (Job::new(runnable), task)
}

/// Spawns a task that is not `Send` (async-task's `spawn_local`) whose runnables are
/// `Job`s.
pub(crate) fn spawn_local<F, S>(
    future: F,
    header: Header,
    schedule: S,
) -> (Job, async_task::Task<Output<F::Output>, Header>)
where
    F: Future + 'static,
    F::Output: 'static,
    S: Fn(Job) + Send + Sync + 'static,
{
    let schedule = move |r: Runnable<Header>| schedule(Job::new(r));
    let (runnable, task) = async_task::Builder::new()
        .metadata(header)
        .spawn_local(move |_: &Header| Wrapped { future }, schedule);
    (Job::new(runnable), task)
}

/// The user's future, wrapped: catches its panics, honours cancellation, and keeps
/// its task's header up to date. It finds the header through `Run::job` (see the
/// module's protocol).
struct Wrapped<F> {
    future: F,
}

impl<F: Future> Future for Wrapped<F> {
    type Output = Output<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: called from `Wrapped::poll`.
        let header = unsafe { job_header() };
        if let Some(err) = header.aborted() {
            finish(header);
            return Poll::Ready(Err(err));
        }
        // SAFETY: `future` is structurally pinned and never moved out of `self`.
        let future = unsafe { self.map_unchecked_mut(|w| &mut w.future) };
        header.state.store(RUNNING, Ordering::Relaxed);
        let outer = CURRENT.with(|c| c.replace(Some(NonNull::from(header))));
        let res = panic::catch_unwind(AssertUnwindSafe(|| future.poll(cx)));
        CURRENT.with(|c| c.set(outer));
        match res {
            Ok(Poll::Pending) => {
                if let Some(err) = header.aborted() {
                    // Aborted from inside the poll (a `TaskGroup` child that failed).
                    finish(header);
                    return Poll::Ready(Err(err));
                }
                header.state.store(IDLE, Ordering::Relaxed);
                Poll::Pending
            }
            Ok(Poll::Ready(out)) => {
                finish(header);
                Poll::Ready(Ok(out))
            }
            Err(payload) => {
                finish(header);
                Poll::Ready(Err(JoinError::panicked(header.id, payload)))
            }
        }
    }
}

impl<F> Drop for Wrapped<F> {
    fn drop(&mut self) {
        // SAFETY: called from `Wrapped::drop`.
        let header = unsafe { job_header() };
        if header.state.load(Ordering::Relaxed) != DONE {
            // Dropped without finishing (its executor shut down): unregister it.
            registry::retire(header);
        }
    }
}

/// Marks the task done (its registry entry is swept later). Called from inside its
/// last poll.
fn finish(header: &Header) {
    registry::retire(header);
    RUN.with(|r| r.finishing.set(true));
}
