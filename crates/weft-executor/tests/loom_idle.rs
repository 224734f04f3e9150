//! Model checks of idle workers (`src/executor/idle.rs`): the `Parker` state machine,
//! with and without an `IdleHook`, and the parked list with the searching count.
//!
//! A wake-up that is lost leaves a thread parked or a hook blocked for good, which
//! loom reports as a deadlock.
//!
//! The work queue is modelled with a lock. The real one is lock-free, and the
//! hand-off "push, then look for a parked worker" against "list as parked, then look
//! for work" needs the single total order of `SeqCst` accesses, which loom does not
//! model (it treats them as `AcqRel`, and reports such hand-offs as lost); the lock
//! supplies that order here, and what is checked is the protocol around it.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test --release --test loom_idle`.
#![cfg(loom)]

use std::sync::Arc as StdArc;
use std::time::Duration;

use loom::sync::atomic::Ordering;
use loom::sync::{Arc, Condvar, Mutex};
use loom::thread;
use weft_executor::__loom::{Idle, Parker};
use weft_executor::IdleHook;

/// Runs a model of three threads with at most `preemptions` preemptions per execution
/// (`LOOM_MAX_PREEMPTIONS` overrides it): unbounded, such a model runs for minutes or
/// hours, and bugs of this kind show up within two or three preemptions.
fn model_bounded(preemptions: usize, f: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(preemptions);
    }
    builder.check(f);
}

/// A hook that cannot drive (another thread drives the reactor): workers park their
/// threads.
struct CannotDrive;

impl IdleHook for CannotDrive {
    fn drive(&self, _timeout: Option<Duration>, _unparked: &dyn Fn() -> bool) -> bool {
        false
    }

    fn interrupt(&self) {}
}

/// A hook standing for the reactor: `drive` blocks until `interrupt`. Like the
/// reactor, it forgets an interrupt that came before `drive` took its place (the
/// previous driver's `after_wake` consumed it), which is why the hook asks
/// `unparked` once it is in place, as the runtime's hook does.
#[derive(Default)]
struct Blocking {
    interrupted: Mutex<bool>,
    cv: Condvar,
}

impl IdleHook for Blocking {
    fn drive(&self, timeout: Option<Duration>, unparked: &dyn Fn() -> bool) -> bool {
        assert_eq!(timeout, None);
        // In place: from now on an interrupt reaches this drive.
        *self.interrupted.lock().unwrap() = false;
        if unparked() {
            return true;
        }
        let mut interrupted = self.interrupted.lock().unwrap();
        while !*interrupted {
            interrupted = self.cv.wait(interrupted).unwrap();
        }
        *interrupted = false;
        true
    }

    fn interrupt(&self) {
        *self.interrupted.lock().unwrap() = true;
        self.cv.notify_one();
    }
}

/// The tasks a worker can find.
type Queue = Mutex<usize>;

fn push(queue: &Queue) {
    *queue.lock().unwrap() += 1;
}

fn pop(queue: &Queue) -> bool {
    let mut n = queue.lock().unwrap();
    let found = *n > 0;
    if found {
        *n -= 1;
    }
    found
}

fn visible_work(queue: &Queue) -> bool {
    *queue.lock().unwrap() > 0
}

/// One worker that must run `tasks` tasks, parking in between, against one notifier
/// per task that pushes it and unparks the worker: no unpark is lost, over several
/// `park` calls and whatever state each one meets.
///
/// The hook is shared through std's `Arc`: loom's does not coerce to `dyn IdleHook`.
fn unparks_are_never_lost(hook: Option<StdArc<dyn IdleHook>>, tasks: usize) {
    let parker = Arc::new(Parker::default());
    let queue = Arc::new(Queue::new(0));

    let notifiers: Vec<_> = (0..tasks)
        .map(|_| {
            let (parker, queue, hook) = (parker.clone(), queue.clone(), hook.clone());
            thread::spawn(move || {
                push(&queue);
                parker.unpark(hook.as_deref());
            })
        })
        .collect();

    parker.bind();
    let mut ran = 0;
    while ran < tasks {
        if pop(&queue) {
            ran += 1;
        } else {
            parker.park(hook.as_deref());
        }
    }
    for n in notifiers {
        n.join().unwrap();
    }
}

/// An `unpark` concurrent with `park` (no hook: the thread parks) is never lost.
#[test]
fn unpark_racing_park() {
    loom::model(|| unparks_are_never_lost(None, 1));
}

/// The same when the hook cannot drive: an `unpark` that sees `DRIVING` interrupts a
/// hook that already returned, and the worker must not park for good after it.
#[test]
fn unpark_racing_park_hook_cannot_drive() {
    loom::model(|| unparks_are_never_lost(Some(StdArc::new(CannotDrive)), 1));
}

/// An `unpark` during `DRIVING` interrupts the hook, including one that comes
/// before the hook is in place to hear it.
#[test]
fn unpark_interrupts_driving_hook() {
    loom::model(|| unparks_are_never_lost(Some(StdArc::new(Blocking::default())), 1));
}

/// Two unparks from two threads across two `park` calls, parking the thread.
#[test]
fn two_unparks_two_parks() {
    model_bounded(4, || unparks_are_never_lost(None, 2));
}

/// Two unparks from two threads across two `park` calls, driving the hook.
#[test]
fn two_unparks_two_parks_driving() {
    model_bounded(4, || {
        unparks_are_never_lost(Some(StdArc::new(Blocking::default())), 2);
    });
}

/// A worker's side of `Idle`, as `worker.rs` runs it: stop searching (the last
/// searcher to stop wakes a worker if work is visible), list itself as parked, look
/// once more, park, and come off the list (if a notifier took it off, it counts as
/// searching again). Loops until it has run a task.
fn worker_runs_one_task(idle: &Idle, parker: &Parker, queue: &Queue, mut searching: bool) {
    const ME: usize = 0;
    parker.bind();
    loop {
        if pop(queue) {
            if searching {
                idle.searching().fetch_sub(1, Ordering::SeqCst);
            }
            return;
        }
        if searching {
            searching = false;
            let was_last = idle.searching().fetch_sub(1, Ordering::SeqCst) == 1;
            if was_last && visible_work(queue) && idle.worker_to_notify().is_some() {
                parker.unpark(None);
            }
        }
        idle.register_parked(ME);
        if !visible_work(queue) {
            parker.park(None);
        }
        if !idle.unregister_parked(ME) {
            searching = true;
        }
    }
}

/// A task pushed while a worker (the only one, or one of two with the other busy)
/// stops searching and parks is never stranded: either the worker sees it, or the
/// notifier finds the worker parked and unparks it. Afterwards nobody counts as
/// searching.
#[test]
fn task_pushed_while_worker_parks_is_run() {
    for (workers, searching) in [(1, false), (1, true), (2, false), (2, true)] {
        loom::model(move || {
            let idle = Arc::new(Idle::new(workers));
            let parker = Arc::new(Parker::default());
            let queue = Arc::new(Queue::new(0));
            if searching {
                idle.searching().fetch_add(1, Ordering::SeqCst);
            }

            let notifier = {
                let (idle, parker, queue) = (idle.clone(), parker.clone(), queue.clone());
                thread::spawn(move || {
                    push(&queue);
                    if let Some(w) = idle.worker_to_notify() {
                        assert_eq!(w, 0);
                        parker.unpark(None);
                    }
                })
            };
            worker_runs_one_task(&idle, &parker, &queue, searching);
            notifier.join().unwrap();
            assert_eq!(idle.searching().load(Ordering::SeqCst), 0);
        });
    }
}

/// Two notifiers race for one parked worker (of two, the other busy) while it comes
/// off the list by itself: the worker is handed to at most one of them, and is told
/// so (it counts as searching exactly when a notifier took it).
#[test]
fn parked_worker_is_handed_out_once() {
    loom::model(|| {
        let idle = Arc::new(Idle::new(2));
        idle.register_parked(0);

        let notifiers: Vec<_> = (0..2)
            .map(|_| {
                let idle = idle.clone();
                thread::spawn(move || idle.worker_to_notify().is_some())
            })
            .collect();
        let listed = idle.unregister_parked(0);
        let handed: usize = notifiers
            .into_iter()
            .map(|n| usize::from(n.join().unwrap()))
            .sum();

        assert_eq!(handed, usize::from(!listed), "handed out {handed} times");
        assert_eq!(idle.searching().load(Ordering::SeqCst), handed);
    });
}
