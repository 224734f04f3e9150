//! asyncio's servers: [`start_server_with`], [`start_unix_server_with`] and
//! [`Server`].
//!
//! A server listens, and serves each connection it accepts with a task of its own
//! that runs the caller's handler on a [`StreamReader`](crate::StreamReader) and a
//! [`StreamWriter`](crate::StreamWriter). weft-net depends on no executor, so the
//! caller says how to spawn tasks ([`Spawn`]); the `weft` facade's `start_server`
//! passes weft's own spawn.
//!
//! # Implementation
//!
//! One task, the accept loop, polls every listener of the server. For each
//! connection it registers a small record with the server (the writer's transport and
//! a cancellation flag, so [`Server::close_clients`] and [`Server::abort_clients`]
//! can reach it) and spawns the handler's task, which takes the record out when the
//! handler returns, panics, or is dropped; [`Server::wait_closed`] waits for the
//! record list to empty. An error from `accept` that is not the connection's own
//! (`EMFILE`, out of descriptors) pauses the loop for 100 ms before it tries again,
//! so that it neither spins nor dies; the connections already accepted are served
//! meanwhile. [`Server::close`] drops the listeners at once (new connections are
//! refused) and the loop ends.
//!
//! # Examples
//!
//! ```
//! use weft_net::server::{Server, start_server_with};
//! use weft_net::{StreamReader, StreamWriter, open_connection};
//!
//! let ex = weft_executor::Executor::new(2).unwrap();
//! let handle = ex.handle();
//! ex.block_on(async {
//!     let greet = |mut r: StreamReader, mut w: StreamWriter| async move {
//!         let name = r.readline().await.unwrap_or_default();
//!         w.write(b"hello, ");
//!         w.write(&name);
//!     };
//!     let spawn = move |f| handle.spawn(f).detach();
//!     let server: Server = start_server_with(spawn, greet, "127.0.0.1:0").await?;
//!
//!     let (mut r, mut w) = open_connection(server.local_addrs()[0]).await?;
//!     w.write(b"weft\n");
//!     assert_eq!(r.readline().await?, b"hello, weft\n");
//!
//!     server.close();
//!     server.wait_closed().await;
//!     Ok::<(), Box<dyn std::error::Error>>(())
//! })
//! .unwrap();
//! ```

mod accept;
mod conn;
mod futures;
mod handle;
mod shared;
mod spawn;
mod start;

pub use futures::{ServeForever, WaitClosed};
pub use handle::Server;
pub use spawn::Spawn;
pub use start::{start_server_with, start_unix_server_with};

// For the TLS server (`tls/server.rs`), which runs on this accept loop.
#[allow(unused_imports)]
pub(crate) use accept::{Accept, Reader, Writer};
#[allow(unused_imports)]
pub(crate) use conn::Connection;
#[allow(unused_imports)]
pub(crate) use start::{bind_tcp, serve_listeners};
