//! What every task carries (async-task's metadata) and the future wrapped around the
//! user's: the one place a task's panics are caught and its cancellation observed.
//!
//! # Protocol
//!
//! The `Header` lives in the task's allocation, pinned there by async-task for the
//! allocation's whole life; the wrapper holds a pointer to it. Who writes what:
//! - `state` is written by the schedule function (`SCHEDULED`) and the wrapper
//!   (`RUNNING`, `IDLE`, `DONE`); it is informative only (for `task::all`), so relaxed.
//! - `cancelled` is set once by `Task::cancel`; the wrapper reads it at each poll.
//! - `key` is the task's entry in the registry: set once after spawning, cleared when
//!   the entry is removed.

use std::cell::Cell;
use std::fmt;
use std::future::Future;
use std::num::NonZeroU64;
use std::panic::{self, AssertUnwindSafe, Location};
use std::pin::Pin;
use std::ptr::NonNull;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::task::{Context, Poll};

use super::JoinError;
use super::registry::Registry;

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

/// No registry entry.
pub(crate) const NO_KEY: u64 = u64::MAX;

/// A task's metadata, inside its allocation.
pub(crate) struct Header {
    pub(crate) id: TaskId,
    pub(crate) name: Option<Arc<str>>,
    pub(crate) location: &'static Location<'static>,
    /// The executor that owns the task (see `registry`).
    pub(crate) owner: u32,
    pub(crate) state: AtomicU8,
    pub(crate) cancelled: AtomicBool,
    pub(crate) key: AtomicU64,
}

impl Header {
    pub(crate) fn new(
        name: Option<Arc<str>>,
        location: &'static Location<'static>,
        owner: u32,
    ) -> Header {
        Header {
            id: TaskId::next(),
            name,
            location,
            owner,
            state: AtomicU8::new(SCHEDULED),
            cancelled: AtomicBool::new(false),
            key: AtomicU64::new(NO_KEY),
        }
    }

    pub(crate) fn state(&self) -> TaskState {
        match self.state.load(Ordering::Relaxed) {
            SCHEDULED => TaskState::Scheduled,
            RUNNING => TaskState::Running,
            IDLE => TaskState::Idle,
            _ => TaskState::Done,
        }
    }
}

thread_local! {
    /// The header of the task being polled on this thread.
    static CURRENT: Cell<Option<NonNull<Header>>> = const { Cell::new(None) };
}

/// Runs `f` with the header of the task being polled on this thread, if any.
pub(crate) fn with_current<R>(f: impl FnOnce(Option<&Header>) -> R) -> R {
    let current = CURRENT.with(Cell::get);
    // SAFETY: `CURRENT` is set only by `Wrapped::poll` for the length of the poll, and
    // the header lives in the allocation of the task being polled, which cannot be
    // freed while its future is being polled.
    f(current.map(|h| unsafe { h.as_ref() }))
}

/// The user's future, wrapped: catches its panics, honours cancellation, and keeps
/// its task's header up to date.
pub(crate) struct Wrapped<F> {
    future: F,
    /// Points to the header in this task's allocation, which outlives this future.
    header: NonNull<Header>,
}

// SAFETY: `header` points to a `Header`, which is `Sync`, and lives as long as the
// future; sending the wrapper sends only `F` and a shared reference.
unsafe impl<F: Send> Send for Wrapped<F> {}

impl<F> Wrapped<F> {
    /// Wraps `future` for the task whose header is `header`.
    ///
    /// The header must be the one inside the allocation that will hold this future
    /// (async-task passes it to the closure that builds the future).
    pub(crate) fn new(future: F, header: &Header) -> Wrapped<F> {
        Wrapped {
            future,
            header: NonNull::from(header),
        }
    }
}

impl<F: Future> Future for Wrapped<F> {
    type Output = Result<F::Output, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `future` is structurally pinned and never moved out of `self`;
        // `header` is a plain pointer, never pinned.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: the header lives in the task's allocation, which outlives the future
        // (async-task drops the future before the metadata).
        let header = unsafe { this.header.as_ref() };
        if header.cancelled.load(Ordering::Acquire) {
            finish(header);
            return Poll::Ready(Err(JoinError::cancelled(header.id)));
        }
        // SAFETY: see the first block: `future` stays where it is.
        let future = unsafe { Pin::new_unchecked(&mut this.future) };
        header.state.store(RUNNING, Ordering::Relaxed);
        let outer = CURRENT.with(|c| c.replace(Some(this.header)));
        let res = panic::catch_unwind(AssertUnwindSafe(|| future.poll(cx)));
        CURRENT.with(|c| c.set(outer));
        match res {
            Ok(Poll::Pending) => {
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
        // SAFETY: the future is being dropped by async-task inside the allocation that
        // holds the header (a `Runnable` holds a reference meanwhile).
        let header = unsafe { self.header.as_ref() };
        if header.state.load(Ordering::Relaxed) != DONE {
            // Dropped without finishing (its executor shut down): unregister it.
            Registry::global().remove(header);
        }
    }
}

/// Marks the task done and unregisters it. Called from inside its last poll, while
/// the running `Runnable` still holds a reference on the allocation, so dropping the
/// registry's waker here never frees the task under our feet.
fn finish(header: &Header) {
    header.state.store(DONE, Ordering::Relaxed);
    Registry::global().remove(header);
    FINISHING.with(|f| f.set(true));
}

thread_local! {
    /// Set when the task being run on this thread has just finished, until the
    /// executor's run of it returns: the wake-ups it makes then (its awaiter's) are
    /// not messages to answer at once, so they need not jump the queue.
    static FINISHING: Cell<bool> = const { Cell::new(false) };
}

/// Whether the task being run on this thread has finished (see `FINISHING`).
pub(crate) fn finishing() -> bool {
    FINISHING.with(Cell::get)
}

/// Clears the flag after a run.
pub(crate) fn clear_finishing() {
    FINISHING.with(|f| f.set(false));
}
