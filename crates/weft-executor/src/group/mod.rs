//! Structured concurrency: `TaskGroup`, asyncio's `TaskGroup` with its
//! `ExceptionGroup`.
//!
//! # Protocol
//!
//! A group's state sits behind one mutex: how many children are live (spawned, future
//! not yet dropped), the failures so far, whether the group is cancelled (by a failure,
//! [`TaskGroup::cancel`], or being dropped) or closed (its join finished), the waker of
//! each live child that is waiting, and the joiner's waker. A child checks the
//! cancelled flag before each poll and, when it is about to wait, under the lock as it
//! leaves its waker, so a cancellation (which sets the flag and takes the wakers under
//! the lock) never misses it. A child that fails records the failure and cancels the
//! group in one step; it counts itself out when its future is dropped, and the last one
//! out wakes the joiner.

mod child;
mod error;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, PoisonError};
use std::task::{Context, Poll, Waker};

pub use error::{ErrorGroup, Failure};

use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{Mutex, MutexGuard};
use crate::{Task, task};
use child::Child;

struct State<E> {
    live: usize,
    failures: Vec<Failure<E>>,
    /// No child may start its work any more: it is cancelled at its next poll.
    closed: bool,
    /// Each live child's waker, by slot, while it waits.
    wakers: Vec<Option<Waker>>,
    free: Vec<usize>,
    joiner: Option<Waker>,
}

pub(crate) struct Group<E> {
    /// Set once with `State::cancelled`, read without the lock before each poll.
    cancelled: AtomicBool,
    state: Mutex<State<E>>,
}

impl<E> Group<E> {
    pub(crate) fn new() -> Group<E> {
        Group {
            cancelled: AtomicBool::new(false),
            state: Mutex::new(State {
                live: 0,
                failures: Vec::new(),
                closed: false,
                wakers: Vec::new(),
                free: Vec::new(),
                joiner: None,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<E>> {
        // Nothing panics while the lock is held; a poisoned group holds sound data.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
    }

    /// Leaves `waker` for the child in `slot`; false if the group is cancelled (the
    /// child must stop instead).
    fn park(&self, slot: usize, waker: &Waker) -> bool {
        let mut state = self.lock();
        if self.is_cancelled() {
            return false;
        }
        match &mut state.wakers[slot] {
            Some(w) if w.will_wake(waker) => {}
            w => *w = Some(waker.clone()),
        }
        true
    }

    /// Records a child's failure and cancels the group.
    fn fail(&self, failure: Failure<E>) {
        let wakers = {
            let mut state = self.lock();
            state.failures.push(failure);
            self.cancel_locked(&mut state)
        };
        wake_all(wakers);
    }

    /// Cancels every child: those waiting are woken to stop.
    fn cancel(&self) {
        let wakers = self.cancel_locked(&mut self.lock());
        wake_all(wakers);
    }

    fn cancel_locked(&self, state: &mut State<E>) -> Vec<Waker> {
        self.cancelled.store(true, Ordering::Release);
        state.closed = true;
        state.wakers.iter_mut().filter_map(Option::take).collect()
    }

    /// A new child's slot.
    fn join_child(&self) -> usize {
        let mut state = self.lock();
        state.live += 1;
        match state.free.pop() {
            Some(slot) => slot,
            None => {
                state.wakers.push(None);
                state.wakers.len() - 1
            }
        }
    }

    /// The failures once no child is live; else leaves `waker` to be woken when the
    /// last one leaves. Once ready, later children are cancelled at once.
    fn poll_join(&self, waker: &Waker) -> Poll<Vec<Failure<E>>> {
        let mut state = self.lock();
        if state.live > 0 {
            match &mut state.joiner {
                Some(w) if w.will_wake(waker) => {}
                w => *w = Some(waker.clone()),
            }
            return Poll::Pending;
        }
        state.closed = true;
        self.cancelled.store(true, Ordering::Release);
        Poll::Ready(std::mem::take(&mut state.failures))
    }

    /// A child's future is gone.
    fn leave(&self, slot: usize) {
        let joiner = {
            let mut state = self.lock();
            state.wakers[slot] = None;
            state.free.push(slot);
            state.live -= 1;
            if state.live == 0 {
                state.joiner.take()
            } else {
                None
            }
        };
        if let Some(w) = joiner {
            w.wake();
        }
    }
}

/// The group protocol's steps, for the model-checking tests (`tests/loom_group.rs`).
#[cfg(loom)]
pub mod model {
    use std::task::{Poll, Waker};

    /// A group with no executor: children are slots.
    pub struct Group(super::Group<()>);

    impl Default for Group {
        fn default() -> Group {
            Group::new()
        }
    }

    impl Group {
        /// An empty group.
        pub fn new() -> Group {
            Group(super::Group::new())
        }
        /// Adds a child; returns its slot.
        pub fn add(&self) -> usize {
            self.0.join_child()
        }
        /// A child about to wait leaves its waker; false if it must stop instead.
        pub fn park(&self, slot: usize, waker: &Waker) -> bool {
            self.0.park(slot, waker)
        }
        /// A child fails.
        pub fn fail(&self) {
            self.0.fail(super::Failure::Panic {
                task: crate::task::header::test_id(),
                payload: Box::new(()),
            });
        }
        /// Cancels the group.
        pub fn cancel(&self) {
            self.0.cancel();
        }
        /// A child's future is gone.
        pub fn leave(&self, slot: usize) {
            self.0.leave(slot);
        }
        /// The join's poll: the number of failures once no child is live.
        pub fn poll_join(&self, waker: &Waker) -> Poll<usize> {
            self.0.poll_join(waker).map(|f| f.len())
        }
        /// Whether a child polled now would stop.
        pub fn is_cancelled(&self) -> bool {
            self.0.is_cancelled()
        }
    }
}

fn wake_all(wakers: Vec<Waker>) {
    for w in wakers {
        w.wake();
    }
}

/// A group of tasks that live no longer than it: asyncio's `TaskGroup`.
///
/// [`spawn`](TaskGroup::spawn) starts a child on the current executor and returns
/// its [`Task`]; [`join`](TaskGroup::join) waits for every child, including those
/// spawned while it waits. Children return `Result<T, E>`: the first that fails
/// (returns `Err` or panics) cancels the others, and the join returns an
/// [`ErrorGroup`] of every failure, panics included (the failed child's own handle
/// reports [`JoinError::is_failed`](crate::JoinError::is_failed)). Children spawned
/// once the group failed or was cancelled are cancelled at once. Dropping the group
/// (or its pending join, when the task awaiting it is cancelled) cancels its children;
/// so groups nest: a child cancelled with its own group cancels that group's children.
///
/// Cancelling a child stops it at its next poll: a child busy in a poll finishes
/// that poll first.
///
/// # Examples
///
/// ```
/// use weft_executor::{Executor, group::TaskGroup};
///
/// let ex = Executor::new(2).unwrap();
/// let sum = ex.block_on(async {
///     let tg = TaskGroup::<std::io::Error>::new();
///     let a = tg.spawn(async { Ok(1) });
///     let b = tg.spawn(async { Ok(2) });
///     tg.join().await.expect("no child failed");
///     a.await.unwrap() + b.await.unwrap()
/// });
/// assert_eq!(sum, 3);
/// ```
pub struct TaskGroup<E> {
    group: Arc<Group<E>>,
}

impl<E: Send + 'static> TaskGroup<E> {
    /// An empty group.
    ///
    /// # Examples
    ///
    /// ```
    /// let tg = weft_executor::group::TaskGroup::<String>::new();
    /// # drop(tg);
    /// ```
    pub fn new() -> TaskGroup<E> {
        TaskGroup {
            group: Arc::new(Group::new()),
        }
    }

    /// Spawns `future` as a child on the current executor (see [`crate::spawn`]).
    ///
    /// # Panics
    ///
    /// Outside a weft executor.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, group::TaskGroup};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let v = ex.block_on(async {
    ///     let tg = TaskGroup::<()>::new();
    ///     let t = tg.spawn(async { Ok("done") });
    ///     tg.join().await.unwrap();
    ///     t.await.unwrap()
    /// });
    /// assert_eq!(v, "done");
    /// ```
    #[track_caller]
    pub fn spawn<F, T>(&self, future: F) -> Task<T>
    where
        F: Future<Output = Result<T, E>> + Send + 'static,
        T: Send + 'static,
    {
        spawn_in(&self.group, future)
    }

    /// A handle that spawns into this group from anywhere, children included.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, group::TaskGroup};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// ex.block_on(async {
    ///     let tg = TaskGroup::<()>::new();
    ///     let spawner = tg.spawner();
    ///     tg.spawn(async move {
    ///         spawner.spawn(async { Ok(()) }).detach(); // a sibling
    ///         Ok(())
    ///     }).detach();
    ///     tg.join().await.unwrap();
    /// });
    /// ```
    pub fn spawner(&self) -> Spawner<E> {
        Spawner {
            group: self.group.clone(),
        }
    }

    /// Cancels every child, without an error: the join then returns `Ok` once they
    /// have stopped (unless some child had already failed).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, group::TaskGroup};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// ex.block_on(async {
    ///     let tg = TaskGroup::<()>::new();
    ///     let t = tg.spawn(std::future::pending::<Result<(), ()>>());
    ///     tg.cancel();
    ///     assert!(tg.join().await.is_ok());
    ///     assert!(t.await.unwrap_err().is_cancelled());
    /// });
    /// ```
    pub fn cancel(&self) {
        self.group.cancel();
    }

    /// Waits for every child, then returns the failures if any child failed.
    ///
    /// It returns once every child's future has finished and been dropped; a child's
    /// handle may take a moment more to report it finished (its executor stores the
    /// output just after), so awaiting it then never waits on the child's work.
    ///
    /// # Cancel safety
    ///
    /// Dropping the join before it completes drops the group, which cancels the
    /// children (asyncio: a cancelled `async with TaskGroup()` cancels its tasks).
    ///
    /// # Errors
    ///
    /// An [`ErrorGroup`] of every child's failure, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, group::TaskGroup};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let err = ex.block_on(async {
    ///     let tg = TaskGroup::new();
    ///     let slow = tg.spawn(std::future::pending::<Result<(), &str>>());
    ///     tg.spawn(async { Err::<(), _>("bad input") }).detach();
    ///     let err = tg.join().await.unwrap_err();
    ///     assert!(slow.await.unwrap_err().is_cancelled()); // cancelled by the failure
    ///     err
    /// });
    /// assert_eq!(err.failures()[0].error(), Some(&"bad input"));
    /// ```
    pub fn join(self) -> Join<E> {
        Join { group: Some(self) }
    }
}

impl<E: Send + 'static> Default for TaskGroup<E> {
    fn default() -> Self {
        TaskGroup::new()
    }
}

impl<E> Drop for TaskGroup<E> {
    fn drop(&mut self) {
        self.group.cancel();
    }
}

impl<E> fmt::Debug for TaskGroup<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.group.lock();
        f.debug_struct("TaskGroup")
            .field("live", &state.live)
            .field("failures", &state.failures.len())
            .field("cancelled", &self.group.is_cancelled())
            .finish()
    }
}

#[track_caller]
fn spawn_in<E, F, T>(group: &Arc<Group<E>>, future: F) -> Task<T>
where
    E: Send + 'static,
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
{
    let slot = group.join_child();
    task::Builder::new().spawn(Child::new(future, group.clone(), slot))
}

/// Spawns into a [`TaskGroup`] from anywhere (see [`TaskGroup::spawner`]); cheap to
/// clone. Once the group's join has finished, or the group failed or was cancelled,
/// what it spawns is cancelled at once.
///
/// # Examples
///
/// ```
/// use weft_executor::{Executor, group::TaskGroup};
///
/// let ex = Executor::new(1).unwrap();
/// ex.block_on(async {
///     let tg = TaskGroup::<()>::new();
///     let s = tg.spawner();
///     tg.join().await.unwrap();
///     assert!(s.spawn(async { Ok(()) }).await.unwrap_err().is_cancelled()); // too late
/// });
/// ```
pub struct Spawner<E> {
    group: Arc<Group<E>>,
}

impl<E> Clone for Spawner<E> {
    fn clone(&self) -> Self {
        Spawner {
            group: self.group.clone(),
        }
    }
}

impl<E> fmt::Debug for Spawner<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Spawner").finish_non_exhaustive()
    }
}

impl<E: Send + 'static> Spawner<E> {
    /// Spawns `future` as a child of the group (see [`TaskGroup::spawn`]).
    ///
    /// # Panics
    ///
    /// Outside a weft executor.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, group::TaskGroup};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let n = ex.block_on(async {
    ///     let tg = TaskGroup::<()>::new();
    ///     let t = tg.spawner().spawn(async { Ok(4) });
    ///     tg.join().await.unwrap();
    ///     t.await.unwrap()
    /// });
    /// assert_eq!(n, 4);
    /// ```
    #[track_caller]
    pub fn spawn<F, T>(&self, future: F) -> Task<T>
    where
        F: Future<Output = Result<T, E>> + Send + 'static,
        T: Send + 'static,
    {
        spawn_in(&self.group, future)
    }
}

/// The future of [`TaskGroup::join`].
///
/// # Cancel safety
///
/// Dropping it before it completes cancels the group's children.
///
/// # Examples
///
/// ```
/// use weft_executor::{Executor, group::TaskGroup};
///
/// let ex = Executor::new(1).unwrap();
/// let join = TaskGroup::<()>::new().join();
/// assert!(ex.block_on(join).is_ok());
/// ```
#[must_use = "a join does nothing unless awaited; dropping it cancels the children"]
pub struct Join<E> {
    group: Option<TaskGroup<E>>,
}

impl<E> fmt::Debug for Join<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Join").finish_non_exhaustive()
    }
}

impl<E> Future for Join<E> {
    type Output = Result<(), ErrorGroup<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let tg = self
            .group
            .as_ref()
            .expect("a Join is not polled after it completed");
        // Done: later spawns are cancelled at once (asyncio refuses them).
        let Poll::Ready(failures) = tg.group.poll_join(cx.waker()) else {
            return Poll::Pending;
        };
        self.group = None;
        Poll::Ready(if failures.is_empty() {
            Ok(())
        } else {
            Err(ErrorGroup::new(failures))
        })
    }
}
