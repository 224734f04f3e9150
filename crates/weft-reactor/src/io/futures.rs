//! The named futures of `Async<T>` and the guard that `readable`/`writable` yield.

use std::fmt;
use std::future::Future;
use std::io;
use std::os::fd::AsFd;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use super::Async;
use crate::source::{Dir, ReadyToken};

/// Waits for one direction, owning a waiter slot from its first `Pending` on.
struct WaitReady<'a, T: AsFd> {
    io: &'a Async<T>,
    dir: Dir,
    slot: Option<usize>,
}

impl<'a, T: AsFd> WaitReady<'a, T> {
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<ReadyToken>> {
        self.io.source().poll_ready(self.dir, &mut self.slot, cx)
    }
}

impl<T: AsFd> Drop for WaitReady<'_, T> {
    fn drop(&mut self) {
        if let Some(slot) = self.slot.take() {
            self.io.source().release_slot(self.dir, slot);
        }
    }
}

/// Proof that an [`Async`] was ready in one direction, from
/// [`readable`](Async::readable) or [`writable`](Async::writable).
///
/// The reactor is edge-triggered: it learns that the descriptor has run dry only when
/// an operation fails with `WouldBlock`. Do the operation through
/// [`try_io`](ReadyGuard::try_io), which tells it, or call
/// [`clear_ready`](ReadyGuard::clear_ready) after such a failure. Dropping the guard
/// keeps the readiness, so the next `readable()` returns at once.
///
/// # Examples
///
/// ```
/// use std::io::{Read, Write};
/// use std::os::unix::net::UnixStream;
/// use weft_reactor::{Async, block_on};
///
/// # fn main() -> std::io::Result<()> {
/// let (a, mut b) = UnixStream::pair()?;
/// let a = Async::new(a)?;
/// b.write_all(b"x")?;
/// block_on(async {
///     let mut guard = a.readable().await?;
///     let mut buf = [0; 8];
///     assert_eq!(guard.try_io(|s| (&*s).read(&mut buf)).unwrap()?, 1);
///     // Drained now: the next try reports `None` and clears the readiness.
///     assert!(guard.try_io(|s| (&*s).read(&mut buf)).is_none());
///     Ok(())
/// })
/// # }
/// ```
pub struct ReadyGuard<'a, T: AsFd> {
    io: &'a Async<T>,
    dir: Dir,
    token: ReadyToken,
}

impl<'a, T: AsFd> ReadyGuard<'a, T> {
    /// The I/O object.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::os::unix::net::UnixStream;
    /// use weft_reactor::{Async, block_on};
    ///
    /// let (a, _b) = UnixStream::pair()?;
    /// let a = Async::new(a)?;
    /// let guard = block_on(a.writable())?;
    /// assert!(guard.get_ref().peer_addr().is_ok());
    /// # std::io::Result::Ok(())
    /// ```
    pub fn get_ref(&self) -> &'a T {
        self.io.get_ref()
    }

    /// Runs `op`; if it fails with `WouldBlock`, clears the readiness and returns
    /// `None`, otherwise returns its result.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use std::os::unix::net::UnixStream;
    /// use weft_reactor::{Async, block_on};
    ///
    /// let (a, _b) = UnixStream::pair()?;
    /// let a = Async::new(a)?;
    /// let mut guard = block_on(a.writable())?;
    /// let n = guard.try_io(|s| (&*s).write(b"data")).expect("buffer space")?;
    /// assert_eq!(n, 4);
    /// # std::io::Result::Ok(())
    /// ```
    pub fn try_io<R>(&mut self, op: impl FnOnce(&'a T) -> io::Result<R>) -> Option<io::Result<R>> {
        match op(self.io.get_ref()) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                self.io.source().clear(self.dir, self.token);
                None
            }
            res => Some(res),
        }
    }

    /// Records that an operation failed with `WouldBlock`: the next wait waits for a
    /// new event. Readiness that arrived after this guard was made is kept.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Read;
    /// use std::os::unix::net::UnixStream;
    /// use weft_reactor::{Async, block_on};
    ///
    /// let (a, _b) = UnixStream::pair()?;
    /// let a = Async::new(a)?;
    /// let guard = block_on(a.writable())?;
    /// guard.clear_ready();
    /// # std::io::Result::Ok(())
    /// ```
    pub fn clear_ready(self) {
        self.io.source().clear(self.dir, self.token);
    }

    /// Records that a read returned less than it asked for, which on a stream socket
    /// or a pipe means it emptied the buffer: the next wait waits for a new event, and
    /// the `WouldBlock` read that would have proved it is saved. The readiness stays
    /// if the reactor has seen the peer close (an end of stream is announced once),
    /// or if this guard is for writing. Not for datagram sockets, where a short read
    /// is one small datagram.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Read, Write};
    /// use std::os::unix::net::UnixStream;
    /// use weft_reactor::{Async, block_on};
    ///
    /// let (a, mut b) = UnixStream::pair()?;
    /// let a = Async::new(a)?;
    /// b.write_all(b"hi")?;
    /// block_on(async {
    ///     let mut guard = a.readable().await?;
    ///     let mut buf = [0; 64];
    ///     let n = guard.try_io(|s| (&*s).read(&mut buf)).unwrap()?;
    ///     assert_eq!(&buf[..n], b"hi");
    ///     if n < buf.len() {
    ///         guard.drained(); // no second read to see `WouldBlock`
    ///     }
    ///     std::io::Result::Ok(())
    /// })?;
    /// # std::io::Result::Ok(())
    /// ```
    pub fn drained(self) {
        self.end_read();
    }

    /// `drained`'s work, for a guard that stays usable.
    fn end_read(&self) {
        if self.dir == Dir::Read {
            self.io.source().drained(self.token);
        }
    }

    /// Reads into `buf` with one `recvmsg`, as [`try_io`](ReadyGuard::try_io) would
    /// read: `None` if the socket was empty (the readiness ends). On a TCP socket with
    /// `TCP_INQ` on ([`Async::set_tcp_inq`]), the kernel also says how many bytes the
    /// read left; none left ends the readiness as [`drained`](ReadyGuard::drained)
    /// does, which saves the `WouldBlock` read a full buffer would otherwise need to
    /// prove it. Linux reports bytes left once the peer has closed, so the end of
    /// stream is still read. Without the report (the option is off, another system,
    /// not a TCP socket) this is a plain read: descriptors passed on a Unix socket are
    /// discarded, as a plain read discards them. For a guard of
    /// [`readable`](Async::readable).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use std::net::{TcpListener, TcpStream};
    /// use weft_reactor::{Async, block_on};
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0")?;
    /// let mut client = TcpStream::connect(listener.local_addr()?)?;
    /// let server = Async::new(listener.accept()?.0)?;
    /// let _ = server.set_tcp_inq(true);
    /// client.write_all(b"ping")?;
    /// block_on(async {
    ///     let mut buf = [0; 4];
    ///     let mut guard = server.readable().await?;
    ///     let n = guard.try_read_inq(&mut buf).expect("ready")?;
    ///     assert_eq!(&buf[..n], b"ping");
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub fn try_read_inq(&mut self, buf: &mut [u8]) -> Option<io::Result<usize>> {
        let fd = self.io.source().fd();
        let (n, left) = match self.try_io(|_| super::inq::recv_inq(fd, buf))? {
            Ok(read) => read,
            Err(e) => return Some(Err(e)),
        };
        if left == Some(0) {
            self.end_read();
        }
        Some(Ok(n))
    }
}

impl<T: AsFd> fmt::Debug for ReadyGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadyGuard")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

macro_rules! ready_future {
    ($(#[$doc:meta])* $name:ident, $dir:expr) => {
        $(#[$doc])*
        #[must_use = "futures do nothing unless polled"]
        pub struct $name<'a, T: AsFd>(WaitReady<'a, T>);

        impl<'a, T: AsFd> $name<'a, T> {
            pub(super) fn new(io: &'a Async<T>) -> Self {
                $name(WaitReady { io, dir: $dir, slot: None })
            }
        }

        impl<'a, T: AsFd> Future for $name<'a, T> {
            type Output = io::Result<ReadyGuard<'a, T>>;

            fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
                let token = ready!(self.0.poll(cx))?;
                let WaitReady { io, dir, .. } = self.0;
                Poll::Ready(Ok(ReadyGuard { io, dir, token }))
            }
        }

        impl<T: AsFd> fmt::Debug for $name<'_, T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name)).finish_non_exhaustive()
            }
        }
    };
}

ready_future!(
    /// The future of [`Async::readable`].
    Readable,
    Dir::Read
);
ready_future!(
    /// The future of [`Async::writable`].
    Writable,
    Dir::Write
);

/// Runs an operation until it stops failing with `WouldBlock`.
struct IoWith<'a, T: AsFd, F> {
    wait: WaitReady<'a, T>,
    op: F,
}

impl<T: AsFd, F: FnMut(&T) -> io::Result<R>, R> IoWith<'_, T, F> {
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<R>> {
        loop {
            let token = ready!(self.wait.poll(cx))?;
            match (self.op)(self.wait.io.get_ref()) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    self.wait.io.source().clear(self.wait.dir, token);
                }
                res => return Poll::Ready(res),
            }
        }
    }
}

macro_rules! io_future {
    ($(#[$doc:meta])* $name:ident, $dir:expr) => {
        $(#[$doc])*
        #[must_use = "futures do nothing unless polled"]
        pub struct $name<'a, T: AsFd, F>(IoWith<'a, T, F>);

        impl<'a, T: AsFd, F> $name<'a, T, F> {
            pub(super) fn new(io: &'a Async<T>, op: F) -> Self {
                $name(IoWith { wait: WaitReady { io, dir: $dir, slot: None }, op })
            }
        }

        // `op` is never pinned: it is only ever called through `&mut`.
        impl<T: AsFd, F> Unpin for $name<'_, T, F> {}

        impl<T: AsFd, F: FnMut(&T) -> io::Result<R>, R> Future for $name<'_, T, F> {
            type Output = io::Result<R>;

            fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<R>> {
                self.0.poll(cx)
            }
        }

        impl<T: AsFd, F> fmt::Debug for $name<'_, T, F> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name)).finish_non_exhaustive()
            }
        }
    };
}

io_future!(
    /// The future of [`Async::read_with`].
    ReadWith,
    Dir::Read
);
io_future!(
    /// The future of [`Async::write_with`].
    WriteWith,
    Dir::Write
);
