//! [`StreamReader`]: asyncio's `StreamReader` over any `AsyncRead`.

use std::fmt;

use futures_io::AsyncRead;

#[cfg(doc)]
use super::error::{LimitOverrun, ReadError};
use super::read_buf::ReadBuf;
use super::reader_futures::{Read, ReadExactly, ReadLine, ReadToEnd, ReadUntil};

/// The default [`limit`](StreamReader::limit): 64 KiB, as asyncio's.
pub const DEFAULT_LIMIT: usize = 64 * 1024;

/// A buffered reader with asyncio's `StreamReader` methods: [`read`](Self::read),
/// [`readline`](Self::readline), [`readuntil`](Self::readuntil),
/// [`readexactly`](Self::readexactly), [`read_to_end`](Self::read_to_end) and
/// [`at_eof`](Self::at_eof).
///
/// It reads from any `futures-io` [`AsyncRead`]; [`open_connection`](crate::open_connection)
/// and the servers give one over a TCP connection's read half (the default `R`). It
/// is itself an `AsyncRead` and an `AsyncBufRead`, so the `futures` extension traits
/// and the libraries built on them work on it too.
///
/// Reads keep what they have read in the reader's buffer until they complete, so a
/// read dropped before it completes (by a timeout, or a `select!` that took another
/// branch) loses no bytes: the next read gets them. A search for a separator never
/// buffers more than [`limit`](Self::limit) bytes plus the separator; past that it
/// fails with [`LimitOverrun`] and leaves the bytes in the buffer.
///
/// # Examples
///
/// ```
/// use weft_net::StreamReader;
///
/// # weft_reactor::block_on(async {
/// let mut reader = StreamReader::new(&b"HELO weft\r\nsize 4\r\nbody"[..]);
/// assert_eq!(reader.readline().await?, b"HELO weft\r\n");
/// assert_eq!(reader.readuntil(b"\r\n").await?, b"size 4\r\n");
/// assert_eq!(reader.readexactly(4).await?, b"body");
/// assert_eq!(reader.read(100).await?, b""); // the end of the stream
/// assert!(reader.at_eof());
/// # Ok::<(), weft_net::ReadError>(())
/// # }).unwrap();
/// ```
pub struct StreamReader<R = crate::tcp::OwnedReadHalf> {
    pub(super) inner: R,
    pub(super) buf: ReadBuf,
    pub(super) limit: usize,
    /// The transport said end of stream; it is not read again.
    pub(super) eof: bool,
}

impl<R: AsyncRead + Unpin> StreamReader<R> {
    /// A reader over `inner` with the default limit of 64 KiB.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::StreamReader;
    ///
    /// let reader = StreamReader::new(&b"data"[..]);
    /// assert_eq!(reader.limit(), 64 * 1024);
    /// ```
    pub fn new(inner: R) -> StreamReader<R> {
        StreamReader::with_limit(inner, DEFAULT_LIMIT)
    }

    /// A reader over `inner` whose line and separator searches give up past `limit`
    /// bytes (asyncio's `limit=` argument).
    ///
    /// # Panics
    ///
    /// When `limit` is 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::StreamReader;
    ///
    /// let reader = StreamReader::with_limit(&b"data"[..], 1024);
    /// assert_eq!(reader.limit(), 1024);
    /// ```
    pub fn with_limit(inner: R, limit: usize) -> StreamReader<R> {
        assert!(limit > 0, "a StreamReader's limit must be positive");
        StreamReader {
            inner,
            buf: ReadBuf::new(),
            limit,
            eof: false,
        }
    }

    /// Reads at most `n` bytes: what is buffered, or else what one read of the
    /// transport gives. An empty vector means the end of the stream (or `n == 0`).
    ///
    /// asyncio's `read(n)`; its `read(-1)` is [`read_to_end`](Self::read_to_end).
    ///
    /// # Errors
    ///
    /// The transport's error; the buffered bytes stay.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: bytes are taken from the buffer only when the future completes.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::StreamReader;
    ///
    /// # weft_reactor::block_on(async {
    /// let mut reader = StreamReader::new(&b"abcdef"[..]);
    /// assert_eq!(reader.read(4).await?, b"abcd");
    /// assert_eq!(reader.read(4).await?, b"ef");
    /// assert_eq!(reader.read(4).await?, b""); // end of stream
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn read(&mut self, n: usize) -> Read<'_, R> {
        Read::new(self, n)
    }

    /// Reads one line, up to and including `\n`.
    ///
    /// At the end of the stream it returns what is left, without a `\n`, and then
    /// empty vectors. asyncio's `readline()`, except that a line longer than the limit
    /// fails with [`LimitOverrun`] *and stays in the buffer* (asyncio drops it), as
    /// [`readuntil`](Self::readuntil) does.
    ///
    /// # Errors
    ///
    /// [`ReadError::LimitOverrun`] when no `\n` comes within [`limit`](Self::limit)
    /// bytes; [`ReadError::Io`] when the transport fails.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: the bytes read so far stay in the buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::StreamReader;
    ///
    /// # weft_reactor::block_on(async {
    /// let mut reader = StreamReader::new(&b"one\ntwo"[..]);
    /// assert_eq!(reader.readline().await?, b"one\n");
    /// assert_eq!(reader.readline().await?, b"two");
    /// assert_eq!(reader.readline().await?, b"");
    /// # Ok::<(), weft_net::ReadError>(())
    /// # }).unwrap();
    /// ```
    pub fn readline(&mut self) -> ReadLine<'_, R> {
        ReadLine::new(self)
    }

    /// Reads up to and including `separator`.
    ///
    /// # Errors
    ///
    /// - [`ReadError::LimitOverrun`] when the separator does not end within
    ///   [`limit`](Self::limit) bytes plus its own length; the bytes stay in the
    ///   buffer, and at most that many were read.
    /// - [`ReadError::IncompleteRead`] when the stream ends first, carrying the
    ///   bytes read (which leave the buffer).
    /// - [`ReadError::Io`] when the transport fails, or (`InvalidInput`) when
    ///   `separator` is empty.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: the bytes read so far stay in the buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::StreamReader;
    ///
    /// # weft_reactor::block_on(async {
    /// let mut reader = StreamReader::new(&b"key=value;rest"[..]);
    /// assert_eq!(reader.readuntil(b"=").await?, b"key=");
    /// assert_eq!(reader.readuntil(b";").await?, b"value;");
    /// # Ok::<(), weft_net::ReadError>(())
    /// # }).unwrap();
    /// ```
    pub fn readuntil<'a>(&'a mut self, separator: &'a [u8]) -> ReadUntil<'a, R> {
        ReadUntil::new(self, separator)
    }

    /// Reads exactly `n` bytes.
    ///
    /// # Errors
    ///
    /// [`ReadError::IncompleteRead`] when the stream ends first, carrying the bytes
    /// read; [`ReadError::Io`] when the transport fails (the bytes stay buffered).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: the bytes read so far stay in the buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::StreamReader;
    ///
    /// # weft_reactor::block_on(async {
    /// let mut reader = StreamReader::new(&b"\x00\x03abc"[..]);
    /// let len = reader.readexactly(2).await?;
    /// let len = u16::from_be_bytes([len[0], len[1]]) as usize;
    /// assert_eq!(reader.readexactly(len).await?, b"abc");
    /// # Ok::<(), weft_net::ReadError>(())
    /// # }).unwrap();
    /// ```
    pub fn readexactly(&mut self, n: usize) -> ReadExactly<'_, R> {
        ReadExactly::new(self, n)
    }

    /// Reads everything up to the end of the stream (asyncio's `read(-1)`). The
    /// limit does not apply.
    ///
    /// # Errors
    ///
    /// The transport's error; what was read stays buffered.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: the bytes read so far stay in the buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::StreamReader;
    ///
    /// # weft_reactor::block_on(async {
    /// let mut reader = StreamReader::new(&b"header\nthe rest"[..]);
    /// reader.readline().await.unwrap();
    /// assert_eq!(reader.read_to_end().await?, b"the rest");
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn read_to_end(&mut self) -> ReadToEnd<'_, R> {
        ReadToEnd::new(self)
    }
}

impl<R> StreamReader<R> {
    /// Whether the stream has ended and the buffer is empty: no read will return
    /// anything more.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::StreamReader;
    ///
    /// # weft_reactor::block_on(async {
    /// let mut reader = StreamReader::new(&b"x"[..]);
    /// assert!(!reader.at_eof());
    /// reader.read(1).await?;
    /// assert!(!reader.at_eof()); // the end is not seen yet
    /// reader.read(1).await?;
    /// assert!(reader.at_eof());
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn at_eof(&self) -> bool {
        self.eof && self.buf.is_empty()
    }

    /// The line and separator limit.
    ///
    /// # Examples
    ///
    /// ```
    /// let reader = weft_net::StreamReader::new(&b""[..]);
    /// assert_eq!(reader.limit(), weft_net::stream::DEFAULT_LIMIT);
    /// ```
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Changes the limit, for example to read a line that overran the old one.
    ///
    /// # Panics
    ///
    /// When `limit` is 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::{ReadError, StreamReader};
    ///
    /// # weft_reactor::block_on(async {
    /// let mut reader = StreamReader::with_limit(&b"a longer line\n"[..], 4);
    /// assert!(matches!(reader.readline().await, Err(ReadError::LimitOverrun(_))));
    /// reader.set_limit(1024);
    /// assert_eq!(reader.readline().await.unwrap(), b"a longer line\n");
    /// # });
    /// ```
    pub fn set_limit(&mut self, limit: usize) {
        assert!(limit > 0, "a StreamReader's limit must be positive");
        self.limit = limit;
    }

    /// The bytes read from the transport and not handed out yet.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::StreamReader;
    ///
    /// # weft_reactor::block_on(async {
    /// let mut reader = StreamReader::new(&b"one\ntwo\n"[..]);
    /// reader.readline().await.unwrap();
    /// assert_eq!(reader.buffer(), b"two\n");
    /// # });
    /// ```
    pub fn buffer(&self) -> &[u8] {
        self.buf.data()
    }

    /// The transport.
    ///
    /// # Examples
    ///
    /// ```
    /// let reader = weft_net::StreamReader::new(&b"data"[..]);
    /// assert_eq!(*reader.get_ref(), b"data");
    /// ```
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The transport, mutably. Reading from it directly skips the buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut reader = weft_net::StreamReader::new(&b"data"[..]);
    /// let _inner: &mut &[u8] = reader.get_mut();
    /// ```
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// The transport and the bytes buffered but not handed out, for a protocol that
    /// takes the connection over (such as `start_tls`).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::StreamReader;
    ///
    /// # weft_reactor::block_on(async {
    /// let mut reader = StreamReader::new(&b"STARTTLS\r\n\x16\x03\x01"[..]);
    /// reader.readline().await.unwrap();
    /// let (rest_of_transport, buffered) = reader.into_parts();
    /// assert_eq!(buffered, b"\x16\x03\x01");
    /// assert!(rest_of_transport.is_empty());
    /// # });
    /// ```
    pub fn into_parts(mut self) -> (R, Vec<u8>) {
        let buffered = self.buf.take_all();
        (self.inner, buffered)
    }

    /// The transport; the buffered bytes are dropped (see
    /// [`into_parts`](Self::into_parts) to keep them).
    ///
    /// # Examples
    ///
    /// ```
    /// let reader = weft_net::StreamReader::new(&b"data"[..]);
    /// assert_eq!(reader.into_inner(), b"data");
    /// ```
    pub fn into_inner(self) -> R {
        self.inner
    }
}

impl<R> fmt::Debug for StreamReader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamReader")
            .field("buffered", &self.buf.len())
            .field("limit", &self.limit)
            .field("eof", &self.eof)
            .finish_non_exhaustive()
    }
}
