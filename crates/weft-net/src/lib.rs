//! Sockets, asyncio-style streams and servers on the weft reactor.
//!
//! The socket types Rust users expect, [`TcpListener`], [`TcpStream`], [`UdpSocket`],
//! [`UnixListener`], [`UnixStream`] and [`UnixDatagram`], with a [`TcpSocket`] builder
//! for socket options and [`lookup_host`] for name resolution; asyncio's streams and
//! servers are built on them. Every stream implements the `futures-io` traits
//! `AsyncRead` and `AsyncWrite`, and splits into halves for a reader task and a writer
//! task ([`TcpStream::split`], [`TcpStream::into_split`]).
//!
//! # Implementation
//!
//! Each socket is a `std` socket inside a [`weft_reactor::Async`]: non-blocking,
//! registered once with the reactor (epoll on Linux, edge-triggered), and deregistered
//! when dropped. An operation makes its system call while the reactor holds the
//! direction ready, and waits for the next event only after a `WouldBlock` (which
//! ends the readiness) or, on a stream, a read that returned less than it asked for
//! (which proves the socket empty unless the peer has closed, which the reactor
//! records); `try_*` methods never wait, and `poll_*` methods keep one
//! waker per direction, so a reader task and a writer task each keep theirs. Sockets
//! are made with `socket2` (non-blocking and close-on-exec from the start, options,
//! non-blocking `connect`, `accept4`). Names resolve with the system's
//! `getaddrinfo` on weft-util's blocking pool ([`weft_util::to_thread`]); literal
//! addresses never leave the calling task. [`TcpStream::connect`] tries every address
//! a name resolves to, racing them as RFC 8305 (Happy Eyeballs) describes. Nothing here
//! depends on an executor: whichever thread drives the reactor wakes the tasks, so the
//! types work under weft's runtime, tokio, or `futures::executor` alike. The crate has
//! no unsafe code.
//!
//! # Examples
//!
//! ```
//! use futures::{AsyncReadExt, AsyncWriteExt};
//! use weft_net::{TcpListener, TcpStream};
//!
//! # fn main() -> std::io::Result<()> {
//! weft_reactor::block_on(async {
//!     let listener = TcpListener::bind("127.0.0.1:0").await?;
//!     let mut client = TcpStream::connect(listener.local_addr()?).await?;
//!     let (mut server, _peer) = listener.accept().await?;
//!
//!     client.write_all(b"ping").await?;
//!     let mut buf = [0; 4];
//!     server.read_exact(&mut buf).await?;
//!     assert_eq!(&buf, b"ping");
//!     Ok(())
//! })
//! # }
//! ```
#![forbid(unsafe_code)]

// sockets (NC)
#[macro_use]
mod macros;
#[macro_use]
mod stream_io;
#[macro_use]
mod split;
#[macro_use]
mod datagram_io;
mod addr;
mod lookup;
mod nonblocking;
mod ready;
mod socket;
pub mod tcp;
mod udp;
pub mod unix;

pub use addr::ToSocketAddrs;
pub use lookup::{SocketAddrs, lookup_host};
pub use socket::TcpSocket;
pub use tcp::{TcpListener, TcpStream};
pub use udp::UdpSocket;
pub use unix::{UnixDatagram, UnixListener, UnixStream};

// streams and servers (NS)
mod open;
pub mod server;
pub mod stream;

pub use open::{open_connection, open_unix_connection};
pub use server::{Server, Spawn, start_server_with, start_unix_server_with};
pub use stream::{IncompleteRead, LimitOverrun, ReadError, StreamReader, StreamWriter};

// tls and hyper (NT)
#[cfg(feature = "hyper")]
pub mod hyper;
#[cfg(feature = "tls")]
pub mod tls;
