//! `HyperIo`: hyper's I/O traits over a `futures-io` stream.

use std::io::{self, IoSlice};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_io::{AsyncRead, AsyncWrite};
use hyper::rt::ReadBufCursor;

/// The most one `poll_read` reads: the size of the stack buffer it reads into.
const READ_CHUNK: usize = 8 * 1024;

/// A `futures-io` stream as hyper's I/O: `hyper::rt::Read` and `hyper::rt::Write`
/// for a [`TcpStream`](crate::TcpStream), a [`UnixStream`](crate::UnixStream), a TLS
/// stream, or anything else with [`AsyncRead`] and [`AsyncWrite`].
///
/// Reads go through a small stack buffer (hyper hands out uninitialised memory,
/// which safe code may not give to `AsyncRead`); writes go straight through, and
/// vectored writes are passed on as such.
///
/// It also implements [`AsyncRead`] and [`AsyncWrite`] itself, passing them through,
/// so the same value can be used by code of either kind.
///
/// # Examples
///
/// ```
/// use hyper::server::conn::http1;
/// use hyper::service::service_fn;
/// use hyper::{Request, Response, body::Incoming};
/// use weft_net::hyper::HyperIo;
/// use weft_net::{TcpListener, TcpStream};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
/// weft_reactor::block_on(async {
///     let listener = TcpListener::bind("127.0.0.1:0").await?;
///     let client = TcpStream::connect(listener.local_addr()?).await?;
///     let (server, _) = listener.accept().await?;
///
///     let hello = service_fn(|_req: Request<Incoming>| async {
///         Ok::<_, std::convert::Infallible>(Response::new("hello".to_string()))
///     });
///     let serve = http1::Builder::new().serve_connection(HyperIo::new(server), hello);
///
///     let (mut sender, conn) =
///         hyper::client::conn::http1::handshake::<_, String>(HyperIo::new(client)).await?;
///     let get = async move {
///         let req = Request::get("/").header("host", "localhost").body(String::new())?;
///         let res = sender.send_request(req).await?;
///         Ok::<_, Box<dyn std::error::Error + Send + Sync>>(res.status())
///     };
///     let (status, _, _) = futures::join!(get, conn, serve);
///     assert_eq!(status?, 200);
///     Ok(())
/// })
/// # }
/// ```
#[derive(Debug)]
pub struct HyperIo<T> {
    inner: T,
}

impl<T> HyperIo<T> {
    /// Wraps `inner`.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::hyper::HyperIo;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let (a, _b) = weft_net::UnixStream::pair()?;
    /// let io = HyperIo::new(a);
    /// assert!(io.get_ref().peer_addr().is_ok());
    /// # Ok(())
    /// # }
    /// ```
    pub fn new(inner: T) -> HyperIo<T> {
        HyperIo { inner }
    }

    /// The wrapped stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::hyper::HyperIo;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let (a, _b) = weft_net::UnixStream::pair()?;
    /// let io = HyperIo::new(a);
    /// assert!(io.get_ref().local_addr().is_ok());
    /// # Ok(())
    /// # }
    /// ```
    pub fn get_ref(&self) -> &T {
        &self.inner
    }

    /// The wrapped stream, mutably.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::hyper::HyperIo;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let (a, _b) = weft_net::UnixStream::pair()?;
    /// let mut io = HyperIo::new(a);
    /// let _stream: &mut weft_net::UnixStream = io.get_mut();
    /// # Ok(())
    /// # }
    /// ```
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.inner
    }

    /// Unwraps the stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::hyper::HyperIo;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let (a, _b) = weft_net::UnixStream::pair()?;
    /// let a: weft_net::UnixStream = HyperIo::new(a).into_inner();
    /// # drop(a);
    /// # Ok(())
    /// # }
    /// ```
    pub fn into_inner(self) -> T {
        self.inner
    }
}

impl<T: AsyncRead + Unpin> hyper::rt::Read for HyperIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        mut buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        let mut chunk = [0u8; READ_CHUNK];
        let len = buf.remaining().min(READ_CHUNK);
        let n = std::task::ready!(Pin::new(&mut self.inner).poll_read(cx, &mut chunk[..len]))?;
        buf.put_slice(&chunk[..n]);
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncWrite + Unpin> hyper::rt::Write for HyperIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_close(cx)
    }

    fn is_write_vectored(&self) -> bool {
        // futures-io cannot say whether a writer has a real vectored write; weft's
        // sockets do (writev), and for the rest the default `poll_write_vectored`
        // writes the first buffer, which is correct if slower.
        true
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for HyperIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for HyperIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_close(cx)
    }
}
