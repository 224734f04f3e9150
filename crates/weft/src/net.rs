//! Sockets, asyncio's streams and servers: everything of [`weft_net`], plus servers
//! whose connections run as tasks of weft's runtime.
//!
//! [`weft_net`]'s own `start_*_with` functions take the spawn function to run each
//! connection with, so that they work under any executor; the functions here pass
//! weft's.
//!
//! # Examples
//!
//! ```
//! use weft::net::{StreamReader, StreamWriter, open_connection, start_server};
//!
//! weft::run(async {
//!     let echo = |mut r: StreamReader, mut w: StreamWriter| async move {
//!         while let Ok(line) = r.readline().await {
//!             if line.is_empty() {
//!                 break;
//!             }
//!             w.write(&line);
//!         }
//!     };
//!     let server = start_server(echo, "127.0.0.1:0").await?;
//!     let (mut r, mut w) = open_connection(server.local_addrs()[0]).await?;
//!     w.write(b"ping\n");
//!     assert_eq!(r.readline().await?, b"ping\n");
//!     server.close();
//!     Ok::<(), std::io::Error>(())
//! })
//! .unwrap();
//! ```

use std::future::Future;
use std::io;
use std::path::Path;
use std::pin::Pin;

#[doc(inline)]
pub use weft_net::*;

/// Runs a connection's future as a detached task of weft's runtime.
fn spawn_detached(fut: Pin<Box<dyn Future<Output = ()> + Send>>) {
    // Dropping a weft `Task` detaches it.
    drop(crate::spawn(fut));
}

/// asyncio's `start_server`: serves TCP connections to `addr`, each by `handler` in a
/// task of its own on weft's runtime. See [`weft_net::start_server_with`] for the
/// details (every address `addr` resolves to, `close`, `wait_closed`, ...).
///
/// # Errors
///
/// The resolver's or `bind`'s error.
///
/// # Panics
///
/// When the server accepts its first connection outside a weft runtime (spawning
/// needs one).
///
/// # Cancel safety
///
/// Cancel safe: the server starts only when the future completes.
///
/// # Examples
///
/// ```
/// weft::run(async {
///     let hello = |_r, mut w: weft::net::StreamWriter| async move { w.write(b"hi\n") };
///     let server = weft::net::start_server(hello, "127.0.0.1:0").await?;
///     let (mut r, _w) = weft::net::open_connection(server.local_addrs()[0]).await?;
///     assert_eq!(r.readline().await?, b"hi\n");
///     Ok::<(), std::io::Error>(())
/// })
/// .unwrap();
/// ```
pub async fn start_server<H, Fut>(handler: H, addr: impl ToSocketAddrs) -> io::Result<Server>
where
    H: Fn(StreamReader, StreamWriter) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    start_server_with(spawn_detached, handler, addr).await
}

/// asyncio's `start_unix_server`: [`start_server`] on a Unix socket at `path`. See
/// [`weft_net::start_unix_server_with`].
///
/// # Errors
///
/// `bind`'s error; `AddrInUse` if `path` exists and is not a socket.
///
/// # Panics
///
/// When the server accepts its first connection outside a weft runtime.
///
/// # Cancel safety
///
/// Cancel safe: the server starts only when the future completes.
///
/// # Examples
///
/// ```
/// use weft::net::{StreamWriter, open_unix_connection, start_unix_server, unix};
///
/// let path = std::env::temp_dir().join(format!("weft-doc-{}.sock", std::process::id()));
/// weft::run(async {
///     let hi = |_r, mut w: StreamWriter<unix::OwnedWriteHalf>| async move { w.write(b"hi\n") };
///     let server = start_unix_server(hi, &path).await?;
///     let (mut r, _w) = open_unix_connection(&path).await?;
///     assert_eq!(r.readline().await?, b"hi\n");
///     server.close();
///     Ok::<(), std::io::Error>(())
/// })
/// .unwrap();
/// ```
pub async fn start_unix_server<H, Fut>(handler: H, path: impl AsRef<Path>) -> io::Result<Server>
where
    H: Fn(StreamReader<unix::OwnedReadHalf>, StreamWriter<unix::OwnedWriteHalf>) -> Fut
        + Send
        + Sync
        + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    start_unix_server_with(spawn_detached, handler, path).await
}

/// asyncio's `start_server(..., ssl=...)`: [`start_server`] with TLS, each
/// connection's handshake made by `acceptor` before `handler` runs. See
/// [`weft_net::tls::start_tls_server_with`].
///
/// # Errors
///
/// The resolver's or `bind`'s error. A failed handshake ends only that connection.
///
/// # Panics
///
/// When the server accepts its first connection outside a weft runtime.
///
/// # Cancel safety
///
/// Cancel safe: the server starts only when the future completes.
///
/// # Examples
///
/// ```no_run
/// use weft::net::tls::{TlsAcceptor, TlsStreamReader, TlsStreamWriter};
///
/// # async fn serve(acceptor: TlsAcceptor) -> std::io::Result<()> {
/// let hello = |_r: TlsStreamReader, mut w: TlsStreamWriter| async move { w.write(b"hi\n") };
/// let server = weft::net::start_tls_server(hello, "127.0.0.1:8443", acceptor).await?;
/// server.serve_forever().await;
/// # Ok(())
/// # }
/// ```
#[cfg(feature = "tls")]
pub async fn start_tls_server<H, Fut>(
    handler: H,
    addr: impl ToSocketAddrs,
    acceptor: tls::TlsAcceptor,
) -> io::Result<Server>
where
    H: Fn(tls::TlsStreamReader, tls::TlsStreamWriter) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    tls::start_tls_server_with(spawn_detached, handler, addr, acceptor).await
}
