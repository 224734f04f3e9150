//! `UnixDatagram`: a Unix domain datagram socket.

use std::io;
use std::os::unix::net::SocketAddr;
use std::path::Path;
use std::task::{Context, Poll};

use socket2::{Domain, SockAddr, Type};
use weft_reactor::Async;

use crate::nonblocking::socket;
use crate::ready::{Dir, poll_io, try_io};

/// A Unix domain datagram socket: messages with their boundaries kept, between
/// processes of one machine.
///
/// # Examples
///
/// ```
/// use weft_net::UnixDatagram;
///
/// # fn main() -> std::io::Result<()> {
/// let dir = std::env::temp_dir().join(format!("weft-net-doc-dgram-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// # let _ = std::fs::remove_file(dir.join("server"));
/// weft_reactor::block_on(async {
///     let server = UnixDatagram::bind(dir.join("server"))?;
///     let client = UnixDatagram::unbound()?;
///     client.send_to(b"one message", dir.join("server")).await?;
///     let mut buf = [0; 32];
///     let (n, _from) = server.recv_from(&mut buf).await?;
///     assert_eq!(&buf[..n], b"one message");
///     std::io::Result::Ok(())
/// })?;
/// std::fs::remove_dir_all(&dir)
/// # }
/// ```
pub struct UnixDatagram {
    io: Async<std::os::unix::net::UnixDatagram>,
}

impl UnixDatagram {
    /// A socket bound to `path` (the socket file is created; it stays when the
    /// socket is dropped).
    ///
    /// # Errors
    ///
    /// `AddrInUse` when a file is at `path`, `NotFound` when its directory does not
    /// exist, `PermissionDenied`.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::UnixDatagram;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let path = std::env::temp_dir().join(format!("weft-net-doc-dbind-{}", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let socket = UnixDatagram::bind(&path)?;
    /// assert_eq!(socket.local_addr()?.as_pathname(), Some(path.as_path()));
    /// std::fs::remove_file(&path)
    /// # }
    /// ```
    pub fn bind(path: impl AsRef<Path>) -> io::Result<UnixDatagram> {
        let socket = socket(Domain::UNIX, Type::DGRAM, None)?;
        socket.bind(&SockAddr::unix(path)?)?;
        let io = Async::new_nonblocking(std::os::unix::net::UnixDatagram::from(socket))?;
        Ok(UnixDatagram { io })
    }

    /// A socket bound to no address: it sends to any path, or to the one it
    /// [`connect`](UnixDatagram::connect)s to. Its datagrams carry no return
    /// address, so their receivers cannot reply.
    ///
    /// # Errors
    ///
    /// When the system has no descriptors to spare.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::UnixDatagram;
    ///
    /// let socket = UnixDatagram::unbound()?;
    /// assert!(socket.local_addr()?.is_unnamed());
    /// # std::io::Result::Ok(())
    /// ```
    pub fn unbound() -> io::Result<UnixDatagram> {
        let socket = socket(Domain::UNIX, Type::DGRAM, None)?;
        let io = Async::new_nonblocking(std::os::unix::net::UnixDatagram::from(socket))?;
        Ok(UnixDatagram { io })
    }

    /// Two sockets connected to each other (`socketpair(2)`).
    ///
    /// # Errors
    ///
    /// When the system has no descriptors to spare.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::UnixDatagram;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// weft_reactor::block_on(async {
    ///     let (a, b) = UnixDatagram::pair()?;
    ///     a.send(b"first").await?;
    ///     a.send(b"second").await?;
    ///     let mut buf = [0; 16];
    ///     let n = b.recv(&mut buf).await?;
    ///     assert_eq!(&buf[..n], b"first"); // boundaries kept
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub fn pair() -> io::Result<(UnixDatagram, UnixDatagram)> {
        let (a, b) = std::os::unix::net::UnixDatagram::pair()?;
        Ok((UnixDatagram::from_std(a)?, UnixDatagram::from_std(b)?))
    }

    /// Connects the socket to the socket at `path`: [`send`](UnixDatagram::send) goes
    /// there, and only datagrams from there are received. Immediate (no handshake).
    ///
    /// # Errors
    ///
    /// `NotFound` when no socket is at `path`, `ConnectionRefused` when it is not a
    /// datagram socket that is open.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::UnixDatagram;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let path = std::env::temp_dir().join(format!("weft-net-doc-dconnect-{}", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let server = UnixDatagram::bind(&path)?;
    /// let client = UnixDatagram::unbound()?;
    /// client.connect(&path)?;
    /// assert_eq!(client.peer_addr()?.as_pathname(), Some(path.as_path()));
    /// std::fs::remove_file(&path)
    /// # }
    /// ```
    pub fn connect(&self, path: impl AsRef<Path>) -> io::Result<()> {
        self.io.get_ref().connect(path)
    }

    /// Sends a datagram to the socket at `path`; returns the bytes sent (all of
    /// `buf`).
    ///
    /// # Errors
    ///
    /// `NotFound` when no socket is at `path`; the system's `EMSGSIZE` error when
    /// `buf` is too large for one datagram; the other errors of `sendto(2)`.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a datagram is sent in the poll that returns, or not at all.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::UnixDatagram;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let path = std::env::temp_dir().join(format!("weft-net-doc-dsend-{}", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let server = UnixDatagram::bind(&path)?;
    /// let client = UnixDatagram::unbound()?;
    /// let n = weft_reactor::block_on(client.send_to(b"hey", &path))?;
    /// assert_eq!(n, 3);
    /// std::fs::remove_file(&path)
    /// # }
    /// ```
    pub async fn send_to(&self, buf: &[u8], path: impl AsRef<Path>) -> io::Result<usize> {
        let path = path.as_ref();
        self.io.write_with(|s| s.send_to(buf, path)).await
    }

    /// Sends a datagram to the socket at `path` without waiting.
    ///
    /// # Errors
    ///
    /// `WouldBlock` when the peer's queue is full; otherwise as
    /// [`send_to`](UnixDatagram::send_to).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::UnixDatagram;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let path = std::env::temp_dir().join(format!("weft-net-doc-dtrysend-{}", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let server = UnixDatagram::bind(&path)?;
    /// let client = UnixDatagram::unbound()?;
    /// weft_reactor::block_on(client.writable())?;
    /// assert_eq!(client.try_send_to(b"hey", &path)?, 3);
    /// std::fs::remove_file(&path)
    /// # }
    /// ```
    pub fn try_send_to(&self, buf: &[u8], path: impl AsRef<Path>) -> io::Result<usize> {
        try_io(&self.io, Dir::Write, |s| s.send_to(buf, path))
    }

    /// Polls a send to the socket at `path`, keeping one waker (the last task to
    /// poll).
    ///
    /// # Errors
    ///
    /// As [`send_to`](UnixDatagram::send_to).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::future::poll_fn;
    /// use weft_net::UnixDatagram;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let path = std::env::temp_dir().join(format!("weft-net-doc-dpollsend-{}", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let server = UnixDatagram::bind(&path)?;
    /// let client = UnixDatagram::unbound()?;
    /// weft_reactor::block_on(poll_fn(|cx| client.poll_send_to(cx, b"hey", &path)))?;
    /// std::fs::remove_file(&path)
    /// # }
    /// ```
    pub fn poll_send_to(
        &self,
        cx: &mut Context<'_>,
        buf: &[u8],
        path: impl AsRef<Path>,
    ) -> Poll<io::Result<usize>> {
        let path = path.as_ref();
        poll_io(&self.io, Dir::Write, cx, |s| s.send_to(buf, path))
    }

    /// Shuts down the read side, the write side, or both.
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::UnixDatagram;
    ///
    /// let (a, _b) = UnixDatagram::pair()?;
    /// a.shutdown(std::net::Shutdown::Write)?;
    /// # std::io::Result::Ok(())
    /// ```
    pub fn shutdown(&self, how: std::net::Shutdown) -> io::Result<()> {
        self.io.get_ref().shutdown(how)
    }
}

datagram_io!(
    UnixDatagram,
    std::os::unix::net::UnixDatagram,
    SocketAddr,
    "# let (a, b) = weft_net::UnixDatagram::pair()?;\n"
);
