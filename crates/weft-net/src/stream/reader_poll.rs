//! [`StreamReader`]'s machinery: the `poll_*` functions its read futures and its
//! `futures-io` impls call. Each keeps its progress in the reader's buffer, never in
//! the caller, so a read can be dropped between polls without losing bytes.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_io::AsyncRead;

use super::error::{IncompleteRead, LimitOverrun, ReadError};
use super::reader::StreamReader;

/// The machinery the read futures share. Each `poll_*` keeps its progress in the
/// buffer, so it can be dropped between polls without losing bytes.
impl<R: AsyncRead + Unpin> StreamReader<R> {
    /// One read from the transport into the buffer, which may then hold at most
    /// `max_len` bytes. `Ok(0)` means the end of the stream (which is remembered).
    pub(super) fn poll_fill(
        &mut self,
        cx: &mut Context<'_>,
        max_len: usize,
    ) -> Poll<io::Result<usize>> {
        if self.eof {
            return Poll::Ready(Ok(0));
        }
        let spare = self.buf.spare(max_len);
        let n = loop {
            match ready!(Pin::new(&mut self.inner).poll_read(cx, spare)) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                res => break res?,
            }
        };
        if n == 0 {
            self.eof = true;
        } else {
            self.buf.filled(n);
        }
        Poll::Ready(Ok(n))
    }

    pub(super) fn poll_read_n(
        &mut self,
        cx: &mut Context<'_>,
        n: usize,
    ) -> Poll<io::Result<Vec<u8>>> {
        if n == 0 {
            return Poll::Ready(Ok(Vec::new()));
        }
        if self.buf.is_empty() {
            ready!(self.poll_fill(cx, usize::MAX))?;
        }
        Poll::Ready(Ok(self.buf.take(n)))
    }

    /// Searches from `searched` (bytes before it are known to hold no separator
    /// start), and records how far it got.
    pub(super) fn poll_readuntil(
        &mut self,
        cx: &mut Context<'_>,
        sep: &[u8],
        searched: &mut usize,
    ) -> Poll<Result<Vec<u8>, ReadError>> {
        if sep.is_empty() {
            let e = io::Error::new(io::ErrorKind::InvalidInput, "the separator is empty");
            return Poll::Ready(Err(e.into()));
        }
        let limit = self.limit;
        loop {
            let data = self.buf.data();
            if let Some(i) = find(&data[(*searched).min(data.len())..], sep) {
                let at = *searched + i;
                *searched = 0;
                if at > limit {
                    return Poll::Ready(Err(LimitOverrun::new(at, limit).into()));
                }
                return Poll::Ready(Ok(self.buf.take(at + sep.len())));
            }
            // asyncio's `offset`: the last `sep.len() - 1` bytes may begin a separator.
            *searched = (data.len() + 1).saturating_sub(sep.len());
            if *searched > limit {
                let consumed = *searched;
                *searched = 0;
                return Poll::Ready(Err(LimitOverrun::new(consumed, limit).into()));
            }
            if self.eof {
                *searched = 0;
                let partial = self.buf.take_all();
                return Poll::Ready(Err(IncompleteRead::new(partial, None).into()));
            }
            ready!(self.poll_fill(cx, limit.saturating_add(sep.len())))?;
        }
    }

    pub(super) fn poll_readexactly(
        &mut self,
        cx: &mut Context<'_>,
        n: usize,
    ) -> Poll<Result<Vec<u8>, ReadError>> {
        while self.buf.len() < n {
            if self.eof {
                let partial = self.buf.take_all();
                return Poll::Ready(Err(IncompleteRead::new(partial, Some(n)).into()));
            }
            // Room for all `n` (and for whatever else fits in the allocation).
            let room = n.max(self.buf.capacity());
            ready!(self.poll_fill(cx, room))?;
        }
        Poll::Ready(Ok(self.buf.take(n)))
    }

    pub(super) fn poll_read_to_end(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Vec<u8>>> {
        while !self.eof {
            ready!(self.poll_fill(cx, usize::MAX))?;
        }
        Poll::Ready(Ok(self.buf.take_all()))
    }

    /// The buffered bytes, reading once if there are none (the `AsyncBufRead` way).
    pub(super) fn poll_buffered(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        if self.buf.is_empty() {
            ready!(self.poll_fill(cx, usize::MAX))?;
        }
        Poll::Ready(Ok(self.buf.data()))
    }

    /// A plain read into `out`: from the buffer if it holds anything, else straight
    /// from the transport when `out` is at least as large as the buffer would be.
    pub(super) fn poll_read_into(
        &mut self,
        cx: &mut Context<'_>,
        out: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        if self.buf.is_empty() && !self.eof && out.len() >= self.buf.capacity().max(8 * 1024) {
            let n = ready!(Pin::new(&mut self.inner).poll_read(cx, out))?;
            if n == 0 && !out.is_empty() {
                self.eof = true;
            }
            return Poll::Ready(Ok(n));
        }
        let data = ready!(self.poll_buffered(cx))?;
        let n = data.len().min(out.len());
        out[..n].copy_from_slice(&data[..n]);
        self.buf.consume(n);
        Poll::Ready(Ok(n))
    }

    pub(super) fn consume(&mut self, n: usize) {
        self.buf.consume(n.min(self.buf.len()));
    }
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    match needle {
        [b] => haystack.iter().position(|x| x == b),
        _ => haystack.windows(needle.len()).position(|w| w == needle),
    }
}
