//! `TcpStream`: a TCP connection.

use std::io;
use std::net::SocketAddr;
use std::task::{Context, Poll};
use std::time::Duration;

use weft_reactor::Async;

use crate::addr::ToSocketAddrs;
use crate::lookup::resolve;
use crate::ready::Inq;

/// A TCP connection.
///
/// Made by [`connect`](TcpStream::connect), by [`TcpListener::accept`](crate::TcpListener::accept),
/// or by a [`TcpSocket`](crate::TcpSocket) with options set before connecting. It
/// implements the `futures-io` traits `AsyncRead` and `AsyncWrite` (as does
/// `&TcpStream`, so one task can read while another writes through a shared
/// reference); closing it (`poll_close`) shuts down the write side. For a reader task
/// and a writer task, [`split`](TcpStream::split) borrows two halves and
/// [`into_split`](TcpStream::into_split) makes owned ones. Dropping the stream closes
/// the connection.
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
///     let mut stream = TcpStream::connect(listener.local_addr()?).await?;
///     let (mut peer, _) = listener.accept().await?;
///     stream.write_all(b"hello").await?;
///     stream.close().await?; // end-of-file for the peer
///     let mut got = String::new();
///     peer.read_to_string(&mut got).await?;
///     assert_eq!(got, "hello");
///     Ok(())
/// })
/// # }
/// ```
pub struct TcpStream {
    pub(crate) io: Async<std::net::TcpStream>,
    inq: Inq,
}

impl TcpStream {
    pub(crate) fn from_async(io: Async<std::net::TcpStream>) -> TcpStream {
        TcpStream {
            io,
            inq: Inq::default(),
        }
    }

    /// Undoes the options weft set behind the user's back, before `into_std`:
    /// `TCP_INQ`, whose control messages a `recvmsg` of the user's would receive.
    fn restore_options(&self) {
        self.inq.turn_off(&self.io);
    }

    /// The read behind `AsyncRead`; a short read ends the readiness (see
    /// `ready::poll_read_stream`).
    pub(crate) fn poll_read_bytes(
        &self,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        crate::ready::poll_read_stream(&self.io, cx, buf, Some(&self.inq))
    }

    /// Connects to `addr`: asyncio's `open_connection` without the streams.
    ///
    /// A name is resolved first (see [`lookup_host`](crate::lookup_host)). When it
    /// gives several addresses, they are all tried, with Happy Eyeballs (RFC 8305):
    /// the families alternate, an attempt starts when the previous one fails or has
    /// run 250 ms without an answer, and the first connection made wins.
    ///
    /// # Errors
    ///
    /// The resolver's error when the name does not resolve (its message names the
    /// host); otherwise, when no attempt connects, the error of the last attempt that
    /// failed: `ConnectionRefused` when nothing listens on the port, for example.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropping the future closes the sockets of the attempts under way;
    /// no connection is made that the caller does not get.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::{TcpListener, TcpStream};
    ///
    /// # fn main() -> std::io::Result<()> {
    /// weft_reactor::block_on(async {
    ///     let listener = TcpListener::bind("127.0.0.1:0").await?;
    ///     let port = listener.local_addr()?.port();
    ///     let stream = TcpStream::connect(("localhost", port)).await?;
    ///     assert_eq!(stream.peer_addr()?.port(), port);
    ///     drop(listener);
    ///     let err = TcpStream::connect(("127.0.0.1", port)).await.unwrap_err();
    ///     assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub async fn connect(addr: impl ToSocketAddrs) -> io::Result<TcpStream> {
        let addrs = resolve(addr.query()).await?;
        super::happy_eyeballs::connect(addrs).await
    }

    /// Sets `TCP_NODELAY`: whether small writes go out at once rather than wait to
    /// be coalesced (Nagle's algorithm).
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weft_net::{TcpListener, TcpStream};
    /// # weft_reactor::block_on(async {
    /// # let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let stream = TcpStream::connect(listener.local_addr()?).await?;
    /// stream.set_nodelay(true)?;
    /// assert!(stream.nodelay()?);
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.io.get_ref().set_nodelay(nodelay)
    }

    /// Whether `TCP_NODELAY` is set.
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weft_net::{TcpListener, TcpStream};
    /// # weft_reactor::block_on(async {
    /// # let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let stream = TcpStream::connect(listener.local_addr()?).await?;
    /// assert!(!stream.nodelay()?); // off by default
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn nodelay(&self) -> io::Result<bool> {
        self.io.get_ref().nodelay()
    }

    /// Sets `IP_TTL`, the time-to-live of the packets sent.
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weft_net::{TcpListener, TcpStream};
    /// # weft_reactor::block_on(async {
    /// # let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let stream = TcpStream::connect(listener.local_addr()?).await?;
    /// stream.set_ttl(42)?;
    /// assert_eq!(stream.ttl()?, 42);
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        self.io.get_ref().set_ttl(ttl)
    }

    /// `IP_TTL`, the time-to-live of the packets sent.
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weft_net::{TcpListener, TcpStream};
    /// # weft_reactor::block_on(async {
    /// # let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let stream = TcpStream::connect(listener.local_addr()?).await?;
    /// assert!(stream.ttl()? > 0);
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn ttl(&self) -> io::Result<u32> {
        self.io.get_ref().ttl()
    }

    /// Sets `SO_LINGER`: how long closing waits for unsent data. `Some(ZERO)` makes
    /// dropping the stream reset the connection (the peer gets `ConnectionReset`)
    /// rather than close it in order.
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use weft_net::{TcpListener, TcpStream};
    /// # weft_reactor::block_on(async {
    /// # let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let stream = TcpStream::connect(listener.local_addr()?).await?;
    /// stream.set_linger(Some(Duration::ZERO))?;
    /// assert_eq!(stream.linger()?, Some(Duration::ZERO));
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn set_linger(&self, linger: Option<Duration>) -> io::Result<()> {
        socket2::SockRef::from(self.io.get_ref()).set_linger(linger)
    }

    /// `SO_LINGER`, as set by [`set_linger`](TcpStream::set_linger).
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weft_net::{TcpListener, TcpStream};
    /// # weft_reactor::block_on(async {
    /// # let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let stream = TcpStream::connect(listener.local_addr()?).await?;
    /// assert_eq!(stream.linger()?, None);
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn linger(&self) -> io::Result<Option<Duration>> {
        socket2::SockRef::from(self.io.get_ref()).linger()
    }

    /// Reads what is there without taking it: the next read gets the same bytes.
    /// Waits until there is something (or end-of-file: `Ok(0)`).
    ///
    /// # Errors
    ///
    /// The socket's error.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: peeking takes nothing, so dropping the future loses nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use futures::{AsyncReadExt, AsyncWriteExt};
    /// # use weft_net::{TcpListener, TcpStream};
    /// # weft_reactor::block_on(async {
    /// # let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let mut a = TcpStream::connect(listener.local_addr()?).await?;
    /// let (mut b, _) = listener.accept().await?;
    /// a.write_all(b"peek").await?;
    /// let mut buf = [0; 4];
    /// let n = b.peek(&mut buf).await?;
    /// assert_eq!(&buf[..n], &b"peek"[..n]);
    /// b.read_exact(&mut buf).await?; // still there
    /// assert_eq!(&buf, b"peek");
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub async fn peek(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io.read_with(|s| s.peek(buf)).await
    }

    /// Polls [`peek`](TcpStream::peek), keeping one waker (the last task to poll).
    ///
    /// # Errors
    ///
    /// The socket's error.
    ///
    /// # Examples
    ///
    /// ```
    /// use futures::AsyncWriteExt;
    /// # use weft_net::{TcpListener, TcpStream};
    /// # weft_reactor::block_on(async {
    /// # let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let mut a = TcpStream::connect(listener.local_addr()?).await?;
    /// let (b, _) = listener.accept().await?;
    /// a.write_all(b"x").await?;
    /// let mut buf = [0; 1];
    /// let n = std::future::poll_fn(|cx| b.poll_peek(cx, &mut buf)).await?;
    /// assert_eq!(n, 1);
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn poll_peek(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        crate::ready::poll_io(&self.io, crate::ready::Dir::Read, cx, |s| s.peek(buf))
    }
}

stream_io!(
    TcpStream,
    std::net::TcpStream,
    SocketAddr,
    "# let listener = weft_net::TcpListener::bind(\"127.0.0.1:0\").await?;\n# let a = weft_net::TcpStream::connect(listener.local_addr()?).await?;\n# let (b, _) = listener.accept().await?;\n"
);
