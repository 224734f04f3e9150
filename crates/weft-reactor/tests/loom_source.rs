//! Model checks of a source's edge-triggered readiness (`src/source.rs`), through
//! its read direction.
//!
//! The driver's side is `set_ready` followed by waking the wakers it took; an
//! operation's side is the loop of `Async::read_with` (wait for readiness, try, clear
//! on `WouldBlock`) or of `poll_read`. The descriptor is modelled as a flag, "data
//! available", that the kernel sets before it reports the edge, and that an operation
//! takes (or fails with `WouldBlock`). The flag is under a lock, as the kernel's
//! buffers are: it is not what is being checked, and loom mis-orders a plain store
//! racing with a swap on one atomic (tokio-rs/loom#254). A waiter whose wake-up is
//! lost blocks forever, which loom reports as a deadlock.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test --release --test loom_source`.
#![cfg(loom)]

use std::future::poll_fn;
use std::task::Poll;

use loom::future::block_on;
use loom::sync::{Arc, Mutex};
use loom::thread;
use weft_reactor::__loom::Source;

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

/// The driver: the kernel makes data available and reports the edge; the driver
/// records it and wakes the waiters it took.
fn spawn_driver(source: &Arc<Source>, data: &Arc<Data>) -> thread::JoinHandle<()> {
    let (source, data) = (source.clone(), data.clone());
    thread::spawn(move || {
        *data.lock().unwrap() = true;
        let mut wakers = Vec::new();
        source.set_readable(&mut wakers);
        for w in wakers {
            w.wake();
        }
    })
}

/// Whether the descriptor has data to read.
type Data = Mutex<bool>;

/// An operation on the descriptor: takes the data if there is some.
fn try_read(data: &Data) -> bool {
    std::mem::take(&mut *data.lock().unwrap())
}

/// `read_with` (`shared == false`: a future with a waiter slot) or `poll_read`
/// (`shared == true`): wait for readiness, try, clear on `WouldBlock`, until it reads.
fn read_with(source: &Source, data: &Data, shared: bool) {
    let mut slot = None;
    block_on(poll_fn(|cx| {
        loop {
            let polled = if shared {
                source.poll_ready_shared(cx)
            } else {
                source.poll_ready(&mut slot, cx)
            };
            let token = match polled {
                Poll::Ready(res) => res.expect("the source is not closed"),
                Poll::Pending => return Poll::Pending,
            };
            if try_read(data) {
                return Poll::Ready(());
            }
            source.clear(token);
        }
    }));
    assert!(slot.is_none(), "a completed future gave its slot back");
}

/// (a) An event that arrives between an operation's readiness check and its `clear`
/// is kept: after a `clear` with a token older than the event, the direction is still
/// ready.
#[test]
fn clear_with_stale_token_keeps_new_event() {
    loom::model(|| {
        // Ready from one event, whose data someone else already read.
        let source = Arc::new(Source::new(1, true));
        let driver = {
            let source = source.clone();
            thread::spawn(move || source.set_readable(&mut Vec::new()))
        };
        let token = source.ready().expect("ready from the first event");
        source.clear(token);
        driver.join().unwrap();

        if token.tick() == 1 {
            assert!(source.ready().is_some(), "the second event was lost");
        }
    });
}

/// (a), with the descriptor: if data is available once both sides are done, the
/// direction is ready, so the next operation tries instead of waiting forever.
#[test]
fn data_available_implies_ready() {
    loom::model(|| {
        let source = Arc::new(Source::new(1, true));
        let data = Arc::new(Data::new(false));
        let driver = spawn_driver(&source, &data);

        if let Some(token) = source.ready()
            && !try_read(&data)
        {
            source.clear(token);
        }
        driver.join().unwrap();

        if *data.lock().unwrap() {
            assert!(source.ready().is_some(), "data available but not ready");
        }
    });
}

/// (b) A waiter either sees readiness or leaves its waker in time for the concurrent
/// `set_ready` to take and wake it.
#[test]
fn readable_waiter_is_woken() {
    loom::model(|| {
        let source = Arc::new(Source::new(0, false));
        let data = Arc::new(Data::new(false));
        let driver = spawn_driver(&source, &data);

        let mut slot = None;
        let token = block_on(poll_fn(|cx| source.poll_ready(&mut slot, cx))).unwrap();
        assert_eq!(token.tick(), 1);
        assert!(slot.is_none());
        driver.join().unwrap();
    });
}

/// (b) Two futures waiting at once, each in its own slot: both are woken.
#[test]
fn two_readable_waiters_are_woken() {
    model_bounded(3, || {
        let source = Arc::new(Source::new(0, false));
        let data = Arc::new(Data::new(false));
        let driver = spawn_driver(&source, &data);
        let other = {
            let source = source.clone();
            thread::spawn(move || {
                let mut slot = None;
                block_on(poll_fn(|cx| source.poll_ready(&mut slot, cx))).unwrap();
            })
        };

        let mut slot = None;
        block_on(poll_fn(|cx| source.poll_ready(&mut slot, cx))).unwrap();
        other.join().unwrap();
        driver.join().unwrap();
    });
}

/// (a) and (b) together: `read_with` on a stale readiness (its first try fails, it
/// clears and waits) or on none reads the data the concurrent event announces.
#[test]
fn read_with_reads_concurrent_event() {
    for stale in [true, false] {
        loom::model(move || {
            let source = Arc::new(Source::new(u32::from(stale), stale));
            let data = Arc::new(Data::new(false));
            let driver = spawn_driver(&source, &data);
            read_with(&source, &data, false);
            driver.join().unwrap();
        });
    }
}

/// The same for `poll_read` and friends, which share one waker slot.
#[test]
fn poll_read_reads_concurrent_event() {
    for stale in [true, false] {
        loom::model(move || {
            let source = Arc::new(Source::new(u32::from(stale), stale));
            let data = Arc::new(Data::new(false));
            let driver = spawn_driver(&source, &data);
            read_with(&source, &data, true);
            driver.join().unwrap();
        });
    }
}

/// Deregistering wakes a concurrent waiter, which then sees the source closed.
#[test]
fn close_wakes_waiter() {
    for shared in [false, true] {
        loom::model(move || {
            let source = Arc::new(Source::new(0, false));
            let closer = {
                let source = source.clone();
                thread::spawn(move || source.close())
            };
            let mut slot = None;
            let res = block_on(poll_fn(|cx| {
                if shared {
                    source.poll_ready_shared(cx)
                } else {
                    source.poll_ready(&mut slot, cx)
                }
            }));
            let err = res.expect_err("closed, never ready");
            assert_eq!(err.kind(), std::io::ErrorKind::NotConnected);
            closer.join().unwrap();
        });
    }
}

/// A stream: bytes waiting and whether the peer has closed, as the kernel keeps them.
#[derive(Default)]
struct Stream {
    bytes: u32,
    eof: bool,
}

/// A reader of a stream that takes a short read as proof that the socket is empty
/// (`drained`), until it reads the end of stream; a `WouldBlock` clears as usual.
fn read_to_end(source: &Source, stream: &Mutex<Stream>) -> u32 {
    let mut got = 0;
    block_on(poll_fn(|cx| {
        loop {
            let token = match source.poll_ready_shared(cx) {
                Poll::Ready(res) => res.expect("the source is not closed"),
                Poll::Pending => return Poll::Pending,
            };
            let mut s = stream.lock().unwrap();
            if s.bytes > 0 {
                // A buffer larger than what is there: a short read.
                got += std::mem::take(&mut s.bytes);
                drop(s);
                source.drained(token);
            } else if s.eof {
                return Poll::Ready(());
            } else {
                drop(s);
                source.clear(token);
            }
        }
    }));
    got
}

/// A short read ends the readiness, but never an end of stream's: the peer writes
/// and closes, reported as two events or as one (the kernel coalesces an edge not yet
/// collected), and the reader gets every byte and then the end, never waiting for an
/// event that will not come. With `drained` clearing regardless, the one-event case
/// deadlocks.
#[test]
fn short_read_keeps_end_of_stream() {
    for coalesced in [false, true] {
        model_bounded(3, move || {
            let source = Arc::new(Source::new(0, false));
            let stream = Arc::new(Mutex::new(Stream::default()));
            let peer = {
                let (source, stream) = (source.clone(), stream.clone());
                thread::spawn(move || {
                    let mut wakers = Vec::new();
                    stream.lock().unwrap().bytes = 1;
                    if !coalesced {
                        source.set_readable(&mut wakers);
                    }
                    stream.lock().unwrap().eof = true;
                    source.set_read_closed(&mut wakers);
                    for w in wakers {
                        w.wake();
                    }
                })
            };
            assert_eq!(read_to_end(&source, &stream), 1);
            peer.join().unwrap();
        });
    }
}
