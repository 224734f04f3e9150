//! [`Server`]: asyncio's `Server`, the handle of a running server, and its futures.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use super::futures::{ServeForever, WaitClosed};
use super::shared::Shared;
use crate::unix;

/// A running server, from [`start_server_with`](super::start_server_with) or
/// [`start_unix_server_with`](super::start_unix_server_with): asyncio's `Server`.
///
/// It accepts connections from the moment it starts, each served by its own task
/// running the handler, until [`close`](Self::close). Closing stops the listening
/// only; [`close_clients`](Self::close_clients) and
/// [`abort_clients`](Self::abort_clients) end the connections, and
/// [`wait_closed`](Self::wait_closed) waits until every handler has returned.
///
/// The handle can be cloned. When the last clone is dropped the server closes, as
/// asyncio's `async with server:` does at its end; the connections it has go on.
///
/// # Examples
///
/// ```
/// use weft_net::{StreamReader, StreamWriter, open_connection, start_server_with};
///
/// let ex = weft_executor::Executor::new(1).unwrap();
/// let handle = ex.handle();
/// ex.block_on(async {
///     let echo = |mut r: StreamReader, mut w: StreamWriter| async move {
///         while let Ok(line) = r.readline().await {
///             if line.is_empty() {
///                 break;
///             }
///             w.write(&line);
///             if w.drain().await.is_err() {
///                 break;
///             }
///         }
///     };
///     let spawn = move |f| handle.spawn(f).detach();
///     let server = start_server_with(spawn, echo, "127.0.0.1:0").await?;
///
///     let (mut r, mut w) = open_connection(server.local_addrs()[0]).await?;
///     w.write(b"hello\n");
///     assert_eq!(r.readline().await?, b"hello\n");
///
///     server.close();
///     server.close_clients();
///     server.wait_closed().await;
///     Ok::<(), Box<dyn std::error::Error>>(())
/// })
/// .unwrap();
/// ```
#[derive(Clone)]
pub struct Server {
    inner: Arc<Inner>,
}

struct Inner {
    shared: Arc<Shared>,
    addrs: Vec<SocketAddr>,
    unix_addrs: Vec<unix::SocketAddr>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.shared.close();
    }
}

impl Server {
    pub(super) fn shared(&self) -> &Shared {
        &self.inner.shared
    }

    pub(crate) fn new(
        shared: Arc<Shared>,
        addrs: Vec<SocketAddr>,
        unix_addrs: Vec<unix::SocketAddr>,
    ) -> Server {
        Server {
            inner: Arc::new(Inner {
                shared,
                addrs,
                unix_addrs,
            }),
        }
    }

    /// Stops listening: the listening sockets close (and a Unix server's socket file
    /// is removed), so new connections are refused. The connections already accepted
    /// go on. A second call does nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// # let ex = weft_executor::Executor::new(1).unwrap();
    /// # let handle = ex.handle();
    /// # ex.block_on(async {
    /// # let spawn = move |f| handle.spawn(f).detach();
    /// let server = weft_net::start_server_with(spawn, |_, _| async {}, "127.0.0.1:0").await?;
    /// let addr = server.local_addrs()[0];
    /// server.close();
    /// assert!(!server.is_serving());
    /// let refused = weft_net::open_connection(addr).await.unwrap_err();
    /// assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn close(&self) {
        self.inner.shared.close();
    }

    /// Whether the server still accepts connections (it has not been closed).
    ///
    /// # Examples
    ///
    /// ```
    /// # let ex = weft_executor::Executor::new(1).unwrap();
    /// # let handle = ex.handle();
    /// # ex.block_on(async {
    /// # let spawn = move |f| handle.spawn(f).detach();
    /// let server = weft_net::start_server_with(spawn, |_, _| async {}, "127.0.0.1:0").await?;
    /// assert!(server.is_serving());
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn is_serving(&self) -> bool {
        !self.inner.shared.is_closed()
    }

    /// Closes every connection gracefully: what each writer has queued is sent, its
    /// write side is shut down (the client reads end of stream), and the handler's
    /// reads end (end of stream). The handlers run on until they return. asyncio's
    /// `close_clients()`.
    ///
    /// # Examples
    ///
    /// ```
    /// # let ex = weft_executor::Executor::new(1).unwrap();
    /// # let handle = ex.handle();
    /// # ex.block_on(async {
    /// # let spawn = move |f| handle.spawn(f).detach();
    /// let greets = |mut r: weft_net::StreamReader, mut w: weft_net::StreamWriter| async move {
    ///     w.write(b"hi\n");
    ///     let _ = r.read_to_end().await; // until the server closes it
    /// };
    /// let server = weft_net::start_server_with(spawn, greets, "127.0.0.1:0").await?;
    /// let (mut r, _w) = weft_net::open_connection(server.local_addrs()[0]).await?;
    /// assert_eq!(r.readline().await?, b"hi\n"); // the handler runs
    /// server.close_clients();
    /// assert_eq!(r.read(1).await?, b""); // end of stream
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    pub fn close_clients(&self) {
        for conn in self.inner.shared.conns() {
            conn.close();
        }
    }

    /// Aborts every connection: TCP connections are reset (`SO_LINGER` 0, so the
    /// client's reads fail with `ConnectionReset`), queued bytes are dropped, and the
    /// handlers are cancelled (dropped at their next await). asyncio's
    /// `abort_clients()`.
    ///
    /// # Examples
    ///
    /// ```
    /// # let ex = weft_executor::Executor::new(1).unwrap();
    /// # let handle = ex.handle();
    /// # ex.block_on(async {
    /// # let spawn = move |f| handle.spawn(f).detach();
    /// let stays = |_r, mut w: weft_net::StreamWriter| async move {
    ///     w.write(b"hi\n");
    ///     std::future::pending::<()>().await
    /// };
    /// let server = weft_net::start_server_with(spawn, stays, "127.0.0.1:0").await?;
    /// let (mut r, _w) = weft_net::open_connection(server.local_addrs()[0]).await?;
    /// assert_eq!(r.readline().await?, b"hi\n"); // the handler runs
    /// server.close();
    /// server.abort_clients();
    /// server.wait_closed().await; // the handler was cancelled
    /// let err = r.read(1).await.unwrap_err();
    /// assert_eq!(err.kind(), std::io::ErrorKind::ConnectionReset);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    pub fn abort_clients(&self) {
        for conn in self.inner.shared.conns() {
            conn.abort();
        }
    }

    /// How many connections are being served: accepted, and their handlers not
    /// returned.
    ///
    /// # Examples
    ///
    /// ```
    /// # let ex = weft_executor::Executor::new(1).unwrap();
    /// # let handle = ex.handle();
    /// # ex.block_on(async {
    /// # let spawn = move |f| handle.spawn(f).detach();
    /// let server = weft_net::start_server_with(spawn, |_, _| async {}, "127.0.0.1:0").await?;
    /// assert_eq!(server.connections(), 0);
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn connections(&self) -> usize {
        self.inner.shared.conns().len()
    }

    /// The addresses a TCP server listens on (one per listening socket; empty for
    /// a Unix server). asyncio's `sockets`, as addresses.
    ///
    /// # Examples
    ///
    /// ```
    /// # let ex = weft_executor::Executor::new(1).unwrap();
    /// # let handle = ex.handle();
    /// # ex.block_on(async {
    /// # let spawn = move |f| handle.spawn(f).detach();
    /// let server = weft_net::start_server_with(spawn, |_, _| async {}, "127.0.0.1:0").await?;
    /// let addr = server.local_addrs()[0];
    /// assert!(addr.ip().is_loopback() && addr.port() != 0);
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn local_addrs(&self) -> Vec<SocketAddr> {
        self.inner.addrs.clone()
    }

    /// The addresses a Unix server listens on (empty for a TCP server).
    ///
    /// # Examples
    ///
    /// ```
    /// # let ex = weft_executor::Executor::new(1).unwrap();
    /// # let handle = ex.handle();
    /// # ex.block_on(async {
    /// # let spawn = move |f| handle.spawn(f).detach();
    /// let path = std::env::temp_dir().join(format!("weft-doc-addrs-{}", std::process::id()));
    /// let server = weft_net::server::start_unix_server_with(spawn, |_, _| async {}, &path).await?;
    /// assert_eq!(server.local_unix_addrs()[0].as_pathname(), Some(path.as_path()));
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn local_unix_addrs(&self) -> Vec<unix::SocketAddr> {
        self.inner.unix_addrs.clone()
    }

    /// Calls `handler` with every error that accepting a connection returns (the
    /// server goes on after each; see the module docs). asyncio logs these; by
    /// default nothing is done with them.
    ///
    /// # Examples
    ///
    /// ```
    /// # let ex = weft_executor::Executor::new(1).unwrap();
    /// # let handle = ex.handle();
    /// # ex.block_on(async {
    /// # let spawn = move |f| handle.spawn(f).detach();
    /// let server = weft_net::start_server_with(spawn, |_, _| async {}, "127.0.0.1:0").await?;
    /// server.set_accept_error_handler(|e| eprintln!("accept failed: {e}"));
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn set_accept_error_handler(&self, handler: impl Fn(&io::Error) + Send + Sync + 'static) {
        self.inner
            .shared
            .set_accept_error_handler(Arc::new(handler));
    }

    /// Waits until the server is closed: asyncio's `serve_forever()`. The server
    /// accepts from the start; this is for a task that has nothing else to do.
    ///
    /// # Errors
    ///
    /// When the server is already closed as this is first polled (asyncio raises
    /// too); a close that comes later ends it with `Ok`.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future before it completes closes the server, as cancelling
    /// asyncio's `serve_forever()` does.
    ///
    /// # Examples
    ///
    /// ```
    /// # let ex = weft_executor::Executor::new(1).unwrap();
    /// # let handle = ex.handle();
    /// # ex.block_on(async {
    /// # let spawn = move |f| handle.spawn(f).detach();
    /// let server = weft_net::start_server_with(spawn, |_, _| async {}, "127.0.0.1:0").await?;
    /// let stopper = server.clone();
    /// let stop = async move { stopper.close() };
    /// let (served, ()) = futures::join!(server.serve_forever(), stop);
    /// served?; // it ran until the server was closed
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn serve_forever(&self) -> ServeForever<'_> {
        ServeForever::new(self)
    }

    /// Waits until the server is closed and every connection's handler has
    /// returned (or was cancelled by [`abort_clients`](Self::abort_clients)).
    /// asyncio's `wait_closed()`. It does not close the server: call
    /// [`close`](Self::close) first.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it only watches.
    ///
    /// # Examples
    ///
    /// ```
    /// # let ex = weft_executor::Executor::new(1).unwrap();
    /// # let handle = ex.handle();
    /// # ex.block_on(async {
    /// # let spawn = move |f| handle.spawn(f).detach();
    /// let server = weft_net::start_server_with(spawn, |_, _| async {}, "127.0.0.1:0").await?;
    /// server.close();
    /// server.wait_closed().await;
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn wait_closed(&self) -> WaitClosed<'_> {
        WaitClosed::new(self)
    }
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("addrs", &self.inner.addrs)
            .field("unix_addrs", &self.inner.unix_addrs)
            .field("serving", &self.is_serving())
            .finish_non_exhaustive()
    }
}
