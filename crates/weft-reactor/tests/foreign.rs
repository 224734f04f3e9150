//! weft-reactor under foreign executors: `futures::executor`, tokio's current-thread
//! and multi-thread runtimes, and a weft `block_on` running beside them.
//!
//! This binary is a process of its own: no weft `block_on` runs unless a test calls
//! it, so the reactor is driven by its fallback thread, `weft-reactor`. The tests that
//! need to know which thread drives (the fallback check, the panicking waker) and the
//! one that runs a weft `block_on` take turns through `SERIAL`; the others create no
//! driver and run in parallel with everything.
//!
//! No test sleeps the thread to let things settle (each waits on the event: a join, a
//! channel, the I/O itself), and none asserts an upper bound on elapsed time.

use std::future::{Future, poll_fn};
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, mpsc};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::Duration;

use futures::channel::oneshot;
use futures::io::{AsyncReadExt, AsyncWriteExt};
use futures::{StreamExt, try_join};
use weft_reactor::time::{Instant, interval, sleep, sleep_until};
use weft_reactor::{Async, block_on};

const MS: Duration = Duration::from_millis(1);

// ---------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `len` bytes of a pattern that depends on `seed` and has no short period, so a
/// lost, duplicated or reordered chunk shows up as a mismatch.
fn pattern(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// The names of this process's threads, from `/proc/self/task/*/comm`.
#[cfg(target_os = "linux")]
fn thread_names() -> Vec<String> {
    std::fs::read_dir("/proc/self/task")
        .expect("/proc is mounted")
        .filter_map(|task| {
            // A thread may end between listing and reading: skip it.
            std::fs::read_to_string(task.ok()?.path().join("comm")).ok()
        })
        .map(|comm| comm.trim_end().to_string())
        .collect()
}

#[cfg(target_os = "linux")]
fn fallback_threads() -> usize {
    thread_names()
        .iter()
        .filter(|n| *n == "weft-reactor")
        .count()
}

/// Wraps the task's waker to report the name of each thread that wakes it.
struct NameReporter {
    inner: Mutex<Option<Waker>>,
    names: mpsc::Sender<Option<String>>,
}

impl Wake for NameReporter {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let _ = self
            .names
            .send(thread::current().name().map(str::to_string));
        let inner = self
            .inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(w) = inner {
            w.wake();
        }
    }
}

/// Runs `fut` so that every wake-up of it reports its waking thread on the channel.
fn reporting_wakers<F: Future + Unpin>(
    mut fut: F,
) -> (
    impl Future<Output = F::Output>,
    mpsc::Receiver<Option<String>>,
) {
    let (tx, rx) = mpsc::channel();
    let reporter = Arc::new(NameReporter {
        inner: Mutex::new(None),
        names: tx,
    });
    let waker = Waker::from(reporter.clone());
    let wrapped = poll_fn(move |cx| {
        *reporter
            .inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(cx.waker().clone());
        Pin::new(&mut fut).poll(&mut Context::from_waker(&waker))
    });
    (wrapped, rx)
}

fn poll_noop<F: Future + Unpin>(f: &mut F) -> Poll<F::Output> {
    Pin::new(f).poll(&mut Context::from_waker(Waker::noop()))
}

/// A waker that reports the waking thread's name, then panics.
struct Bomb(mpsc::Sender<Option<String>>);

impl Wake for Bomb {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let _ = self.0.send(thread::current().name().map(str::to_string));
        panic!("boom: this waker panics");
    }
}

// ---------------------------------------------------------------------------------
// futures::executor
// ---------------------------------------------------------------------------------

#[test]
fn futures_executor_sleep_completes() {
    let start = Instant::now();
    let d = futures::executor::block_on(sleep(3 * MS));
    assert!(d >= start + 3 * MS);
    assert!(Instant::now() >= d);
}

#[test]
fn futures_executor_read_with_completes_after_the_peer_writes() {
    const MSG: &[u8] = b"written by another thread after the reader waited";
    let (a, b) = UnixStream::pair().expect("a socket pair");
    let a = Async::new(a).expect("registered");
    let (go_tx, go_rx) = mpsc::channel::<()>();
    // The peer writes only once the reader waits.
    let writer = thread::spawn(move || {
        go_rx.recv().expect("the reader waits");
        (&b).write_all(MSG).expect("written");
        b
    });
    let got = futures::executor::block_on(async {
        let mut got = Vec::new();
        let mut buf = [0u8; 128];
        let mut read = a.read_with(|s| (&*s).read(&mut buf));
        assert!(
            futures::poll!(&mut read).is_pending(),
            "data before the peer wrote"
        );
        go_tx.send(()).expect("the writer waits");
        let n = read.await.expect("read");
        got.extend_from_slice(&buf[..n]);
        // The rest, should the stream have split the message.
        while got.len() < MSG.len() {
            let n = a.read_with(|s| (&*s).read(&mut buf)).await.expect("read");
            assert!(n > 0, "end of stream before the whole message");
            got.extend_from_slice(&buf[..n]);
        }
        got
    });
    assert_eq!(got, MSG);
    drop(writer.join().expect("the writer"));
}

#[test]
fn futures_executor_interval_ticks_three_times() {
    let period = 2 * MS;
    let mut iv = interval(period);
    let ticks = futures::executor::block_on(async {
        let mut ticks = Vec::new();
        for _ in 0..3 {
            let t = iv.tick().await;
            assert!(Instant::now() >= t);
            ticks.push(t);
        }
        ticks
    });
    assert_eq!(ticks.len(), 3);
    for pair in ticks.windows(2) {
        assert_eq!(pair[1] - pair[0], period);
    }
}

#[test]
fn futures_executor_many_concurrent_sleeps() {
    let start = Instant::now();
    let done = futures::executor::block_on(async {
        let mut set: futures::stream::FuturesUnordered<_> = (0..200u32)
            .map(|i| async move {
                let d = start + MS * (1 + i % 17);
                (d, sleep_until(d).await, Instant::now())
            })
            .collect();
        let mut done = 0;
        while let Some((d, got, at)) = set.next().await {
            assert_eq!(got, d);
            assert!(at >= d);
            done += 1;
        }
        done
    });
    assert_eq!(done, 200);
}

// ---------------------------------------------------------------------------------
// tokio
// ---------------------------------------------------------------------------------

const CLIENTS: usize = 8;

/// Echoes everything it reads until end of stream.
async fn echo(stream: Async<TcpStream>) -> io::Result<()> {
    let mut buf = vec![0u8; 4096];
    loop {
        let n = (&stream).read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        (&stream).write_all(&buf[..n]).await?;
    }
}

/// Accepts `clients` connections, each echoed by a task of its own.
async fn serve(listener: Async<TcpListener>, clients: usize) -> io::Result<()> {
    let mut echoes = Vec::new();
    for _ in 0..clients {
        let (stream, _) = listener.read_with(|l| l.accept()).await?;
        echoes.push(tokio::spawn(echo(Async::new(stream)?)));
    }
    for e in echoes {
        e.await.expect("an echo task panicked")?;
    }
    Ok(())
}

/// Sleeps on weft, connects, sends a pattern while reading the echo back, and returns
/// what came back and what was sent.
async fn client(addr: SocketAddr, id: usize) -> io::Result<(Vec<u8>, Vec<u8>)> {
    let start = Instant::now();
    let d = sleep(MS * (1 + id as u32 % 3)).await;
    assert!(Instant::now() >= d && d > start);
    let stream = Async::new(TcpStream::connect(addr)?)?;
    let msg = pattern(64 * 1024 + id * 1000, id as u64);
    let write = async {
        (&stream).write_all(&msg).await?;
        stream.get_ref().shutdown(Shutdown::Write)
    };
    let read = async {
        let mut back = Vec::new();
        (&stream).read_to_end(&mut back).await?;
        Ok(back)
    };
    let ((), back) = try_join!(write, read)?;
    Ok((back, msg))
}

fn tokio_echo(rt: tokio::runtime::Runtime) {
    rt.block_on(async {
        let listener =
            Async::new(TcpListener::bind("127.0.0.1:0").expect("bound")).expect("registered");
        let addr = listener.get_ref().local_addr().expect("an address");
        let server = tokio::spawn(serve(listener, CLIENTS));
        let clients: Vec<_> = (0..CLIENTS)
            .map(|id| tokio::spawn(client(addr, id)))
            .collect();
        // A plain weft sleep in a task of its own, too.
        let sleeper = tokio::spawn(async {
            let d = sleep(2 * MS).await;
            assert!(Instant::now() >= d);
        });
        for (id, c) in clients.into_iter().enumerate() {
            let (back, sent) = c.await.expect("a client panicked").expect("client I/O");
            assert_eq!(back.len(), sent.len(), "client {id}: echo length");
            assert!(back == sent, "client {id}: echo differs from what was sent");
        }
        server
            .await
            .expect("the server panicked")
            .expect("server I/O");
        sleeper.await.expect("the sleeper panicked");
    });
}

#[test]
fn tokio_current_thread_echo_and_sleep() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    tokio_echo(rt);
}

#[test]
fn tokio_multi_thread_echo_and_sleep() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .expect("a runtime");
    tokio_echo(rt);
}

/// weft and tokio timers side by side in one task, each waking it.
#[test]
fn tokio_and_weft_timers_in_one_task() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        let start = Instant::now();
        let (weft_d, ()) = tokio::join!(sleep(3 * MS), tokio::time::sleep(2 * MS));
        assert!(weft_d >= start + 3 * MS);
        assert!(Instant::now() >= weft_d);
        let mut iv = interval(MS);
        let a = iv.tick().await;
        let b = iv.tick().await;
        assert_eq!(b - a, MS);
    });
}

// ---------------------------------------------------------------------------------
// The fallback thread
// ---------------------------------------------------------------------------------

/// Under a foreign executor the wake-ups come from the fallback thread, which is
/// named `weft-reactor` and exists exactly once.
#[cfg(target_os = "linux")]
#[test]
fn a_fallback_thread_named_weft_reactor_drives_foreign_executors() {
    let _serial = serial();
    // Filed before its deadline, so that the reactor, not the first poll, fires it.
    let (deadline, mut timer, names) = loop {
        let deadline = Instant::now() + 2 * MS;
        let (mut timer, names) = reporting_wakers(sleep_until(deadline));
        if poll_noop(&mut timer).is_pending() {
            break (deadline, timer, names);
        }
    };
    // Nothing polls the timer again before its wake-up, so the reactor must fire it.
    let woken_by = names.recv().expect("the reactor fires a filed timer");
    assert_eq!(woken_by.as_deref(), Some("weft-reactor"));
    assert_eq!(futures::executor::block_on(&mut timer), deadline);
    assert!(Instant::now() >= deadline);
    for name in names.try_iter() {
        assert_eq!(
            name.as_deref(),
            Some("weft-reactor"),
            "woken by another thread"
        );
    }
    assert_eq!(fallback_threads(), 1, "threads: {:?}", thread_names());

    // The same for I/O readiness.
    let (a, b) = UnixStream::pair().expect("a socket pair");
    let a = Async::new(a).expect("registered");
    let (go_tx, go_rx) = mpsc::channel::<()>();
    let writer = thread::spawn(move || {
        go_rx.recv().expect("the reader waits");
        (&b).write_all(b"x").expect("written");
        b
    });
    let mut buf = [0u8; 1];
    let (mut read, names) = reporting_wakers(a.read_with(|s| (&*s).read(&mut buf)));
    assert!(
        poll_noop(&mut read).is_pending(),
        "data before the peer wrote"
    );
    go_tx.send(()).expect("the writer waits");
    // Readiness is only ever set by the thread that drives, which wakes the waiter.
    let woken_by = names.recv().expect("the reactor reports the data");
    assert_eq!(woken_by.as_deref(), Some("weft-reactor"));
    assert_eq!(futures::executor::block_on(&mut read).expect("read"), 1);
    drop(read);
    for name in names.try_iter() {
        assert_eq!(
            name.as_deref(),
            Some("weft-reactor"),
            "woken by another thread"
        );
    }
    assert_eq!(buf[0], b'x');
    drop(writer.join().expect("the writer"));
    assert_eq!(fallback_threads(), 1);
}

/// A waker that panics on the fallback thread does not end it: foreign executors
/// still get their timers afterwards.
#[test]
fn a_panicking_waker_does_not_stop_the_fallback_thread() {
    let _serial = serial();
    let (tx, rx) = mpsc::channel();
    let bomb = Waker::from(Arc::new(Bomb(tx)));
    let mut t = loop {
        let mut t = sleep(2 * MS);
        if Pin::new(&mut t)
            .poll(&mut Context::from_waker(&bomb))
            .is_pending()
        {
            break t;
        }
    };
    let name = rx.recv().expect("the bomb went off");
    assert_eq!(name.as_deref(), Some("weft-reactor"));
    assert!(
        Pin::new(&mut t)
            .poll(&mut Context::from_waker(Waker::noop()))
            .is_ready()
    );
    drop(t);

    // The fallback thread survived and still drives.
    for _ in 0..3 {
        let d = futures::executor::block_on(sleep(MS));
        assert!(Instant::now() >= d);
    }
    #[cfg(target_os = "linux")]
    assert_eq!(fallback_threads(), 1);
}

// ---------------------------------------------------------------------------------
// Mixing weft's block_on with a foreign executor
// ---------------------------------------------------------------------------------

/// A weft `block_on` runs on one thread (and so drives the reactor, the fallback
/// stepping back) while a `futures::executor` task on another waits on a weft timer;
/// the weft side waits for the foreign side to finish, so their waits overlap.
#[test]
fn weft_block_on_beside_a_futures_executor() {
    let _serial = serial();
    let (filed_tx, filed_rx) = oneshot::channel::<()>();
    let (done_tx, done_rx) = oneshot::channel::<Instant>();
    let foreign = thread::spawn(move || {
        futures::executor::block_on(async move {
            let deadline = Instant::now() + 5 * MS;
            let mut t = sleep_until(deadline);
            // File the timer, then tell the weft side.
            let first = futures::poll!(&mut t);
            filed_tx.send(()).expect("the weft side waits");
            let got = match first {
                Poll::Ready(d) => d,
                Poll::Pending => t.await,
            };
            assert_eq!(got, deadline);
            assert!(Instant::now() >= deadline);
            done_tx.send(got).expect("the weft side waits");
        });
    });
    let (own, foreign_deadline) = block_on(async {
        filed_rx.await.expect("the foreign side filed its timer");
        let own_deadline = Instant::now() + 3 * MS;
        let own = sleep_until(own_deadline).await;
        assert!(Instant::now() >= own_deadline);
        (own, done_rx.await.expect("the foreign side finished"))
    });
    foreign.join().expect("the foreign side panicked");
    assert!(Instant::now() >= own && Instant::now() >= foreign_deadline);

    // And the other way round: the weft side's own timer is the longer one.
    let (go_tx, go_rx) = mpsc::channel::<()>();
    let foreign = thread::spawn(move || {
        go_rx.recv().expect("the weft side started");
        futures::executor::block_on(async {
            let d = sleep(MS).await;
            assert!(Instant::now() >= d);
            d
        })
    });
    let long = block_on(async {
        let t = sleep(20 * MS);
        go_tx.send(()).expect("the foreign side waits");
        t.await
    });
    let short = foreign.join().expect("the foreign side panicked");
    assert!(Instant::now() >= long && Instant::now() >= short);
}

/// Several weft `block_on` threads and several foreign-executor threads wait on timers
/// at once.
#[test]
fn many_weft_and_foreign_threads_at_once() {
    let _serial = serial();
    let barrier = Arc::new(std::sync::Barrier::new(8));
    let threads: Vec<_> = (0..8u32)
        .map(|i| {
            let barrier = barrier.clone();
            thread::spawn(move || {
                barrier.wait();
                for k in 0..5u32 {
                    let d = Instant::now() + MS * (1 + (i + k) % 4);
                    let got = if i % 2 == 0 {
                        block_on(sleep_until(d))
                    } else {
                        futures::executor::block_on(sleep_until(d))
                    };
                    assert_eq!(got, d);
                    assert!(Instant::now() >= d);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("a thread failed");
    }
}
