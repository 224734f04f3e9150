//! The executor alone (no reactor): spawning, joining, cancelling, detaching, panics,
//! names and ids, `task::current`/`task::all`, eager tasks, `yield_now`, shutdown and
//! misuse, on a 2-worker executor and on a single-thread executor.
//!
//! Every test body runs under a watchdog (`within`): a deadlock or a lost wake-up
//! fails the test after `WATCHDOG` instead of hanging the run. Waits inside the
//! bodies are on events (channels, joins), with `TIMEOUT` as a generous bound.

use std::any::Any;
use std::collections::HashSet;
use std::future::Future;
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Barrier, Mutex};
use std::thread::{self, ThreadId};
use std::time::Duration;

use futures::StreamExt;
use futures::channel::{mpsc as fmpsc, oneshot};
use weft_executor::task::{self, Builder, TaskInfo, TaskState};
use weft_executor::{Executor, Handle, JoinError, LocalExecutor, Task, TaskId, yield_now};

/// How long a test waits for one event before it calls it lost.
const TIMEOUT: Duration = Duration::from_secs(30);
/// How long a whole test body may take before it is deemed deadlocked.
const WATCHDOG: Duration = Duration::from_secs(60);
/// The multi-thread executors' worker thread name.
const WORKER: &str = "tasks-worker";

/// Runs `body` on a thread of its own and fails if it does not finish in `WATCHDOG`.
fn within(body: impl FnOnce() + Send + 'static) {
    let (tx, rx) = mpsc::channel();
    thread::Builder::new()
        .name("test-body".into())
        .spawn(move || {
            let res = panic::catch_unwind(AssertUnwindSafe(body));
            let _ = tx.send(res);
        })
        .expect("spawn the test body's thread");
    match rx.recv_timeout(WATCHDOG) {
        Ok(Ok(())) => {}
        Ok(Err(payload)) => panic::resume_unwind(payload),
        Err(_) => panic!("the test did not finish within {WATCHDOG:?}: deadlock or lost wake-up"),
    }
}

fn multi() -> Executor {
    Executor::builder()
        .worker_threads(2)
        .thread_name(WORKER)
        .build()
        .expect("a 2-worker executor")
}

fn single() -> Executor {
    Executor::builder()
        .single_thread()
        .build()
        .expect("a single-thread executor")
}

fn is_single(ex: &Executor) -> bool {
    ex.handle().is_single_thread()
}

/// For each name, a module with a `multi_thread` and a `single_thread` test that run
/// the function of that name on a fresh executor of each kind.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn multi_thread() {
                super::within(|| super::$name(super::multi()));
            }
            #[test]
            fn single_thread() {
                super::within(|| super::$name(super::single()));
            }
        }
    )*};
}

on_both!(
    spawn_and_join,
    many_tasks,
    nested_spawns,
    remote_spawns_from_threads,
    cancel_before_start,
    cancel_while_pending,
    cancel_while_waiting_on_channel,
    cancel_during_poll,
    cancel_after_completion,
    detached_task_keeps_running,
    panics_come_back_as_join_errors,
    panicking_tasks_keep_the_executor_running,
    detached_output_is_dropped,
    names_and_ids,
    spawn_location,
    current_and_all,
    eager_start,
    eager_spawn_on_the_current_executor,
    runs_and_drops_nest_inside_a_task,
    names_are_freed,
    shutdown_drops_pending_tasks,
    spawn_after_shutdown_is_cancelled,
    block_on_inside_a_task_panics,
);

/// The text of a panic payload (`&str` or `String`).
fn panic_text(payload: &(dyn Any + Send)) -> Option<String> {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
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

/// Sends on a channel when dropped.
struct SendOnDrop(mpsc::Sender<()>);

impl Drop for SendOnDrop {
    fn drop(&mut self) {
        let _ = self.0.send(());
    }
}

/// On a multi-thread executor, keeps every worker busy (blocked in a task) until the
/// returned senders are dropped, so that a task spawned meanwhile cannot start. A
/// single-thread executor runs nothing outside `block_on`: nothing to do.
fn occupy_workers(ex: &Executor) -> Vec<mpsc::Sender<()>> {
    if is_single(ex) {
        return Vec::new();
    }
    let n = ex.handle().worker_threads();
    let (started_tx, started_rx) = mpsc::channel();
    let mut releases = Vec::new();
    for _ in 0..n {
        let (release_tx, release_rx) = mpsc::channel::<()>();
        let started_tx = started_tx.clone();
        ex.spawn(async move {
            started_tx.send(()).unwrap();
            // Returns when the sender is dropped (or after TIMEOUT).
            let _ = release_rx.recv_timeout(TIMEOUT);
        })
        .detach();
        releases.push(release_tx);
    }
    for _ in 0..n {
        started_rx
            .recv_timeout(TIMEOUT)
            .expect("every worker picks up a blocking task");
    }
    releases
}

/// Waits (by yielding) until `task` has finished.
fn wait_finished<T>(ex: &Executor, task: &Task<T>) {
    ex.block_on(async {
        while !task.is_finished() {
            yield_now().await;
        }
    });
}

// ---------------------------------------------------------------------------------
// Spawning and joining.

fn spawn_and_join(ex: Executor) {
    let inputs = [3u64, 5, 8, 13];
    // From outside, through the executor and through a handle.
    let from_ex: Vec<Task<u64>> = inputs
        .iter()
        .map(|&n| ex.spawn(async move { n * n + 1 }))
        .collect();
    let handle = ex.handle();
    let from_handle: Vec<Task<String>> = inputs
        .iter()
        .map(|&n| handle.spawn(async move { format!("n={n}") }))
        .collect();
    let inside = ex.block_on(async {
        // From inside `block_on`: the current executor.
        let tasks: Vec<Task<u64>> = inputs
            .iter()
            .map(|&n| weft_executor::spawn(async move { n + 100 }))
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    });
    assert_eq!(inside, inputs.iter().map(|n| n + 100).collect::<Vec<_>>());
    for (t, n) in from_ex.into_iter().zip(inputs) {
        assert_eq!(ex.block_on(t).unwrap(), n * n + 1);
    }
    for (t, n) in from_handle.into_iter().zip(inputs) {
        assert_eq!(ex.block_on(t).unwrap(), format!("n={n}"));
    }
    if !is_single(&ex) {
        // Synchronous joins: the workers run the task meanwhile.
        let t = ex.spawn(async { thread::current().name().map(String::from) });
        assert_eq!(t.join_blocking().unwrap().as_deref(), Some(WORKER));
    }
}

fn many_tasks(ex: Executor) {
    const N: u64 = 10_000;
    let outside: Vec<Task<u64>> = (0..N)
        .map(|i| ex.spawn(async move { i.wrapping_mul(0x9E37_79B9) ^ 0xABCD }))
        .collect();
    let inside = ex.block_on(async {
        let tasks: Vec<Task<u64>> = (0..N)
            .map(|i| {
                weft_executor::spawn(async move {
                    yield_now().await;
                    i * 3 + 1
                })
            })
            .collect();
        let mut out = Vec::with_capacity(tasks.len());
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    });
    assert_eq!(inside.len() as u64, N);
    for (i, v) in inside.into_iter().enumerate() {
        assert_eq!(v, i as u64 * 3 + 1, "task {i}");
    }
    let outside = ex.block_on(async {
        let mut out = Vec::with_capacity(outside.len());
        for t in outside {
            out.push(t.await.unwrap());
        }
        out
    });
    for (i, v) in outside.into_iter().enumerate() {
        assert_eq!(v, (i as u64).wrapping_mul(0x9E37_79B9) ^ 0xABCD, "task {i}");
    }
}

/// A binary tree of tasks, each spawning its two children from inside itself;
/// returns how many tasks ran.
fn tree(depth: u32) -> Pin<Box<dyn Future<Output = u64> + Send>> {
    Box::pin(async move {
        if depth == 0 {
            return 1;
        }
        let left = weft_executor::spawn(tree(depth - 1));
        let right = weft_executor::spawn(tree(depth - 1));
        1 + left.await.unwrap() + right.await.unwrap()
    })
}

fn nested_spawns(ex: Executor) {
    const DEPTH: u32 = 8;
    let root = ex.spawn(tree(DEPTH));
    assert_eq!(ex.block_on(root).unwrap(), (1 << (DEPTH + 1)) - 1);

    // A child that outlives the task that spawned it.
    let parent = ex.spawn(async {
        let seed = task::current().unwrap().id().as_u64();
        let child = weft_executor::spawn(async move {
            yield_now().await;
            seed * 2
        });
        (seed, child)
    });
    let (seed, child) = ex.block_on(parent).unwrap();
    assert_eq!(ex.block_on(child).unwrap(), seed * 2);
}

fn remote_spawns_from_threads(ex: Executor) {
    const THREADS: usize = 4;
    const PER_THREAD: usize = 250;
    let handle = ex.handle();
    let (results, threads) = ex.block_on(async move {
        // The OS threads spawn while this `block_on` is running (on a single-thread
        // executor, that is the only time tasks run).
        let (task_tx, mut task_rx) = fmpsc::unbounded::<Task<(usize, usize)>>();
        let barrier = Arc::new(Barrier::new(THREADS));
        let threads: Vec<_> = (0..THREADS)
            .map(|t| {
                let handle: Handle = handle.clone();
                let task_tx = task_tx.clone();
                let barrier = barrier.clone();
                thread::spawn(move || {
                    barrier.wait(); // all at once
                    for i in 0..PER_THREAD {
                        let task = handle.spawn(async move {
                            yield_now().await;
                            (t, i)
                        });
                        task_tx.unbounded_send(task).unwrap();
                    }
                })
            })
            .collect();
        drop(task_tx);
        let mut results = Vec::new();
        while let Some(task) = task_rx.next().await {
            results.push(task.await.unwrap());
        }
        (results, threads)
    });
    for t in threads {
        t.join().unwrap();
    }
    let got: HashSet<(usize, usize)> = results.iter().copied().collect();
    assert_eq!(results.len(), THREADS * PER_THREAD);
    assert_eq!(got.len(), THREADS * PER_THREAD, "every task once");
    for t in 0..THREADS {
        for i in 0..PER_THREAD {
            assert!(got.contains(&(t, i)), "missing task {i} of thread {t}");
        }
    }
}

// ---------------------------------------------------------------------------------
// Cancellation.

fn cancel_before_start(ex: Executor) {
    let ran = Arc::new(AtomicBool::new(false));
    let drops = DropCounter::default();
    let releases = occupy_workers(&ex);
    let task = {
        let ran = ran.clone();
        let guard = drops.guard();
        ex.spawn(async move {
            let _guard = guard;
            ran.store(true, Ordering::SeqCst);
        })
    };
    let id = task.id();
    task.cancel();
    drop(releases);
    let err = ex.block_on(task).unwrap_err();
    assert!(err.is_cancelled(), "{err:?}");
    assert!(!err.is_panic());
    assert_eq!(err.id(), id);
    assert!(err.to_string().contains("cancelled"), "{err}");
    assert!(
        !ran.load(Ordering::SeqCst),
        "a task cancelled before it started ran"
    );
    assert_eq!(drops.count(), 1, "the unpolled future was dropped");
    assert!(err.try_into_panic().is_err());
}

fn cancel_while_pending(ex: Executor) {
    let (started_tx, started_rx) = oneshot::channel();
    let (dropped_tx, dropped_rx) = mpsc::channel();
    let task = ex.spawn(async move {
        let _guard = SendOnDrop(dropped_tx);
        started_tx.send(()).unwrap();
        std::future::pending::<()>().await;
    });
    ex.block_on(started_rx).unwrap();
    assert!(!task.is_finished());
    assert_eq!(dropped_rx.try_recv(), Err(mpsc::TryRecvError::Empty));
    task.cancel();
    let err = ex.block_on(task).unwrap_err();
    assert!(err.is_cancelled(), "{err:?}");
    // The locals were dropped by the time the awaiting side saw the cancellation.
    assert_eq!(dropped_rx.try_recv(), Ok(()));
}

fn cancel_while_waiting_on_channel(ex: Executor) {
    let (value_tx, value_rx) = oneshot::channel::<u32>();
    let (started_tx, started_rx) = oneshot::channel();
    let (dropped_tx, dropped_rx) = mpsc::channel();
    let task = ex.spawn(async move {
        let _guard = SendOnDrop(dropped_tx);
        started_tx.send(()).unwrap();
        value_rx.await
    });
    ex.block_on(started_rx).unwrap();
    task.cancel();
    let err = ex.block_on(task).unwrap_err();
    assert!(err.is_cancelled(), "{err:?}");
    assert_eq!(dropped_rx.try_recv(), Ok(()));
    // The receiver, a local of the task, is gone too.
    assert!(value_tx.is_canceled());
    assert_eq!(value_tx.send(7), Err(7));
}

/// `cancel` called while the task is in the middle of a poll: the task stops at its
/// next suspension point.
fn cancel_during_poll(ex: Executor) {
    let (in_poll_tx, in_poll_rx) = mpsc::channel();
    let (go_tx, go_rx) = mpsc::channel::<()>();
    let after_yield = Arc::new(AtomicBool::new(false));
    let (dropped_tx, dropped_rx) = mpsc::channel();
    let task = {
        let after_yield = after_yield.clone();
        ex.spawn(async move {
            let _guard = SendOnDrop(dropped_tx);
            in_poll_tx.send(()).unwrap();
            go_rx.recv_timeout(TIMEOUT).expect("the canceller says go");
            yield_now().await;
            after_yield.store(true, Ordering::SeqCst);
        })
    };
    let (task_tx, task_rx) = oneshot::channel();
    // Another thread cancels while the task is blocked inside its poll (on a worker,
    // or on the `block_on` thread of a single-thread executor).
    let canceller = thread::spawn(move || {
        in_poll_rx.recv_timeout(TIMEOUT).expect("the task runs");
        task.cancel();
        go_tx.send(()).unwrap();
        let _ = task_tx.send(task);
    });
    let res = ex.block_on(async move { task_rx.await.unwrap().await });
    canceller.join().unwrap();
    let err = res.unwrap_err();
    assert!(err.is_cancelled(), "{err:?}");
    assert!(
        !after_yield.load(Ordering::SeqCst),
        "the task went past a suspension point after it was cancelled"
    );
    assert_eq!(dropped_rx.try_recv(), Ok(()));
}

fn cancel_after_completion(ex: Executor) {
    let input = 21u64;
    let task = ex.spawn(async move { input * 2 });
    wait_finished(&ex, &task);
    task.cancel();
    task.cancel(); // twice is harmless
    assert!(task.is_finished());
    assert!(!task::all().iter().any(|i| i.id() == task.id()));
    assert_eq!(ex.block_on(task).unwrap(), input * 2, "the result is kept");
}

// ---------------------------------------------------------------------------------
// Detaching.

fn detached_task_keeps_running(ex: Executor) {
    // Dropping the handle.
    let (gate_tx, gate_rx) = oneshot::channel::<u32>();
    let (done_tx, done_rx) = oneshot::channel();
    let task = ex.spawn(async move {
        let v = gate_rx.await.unwrap();
        yield_now().await;
        done_tx.send(v + 1).unwrap();
    });
    drop(task);
    gate_tx.send(41).unwrap();
    assert_eq!(ex.block_on(done_rx).unwrap(), 42);

    // `detach`.
    let (gate_tx, gate_rx) = oneshot::channel::<u32>();
    let (done_tx, done_rx) = oneshot::channel();
    ex.spawn(async move {
        let v = gate_rx.await.unwrap();
        yield_now().await;
        done_tx.send(v * 3).unwrap();
    })
    .detach();
    gate_tx.send(5).unwrap();
    assert_eq!(ex.block_on(done_rx).unwrap(), 15);

    if !is_single(&ex) {
        // With nobody awaiting anything: the workers finish it on their own.
        let (gate_tx, gate_rx) = oneshot::channel::<u32>();
        let (done_tx, done_rx) = mpsc::channel();
        ex.spawn(async move {
            let v = gate_rx.await.unwrap();
            yield_now().await;
            done_tx.send(v).unwrap();
        })
        .detach();
        gate_tx.send(9).unwrap();
        assert_eq!(done_rx.recv_timeout(TIMEOUT), Ok(9));
    }
}

// ---------------------------------------------------------------------------------
// Panics.

fn panics_come_back_as_join_errors(ex: Executor) {
    let n = 7;
    let task = ex.spawn(async move {
        yield_now().await;
        panic!("boom number {n}");
    });
    let id = task.id();
    let err = ex.block_on(task).unwrap_err();
    assert!(err.is_panic(), "{err:?}");
    assert!(!err.is_cancelled());
    assert_eq!(err.id(), id);
    let shown = err.to_string();
    assert!(shown.contains("boom number 7"), "{shown}");
    assert!(shown.contains("panicked"), "{shown}");
    assert!(format!("{err:?}").contains("boom number 7"));
    let payload = err.into_panic();
    assert_eq!(
        payload.downcast_ref::<String>().map(String::as_str),
        Some("boom number 7")
    );

    // A `&'static str` payload.
    let err = ex
        .block_on(ex.spawn(async { panic!("static boom") }))
        .unwrap_err();
    assert!(err.to_string().contains("static boom"), "{err}");
    assert_eq!(
        err.into_panic().downcast_ref::<&str>(),
        Some(&"static boom")
    );

    // A payload that is not text.
    let err = ex
        .block_on(ex.spawn(async { panic::panic_any(0xC0FFEE_u32) }))
        .unwrap_err();
    assert!(err.is_panic());
    assert!(err.to_string().contains("panicked"), "{err}");
    assert_eq!(err.into_panic().downcast_ref::<u32>(), Some(&0xC0FFEE));

    // `resume_unwind` carries the payload on.
    let err = ex
        .block_on(ex.spawn(async { panic!("resumed") }))
        .unwrap_err();
    let resumed = panic::catch_unwind(AssertUnwindSafe(|| err.resume_unwind())).unwrap_err();
    assert_eq!(panic_text(resumed.as_ref()).as_deref(), Some("resumed"));
}

fn panicking_tasks_keep_the_executor_running(ex: Executor) {
    const PANICS: usize = 100;
    let tasks: Vec<Task<()>> = (0..PANICS)
        .map(|i| {
            ex.spawn(async move {
                if i % 2 == 0 {
                    yield_now().await;
                }
                panic!("expected panic {i}");
            })
        })
        .collect();
    for (i, t) in tasks.into_iter().enumerate() {
        let err = ex.block_on(t).unwrap_err();
        assert!(err.is_panic());
        assert!(err.to_string().contains(&format!("expected panic {i}")));
    }
    // Further tasks still run.
    let sum = ex.block_on(async {
        let tasks: Vec<Task<usize>> = (0..100)
            .map(|i| weft_executor::spawn(async move { i * 2 }))
            .collect();
        let mut sum = 0;
        for t in tasks {
            sum += t.await.unwrap();
        }
        sum
    });
    assert_eq!(sum, (0..100).map(|i| i * 2).sum::<usize>());
    if is_single(&ex) {
        return;
    }
    // ... on both workers: pairs of tasks that can only finish if they run at the same
    // time, which takes two live workers.
    for round in 0..3 {
        let (to_a, from_b) = mpsc::channel::<ThreadId>();
        let (to_b, from_a) = mpsc::channel::<ThreadId>();
        let rendezvous = |tx: mpsc::Sender<ThreadId>, rx: mpsc::Receiver<ThreadId>| async move {
            let me = thread::current();
            tx.send(me.id()).unwrap();
            let other = rx.recv_timeout(TIMEOUT);
            (me.id(), me.name().map(String::from), other)
        };
        let a = ex.spawn(rendezvous(to_b, from_b));
        let b = ex.spawn(rendezvous(to_a, from_a));
        let (a_id, a_name, a_saw) = a.join_blocking().unwrap();
        let (b_id, b_name, b_saw) = b.join_blocking().unwrap();
        assert_eq!(
            a_saw,
            Ok(b_id),
            "round {round}: the two tasks never ran together"
        );
        assert_eq!(
            b_saw,
            Ok(a_id),
            "round {round}: the two tasks never ran together"
        );
        assert_ne!(a_id, b_id);
        assert_eq!(a_name.as_deref(), Some(WORKER));
        assert_eq!(b_name.as_deref(), Some(WORKER));
    }
}

// ---------------------------------------------------------------------------------
// Outputs of detached tasks.

/// An output that reports its drop.
struct Output(fmpsc::UnboundedSender<usize>, usize);

impl Drop for Output {
    fn drop(&mut self) {
        let _ = self.0.unbounded_send(self.1);
    }
}

fn detached_output_is_dropped(ex: Executor) {
    const N: usize = 20;
    let (drop_tx, mut drop_rx) = fmpsc::unbounded();
    // Handles dropped before the tasks complete.
    let mut gates = Vec::new();
    for i in 0..N {
        let (gate_tx, gate_rx) = oneshot::channel::<()>();
        let drop_tx = drop_tx.clone();
        drop(ex.spawn(async move {
            gate_rx.await.unwrap();
            Output(drop_tx, i)
        }));
        gates.push(gate_tx);
    }
    for g in gates {
        g.send(()).unwrap();
    }
    let dropped: HashSet<usize> = ex.block_on(async {
        let mut seen = HashSet::new();
        while seen.len() < N {
            let i = drop_rx.next().await.unwrap();
            assert!(seen.insert(i), "output {i} dropped twice");
        }
        seen
    });
    assert_eq!(dropped, (0..N).collect());

    // A handle dropped after its task completed: the stored output goes with it.
    let task = ex.spawn({
        let drop_tx = drop_tx.clone();
        async move { Output(drop_tx, N) }
    });
    wait_finished(&ex, &task);
    assert!(
        drop_rx.try_recv().unwrap_err().is_empty(),
        "nothing dropped while the handle lives"
    );
    drop(task);
    assert_eq!(drop_rx.try_recv().ok(), Some(N));

    // A joined output is the joiner's, and dropped exactly once.
    let out = ex
        .block_on(ex.spawn({
            let drop_tx = drop_tx.clone();
            async move { Output(drop_tx, N + 1) }
        }))
        .unwrap();
    assert!(drop_rx.try_recv().unwrap_err().is_empty());
    drop(out);
    assert_eq!(drop_rx.try_recv().ok(), Some(N + 1));
    // Every output was dropped: no sender is left but ours.
    drop(drop_tx);
    assert!(
        drop_rx.try_recv().unwrap_err().is_closed(),
        "an output leaked"
    );
}

// ---------------------------------------------------------------------------------
// Names, ids, locations, `current` and `all`.

fn names_and_ids(ex: Executor) {
    let handle = ex.handle();
    let named = Builder::new()
        .name("alpha")
        .spawn_on(&handle, async { task::current().unwrap() });
    assert_eq!(named.name(), Some("alpha"));
    let id = named.id();
    let info: TaskInfo = ex.block_on(named).unwrap();
    assert_eq!(info.name(), Some("alpha"));
    assert_eq!(info.id(), id);
    assert_eq!(info.state(), TaskState::Running);

    // A name given to a task spawned on the current executor, from inside.
    let inner = ex.block_on(async {
        let t = Builder::new()
            .name(String::from("beta"))
            .spawn(async { task::current().unwrap().name().map(String::from) });
        assert_eq!(t.name(), Some("beta"));
        t.await.unwrap()
    });
    assert_eq!(inner.as_deref(), Some("beta"));

    // No name.
    let unnamed = ex.spawn(async { task::current().unwrap().name().map(String::from) });
    assert_eq!(unnamed.name(), None);
    assert_eq!(ex.block_on(unnamed).unwrap(), None);

    // `all` shows names.
    let (gate_tx, gate_rx) = oneshot::channel::<()>();
    let pending = Builder::new().name("gamma").spawn_on(&handle, gate_rx);
    let listed = task::all()
        .into_iter()
        .find(|i| i.id() == pending.id())
        .expect("a pending task is listed");
    assert_eq!(listed.name(), Some("gamma"));
    gate_tx.send(()).unwrap();
    ex.block_on(pending).unwrap().unwrap();

    // Ids are unique, and what `current` says inside.
    let tasks: Vec<Task<TaskId>> = (0..1000)
        .map(|_| ex.spawn(async { task::current().unwrap().id() }))
        .collect();
    let ids: Vec<TaskId> = tasks.iter().map(Task::id).collect();
    let unique: HashSet<TaskId> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "task ids are unique");
    let numbers: HashSet<u64> = ids.iter().map(|i| i.as_u64()).collect();
    assert_eq!(numbers.len(), ids.len());
    for (t, id) in tasks.into_iter().zip(ids) {
        assert_eq!(ex.block_on(t).unwrap(), id);
    }
    // Another executor does not reuse them.
    let other = Executor::new(1).unwrap();
    let t = other.spawn(async {});
    assert!(!unique.contains(&t.id()));
    t.join_blocking().unwrap();
}

fn spawn_location(ex: Executor) {
    let handle = ex.handle();
    let loc = |t: Task<TaskInfo>| {
        let info = ex.block_on(t).unwrap();
        assert_eq!(info.location().file(), file!());
        info.location().line()
    };
    #[rustfmt::skip]
    let (t, line) = (ex.spawn(async { task::current().unwrap() }), line!());
    assert_eq!(loc(t), line, "Executor::spawn");
    #[rustfmt::skip]
    let (t, line) = (handle.spawn(async { task::current().unwrap() }), line!());
    assert_eq!(loc(t), line, "Handle::spawn");
    #[rustfmt::skip]
    let (t, line) = (Builder::new().name("x").spawn_on(&handle, async { task::current().unwrap() }), line!());
    assert_eq!(loc(t), line, "Builder::spawn_on");
    #[rustfmt::skip]
    let (t, line) = ex.block_on(async { (weft_executor::spawn(async { task::current().unwrap() }), line!()) });
    assert_eq!(loc(t), line, "weft_executor::spawn");
    #[rustfmt::skip]
    let (t, line) = ex.block_on(async { (Builder::new().spawn(async { task::current().unwrap() }), line!()) });
    assert_eq!(loc(t), line, "Builder::spawn");
    // As `all` reports it.
    let (gate_tx, gate_rx) = oneshot::channel::<()>();
    #[rustfmt::skip]
    let (t, line) = (ex.spawn(gate_rx), line!());
    let info = task::all().into_iter().find(|i| i.id() == t.id()).unwrap();
    assert_eq!(info.location().line(), line, "task::all");
    gate_tx.send(()).unwrap();
    ex.block_on(t).unwrap().unwrap();
}

fn current_and_all(ex: Executor) {
    assert!(task::current().is_none(), "no task outside the executor");
    assert!(Handle::try_current().is_none());
    let listed = |id: TaskId| task::all().iter().any(|i| i.id() == id);

    // Inside a task: itself, and the executor is current.
    let t = ex.spawn(async {
        (
            task::current().map(|i| i.id()),
            Handle::try_current().is_some(),
        )
    });
    let id = t.id();
    let (seen, has_handle) = ex.block_on(t).unwrap();
    assert_eq!(seen, Some(id));
    assert!(has_handle);
    assert!(task::current().is_none(), "nothing lingers after the task");

    // A pending task is listed until it completes.
    let (gate_tx, gate_rx) = oneshot::channel::<u8>();
    let (started_tx, started_rx) = oneshot::channel();
    let t = ex.spawn(async move {
        started_tx.send(()).unwrap();
        gate_rx.await.unwrap()
    });
    let id = t.id();
    assert!(listed(id));
    ex.block_on(started_rx).unwrap();
    let info = task::all().into_iter().find(|i| i.id() == id).unwrap();
    assert_ne!(info.state(), TaskState::Done);
    assert!(ex.handle().tasks().iter().any(|i| i.id() == id));
    gate_tx.send(3).unwrap();
    assert_eq!(ex.block_on(t).unwrap(), 3);
    assert!(!listed(id), "a completed task is no longer listed");
    assert!(!ex.handle().tasks().iter().any(|i| i.id() == id));

    // ... or is cancelled.
    let t = ex.spawn(std::future::pending::<()>());
    let id = t.id();
    assert!(listed(id));
    t.cancel();
    assert!(ex.block_on(t).unwrap_err().is_cancelled());
    assert!(!listed(id), "a cancelled task is no longer listed");

    // ... or panics.
    let t = ex.spawn(async { panic!("expected") });
    let id = t.id();
    assert!(ex.block_on(t).unwrap_err().is_panic());
    assert!(!listed(id), "a panicked task is no longer listed");
}

// ---------------------------------------------------------------------------------
// Eager tasks.

fn eager_start(ex: Executor) {
    let handle = ex.handle();
    let here = thread::current().id();

    // The first poll runs inline, up to the first suspension point.
    let started = Arc::new(AtomicBool::new(false));
    let finished = Arc::new(AtomicBool::new(false));
    let (gate_tx, gate_rx) = oneshot::channel::<u32>();
    let first_poll_thread = Arc::new(Mutex::new(None));
    let task = {
        let (started, finished) = (started.clone(), finished.clone());
        let first_poll_thread = first_poll_thread.clone();
        Builder::new().eager(true).spawn_on(&handle, async move {
            *first_poll_thread.lock().unwrap() = Some(thread::current().id());
            started.store(true, Ordering::SeqCst);
            let v = gate_rx.await.unwrap();
            finished.store(true, Ordering::SeqCst);
            v + 1
        })
    };
    assert!(
        started.load(Ordering::SeqCst),
        "the first poll ran before spawn returned"
    );
    assert_eq!(*first_poll_thread.lock().unwrap(), Some(here));
    assert!(!finished.load(Ordering::SeqCst));
    assert!(!task.is_finished());
    gate_tx.send(9).unwrap();
    assert_eq!(ex.block_on(task).unwrap(), 10);
    assert!(finished.load(Ordering::SeqCst));

    // A task that does not wait is finished when spawn returns.
    let input = 17u64;
    let task = Builder::new()
        .eager(true)
        .spawn_on(&handle, async move { input * 3 });
    assert!(task.is_finished());
    assert!(!task::all().iter().any(|i| i.id() == task.id()));
    assert_eq!(ex.block_on(task).unwrap(), input * 3);

    // A lazy task has not run when spawn returns (nothing can run it meanwhile).
    let releases = occupy_workers(&ex);
    let lazy_started = Arc::new(AtomicBool::new(false));
    let task = {
        let lazy_started = lazy_started.clone();
        handle.spawn(async move { lazy_started.store(true, Ordering::SeqCst) })
    };
    assert!(!lazy_started.load(Ordering::SeqCst));
    drop(releases);
    ex.block_on(task).unwrap();
    assert!(lazy_started.load(Ordering::SeqCst));

    // An eager task that panics in its first poll reports it; the spawner goes on.
    let task = Builder::new()
        .eager(true)
        .spawn_on(&handle, async { panic!("eager boom") });
    assert!(task.is_finished());
    let err = ex.block_on(task).unwrap_err();
    assert!(err.to_string().contains("eager boom"), "{err}");
}

/// `Builder::eager` with `Builder::spawn`, on the current executor: from inside a
/// task, where `current` must be the inner task during its first poll and the outer
/// one again afterwards, and from inside `block_on`.
fn eager_spawn_on_the_current_executor(ex: Executor) {
    // A task spawned eagerly from inside another: `current` is the inner task during
    // its first poll, and the outer one again afterwards.
    let outer = ex.spawn(async {
        let before = task::current().unwrap().id();
        let inner = Builder::new()
            .eager(true)
            .spawn(async { task::current().unwrap().id() });
        let after = task::current().unwrap().id();
        let inner_id = inner.id();
        (before, after, inner_id, inner.await.unwrap())
    });
    let outer_id = outer.id();
    let (before, after, inner_id, inner_seen) = ex.block_on(outer).unwrap();
    assert_eq!(before, outer_id);
    assert_eq!(after, outer_id);
    assert_eq!(inner_seen, inner_id);
    assert_ne!(inner_id, outer_id);

    // Eagerly from inside `block_on`, with a yield: it finishes later.
    let out = ex.block_on(async {
        let marker = Arc::new(AtomicBool::new(false));
        let t = {
            let marker = marker.clone();
            Builder::new().eager(true).spawn(async move {
                marker.store(true, Ordering::SeqCst);
                yield_now().await;
                7u8
            })
        };
        assert!(marker.load(Ordering::SeqCst));
        t.await.unwrap()
    });
    assert_eq!(out, 7);
}

/// A task's future finds its header through the thread it runs on, so whatever
/// runs or drops other tasks inside its poll (an eager spawn; a `LocalExecutor` run
/// and dropped there) must leave the thread pointing at it again: otherwise it would
/// finish as, or unregister, another task.
fn runs_and_drops_nest_inside_a_task(ex: Executor) {
    let listed = |id: TaskId| task::all().iter().any(|i| i.id() == id);
    let (gate_tx, gate_rx) = oneshot::channel::<u8>();
    let outer = ex.spawn(async move {
        let me = task::current().unwrap().id();
        // A local executor: one task run here, others dropped here, unrun.
        let dropped: Vec<_> = {
            let local = LocalExecutor::new();
            let ran = local.spawn(async { task::current().unwrap().id() });
            let ran_id = ran.id();
            assert_eq!(local.block_on(ran).unwrap(), ran_id);
            (0..3)
                .map(|_| local.spawn(std::future::pending::<()>()))
                .collect()
        };
        let dropped_ids: Vec<TaskId> = dropped.iter().map(Task::id).collect();
        for t in dropped {
            assert!(t.await.unwrap_err().is_cancelled());
        }
        assert_eq!(task::current().unwrap().id(), me);
        // Eager, last: runs here, then waits on the gate. This task then finishes in
        // this same poll, and its future is dropped right after, as itself.
        let waiting = Builder::new().eager(true).spawn(gate_rx);
        assert_eq!(task::current().unwrap().id(), me);
        (waiting, dropped_ids)
    });
    let outer_id = outer.id();
    let (waiting, dropped_ids) = ex.block_on(outer).unwrap();
    wait_until(|| !listed(outer_id));
    assert!(listed(waiting.id()), "the eager task waits, still listed");
    assert!(dropped_ids.iter().all(|&id| !listed(id)));
    gate_tx.send(9).unwrap();
    assert_eq!(ex.block_on(waiting).unwrap(), Ok(9));
}

/// A task's name lives as long as the task: freed with it, however it ends.
fn names_are_freed(ex: Executor) {
    let name: Arc<str> = Arc::from("freed");
    let handle = ex.handle();
    let t = Builder::new().name(name.clone()).spawn_on(&handle, async {
        task::current().unwrap().name().map(String::from)
    });
    assert_eq!(ex.block_on(t).unwrap().as_deref(), Some("freed"));
    let pending = Builder::new()
        .name(name.clone())
        .spawn_on(&handle, std::future::pending::<()>());
    let info = task::all().into_iter().find(|i| i.id() == pending.id());
    assert_eq!(info.unwrap().name(), Some("freed"));
    drop(ex);
    assert_eq!(pending.name(), Some("freed"));
    assert!(pending.join_blocking().unwrap_err().is_cancelled());
    assert_eq!(Arc::strong_count(&name), 1, "every task's name was freed");
}

/// Waits until `cond` holds (a worker may still be finishing a run), or fails.
fn wait_until(cond: impl Fn() -> bool) {
    let start = std::time::Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < TIMEOUT,
            "condition not met in {TIMEOUT:?}"
        );
        thread::sleep(Duration::from_millis(1));
    }
}

// ---------------------------------------------------------------------------------
// yield_now.

#[test]
fn yield_now_interleaves_two_tasks() {
    within(|| {
        let ex = single();
        const ROUNDS: usize = 50;
        let log = Arc::new(Mutex::new(Vec::new()));
        let worker = |who: char| {
            let log = log.clone();
            async move {
                for i in 0..ROUNDS {
                    log.lock().unwrap().push((who, i));
                    yield_now().await;
                }
            }
        };
        ex.block_on(async {
            let a = weft_executor::spawn(worker('a'));
            let b = weft_executor::spawn(worker('b'));
            a.await.unwrap();
            b.await.unwrap();
        });
        let log = log.lock().unwrap();
        assert_eq!(log.len(), 2 * ROUNDS);
        for who in ['a', 'b'] {
            let mine: Vec<usize> = log.iter().filter(|e| e.0 == who).map(|e| e.1).collect();
            assert_eq!(mine, (0..ROUNDS).collect::<Vec<_>>(), "{who} in order");
        }
        for pair in log.windows(2) {
            assert_ne!(pair[0].0, pair[1].0, "the tasks alternate: {log:?}");
        }
    });
}

#[test]
fn yield_now_lets_a_task_finish_on_a_multi_thread_executor() {
    within(|| {
        let ex = multi();
        let n = ex.block_on(ex.spawn(async {
            let mut n = 0u32;
            for _ in 0..1000 {
                yield_now().await;
                n += 1;
            }
            n
        }));
        assert_eq!(n.unwrap(), 1000);
    });
}

// ---------------------------------------------------------------------------------
// Shutdown.

fn shutdown_drops_pending_tasks(ex: Executor) {
    const IDLE: usize = 10;
    const QUEUED: usize = 10;
    let drops = DropCounter::default();
    let mut tasks = Vec::new();
    // Tasks that started and wait forever; their wakers are kept alive here.
    let mut senders = Vec::new();
    let (started_tx, mut started_rx) = fmpsc::unbounded();
    for _ in 0..IDLE {
        let (tx, rx) = oneshot::channel::<()>();
        let guard = drops.guard();
        let started_tx = started_tx.clone();
        tasks.push(ex.spawn(async move {
            let _guard = guard;
            started_tx.unbounded_send(()).unwrap();
            let _ = rx.await;
        }));
        senders.push(tx);
    }
    ex.block_on(async {
        for _ in 0..IDLE {
            started_rx.next().await.unwrap();
        }
    });
    // Tasks that never start: queued behind busy workers, which are released only
    // once the executor is shutting down.
    let never_ran = Arc::new(AtomicBool::new(false));
    let releases = occupy_workers(&ex);
    for _ in 0..QUEUED {
        let guard = drops.guard();
        let never_ran = never_ran.clone();
        tasks.push(ex.spawn(async move {
            let _guard = guard;
            never_ran.store(true, Ordering::SeqCst);
            std::future::pending::<()>().await;
        }));
    }
    assert_eq!(drops.count(), 0);
    let ids: Vec<TaskId> = tasks.iter().map(Task::id).collect();
    let releaser = release_after_shutdown_starts(ex.handle(), releases);
    ex.shutdown();
    releaser.join().unwrap();
    assert_eq!(
        drops.count(),
        IDLE + QUEUED,
        "every pending task was dropped"
    );
    assert!(
        !never_ran.load(Ordering::SeqCst),
        "a queued task ran during shutdown"
    );
    let all = task::all();
    for id in &ids {
        assert!(!all.iter().any(|i| i.id() == *id), "task {id} still listed");
    }
    for t in tasks {
        let err = t.join_blocking().unwrap_err();
        assert!(err.is_cancelled(), "{err:?}");
    }
    // The senders see their receivers gone.
    assert!(senders.iter().all(oneshot::Sender::is_canceled));
}

/// Drops `releases` (letting the workers' blocking tasks return) once `handle`'s
/// executor has begun shutting down, as seen by a spawn that comes back already
/// cancelled.
fn release_after_shutdown_starts(
    handle: Handle,
    releases: Vec<mpsc::Sender<()>>,
) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        loop {
            let probe = handle.spawn(async {});
            if probe.is_finished() {
                let err = probe.join_blocking().unwrap_err();
                assert!(err.is_cancelled(), "{err:?}");
                break;
            }
            probe.detach();
            thread::yield_now();
        }
        drop(releases);
    })
}

fn spawn_after_shutdown_is_cancelled(ex: Executor) {
    let handle = ex.handle();
    drop(ex);
    let ran = Arc::new(AtomicBool::new(false));
    let drops = DropCounter::default();
    let task = {
        let ran = ran.clone();
        let guard = drops.guard();
        handle.spawn(async move {
            let _guard = guard;
            ran.store(true, Ordering::SeqCst);
        })
    };
    let err = task.join_blocking().unwrap_err();
    assert!(err.is_cancelled(), "{err:?}");
    assert!(!ran.load(Ordering::SeqCst));
    assert_eq!(drops.count(), 1);
}

// ---------------------------------------------------------------------------------
// Misuse.

#[test]
fn spawn_outside_an_executor_panics_with_advice() {
    within(|| {
        let ran = Arc::new(AtomicBool::new(false));
        let flag = ran.clone();
        let err = panic::catch_unwind(move || {
            weft_executor::spawn(async move { flag.store(true, Ordering::SeqCst) }).detach();
        })
        .unwrap_err();
        let msg = panic_text(err.as_ref()).expect("a text message");
        assert!(msg.contains("runtime"), "{msg}");
        assert!(msg.contains("spawn"), "{msg}");
        assert!(!ran.load(Ordering::SeqCst));
        let err =
            panic::catch_unwind(|| Builder::new().name("n").spawn(async {}).detach()).unwrap_err();
        assert!(panic_text(err.as_ref()).unwrap().contains("runtime"));
        assert!(panic::catch_unwind(Handle::current).is_err());
    });
}

fn block_on_inside_a_task_panics(ex: Executor) {
    let other = Arc::new(multi());
    let inner = other.clone();
    let task = ex.spawn(async move { inner.block_on(async { 1 }) });
    let err = ex.block_on(task).unwrap_err();
    assert!(err.is_panic(), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("block_on"), "{msg}");
    // Its own executor too.
    let own = ex.handle();
    let task = ex.spawn(async move { own.block_on(async { 2 }) });
    let err = ex.block_on(task).unwrap_err();
    assert!(err.to_string().contains("block_on"), "{err}");
    // Both executors still work.
    assert_eq!(ex.block_on(ex.spawn(async { 3 })).unwrap(), 3);
    assert_eq!(other.block_on(other.spawn(async { 4 })).unwrap(), 4);
}

#[test]
fn zero_worker_threads_is_an_error() {
    let err = Executor::builder().worker_threads(0).build().unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("worker_threads"), "{err}");
    assert_eq!(
        Executor::new(0).unwrap_err().kind(),
        io::ErrorKind::InvalidInput
    );
    // One is fine.
    let ex = Executor::new(1).unwrap();
    assert_eq!(ex.handle().worker_threads(), 1);
}

#[test]
fn handles_of_one_executor_spawn_on_it() {
    within(|| {
        let a = multi();
        let b = multi();
        let (ha, hb) = (a.handle(), b.handle());
        // `Handle::current` inside a task of `a` spawns on `a`.
        let (inner_gate_tx, inner_gate_rx) = oneshot::channel::<u8>();
        let ta = ha.spawn(async {
            let inner = Handle::current().spawn(inner_gate_rx);
            (inner.id(), inner)
        });
        let (inner_id, inner) = ta.join_blocking().unwrap();
        assert!(ha.tasks().iter().any(|i| i.id() == inner_id));
        assert!(!hb.tasks().iter().any(|i| i.id() == inner_id));
        inner_gate_tx.send(1).unwrap();
        assert_eq!(inner.join_blocking().unwrap(), Ok(1));
        // Each executor's tasks are its own.
        let (gate_tx, gate_rx) = oneshot::channel::<()>();
        let t = hb.spawn(gate_rx);
        assert!(hb.tasks().iter().any(|i| i.id() == t.id()));
        assert!(!ha.tasks().iter().any(|i| i.id() == t.id()));
        gate_tx.send(()).unwrap();
        t.join_blocking().unwrap().unwrap();
    });
}

/// A `JoinError` is an error type that can travel.
#[test]
fn join_error_is_a_std_error() {
    fn assert_error<E: std::error::Error + Send + 'static>() {}
    assert_error::<JoinError>();
    within(|| {
        let ex = multi();
        let err: Box<dyn std::error::Error + Send> = Box::new(
            ex.spawn(async { panic!("carried") })
                .join_blocking()
                .unwrap_err(),
        );
        assert!(err.to_string().contains("carried"));
    });
}

/// A finished task leaves its registry entry (which holds the task's allocation, and
/// with it the task's name) to be swept; spawns that would grow the registry sweep it
/// once enough of it is dead, so finished tasks do not pile up.
#[test]
fn finished_tasks_are_freed_by_later_spawns() {
    let ex = LocalExecutor::new();
    let run_all = |tasks: Vec<Task<()>>| {
        ex.block_on(async {
            for t in tasks {
                t.await.unwrap();
            }
        })
    };
    let name: Arc<str> = "short-lived".into();
    run_all(
        (0..1_000)
            .map(|_| ex.spawn_with_builder(Builder::new().name(name.clone()), async {}))
            .collect(),
    );
    // A sweep leaves at most a quarter of a shard dead (workers of other executors
    // in this process may also sweep it meanwhile): three more rounds of as many
    // tasks sweep the first round's for sure.
    for _ in 0..3 {
        run_all((0..1_000).map(|_| ex.spawn(async {})).collect());
    }
    assert_eq!(
        Arc::strong_count(&name),
        1,
        "the finished tasks were not freed"
    );
}

/// A handle polled again after it gave its output says so, rather than reporting a
/// cancellation.
#[test]
fn polling_a_handle_after_its_output_panics_clearly() {
    let ex = Executor::new(1).unwrap();
    let mut t = ex.spawn(async { 1 });
    assert_eq!(ex.block_on(&mut t).unwrap(), 1);
    let again = panic::catch_unwind(AssertUnwindSafe(|| ex.block_on(&mut t)));
    let msg = again.unwrap_err();
    let msg = msg.downcast_ref::<&str>().copied().unwrap_or_default();
    assert!(msg.contains("not polled after it completed"), "{msg}");
}
