//! `ThreadPool` and `to_thread`: results, bounds, panics, cancellation, keep-alive,
//! and executors.
//!
//! No test sleeps to let things settle: each waits on the event it needs (a channel,
//! a barrier, a future). The keep-alive test polls `live_threads` in small steps
//! under a generous overall deadline.

use std::cell::Cell;
use std::io;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use weft_util::{BlockingError, ThreadPool, to_thread};

/// A pool whose idle threads never time out, so thread counts are deterministic.
fn pool(max_threads: usize) -> ThreadPool {
    ThreadPool::builder()
        .max_threads(max_threads)
        .keep_alive(Duration::MAX)
        .build()
        .unwrap()
}

/// Sets its flag when dropped.
struct DropFlag(Arc<AtomicBool>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[test]
fn results_come_back() {
    let pool = pool(2);
    let (a, b, c) = weft_reactor::block_on(async {
        let a = pool.run(|| 6 * 7);
        let b = pool.run(|| String::from("from a pool thread"));
        let c = pool.run(|| thread::current().name().map(str::to_owned));
        (a.await, b.await, c.await)
    });
    assert_eq!(a.unwrap(), 42);
    assert_eq!(b.unwrap(), "from a pool thread");
    assert_eq!(c.unwrap().as_deref(), Some("weft-blocking"));
}

#[test]
fn many_jobs_never_exceed_max_threads() {
    const JOBS: usize = 1_000;
    let pool = pool(4);
    let running = Arc::new(AtomicUsize::new(0));
    let max_seen = Arc::new(AtomicUsize::new(0));
    let futures: Vec<_> = (0..JOBS)
        .map(|i| {
            let (running, max_seen) = (running.clone(), max_seen.clone());
            pool.run(move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                max_seen.fetch_max(now, Ordering::SeqCst);
                thread::yield_now();
                running.fetch_sub(1, Ordering::SeqCst);
                i * 2
            })
        })
        .collect();
    let results: Vec<_> = futures::executor::block_on(futures::future::join_all(futures));
    for (i, r) in results.into_iter().enumerate() {
        assert_eq!(r.unwrap(), i * 2);
    }
    let max_seen = max_seen.load(Ordering::SeqCst);
    assert!((1..=4).contains(&max_seen), "{max_seen} jobs ran at once");
    assert!(pool.live_threads() <= 4, "{} threads", pool.live_threads());
}

#[test]
fn max_threads_jobs_run_in_parallel() {
    // Four jobs that each wait for the other three: they only finish if the pool
    // runs all four at once.
    let pool = pool(4);
    let barrier = Arc::new(Barrier::new(4));
    let futures: Vec<_> = (0..4)
        .map(|_| {
            let barrier = barrier.clone();
            pool.run(move || {
                barrier.wait();
            })
        })
        .collect();
    for r in futures::executor::block_on(futures::future::join_all(futures)) {
        r.unwrap();
    }
    assert_eq!(pool.live_threads(), 4);
}

#[test]
fn jobs_queue_fifo_when_all_threads_are_busy() {
    let pool = pool(1);
    let (gate_tx, gate_rx) = mpsc::channel::<()>();
    let blocker = pool.run(move || gate_rx.recv().unwrap());
    let order = Arc::new(Mutex::new(Vec::new()));
    let queued: Vec<_> = (0..10)
        .map(|i| {
            let order = order.clone();
            pool.run(move || order.lock().unwrap().push(i))
        })
        .collect();
    // The only thread is busy, so nothing queued behind it has run.
    assert!(order.lock().unwrap().is_empty());
    gate_tx.send(()).unwrap();
    weft_reactor::block_on(async {
        blocker.await.unwrap();
        for f in queued {
            f.await.unwrap();
        }
    });
    assert_eq!(*order.lock().unwrap(), (0..10).collect::<Vec<_>>());
    assert_eq!(pool.live_threads(), 1);
}

#[test]
fn panics_come_back_as_errors_and_the_thread_survives() {
    let pool = pool(1);
    let (id_tx, id_rx) = mpsc::channel();
    let err = weft_reactor::block_on(pool.run(move || -> u32 {
        id_tx.send(thread::current().id()).unwrap();
        panic!("boom")
    }))
    .unwrap_err();
    assert!(err.is_panic());
    assert_eq!(err.to_string(), "blocking job panicked: boom");
    assert_eq!(format!("{err:?}"), r#"Panicked("boom")"#);
    assert_eq!(*err.into_panic().downcast::<&str>().unwrap(), "boom");

    // The pool keeps working, on the very thread that panicked.
    let panicked_on = id_rx.recv().unwrap();
    let ran_on = weft_reactor::block_on(pool.run(|| thread::current().id())).unwrap();
    assert_eq!(ran_on, panicked_on);
    assert_eq!(pool.live_threads(), 1);
}

#[test]
fn resume_unwind_re_raises_the_payload() {
    let pool = pool(1);
    let err = weft_reactor::block_on(pool.run(|| std::panic::panic_any(17_i32))).unwrap_err();
    assert_eq!(err.to_string(), "blocking job panicked");
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| err.resume_unwind()));
    assert_eq!(*caught.unwrap_err().downcast::<i32>().unwrap(), 17);
}

#[test]
fn errors_convert_to_io_errors() {
    let pool = pool(1);
    let err = weft_reactor::block_on(pool.run(|| panic!("disk on fire"))).unwrap_err();
    let io: io::Error = err.into();
    assert_eq!(io.kind(), io::ErrorKind::Other);
    assert_eq!(io.to_string(), "blocking job panicked: disk on fire");
    let inner = io
        .into_inner()
        .unwrap()
        .downcast::<BlockingError>()
        .unwrap();
    assert!(inner.is_panic());
}

#[test]
fn a_future_dropped_before_its_job_starts_cancels_the_job() {
    let pool = pool(2);
    // Fill the pool: two jobs that wait on a barrier with this thread.
    let barrier = Arc::new(Barrier::new(3));
    let (started_tx, started_rx) = mpsc::channel();
    let blockers: Vec<_> = (0..2)
        .map(|_| {
            let (barrier, started_tx) = (barrier.clone(), started_tx.clone());
            pool.run(move || {
                started_tx.send(()).unwrap();
                barrier.wait();
            })
        })
        .collect();
    started_rx.recv().unwrap();
    started_rx.recv().unwrap();

    // Queue one more, then drop its future while both threads are busy.
    let ran = Arc::new(AtomicBool::new(false));
    let dropped = Arc::new(AtomicBool::new(false));
    let job = {
        let ran = ran.clone();
        let guard = DropFlag(dropped.clone());
        pool.run(move || {
            let _guard = guard;
            ran.store(true, Ordering::SeqCst);
        })
    };
    assert!(!dropped.load(Ordering::SeqCst));
    drop(job);
    // The closure was dropped with the future, unrun: it can never run now.
    assert!(dropped.load(Ordering::SeqCst));
    assert!(!ran.load(Ordering::SeqCst));

    barrier.wait();
    weft_reactor::block_on(async {
        for f in blockers {
            f.await.unwrap();
        }
        // Queued after the cancelled job, so a thread has passed it by now.
        pool.run(|| ()).await.unwrap();
    });
    assert!(!ran.load(Ordering::SeqCst));
}

#[test]
fn a_future_dropped_while_its_job_runs_lets_it_finish() {
    let pool = pool(1);
    let (started_tx, started_rx) = mpsc::channel();
    let (gate_tx, gate_rx) = mpsc::channel::<()>();
    let (finished_tx, finished_rx) = mpsc::channel();
    let job = pool.run(move || {
        started_tx.send(()).unwrap();
        gate_rx.recv().unwrap();
        finished_tx.send("finished").unwrap();
        String::from("discarded")
    });
    started_rx.recv().unwrap();
    drop(job);
    gate_tx.send(()).unwrap();
    assert_eq!(finished_rx.recv().unwrap(), "finished");
    assert_eq!(weft_reactor::block_on(pool.run(|| 1)).unwrap(), 1);
}

#[test]
fn a_detached_job_runs_to_the_end() {
    let pool = pool(1);
    let (gate_tx, gate_rx) = mpsc::channel::<()>();
    let blocker = pool.run(move || gate_rx.recv().unwrap());
    // Queued behind the blocker: detaching must not cancel it as dropping would.
    let (done_tx, done_rx) = mpsc::channel();
    pool.run(move || done_tx.send("ran").unwrap()).detach();
    gate_tx.send(()).unwrap();
    weft_reactor::block_on(blocker).unwrap();
    assert_eq!(done_rx.recv().unwrap(), "ran");
}

#[test]
fn idle_threads_exit_after_the_keep_alive() {
    let pool = ThreadPool::builder()
        .max_threads(3)
        .keep_alive(Duration::from_millis(50))
        .build()
        .unwrap();
    assert_eq!(pool.live_threads(), 0);

    // Hold three jobs at once, so three threads start.
    let barrier = Arc::new(Barrier::new(4));
    let (started_tx, started_rx) = mpsc::channel();
    let futures: Vec<_> = (0..3)
        .map(|_| {
            let (barrier, started_tx) = (barrier.clone(), started_tx.clone());
            pool.run(move || {
                started_tx.send(()).unwrap();
                barrier.wait();
            })
        })
        .collect();
    for _ in 0..3 {
        started_rx.recv().unwrap();
    }
    assert_eq!(pool.live_threads(), 3);
    barrier.wait();
    for r in futures::executor::block_on(futures::future::join_all(futures)) {
        r.unwrap();
    }

    // Wait for the threads to time out: poll, with a deadline only against a hang.
    let deadline = Instant::now() + Duration::from_secs(30);
    while pool.live_threads() > 0 {
        assert!(
            Instant::now() < deadline,
            "{} threads still alive",
            pool.live_threads()
        );
        thread::sleep(Duration::from_millis(5));
    }

    // The pool starts threads again when work comes back.
    assert_eq!(
        weft_reactor::block_on(pool.run(|| "again")).unwrap(),
        "again"
    );
}

thread_local! {
    /// Reports on a channel when its thread exits.
    static ON_EXIT: Cell<Option<ExitSignal>> = const { Cell::new(None) };
}

struct ExitSignal(mpsc::Sender<()>);

impl Drop for ExitSignal {
    fn drop(&mut self) {
        let _ = self.0.send(());
    }
}

#[test]
fn dropping_the_pool_runs_queued_jobs_then_ends_its_threads() {
    let pool = pool(1);
    let (gate_tx, gate_rx) = mpsc::channel::<()>();
    let (exit_tx, exit_rx) = mpsc::channel();
    let blocker = pool.run(move || {
        ON_EXIT.with(|c| c.set(Some(ExitSignal(exit_tx))));
        gate_rx.recv().unwrap();
        "blocker"
    });
    let queued = pool.run(|| "queued");
    drop(pool);
    gate_tx.send(()).unwrap();
    let (a, b) = weft_reactor::block_on(async { (blocker.await, queued.await) });
    assert_eq!(a.unwrap(), "blocker");
    assert_eq!(b.unwrap(), "queued");
    // The keep-alive is infinite, so only the shutdown can end the thread.
    exit_rx.recv().unwrap();
}

#[test]
fn to_thread_under_futures_block_on() {
    let out =
        futures::executor::block_on(to_thread(|| thread::current().name().map(str::to_owned)));
    assert_eq!(out.unwrap().as_deref(), Some("weft-blocking"));
}

#[test]
fn to_thread_under_tokio() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let sum = rt.block_on(async {
        let handles: Vec<_> = (0..32u64)
            .map(|i| tokio::spawn(async move { to_thread(move || i * i).await.unwrap() }))
            .collect();
        let mut sum = 0;
        for h in handles {
            sum += h.await.unwrap();
        }
        sum
    });
    assert_eq!(sum, (0..32u64).map(|i| i * i).sum::<u64>());

    let current = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    assert_eq!(current.block_on(to_thread(|| 5)).unwrap(), 5);
}

#[test]
fn to_thread_under_weft_reactor_block_on() {
    let out = weft_reactor::block_on(async {
        let job = to_thread(|| {
            let (tx, rx) = mpsc::channel();
            thread::spawn(move || tx.send(3).unwrap());
            rx.recv().unwrap()
        });
        weft_reactor::time::sleep(Duration::from_millis(1)).await;
        job.await
    });
    assert_eq!(out.unwrap(), 3);
}

#[test]
fn zero_threads_is_an_error() {
    let err = ThreadPool::new(0).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("at least one thread"), "{err}");
    let err = ThreadPool::builder().max_threads(0).build().unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    let err = ThreadPool::builder()
        .thread_name("a\0b")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
}

#[test]
fn debug_output_needs_no_debug_output_type() {
    struct Opaque;
    let pool = pool(1);
    let (gate_tx, gate_rx) = mpsc::channel::<()>();
    let (started_tx, started_rx) = mpsc::channel();
    let running = pool.run(move || {
        started_tx.send(()).unwrap();
        gate_rx.recv().unwrap();
        Opaque
    });
    let queued = pool.run(|| Opaque);
    started_rx.recv().unwrap();
    assert_eq!(format!("{running:?}"), r#"RunFuture { stage: "running" }"#);
    assert_eq!(format!("{queued:?}"), r#"RunFuture { stage: "queued" }"#);
    gate_tx.send(()).unwrap();
    weft_reactor::block_on(async {
        let _ = running.await.unwrap();
        let _ = queued.await.unwrap();
    });
    let debug = format!("{pool:?}");
    assert!(debug.starts_with("ThreadPool { max_threads: 1,"), "{debug}");
}
