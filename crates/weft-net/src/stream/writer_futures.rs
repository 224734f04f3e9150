//! The futures of [`StreamWriter`]'s waits, and its `AsyncWrite` impl.

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_io::AsyncWrite;

use super::transport::Want;
use super::writer::StreamWriter;

/// The future of [`StreamWriter::drain`].
///
/// # Cancel safety
///
/// Cancel safe: the queued bytes stay queued and keep going out.
///
/// # Examples
///
/// ```
/// use weft_net::{StreamWriter, stream::Drain};
///
/// # weft_reactor::block_on(async {
/// let mut writer = StreamWriter::new(futures::io::sink());
/// writer.write(b"data");
/// let fut: Drain<'_, futures::io::Sink> = writer.drain();
/// fut.await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Drain<'a, W> {
    writer: &'a mut StreamWriter<W>,
}

impl<'a, W: AsyncWrite + Unpin + Send + 'static> Drain<'a, W> {
    pub(super) fn new(writer: &'a mut StreamWriter<W>) -> Drain<'a, W> {
        Drain { writer }
    }
}

impl<W: AsyncWrite + Unpin + Send + 'static> Future for Drain<'_, W> {
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().writer.poll_wait(cx, Want::Drained)
    }
}

/// The future of [`StreamWriter::wait_closed`].
///
/// # Cancel safety
///
/// Cancel safe: the close goes on without it.
///
/// # Examples
///
/// ```
/// use weft_net::{StreamWriter, stream::WaitClosed};
///
/// # weft_reactor::block_on(async {
/// let mut writer = StreamWriter::new(futures::io::sink());
/// writer.close();
/// let fut: WaitClosed<'_, futures::io::Sink> = writer.wait_closed();
/// fut.await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct WaitClosed<'a, W> {
    writer: &'a StreamWriter<W>,
}

impl<'a, W: AsyncWrite + Unpin + Send + 'static> WaitClosed<'a, W> {
    pub(super) fn new(writer: &'a StreamWriter<W>) -> WaitClosed<'a, W> {
        WaitClosed { writer }
    }
}

impl<W: AsyncWrite + Unpin + Send + 'static> Future for WaitClosed<'_, W> {
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.writer.poll_wait(cx, Want::Closed)
    }
}

impl<W: AsyncWrite + Unpin + Send + 'static> StreamWriter<W> {
    /// Drives the transport, then answers (or leaves `cx`'s waker) for `want`.
    fn poll_wait(&self, cx: &mut Context<'_>, want: Want) -> Poll<io::Result<()>> {
        let waker = self.transport_waker();
        self.transport().with_state(waker, |st, own| {
            st.drive(own);
            if let Some(e) = st.error() {
                return Poll::Ready(Err(e));
            }
            if want == Want::Drained
                && let Some(e) = st.take_late_writes_error()
            {
                return Poll::Ready(Err(e));
            }
            if st.satisfied(want) {
                return Poll::Ready(Ok(()));
            }
            st.wait(want, cx.waker());
            Poll::Pending
        })
    }
}

/// `poll_write` queues like [`write`](StreamWriter::write) but waits first while the
/// buffer is above the high-water mark; `poll_flush` waits until the buffer is
/// written and the transport flushed; `poll_close` closes like
/// [`close`](StreamWriter::close) and waits as [`wait_closed`](StreamWriter::wait_closed).
impl<W: AsyncWrite + Unpin + Send + 'static> AsyncWrite for StreamWriter<W> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.transport()
            .with_state(this.transport_waker(), |st, own| {
                if let Some(e) = st.error() {
                    return Poll::Ready(Err(e));
                }
                if st.shutdown_asked() {
                    let e = io::Error::new(io::ErrorKind::BrokenPipe, "the writer is shut down");
                    return Poll::Ready(Err(e));
                }
                st.drive(own);
                if !st.satisfied(Want::Drained) {
                    st.wait(Want::Drained, cx.waker());
                    return Poll::Pending;
                }
                st.write(own, buf);
                Poll::Ready(Ok(buf.len()))
            })
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().poll_wait(cx, Want::Flushed)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.transport()
            .with_state(this.transport_waker(), |st, _| st.ask_close());
        this.poll_wait(cx, Want::Closed)
    }
}

impl<W> fmt::Debug for Drain<'_, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Drain").finish_non_exhaustive()
    }
}

impl<W> fmt::Debug for WaitClosed<'_, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitClosed").finish_non_exhaustive()
    }
}
