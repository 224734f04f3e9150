//! The I/O loop every socket type shares: try the system call, and wait for readiness
//! only when it fails with `WouldBlock`.
//!
//! The reactor's readiness is edge-triggered: it learns that a descriptor has run dry
//! only from an operation that failed with `WouldBlock`, through a
//! [`ReadyGuard`] taken *before* the operation (so an event that arrives meanwhile is
//! never lost). The `poll_*` functions here wait with the reactor's one polling slot
//! per direction ([`Async::poll_readable`]); the `try_*` functions take the guard
//! without ever registering a waker, so they never replace a polling task's waker.

use std::future::Future;
use std::io;
use std::os::fd::AsFd;
use std::pin::pin;
use std::sync::atomic::{AtomicU8, Ordering};
use std::task::{Context, Poll, Waker, ready};

use weft_reactor::{Async, ReadyGuard};

/// A direction of readiness.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dir {
    Read,
    Write,
}

/// The guard of `dir` if the reactor has it ready now; never waits and leaves no waker.
pub(crate) fn guard<T: AsFd>(io: &Async<T>, dir: Dir) -> Option<io::Result<ReadyGuard<'_, T>>> {
    let mut cx = Context::from_waker(Waker::noop());
    let poll = match dir {
        Dir::Read => pin!(io.readable()).poll(&mut cx),
        Dir::Write => pin!(io.writable()).poll(&mut cx),
    };
    match poll {
        Poll::Ready(res) => Some(res),
        Poll::Pending => None,
    }
}

fn would_block() -> io::Error {
    io::ErrorKind::WouldBlock.into()
}

/// Runs `op` if `dir` is ready; `WouldBlock` if it is not, or if `op` fails with
/// `WouldBlock` (which clears the readiness).
pub(crate) fn try_io<T: AsFd, R>(
    io: &Async<T>,
    dir: Dir,
    op: impl FnOnce(&T) -> io::Result<R>,
) -> io::Result<R> {
    match guard(io, dir) {
        None => Err(would_block()),
        Some(Err(e)) => Err(e),
        Some(Ok(mut g)) => g.try_io(op).unwrap_or_else(|| Err(would_block())),
    }
}

/// Waits for `dir` with the polling slot of the reactor (the last task to poll is
/// woken).
pub(crate) fn poll_ready<T: AsFd>(
    io: &Async<T>,
    dir: Dir,
    cx: &mut Context<'_>,
) -> Poll<io::Result<()>> {
    match dir {
        Dir::Read => io.poll_readable(cx),
        Dir::Write => io.poll_writable(cx),
    }
}

/// [`poll_io`] for a read into `buf` from a stream (TCP, Unix): a read that returns
/// less than asked emptied the socket, so it ends the readiness as a `WouldBlock`
/// would ([`ReadyGuard::drained`]), and the next read waits for an event instead of
/// making a system call bound to fail: one call fewer per message received.
///
/// A read that fills `buf` leaves that question open. Given `inq` (TCP), the first
/// such read turns on `TCP_INQ`, and from then on every read learns from the kernel
/// whether it left bytes behind ([`ReadyGuard::try_read_inq`]): a reader of
/// fixed-size messages (`read_exact`) saves its `WouldBlock` read too.
pub(crate) fn poll_read_stream<T: AsFd>(
    io: &Async<T>,
    cx: &mut Context<'_>,
    buf: &mut [u8],
    inq: Option<&Inq>,
) -> Poll<io::Result<usize>>
where
    for<'a> &'a T: io::Read,
{
    let len = buf.len();
    let inq_on = inq.is_some_and(Inq::is_on);
    loop {
        ready!(io.poll_readable(cx))?;
        let Some(g) = guard(io, Dir::Read) else {
            continue;
        };
        let mut g = g?;
        let res = if inq_on {
            g.try_read_inq(buf)
        } else {
            g.try_io(|mut s| io::Read::read(&mut s, buf))
        };
        match res {
            None => {}
            Some(Ok(n)) if n > 0 && n < len => {
                g.drained();
                return Poll::Ready(Ok(n));
            }
            Some(Ok(n)) if n > 0 && !inq_on => {
                if let Some(inq) = inq {
                    inq.filled(io);
                }
                return Poll::Ready(Ok(n));
            }
            Some(res) => return Poll::Ready(res),
        }
    }
}

/// Whether a TCP stream's reads ask the kernel how many bytes they leave
/// (`TCP_INQ`): off until a read fills its buffer (only such a read leaves the
/// question open), then on, or off for good if the socket refuses the option.
#[derive(Debug, Default)]
pub(crate) struct Inq(AtomicU8);

const INQ_UNTRIED: u8 = 0;
const INQ_ON: u8 = 1;
const INQ_REFUSED: u8 = 2;

impl Inq {
    fn is_on(&self) -> bool {
        self.0.load(Ordering::Relaxed) == INQ_ON
    }

    /// A read filled its buffer: turns the option on, the first time.
    fn filled<T: AsFd>(&self, io: &Async<T>) {
        if self.0.load(Ordering::Relaxed) == INQ_UNTRIED {
            let state = match io.set_tcp_inq(true) {
                Ok(()) => INQ_ON,
                Err(_) => INQ_REFUSED,
            };
            self.0.store(state, Ordering::Relaxed);
        }
    }

    /// Turns the option off if it was on (before the socket leaves weft).
    pub(crate) fn turn_off<T: AsFd>(&self, io: &Async<T>) {
        if self.0.swap(INQ_UNTRIED, Ordering::Relaxed) == INQ_ON {
            // The socket took the option; turning it off cannot fail otherwise.
            let _ = io.set_tcp_inq(false);
        }
    }
}

/// Polls `op` until it stops failing with `WouldBlock`.
pub(crate) fn poll_io<T: AsFd, R>(
    io: &Async<T>,
    dir: Dir,
    cx: &mut Context<'_>,
    mut op: impl FnMut(&T) -> io::Result<R>,
) -> Poll<io::Result<R>> {
    loop {
        ready!(poll_ready(io, dir, cx))?;
        match try_io(io, dir, &mut op) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            res => return Poll::Ready(res),
        }
    }
}
