//! [`start_server_with`] and [`start_unix_server_with`]: bind, then spawn the accept
//! loop.

use std::fs;
use std::future::Future;
use std::io;
use std::mem;
use std::net::SocketAddr;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::accept::{Accept, Listeners, Reader, Writer, accept_loop};
use super::handle::Server;
use super::shared::Shared;
use super::spawn::Spawn;
use crate::stream::{StreamReader, StreamWriter};
use crate::{TcpListener, ToSocketAddrs, UnixListener, lookup_host, unix};

/// Starts a TCP server: asyncio's `start_server(client_connected_cb, host, port)`.
///
/// It listens on every address `addr` resolves to (`"localhost:8080"` may give an
/// IPv4 and an IPv6 listener; port 0 picks a free port for each), with `SO_REUSEADDR`
/// set, and accepts from the start. Each connection gets `TCP_NODELAY` (as asyncio
/// sets it) and a task of its own, spawned with `spawn`, that runs
/// `handler(reader, writer)`; when the handler returns, the connection is closed
/// (the writer flushes what it queued first). See [`Server`] to stop it.
///
/// The facade's `weft::net::start_server(handler, addr)` passes weft's own spawn.
///
/// # Errors
///
/// The resolver's error, or a `bind` error (`AddrInUse`, `PermissionDenied`, ...).
/// An address whose family this machine lacks (`AddrNotAvailable`, `Unsupported`) is
/// skipped while another one binds.
///
/// # Cancel safety
///
/// Cancel safe: the server starts only when the future completes.
///
/// # Examples
///
/// ```
/// use weft_net::{StreamReader, StreamWriter, open_connection, start_server_with};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// // Under tokio: its spawn is the server's.
/// let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).build()?;
/// rt.block_on(async {
///     let upper = |mut r: StreamReader, mut w: StreamWriter| async move {
///         let line = r.readline().await.unwrap_or_default();
///         w.write(&line.to_ascii_uppercase());
///     };
///     let spawn = |f| drop(tokio::spawn(f));
///     let server = start_server_with(spawn, upper, "127.0.0.1:0").await?;
///     let (mut r, mut w) = open_connection(server.local_addrs()[0]).await?;
///     w.write(b"shout\n");
///     assert_eq!(r.readline().await?, b"SHOUT\n");
///     assert!(r.read_to_end().await?.is_empty()); // the handler returned: closed
///     Ok(())
/// })
/// # }
/// ```
pub async fn start_server_with<S, H, Fut>(
    spawn: S,
    handler: H,
    addr: impl ToSocketAddrs,
) -> io::Result<Server>
where
    S: Spawn,
    H: Fn(StreamReader, StreamWriter) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listeners = bind_tcp(addr).await?;
    let local = listeners
        .iter()
        .map(TcpListener::local_addr)
        .collect::<io::Result<Vec<_>>>()?;
    Ok(serve_listeners(spawn, handler, listeners, local))
}

/// A listener on every address `addr` resolves to (each once), skipping those of a
/// family the machine lacks while another binds: how the TCP servers bind.
pub(crate) async fn bind_tcp(addr: impl ToSocketAddrs) -> io::Result<Vec<TcpListener>> {
    let mut addrs: Vec<SocketAddr> = lookup_host(addr).await?.collect();
    let mut seen = Vec::new();
    addrs.retain(|a| {
        let new = !seen.contains(a);
        seen.push(*a);
        new
    });
    let mut listeners = Vec::new();
    let mut skipped = None;
    for addr in addrs {
        match TcpListener::bind(addr).await {
            Ok(l) => listeners.push(l),
            Err(e) if is_missing_family(&e) => skipped = Some(e),
            Err(e) => return Err(e),
        }
    }
    if listeners.is_empty() {
        return Err(skipped.unwrap_or_else(|| io::ErrorKind::AddrNotAvailable.into()));
    }
    Ok(listeners)
}

/// Serves bound TCP `listeners` (listening on `addrs`): the accept loop, spawned,
/// and the server's handle.
pub(crate) fn serve_listeners<L, S, H, Fut>(
    spawn: S,
    handler: H,
    listeners: Vec<L>,
    addrs: Vec<SocketAddr>,
) -> Server
where
    L: Accept,
    S: Spawn,
    H: Fn(Reader<L>, Writer<L>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    launch(spawn, handler, listeners, None, addrs, Vec::new())
}

/// Starts a Unix socket server: asyncio's `start_unix_server(client_connected_cb, path)`.
///
/// As asyncio does, a stale socket file at `path` is removed first (any other kind
/// of file is left, and binding fails), and closing the server removes the socket
/// file it made, unless another file has taken its place since. Otherwise as
/// [`start_server_with`].
///
/// # Errors
///
/// `AddrInUse` when a file that is not a socket is at `path`; `NotFound` when its
/// directory does not exist; `PermissionDenied`.
///
/// # Cancel safety
///
/// Cancel safe: the server starts only when the future completes.
///
/// # Examples
///
/// ```
/// use weft_net::{StreamReader, StreamWriter, open_unix_connection};
/// use weft_net::server::start_unix_server_with;
///
/// let path = std::env::temp_dir().join(format!("weft-doc-unix-server-{}", std::process::id()));
/// let ex = weft_executor::Executor::new(1).unwrap();
/// let handle = ex.handle();
/// ex.block_on(async {
///     let hello = |_r, mut w: StreamWriter<_>| async move { w.write(b"hello\n") };
///     let spawn = move |f| handle.spawn(f).detach();
///     let server = start_unix_server_with(spawn, hello, &path).await?;
///     let (mut r, _w) = open_unix_connection(&path).await?;
///     assert_eq!(r.readline().await?, b"hello\n");
///     server.close();
///     assert!(!path.exists()); // the socket file is gone
///     Ok::<(), Box<dyn std::error::Error>>(())
/// })
/// .unwrap();
/// ```
pub async fn start_unix_server_with<S, H, Fut>(
    spawn: S,
    handler: H,
    path: impl AsRef<Path>,
) -> io::Result<Server>
where
    S: Spawn,
    H: Fn(StreamReader<unix::OwnedReadHalf>, StreamWriter<unix::OwnedWriteHalf>) -> Fut
        + Send
        + Sync
        + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let path = path.as_ref().to_path_buf();
    if let Ok(meta) = fs::symlink_metadata(&path)
        && meta.file_type().is_socket()
    {
        fs::remove_file(&path)?;
    }
    let listener = UnixListener::bind(&path)?;
    let local = listener.local_addr()?;
    // Remove the file at close only if it is still the one made here.
    let made = fs::symlink_metadata(&path).map(|m| (m.dev(), m.ino())).ok();
    let cleanup = move || {
        let now = fs::symlink_metadata(&path).map(|m| (m.dev(), m.ino())).ok();
        if made.is_some() && now == made {
            let _ = fs::remove_file(&path);
        }
    };
    Ok(launch(
        spawn,
        handler,
        vec![listener],
        Some(Box::new(cleanup)),
        Vec::new(),
        vec![local],
    ))
}

/// An address of a family the machine does not have (IPv6 turned off, say).
fn is_missing_family(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::AddrNotAvailable | io::ErrorKind::Unsupported
    )
}

/// Spawns the accept loop over `listeners` and makes the server's handle.
fn launch<L, S, H, Fut>(
    spawn: S,
    handler: H,
    listeners: Vec<L>,
    cleanup: Option<Box<dyn FnOnce() + Send>>,
    addrs: Vec<SocketAddr>,
    unix_addrs: Vec<unix::SocketAddr>,
) -> Server
where
    L: Accept,
    S: Spawn,
    H: Fn(Reader<L>, Writer<L>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listeners: Listeners<L> = Arc::new(Mutex::new(listeners));
    let stop = {
        let listeners = listeners.clone();
        move || {
            let taken = mem::take(&mut *listeners.lock().unwrap_or_else(|e| e.into_inner()));
            drop(taken);
            if let Some(cleanup) = cleanup {
                cleanup();
            }
        }
    };
    let shared = Shared::new(Box::new(stop));
    let spawn: Arc<dyn Spawn> = Arc::new(spawn);
    let accept = accept_loop(shared.clone(), listeners, spawn.clone(), Arc::new(handler));
    spawn.spawn(Box::pin(accept));
    Server::new(shared, addrs, unix_addrs)
}
