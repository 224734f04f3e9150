//! Unix domain sockets: [`UnixListener`], [`UnixStream`] and its halves,
//! [`UnixDatagram`].
//!
//! The halves work as TCP's (see [`crate::tcp`]): [`ReadHalf`] and [`WriteHalf`]
//! borrow a stream, [`OwnedReadHalf`] and [`OwnedWriteHalf`] own a share of it.
//! [`SocketAddr`] is the standard library's address of a Unix socket.
//!
//! # Examples
//!
//! ```
//! use futures::{AsyncReadExt, AsyncWriteExt};
//! use weft_net::{UnixListener, UnixStream};
//!
//! # fn main() -> std::io::Result<()> {
//! let dir = std::env::temp_dir().join(format!("weft-net-doc-unix-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let path = dir.join("sock");
//! # let _ = std::fs::remove_file(&path);
//! weft_reactor::block_on(async {
//!     let listener = UnixListener::bind(&path)?;
//!     let mut client = UnixStream::connect(&path).await?;
//!     let (mut server, _) = listener.accept().await?;
//!     client.write_all(b"local").await?;
//!     let mut buf = [0; 5];
//!     server.read_exact(&mut buf).await?;
//!     assert_eq!(&buf, b"local");
//!     std::io::Result::Ok(())
//! })?;
//! std::fs::remove_dir_all(&dir)
//! # }
//! ```

mod datagram;
mod listener;
mod split;
mod stream;

pub use datagram::UnixDatagram;
pub use listener::UnixListener;
pub use split::{OwnedReadHalf, OwnedWriteHalf, ReadHalf, ReuniteError, WriteHalf};
pub use std::os::unix::net::SocketAddr;
pub use stream::UnixStream;
