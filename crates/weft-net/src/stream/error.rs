//! The errors of [`StreamReader`](super::StreamReader)'s reads: [`LimitOverrun`],
//! [`IncompleteRead`], and [`ReadError`], which holds either or an I/O error.

use std::error::Error;
use std::fmt;
use std::io;

/// No separator within the reader's limit: asyncio's `LimitOverrunError`.
///
/// The bytes stay in the reader's buffer, so nothing is lost: read them with
/// [`read`](super::StreamReader::read) or
/// [`readexactly(consumed)`](super::StreamReader::readexactly), or raise the limit
/// with [`set_limit`](super::StreamReader::set_limit) and ask again. It converts into
/// an [`io::Error`] of kind [`InvalidData`](io::ErrorKind::InvalidData).
///
/// # Examples
///
/// ```
/// use weft_net::{LimitOverrun, ReadError, StreamReader};
///
/// # weft_reactor::block_on(async {
/// let mut reader = StreamReader::with_limit(&b"a long line\n"[..], 4);
/// let Err(ReadError::LimitOverrun(err)) = reader.readline().await else { panic!() };
/// assert_eq!(err.consumed(), 5); // 5 bytes searched, no separator among them
/// assert_eq!(reader.buffer(), b"a lon"); // kept; no more was read
/// # });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LimitOverrun {
    consumed: usize,
    limit: usize,
}

impl LimitOverrun {
    pub(crate) fn new(consumed: usize, limit: usize) -> LimitOverrun {
        LimitOverrun { consumed, limit }
    }

    /// How many buffered bytes the read looked through: those before the separator
    /// when it was found past the limit, or those searched in vain (asyncio's
    /// `consumed`). They are still in the buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::{ReadError, StreamReader};
    ///
    /// # weft_reactor::block_on(async {
    /// let mut reader = StreamReader::with_limit(&b"0123456789;"[..], 8);
    /// let Err(ReadError::LimitOverrun(err)) = reader.readuntil(b";").await else { panic!() };
    /// let head = reader.read(err.consumed()).await.unwrap();
    /// assert_eq!(head, b"012345678");
    /// # });
    /// ```
    pub fn consumed(&self) -> usize {
        self.consumed
    }

    /// The reader's limit when the read failed.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::{ReadError, StreamReader};
    ///
    /// # weft_reactor::block_on(async {
    /// let mut reader = StreamReader::with_limit(&b"no newline here"[..], 3);
    /// let Err(ReadError::LimitOverrun(err)) = reader.readline().await else { panic!() };
    /// assert_eq!(err.limit(), 3);
    /// # });
    /// ```
    pub fn limit(&self) -> usize {
        self.limit
    }
}

impl fmt::Display for LimitOverrun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "separator not found within the limit of {} bytes",
            self.limit
        )
    }
}

impl Error for LimitOverrun {}

impl From<LimitOverrun> for io::Error {
    fn from(e: LimitOverrun) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, e)
    }
}

/// The stream ended before the read was satisfied: asyncio's `IncompleteReadError`.
///
/// It carries the bytes read before the end ([`partial`](IncompleteRead::partial)),
/// which are no longer in the reader's buffer. It converts into an [`io::Error`] of
/// kind [`UnexpectedEof`](io::ErrorKind::UnexpectedEof), which keeps it as its inner
/// error.
///
/// # Examples
///
/// ```
/// use weft_net::{IncompleteRead, ReadError, StreamReader};
///
/// # weft_reactor::block_on(async {
/// let mut reader = StreamReader::new(&b"short"[..]);
/// let Err(ReadError::IncompleteRead(err)) = reader.readexactly(8).await else { panic!() };
/// assert_eq!(err.partial, b"short");
/// assert_eq!(err.expected, Some(8));
/// # });
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IncompleteRead {
    /// The bytes read before the end of the stream.
    pub partial: Vec<u8>,
    /// How many bytes the read wanted, or `None` for a read up to a separator.
    pub expected: Option<usize>,
}

impl IncompleteRead {
    pub(crate) fn new(partial: Vec<u8>, expected: Option<usize>) -> IncompleteRead {
        IncompleteRead { partial, expected }
    }

    /// The bytes read before the end of the stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::{ReadError, StreamReader};
    ///
    /// # weft_reactor::block_on(async {
    /// let mut reader = StreamReader::new(&b"no separator"[..]);
    /// let Err(ReadError::IncompleteRead(err)) = reader.readuntil(b";").await else { panic!() };
    /// assert_eq!(err.into_partial(), b"no separator");
    /// # });
    /// ```
    pub fn into_partial(self) -> Vec<u8> {
        self.partial
    }
}

impl fmt::Debug for IncompleteRead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IncompleteRead")
            .field("partial", &format_args!("{} bytes", self.partial.len()))
            .field("expected", &self.expected)
            .finish()
    }
}

impl fmt::Display for IncompleteRead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.expected {
            Some(n) => write!(f, "end of stream after {} of {n} bytes", self.partial.len()),
            None => write!(
                f,
                "end of stream after {} bytes, before the separator",
                self.partial.len()
            ),
        }
    }
}

impl Error for IncompleteRead {}

impl From<IncompleteRead> for io::Error {
    fn from(e: IncompleteRead) -> io::Error {
        io::Error::new(io::ErrorKind::UnexpectedEof, e)
    }
}

/// The error of [`StreamReader`](super::StreamReader)'s `readline`, `readuntil` and
/// `readexactly`.
///
/// It converts into an [`io::Error`] (each variant as its own conversion says), so a
/// function returning `io::Result` can use `?` on these reads.
///
/// # Examples
///
/// ```
/// use weft_net::{ReadError, StreamReader};
///
/// # fn main() -> std::io::Result<()> {
/// # weft_reactor::block_on(async {
/// let mut reader = StreamReader::new(&b"GET / HTTP/1.1\r\n"[..]);
/// let line = reader.readuntil(b"\r\n").await?; // ReadError -> io::Error
/// assert_eq!(line, b"GET / HTTP/1.1\r\n");
/// match reader.readexactly(4).await {
///     Err(ReadError::IncompleteRead(e)) => assert!(e.partial.is_empty()),
///     other => panic!("{other:?}"),
/// }
/// # Ok(())
/// # })
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum ReadError {
    /// The transport failed.
    Io(io::Error),
    /// No separator within the limit; the bytes stay buffered.
    LimitOverrun(LimitOverrun),
    /// The stream ended first; the error carries what was read.
    IncompleteRead(IncompleteRead),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => e.fmt(f),
            ReadError::LimitOverrun(e) => e.fmt(f),
            ReadError::IncompleteRead(e) => e.fmt(f),
        }
    }
}

impl Error for ReadError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            ReadError::Io(e) => Some(e),
            ReadError::LimitOverrun(e) => Some(e),
            ReadError::IncompleteRead(e) => Some(e),
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> ReadError {
        ReadError::Io(e)
    }
}

impl From<LimitOverrun> for ReadError {
    fn from(e: LimitOverrun) -> ReadError {
        ReadError::LimitOverrun(e)
    }
}

impl From<IncompleteRead> for ReadError {
    fn from(e: IncompleteRead) -> ReadError {
        ReadError::IncompleteRead(e)
    }
}

impl From<ReadError> for io::Error {
    fn from(e: ReadError) -> io::Error {
        match e {
            ReadError::Io(e) => e,
            ReadError::LimitOverrun(e) => e.into(),
            ReadError::IncompleteRead(e) => e.into(),
        }
    }
}
