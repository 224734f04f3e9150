//! TCP: [`TcpListener`], [`TcpStream`] and its halves.
//!
//! The halves split a stream between a reader and a writer: [`ReadHalf`] and
//! [`WriteHalf`] borrow it ([`TcpStream::split`]), [`OwnedReadHalf`] and
//! [`OwnedWriteHalf`] own a share of it ([`TcpStream::into_split`]) and can move to
//! different tasks; [`OwnedReadHalf::reunite`] joins them again.
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
//!     let client = TcpStream::connect(listener.local_addr()?).await?;
//!     let (server, _) = listener.accept().await?;
//!
//!     let (mut from_client, mut to_client) = server.into_split();
//!     let (mut from_server, mut to_server) = client.into_split();
//!     to_server.write_all(b"question").await?;
//!     let mut buf = [0; 8];
//!     from_client.read_exact(&mut buf).await?;
//!     to_client.write_all(b"answer").await?;
//!     let mut buf = [0; 6];
//!     from_server.read_exact(&mut buf).await?;
//!     assert_eq!(&buf, b"answer");
//!     Ok(())
//! })
//! # }
//! ```

mod connect;
mod happy_eyeballs;
mod listener;
mod split;
mod stream;

pub(crate) use connect::{connect_socket, new_socket};
pub use listener::TcpListener;
pub use split::{OwnedReadHalf, OwnedWriteHalf, ReadHalf, ReuniteError, WriteHalf};
pub use stream::TcpStream;
