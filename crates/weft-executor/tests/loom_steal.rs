//! Model check of work stealing between two workers (`src/executor/worker.rs`):
//! per-worker local queues, stealing half of a victim's queue, the searching count
//! and the parked list of `src/executor/idle.rs`, and `Parker`.
//!
//! Worker 0 spawns tasks into its own queue and notifies, as a task's `spawn` does;
//! worker 1 starts idle. Both then run the worker loop: their own queue, else search
//! (steal half of the other's queue), else stop searching (the last searcher wakes
//! another if work is visible), list as parked, look once more, park. Checked: every
//! task runs exactly once, nobody counts as searching at the end, and no worker is
//! left parked while a task waits in a queue (loom reports that as a deadlock: the
//! last task's runner wakes everyone only once all tasks have run).
//!
//! As in `loom_idle.rs`, the queues are modelled with locks: the real ones are
//! lock-free and rely on the single total order of `SeqCst` accesses, which loom does
//! not model.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test --release --test loom_steal`.
#![cfg(loom)]

use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::sync::{Arc, Mutex};
use loom::thread;
use weft_executor::__loom::{Idle, Parker};

const WORKERS: usize = 2;

/// What both workers share: queues of task numbers, the idle bookkeeping, parkers,
/// and how often each task ran.
struct Shared {
    queues: [Mutex<Vec<usize>>; WORKERS],
    idle: Idle,
    parkers: [Parker; WORKERS],
    runs: Vec<AtomicUsize>,
    done: AtomicUsize,
}

impl Shared {
    fn new(tasks: usize) -> Shared {
        Shared {
            queues: Default::default(),
            idle: Idle::new(WORKERS),
            parkers: Default::default(),
            runs: (0..tasks).map(|_| AtomicUsize::new(0)).collect(),
            done: AtomicUsize::new(0),
        }
    }

    fn finished(&self) -> bool {
        self.done.load(Ordering::SeqCst) == self.runs.len()
    }

    fn visible_work(&self) -> bool {
        self.queues.iter().any(|q| !q.lock().unwrap().is_empty())
    }

    fn notify_one(&self) {
        if let Some(w) = self.idle.worker_to_notify() {
            self.parkers[w].unpark(None);
        }
    }

    fn run(&self, task: usize) {
        assert_eq!(
            self.runs[task].fetch_add(1, Ordering::SeqCst),
            0,
            "ran twice"
        );
        if self.done.fetch_add(1, Ordering::SeqCst) + 1 == self.runs.len() {
            // The last task: wake every parked worker so that they see the end.
            for p in &self.parkers {
                p.unpark(None);
            }
        }
    }
}

/// One worker's loop, as `worker.rs` runs it (without the global queue and the LIFO
/// slot, which only their owner or a lock touch).
fn worker(shared: &Shared, me: usize) {
    shared.parkers[me].bind();
    let mut searching = false;
    while !shared.finished() {
        if let Some(t) = shared.queues[me].lock().unwrap().pop() {
            shared.run(t);
            continue;
        }
        if !searching && shared.idle.searching().load(Ordering::SeqCst) == 0 {
            shared.idle.searching().fetch_add(1, Ordering::SeqCst);
            searching = true;
        }
        if searching && let Some(t) = steal(shared, me) {
            searching = false;
            let was_last = shared.idle.searching().fetch_sub(1, Ordering::SeqCst) == 1;
            if was_last && shared.visible_work() {
                shared.notify_one();
            }
            shared.run(t);
            continue;
        }
        // Park.
        if searching {
            searching = false;
            let was_last = shared.idle.searching().fetch_sub(1, Ordering::SeqCst) == 1;
            if was_last && shared.visible_work() {
                shared.notify_one();
            }
        }
        shared.idle.register_parked(me);
        if !shared.visible_work() && !shared.finished() {
            shared.parkers[me].park(None);
        }
        if !shared.idle.unregister_parked(me) {
            searching = true;
        }
    }
    if searching {
        shared.idle.searching().fetch_sub(1, Ordering::SeqCst);
    }
}

/// Steals half of the other worker's queue (rounded up), keeping the rest here.
fn steal(shared: &Shared, me: usize) -> Option<usize> {
    let victim = (me + 1) % WORKERS;
    let mut stolen = {
        let mut q = shared.queues[victim].lock().unwrap();
        let keep = q.len() / 2;
        q.split_off(keep)
    };
    let first = stolen.pop()?;
    shared.queues[me].lock().unwrap().extend(stolen);
    Some(first)
}

/// Worker 0 spawns `tasks` tasks (push, then notify, one at a time) and then works;
/// worker 1 starts idle and must help or at least not strand anything.
fn spawner_and_thief(tasks: usize) {
    let shared = Arc::new(Shared::new(tasks));
    let thief = {
        let shared = shared.clone();
        thread::spawn(move || worker(&shared, 1))
    };
    shared.parkers[0].bind();
    for t in 0..tasks {
        shared.queues[0].lock().unwrap().push(t);
        shared.notify_one();
    }
    worker(&shared, 0);
    thief.join().unwrap();
    assert!(shared.runs.iter().all(|r| r.load(Ordering::SeqCst) == 1));
    assert_eq!(shared.idle.searching().load(Ordering::SeqCst), 0);
}

/// Worker 0 spawns `tasks` tasks and then stays busy (in a task that waits for the
/// others) until they have all run: only the thief can run them, so a notification
/// lost between "push, then look for a parked worker" and "list as parked, then look
/// for work" leaves both threads blocked, which loom reports.
fn spawner_busy(tasks: usize) {
    let shared = Arc::new(Shared::new(tasks));
    let thief = {
        let shared = shared.clone();
        thread::spawn(move || worker(&shared, 1))
    };
    shared.parkers[0].bind();
    for t in 0..tasks {
        shared.queues[0].lock().unwrap().push(t);
        shared.notify_one();
    }
    while !shared.finished() {
        shared.parkers[0].park(None);
    }
    thief.join().unwrap();
    assert!(shared.runs.iter().all(|r| r.load(Ordering::SeqCst) == 1));
    assert_eq!(shared.idle.searching().load(Ordering::SeqCst), 0);
}

/// Bounded preemptions: unbounded, these models run for a very long time, and bugs of
/// this kind show within two or three preemptions.
fn model_bounded(preemptions: usize, f: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(preemptions);
    }
    builder.check(f);
}

/// One task: whoever runs it, it runs once and both workers finish.
#[test]
fn one_task_two_workers() {
    model_bounded(3, || spawner_and_thief(1));
}

/// Two tasks: the thief may steal one (half) while the spawner runs the other.
#[test]
fn two_tasks_stolen_half() {
    model_bounded(2, || spawner_and_thief(2));
}

/// Only the thief works: it must be woken for each task it has not seen yet.
#[test]
fn busy_spawner_thief_runs_everything() {
    model_bounded(3, || spawner_busy(1));
    model_bounded(2, || spawner_busy(2));
}
