//! [`StreamWriter`]: asyncio's `StreamWriter` over any `AsyncWrite`.

use std::fmt;
use std::io;
use std::sync::Arc;
use std::task::Waker;

use futures_io::AsyncWrite;

use super::transport::Transport;
use super::writer_futures::{Drain, WaitClosed};

/// A transport that knows the addresses of its two ends, as connection halves do;
/// [`StreamWriter::peer_addr`] and [`StreamWriter::local_addr`] ask it.
///
/// # Examples
///
/// ```
/// use weft_net::stream::Endpoints;
///
/// fn describe<T: Endpoints>(t: &T) -> String
/// where
///     T::Addr: std::fmt::Debug,
/// {
///     format!("{:?} -> {:?}", t.local_addr().ok(), t.peer_addr().ok())
/// }
/// # let _ = describe::<weft_net::tcp::OwnedWriteHalf>;
/// ```
pub trait Endpoints {
    /// The address type: `std::net::SocketAddr` for TCP.
    type Addr;

    /// This end's address.
    ///
    /// # Errors
    ///
    /// As the system call's.
    fn local_addr(&self) -> io::Result<Self::Addr>;

    /// The other end's address.
    ///
    /// # Errors
    ///
    /// `NotConnected` once the connection is gone.
    fn peer_addr(&self) -> io::Result<Self::Addr>;
}

/// asyncio's `StreamWriter`: [`write`](Self::write) queues bytes without waiting,
/// [`drain`](Self::drain) waits while too many are queued, [`close`](Self::close)
/// and [`wait_closed`](Self::wait_closed) end the connection's write side.
///
/// It writes to any `futures-io` [`AsyncWrite`] that is `Send` and `'static`;
/// [`open_connection`](crate::open_connection) and the servers give one over a TCP
/// connection's write half (the default `W`). It is also an `AsyncWrite` itself,
/// whose `poll_write` waits only while the buffer is above the high-water mark and
/// whose `poll_flush` waits until everything is written.
///
/// As with asyncio's transport, the queued bytes go out in the background: a write
/// sends at once what the socket takes, and the rest leaves as soon as the socket is
/// writable again, whether or not anyone awaits `drain` (the reactor's wake-up runs
/// the flush; no task is needed). Dropping the writer closes it the same way: what is
/// queued is still sent, then the write side is shut down.
///
/// # Examples
///
/// ```
/// use weft_net::{StreamReader, StreamWriter, UnixStream};
///
/// # weft_reactor::block_on(async {
/// let (a, b) = UnixStream::pair()?;
/// let (_, w) = a.into_split();
/// let (r, _) = b.into_split();
/// let (mut writer, mut reader) = (StreamWriter::new(w), StreamReader::new(r));
///
/// writer.write(b"hello ");
/// writer.writelines([&b"stream"[..], b"s\n"]);
/// writer.drain().await?;
/// assert_eq!(reader.readline().await?, b"hello streams\n");
///
/// writer.close();
/// writer.wait_closed().await?;
/// assert_eq!(reader.read(1).await?, b""); // end of stream
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
pub struct StreamWriter<W = crate::tcp::OwnedWriteHalf> {
    transport: Arc<Transport<W>>,
    /// The transport's own waker, made once.
    waker: Waker,
}

impl<W: AsyncWrite + Unpin + Send + 'static> StreamWriter<W> {
    /// A writer over `inner`, with asyncio's write-buffer limits (64 KiB high, 16 KiB
    /// low).
    ///
    /// # Examples
    ///
    /// ```
    /// let writer = weft_net::StreamWriter::new(futures::io::sink());
    /// assert_eq!(writer.write_buffer_limits(), (64 * 1024, 16 * 1024));
    /// ```
    pub fn new(inner: W) -> StreamWriter<W> {
        let transport = Transport::new(inner);
        let waker = Waker::from(transport.clone());
        StreamWriter { transport, waker }
    }

    pub(crate) fn transport(&self) -> &Arc<Transport<W>> {
        &self.transport
    }

    pub(crate) fn transport_waker(&self) -> &Waker {
        &self.waker
    }

    /// Queues `data`, sending at once what the transport takes without waiting. It
    /// never waits: await [`drain`](Self::drain) to let the buffer empty when it is
    /// above the high-water mark.
    ///
    /// After [`write_eof`](Self::write_eof) or [`close`](Self::close) the data is
    /// dropped and the next `drain` reports it (`BrokenPipe`); after the connection
    /// failed, the data is dropped and `drain` reports the failure.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut writer = weft_net::StreamWriter::new(futures::io::sink());
    /// writer.write(b"fire and forget");
    /// assert_eq!(writer.write_buffer_size(), 0); // the sink took it all
    /// ```
    pub fn write(&mut self, data: &[u8]) {
        self.transport
            .with_state(&self.waker, |st, cx| st.write(cx, data));
    }

    /// Queues every buffer of `lines`, in order, then sends as one write what the
    /// transport takes. asyncio's `writelines`: no separator is added.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut writer = weft_net::StreamWriter::new(Vec::<u8>::new());
    /// writer.writelines(["a\n", "b\n"].map(str::as_bytes));
    /// ```
    pub fn writelines<I>(&mut self, lines: I)
    where
        I: IntoIterator,
        I::Item: AsRef<[u8]>,
    {
        self.transport.with_state(&self.waker, |st, cx| {
            for line in lines {
                st.append(line.as_ref());
            }
            st.drive(cx);
        });
    }

    /// Waits while the write buffer is above the high-water mark, until it falls to
    /// the low-water mark: asyncio's `drain()`, the backpressure point. Below the
    /// mark it returns at once; what is queued still goes out in the background.
    ///
    /// # Errors
    ///
    /// The connection's failure (`ConnectionReset`, `BrokenPipe`, ...), at every call
    /// once it has happened; `BrokenPipe` once for writes dropped after
    /// [`write_eof`](Self::write_eof) or [`close`](Self::close).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: the queued bytes stay queued and keep going out.
    ///
    /// # Examples
    ///
    /// ```
    /// # weft_reactor::block_on(async {
    /// let mut writer = weft_net::StreamWriter::new(futures::io::sink());
    /// for chunk in [&b"a"[..], b"b", b"c"] {
    ///     writer.write(chunk);
    ///     writer.drain().await?;
    /// }
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn drain(&mut self) -> Drain<'_, W> {
        Drain::new(self)
    }

    /// Shuts down the write side once the buffer is written (the peer reads end of
    /// stream); the writer stays usable for nothing but waiting. asyncio's
    /// `write_eof()`. A second call does nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut writer = weft_net::StreamWriter::new(futures::io::sink());
    /// writer.write(b"last");
    /// writer.write_eof();
    /// assert!(!writer.is_closing()); // only the write side is done
    /// ```
    pub fn write_eof(&mut self) {
        self.transport.with_state(&self.waker, |st, cx| {
            st.ask_shutdown();
            st.drive(cx);
        });
    }

    /// Whether the write side can be shut down on its own ([`write_eof`](Self::write_eof)):
    /// always, for the transports here.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(weft_net::StreamWriter::new(futures::io::sink()).can_write_eof());
    /// ```
    pub fn can_write_eof(&self) -> bool {
        true
    }

    /// Closes the writer: what is queued is still sent, then the write side is shut
    /// down. It does not wait; [`wait_closed`](Self::wait_closed) does. asyncio's
    /// `close()`.
    ///
    /// # Examples
    ///
    /// ```
    /// # weft_reactor::block_on(async {
    /// let mut writer = weft_net::StreamWriter::new(futures::io::sink());
    /// writer.write(b"bye");
    /// writer.close();
    /// assert!(writer.is_closing());
    /// writer.wait_closed().await?;
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn close(&mut self) {
        self.transport.with_state(&self.waker, |st, cx| {
            st.ask_close();
            st.drive(cx);
        });
    }

    /// Waits until the close has finished: the buffer written and the write side
    /// shut down, or the connection gone. It does not close the writer: call
    /// [`close`](Self::close) first.
    ///
    /// # Errors
    ///
    /// The connection's failure, if it failed.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: the close goes on without it.
    ///
    /// # Examples
    ///
    /// ```
    /// # weft_reactor::block_on(async {
    /// let mut writer = weft_net::StreamWriter::new(futures::io::sink());
    /// writer.close();
    /// writer.wait_closed().await?;
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn wait_closed(&self) -> WaitClosed<'_, W> {
        WaitClosed::new(self)
    }

    /// Sets the high- and low-water marks of the write buffer: [`drain`](Self::drain)
    /// waits once it holds more than `high` bytes, until it holds `low` or fewer.
    /// asyncio's `transport.set_write_buffer_limits`.
    ///
    /// # Panics
    ///
    /// When `low > high`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut writer = weft_net::StreamWriter::new(futures::io::sink());
    /// writer.set_write_buffer_limits(1 << 20, 1 << 18);
    /// assert_eq!(writer.write_buffer_limits(), (1 << 20, 1 << 18));
    /// ```
    pub fn set_write_buffer_limits(&mut self, high: usize, low: usize) {
        assert!(
            low <= high,
            "the low-water mark {low} is above the high-water mark {high}"
        );
        self.transport
            .with_state(&self.waker, |st, _| st.set_limits(high, low));
    }

    /// Hands the transport back, with the bytes queued but not yet written (flush
    /// first, with `futures::AsyncWriteExt::flush`, to have none): for a protocol
    /// that takes the connection over, such as `start_tls`.
    ///
    /// # Errors
    ///
    /// `NotConnected` when the transport is gone (a server aborted the connection);
    /// the writer is dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// # weft_reactor::block_on(async {
    /// use futures::AsyncWriteExt;
    ///
    /// let mut writer = weft_net::StreamWriter::new(Vec::<u8>::new());
    /// writer.write(b"STARTTLS\r\n");
    /// writer.flush().await?;
    /// let (inner, queued) = writer.into_parts()?;
    /// assert_eq!(inner, b"STARTTLS\r\n");
    /// assert!(queued.is_empty());
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn into_parts(self) -> io::Result<(W, Vec<u8>)> {
        self.transport
            .lock()
            .take_io()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotConnected, "the transport is gone"))
    }

    /// Hands the transport back, dropping the bytes not yet written; see
    /// [`into_parts`](Self::into_parts).
    ///
    /// # Errors
    ///
    /// As [`into_parts`](Self::into_parts).
    ///
    /// # Examples
    ///
    /// ```
    /// let writer = weft_net::StreamWriter::new(Vec::<u8>::new());
    /// let inner: Vec<u8> = writer.into_inner()?;
    /// # std::io::Result::Ok(())
    /// ```
    pub fn into_inner(self) -> io::Result<W> {
        self.into_parts().map(|(w, _)| w)
    }
}

impl<W> StreamWriter<W> {
    /// Whether [`close`](Self::close) was called or the connection is gone.
    /// asyncio's `is_closing()`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut writer = weft_net::StreamWriter::new(futures::io::sink());
    /// assert!(!writer.is_closing());
    /// writer.close();
    /// assert!(writer.is_closing());
    /// ```
    pub fn is_closing(&self) -> bool {
        self.transport.lock().is_closing()
    }

    /// How many bytes are queued: asyncio's `transport.get_write_buffer_size()`.
    ///
    /// # Examples
    ///
    /// ```
    /// let writer = weft_net::StreamWriter::new(futures::io::sink());
    /// assert_eq!(writer.write_buffer_size(), 0);
    /// ```
    pub fn write_buffer_size(&self) -> usize {
        self.transport.lock().buffered()
    }

    /// The `(high, low)` water marks: asyncio's
    /// `transport.get_write_buffer_limits()`, high first.
    ///
    /// # Examples
    ///
    /// ```
    /// let writer = weft_net::StreamWriter::new(futures::io::sink());
    /// assert_eq!(writer.write_buffer_limits(), (65536, 16384));
    /// ```
    pub fn write_buffer_limits(&self) -> (usize, usize) {
        self.transport.lock().limits()
    }
}

impl<W: Endpoints> StreamWriter<W> {
    /// The address of the peer: asyncio's `get_extra_info('peername')`.
    ///
    /// # Errors
    ///
    /// `NotConnected` when the connection is gone.
    ///
    /// # Examples
    ///
    /// ```
    /// # weft_reactor::block_on(async {
    /// let listener = weft_net::TcpListener::bind("127.0.0.1:0").await?;
    /// let (_reader, writer) = weft_net::open_connection(listener.local_addr()?).await?;
    /// assert_eq!(writer.peer_addr()?, listener.local_addr()?);
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn peer_addr(&self) -> io::Result<W::Addr> {
        self.transport
            .with_io(|w| w.peer_addr())
            .unwrap_or_else(|| Err(io::ErrorKind::NotConnected.into()))
    }

    /// The local address: asyncio's `get_extra_info('sockname')`.
    ///
    /// # Errors
    ///
    /// `NotConnected` when the transport is gone; the system call's error.
    ///
    /// # Examples
    ///
    /// ```
    /// # weft_reactor::block_on(async {
    /// let listener = weft_net::TcpListener::bind("127.0.0.1:0").await?;
    /// let (_reader, writer) = weft_net::open_connection(listener.local_addr()?).await?;
    /// assert!(writer.local_addr()?.ip().is_loopback());
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn local_addr(&self) -> io::Result<W::Addr> {
        self.transport
            .with_io(|w| w.local_addr())
            .unwrap_or_else(|| Err(io::ErrorKind::NotConnected.into()))
    }
}

impl<W> Drop for StreamWriter<W> {
    fn drop(&mut self) {
        // A dropped writer closes: what is queued still goes out, then the write
        // side is shut down (the transport's waker runs the rest).
        let mut st = self.transport.lock();
        if st.io().is_some() {
            st.ask_close();
            drop(st);
            self.waker.wake_by_ref();
        }
    }
}

impl<W> fmt::Debug for StreamWriter<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let st = self.transport.lock();
        f.debug_struct("StreamWriter")
            .field("buffered", &st.buffered())
            .field("closing", &st.is_closing())
            .finish_non_exhaustive()
    }
}
