//! The halves of a stream, for a reader task and a writer task: borrowed
//! (`ReadHalf`, `WriteHalf`, from `split`) and owned (`OwnedReadHalf`,
//! `OwnedWriteHalf`, from `into_split`, joined again by `reunite`). The `halves!`
//! macro writes them for `TcpStream` and for `UnixStream`.
//!
//! The reactor keeps one waker per direction for polling callers, so a read half and
//! a write half polled by two tasks each keep their own; two tasks reading one stream
//! at once would take turns with the read waker, as with any poll-based stream.

/// Writes the halves of `$S` in the invoking module. `$addr` is the type of its
/// addresses; `$pair` is the hidden doctest code that makes two connected `$S`, `a`
/// and `b`.
macro_rules! halves {
    ($S:ident, $addr:ty, $pair:literal) => {
        impl $S {
            /// Splits the stream into a read half and a write half that borrow it,
            /// so one task can read while another writes (or one task can do both,
            /// concurrently, with a join).
            ///
            /// With `futures::AsyncReadExt` in scope, `stream.split()` calls that
            /// trait's `split` (which takes the stream by value and locks); write
            #[doc = concat!("`", stringify!($S), "::split(&stream)` to call this one.")]
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "let (mut r, mut w) = weft_net::", stringify!($S), "::split(&a);\n",
                "w.write_all(b\"echo\").await?;\n",
                "let mut b = b;\n",
                "let mut buf = [0; 4];\n",
                "b.read_exact(&mut buf).await?;\n",
                "b.write_all(&buf).await?;\n",
                "r.read_exact(&mut buf).await?;\n",
                "assert_eq!(&buf, b\"echo\");\n"
            ))]
            pub fn split(&self) -> (ReadHalf<'_>, WriteHalf<'_>) {
                (ReadHalf { stream: self }, WriteHalf { stream: self })
            }

            /// Splits the stream into owned halves, which can move to different
            /// tasks. [`OwnedReadHalf::reunite`] joins them again. Dropping the write
            /// half shuts down the write side (the peer reads end-of-file), unless it
            /// was [`forget`](OwnedWriteHalf::forget)-ed or reunited.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "let (mut r, mut w) = a.into_split();\n",
                "let writer = async move { w.write_all(b\"ping\").await };\n",
                "let mut b = b;\n",
                "let mut buf = [0; 4];\n",
                "writer.await?;\n",
                "b.read_exact(&mut buf).await?;\n",
                "b.write_all(b\"pong\").await?;\n",
                "r.read_exact(&mut buf).await?;\n",
                "assert_eq!(&buf, b\"pong\");\n"
            ))]
            pub fn into_split(self) -> (OwnedReadHalf, OwnedWriteHalf) {
                let stream = std::sync::Arc::new(self);
                let write = OwnedWriteHalf {
                    stream: stream.clone(),
                    shutdown_on_drop: true,
                };
                (OwnedReadHalf { stream }, write)
            }
        }

        #[doc = concat!("The read half of a borrowed [`", stringify!($S), "`], from [`split`](", stringify!($S), "::split).")]
        ///
        /// # Examples
        ///
        #[doc = example!($pair, concat!(
            "let (mut r, _w) = weft_net::", stringify!($S), "::split(&a);\n",
            "drop(b);\n",
            "let mut rest = Vec::new();\n",
            "assert_eq!(r.read_to_end(&mut rest).await?, 0);\n"
        ))]
        pub struct ReadHalf<'a> {
            stream: &'a $S,
        }

        #[doc = concat!("The write half of a borrowed [`", stringify!($S), "`], from [`split`](", stringify!($S), "::split).")]
        ///
        /// Closing it (`poll_close`) shuts down the write side; dropping it does not.
        ///
        /// # Examples
        ///
        #[doc = example!($pair, concat!(
            "let (_r, mut w) = weft_net::", stringify!($S), "::split(&a);\n",
            "w.write_all(b\"x\").await?;\n",
            "w.close().await?; // end-of-file for the peer\n"
        ))]
        pub struct WriteHalf<'a> {
            stream: &'a $S,
        }

        #[doc = concat!("The read half of a [`", stringify!($S), "`], from [`into_split`](", stringify!($S), "::into_split).")]
        ///
        /// # Examples
        ///
        #[doc = example!($pair, concat!(
            "let (mut r, w) = a.into_split();\n",
            "let mut b = b;\n",
            "b.write_all(b\"hi\").await?;\n",
            "let mut buf = [0; 2];\n",
            "r.read_exact(&mut buf).await?;\n",
            "let a = r.reunite(w).expect(\"halves of one stream\");\n"
        ))]
        pub struct OwnedReadHalf {
            stream: std::sync::Arc<$S>,
        }

        #[doc = concat!("The write half of a [`", stringify!($S), "`], from [`into_split`](", stringify!($S), "::into_split).")]
        ///
        /// Dropping it shuts down the write side, so the peer reads end-of-file
        /// (unless it was [`forget`](OwnedWriteHalf::forget)-ed).
        ///
        /// # Examples
        ///
        #[doc = example!($pair, concat!(
            "let (_r, mut w) = a.into_split();\n",
            "w.write_all(b\"last words\").await?;\n",
            "drop(w);\n",
            "let mut b = b;\n",
            "let mut got = Vec::new();\n",
            "b.read_to_end(&mut got).await?;\n",
            "assert_eq!(got, b\"last words\");\n"
        ))]
        pub struct OwnedWriteHalf {
            stream: std::sync::Arc<$S>,
            shutdown_on_drop: bool,
        }

        /// Two halves that are not of the same stream, handed back.
        ///
        /// # Examples
        ///
        #[doc = example!($pair, concat!(
            "let (r1, _w1) = a.into_split();\n",
            "let (_r2, w2) = b.into_split();\n",
            "let err = r1.reunite(w2).unwrap_err();\n",
            "assert_eq!(err.to_string(), \"tried to reunite halves of different streams\");\n",
            "let (_r1, _w2) = (err.0, err.1);\n"
        ))]
        pub struct ReuniteError(pub OwnedReadHalf, pub OwnedWriteHalf);

        impl std::fmt::Debug for ReuniteError {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple("ReuniteError").finish_non_exhaustive()
            }
        }

        impl std::fmt::Display for ReuniteError {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("tried to reunite halves of different streams")
            }
        }

        impl std::error::Error for ReuniteError {}

        impl From<ReuniteError> for io::Error {
            fn from(e: ReuniteError) -> io::Error {
                io::Error::new(io::ErrorKind::InvalidInput, e)
            }
        }

        fn reunite(read: OwnedReadHalf, mut write: OwnedWriteHalf) -> Result<$S, ReuniteError> {
            if !std::sync::Arc::ptr_eq(&read.stream, &write.stream) {
                return Err(ReuniteError(read, write));
            }
            write.shutdown_on_drop = false;
            drop(write);
            Ok(std::sync::Arc::try_unwrap(read.stream)
                .unwrap_or_else(|_| unreachable!("a stream has two halves")))
        }

        impl OwnedReadHalf {
            /// Joins the halves into the stream again.
            ///
            /// # Errors
            ///
            /// [`ReuniteError`], carrying both halves, when they are not of the same
            /// stream.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "let (r, w) = a.into_split();\n",
                "let a = r.reunite(w).expect(\"halves of one stream\");\n",
                "assert!(a.peer_addr().is_ok());\n"
            ))]
            pub fn reunite(self, other: OwnedWriteHalf) -> Result<$S, ReuniteError> {
                reunite(self, other)
            }
        }

        impl OwnedWriteHalf {
            /// Joins the halves into the stream again, as [`OwnedReadHalf::reunite`].
            ///
            /// # Errors
            ///
            /// [`ReuniteError`], carrying both halves, when they are not of the same
            /// stream.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "let (r, w) = a.into_split();\n",
                "let a = w.reunite(r).expect(\"halves of one stream\");\n",
                "assert!(a.peer_addr().is_ok());\n"
            ))]
            pub fn reunite(self, other: OwnedReadHalf) -> Result<$S, ReuniteError> {
                reunite(other, self)
            }

            /// Drops the half without shutting down the write side.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "let (mut r, w) = a.into_split();\n",
                "w.forget();\n",
                "let mut b = b;\n",
                "b.write_all(b\"still open\").await?;\n",
                "let mut buf = [0; 10];\n",
                "r.read_exact(&mut buf).await?;\n"
            ))]
            pub fn forget(mut self) {
                self.shutdown_on_drop = false;
            }
        }

        impl Drop for OwnedWriteHalf {
            fn drop(&mut self) {
                if self.shutdown_on_drop {
                    let _ = self.stream.shutdown(std::net::Shutdown::Write);
                }
            }
        }

        half_common!(ReadHalf, ReadHalf<'_>, $S, $addr, $pair, concat!("let (h, _) = weft_net::", stringify!($S), "::split(&a);\n"));
        half_common!(WriteHalf, WriteHalf<'_>, $S, $addr, $pair, concat!("let (_, h) = weft_net::", stringify!($S), "::split(&a);\n"));
        half_common!(OwnedReadHalf, OwnedReadHalf, $S, $addr, $pair, "let (h, _) = a.into_split();\n");
        half_common!(OwnedWriteHalf, OwnedWriteHalf, $S, $addr, $pair, "let (_, h) = a.into_split();\n");
        read_half!(ReadHalf<'_>, $pair, concat!("let (h, _) = weft_net::", stringify!($S), "::split(&a);\n"));
        read_half!(OwnedReadHalf, $pair, "let (h, _) = a.into_split();\n");
        write_half!(WriteHalf<'_>, $pair, concat!("let (_, h) = weft_net::", stringify!($S), "::split(&a);\n"));
        write_half!(OwnedWriteHalf, $pair, "let (_, h) = a.into_split();\n");

        impl futures_io::AsyncWrite for WriteHalf<'_> {
            fn poll_write(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
                buf: &[u8],
            ) -> std::task::Poll<io::Result<usize>> {
                $crate::stream_io::poll_write(&self.stream.io, cx, buf)
            }

            fn poll_write_vectored(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
                bufs: &[io::IoSlice<'_>],
            ) -> std::task::Poll<io::Result<usize>> {
                $crate::stream_io::poll_write_vectored(&self.stream.io, cx, bufs)
            }

            fn poll_flush(
                self: std::pin::Pin<&mut Self>,
                _: &mut std::task::Context<'_>,
            ) -> std::task::Poll<io::Result<()>> {
                std::task::Poll::Ready(Ok(()))
            }

            fn poll_close(
                self: std::pin::Pin<&mut Self>,
                _: &mut std::task::Context<'_>,
            ) -> std::task::Poll<io::Result<()>> {
                std::task::Poll::Ready(self.stream.shutdown(std::net::Shutdown::Write))
            }
        }

        impl futures_io::AsyncWrite for OwnedWriteHalf {
            fn poll_write(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
                buf: &[u8],
            ) -> std::task::Poll<io::Result<usize>> {
                $crate::stream_io::poll_write(&self.stream.io, cx, buf)
            }

            fn poll_write_vectored(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
                bufs: &[io::IoSlice<'_>],
            ) -> std::task::Poll<io::Result<usize>> {
                $crate::stream_io::poll_write_vectored(&self.stream.io, cx, bufs)
            }

            fn poll_flush(
                self: std::pin::Pin<&mut Self>,
                _: &mut std::task::Context<'_>,
            ) -> std::task::Poll<io::Result<()>> {
                std::task::Poll::Ready(Ok(()))
            }

            /// Shuts down the write side; dropping the half afterwards does nothing
            /// more.
            fn poll_close(
                mut self: std::pin::Pin<&mut Self>,
                _: &mut std::task::Context<'_>,
            ) -> std::task::Poll<io::Result<()>> {
                let res = self.stream.shutdown(std::net::Shutdown::Write);
                self.shutdown_on_drop = false;
                std::task::Poll::Ready(res)
            }
        }
    };
}

/// What every half has: addresses, `AsRef` to the stream, `Debug`.
macro_rules! half_common {
    ($name:ident, $H:ty, $S:ident, $addr:ty, $pair:literal, $make:expr) => {
        impl $H {
            /// The local address of the stream.
            ///
            /// # Errors
            ///
            /// As the system call's.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!($make, "println!(\"{:?}\", h.local_addr()?);\n"))]
            pub fn local_addr(&self) -> io::Result<$addr> {
                self.stream.local_addr()
            }

            /// The address of the peer.
            ///
            /// # Errors
            ///
            /// `NotConnected` when the connection is gone.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!($make, "println!(\"{:?}\", h.peer_addr()?);\n"))]
            pub fn peer_addr(&self) -> io::Result<$addr> {
                self.stream.peer_addr()
            }
        }

        impl AsRef<$S> for $H {
            fn as_ref(&self) -> &$S {
                &self.stream
            }
        }

        impl std::fmt::Debug for $H {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple(stringify!($name))
                    .field(&*self.stream)
                    .finish()
            }
        }
    };
}

/// A read half's readiness, `try_read` and `AsyncRead`.
macro_rules! read_half {
    ($H:ty, $pair:literal, $make:expr) => {
        impl $H {
            /// Waits until the stream is readable; see the stream's `readable`.
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
            #[doc = example!($pair, concat!($make, "drop(b);\n", "h.readable().await?;\n", "assert_eq!(h.try_read(&mut [0; 4])?, 0); // end-of-file\n"))]
            pub async fn readable(&self) -> io::Result<()> {
                self.stream.readable().await
            }

            /// Reads what is there without waiting; see the stream's `try_read`.
            ///
            /// # Errors
            ///
            /// `WouldBlock` when nothing is there; the socket's error otherwise.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!($make, "let err = h.try_read(&mut [0; 4]).unwrap_err();\n", "assert_eq!(err.kind(), std::io::ErrorKind::WouldBlock);\n"))]
            pub fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
                self.stream.try_read(buf)
            }
        }

        impl futures_io::AsyncRead for $H {
            fn poll_read(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
                buf: &mut [u8],
            ) -> std::task::Poll<io::Result<usize>> {
                self.stream.poll_read_bytes(cx, buf)
            }

            fn poll_read_vectored(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
                bufs: &mut [io::IoSliceMut<'_>],
            ) -> std::task::Poll<io::Result<usize>> {
                $crate::stream_io::poll_read_vectored(&self.stream.io, cx, bufs)
            }
        }
    };
}

/// A write half's readiness and `try_write`.
macro_rules! write_half {
    ($H:ty, $pair:literal, $make:expr) => {
        impl $H {
            /// Waits until the stream is writable; see the stream's `writable`.
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
            #[doc = example!($pair, concat!($make, "h.writable().await?;\n", "assert_eq!(h.try_write(b\"abc\")?, 3);\n"))]
            pub async fn writable(&self) -> io::Result<()> {
                self.stream.writable().await
            }

            /// Writes what the send buffer takes without waiting; see the stream's
            /// `try_write`.
            ///
            /// # Errors
            ///
            /// `WouldBlock` when the send buffer is full; the socket's error otherwise.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!($make, "h.writable().await?;\n", "assert_eq!(h.try_write(b\"abc\")?, 3);\n"))]
            pub fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
                self.stream.try_write(buf)
            }
        }
    };
}
