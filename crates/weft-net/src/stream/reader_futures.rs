//! The futures of [`StreamReader`]'s reads. Each holds the reader mutably and calls
//! its `poll_*` machinery; the progress lives in the reader's buffer, not in the
//! future, which is why all of them are cancel safe.

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_io::AsyncRead;

use super::error::ReadError;
use super::reader::StreamReader;

/// The future of [`StreamReader::read`].
///
/// # Cancel safety
///
/// Cancel safe: bytes leave the reader's buffer only when it completes.
///
/// # Examples
///
/// ```
/// use weft_net::{StreamReader, stream::Read};
///
/// # weft_reactor::block_on(async {
/// let mut reader = StreamReader::new(&b"xyz"[..]);
/// let fut: Read<'_, &[u8]> = reader.read(2);
/// assert_eq!(fut.await?, b"xy");
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Read<'a, R> {
    reader: &'a mut StreamReader<R>,
    n: usize,
}

impl<'a, R> Read<'a, R> {
    pub(super) fn new(reader: &'a mut StreamReader<R>, n: usize) -> Read<'a, R> {
        Read { reader, n }
    }
}

impl<R: AsyncRead + Unpin> Future for Read<'_, R> {
    type Output = io::Result<Vec<u8>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        this.reader.poll_read_n(cx, this.n)
    }
}

/// The future of [`StreamReader::readline`].
///
/// # Cancel safety
///
/// Cancel safe: the bytes read so far stay in the reader's buffer.
///
/// # Examples
///
/// ```
/// use weft_net::{StreamReader, stream::ReadLine};
///
/// # weft_reactor::block_on(async {
/// let mut reader = StreamReader::new(&b"line\n"[..]);
/// let fut: ReadLine<'_, &[u8]> = reader.readline();
/// assert_eq!(fut.await.unwrap(), b"line\n");
/// # });
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct ReadLine<'a, R> {
    reader: &'a mut StreamReader<R>,
    searched: usize,
}

impl<'a, R> ReadLine<'a, R> {
    pub(super) fn new(reader: &'a mut StreamReader<R>) -> ReadLine<'a, R> {
        ReadLine {
            reader,
            searched: 0,
        }
    }
}

impl<R: AsyncRead + Unpin> Future for ReadLine<'_, R> {
    type Output = Result<Vec<u8>, ReadError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        match this.reader.poll_readuntil(cx, b"\n", &mut this.searched) {
            // The end of the stream ends the last line.
            Poll::Ready(Err(ReadError::IncompleteRead(e))) => Poll::Ready(Ok(e.partial)),
            other => other,
        }
    }
}

/// The future of [`StreamReader::readuntil`].
///
/// # Cancel safety
///
/// Cancel safe: the bytes read so far stay in the reader's buffer.
///
/// # Examples
///
/// ```
/// use weft_net::{StreamReader, stream::ReadUntil};
///
/// # weft_reactor::block_on(async {
/// let mut reader = StreamReader::new(&b"a,b"[..]);
/// let fut: ReadUntil<'_, &[u8]> = reader.readuntil(b",");
/// assert_eq!(fut.await.unwrap(), b"a,");
/// # });
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct ReadUntil<'a, R> {
    reader: &'a mut StreamReader<R>,
    separator: &'a [u8],
    searched: usize,
}

impl<'a, R> ReadUntil<'a, R> {
    pub(super) fn new(reader: &'a mut StreamReader<R>, separator: &'a [u8]) -> ReadUntil<'a, R> {
        ReadUntil {
            reader,
            separator,
            searched: 0,
        }
    }
}

impl<R: AsyncRead + Unpin> Future for ReadUntil<'_, R> {
    type Output = Result<Vec<u8>, ReadError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        this.reader
            .poll_readuntil(cx, this.separator, &mut this.searched)
    }
}

/// The future of [`StreamReader::readexactly`].
///
/// # Cancel safety
///
/// Cancel safe: the bytes read so far stay in the reader's buffer.
///
/// # Examples
///
/// ```
/// use weft_net::{StreamReader, stream::ReadExactly};
///
/// # weft_reactor::block_on(async {
/// let mut reader = StreamReader::new(&b"1234"[..]);
/// let fut: ReadExactly<'_, &[u8]> = reader.readexactly(3);
/// assert_eq!(fut.await.unwrap(), b"123");
/// # });
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct ReadExactly<'a, R> {
    reader: &'a mut StreamReader<R>,
    n: usize,
}

impl<'a, R> ReadExactly<'a, R> {
    pub(super) fn new(reader: &'a mut StreamReader<R>, n: usize) -> ReadExactly<'a, R> {
        ReadExactly { reader, n }
    }
}

impl<R: AsyncRead + Unpin> Future for ReadExactly<'_, R> {
    type Output = Result<Vec<u8>, ReadError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        this.reader.poll_readexactly(cx, this.n)
    }
}

/// The future of [`StreamReader::read_to_end`].
///
/// # Cancel safety
///
/// Cancel safe: the bytes read so far stay in the reader's buffer.
///
/// # Examples
///
/// ```
/// use weft_net::{StreamReader, stream::ReadToEnd};
///
/// # weft_reactor::block_on(async {
/// let mut reader = StreamReader::new(&b"all of it"[..]);
/// let fut: ReadToEnd<'_, &[u8]> = reader.read_to_end();
/// assert_eq!(fut.await?, b"all of it");
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct ReadToEnd<'a, R> {
    reader: &'a mut StreamReader<R>,
}

impl<'a, R> ReadToEnd<'a, R> {
    pub(super) fn new(reader: &'a mut StreamReader<R>) -> ReadToEnd<'a, R> {
        ReadToEnd { reader }
    }
}

impl<R: AsyncRead + Unpin> Future for ReadToEnd<'_, R> {
    type Output = io::Result<Vec<u8>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.get_mut().reader.poll_read_to_end(cx)
    }
}

macro_rules! debug_future {
    ($($F:ident),*) => {$(
        impl<R> fmt::Debug for $F<'_, R> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($F)).finish_non_exhaustive()
            }
        }
    )*};
}

debug_future!(Read, ReadLine, ReadUntil, ReadExactly, ReadToEnd);
