//! `Joined`: a reader and a writer made one transport again, for `start_tls`.

use std::fmt;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_io::{AsyncRead, AsyncWrite};

/// A reader and a writer joined into one transport: what
/// [`StreamWriter::start_tls`](crate::StreamWriter::start_tls) runs TLS over.
///
/// Reads first return the bytes the [`StreamReader`](crate::StreamReader) had
/// already buffered when the connection was upgraded (the peer may send its first
/// handshake message right behind the plain-text command that asked for TLS), then
/// read from `R`; writes go to `W`.
///
/// # Examples
///
/// ```
/// use futures::{AsyncReadExt, AsyncWriteExt};
/// use weft_net::tls::Joined;
///
/// # fn main() -> std::io::Result<()> {
/// weft_reactor::block_on(async {
///     let (a, b) = weft_net::UnixStream::pair()?;
///     let (rd, wr) = a.into_split();
///     let mut joined = Joined::new(b"early ".to_vec(), rd, wr);
///     let mut b = b;
///     b.write_all(b"bytes").await?;
///     b.close().await?;
///     let mut got = String::new();
///     joined.read_to_string(&mut got).await?;
///     assert_eq!(got, "early bytes");
///     Ok(())
/// })
/// # }
/// ```
pub struct Joined<R, W> {
    buffered: Vec<u8>,
    /// How much of `buffered` has been read.
    pos: usize,
    reader: R,
    writer: W,
}

impl<R, W> Joined<R, W> {
    /// Joins `reader` and `writer`; reads return `buffered` before anything from
    /// `reader`.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::tls::Joined;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let (a, _b) = weft_net::UnixStream::pair()?;
    /// let (rd, wr) = a.into_split();
    /// let joined = Joined::new(Vec::new(), rd, wr);
    /// assert!(joined.buffered().is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn new(buffered: Vec<u8>, reader: R, writer: W) -> Joined<R, W> {
        Joined {
            buffered,
            pos: 0,
            reader,
            writer,
        }
    }

    /// The buffered bytes not read yet.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::tls::Joined;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let (a, _b) = weft_net::UnixStream::pair()?;
    /// let (rd, wr) = a.into_split();
    /// let joined = Joined::new(b"left over".to_vec(), rd, wr);
    /// assert_eq!(joined.buffered(), b"left over");
    /// # Ok(())
    /// # }
    /// ```
    pub fn buffered(&self) -> &[u8] {
        &self.buffered[self.pos..]
    }

    /// The reader and the writer.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::tls::Joined;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let (a, _b) = weft_net::UnixStream::pair()?;
    /// let (rd, wr) = a.into_split();
    /// let joined = Joined::new(Vec::new(), rd, wr);
    /// let (rd, _wr) = joined.get_ref();
    /// assert!(rd.peer_addr().is_ok());
    /// # Ok(())
    /// # }
    /// ```
    pub fn get_ref(&self) -> (&R, &W) {
        (&self.reader, &self.writer)
    }

    /// The reader and the writer, mutably.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::tls::Joined;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let (a, _b) = weft_net::UnixStream::pair()?;
    /// let (rd, wr) = a.into_split();
    /// let mut joined = Joined::new(Vec::new(), rd, wr);
    /// let (_rd, _wr) = joined.get_mut();
    /// # Ok(())
    /// # }
    /// ```
    pub fn get_mut(&mut self) -> (&mut R, &mut W) {
        (&mut self.reader, &mut self.writer)
    }

    /// Takes the transport apart: the buffered bytes not read yet, the reader and
    /// the writer.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::tls::Joined;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let (a, _b) = weft_net::UnixStream::pair()?;
    /// let (rd, wr) = a.into_split();
    /// let (rest, rd, wr) = Joined::new(b"abc".to_vec(), rd, wr).into_parts();
    /// assert_eq!(rest, b"abc");
    /// assert!(rd.reunite(wr).is_ok());
    /// # Ok(())
    /// # }
    /// ```
    pub fn into_parts(mut self) -> (Vec<u8>, R, W) {
        self.buffered.drain(..self.pos);
        (self.buffered, self.reader, self.writer)
    }
}

impl<R: AsyncRead + Unpin, W: Unpin> AsyncRead for Joined<R, W> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.pos < this.buffered.len() {
            let rest = &this.buffered[this.pos..];
            let n = rest.len().min(buf.len());
            buf[..n].copy_from_slice(&rest[..n]);
            this.pos += n;
            if this.pos == this.buffered.len() {
                this.buffered = Vec::new();
                this.pos = 0;
            }
            return Poll::Ready(Ok(n));
        }
        Pin::new(&mut this.reader).poll_read(cx, buf)
    }
}

impl<R: Unpin, W: AsyncWrite + Unpin> AsyncWrite for Joined<R, W> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.writer).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.writer).poll_write_vectored(cx, bufs)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.writer).poll_flush(cx)
    }

    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.writer).poll_close(cx)
    }
}

impl<R, W> fmt::Debug for Joined<R, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Joined")
            .field("buffered", &self.buffered().len())
            .finish_non_exhaustive()
    }
}
