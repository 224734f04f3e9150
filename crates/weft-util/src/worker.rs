//! The machinery of a [`ThreadPool`](crate::ThreadPool): its queue, its threads and
//! how they find work.
//!
//! One mutex guards the queue and the thread counts; one condition variable wakes
//! idle threads. The protocol (tokio's blocking pool uses the same one):
//!
//! - A submitted job is pushed on the queue, then: if a thread is idle, `idle` moves
//!   one to `notified` and the condition variable is signalled; else, below
//!   `max_threads`, a thread is started (counted in `live` before it runs); else
//!   every thread is busy and one of them will pop the job when it is done.
//! - A thread pops jobs until the queue is empty, then counts itself `idle` and waits.
//!   Woken with `notified > 0`, it takes one notification (its `idle` was already
//!   given up by the submitter) and pops again. Woken without one, it waits again,
//!   or exits when its keep-alive has passed or the pool is shut down.
//!
//! So a queued job is always owed to a busy thread, a notified thread or a starting
//! one, and a thread exits only when nothing is owed to it: no job is ever stranded.
//! Popping and counting oneself idle happen under one lock hold, so a submitter never
//! sees a thread that is about to idle as busy.

use std::collections::VecDeque;
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use crate::BlockingError;
use crate::sync::lock;
use crate::task::Job;

/// A pool's settings, fixed when it is built.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) max_threads: usize,
    pub(crate) keep_alive: Duration,
    pub(crate) thread_name: String,
}

/// What a pool's threads share with its handle.
pub(crate) struct Shared {
    state: Mutex<State>,
    /// Signalled once per notification, and for everyone at shutdown.
    wakeup: Condvar,
    config: Config,
}

struct State {
    queue: VecDeque<Arc<dyn Job>>,
    /// Threads started and not yet exited.
    live: usize,
    /// Threads waiting for work and not yet handed a notification.
    idle: usize,
    /// Notifications handed out and not yet taken by a thread.
    notified: usize,
    /// The pool's handle was dropped: threads exit once the queue is empty.
    shutdown: bool,
}

impl Shared {
    pub(crate) fn new(config: Config) -> Arc<Shared> {
        Arc::new(Shared {
            state: Mutex::new(State {
                queue: VecDeque::new(),
                live: 0,
                idle: 0,
                notified: 0,
                shutdown: false,
            }),
            wakeup: Condvar::new(),
            config,
        })
    }

    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    pub(crate) fn live_threads(&self) -> usize {
        lock(&self.state).live
    }

    /// Queues `job` and makes sure a thread will run it.
    ///
    /// When no thread exists and none can be started, the job fails with
    /// [`BlockingError`] instead.
    pub(crate) fn submit(self: &Arc<Self>, job: Arc<dyn Job>) {
        let mut state = lock(&self.state);
        state.queue.push_back(job);
        if state.idle > 0 {
            state.idle -= 1;
            state.notified += 1;
            drop(state);
            self.wakeup.notify_one();
            return;
        }
        if state.live == self.config.max_threads {
            return;
        }
        state.live += 1;
        if let Err(e) = self.spawn() {
            state.live -= 1;
            if state.live == 0 {
                // No thread is busy, so the queue held nothing but this job.
                let job = state.queue.pop_back().expect("the job just queued");
                debug_assert!(state.queue.is_empty());
                drop(state);
                job.fail(BlockingError::spawn(e));
            }
            // Else every live thread is busy, and one of them will run the job.
        }
    }

    fn spawn(self: &Arc<Self>) -> io::Result<()> {
        let shared = Arc::clone(self);
        thread::Builder::new()
            .name(self.config.thread_name.clone())
            .spawn(move || shared.work())
            .map(drop)
    }

    /// Lets the queue drain, then ends every thread; idle ones at once.
    pub(crate) fn shutdown(&self) {
        lock(&self.state).shutdown = true;
        self.wakeup.notify_all();
    }

    /// A pool thread's life.
    fn work(&self) {
        let mut state = lock(&self.state);
        'work: loop {
            while let Some(job) = state.queue.pop_front() {
                drop(state);
                // A job catches its closure's panics; this catches the rest (a waker
                // or a discarded result that panics), so the thread survives them too.
                let _ = panic::catch_unwind(AssertUnwindSafe(move || job.run()));
                state = lock(&self.state);
            }
            if state.shutdown {
                break;
            }
            state.idle += 1;
            let deadline = Instant::now().checked_add(self.config.keep_alive);
            loop {
                state = match deadline {
                    Some(deadline) => {
                        let left = deadline.saturating_duration_since(Instant::now());
                        let (state, _) = self
                            .wakeup
                            .wait_timeout(state, left)
                            .unwrap_or_else(PoisonError::into_inner);
                        state
                    }
                    None => self
                        .wakeup
                        .wait(state)
                        .unwrap_or_else(PoisonError::into_inner),
                };
                if state.notified > 0 {
                    state.notified -= 1;
                    continue 'work;
                }
                let expired = deadline.is_some_and(|d| Instant::now() >= d);
                if state.shutdown || expired {
                    state.idle -= 1;
                    break 'work;
                }
                // A spurious wake-up, or another thread took the notification.
            }
        }
        state.live -= 1;
    }
}
