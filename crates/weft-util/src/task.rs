//! The slot a job shares with its [`RunFuture`](crate::RunFuture).
//!
//! The slot holds the closure until a pool thread takes it, then the outcome until
//! the future takes it, and the waker of the task awaiting it. The pool's queue holds
//! only a reference to the slot, never the closure itself.
//!
//! Every transition happens under the slot's mutex, so "dropped before it started"
//! is exact: either the future's drop takes the closure back (and drops it, on the
//! dropping thread) and a pool thread later finds the slot closed and skips it, or a
//! pool thread took the closure first and the future's drop only closes the slot, so
//! the outcome is discarded. No user code (closure, waker, result) runs or is dropped
//! while the mutex is held.
//!
//! ```text
//! Queued(f) --pool thread takes f--> Running --f returns or panics--> Done(outcome)
//!     |                                 |                                 |
//!     +---------- future dropped -------+--------- future dropped or -----+
//!                                       v          outcome taken
//!                                    Closed
//! ```

use std::mem;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use crate::BlockingError;
use crate::sync::lock;

/// What a job yields: its value, or why there is none.
pub(crate) type Outcome<T> = Result<T, BlockingError>;

type Closure<T> = Box<dyn FnOnce() -> T + Send + 'static>;

enum Stage<T> {
    /// Waiting in the pool's queue.
    Queued(Closure<T>),
    /// A pool thread took the closure and is running it.
    Running,
    /// The outcome, waiting for the future.
    Done(Outcome<T>),
    /// Nothing more to deliver: the future took the outcome or was dropped. (A
    /// detached future leaves the slot as it is: the job runs and its outcome is
    /// dropped with the slot.)
    Closed,
}

impl<T> Stage<T> {
    fn name(&self) -> &'static str {
        match self {
            Stage::Queued(_) => "queued",
            Stage::Running => "running",
            Stage::Done(_) => "done",
            Stage::Closed => "closed",
        }
    }
}

struct State<T> {
    stage: Stage<T>,
    /// The task awaiting the outcome, once the future has been polled.
    waker: Option<Waker>,
}

/// A job's slot, shared by the pool's queue (as a [`Job`]) and its future.
pub(crate) struct Task<T> {
    state: Mutex<State<T>>,
}

/// A job as the pool sees it, whatever its output type.
pub(crate) trait Job: Send + Sync {
    /// Runs the closure on this thread, unless the future was dropped first, and
    /// delivers the outcome. Panics in the closure are caught and delivered.
    fn run(&self);

    /// Delivers `error` instead of running the closure, which is dropped.
    fn fail(&self, error: BlockingError);
}

impl<T: Send + 'static> Task<T> {
    pub(crate) fn new<F>(f: F) -> Arc<Task<T>>
    where
        F: FnOnce() -> T + Send + 'static,
    {
        Arc::new(Task {
            state: Mutex::new(State {
                stage: Stage::Queued(Box::new(f)),
                waker: None,
            }),
        })
    }
}

impl<T> Task<T> {
    /// Takes the closure, moving to `Running`; `None` if the future was dropped.
    fn start(&self) -> Option<Closure<T>> {
        let mut state = lock(&self.state);
        match mem::replace(&mut state.stage, Stage::Running) {
            Stage::Queued(f) => Some(f),
            other => {
                state.stage = other;
                None
            }
        }
    }

    /// Stores the outcome and wakes the awaiting task, or drops the outcome if no
    /// one awaits it any more.
    fn complete(&self, outcome: Outcome<T>) {
        let mut state = lock(&self.state);
        if let Stage::Running = state.stage {
            state.stage = Stage::Done(outcome);
            let waker = state.waker.take();
            drop(state);
            if let Some(waker) = waker {
                waker.wake();
            }
        } else {
            drop(state);
            drop(outcome);
        }
    }

    /// The future's poll: the outcome if it is there, else the waker is stored.
    ///
    /// # Panics
    ///
    /// When the outcome was already taken.
    pub(crate) fn poll(&self, cx: &mut Context<'_>) -> Poll<Outcome<T>> {
        let mut state = lock(&self.state);
        match mem::replace(&mut state.stage, Stage::Closed) {
            Stage::Done(outcome) => {
                let waker = state.waker.take();
                drop(state);
                drop(waker);
                Poll::Ready(outcome)
            }
            Stage::Closed => {
                drop(state);
                panic!("`RunFuture` polled after completion")
            }
            pending => {
                state.stage = pending;
                let old = match &state.waker {
                    Some(w) if w.will_wake(cx.waker()) => None,
                    _ => state.waker.replace(cx.waker().clone()),
                };
                drop(state);
                drop(old);
                Poll::Pending
            }
        }
    }

    /// The future's drop: cancels a queued job, discards a running job's outcome.
    pub(crate) fn close(&self) {
        let mut state = lock(&self.state);
        let stage = mem::replace(&mut state.stage, Stage::Closed);
        let waker = state.waker.take();
        drop(state);
        drop(stage);
        drop(waker);
    }

    /// The stage's name, for `Debug`.
    pub(crate) fn stage_name(&self) -> &'static str {
        lock(&self.state).stage.name()
    }
}

impl<T: Send> Job for Task<T> {
    fn run(&self) {
        if let Some(f) = self.start() {
            let outcome = panic::catch_unwind(AssertUnwindSafe(f)).map_err(BlockingError::panicked);
            self.complete(outcome);
        }
    }

    fn fail(&self, error: BlockingError) {
        if let Some(f) = self.start() {
            self.complete(Err(error));
            drop(f);
        }
    }
}
