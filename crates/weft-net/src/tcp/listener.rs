//! `TcpListener`: a socket that accepts TCP connections.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::task::{Context, Poll};

use socket2::SockRef;
use weft_reactor::Async;

use super::TcpStream;
use crate::addr::ToSocketAddrs;
use crate::lookup::resolve;
use crate::ready::{Dir, poll_io};
use crate::socket::TcpSocket;

/// The backlog of [`TcpListener::bind`]: how many connections may wait to be accepted
/// (the system caps it at `net.core.somaxconn`).
const BACKLOG: u32 = 1024;

/// A socket that accepts TCP connections.
///
/// # Examples
///
/// ```
/// use futures::{AsyncReadExt, AsyncWriteExt};
/// use weft_net::{TcpListener, TcpStream};
///
/// # fn main() -> std::io::Result<()> {
/// weft_reactor::block_on(async {
///     let listener = TcpListener::bind("127.0.0.1:0").await?;
///     let addr = listener.local_addr()?;
///     let client = async move {
///         let mut s = TcpStream::connect(addr).await?;
///         s.write_all(b"hi").await
///     };
///     let server = async {
///         let (mut s, peer) = listener.accept().await?;
///         let mut buf = [0; 2];
///         s.read_exact(&mut buf).await?;
///         println!("{peer} says {}", String::from_utf8_lossy(&buf));
///         std::io::Result::Ok(())
///     };
///     let (c, s) = futures::join!(client, server);
///     c?;
///     s
/// })
/// # }
/// ```
pub struct TcpListener {
    io: Async<std::net::TcpListener>,
}

impl TcpListener {
    /// Listens on `addr`, with `SO_REUSEADDR` set and a backlog of 1024. Port 0
    /// picks a free port; [`local_addr`](TcpListener::local_addr) tells which.
    ///
    /// A name is resolved first, and the listener binds the first address that
    /// works. For other options (`SO_REUSEPORT`, the backlog, buffer sizes), use a
    /// [`TcpSocket`].
    ///
    /// # Errors
    ///
    /// The resolver's error; otherwise the last address's: `AddrInUse` when the port
    /// is taken, `AddrNotAvailable` when the address is not this machine's.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a listener is made only when the future completes.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::TcpListener;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// weft_reactor::block_on(async {
    ///     let listener = TcpListener::bind("127.0.0.1:0").await?;
    ///     assert_ne!(listener.local_addr()?.port(), 0);
    ///     let taken = listener.local_addr()?;
    ///     let err = TcpListener::bind(taken).await.unwrap_err();
    ///     assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse);
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub async fn bind(addr: impl ToSocketAddrs) -> io::Result<TcpListener> {
        let mut last = None;
        for addr in resolve(addr.query()).await? {
            match bind_one(addr) {
                Ok(l) => return Ok(l),
                Err(e) => last = Some(e),
            }
        }
        Err(last.expect("resolve gives at least one address"))
    }

    pub(crate) fn from_async(io: Async<std::net::TcpListener>) -> TcpListener {
        TcpListener { io }
    }

    /// Accepts a connection: the stream and the peer's address.
    ///
    /// # Errors
    ///
    /// As `accept(2)`'s: `ConnectionAborted` when a client gave up before it was
    /// accepted, the error of `EMFILE` (too many open files) when the process is out of
    /// descriptors. The listener stays usable after any of them.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a connection is taken from the queue only in the poll that
    /// returns it, so dropping the future leaves the queued connections queued.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::{TcpListener, TcpStream};
    ///
    /// # fn main() -> std::io::Result<()> {
    /// weft_reactor::block_on(async {
    ///     let listener = TcpListener::bind("127.0.0.1:0").await?;
    ///     let client = TcpStream::connect(listener.local_addr()?).await?;
    ///     let (server, peer) = listener.accept().await?;
    ///     assert_eq!(peer, client.local_addr()?);
    ///     assert_eq!(server.peer_addr()?, peer);
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub async fn accept(&self) -> io::Result<(TcpStream, SocketAddr)> {
        let (stream, peer) = self.io.read_with(accept).await?;
        Ok((TcpStream::from_async(Async::new_nonblocking(stream)?), peer))
    }

    /// Polls for a connection, keeping one waker (the last task to poll): the
    /// poll-based [`accept`](TcpListener::accept), for servers written as state
    /// machines.
    ///
    /// # Errors
    ///
    /// As [`accept`](TcpListener::accept).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::future::poll_fn;
    /// use weft_net::{TcpListener, TcpStream};
    ///
    /// # fn main() -> std::io::Result<()> {
    /// weft_reactor::block_on(async {
    ///     let listener = TcpListener::bind("127.0.0.1:0").await?;
    ///     let _client = TcpStream::connect(listener.local_addr()?).await?;
    ///     let (_server, _peer) = poll_fn(|cx| listener.poll_accept(cx)).await?;
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub fn poll_accept(&self, cx: &mut Context<'_>) -> Poll<io::Result<(TcpStream, SocketAddr)>> {
        poll_io(&self.io, Dir::Read, cx, accept).map(|res| {
            let (stream, peer) = res?;
            Ok((TcpStream::from_async(Async::new_nonblocking(stream)?), peer))
        })
    }

    /// The address the listener is bound to.
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::TcpListener;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let listener = weft_reactor::block_on(TcpListener::bind("127.0.0.1:0"))?;
    /// assert!(listener.local_addr()?.ip().is_loopback());
    /// # Ok(())
    /// # }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.get_ref().local_addr()
    }

    /// Sets `IP_TTL` on the listener (accepted connections inherit it).
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::TcpListener;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let listener = weft_reactor::block_on(TcpListener::bind("127.0.0.1:0"))?;
    /// listener.set_ttl(100)?;
    /// assert_eq!(listener.ttl()?, 100);
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        self.io.get_ref().set_ttl(ttl)
    }

    /// `IP_TTL` of the listener.
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::TcpListener;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let listener = weft_reactor::block_on(TcpListener::bind("127.0.0.1:0"))?;
    /// assert!(listener.ttl()? > 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn ttl(&self) -> io::Result<u32> {
        self.io.get_ref().ttl()
    }

    /// Wraps a listening `std` socket, making it non-blocking.
    ///
    /// # Errors
    ///
    /// When the descriptor cannot be made non-blocking or registered with the
    /// reactor.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::TcpListener;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let std = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let listener = TcpListener::from_std(std)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_std(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        Ok(TcpListener {
            io: Async::new(listener)?,
        })
    }

    /// Deregisters the listener and returns the `std` socket, still non-blocking.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::TcpListener;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let listener = weft_reactor::block_on(TcpListener::bind("127.0.0.1:0"))?;
    /// let std = listener.into_std();
    /// std.set_nonblocking(false)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn into_std(self) -> std::net::TcpListener {
        self.io.into_inner()
    }
}

/// Binds a listener to one address.
fn bind_one(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

/// Takes a connection from the queue: non-blocking and close-on-exec in one call where
/// `accept4` exists.
fn accept(listener: &std::net::TcpListener) -> io::Result<(std::net::TcpStream, SocketAddr)> {
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
    let (socket, addr) = {
        let flags: i32 = socket2::Type::from(0).nonblocking().cloexec().into();
        SockRef::from(listener).accept4(flags)?
    };
    #[cfg(not(any(target_os = "linux", target_os = "android", target_os = "freebsd")))]
    let (socket, addr) = {
        let (socket, addr) = SockRef::from(listener).accept()?;
        socket.set_nonblocking(true)?;
        (socket, addr)
    };
    let addr = addr.as_socket().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidData, "accepted a non-IP peer address")
    })?;
    Ok((socket.into(), addr))
}

impl AsFd for TcpListener {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.io.get_ref().as_fd()
    }
}

impl AsRawFd for TcpListener {
    fn as_raw_fd(&self) -> RawFd {
        self.io.as_raw_fd()
    }
}

impl fmt::Debug for TcpListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpListener")
            .field("local", &self.local_addr().ok())
            .field("fd", &self.as_raw_fd())
            .finish()
    }
}
