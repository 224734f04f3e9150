//! `Async<T>`: any file descriptor, registered with the reactor.

mod futures;
mod inq;
mod traits;

use std::fmt;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::sync::Arc;
use std::task::{Context, Poll};

pub use futures::{ReadWith, Readable, ReadyGuard, Writable, WriteWith};

use crate::reactor::Reactor;
use crate::source::{Dir, Source};

/// An I/O object registered with the reactor: a socket, a pipe, a terminal, any `T`
/// with a file descriptor.
///
/// [`Async::new`] makes the descriptor non-blocking and registers it once,
/// edge-triggered for reading and writing; dropping the `Async` deregisters it, then
/// drops `T`. In between, tasks wait for readiness with [`readable`](Async::readable)
/// and [`writable`](Async::writable), or do I/O with [`read_with`](Async::read_with)
/// and [`write_with`](Async::write_with), which retry an operation until it stops
/// failing with `WouldBlock`. When `T` (or `&T`) implements `Read` or `Write`, `Async<T>`
/// (and `&Async<T>`) implement the `futures-io` `AsyncRead` and `AsyncWrite` traits.
///
/// Any number of tasks may wait on one `Async` at once, through the futures above; the
/// `poll_*` methods and the `futures-io` traits keep one waker per direction (the last
/// task to poll is the one woken), as with any poll-based I/O type.
///
/// It works under any executor: whichever thread drives the reactor (weft's runtime,
/// [`block_on`](crate::block_on), or the fallback driver thread) wakes the task.
///
/// # Examples
///
/// ```
/// use std::io::{Read, Write};
/// use std::os::unix::net::UnixStream;
/// use weft_reactor::{Async, block_on};
///
/// # fn main() -> std::io::Result<()> {
/// let (a, b) = UnixStream::pair()?;
/// let (a, b) = (Async::new(a)?, Async::new(b)?);
/// block_on(async {
///     b.write_with(|s| (&*s).write(b"ping")).await?;
///     let mut buf = [0; 4];
///     let n = a.read_with(|s| (&*s).read(&mut buf)).await?;
///     assert_eq!(&buf[..n], b"ping");
///     Ok(())
/// })
/// # }
/// ```
pub struct Async<T: AsFd> {
    source: Arc<Source>,
    /// `None` only inside `into_inner` and `drop`.
    io: Option<T>,
}

impl<T: AsFd> Async<T> {
    /// Makes `io` non-blocking and registers it with the reactor.
    ///
    /// # Errors
    ///
    /// When the descriptor is closed or invalid, when the poller does not accept it
    /// (epoll refuses regular files, for example), or when the poller cannot be
    /// created. The error is returned, never a panic.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::net::TcpListener;
    /// use weft_reactor::Async;
    ///
    /// let listener = Async::new(TcpListener::bind("127.0.0.1:0")?)?;
    /// assert!(listener.get_ref().local_addr()?.port() > 0);
    /// # std::io::Result::Ok(())
    /// ```
    pub fn new(io: T) -> io::Result<Async<T>> {
        set_nonblocking(io.as_fd())?;
        Async::new_nonblocking(io)
    }

    /// Registers `io`, which the caller has already made non-blocking.
    ///
    /// A blocking descriptor would block the thread that runs the task, so use
    /// [`Async::new`] unless the descriptor is known to be non-blocking.
    ///
    /// # Errors
    ///
    /// As [`Async::new`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::os::unix::net::UnixDatagram;
    /// use weft_reactor::Async;
    ///
    /// let (a, _b) = UnixDatagram::pair()?;
    /// a.set_nonblocking(true)?;
    /// let a = Async::new_nonblocking(a)?;
    /// # std::io::Result::Ok(())
    /// ```
    pub fn new_nonblocking(io: T) -> io::Result<Async<T>> {
        let fd = io.as_fd().as_raw_fd();
        let source = Reactor::try_get()?.insert_source(fd)?;
        Ok(Async {
            source,
            io: Some(io),
        })
    }

    /// The inner I/O object.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::net::UdpSocket;
    /// use weft_reactor::Async;
    ///
    /// let socket = Async::new(UdpSocket::bind("127.0.0.1:0")?)?;
    /// println!("bound to {}", socket.get_ref().local_addr()?);
    /// # std::io::Result::Ok(())
    /// ```
    pub fn get_ref(&self) -> &T {
        self.io.as_ref().expect("present until drop")
    }

    /// Deregisters the descriptor and returns the inner I/O object, still
    /// non-blocking.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::net::UdpSocket;
    /// use weft_reactor::Async;
    ///
    /// let socket = Async::new(UdpSocket::bind("127.0.0.1:0")?)?;
    /// let socket: UdpSocket = socket.into_inner();
    /// # std::io::Result::Ok(())
    /// ```
    pub fn into_inner(mut self) -> T {
        let io = self.io.take().expect("present until drop");
        // A failed removal means the descriptor is no longer in the poller anyway.
        let _ = Reactor::get().remove_source(&self.source);
        io
    }

    /// Waits until the descriptor is readable: a read would not block.
    ///
    /// The guard it yields says how the read went; see [`ReadyGuard`]. Prefer
    /// [`read_with`](Async::read_with), which does that bookkeeping itself.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropping the future loses no readiness; another waiter, or the
    /// next call, sees it.
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
    /// b.write_all(b"hi")?;
    /// block_on(async {
    ///     let mut buf = [0; 2];
    ///     loop {
    ///         let mut guard = a.readable().await?;
    ///         if let Some(res) = guard.try_io(|s| (&*s).read(&mut buf)) {
    ///             assert_eq!(res?, 2);
    ///             return Ok(());
    ///         }
    ///     }
    /// })
    /// # }
    /// ```
    pub fn readable(&self) -> Readable<'_, T> {
        Readable::new(self)
    }

    /// Waits until the descriptor is writable: a write would not block.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, as [`readable`](Async::readable).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::net::UdpSocket;
    /// use weft_reactor::{Async, block_on};
    ///
    /// let socket = Async::new(UdpSocket::bind("127.0.0.1:0")?)?;
    /// block_on(socket.writable())?; // a fresh socket has buffer space
    /// # std::io::Result::Ok(())
    /// ```
    pub fn writable(&self) -> Writable<'_, T> {
        Writable::new(self)
    }

    /// Polls for readability; the waker is stored in the one slot kept for polling
    /// callers, replacing the previous one.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::future::poll_fn;
    /// use std::os::unix::net::UnixStream;
    /// use weft_reactor::{Async, block_on};
    ///
    /// let (a, b) = UnixStream::pair()?;
    /// let a = Async::new(a)?;
    /// drop(b); // end of stream: readable
    /// block_on(poll_fn(|cx| a.poll_readable(cx)))?;
    /// # std::io::Result::Ok(())
    /// ```
    pub fn poll_readable(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.source.poll_ready_shared(Dir::Read, cx).map_ok(drop)
    }

    /// Polls for writability, as [`poll_readable`](Async::poll_readable).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::future::poll_fn;
    /// use std::os::unix::net::UnixStream;
    /// use weft_reactor::{Async, block_on};
    ///
    /// let (a, _b) = UnixStream::pair()?;
    /// let a = Async::new(a)?;
    /// block_on(poll_fn(|cx| a.poll_writable(cx)))?;
    /// # std::io::Result::Ok(())
    /// ```
    pub fn poll_writable(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.source.poll_ready_shared(Dir::Write, cx).map_ok(drop)
    }

    /// Runs `op` until it stops failing with `WouldBlock`, waiting for readability
    /// in between; any other result, error or not, is returned.
    ///
    /// `op` must be a read-like operation on the descriptor: its `WouldBlock` is
    /// what tells the reactor the descriptor is drained.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe if `op` is: the future only calls `op` when it is polled, so once
    /// dropped it does no more I/O.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::net::UdpSocket;
    /// use weft_reactor::{Async, block_on};
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let a = Async::new(UdpSocket::bind("127.0.0.1:0")?)?;
    /// let b = UdpSocket::bind("127.0.0.1:0")?;
    /// b.send_to(b"hello", a.get_ref().local_addr()?)?;
    /// let mut buf = [0; 16];
    /// let (n, from) = block_on(a.read_with(|s| s.recv_from(&mut buf)))?;
    /// assert_eq!((&buf[..n], from), (&b"hello"[..], b.local_addr()?));
    /// # Ok(())
    /// # }
    /// ```
    pub fn read_with<R, F>(&self, op: F) -> ReadWith<'_, T, F>
    where
        F: FnMut(&T) -> io::Result<R>,
    {
        ReadWith::new(self, op)
    }

    /// Runs `op` until it stops failing with `WouldBlock`, waiting for writability
    /// in between; any other result, error or not, is returned.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe if `op` is, as [`read_with`](Async::read_with).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::net::UdpSocket;
    /// use weft_reactor::{Async, block_on};
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let a = Async::new(UdpSocket::bind("127.0.0.1:0")?)?;
    /// let b = UdpSocket::bind("127.0.0.1:0")?;
    /// let to = b.local_addr()?;
    /// let n = block_on(a.write_with(|s| s.send_to(b"hello", to)))?;
    /// assert_eq!(n, 5);
    /// # Ok(())
    /// # }
    /// ```
    pub fn write_with<R, F>(&self, op: F) -> WriteWith<'_, T, F>
    where
        F: FnMut(&T) -> io::Result<R>,
    {
        WriteWith::new(self, op)
    }

    /// Turns on (or off) `TCP_INQ` for a TCP socket (Linux 4.18 and later): the kernel
    /// then says, with each read, how many bytes the read left, which
    /// [`ReadyGuard::try_read_inq`] uses to end the readiness when the socket is empty.
    ///
    /// # Errors
    ///
    /// `Unsupported` on systems other than Linux and Android; the system's error when
    /// the descriptor is not a TCP socket or the kernel is older.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::net::{TcpListener, TcpStream};
    /// use weft_reactor::Async;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0")?;
    /// let stream = Async::new(TcpStream::connect(listener.local_addr()?)?)?;
    /// if let Err(e) = stream.set_tcp_inq(true) {
    ///     println!("no TCP_INQ here ({e}): reads stay plain reads");
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_tcp_inq(&self, on: bool) -> io::Result<()> {
        inq::set_tcp_inq(self.source.fd(), on)
    }

    pub(crate) fn source(&self) -> &Source {
        &self.source
    }
}

impl<T: AsFd> Drop for Async<T> {
    fn drop(&mut self) {
        if let Some(io) = self.io.take() {
            // Deregister first: the descriptor must not close while still in the poller.
            let _ = Reactor::get().remove_source(&self.source);
            drop(io);
        }
    }
}

impl<T: AsFd> AsFd for Async<T> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.get_ref().as_fd()
    }
}

impl<T: AsFd> AsRawFd for Async<T> {
    fn as_raw_fd(&self) -> RawFd {
        self.source.fd()
    }
}

impl<T: AsFd + fmt::Debug> fmt::Debug for Async<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Async").field("io", &self.io).finish()
    }
}

/// Sets `O_NONBLOCK` on `fd`.
fn set_nonblocking(fd: BorrowedFd<'_>) -> io::Result<()> {
    let fd = fd.as_raw_fd();
    // SAFETY: `F_GETFL` takes no pointer argument; a bad descriptor yields -1/EBADF.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags == -1 {
        return Err(io::Error::last_os_error());
    }
    if flags & libc::O_NONBLOCK == 0 {
        // SAFETY: `F_SETFL` takes an integer argument; a bad descriptor yields -1/EBADF.
        let res = unsafe { libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) };
        if res == -1 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}
