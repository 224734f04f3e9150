//! `TcpSocket`: a TCP socket not yet connected or listening, to set options on first.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::time::Duration;

use socket2::{Socket, TcpKeepalive};
use weft_reactor::Async;

use crate::tcp::{TcpListener, TcpStream, connect_socket, new_socket};

/// A TCP socket before it connects or listens: the place for options that must be
/// set first (`SO_REUSEADDR`, `SO_REUSEPORT`, buffer sizes), for binding a client to a
/// local address before it connects, and for a listener's backlog. Built on `socket2`.
///
/// [`connect`](TcpSocket::connect) makes a [`TcpStream`];
/// [`listen`](TcpSocket::listen) makes a [`TcpListener`].
///
/// # Examples
///
/// ```
/// use weft_net::TcpSocket;
///
/// # fn main() -> std::io::Result<()> {
/// weft_reactor::block_on(async {
///     let server = TcpSocket::new_v4()?;
///     server.set_reuseaddr(true)?;
///     server.set_reuseport(true)?;
///     server.bind("127.0.0.1:0".parse().unwrap())?;
///     let listener = server.listen(128)?;
///
///     let client = TcpSocket::new_v4()?;
///     client.set_nodelay(true)?;
///     client.set_recv_buffer_size(64 * 1024)?;
///     client.bind("127.0.0.1:0".parse().unwrap())?; // choose the local address
///     let from = client.local_addr()?;
///     let stream = client.connect(listener.local_addr()?).await?;
///     assert_eq!(stream.local_addr()?, from);
///     assert!(stream.nodelay()?);
///     Ok(())
/// })
/// # }
/// ```
pub struct TcpSocket {
    inner: Socket,
}

/// The `# Examples` of a setter/getter pair: set `$value` on a new socket, read back
/// what the system reports and check it with `$check`.
macro_rules! option_example {
    ($set:literal, $check:literal) => {
        concat!(
            "```\nuse weft_net::TcpSocket;\n\n",
            "let socket = TcpSocket::new_v4()?;\n",
            $set,
            "\n",
            $check,
            "\n# std::io::Result::Ok(())\n```"
        )
    };
}

impl TcpSocket {
    /// A new IPv4 TCP socket (non-blocking, close-on-exec).
    ///
    /// # Errors
    ///
    /// When the system has no descriptor or memory to spare, or no IPv4.
    ///
    /// # Examples
    ///
    #[doc = option_example!("", "assert!(!socket.reuseaddr()?);")]
    pub fn new_v4() -> io::Result<TcpSocket> {
        Self::for_addr(&SocketAddr::from(([0, 0, 0, 0], 0)))
    }

    /// A new IPv6 TCP socket (non-blocking, close-on-exec).
    ///
    /// # Errors
    ///
    /// When the system has no descriptor or memory to spare, or no IPv6.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::TcpSocket;
    ///
    /// match TcpSocket::new_v6() {
    ///     Ok(socket) => println!("IPv6 socket {socket:?}"),
    ///     Err(e) => println!("no IPv6 here: {e}"),
    /// }
    /// ```
    pub fn new_v6() -> io::Result<TcpSocket> {
        Self::for_addr(&SocketAddr::from(([0u16; 8], 0)))
    }

    fn for_addr(addr: &SocketAddr) -> io::Result<TcpSocket> {
        Ok(TcpSocket {
            inner: new_socket(addr)?,
        })
    }

    /// Sets `SO_REUSEADDR`: bind a port whose old connections are still in
    /// `TIME_WAIT` (what servers want, so a restart can bind its port at once).
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    #[doc = option_example!("socket.set_reuseaddr(true)?;", "assert!(socket.reuseaddr()?);")]
    pub fn set_reuseaddr(&self, reuseaddr: bool) -> io::Result<()> {
        self.inner.set_reuse_address(reuseaddr)
    }

    /// Whether `SO_REUSEADDR` is set.
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    #[doc = option_example!("", "assert!(!socket.reuseaddr()?);")]
    pub fn reuseaddr(&self) -> io::Result<bool> {
        self.inner.reuse_address()
    }

    /// Sets `SO_REUSEPORT`: several sockets (of the same user) may listen on one
    /// port, and the system spreads the connections among them.
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    #[doc = option_example!("socket.set_reuseport(true)?;", "assert!(socket.reuseport()?);")]
    pub fn set_reuseport(&self, reuseport: bool) -> io::Result<()> {
        self.inner.set_reuse_port(reuseport)
    }

    /// Whether `SO_REUSEPORT` is set.
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    #[doc = option_example!("", "assert!(!socket.reuseport()?);")]
    pub fn reuseport(&self) -> io::Result<bool> {
        self.inner.reuse_port()
    }

    /// Sets `TCP_NODELAY` (the stream keeps it): small writes go out at once.
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    #[doc = option_example!("socket.set_nodelay(true)?;", "assert!(socket.nodelay()?);")]
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.inner.set_tcp_nodelay(nodelay)
    }

    /// Whether `TCP_NODELAY` is set.
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    #[doc = option_example!("", "assert!(!socket.nodelay()?);")]
    pub fn nodelay(&self) -> io::Result<bool> {
        self.inner.tcp_nodelay()
    }

    /// Sets `SO_KEEPALIVE`: probe an idle connection, so that a peer that vanished
    /// is noticed (after the system's idle time, two hours by default; see
    /// [`set_keepalive_time`](TcpSocket::set_keepalive_time)).
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    #[doc = option_example!("socket.set_keepalive(true)?;", "assert!(socket.keepalive()?);")]
    pub fn set_keepalive(&self, keepalive: bool) -> io::Result<()> {
        self.inner.set_keepalive(keepalive)
    }

    /// Whether `SO_KEEPALIVE` is set.
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    #[doc = option_example!("", "assert!(!socket.keepalive()?);")]
    pub fn keepalive(&self) -> io::Result<bool> {
        self.inner.keepalive()
    }

    /// Turns keep-alive on, probing after `idle` without traffic (`TCP_KEEPIDLE`;
    /// `TCP_KEEPALIVE` on Apple's systems).
    ///
    /// # Errors
    ///
    /// As the system call's: `InvalidInput` for a time the system refuses.
    ///
    /// # Examples
    ///
    #[doc = option_example!(
        "socket.set_keepalive_time(std::time::Duration::from_secs(60))?;",
        "assert!(socket.keepalive()?);"
    )]
    pub fn set_keepalive_time(&self, idle: Duration) -> io::Result<()> {
        self.inner
            .set_tcp_keepalive(&TcpKeepalive::new().with_time(idle))
    }

    /// Sets `SO_SNDBUF`, the send buffer size. The system may round it (Linux
    /// doubles it); read the result with
    /// [`send_buffer_size`](TcpSocket::send_buffer_size).
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    #[doc = option_example!(
        "socket.set_send_buffer_size(32 * 1024)?;",
        "assert!(socket.send_buffer_size()? >= 32 * 1024);"
    )]
    pub fn set_send_buffer_size(&self, size: u32) -> io::Result<()> {
        self.inner.set_send_buffer_size(size as usize)
    }

    /// `SO_SNDBUF`, the send buffer size.
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    #[doc = option_example!("", "assert!(socket.send_buffer_size()? > 0);")]
    pub fn send_buffer_size(&self) -> io::Result<u32> {
        self.inner
            .send_buffer_size()
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// Sets `SO_RCVBUF`, the receive buffer size (rounded by the system, as
    /// [`set_send_buffer_size`](TcpSocket::set_send_buffer_size)).
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    #[doc = option_example!(
        "socket.set_recv_buffer_size(32 * 1024)?;",
        "assert!(socket.recv_buffer_size()? >= 32 * 1024);"
    )]
    pub fn set_recv_buffer_size(&self, size: u32) -> io::Result<()> {
        self.inner.set_recv_buffer_size(size as usize)
    }

    /// `SO_RCVBUF`, the receive buffer size.
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    #[doc = option_example!("", "assert!(socket.recv_buffer_size()? > 0);")]
    pub fn recv_buffer_size(&self) -> io::Result<u32> {
        self.inner
            .recv_buffer_size()
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// Sets `SO_LINGER` (the stream keeps it); see
    /// [`TcpStream::set_linger`].
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    #[doc = option_example!(
        "socket.set_linger(Some(std::time::Duration::from_secs(1)))?;",
        "assert_eq!(socket.linger()?, Some(std::time::Duration::from_secs(1)));"
    )]
    pub fn set_linger(&self, linger: Option<Duration>) -> io::Result<()> {
        self.inner.set_linger(linger)
    }

    /// `SO_LINGER`.
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    #[doc = option_example!("", "assert_eq!(socket.linger()?, None);")]
    pub fn linger(&self) -> io::Result<Option<Duration>> {
        self.inner.linger()
    }

    /// Binds the socket to a local address: before [`listen`](TcpSocket::listen),
    /// the address to listen on; before [`connect`](TcpSocket::connect), the address
    /// to connect from. Port 0 picks a free port.
    ///
    /// # Errors
    ///
    /// `AddrInUse` when the port is taken, `AddrNotAvailable` when the address is not
    /// this machine's, `InvalidInput` when its family is not the socket's.
    ///
    /// # Examples
    ///
    #[doc = option_example!(
        "socket.bind(\"127.0.0.1:0\".parse().unwrap())?;",
        "assert_ne!(socket.local_addr()?.port(), 0);"
    )]
    pub fn bind(&self, addr: SocketAddr) -> io::Result<()> {
        self.inner.bind(&addr.into())
    }

    /// The local address, once bound (or connected).
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    #[doc = option_example!(
        "socket.bind(\"127.0.0.1:0\".parse().unwrap())?;",
        "assert!(socket.local_addr()?.ip().is_loopback());"
    )]
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner
            .local_addr()?
            .as_socket()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "not an IP socket address"))
    }

    /// Takes the socket's pending error (`SO_ERROR`), if any.
    ///
    /// # Errors
    ///
    /// When the option cannot be read.
    ///
    /// # Examples
    ///
    #[doc = option_example!("", "assert!(socket.take_error()?.is_none());")]
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.inner.take_error()
    }

    /// Connects to `addr`, making a [`TcpStream`] that keeps the options set.
    ///
    /// # Errors
    ///
    /// `ConnectionRefused` when nothing listens there, and the other errors of
    /// `connect(2)`.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropping the future closes the socket; no connection is made
    /// that the caller does not get.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::{TcpListener, TcpSocket};
    ///
    /// # fn main() -> std::io::Result<()> {
    /// weft_reactor::block_on(async {
    ///     let listener = TcpListener::bind("127.0.0.1:0").await?;
    ///     let socket = TcpSocket::new_v4()?;
    ///     socket.set_keepalive(true)?;
    ///     let stream = socket.connect(listener.local_addr()?).await?;
    ///     assert_eq!(stream.peer_addr()?, listener.local_addr()?);
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub async fn connect(self, addr: SocketAddr) -> io::Result<TcpStream> {
        connect_socket(self.inner, addr).await
    }

    /// Listens for connections, with at most `backlog` waiting to be accepted (the
    /// system caps it at `net.core.somaxconn`), making a [`TcpListener`]. Bind first,
    /// or the system picks an address and port.
    ///
    /// # Errors
    ///
    /// `AddrInUse` when another socket listens on the same port (without
    /// `SO_REUSEPORT` on both), and the other errors of `listen(2)`.
    ///
    /// # Examples
    ///
    #[doc = option_example!(
        "socket.bind(\"127.0.0.1:0\".parse().unwrap())?;\nlet listener = socket.listen(16)?;",
        "assert!(listener.local_addr()?.port() > 0);"
    )]
    pub fn listen(self, backlog: u32) -> io::Result<TcpListener> {
        let backlog = i32::try_from(backlog).unwrap_or(i32::MAX);
        self.inner.listen(backlog)?;
        let io = Async::new_nonblocking(std::net::TcpListener::from(self.inner))?;
        Ok(TcpListener::from_async(io))
    }

    /// Wraps a `std` stream, to set options on it and call
    /// [`connect`](TcpSocket::connect) or [`listen`](TcpSocket::listen) next. The
    /// socket is made non-blocking.
    ///
    /// # Errors
    ///
    /// When the socket cannot be made non-blocking.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::net::TcpListener;
    /// use weft_net::TcpSocket;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0")?;
    /// let std = std::net::TcpStream::connect(listener.local_addr()?)?;
    /// let socket = TcpSocket::from_std_stream(std)?;
    /// assert!(socket.local_addr()?.ip().is_loopback());
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_std_stream(stream: std::net::TcpStream) -> io::Result<TcpSocket> {
        let inner = Socket::from(stream);
        inner.set_nonblocking(true)?;
        Ok(TcpSocket { inner })
    }
}

impl AsFd for TcpSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.inner.as_fd()
    }
}

impl AsRawFd for TcpSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.inner.as_raw_fd()
    }
}

impl fmt::Debug for TcpSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpSocket")
            .field("local", &self.local_addr().ok())
            .field("fd", &self.as_raw_fd())
            .finish()
    }
}
