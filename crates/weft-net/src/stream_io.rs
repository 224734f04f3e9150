//! What `TcpStream` and `UnixStream` share: readiness, `try_*`, shutdown, the
//! `futures-io` traits. The `stream_io!` macro writes it for each; the functions here
//! are the machinery it calls.

use std::io::{self, IoSlice, IoSliceMut, Read, Write};
use std::net::Shutdown;
use std::os::fd::AsFd;
use std::task::{Context, Poll};

use weft_reactor::Async;

use crate::ready::{Dir, poll_io};

pub(crate) fn poll_read_vectored<T: AsFd>(
    io: &Async<T>,
    cx: &mut Context<'_>,
    bufs: &mut [IoSliceMut<'_>],
) -> Poll<io::Result<usize>>
where
    for<'a> &'a T: Read,
{
    poll_io(io, Dir::Read, cx, |mut s| s.read_vectored(bufs))
}

pub(crate) fn poll_write<T: AsFd>(
    io: &Async<T>,
    cx: &mut Context<'_>,
    buf: &[u8],
) -> Poll<io::Result<usize>>
where
    for<'a> &'a T: Write,
{
    poll_io(io, Dir::Write, cx, |mut s| s.write(buf))
}

pub(crate) fn poll_write_vectored<T: AsFd>(
    io: &Async<T>,
    cx: &mut Context<'_>,
    bufs: &[IoSlice<'_>],
) -> Poll<io::Result<usize>>
where
    for<'a> &'a T: Write,
{
    poll_io(io, Dir::Write, cx, |mut s| s.write_vectored(bufs))
}

/// Shuts down one or both directions of a connected socket.
pub(crate) fn shutdown<T: AsFd>(io: &Async<T>, how: Shutdown) -> io::Result<()> {
    socket2::SockRef::from(io.get_ref()).shutdown(how)
}

/// Writes the methods and trait impls that `TcpStream` and `UnixStream` share, for
/// `$S`, a struct whose field `io` is an `Async<$std>`, with `from_async` (which
/// sets up a registered socket) and `poll_read_bytes` (the read behind `AsyncRead`)
/// of its own. `$pair` is the hidden doctest
/// code that makes two connected `$S`, `a` and `b`.
macro_rules! stream_io {
    ($S:ident, $std:ty, $addr:ty, $pair:literal) => {
        impl $S {
            #[doc = concat!("Wraps a connected [`", stringify!($std), "`], making it non-blocking.")]
            ///
            /// # Errors
            ///
            /// When the descriptor cannot be made non-blocking or registered with the
            /// reactor.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "let std = a.into_std();\n",
                "let a = weft_net::", stringify!($S), "::from_std(std)?;\n",
                "assert!(a.peer_addr().is_ok());\n"
            ))]
            pub fn from_std(stream: $std) -> io::Result<$S> {
                Ok($S::from_async(Async::new(stream)?))
            }

            #[doc = concat!("Deregisters the stream and returns the [`", stringify!($std), "`], still non-blocking.")]
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "let std = a.into_std();\n",
                "std.set_nonblocking(false)?;\n",
                "assert!(std.peer_addr().is_ok());\n"
            ))]
            pub fn into_std(self) -> $std {
                self.restore_options();
                self.io.into_inner()
            }

            /// The local address of the socket.
            ///
            /// # Errors
            ///
            /// As the system call's.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, "println!(\"local end: {:?}\", a.local_addr()?);\n")]
            pub fn local_addr(&self) -> io::Result<$addr> {
                self.io.get_ref().local_addr()
            }

            /// The address of the peer.
            ///
            /// # Errors
            ///
            /// `NotConnected` when the connection is gone.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, "println!(\"peer: {:?}\", a.peer_addr()?);\n")]
            pub fn peer_addr(&self) -> io::Result<$addr> {
                self.io.get_ref().peer_addr()
            }

            /// Takes the socket's pending error (`SO_ERROR`), if any.
            ///
            /// # Errors
            ///
            /// When the option cannot be read.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, "assert!(a.take_error()?.is_none());\n")]
            pub fn take_error(&self) -> io::Result<Option<io::Error>> {
                self.io.get_ref().take_error()
            }

            /// Shuts down the read side, the write side, or both. Shutting down the
            /// write side sends end-of-file to the peer once the queued bytes are sent.
            ///
            /// # Errors
            ///
            /// `NotConnected` when the connection is gone.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "let (mut a, mut b) = (a, b);\n",
                "a.write_all(b\"bye\").await?;\n",
                "a.shutdown(std::net::Shutdown::Write)?;\n",
                "let mut got = Vec::new();\n",
                "b.read_to_end(&mut got).await?; // ends: end-of-file\n",
                "assert_eq!(got, b\"bye\");\n"
            ))]
            pub fn shutdown(&self, how: std::net::Shutdown) -> io::Result<()> {
                $crate::stream_io::shutdown(&self.io, how)
            }

            /// Waits until the stream is readable: data, end-of-file or an error
            /// waits to be read. Then [`try_read`](Self::try_read) reads it; when that
            /// fails with `WouldBlock` (the readiness was stale), wait again.
            ///
            /// # Errors
            ///
            /// When the reactor can no longer watch the socket.
            ///
            /// # Cancel safety
            ///
            /// Cancel safe: dropping the future loses no readiness.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "let mut b = b;\n",
                "b.write_all(b\"hi\").await?;\n",
                "let mut buf = [0; 8];\n",
                "let n = loop {\n",
                "    a.readable().await?;\n",
                "    match a.try_read(&mut buf) {\n",
                "        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,\n",
                "        res => break res?,\n",
                "    }\n",
                "};\n",
                "assert_eq!(&buf[..n], b\"hi\");\n"
            ))]
            pub async fn readable(&self) -> io::Result<()> {
                self.io.readable().await.map(drop)
            }

            /// Waits until the stream is writable: a write would not block.
            ///
            /// # Errors
            ///
            /// When the reactor can no longer watch the socket.
            ///
            /// # Cancel safety
            ///
            /// Cancel safe: dropping the future loses no readiness.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "a.writable().await?;\n",
                "assert_eq!(a.try_write(b\"now\")?, 3);\n"
            ))]
            pub async fn writable(&self) -> io::Result<()> {
                self.io.writable().await.map(drop)
            }

            /// Polls for readability, keeping one waker (the last task to poll).
            ///
            /// # Errors
            ///
            /// When the reactor can no longer watch the socket.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "drop(b); // end-of-file makes `a` readable\n",
                "std::future::poll_fn(|cx| a.poll_read_ready(cx)).await?;\n"
            ))]
            pub fn poll_read_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                self.io.poll_readable(cx)
            }

            /// Polls for writability, keeping one waker (the last task to poll).
            ///
            /// # Errors
            ///
            /// When the reactor can no longer watch the socket.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, "std::future::poll_fn(|cx| a.poll_write_ready(cx)).await?;\n")]
            pub fn poll_write_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                self.io.poll_writable(cx)
            }

            /// Reads what is there without waiting; `Ok(0)` is end-of-file.
            ///
            /// # Errors
            ///
            /// `WouldBlock` when nothing is there (as far as the reactor knows: wait
            /// with [`readable`](Self::readable)); the socket's error otherwise.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "let mut buf = [0; 8];\n",
                "let err = a.try_read(&mut buf).unwrap_err();\n",
                "assert_eq!(err.kind(), std::io::ErrorKind::WouldBlock);\n"
            ))]
            pub fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
                $crate::ready::try_io(&self.io, $crate::ready::Dir::Read, |mut s| {
                    std::io::Read::read(&mut s, buf)
                })
            }

            /// Reads into several buffers without waiting, as
            /// [`try_read`](Self::try_read).
            ///
            /// # Errors
            ///
            /// As [`try_read`](Self::try_read).
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "let mut b = b;\n",
                "b.write_all(b\"abcd\").await?;\n",
                "let (mut x, mut y) = ([0; 2], [0; 2]);\n",
                "a.readable().await?;\n",
                "let mut bufs = [std::io::IoSliceMut::new(&mut x), std::io::IoSliceMut::new(&mut y)];\n",
                "let n = a.try_read_vectored(&mut bufs)?;\n",
                "assert!(n > 0);\n"
            ))]
            pub fn try_read_vectored(&self, bufs: &mut [io::IoSliceMut<'_>]) -> io::Result<usize> {
                $crate::ready::try_io(&self.io, $crate::ready::Dir::Read, |mut s| {
                    std::io::Read::read_vectored(&mut s, bufs)
                })
            }

            /// Writes what the send buffer takes, without waiting.
            ///
            /// # Errors
            ///
            /// `WouldBlock` when the send buffer is full (wait with
            /// [`writable`](Self::writable)); the socket's error otherwise.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "a.writable().await?;\n",
                "let n = a.try_write(b\"hello\")?;\n",
                "assert_eq!(n, 5);\n"
            ))]
            pub fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
                $crate::ready::try_io(&self.io, $crate::ready::Dir::Write, |mut s| {
                    std::io::Write::write(&mut s, buf)
                })
            }

            /// Writes several buffers without waiting, as
            /// [`try_write`](Self::try_write).
            ///
            /// # Errors
            ///
            /// As [`try_write`](Self::try_write).
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "a.writable().await?;\n",
                "let bufs = [std::io::IoSlice::new(b\"ab\"), std::io::IoSlice::new(b\"cd\")];\n",
                "assert_eq!(a.try_write_vectored(&bufs)?, 4);\n"
            ))]
            pub fn try_write_vectored(&self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
                $crate::ready::try_io(&self.io, $crate::ready::Dir::Write, |mut s| {
                    std::io::Write::write_vectored(&mut s, bufs)
                })
            }
        }

        impl futures_io::AsyncRead for $S {
            fn poll_read(
                self: std::pin::Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &mut [u8],
            ) -> Poll<io::Result<usize>> {
                self.poll_read_bytes(cx, buf)
            }

            fn poll_read_vectored(
                self: std::pin::Pin<&mut Self>,
                cx: &mut Context<'_>,
                bufs: &mut [io::IoSliceMut<'_>],
            ) -> Poll<io::Result<usize>> {
                $crate::stream_io::poll_read_vectored(&self.io, cx, bufs)
            }
        }

        impl futures_io::AsyncRead for &$S {
            fn poll_read(
                self: std::pin::Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &mut [u8],
            ) -> Poll<io::Result<usize>> {
                self.poll_read_bytes(cx, buf)
            }

            fn poll_read_vectored(
                self: std::pin::Pin<&mut Self>,
                cx: &mut Context<'_>,
                bufs: &mut [io::IoSliceMut<'_>],
            ) -> Poll<io::Result<usize>> {
                $crate::stream_io::poll_read_vectored(&self.io, cx, bufs)
            }
        }

        /// `poll_close` shuts down the write side (the peer reads end-of-file).
        impl futures_io::AsyncWrite for $S {
            fn poll_write(
                self: std::pin::Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &[u8],
            ) -> Poll<io::Result<usize>> {
                $crate::stream_io::poll_write(&self.io, cx, buf)
            }

            fn poll_write_vectored(
                self: std::pin::Pin<&mut Self>,
                cx: &mut Context<'_>,
                bufs: &[io::IoSlice<'_>],
            ) -> Poll<io::Result<usize>> {
                $crate::stream_io::poll_write_vectored(&self.io, cx, bufs)
            }

            fn poll_flush(self: std::pin::Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
                Poll::Ready(Ok(()))
            }

            fn poll_close(self: std::pin::Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
                Poll::Ready(self.shutdown(std::net::Shutdown::Write))
            }
        }

        /// `poll_close` shuts down the write side (the peer reads end-of-file).
        impl futures_io::AsyncWrite for &$S {
            fn poll_write(
                self: std::pin::Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &[u8],
            ) -> Poll<io::Result<usize>> {
                $crate::stream_io::poll_write(&self.io, cx, buf)
            }

            fn poll_write_vectored(
                self: std::pin::Pin<&mut Self>,
                cx: &mut Context<'_>,
                bufs: &[io::IoSlice<'_>],
            ) -> Poll<io::Result<usize>> {
                $crate::stream_io::poll_write_vectored(&self.io, cx, bufs)
            }

            fn poll_flush(self: std::pin::Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
                Poll::Ready(Ok(()))
            }

            fn poll_close(self: std::pin::Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
                Poll::Ready(self.shutdown(std::net::Shutdown::Write))
            }
        }

        impl std::os::fd::AsFd for $S {
            fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
                self.io.get_ref().as_fd()
            }
        }

        impl std::os::fd::AsRawFd for $S {
            fn as_raw_fd(&self) -> std::os::fd::RawFd {
                self.io.as_raw_fd()
            }
        }

        impl std::fmt::Debug for $S {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($S))
                    .field("local", &self.local_addr().ok())
                    .field("peer", &self.peer_addr().ok())
                    .field("fd", &std::os::fd::AsRawFd::as_raw_fd(self))
                    .finish()
            }
        }
    };
}
