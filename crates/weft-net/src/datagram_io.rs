//! What `UdpSocket` and `UnixDatagram` share: connected `send`/`recv`, `recv_from`,
//! their `try_*` and `poll_*` forms, readiness. The `datagram_io!` macro writes it for
//! each. A datagram read never counts as proof that the socket is drained (several
//! datagrams may wait), so each wait follows a `WouldBlock`.

/// Writes the shared methods for `$S`, a struct whose field `io` is an `Async<$std>`.
/// `$pair` is the hidden doctest code that makes two `$S`, `a` and `b`, connected to
/// each other.
macro_rules! datagram_io {
    ($S:ident, $std:ty, $addr:ty, $pair:literal) => {
        impl $S {
            #[doc = concat!("Wraps a `std` socket ([`", stringify!($std), "`]), making it non-blocking.")]
            ///
            /// # Errors
            ///
            /// When the descriptor cannot be made non-blocking or registered with the
            /// reactor.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "let a = weft_net::", stringify!($S), "::from_std(a.into_std())?;\n",
                "assert!(a.peer_addr().is_ok());\n"
            ))]
            pub fn from_std(socket: $std) -> io::Result<$S> {
                Ok($S { io: Async::new(socket)? })
            }

            /// Deregisters the socket and returns the `std` socket, still non-blocking.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "let std = a.into_std();\n",
                "std.set_nonblocking(false)?;\n"
            ))]
            pub fn into_std(self) -> $std {
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
            #[doc = example!($pair, "println!(\"{:?}\", a.local_addr()?);\n")]
            pub fn local_addr(&self) -> io::Result<$addr> {
                self.io.get_ref().local_addr()
            }

            /// The address the socket is connected to.
            ///
            /// # Errors
            ///
            /// `NotConnected` when it is not connected.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, "println!(\"{:?}\", a.peer_addr()?);\n")]
            pub fn peer_addr(&self) -> io::Result<$addr> {
                self.io.get_ref().peer_addr()
            }

            /// Takes the socket's pending error (`SO_ERROR`), if any: a connected
            /// socket learns so that a datagram it sent was refused, for example.
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

            /// Sends a datagram to the connected peer; returns the bytes sent (all of
            /// `buf`: a datagram is sent whole or not at all).
            ///
            /// # Errors
            ///
            /// `NotConnected` when the socket is not connected; `ConnectionRefused`
            /// when an earlier datagram was refused; `InvalidInput` or the system's
            /// `EMSGSIZE` error when `buf` is too large for one datagram.
            ///
            /// # Cancel safety
            ///
            /// Cancel safe: a datagram is sent in the poll that returns, or not at all.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "a.send(b\"ping\").await?;\n",
                "let mut buf = [0; 16];\n",
                "let n = b.recv(&mut buf).await?;\n",
                "assert_eq!(&buf[..n], b\"ping\");\n"
            ))]
            pub async fn send(&self, buf: &[u8]) -> io::Result<usize> {
                self.io.write_with(|s| s.send(buf)).await
            }

            /// Receives a datagram from the connected peer into `buf`; the bytes that
            /// do not fit are discarded.
            ///
            /// # Errors
            ///
            /// `NotConnected` when the socket is not connected; `ConnectionRefused`
            /// when an earlier datagram was refused.
            ///
            /// # Cancel safety
            ///
            /// Cancel safe: a datagram is taken in the poll that returns it, or not at
            /// all.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "b.send(b\"hello\").await?;\n",
                "let mut buf = [0; 16];\n",
                "let n = a.recv(&mut buf).await?;\n",
                "assert_eq!(&buf[..n], b\"hello\");\n"
            ))]
            pub async fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
                self.io.read_with(|s| s.recv(buf)).await
            }

            /// Receives a datagram and the address it came from.
            ///
            /// # Errors
            ///
            /// As the system call's.
            ///
            /// # Cancel safety
            ///
            /// Cancel safe: a datagram is taken in the poll that returns it, or not at
            /// all.
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "b.send(b\"who\").await?;\n",
                "let mut buf = [0; 16];\n",
                "let (n, from) = a.recv_from(&mut buf).await?;\n",
                "assert_eq!(&buf[..n], b\"who\");\n",
                "println!(\"from {from:?}\");\n"
            ))]
            pub async fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, $addr)> {
                self.io.read_with(|s| s.recv_from(buf)).await
            }

            /// Sends a datagram to the connected peer without waiting.
            ///
            /// # Errors
            ///
            /// `WouldBlock` when the send buffer is full; otherwise as
            #[doc = concat!("[`send`](", stringify!($S), "::send).")]
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "a.writable().await?;\n",
                "assert_eq!(a.try_send(b\"now\")?, 3);\n"
            ))]
            pub fn try_send(&self, buf: &[u8]) -> io::Result<usize> {
                $crate::ready::try_io(&self.io, $crate::ready::Dir::Write, |s| s.send(buf))
            }

            /// Receives a datagram from the connected peer without waiting.
            ///
            /// # Errors
            ///
            /// `WouldBlock` when no datagram waits (as far as the reactor knows);
            #[doc = concat!("otherwise as [`recv`](", stringify!($S), "::recv).")]
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "let err = a.try_recv(&mut [0; 8]).unwrap_err();\n",
                "assert_eq!(err.kind(), std::io::ErrorKind::WouldBlock);\n"
            ))]
            pub fn try_recv(&self, buf: &mut [u8]) -> io::Result<usize> {
                $crate::ready::try_io(&self.io, $crate::ready::Dir::Read, |s| s.recv(buf))
            }

            /// Receives a datagram and its sender's address without waiting.
            ///
            /// # Errors
            ///
            /// `WouldBlock` when no datagram waits (as far as the reactor knows);
            #[doc = concat!("otherwise as [`recv_from`](", stringify!($S), "::recv_from).")]
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "b.send(b\"x\").await?;\n",
                "let mut buf = [0; 8];\n",
                "let (n, _from) = loop {\n",
                "    a.readable().await?;\n",
                "    match a.try_recv_from(&mut buf) {\n",
                "        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,\n",
                "        res => break res?,\n",
                "    }\n",
                "};\n",
                "assert_eq!(n, 1);\n"
            ))]
            pub fn try_recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, $addr)> {
                $crate::ready::try_io(&self.io, $crate::ready::Dir::Read, |s| s.recv_from(buf))
            }

            /// Polls [`send`](Self::send), keeping one waker (the last task to poll).
            ///
            /// # Errors
            ///
            #[doc = concat!("As [`send`](", stringify!($S), "::send).")]
            ///
            /// # Examples
            ///
            #[doc = example!($pair, "std::future::poll_fn(|cx| a.poll_send(cx, b\"p\")).await?;\n")]
            pub fn poll_send(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
                $crate::ready::poll_io(&self.io, $crate::ready::Dir::Write, cx, |s| s.send(buf))
            }

            /// Polls [`recv`](Self::recv), keeping one waker (the last task to poll).
            ///
            /// # Errors
            ///
            #[doc = concat!("As [`recv`](", stringify!($S), "::recv).")]
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "b.send(b\"p\").await?;\n",
                "let mut buf = [0; 4];\n",
                "let n = std::future::poll_fn(|cx| a.poll_recv(cx, &mut buf)).await?;\n",
                "assert_eq!(n, 1);\n"
            ))]
            pub fn poll_recv(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
                $crate::ready::poll_io(&self.io, $crate::ready::Dir::Read, cx, |s| s.recv(buf))
            }

            /// Polls [`recv_from`](Self::recv_from), keeping one waker (the last task
            /// to poll).
            ///
            /// # Errors
            ///
            #[doc = concat!("As [`recv_from`](", stringify!($S), "::recv_from).")]
            ///
            /// # Examples
            ///
            #[doc = example!($pair, concat!(
                "b.send(b\"p\").await?;\n",
                "let mut buf = [0; 4];\n",
                "let (n, _) = std::future::poll_fn(|cx| a.poll_recv_from(cx, &mut buf)).await?;\n",
                "assert_eq!(n, 1);\n"
            ))]
            pub fn poll_recv_from(
                &self,
                cx: &mut Context<'_>,
                buf: &mut [u8],
            ) -> Poll<io::Result<(usize, $addr)>> {
                $crate::ready::poll_io(&self.io, $crate::ready::Dir::Read, cx, |s| s.recv_from(buf))
            }

            /// Waits until a datagram (or an error) waits to be received.
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
                "b.send(b\"r\").await?;\n",
                "a.readable().await?;\n"
            ))]
            pub async fn readable(&self) -> io::Result<()> {
                self.io.readable().await.map(drop)
            }

            /// Waits until the socket can send.
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
            #[doc = example!($pair, "a.writable().await?;\n")]
            pub async fn writable(&self) -> io::Result<()> {
                self.io.writable().await.map(drop)
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
