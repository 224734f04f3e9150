//! Shutting down: an `Executor` (shut down or dropped, multi-thread and single-thread),
//! a `Runtime` (dropped, multi-thread and single-thread) and `weft::run` drop every
//! pending task, join their worker threads and leak no file descriptor.
//!
//! One test only, in a binary of its own: it counts the process's threads
//! (`/proc/self/task`) and descriptors (`/proc/self/fd`), which no other test may
//! change meanwhile.

use std::cell::RefCell;
use std::fs;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use futures::AsyncReadExt;
use futures::channel::oneshot;
use weft::executor::{Executor, Handle};
use weft::reactor::Async;
use weft::{Runtime, Task};

/// How long a test waits for one event before it calls it lost.
const TIMEOUT: Duration = Duration::from_secs(30);
/// How long the whole test may take before it is deemed deadlocked.
const WATCHDOG: Duration = Duration::from_secs(120);

/// Threads that live as long as the process by design, and are not a runtime's: the
/// reactor's fallback driver and the default `to_thread` pool.
const PROCESS_THREADS: [&str; 2] = ["weft-reactor", "weft-blocking"];

/// The names of the process's threads, but for `PROCESS_THREADS`.
fn threads() -> Vec<String> {
    let mut names = Vec::new();
    for entry in fs::read_dir("/proc/self/task").expect("/proc/self/task") {
        let Ok(entry) = entry else { continue };
        // A thread may exit while we look: then it is not counted.
        let Ok(comm) = fs::read_to_string(entry.path().join("comm")) else {
            continue;
        };
        let comm = comm.trim_end().to_owned();
        if !PROCESS_THREADS.contains(&comm.as_str()) {
            names.push(comm);
        }
    }
    names
}

fn count_named(name: &str) -> usize {
    threads().iter().filter(|n| *n == name).count()
}

/// The number of open descriptors (the directory listing's own included, always).
fn fds() -> usize {
    fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd")
        .count()
}

/// Waits for the thread count to come back to `baseline`: a joined thread leaves
/// `/proc/self/task` when the kernel reaps it, a moment after `join` returned (the
/// join itself is checked exactly, by `ExitSignal`).
fn assert_threads_back(baseline: usize, what: &str) {
    let start = Instant::now();
    loop {
        let now = threads();
        if now.len() <= baseline {
            assert_eq!(now.len(), baseline, "{what}: fewer threads than before?");
            return;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "{what}: {} threads, {baseline} before: {now:?}",
            now.len()
        );
        thread::yield_now();
    }
}

/// Counts drops of its guards.
#[derive(Clone, Default)]
struct DropCounter(Arc<AtomicUsize>);

impl DropCounter {
    fn guard(&self) -> DropGuard {
        DropGuard(self.0.clone())
    }
    fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

struct DropGuard(Arc<AtomicUsize>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Sends its thread's id when the thread exits (thread-local destructors run before
/// a join of the thread returns).
struct ExitSignal(mpsc::Sender<ThreadId>);

impl Drop for ExitSignal {
    fn drop(&mut self) {
        let _ = self.0.send(thread::current().id());
    }
}

thread_local! {
    static EXIT: RefCell<Option<ExitSignal>> = const { RefCell::new(None) };
}

/// Runs one task on each of the two workers behind `handle` at the same time (they
/// wait for each other), leaving an `ExitSignal` in each worker thread.
fn mark_both_workers(handle: &Handle, exits: &mpsc::Sender<ThreadId>) -> [ThreadId; 2] {
    let (to_a, from_b) = mpsc::channel::<()>();
    let (to_b, from_a) = mpsc::channel::<()>();
    let mark = |tx: mpsc::Sender<()>, rx: mpsc::Receiver<()>| {
        let exits = exits.clone();
        async move {
            EXIT.with(|e| *e.borrow_mut() = Some(ExitSignal(exits)));
            tx.send(()).unwrap();
            rx.recv_timeout(TIMEOUT)
                .expect("the two workers run at once");
            thread::current().id()
        }
    };
    let a = handle.spawn(mark(to_b, from_b));
    let b = handle.spawn(mark(to_a, from_a));
    let ids = [a.join_blocking().unwrap(), b.join_blocking().unwrap()];
    assert_ne!(ids[0], ids[1]);
    ids
}

/// After a shutdown: both marked workers have exited, nothing else has.
fn assert_workers_joined(exits: &mpsc::Receiver<ThreadId>, workers: [ThreadId; 2], what: &str) {
    let mut exited = Vec::new();
    while let Ok(id) = exits.try_recv() {
        exited.push(id);
    }
    exited.sort_by_key(|id| format!("{id:?}"));
    let mut expected = workers.to_vec();
    expected.sort_by_key(|id| format!("{id:?}"));
    assert_eq!(
        exited, expected,
        "{what}: the workers were joined before it returned"
    );
}

/// Spawns, through `spawn`, `n` tasks of each kind that stay pending: waiting on a
/// channel whose sender is kept, on nothing at all, and (with `io`) on a timer an
/// hour away and on a read of a stream nobody writes to. Each holds a drop guard.
fn pending_tasks(
    spawn: &dyn Fn(std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>) -> Task<()>,
    n: usize,
    io: bool,
    drops: &DropCounter,
    senders: &mut Vec<oneshot::Sender<()>>,
) -> Vec<Task<()>> {
    let mut tasks = Vec::new();
    for _ in 0..n {
        let guard = drops.guard();
        let (tx, rx) = oneshot::channel::<()>();
        senders.push(tx);
        tasks.push(spawn(Box::pin(async move {
            let _guard = guard;
            let _ = rx.await;
        })));
        let guard = drops.guard();
        tasks.push(spawn(Box::pin(async move {
            let _guard = guard;
            std::future::pending::<()>().await;
        })));
        if io {
            let guard = drops.guard();
            tasks.push(spawn(Box::pin(async move {
                let _guard = guard;
                weft::sleep(Duration::from_secs(3600)).await;
            })));
            let guard = drops.guard();
            let (a, b) = UnixStream::pair().unwrap();
            tasks.push(spawn(Box::pin(async move {
                let _guard = guard;
                let _b = b; // the writing end, never written to
                let mut a = Async::new(a).unwrap();
                let mut buf = [0u8; 4];
                let _ = a.read(&mut buf).await;
            })));
        }
    }
    tasks
}

fn assert_cancelled(tasks: Vec<Task<()>>, what: &str) {
    for t in tasks {
        let err = t.join_blocking().unwrap_err();
        assert!(err.is_cancelled(), "{what}: {err:?}");
    }
}

fn check_executor(shutdown: bool, baseline_threads: usize, baseline_fds: usize) {
    let what = if shutdown {
        "Executor::shutdown"
    } else {
        "drop(Executor)"
    };
    let name = "shut-exec";
    let ex = Executor::builder()
        .worker_threads(2)
        .thread_name(name)
        .build()
        .unwrap();
    assert_eq!(threads().len(), baseline_threads + 2, "{what}: two workers");
    let (exit_tx, exit_rx) = mpsc::channel();
    let workers = mark_both_workers(&ex.handle(), &exit_tx);
    assert_eq!(count_named(name), 2, "{what}: the workers are named");
    let drops = DropCounter::default();
    let mut senders = Vec::new();
    let handle = ex.handle();
    let tasks = pending_tasks(&|f| handle.spawn(f), 10, false, &drops, &mut senders);
    // Most have started (and pend) by now, some may not have: either way they must
    // be dropped.
    let (tx, rx) = mpsc::channel();
    handle.spawn(async move { tx.send(()).unwrap() }).detach();
    rx.recv_timeout(TIMEOUT).unwrap();
    assert_eq!(drops.count(), 0);
    if shutdown {
        ex.shutdown();
    } else {
        drop(ex);
    }
    assert_eq!(
        drops.count(),
        tasks.len(),
        "{what}: every pending task was dropped"
    );
    assert_workers_joined(&exit_rx, workers, what);
    assert_cancelled(tasks, what);
    assert!(senders.iter().all(oneshot::Sender::is_canceled));
    assert_threads_back(baseline_threads, what);
    assert_eq!(count_named(name), 0);
    assert_eq!(fds(), baseline_fds, "{what}: descriptors leaked");
}

fn check_single_thread_executor(baseline_threads: usize, baseline_fds: usize) {
    let what = "drop(single-thread Executor)";
    let ex = Executor::builder().single_thread().build().unwrap();
    assert_eq!(threads().len(), baseline_threads, "no thread of its own");
    let drops = DropCounter::default();
    let mut senders = Vec::new();
    let handle = ex.handle();
    // Some that ran (and pend), some that never started.
    let mut tasks = pending_tasks(&|f| handle.spawn(f), 5, false, &drops, &mut senders);
    ex.block_on(async {
        for _ in 0..3 {
            weft::yield_now().await;
        }
    });
    tasks.extend(pending_tasks(
        &|f| handle.spawn(f),
        5,
        false,
        &drops,
        &mut senders,
    ));
    assert_eq!(drops.count(), 0);
    drop(ex);
    assert_eq!(
        drops.count(),
        tasks.len(),
        "{what}: every pending task was dropped"
    );
    assert_cancelled(tasks, what);
    assert_threads_back(baseline_threads, what);
    assert_eq!(fds(), baseline_fds, "{what}: descriptors leaked");
}

fn check_runtime(baseline_threads: usize, baseline_fds: usize) {
    let what = "drop(Runtime)";
    let name = "shut-rt";
    let rt = Runtime::builder()
        .worker_threads(2)
        .thread_name(name)
        .build()
        .unwrap();
    assert_eq!(threads().len(), baseline_threads + 2, "{what}: two workers");
    let (exit_tx, exit_rx) = mpsc::channel();
    let workers = mark_both_workers(&rt.handle(), &exit_tx);
    assert_eq!(count_named(name), 2, "{what}: the workers are named");
    let drops = DropCounter::default();
    let mut senders = Vec::new();
    let (tasks, in_flight) = rt.block_on(async {
        let tasks = pending_tasks(&|f| weft::spawn(f), 5, true, &drops, &mut senders);
        // Most have started (and pend) by now, some may not have: either way they
        // must be dropped.
        weft::spawn(async {}).await.unwrap();
        weft::yield_now().await;
        // A callback an hour away.
        let h = weft::call_later(Duration::from_secs(3600), || unreachable!());
        (tasks, h)
    });
    assert!(fds() > baseline_fds, "the tasks' streams are open");
    assert_eq!(drops.count(), 0);
    drop(rt);
    assert_eq!(
        drops.count(),
        tasks.len(),
        "{what}: every pending task was dropped"
    );
    assert!(in_flight.is_finished());
    assert_workers_joined(&exit_rx, workers, what);
    assert_cancelled(tasks, what);
    assert_threads_back(baseline_threads, what);
    assert_eq!(count_named(name), 0);
    assert_eq!(fds(), baseline_fds, "{what}: descriptors leaked");
}

fn check_single_thread_runtime(baseline_threads: usize, baseline_fds: usize) {
    let what = "drop(single-thread Runtime)";
    let rt = Runtime::builder().single_thread().build().unwrap();
    let drops = DropCounter::default();
    let mut senders = Vec::new();
    let mut tasks = rt.block_on(async {
        let tasks = pending_tasks(&|f| weft::spawn(f), 5, true, &drops, &mut senders);
        weft::spawn(async {}).await.unwrap();
        tasks
    });
    // And some that never started.
    let handle = rt.handle();
    tasks.extend(pending_tasks(
        &|f| handle.spawn(f),
        5,
        true,
        &drops,
        &mut senders,
    ));
    assert_eq!(drops.count(), 0);
    drop(rt);
    assert_eq!(
        drops.count(),
        tasks.len(),
        "{what}: every pending task was dropped"
    );
    assert_cancelled(tasks, what);
    assert_threads_back(baseline_threads, what);
    assert_eq!(fds(), baseline_fds, "{what}: descriptors leaked");
}

fn check_weft_run(baseline_threads: usize, baseline_fds: usize) {
    let what = "weft::run";
    let cores = thread::available_parallelism().map_or(1, usize::from);
    let drops = DropCounter::default();
    let mut senders = Vec::new();
    let (tasks, workers_seen) = weft::run(async {
        let tasks = pending_tasks(&|f| weft::spawn(f), 5, true, &drops, &mut senders);
        weft::spawn(async {}).await.unwrap();
        (tasks, threads().len())
    });
    assert_eq!(
        workers_seen,
        baseline_threads + cores,
        "one worker per core while it runs"
    );
    assert_eq!(
        drops.count(),
        tasks.len(),
        "{what}: every pending task was dropped"
    );
    assert_cancelled(tasks, what);
    assert_threads_back(baseline_threads, what);
    assert_eq!(count_named("weft-worker"), 0);
    assert_eq!(fds(), baseline_fds, "{what}: descriptors leaked");
}

/// Makes the process-wide pieces exist (the reactor's poller, its notifier, maybe its
/// fallback thread) so that they are part of the baseline.
fn warm_up() {
    weft::run(async {
        let (a, b) = UnixStream::pair().unwrap();
        let reader = weft::spawn(async move {
            let mut a = Async::new(a).unwrap();
            let mut buf = [0u8; 1];
            a.read_exact(&mut buf).await.unwrap();
            buf[0]
        });
        weft::sleep(Duration::from_millis(1)).await;
        let (tx, rx) = oneshot::channel();
        let _h = weft::call_later(Duration::from_millis(1), move || tx.send(()).unwrap());
        rx.await.unwrap();
        (&b).write_all(&[9]).unwrap();
        assert_eq!(reader.await.unwrap(), 9);
    });
    let rt = Runtime::builder().single_thread().build().unwrap();
    rt.block_on(weft::sleep(Duration::from_millis(1)));
}

#[test]
fn shutdown_drops_pending_tasks_and_joins_threads() {
    let (tx, rx) = mpsc::channel();
    thread::Builder::new()
        .name("test-body".into())
        .spawn(move || {
            let res = panic::catch_unwind(AssertUnwindSafe(|| {
                warm_up();
                let baseline_threads = threads().len();
                let baseline_fds = fds();
                check_executor(true, baseline_threads, baseline_fds);
                check_executor(false, baseline_threads, baseline_fds);
                check_single_thread_executor(baseline_threads, baseline_fds);
                check_runtime(baseline_threads, baseline_fds);
                check_single_thread_runtime(baseline_threads, baseline_fds);
                check_weft_run(baseline_threads, baseline_fds);
            }));
            let _ = tx.send(res);
        })
        .unwrap();
    match rx.recv_timeout(WATCHDOG) {
        Ok(Ok(())) => {}
        Ok(Err(payload)) => panic::resume_unwind(payload),
        Err(_) => panic!("the test did not finish within {WATCHDOG:?}: deadlock?"),
    }
}
