//! Integration tests of `Async<T>`: every kind of descriptor the reactor serves, large
//! and many-source workloads, many waiters, cancel safety, bad input and deregistration.
//!
//! No test sleeps to let things settle: each waits on the event itself (a join, a
//! channel, a barrier, a waker that reports its wake-up), and none asserts on timing.

use std::cell::{Cell, RefCell};
use std::fs::File;
use std::future::{Future, poll_fn};
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream, UdpSocket};
use std::os::unix::net::{UnixDatagram, UnixStream};
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex, mpsc};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::Duration;

use futures::channel::oneshot;
use futures::future::{Either, join, join_all, join3, join4, select};
use futures::io::{AsyncReadExt, AsyncWriteExt};
use futures::task::noop_waker;
use weft_reactor::{Async, block_on};

// ---------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------

/// `len` bytes of a pattern that depends on `seed` and does not repeat with any short
/// period, so a lost, duplicated or reordered chunk shows up as a mismatch.
fn pattern(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            // xorshift64
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// A permutation of `0..n`, shuffled (Fisher-Yates with xorshift) from `seed`.
fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut x = seed | 1;
    for i in (1..n).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        order.swap(i, (x % (i as u64 + 1)) as usize);
    }
    order
}

/// How long a test thread waits for a wake-up before calling it lost: a guard that
/// turns a hang into a failure, far above any real latency, never a timing assertion.
const HANG_GUARD: Duration = Duration::from_secs(30);

/// A waker that counts its wake-ups and reports each one on a channel, so a test can
/// block until the reactor has woken it.
struct Reporter {
    wakes: AtomicUsize,
    tx: Mutex<mpsc::Sender<()>>,
}

impl Reporter {
    fn new() -> (Arc<Reporter>, mpsc::Receiver<()>) {
        let (tx, rx) = mpsc::channel();
        let reporter = Arc::new(Reporter {
            wakes: AtomicUsize::new(0),
            tx: Mutex::new(tx),
        });
        (reporter, rx)
    }

    fn wakes(&self) -> usize {
        self.wakes.load(Ordering::SeqCst)
    }
}

impl Wake for Reporter {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
        // The receiver may be gone once the test has what it needs.
        let _ = self.tx.lock().unwrap().send(());
    }
}

/// Polls `fut` once with `waker`.
fn poll_once<F: Future + ?Sized>(fut: Pin<&mut F>, waker: &Waker) -> Poll<F::Output> {
    fut.poll(&mut Context::from_waker(waker))
}

/// Yields to the executor once, asking to be polled again at once.
async fn yield_now() {
    let mut yielded = false;
    poll_fn(|cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await;
}

/// A registered Unix stream pair.
fn async_pair() -> io::Result<(Async<UnixStream>, Async<UnixStream>)> {
    let (a, b) = UnixStream::pair()?;
    Ok((Async::new(a)?, Async::new(b)?))
}

// ---------------------------------------------------------------------------------
// Every kind of descriptor
// ---------------------------------------------------------------------------------

#[test]
fn pipe_transfers_more_than_its_buffer_then_ends() -> io::Result<()> {
    let (r, w) = io::pipe()?;
    let (mut r, w) = (Async::new(r)?, Async::new(w)?);
    // Four times the default 64 KiB pipe buffer: the writer must wait for the reader.
    let data = pattern(256 * 1024, 1);

    let received = block_on(async {
        let writer = async {
            let mut w = w;
            w.write_all(&data).await?;
            w.flush().await?;
            drop(w); // end of stream for the reader
            io::Result::Ok(())
        };
        let reader = async {
            let mut got = Vec::new();
            r.read_to_end(&mut got).await?;
            io::Result::Ok(got)
        };
        let (wrote, got) = join(writer, reader).await;
        wrote?;
        got
    })?;

    assert_eq!(received.len(), data.len());
    assert!(received == data, "pipe data corrupted");
    Ok(())
}

#[test]
fn unix_stream_ping_pong() -> io::Result<()> {
    let (mut a, mut b) = async_pair()?;
    block_on(async {
        for round in 0..16u64 {
            let msg = pattern(100 + round as usize * 37, round);
            a.write_all(&msg).await?;
            let mut got = vec![0; msg.len()];
            b.read_exact(&mut got).await?;
            assert_eq!(got, msg, "a -> b, round {round}");

            // And back, with the reply derived from what arrived.
            let reply: Vec<u8> = got.iter().rev().copied().collect();
            b.write_all(&reply).await?;
            let mut back = vec![0; reply.len()];
            a.read_exact(&mut back).await?;
            assert_eq!(back, reply, "b -> a, round {round}");
        }
        Ok(())
    })
}

#[test]
fn unix_datagrams_keep_their_boundaries() -> io::Result<()> {
    let (a, b) = UnixDatagram::pair()?;
    let (a, b) = (Async::new(a)?, Async::new(b)?);
    let sizes = [1usize, 700, 3, 4096, 42];
    let msgs: Vec<Vec<u8>> = sizes
        .iter()
        .enumerate()
        .map(|(i, &n)| pattern(n, i as u64 + 10))
        .collect();

    let received = block_on(async {
        // The receiver starts first and must wait: nothing has been sent yet.
        let receiver = async {
            let mut got = Vec::new();
            let mut buf = vec![0; 8192];
            for _ in 0..msgs.len() {
                let n = b.read_with(|s| s.recv(&mut buf)).await?;
                got.push(buf[..n].to_vec());
            }
            io::Result::Ok(got)
        };
        let sender = async {
            for m in &msgs {
                let n = a.write_with(|s| s.send(m)).await?;
                assert_eq!(n, m.len(), "a datagram is sent whole");
                yield_now().await;
            }
            io::Result::Ok(())
        };
        let (got, sent) = join(receiver, sender).await;
        sent?;
        got
    })?;

    assert_eq!(received, msgs);
    Ok(())
}

#[test]
fn tcp_accept_connect_and_echo_both_ways() -> io::Result<()> {
    let listener = Async::new(TcpListener::bind("127.0.0.1:0")?)?;
    let addr = listener.get_ref().local_addr()?;
    let data = pattern(48 * 1024, 7);

    block_on(async {
        // Connect from this thread (the kernel completes the handshake on its own), then
        // accept through the reactor.
        let client = Async::new(TcpStream::connect(addr)?)?;
        let (server, peer) = listener.read_with(|l| l.accept()).await?;
        assert_eq!(peer, client.get_ref().local_addr()?);
        let server = Async::new(server)?;

        let echo = async {
            let mut buf = vec![0; 4096];
            let mut echoed = 0;
            loop {
                let n = (&server).read(&mut buf).await?;
                if n == 0 {
                    break;
                }
                (&server).write_all(&buf[..n]).await?;
                echoed += n;
            }
            drop(server); // the client's read side ends
            io::Result::Ok(echoed)
        };
        let send = async {
            (&client).write_all(&data).await?;
            client.get_ref().shutdown(Shutdown::Write)?;
            io::Result::Ok(())
        };
        let receive = async {
            let mut back = Vec::new();
            (&client).read_to_end(&mut back).await?;
            io::Result::Ok(back)
        };
        let (echoed, sent, back) = join3(echo, send, receive).await;
        sent?;
        let back = back?;

        assert_eq!(echoed?, data.len());
        assert_eq!(back.len(), data.len());
        assert!(back == data, "echoed data corrupted");
        Ok(())
    })
}

#[test]
fn udp_send_to_and_recv_from() -> io::Result<()> {
    let a = Async::new(UdpSocket::bind("127.0.0.1:0")?)?;
    let b = Async::new(UdpSocket::bind("127.0.0.1:0")?)?;
    let (a_addr, b_addr) = (a.get_ref().local_addr()?, b.get_ref().local_addr()?);
    let ping = pattern(1200, 3);

    block_on(async {
        let mut buf = [0; 2048];
        // b waits first; a sends.
        let (recv, sent) = join(
            b.read_with(|s| s.recv_from(&mut buf)),
            a.write_with(|s| s.send_to(&ping, b_addr)),
        )
        .await;
        assert_eq!(sent?, ping.len());
        let (n, from) = recv?;
        assert_eq!(from, a_addr);
        assert_eq!(&buf[..n], &ping[..]);

        // The reply is computed from what arrived.
        let pong: Vec<u8> = buf[..n].iter().map(|x| x.wrapping_add(1)).collect();
        b.write_with(|s| s.send_to(&pong, from)).await?;
        let mut buf = [0; 2048];
        let (n, from) = a.read_with(|s| s.recv_from(&mut buf)).await?;
        assert_eq!(from, b_addr);
        assert_eq!(&buf[..n], &pong[..]);
        Ok(())
    })
}

// ---------------------------------------------------------------------------------
// Volume
// ---------------------------------------------------------------------------------

#[test]
fn large_transfer_waits_on_both_sides_and_keeps_order() -> io::Result<()> {
    const LEN: usize = 8 * 1024 * 1024;
    let (a, b) = async_pair()?;
    let data = pattern(LEN, 99);
    let writer_blocked = Cell::new(0usize);
    let reader_blocked = Cell::new(0usize);

    let (written, received) = block_on(async {
        let writer = async {
            let a = a; // dropped at the end: the reader sees the end of stream
            let mut off = 0;
            while off < LEN {
                let end = (off + 256 * 1024).min(LEN);
                let n = a
                    .write_with(|s| {
                        let res = (&*s).write(&data[off..end]);
                        if matches!(&res, Err(e) if e.kind() == io::ErrorKind::WouldBlock) {
                            writer_blocked.set(writer_blocked.get() + 1);
                        }
                        res
                    })
                    .await?;
                off += n;
            }
            io::Result::Ok(off)
        };
        let reader = async {
            let mut got = Vec::with_capacity(LEN);
            let mut buf = vec![0; 64 * 1024];
            loop {
                let n = b
                    .read_with(|s| {
                        let res = (&*s).read(&mut buf);
                        if matches!(&res, Err(e) if e.kind() == io::ErrorKind::WouldBlock) {
                            reader_blocked.set(reader_blocked.get() + 1);
                        }
                        res
                    })
                    .await?;
                if n == 0 {
                    break;
                }
                got.extend_from_slice(&buf[..n]);
            }
            io::Result::Ok(got)
        };
        join(writer, reader).await
    });

    assert_eq!(written?, LEN);
    let received = received?;
    assert_eq!(received.len(), LEN);
    if let Some(i) = received.iter().zip(&data).position(|(x, y)| x != y) {
        panic!("first corrupted byte at offset {i}");
    }
    // 8 MiB cannot fit in a socket buffer, and one thread runs both sides: each must
    // have run dry, and waited, at least once.
    assert!(writer_blocked.get() > 0, "the writer never saw WouldBlock");
    assert!(reader_blocked.get() > 0, "the reader never saw WouldBlock");
    Ok(())
}

#[test]
fn hundreds_of_sources_each_woken_by_its_own_peer() -> io::Result<()> {
    const PAIRS: usize = 500;
    let mut readers = Vec::with_capacity(PAIRS);
    let mut writers = Vec::with_capacity(PAIRS);
    for _ in 0..PAIRS {
        let (r, w) = async_pair()?;
        readers.push(r);
        writers.push(w);
    }
    let payload = |i: usize| {
        format!("payload of pair {i}: ")
            .repeat(i % 5 + 1)
            .into_bytes()
    };
    let order = shuffled(PAIRS, 0x5EED);
    assert_ne!(
        order,
        (0..PAIRS).collect::<Vec<_>>(),
        "the order is shuffled"
    );

    let written = RefCell::new(vec![false; PAIRS]);
    let done = Cell::new(0usize);
    let (txs, rxs): (Vec<_>, Vec<_>) = (0..PAIRS).map(|_| oneshot::channel::<()>()).unzip();

    let results = block_on(async {
        let reads = join_all(readers.iter().zip(txs).enumerate().map(|(i, (r, tx))| {
            let (written, done) = (&written, &done);
            async move {
                let mut got = Vec::new();
                let mut r = r;
                r.read_to_end(&mut got).await?;
                assert!(
                    written.borrow()[i],
                    "pair {i} finished before its peer wrote"
                );
                done.set(done.get() + 1);
                let _ = tx.send(());
                io::Result::Ok(got)
            }
        }));
        let writes = async {
            let mut rxs: Vec<Option<_>> = rxs.into_iter().map(Some).collect();
            for (k, &i) in order.iter().enumerate() {
                written.borrow_mut()[i] = true;
                let mut w = &writers[i];
                w.write_all(&payload(i)).await?;
                w.get_ref().shutdown(Shutdown::Write)?;
                // Wait for this reader before waking the next: no other reader may
                // finish in between.
                rxs[i]
                    .take()
                    .expect("each pair once")
                    .await
                    .expect("reader alive");
                assert_eq!(done.get(), k + 1, "a reader finished without its peer");
            }
            io::Result::Ok(())
        };
        let (results, wrote) = join(reads, writes).await;
        wrote.map(|()| results)
    })?;

    for (i, got) in results.into_iter().enumerate() {
        assert_eq!(got?, payload(i), "pair {i} got someone else's data");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------
// Many waiters on one source
// ---------------------------------------------------------------------------------

#[test]
fn many_futures_wait_on_one_source() -> io::Result<()> {
    const WAITERS: usize = 16;
    const MSG: &[u8] = b"one write for all";
    let (a, mut b) = UnixStream::pair()?;
    let a = Async::new(a)?;

    block_on(async {
        let mut all = pin!(join_all((0..WAITERS).map(|_| a.readable())));
        // No data yet: every one of them waits.
        poll_fn(|cx| {
            assert!(all.as_mut().poll(cx).is_pending(), "readable with no data");
            Poll::Ready(())
        })
        .await;

        b.write_all(MSG)?;
        let mut guards = all.await.into_iter().collect::<io::Result<Vec<_>>>()?;
        assert_eq!(guards.len(), WAITERS);

        // They share one readiness: the first reads everything, the rest find it drained.
        let mut buf = [0; 2 * MSG.len()];
        let mut reads = Vec::new();
        for g in &mut guards {
            reads.push(g.try_io(|s| (&*s).read(&mut buf)).transpose()?);
        }
        assert_eq!(reads[0], Some(MSG.len()));
        assert!(reads[1..].iter().all(Option::is_none), "{reads:?}");
        assert_eq!(&buf[..MSG.len()], MSG);
        Ok(())
    })
}

#[test]
fn many_threads_wait_on_one_source() -> io::Result<()> {
    const THREADS: usize = 8;
    let (a, mut b) = UnixStream::pair()?;
    let a = Async::new(a)?;
    let (tx, rx) = mpsc::channel();

    let woken = thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                let (a, tx) = (&a, tx.clone());
                scope.spawn(move || {
                    block_on(async move {
                        let mut r = a.readable();
                        let first = poll_fn(|cx| Poll::Ready(Pin::new(&mut r).poll(cx))).await;
                        assert!(first.is_pending(), "readable with no data");
                        tx.send(()).unwrap();
                        // A thread that panics before this point drops its sender too,
                        // so the count below ends instead of hanging.
                        drop(tx);
                        r.await.is_ok()
                    })
                })
            })
            .collect();
        drop(tx);
        // Write only once every thread waits.
        let waiting = rx.iter().take(THREADS).count();
        b.write_all(b"x").unwrap();
        let woken = handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect::<Vec<_>>();
        (waiting, woken)
    });

    let (waiting, woken) = woken;
    assert_eq!(waiting, THREADS);
    assert_eq!(woken, vec![true; THREADS]);
    let mut buf = [0; 4];
    assert_eq!(block_on(a.read_with(|s| (&*s).read(&mut buf)))?, 1);
    Ok(())
}

// ---------------------------------------------------------------------------------
// Cancel safety and readiness bookkeeping
// ---------------------------------------------------------------------------------

#[test]
fn dropping_a_woken_readable_future_keeps_the_readiness() -> io::Result<()> {
    let (a, mut b) = UnixStream::pair()?;
    let a = Async::new(a)?;
    let (reporter, woken) = Reporter::new();
    let waker = Waker::from(reporter.clone());

    let mut first = Box::pin(a.readable());
    assert!(poll_once(first.as_mut(), &waker).is_pending());
    b.write_all(b"data")?;
    // Whichever thread drives the reactor wakes `first`, which is then dropped
    // without ever seeing its wake-up.
    woken
        .recv_timeout(HANG_GUARD)
        .expect("the reactor never woke the waiting future");
    drop(first);
    assert!(reporter.wakes() >= 1);

    // The readiness it was woken for is still there: the next future is ready at once.
    let mut next = pin!(a.readable());
    let Poll::Ready(guard) = poll_once(next.as_mut(), &noop_waker()) else {
        panic!("the readiness was lost with the dropped future");
    };
    let mut guard = guard?;
    let mut buf = [0; 8];
    let n = guard
        .try_io(|s| (&*s).read(&mut buf))
        .expect("data is there")?;
    assert_eq!(&buf[..n], b"data");
    Ok(())
}

#[test]
fn dropping_a_pending_read_with_loses_neither_data_nor_readiness() -> io::Result<()> {
    let (a, b) = async_pair()?;
    let calls = Cell::new(0);

    block_on(async {
        let mut buf = [0; 16];
        // Lose the race against a ready future: the read is dropped while pending.
        let raced = select(
            a.read_with(|s| {
                calls.set(calls.get() + 1);
                (&*s).read(&mut buf)
            }),
            futures::future::ready(()),
        )
        .await;
        assert!(matches!(raced, Either::Right(_)), "read_with with no data");
        drop(raced);
        let calls_when_dropped = calls.get();

        // Dropped, it does no more I/O: the data written now is for the next read.
        b.write_with(|s| (&*s).write(b"after the race")).await?;
        let mut buf = [0; 16];
        let n = a.read_with(|s| (&*s).read(&mut buf)).await?;
        assert_eq!(&buf[..n], b"after the race");
        assert_eq!(
            calls.get(),
            calls_when_dropped,
            "a dropped read_with ran again"
        );
        Ok(())
    })
}

#[test]
fn dropping_a_woken_read_with_future_keeps_data_and_readiness() -> io::Result<()> {
    let (a, mut b) = UnixStream::pair()?;
    let a = Async::new(a)?;
    let (reporter, woken) = Reporter::new();
    let waker = Waker::from(reporter);

    let mut buf = [0; 8];
    let mut first = Box::pin(a.read_with(|s| (&*s).read(&mut buf)));
    assert!(poll_once(first.as_mut(), &waker).is_pending());
    b.write_all(b"kept")?;
    woken
        .recv_timeout(HANG_GUARD)
        .expect("the reactor never woke the waiting read");
    drop(first);

    let mut buf = [0; 8];
    let mut next = pin!(a.read_with(|s| (&*s).read(&mut buf)));
    let Poll::Ready(n) = poll_once(next.as_mut(), &noop_waker()) else {
        panic!("the readiness was lost with the dropped read");
    };
    let n = n?;
    assert_eq!(&buf[..n], b"kept");
    Ok(())
}

#[test]
fn try_io_would_block_clears_readiness_until_new_data() -> io::Result<()> {
    // The first data is there before registration; the second comes from another
    // thread, only once this one has seen `readable()` wait.
    let (a, mut b) = UnixStream::pair()?;
    b.write_all(b"first")?;
    let a = Async::new(a)?;
    let barrier = Arc::new(Barrier::new(2));
    let writer = {
        let barrier = barrier.clone();
        thread::spawn(move || {
            barrier.wait();
            b.write_all(b"second").unwrap();
            b // keep the stream open until joined
        })
    };

    let mut buf = [0; 16];
    {
        let mut guard = block_on(a.readable())?;
        let n = guard
            .try_io(|s| (&*s).read(&mut buf))
            .expect("data was written")?;
        assert_eq!(&buf[..n], b"first");
        assert!(
            guard.try_io(|s| (&*s).read(&mut buf)).is_none(),
            "try_io must report WouldBlock as None"
        );
    }

    // The readiness was cleared: the next `readable()` waits...
    let mut next = pin!(a.readable());
    assert!(
        poll_once(next.as_mut(), &noop_waker()).is_pending(),
        "readable() after WouldBlock must wait for new data"
    );
    // ...until the other thread writes.
    barrier.wait();
    let mut guard = block_on(next)?;
    let mut got = Vec::new();
    while got.len() < b"second".len() {
        match guard.try_io(|s| (&*s).read(&mut buf)) {
            Some(n) => got.extend_from_slice(&buf[..n?]),
            None => guard = block_on(a.readable())?,
        }
    }
    assert_eq!(got, b"second");
    let _b = writer.join().unwrap();
    Ok(())
}

#[test]
fn clear_ready_waits_for_new_data_and_a_dropped_guard_keeps_readiness() -> io::Result<()> {
    let (a, mut b) = UnixStream::pair()?;
    b.write_all(b"abc")?;
    let a = Async::new(a)?;

    // A guard dropped without any I/O keeps the readiness.
    let _ = block_on(a.readable())?;
    let mut again = pin!(a.readable());
    let Poll::Ready(guard) = poll_once(again.as_mut(), &noop_waker()) else {
        panic!("dropping a guard lost the readiness");
    };
    let guard = guard?;

    // Drain by hand, then report the WouldBlock with clear_ready.
    let mut buf = [0; 8];
    assert_eq!(guard.get_ref().read(&mut buf)?, 3);
    let err = guard.get_ref().read(&mut buf).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
    guard.clear_ready();

    let mut next = pin!(a.readable());
    assert!(
        poll_once(next.as_mut(), &noop_waker()).is_pending(),
        "readable() after clear_ready must wait for new data"
    );
    let barrier = Arc::new(Barrier::new(2));
    let writer = {
        let barrier = barrier.clone();
        thread::spawn(move || {
            barrier.wait();
            b.write_all(b"d").unwrap();
            b
        })
    };
    barrier.wait();
    let mut guard = block_on(next)?;
    let n = guard.try_io(|s| (&*s).read(&mut buf)).expect("new data")?;
    assert_eq!(&buf[..n], b"d");
    let _b = writer.join().unwrap();
    Ok(())
}

/// `try_read_inq` keeps the readiness while the kernel says bytes are left, ends it
/// when none are (with no `WouldBlock` read), and still reads the end of stream.
#[cfg(target_os = "linux")]
#[test]
fn try_read_inq_ends_the_readiness_exactly_when_the_socket_is_empty() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let mut client = TcpStream::connect(listener.local_addr()?)?;
    let server = Async::new(listener.accept()?.0)?;
    server.set_tcp_inq(true)?;
    client.write_all(b"abcdefgh")?;

    let mut buf = [0; 4];
    let mut guard = block_on(server.readable())?;
    assert_eq!(guard.try_read_inq(&mut buf).expect("data was written")?, 4);
    assert_eq!(&buf, b"abcd");

    // Four bytes left: still ready, without a new event.
    let mut next = pin!(server.readable());
    let Poll::Ready(guard) = poll_once(next.as_mut(), &noop_waker()) else {
        panic!("bytes were left, but the readiness ended");
    };
    let mut guard = guard?;
    assert_eq!(guard.try_read_inq(&mut buf).expect("bytes left")?, 4);
    assert_eq!(&buf, b"efgh");

    // None left: the readiness ended, though the read filled its buffer. (The
    // portable backend cannot tell a hang-up from data, so after any event it keeps
    // the readiness, as `drained` does, and the next read proves it.)
    let mut next = pin!(server.readable());
    let ended = poll_once(next.as_mut(), &noop_waker()).is_pending();
    assert_eq!(
        ended,
        !cfg!(weft_reactor_force_polling),
        "the kernel said the socket was empty; did the readiness end?"
    );

    // The last bytes and the end of stream: full reads, then the end.
    client.write_all(b"ij")?;
    drop(client);
    let mut got = Vec::new();
    loop {
        let mut guard = block_on(server.readable())?;
        if let Some(n) = guard.try_read_inq(&mut buf[..1]) {
            match n? {
                0 => break,
                n => got.extend_from_slice(&buf[..n]),
            }
        }
    }
    assert_eq!(got, b"ij");
    Ok(())
}

/// Without `TCP_INQ` (not a TCP socket), `try_read_inq` is a plain read: a full read
/// keeps the readiness, and the `WouldBlock` read ends it.
#[test]
fn try_read_inq_without_the_report_is_a_plain_read() -> io::Result<()> {
    let (a, mut b) = UnixStream::pair()?;
    let a = Async::new(a)?;
    assert!(a.set_tcp_inq(true).is_err(), "a Unix socket took TCP_INQ");
    b.write_all(b"xy")?;
    let mut buf = [0; 2];
    let mut guard = block_on(a.readable())?;
    assert_eq!(guard.try_read_inq(&mut buf).expect("data was written")?, 2);
    assert_eq!(&buf, b"xy");
    assert!(guard.try_read_inq(&mut buf).is_none(), "no WouldBlock seen");
    let mut next = pin!(a.readable());
    assert!(poll_once(next.as_mut(), &noop_waker()).is_pending());
    Ok(())
}

/// Descriptors passed with the data on a Unix socket are closed by `try_read_inq`, as
/// a plain read discards them: none is left open behind the caller's back.
#[cfg(target_os = "linux")]
#[test]
fn try_read_inq_closes_descriptors_passed_with_the_data() -> io::Result<()> {
    use std::os::fd::AsRawFd;

    let (a, b) = UnixStream::pair()?;
    let a = Async::new(a)?;
    // The descriptor passed: one end of another pair, whose other end reads an end of
    // stream only once every copy of it is closed.
    let (passed, watch) = UnixStream::pair()?;
    send_with_fd(&b, b"x", passed.as_raw_fd())?;
    drop(passed);

    let mut buf = [0; 1];
    let mut guard = block_on(a.readable())?;
    assert_eq!(guard.try_read_inq(&mut buf).expect("data was written")?, 1);
    assert_eq!(&buf, b"x");
    watch.set_nonblocking(true)?;
    let read = (&watch).read(&mut [0; 1]).map_err(|e| e.kind());
    assert_eq!(read, Ok(0), "the passed descriptor was left open");
    Ok(())
}

/// Sends `data` on `sock` with `fd` attached (`SCM_RIGHTS`).
#[cfg(target_os = "linux")]
fn send_with_fd(sock: &UnixStream, data: &[u8], fd: std::os::fd::RawFd) -> io::Result<()> {
    use std::os::fd::AsRawFd;

    let int = std::mem::size_of::<libc::c_int>() as u32;
    let mut iov = libc::iovec {
        iov_base: data.as_ptr().cast_mut().cast(),
        iov_len: data.len(),
    };
    let mut control = [0usize; 4];
    // SAFETY: `msghdr` is plain data, for which all zeroes is a valid (empty) value.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &raw mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.as_mut_ptr().cast();
    // SAFETY: `CMSG_SPACE` only computes a length (within `control`'s 32 bytes).
    msg.msg_controllen = unsafe { libc::CMSG_SPACE(int) } as _;
    // SAFETY: `msg`'s control buffer is set: the result points into it, or is null.
    let first = unsafe { libc::CMSG_FIRSTHDR(&raw const msg) };
    // SAFETY: the buffer holds a whole, aligned header, so `first` is not null.
    let cmsg = unsafe { &mut *first };
    cmsg.cmsg_level = libc::SOL_SOCKET;
    cmsg.cmsg_type = libc::SCM_RIGHTS;
    // SAFETY: `CMSG_LEN` only computes a length.
    cmsg.cmsg_len = unsafe { libc::CMSG_LEN(int) } as _;
    // SAFETY: the header's data has room for one `c_int`, inside `control`.
    let slot = unsafe { libc::CMSG_DATA(cmsg) }.cast::<libc::c_int>();
    // SAFETY: `slot` is valid for a `c_int` (above); the write assumes no alignment.
    unsafe { slot.write_unaligned(fd) };
    // SAFETY: `msg` points at `iov` (over `data`) and `control`, alive for the call.
    let n = unsafe { libc::sendmsg(sock.as_raw_fd(), &raw const msg, 0) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    assert_eq!(n as usize, data.len(), "a short send");
    Ok(())
}

// ---------------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------------

#[test]
fn registering_a_regular_file_is_an_error_not_a_panic() -> io::Result<()> {
    // Safe Rust cannot make an `OwnedFd` for a closed descriptor (that would take
    // `unsafe { OwnedFd::from_raw_fd(..) }`, which these tests do not use), so the
    // descriptor the poller refuses is a regular file: epoll answers EPERM for those.
    // The test binary itself is a regular file that always exists.
    let exe = std::env::current_exe()?;

    let err = Async::new(File::open(&exe)?).expect_err("a regular file cannot be registered");
    #[cfg(target_os = "linux")]
    assert_eq!(err.kind(), io::ErrorKind::PermissionDenied, "{err}");
    #[cfg(not(target_os = "linux"))]
    let _ = err;

    let err =
        Async::new_nonblocking(File::open(&exe)?).expect_err("a regular file cannot be registered");
    #[cfg(target_os = "linux")]
    assert_eq!(err.kind(), io::ErrorKind::PermissionDenied, "{err}");
    #[cfg(not(target_os = "linux"))]
    let _ = err;

    // The reactor is unharmed.
    let (a, b) = async_pair()?;
    block_on(b.write_with(|s| (&*s).write(b"ok")))?;
    let mut buf = [0; 2];
    block_on(a.read_with(|s| (&*s).read(&mut buf)))?;
    assert_eq!(&buf, b"ok");
    Ok(())
}

#[test]
fn registering_a_descriptor_twice_is_an_error_and_harms_neither() -> io::Result<()> {
    let (a, b) = async_pair()?;
    // `&UnixStream` is `AsFd` too: the same descriptor, a second time.
    let twice = Async::new(a.get_ref());
    assert!(twice.is_err(), "the same descriptor was registered twice");
    drop(twice);

    // The first registration still works, both ways.
    block_on(async {
        (&b).write_all(b"still here").await?;
        let mut buf = [0; 10];
        (&a).read_exact(&mut buf).await?;
        assert_eq!(&buf, b"still here");
        (&a).write_all(b"and back").await?;
        let mut buf = [0; 8];
        (&b).read_exact(&mut buf).await?;
        assert_eq!(&buf, b"and back");
        Ok(())
    })
}

// ---------------------------------------------------------------------------------
// Deregistration
// ---------------------------------------------------------------------------------

#[test]
fn dropping_an_async_wakes_its_poll_readable_waiter() -> io::Result<()> {
    let (a, _b) = UnixStream::pair()?;
    let a = Async::new(a)?;
    let (reporter, _rx) = Reporter::new();
    let waker = Waker::from(reporter.clone());

    assert!(
        a.poll_readable(&mut Context::from_waker(&waker))
            .is_pending(),
        "no data and the peer is open: not readable"
    );
    assert_eq!(reporter.wakes(), 0, "woken before anything happened");
    drop(a);
    assert_eq!(
        reporter.wakes(),
        1,
        "dropping the Async must wake its waiter"
    );
    Ok(())
}

#[test]
fn into_inner_deregisters_and_returns_a_usable_object() -> io::Result<()> {
    let (a, b) = UnixStream::pair()?;
    let (a, mut b) = (Async::new(a)?, b);
    let (reporter, _rx) = Reporter::new();
    let waker = Waker::from(reporter.clone());

    // Use it through the reactor first.
    b.write_all(b"async")?;
    let mut buf = [0; 5];
    block_on((&a).read_exact(&mut buf))?;
    assert_eq!(&buf, b"async");
    // Drained: the WouldBlock clears the readiness, so the poll below waits.
    let mut guard = block_on(a.readable())?;
    assert!(guard.try_io(|s| (&*s).read(&mut buf)).is_none());
    assert!(
        a.poll_readable(&mut Context::from_waker(&waker))
            .is_pending()
    );

    let a: UnixStream = a.into_inner();
    assert_eq!(reporter.wakes(), 1, "into_inner must wake the waiter");

    // Still non-blocking, as documented...
    let err = (&a).read(&mut buf).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
    // ...and a plain std object once made blocking again.
    a.set_nonblocking(false)?;
    b.write_all(b"plain")?;
    (&a).read_exact(&mut buf)?;
    assert_eq!(&buf, b"plain");
    (&a).write_all(b"reply")?;
    b.read_exact(&mut buf)?;
    assert_eq!(&buf, b"reply");

    // The poller no longer holds it: registering it again succeeds (epoll would answer
    // EEXIST otherwise), and the new registration works.
    let a = Async::new(a)?;
    b.write_all(b"again")?;
    block_on((&a).read_exact(&mut buf))?;
    assert_eq!(&buf, b"again");
    Ok(())
}

#[test]
fn reading_after_the_peer_is_dropped_returns_zero() -> io::Result<()> {
    let (a, b) = async_pair()?;
    block_on(async {
        (&b).write_all(b"last words").await?;
        drop(b);
        let mut got = Vec::new();
        let mut a_ref = &a;
        a_ref.read_to_end(&mut got).await?;
        assert_eq!(got, b"last words");
        // The end of stream stays the end: read, read_with and readable all see it.
        let mut buf = [0; 8];
        assert_eq!(a_ref.read(&mut buf).await?, 0);
        assert_eq!(a.read_with(|s| (&*s).read(&mut buf)).await?, 0);
        let mut guard = a.readable().await?;
        assert_eq!(guard.try_io(|s| (&*s).read(&mut buf)).transpose()?, Some(0));
        Ok(())
    })
}

#[test]
fn reading_with_no_data_from_a_dropped_peer_returns_zero() -> io::Result<()> {
    let (a, b) = UnixStream::pair()?;
    let mut a = Async::new(a)?;
    let barrier = Arc::new(Barrier::new(2));
    let dropper = {
        let barrier = barrier.clone();
        thread::spawn(move || {
            barrier.wait();
            drop(b);
        })
    };
    // The read starts waiting before the peer goes away.
    let mut buf = [0; 8];
    let mut read = pin!(a.read(&mut buf));
    assert!(poll_once(read.as_mut(), &noop_waker()).is_pending());
    barrier.wait();
    assert_eq!(block_on(read)?, 0);
    dropper.join().unwrap();
    Ok(())
}

// ---------------------------------------------------------------------------------
// `&Async<T>` and foreign executors
// ---------------------------------------------------------------------------------

#[test]
fn shared_reference_reads_and_writes_concurrently() -> io::Result<()> {
    // Both sides send more than the socket buffers hold while receiving: neither can
    // finish its write unless its read runs at the same time.
    const LEN: usize = 2 * 1024 * 1024;
    let (a, b) = async_pair()?;
    let (to_b, to_a) = (pattern(LEN, 21), pattern(LEN, 22));

    let (at_b, at_a) = block_on(async {
        let (a_reader, mut a_writer) = (&a, &a);
        let (b_reader, mut b_writer) = (&b, &b);
        let (w1, w2, at_b, at_a) = join4(
            a_writer.write_all(&to_b),
            b_writer.write_all(&to_a),
            async move {
                let mut got = vec![0; LEN];
                let mut r = b_reader;
                r.read_exact(&mut got).await.map(|()| got)
            },
            async move {
                let mut got = vec![0; LEN];
                let mut r = a_reader;
                r.read_exact(&mut got).await.map(|()| got)
            },
        )
        .await;
        w1?;
        w2?;
        io::Result::Ok((at_b?, at_a?))
    })?;

    assert!(at_b == to_b, "a -> b corrupted");
    assert!(at_a == to_a, "b -> a corrupted");
    Ok(())
}

/// Sends `msg` from `from` to `to`, reading while writing; says whether it arrived.
async fn exchange(
    to: &Async<UnixStream>,
    from: &Async<UnixStream>,
    msg: &[u8],
) -> io::Result<bool> {
    let mut got = vec![0; msg.len()];
    let (mut to, mut from) = (to, from);
    let (read, wrote) = join(to.read_exact(&mut got), from.write_all(msg)).await;
    read?;
    wrote?;
    Ok(got == msg)
}

#[test]
fn works_under_foreign_executors() -> io::Result<()> {
    let (a, b) = async_pair()?;

    // futures' executor: the reactor is driven by whoever offers, or its fallback thread.
    assert!(futures::executor::block_on(exchange(&a, &b, b"futures"))?);

    // tokio's current-thread runtime, likewise.
    let rt = tokio::runtime::Builder::new_current_thread().build()?;
    assert!(rt.block_on(exchange(&b, &a, b"tokio"))?);
    Ok(())
}
