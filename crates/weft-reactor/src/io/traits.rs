//! `futures-io` traits for `Async<T>` and `&Async<T>`.
//!
//! Each operation loops: wait for readiness, try, and on `WouldBlock` clear the
//! readiness seen before trying (so an event that came meanwhile is kept) and wait
//! again. `poll_close` flushes; shutting a socket down is the socket type's business.

use std::io::{self, IoSlice, IoSliceMut, Read, Write};
use std::os::fd::AsFd;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_io::{AsyncRead, AsyncWrite};

use super::Async;
use crate::source::{Dir, Source};

// `T` is never pinned: `Async` hands out only `&T` and, to these impls, `&mut T`.
impl<T: AsFd> Unpin for Async<T> {}

/// Polls `op` on `dir` until it stops failing with `WouldBlock`.
fn poll_io<R>(
    source: &Source,
    dir: Dir,
    cx: &mut Context<'_>,
    mut op: impl FnMut() -> io::Result<R>,
) -> Poll<io::Result<R>> {
    loop {
        let token = ready!(source.poll_ready_shared(dir, cx))?;
        match op() {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => source.clear(dir, token),
            res => return Poll::Ready(res),
        }
    }
}

impl<T: AsFd + Read> AsyncRead for Async<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let (source, io) = (&this.source, this.io.as_mut().expect("present until drop"));
        poll_io(source, Dir::Read, cx, || io.read(buf))
    }

    fn poll_read_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &mut [IoSliceMut<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let (source, io) = (&this.source, this.io.as_mut().expect("present until drop"));
        poll_io(source, Dir::Read, cx, || io.read_vectored(bufs))
    }
}

impl<T: AsFd> AsyncRead for &Async<T>
where
    for<'a> &'a T: Read,
{
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let io = *self.get_mut();
        poll_io(io.source(), Dir::Read, cx, || io.get_ref().read(buf))
    }

    fn poll_read_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &mut [IoSliceMut<'_>],
    ) -> Poll<io::Result<usize>> {
        let io = *self.get_mut();
        poll_io(io.source(), Dir::Read, cx, || {
            io.get_ref().read_vectored(bufs)
        })
    }
}

impl<T: AsFd + Write> AsyncWrite for Async<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let (source, io) = (&this.source, this.io.as_mut().expect("present until drop"));
        poll_io(source, Dir::Write, cx, || io.write(buf))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let (source, io) = (&this.source, this.io.as_mut().expect("present until drop"));
        poll_io(source, Dir::Write, cx, || io.write_vectored(bufs))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let (source, io) = (&this.source, this.io.as_mut().expect("present until drop"));
        poll_io(source, Dir::Write, cx, || io.flush())
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_flush(cx)
    }
}

impl<T: AsFd> AsyncWrite for &Async<T>
where
    for<'a> &'a T: Write,
{
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let io = *self.get_mut();
        poll_io(io.source(), Dir::Write, cx, || io.get_ref().write(buf))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let io = *self.get_mut();
        poll_io(io.source(), Dir::Write, cx, || {
            io.get_ref().write_vectored(bufs)
        })
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let io = *self.get_mut();
        poll_io(io.source(), Dir::Write, cx, || io.get_ref().flush())
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_flush(cx)
    }
}
