//! The composed runtime (executor + reactor): tasks, I/O, timers, `call_later`,
//! `to_thread`, reuse of a `Runtime`, single-thread runtimes, and misuse; on a
//! 2-worker runtime, a single-thread runtime and `weft::run`.
//!
//! Every test body runs under a watchdog (`within`): a deadlock or a lost wake-up
//! fails the test after `WATCHDOG` instead of hanging the run. Waits inside the
//! bodies are on events (channels, joins), with `TIMEOUT` as a generous bound.

use std::any::Any;
use std::collections::HashSet;
use std::future::Future;
use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Barrier};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use futures::channel::{mpsc as fmpsc, oneshot};
use futures::{AsyncReadExt, StreamExt};
use weft::reactor::Async;
use weft::reactor::driver::Driver;
use weft::task::{self, TaskId};
use weft::{Handle, Runtime, Task};

/// How long a test waits for one event before it calls it lost.
const TIMEOUT: Duration = Duration::from_secs(30);
/// How long a whole test body may take before it is deemed deadlocked.
const WATCHDOG: Duration = Duration::from_secs(60);
/// The multi-thread runtimes' worker thread name.
const WORKER: &str = "rt-worker";

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

fn multi() -> Runtime {
    weft::runtime::Builder::default()
        .worker_threads(2)
        .thread_name(WORKER)
        .build()
        .expect("a 2-worker runtime")
}

fn single() -> Runtime {
    Runtime::builder()
        .single_thread()
        .build()
        .expect("a single-thread runtime")
}

fn is_single(rt: &Runtime) -> bool {
    rt.handle().is_single_thread()
}

/// For each name, a module with a `multi_thread` and a `single_thread` test that run
/// the function of that name on a fresh runtime of each kind.
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

/// For each name of an `async fn`, a module with tests that run it inside
/// `weft::run`, and inside `block_on` of a 2-worker and of a single-thread runtime.
macro_rules! on_every_runtime {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn weft_run() {
                super::within(|| weft::run(super::$name()));
            }
            #[test]
            fn multi_thread() {
                super::within(|| super::multi().block_on(super::$name()));
            }
            #[test]
            fn single_thread() {
                super::within(|| super::single().block_on(super::$name()));
            }
        }
    )*};
}

on_both!(
    spawn_and_join,
    many_tasks,
    nested_spawns,
    remote_spawns_from_threads,
    cancel_while_sleeping,
    cancel_while_reading,
    detached_task_keeps_running,
    panicking_tasks_keep_the_runtime_running,
    names_and_current,
    block_on_inside_a_worker_panics,
    runtime_is_reusable,
    tasks_run_where_they_should,
    spawn_from_another_thread_during_block_on,
);

on_every_runtime!(
    sleep_in_spawned_tasks,
    unix_stream_read_in_a_spawned_task,
    call_later_fires,
    cancelled_call_later_never_fires,
    call_at_fires,
    to_thread_returns_a_value,
);

/// The text of a panic payload (`&str` or `String`).
fn panic_text(payload: &(dyn Any + Send)) -> Option<String> {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
}

/// Sends on a channel when dropped.
struct SendOnDrop(mpsc::Sender<()>);

impl Drop for SendOnDrop {
    fn drop(&mut self) {
        let _ = self.0.send(());
    }
}

// ---------------------------------------------------------------------------------
// Tasks on the runtime.

fn spawn_and_join(rt: Runtime) {
    let inputs = [2u64, 3, 5, 7];
    // From outside, through the runtime and its handle.
    let outside: Vec<Task<u64>> = inputs
        .iter()
        .map(|&n| rt.spawn(async move { n * 10 }))
        .collect();
    let handle: Handle = rt.handle();
    let via_handle: Vec<Task<u64>> = inputs
        .iter()
        .map(|&n| handle.spawn(async move { n + 1000 }))
        .collect();
    let inside = rt.block_on(async {
        let tasks: Vec<Task<u64>> = inputs
            .iter()
            .map(|&n| {
                weft::spawn(async move {
                    weft::yield_now().await;
                    n * n
                })
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    });
    assert_eq!(inside, inputs.iter().map(|n| n * n).collect::<Vec<_>>());
    for (t, n) in outside.into_iter().zip(inputs) {
        assert_eq!(rt.block_on(t).unwrap(), n * 10);
    }
    for (t, n) in via_handle.into_iter().zip(inputs) {
        assert_eq!(rt.block_on(t).unwrap(), n + 1000);
    }
    if !is_single(&rt) {
        let t = rt.spawn(async { 6u8 * 7 });
        assert_eq!(t.join_blocking().unwrap(), 42);
    }
}

fn many_tasks(rt: Runtime) {
    const N: u64 = 10_000;
    let results = rt.block_on(async {
        let tasks: Vec<Task<u64>> = (0..N)
            .map(|i| {
                weft::spawn(async move {
                    if i % 500 == 0 {
                        weft::sleep(Duration::from_millis(1)).await;
                    } else {
                        weft::yield_now().await;
                    }
                    i * 7 + 3
                })
            })
            .collect();
        let mut out = Vec::with_capacity(tasks.len());
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    });
    assert_eq!(results.len() as u64, N);
    for (i, v) in results.into_iter().enumerate() {
        assert_eq!(v, i as u64 * 7 + 3, "task {i}");
    }
}

/// A binary tree of tasks, each spawning its two children from inside itself and
/// sleeping a little; returns how many tasks ran.
fn tree(depth: u32) -> Pin<Box<dyn Future<Output = u64> + Send>> {
    Box::pin(async move {
        if depth == 0 {
            weft::sleep(Duration::from_micros(100)).await;
            return 1;
        }
        let left = weft::spawn(tree(depth - 1));
        let right = weft::spawn(tree(depth - 1));
        1 + left.await.unwrap() + right.await.unwrap()
    })
}

fn nested_spawns(rt: Runtime) {
    const DEPTH: u32 = 7;
    assert_eq!(
        rt.block_on(rt.spawn(tree(DEPTH))).unwrap(),
        (1 << (DEPTH + 1)) - 1
    );
}

fn remote_spawns_from_threads(rt: Runtime) {
    const THREADS: usize = 4;
    const PER_THREAD: usize = 100;
    let handle = rt.handle();
    let (results, threads) = rt.block_on(async move {
        let (task_tx, mut task_rx) = fmpsc::unbounded::<Task<(usize, usize)>>();
        let barrier = Arc::new(Barrier::new(THREADS));
        let threads: Vec<_> = (0..THREADS)
            .map(|t| {
                let handle = handle.clone();
                let task_tx = task_tx.clone();
                let barrier = barrier.clone();
                thread::spawn(move || {
                    barrier.wait();
                    for i in 0..PER_THREAD {
                        let task = handle.spawn(async move {
                            if i % 10 == 0 {
                                weft::sleep(Duration::from_micros(200)).await;
                            }
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
    assert_eq!(got.len(), THREADS * PER_THREAD);
    for t in 0..THREADS {
        for i in 0..PER_THREAD {
            assert!(got.contains(&(t, i)), "missing task {i} of thread {t}");
        }
    }
}

fn cancel_while_sleeping(rt: Runtime) {
    rt.block_on(async {
        let (started_tx, started_rx) = oneshot::channel();
        let (dropped_tx, dropped_rx) = mpsc::channel();
        let task = weft::spawn(async move {
            let _guard = SendOnDrop(dropped_tx);
            started_tx.send(()).unwrap();
            weft::sleep(Duration::from_secs(3600)).await;
        });
        started_rx.await.unwrap();
        assert_eq!(dropped_rx.try_recv(), Err(mpsc::TryRecvError::Empty));
        task.cancel();
        let err = task.await.unwrap_err();
        assert!(err.is_cancelled(), "{err:?}");
        assert_eq!(
            dropped_rx.try_recv(),
            Ok(()),
            "the task's locals were dropped"
        );
    });
}

fn cancel_while_reading(rt: Runtime) {
    let (a, b) = UnixStream::pair().unwrap();
    let a = Async::new(a).unwrap();
    rt.block_on(async move {
        let (started_tx, started_rx) = oneshot::channel();
        let task = weft::spawn(async move {
            let mut a = a;
            started_tx.send(()).unwrap();
            let mut buf = [0u8; 8];
            a.read(&mut buf).await
        });
        started_rx.await.unwrap();
        task.cancel();
        let err = task.await.unwrap_err();
        assert!(err.is_cancelled(), "{err:?}");
    });
    // The task's stream was closed with it: the other end sees end-of-file.
    b.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 8];
    assert_eq!((&b).read(&mut buf).unwrap(), 0);
}

fn detached_task_keeps_running(rt: Runtime) {
    let (done_tx, done_rx) = mpsc::channel();
    let (async_tx, async_rx) = oneshot::channel();
    let value = 31u32;
    rt.block_on(async move {
        let task = weft::spawn(async move {
            weft::sleep(Duration::from_millis(2)).await;
            done_tx.send(value).unwrap();
            async_tx.send(value + 1).unwrap();
        });
        drop(task);
    });
    if is_single(&rt) {
        // Tasks run only inside `block_on`.
        assert_eq!(rt.block_on(async_rx).unwrap(), value + 1);
        assert_eq!(done_rx.try_recv(), Ok(value));
    } else {
        // With nobody in `block_on`: the workers finish it, timer and all.
        assert_eq!(done_rx.recv_timeout(TIMEOUT), Ok(value));
    }
}

fn panicking_tasks_keep_the_runtime_running(rt: Runtime) {
    const PANICS: usize = 100;
    let errors = rt.block_on(async {
        let tasks: Vec<Task<()>> = (0..PANICS)
            .map(|i| {
                weft::spawn(async move {
                    if i % 3 == 0 {
                        weft::sleep(Duration::from_micros(100)).await;
                    }
                    panic!("expected panic {i}");
                })
            })
            .collect();
        let mut errors = Vec::new();
        for t in tasks {
            errors.push(t.await.unwrap_err());
        }
        errors
    });
    for (i, err) in errors.into_iter().enumerate() {
        assert!(err.is_panic());
        let payload = err.into_panic();
        assert_eq!(
            panic_text(payload.as_ref()),
            Some(format!("expected panic {i}"))
        );
    }
    // Timers and tasks still work.
    let v = rt.block_on(async {
        weft::spawn(async {
            weft::sleep(Duration::from_millis(1)).await;
            5u8
        })
        .await
        .unwrap()
    });
    assert_eq!(v, 5);
    if is_single(&rt) {
        return;
    }
    // Both workers are alive: pairs of tasks that finish only if they run at once.
    for round in 0..3 {
        let (to_a, from_b) = mpsc::channel::<ThreadId>();
        let (to_b, from_a) = mpsc::channel::<ThreadId>();
        let rendezvous = |tx: mpsc::Sender<ThreadId>, rx: mpsc::Receiver<ThreadId>| async move {
            let me = thread::current();
            tx.send(me.id()).unwrap();
            let other = rx.recv_timeout(TIMEOUT);
            (me.id(), me.name().map(String::from), other)
        };
        let a = rt.spawn(rendezvous(to_b, from_b));
        let b = rt.spawn(rendezvous(to_a, from_a));
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

fn names_and_current(rt: Runtime) {
    assert!(task::current().is_none());
    let (name, id, seen, listed) = rt.block_on(async {
        let (gate_tx, gate_rx) = oneshot::channel::<()>();
        let t = task::Builder::new().name("fetcher").spawn(async move {
            gate_rx.await.unwrap();
            weft::sleep(Duration::from_micros(100)).await;
            task::current().map(|i| (i.id(), i.name().map(String::from)))
        });
        let listed = task::all()
            .into_iter()
            .find(|i| i.id() == t.id())
            .and_then(|i| i.name().map(String::from));
        let (name, id) = (t.name().map(String::from), t.id());
        gate_tx.send(()).unwrap();
        (name, id, t.await.unwrap(), listed)
    });
    assert_eq!(name.as_deref(), Some("fetcher"));
    assert_eq!(listed.as_deref(), Some("fetcher"));
    assert_eq!(seen, Some((id, Some("fetcher".to_owned()))));
    assert!(!task::all().iter().any(|i| i.id() == id));
    // The spawn location, through the runtime.
    #[rustfmt::skip]
    let (t, line) = (rt.spawn(async { task::current().unwrap() }), line!());
    let info = rt.block_on(t).unwrap();
    assert_eq!(
        (info.location().file(), info.location().line()),
        (file!(), line)
    );
    // Unique ids.
    let ids: Vec<TaskId> = (0..100).map(|_| rt.spawn(async {}).id()).collect();
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());
}

// ---------------------------------------------------------------------------------
// Misuse.

#[test]
fn spawn_outside_a_runtime_panics_with_advice() {
    within(|| {
        let err = panic::catch_unwind(|| weft::spawn(async {}).detach()).unwrap_err();
        let msg = panic_text(err.as_ref()).expect("a text message");
        assert!(msg.contains("runtime"), "{msg}");
        let err = panic::catch_unwind(|| {
            drop(weft::call_later(Duration::from_millis(1), || {}));
        })
        .unwrap_err();
        let msg = panic_text(err.as_ref()).expect("a text message");
        assert!(msg.contains("runtime"), "{msg}");
    });
}

fn block_on_inside_a_worker_panics(rt: Runtime) {
    let other = Arc::new(multi());
    let inner = other.clone();
    let err = rt
        .block_on(async move { weft::spawn(async move { inner.block_on(async { 1 }) }).await })
        .unwrap_err();
    assert!(err.is_panic(), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("block_on"), "{msg}");
    // The runtime's own handle, from one of its tasks.
    let err = rt
        .block_on(async { weft::spawn(async { Handle::current().block_on(async { 2 }) }).await })
        .unwrap_err();
    assert!(err.to_string().contains("block_on"), "{err}");
    // `weft::run` too.
    let err = rt
        .block_on(async { weft::spawn(async { weft::run(async { 3 }) }).await })
        .unwrap_err();
    assert!(err.to_string().contains("block_on"), "{err}");
    // Both runtimes still work.
    assert_eq!(rt.block_on(rt.spawn(async { 4 })).unwrap(), 4);
    assert_eq!(other.block_on(other.spawn(async { 5 })).unwrap(), 5);
}

#[test]
fn zero_worker_threads_is_an_error() {
    let err = weft::runtime::Builder::default()
        .worker_threads(0)
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("worker_threads"), "{err}");
    let err = Runtime::builder().worker_threads(0).build().unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    assert!(
        weft::executor::Executor::builder()
            .worker_threads(0)
            .build()
            .is_err()
    );
}

// ---------------------------------------------------------------------------------
// Reuse, and where tasks run.

fn runtime_is_reusable(rt: Runtime) {
    assert_eq!(rt.block_on(async { 1 + 1 }), 2);
    let (gate_tx, gate_rx) = oneshot::channel::<u32>();
    let (done_tx, done_rx) = mpsc::channel();
    let (between, during) = rt.block_on(async {
        let between = weft::spawn(async move {
            let v = gate_rx.await.unwrap();
            weft::sleep(Duration::from_millis(1)).await;
            done_tx.send(v).unwrap();
            v * 2
        });
        let during = weft::spawn(async {
            weft::sleep(Duration::from_millis(5)).await;
            weft::yield_now().await;
            "second"
        });
        (between, during)
    });
    gate_tx.send(21).unwrap();
    if is_single(&rt) {
        // Nothing runs between `block_on` calls on a single-thread runtime.
        assert!(!between.is_finished());
        assert_eq!(done_rx.try_recv(), Err(mpsc::TryRecvError::Empty));
    } else {
        // The workers keep going between `block_on` calls, timers included.
        assert_eq!(done_rx.recv_timeout(TIMEOUT), Ok(21));
    }
    let (a, b) = rt.block_on(async { (between.await.unwrap(), during.await.unwrap()) });
    assert_eq!((a, b), (42, "second"));
    if is_single(&rt) {
        assert_eq!(done_rx.try_recv(), Ok(21), "it ran in the second block_on");
    }
    // And once more.
    assert_eq!(rt.block_on(rt.spawn(async { 3u8 })).unwrap(), 3);
}

fn tasks_run_where_they_should(rt: Runtime) {
    let here = thread::current().id();
    let before = rt.spawn(async { thread::current().id() });
    let (in_block_on, threads) = rt.block_on(async {
        let tasks: Vec<Task<(ThreadId, Option<String>)>> = (0..20)
            .map(|i| {
                weft::spawn(async move {
                    if i % 2 == 0 {
                        weft::sleep(Duration::from_micros(200)).await;
                    } else {
                        weft::yield_now().await;
                    }
                    let me = thread::current();
                    (me.id(), me.name().map(String::from))
                })
            })
            .collect();
        let mut threads = Vec::new();
        for t in tasks {
            threads.push(t.await.unwrap());
        }
        (thread::current().id(), threads)
    });
    let before = rt.block_on(before).unwrap();
    assert_eq!(in_block_on, here, "block_on runs its future on the caller");
    if is_single(&rt) {
        assert_eq!(before, here);
        for (id, _) in &threads {
            assert_eq!(*id, here, "a single-thread runtime's task ran elsewhere");
        }
        // On whichever thread calls `block_on`.
        let rt = Arc::new(rt);
        let rt2 = rt.clone();
        let (there, ran_on) = thread::spawn(move || {
            let ran_on =
                rt2.block_on(async { weft::spawn(async { thread::current().id() }).await });
            (thread::current().id(), ran_on.unwrap())
        })
        .join()
        .unwrap();
        assert_eq!(ran_on, there);
        assert_ne!(there, here);
    } else {
        assert_ne!(before, here);
        for (id, name) in &threads {
            assert_ne!(*id, here, "a task ran on the block_on thread");
            assert_eq!(name.as_deref(), Some(WORKER));
        }
    }
}

fn spawn_from_another_thread_during_block_on(rt: Runtime) {
    let handle = rt.handle();
    let here = thread::current().id();
    let (ran_on, spawner) = rt.block_on(async move {
        let (task_tx, task_rx) = oneshot::channel();
        let spawner = thread::spawn(move || {
            let task = handle.spawn(async {
                weft::sleep(Duration::from_micros(500)).await;
                thread::current().id()
            });
            task_tx.send(task).unwrap();
            thread::current().id()
        });
        let task = task_rx.await.unwrap();
        (task.await.unwrap(), spawner)
    });
    let spawner = spawner.join().unwrap();
    assert_ne!(
        ran_on, spawner,
        "the task ran on the runtime, not the spawner"
    );
    if is_single(&rt) {
        assert_eq!(ran_on, here);
    }
}

// ---------------------------------------------------------------------------------
// I/O, timers and blocking work, inside any runtime.

async fn sleep_in_spawned_tasks() {
    let tasks: Vec<(Duration, Task<Duration>)> = (0..20u64)
        .map(|i| {
            let d = Duration::from_millis(i % 5 * 3 + 1);
            let t = weft::spawn(async move {
                let start = std::time::Instant::now();
                weft::sleep(d).await;
                start.elapsed()
            });
            (d, t)
        })
        .collect();
    for (d, t) in tasks {
        let elapsed = t.await.unwrap();
        assert!(elapsed >= d, "slept {elapsed:?} < {d:?}");
    }
    let start = weft::time::Instant::now();
    let deadline = start + Duration::from_millis(5);
    weft::spawn(weft::sleep_until(deadline)).await.unwrap();
    assert!(weft::time::Instant::now() >= deadline);
}

async fn unix_stream_read_in_a_spawned_task() {
    let (a, mut b) = UnixStream::pair().unwrap();
    let a = Async::new(a).unwrap();
    let first: Vec<u8> = (0..200u32).map(|i| (i * 7 % 251) as u8).collect();
    let second: Vec<u8> = b"and a second message".to_vec();
    let (pending_tx, pending_rx) = mpsc::channel::<()>();
    let (len1, len2) = (first.len(), second.len());
    let reader = weft::spawn(async move {
        let mut a = a;
        // `read_exact` through the futures-io traits.
        let mut buf1 = vec![0u8; len1];
        {
            let mut read = a.read_exact(&mut buf1);
            assert!(
                futures::poll!(&mut read).is_pending(),
                "nothing was written yet"
            );
            pending_tx.send(()).unwrap();
            read.await.unwrap();
        }
        // `read_with`.
        let mut buf2 = Vec::new();
        let mut polled = false;
        while buf2.len() < len2 {
            let mut chunk = [0u8; 64];
            let mut read = a.read_with(|mut s: &UnixStream| s.read(&mut chunk));
            if !polled {
                assert!(
                    futures::poll!(&mut read).is_pending(),
                    "nothing was written yet"
                );
                pending_tx.send(()).unwrap();
                polled = true;
            }
            let n = read.await.unwrap();
            assert_ne!(n, 0, "unexpected end of file");
            buf2.extend_from_slice(&chunk[..n]);
        }
        (buf1, buf2, thread::current().id())
    });
    let (msg1, msg2) = (first.clone(), second.clone());
    let writer = thread::spawn(move || {
        pending_rx.recv_timeout(TIMEOUT).expect("the reader waits");
        b.write_all(&msg1).unwrap();
        pending_rx
            .recv_timeout(TIMEOUT)
            .expect("the reader waits again");
        b.write_all(&msg2).unwrap();
        (b, thread::current().id())
    });
    let (got1, got2, reader_thread) = reader.await.unwrap();
    let (_b, writer_thread) = writer.join().unwrap();
    assert_eq!(got1, first);
    assert_eq!(got2, second);
    assert_ne!(reader_thread, writer_thread);
}

async fn call_later_fires() {
    let (tx, rx) = oneshot::channel();
    let start = weft::time::Instant::now();
    let delay = Duration::from_millis(10);
    let h = weft::call_later(delay, move || {
        let _ = tx.send(weft::time::Instant::now());
    });
    let when = h.when().expect("a representable deadline");
    assert!(when >= start + delay);
    let fired_at = rx.await.expect("the callback ran");
    assert!(fired_at >= when, "fired at {fired_at:?}, due {when:?}");
    while !h.is_finished() {
        weft::yield_now().await;
    }
    // Several at once, each exactly once.
    let (tx, mut rx) = fmpsc::unbounded();
    let handles: Vec<_> = (0..10u64)
        .map(|i| {
            let tx = tx.clone();
            weft::call_later(Duration::from_millis(i % 4), move || {
                tx.unbounded_send(i).unwrap();
            })
        })
        .collect();
    drop(tx);
    let mut fired = Vec::new();
    while let Some(i) = rx.next().await {
        fired.push(i);
    }
    fired.sort_unstable();
    assert_eq!(fired, (0..10).collect::<Vec<_>>());
    assert_eq!(handles.len(), 10);
}

async fn cancelled_call_later_never_fires() {
    let fired = Arc::new(AtomicBool::new(false));
    let h = {
        let fired = fired.clone();
        weft::call_later(Duration::from_millis(5), move || {
            fired.store(true, Ordering::SeqCst);
        })
    };
    h.cancel();
    // Wait for a later timer: past the cancelled one's deadline.
    let (tx, rx) = oneshot::channel();
    let later = weft::call_later(Duration::from_millis(30), move || {
        let _ = tx.send(weft::time::Instant::now());
    });
    let fired_at = rx.await.unwrap();
    assert!(fired_at >= h.when().unwrap());
    assert!(!fired.load(Ordering::SeqCst), "a cancelled callback ran");
    while !h.is_finished() {
        weft::yield_now().await;
    }
    assert!(!fired.load(Ordering::SeqCst));
    assert_eq!(
        Arc::strong_count(&fired),
        1,
        "the cancelled callback was dropped"
    );
    drop(later);
}

async fn call_at_fires() {
    let (tx, rx) = oneshot::channel();
    let at = weft::time::Instant::now() + Duration::from_millis(10);
    let h = weft::call_at(at, move || {
        let _ = tx.send(weft::time::Instant::now());
    });
    assert_eq!(h.when(), Some(at));
    let fired_at = rx.await.unwrap();
    assert!(fired_at >= at);
    // A deadline in the past fires too.
    let (tx, rx) = oneshot::channel();
    let past = weft::time::Instant::now() - Duration::from_millis(1);
    let _h = weft::call_at(past, move || {
        let _ = tx.send(());
    });
    rx.await.unwrap();
}

async fn to_thread_returns_a_value() {
    let here = thread::current().id();
    let input = 12_345u64;
    let (v, there) = weft::to_thread(move || (input * 2, thread::current().id()))
        .await
        .unwrap();
    assert_eq!(v, input * 2);
    assert_ne!(there, here);
    // From a spawned task, with the runtime running meanwhile.
    let (release_tx, release_rx) = mpsc::channel::<u64>();
    let task = weft::spawn(async move {
        weft::to_thread(move || release_rx.recv_timeout(TIMEOUT).unwrap() + 1)
            .await
            .unwrap()
    });
    release_tx.send(41).unwrap();
    assert_eq!(task.await.unwrap(), 42);
    // A panic comes back as an error.
    let err = weft::to_thread(|| -> u8 { panic!("expected blocking panic") }).await;
    assert!(err.is_err());
}

// ---------------------------------------------------------------------------------
// Driving the reactor.

/// The scheduler state (`R`, `S`, ...) of the thread named `name`, from `/proc`.
fn thread_state(name: &str) -> Option<char> {
    for entry in std::fs::read_dir("/proc/self/task").ok()? {
        let Ok(entry) = entry else { continue };
        let Ok(comm) = std::fs::read_to_string(entry.path().join("comm")) else {
            continue;
        };
        if comm.trim_end() != name {
            continue;
        }
        let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
        // "tid (comm) S ...": the state follows the last parenthesis.
        return stat[stat.rfind(')')? + 1..].trim_start().chars().next();
    }
    None
}

/// Set in the child process that `run_alone` starts.
const ALONE: &str = "WEFT_RUNTIME_TEST_ALONE";

/// Runs the test `name` of this binary in a child process of its own, alone, so that
/// no other test's runtime drives the reactor meanwhile; fails if it fails.
fn run_alone(name: &str) {
    let exe = std::env::current_exe().expect("the test binary");
    let child = std::process::Command::new(exe)
        .args(["--exact", name, "--test-threads=1", "--nocapture"])
        .env(ALONE, "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start the child process");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    // The child fails by itself after its own timeouts; this is a last resort.
    let out = rx
        .recv_timeout(WATCHDOG)
        .expect("the child process finishes")
        .expect("the child's output");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{name}, run alone: {}\n{stdout}\n{stderr}",
        out.status
    );
}

/// A runtime whose thread went idle while another thread was driving the reactor
/// must serve its I/O once that driver lets go (as it does when its runtime is
/// dropped): here the test itself holds the driver while a single-thread runtime's
/// `block_on` thread goes to sleep, then writes and lets go. Run alone, in a child
/// process: another test's runtime driving meanwhile would hide a failure.
#[test]
fn io_is_served_after_another_driver_lets_go() {
    if std::env::var_os(ALONE).is_none() {
        return run_alone("io_is_served_after_another_driver_lets_go");
    }
    within(|| {
        let (a, mut b) = UnixStream::pair().unwrap();
        let start = Instant::now();
        let driver = loop {
            if let Some(d) = Driver::try_lock() {
                break d;
            }
            assert!(start.elapsed() < TIMEOUT, "the driver is never free");
            thread::yield_now();
        };
        let name = "rt-parked-probe";
        let (pending_tx, pending_rx) = mpsc::channel();
        let (done_tx, done_rx) = mpsc::channel();
        let runner = thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let rt = single();
                let got = rt.block_on(async move {
                    weft::spawn(async move {
                        let mut a = Async::new(a).unwrap();
                        let mut buf = [0u8; 3];
                        {
                            let mut read = a.read_exact(&mut buf);
                            assert!(futures::poll!(&mut read).is_pending());
                            pending_tx.send(()).unwrap();
                            read.await.unwrap();
                        }
                        buf
                    })
                    .await
                    .unwrap()
                });
                let _ = done_tx.send(got);
            })
            .unwrap();
        pending_rx.recv_timeout(TIMEOUT).expect("the read waits");
        // Wait for the runtime's thread to go to sleep (it cannot drive: we do).
        let start = Instant::now();
        while thread_state(name) != Some('S') {
            assert!(
                start.elapsed() < TIMEOUT,
                "the runtime's thread never sleeps"
            );
            thread::yield_now();
        }
        b.write_all(b"abc").unwrap();
        drop(driver);
        assert_eq!(
            done_rx.recv_timeout(TIMEOUT),
            Ok(*b"abc"),
            "the read never completed: nobody drove the reactor after the driver let go"
        );
        runner.join().unwrap();
    });
}

/// Dropping a multi-worker runtime joins its workers even when one of them is
/// about to drive the reactor as the shutdown's wake-up reaches the reactor: that
/// wake-up used to go to whichever worker held the driver lock, and the other then
/// slept in the poller for good (about one hang in a thousand drops).
#[test]
fn dropping_many_multi_worker_runtimes_never_hangs() {
    within(|| {
        for i in 0..2_000u64 {
            let rt = Runtime::builder()
                .worker_threads(3)
                .build()
                .expect("runtime");
            let v = rt.block_on(async move { weft::spawn(async move { i * 2 }).await.unwrap() });
            assert_eq!(v, i * 2);
            drop(rt);
        }
    });
}
