//! `UnixListener`: a socket that accepts Unix domain stream connections.

use std::fmt;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::os::unix::net::SocketAddr;
use std::path::Path;
use std::task::{Context, Poll};

use socket2::{Domain, SockAddr, Type};
use weft_reactor::Async;

use super::UnixStream;
use crate::nonblocking::socket;
use crate::ready::{Dir, poll_io};

/// The backlog of [`UnixListener::bind`] (capped by the system at
/// `net.core.somaxconn`).
const BACKLOG: i32 = 1024;

/// A socket that accepts Unix domain stream connections.
///
/// The socket file stays when the listener is dropped; remove it to bind the path
/// again.
///
/// # Examples
///
/// ```
/// use weft_net::{UnixListener, UnixStream};
///
/// # fn main() -> std::io::Result<()> {
/// let path = std::env::temp_dir().join(format!("weft-net-doc-listener-{}", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// weft_reactor::block_on(async {
///     let listener = UnixListener::bind(&path)?;
///     let client = UnixStream::connect(&path).await?;
///     let (server, _addr) = listener.accept().await?;
///     assert_eq!(server.local_addr()?.as_pathname(), Some(path.as_path()));
///     std::io::Result::Ok(())
/// })?;
/// std::fs::remove_file(&path)
/// # }
/// ```
pub struct UnixListener {
    io: Async<std::os::unix::net::UnixListener>,
}

impl UnixListener {
    /// Creates the socket file at `path` and listens on it, with a backlog of 1024.
    ///
    /// # Errors
    ///
    /// `AddrInUse` when a file is already at `path` (remove a stale socket file
    /// first), `NotFound` when its directory does not exist, `PermissionDenied`.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::UnixListener;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let path = std::env::temp_dir().join(format!("weft-net-doc-bind-{}", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let listener = UnixListener::bind(&path)?;
    /// let err = UnixListener::bind(&path).unwrap_err();
    /// assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse);
    /// drop(listener);
    /// std::fs::remove_file(&path)
    /// # }
    /// ```
    pub fn bind(path: impl AsRef<Path>) -> io::Result<UnixListener> {
        let socket = socket(Domain::UNIX, Type::STREAM, None)?;
        socket.bind(&SockAddr::unix(path)?)?;
        socket.listen(BACKLOG)?;
        let io = Async::new_nonblocking(std::os::unix::net::UnixListener::from(socket))?;
        Ok(UnixListener { io })
    }

    /// Accepts a connection: the stream and the peer's address (usually unnamed).
    ///
    /// # Errors
    ///
    /// As `accept(2)`'s: `EMFILE` (too many open files) when the process is out of
    /// descriptors, for example. The listener stays usable after any of them.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a connection is taken from the queue only in the poll that
    /// returns it, so dropping the future leaves the queued connections queued.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::{UnixListener, UnixStream};
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let path = std::env::temp_dir().join(format!("weft-net-doc-accept-{}", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// weft_reactor::block_on(async {
    ///     let listener = UnixListener::bind(&path)?;
    ///     let _client = UnixStream::connect(&path).await?;
    ///     let (_server, peer) = listener.accept().await?;
    ///     assert!(peer.is_unnamed());
    ///     std::io::Result::Ok(())
    /// })?;
    /// std::fs::remove_file(&path)
    /// # }
    /// ```
    pub async fn accept(&self) -> io::Result<(UnixStream, SocketAddr)> {
        let (stream, peer) = self.io.read_with(accept).await?;
        Ok((
            UnixStream::from_async(Async::new_nonblocking(stream)?),
            peer,
        ))
    }

    /// Polls for a connection, keeping one waker (the last task to poll).
    ///
    /// # Errors
    ///
    /// As [`accept`](UnixListener::accept).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::future::poll_fn;
    /// use weft_net::{UnixListener, UnixStream};
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let path = std::env::temp_dir().join(format!("weft-net-doc-poll-accept-{}", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// weft_reactor::block_on(async {
    ///     let listener = UnixListener::bind(&path)?;
    ///     let _client = UnixStream::connect(&path).await?;
    ///     let (_server, _) = poll_fn(|cx| listener.poll_accept(cx)).await?;
    ///     std::io::Result::Ok(())
    /// })?;
    /// std::fs::remove_file(&path)
    /// # }
    /// ```
    pub fn poll_accept(&self, cx: &mut Context<'_>) -> Poll<io::Result<(UnixStream, SocketAddr)>> {
        poll_io(&self.io, Dir::Read, cx, accept).map(|res| {
            let (stream, peer) = res?;
            Ok((
                UnixStream::from_async(Async::new_nonblocking(stream)?),
                peer,
            ))
        })
    }

    /// The address the listener is bound to.
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::UnixListener;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let path = std::env::temp_dir().join(format!("weft-net-doc-local-{}", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let listener = UnixListener::bind(&path)?;
    /// assert_eq!(listener.local_addr()?.as_pathname(), Some(path.as_path()));
    /// std::fs::remove_file(&path)
    /// # }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.get_ref().local_addr()
    }

    /// Wraps a listening `std` socket, making it non-blocking.
    ///
    /// # Errors
    ///
    /// When the descriptor cannot be made non-blocking or registered with the
    /// reactor.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::UnixListener;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let path = std::env::temp_dir().join(format!("weft-net-doc-from-std-{}", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let listener = UnixListener::from_std(std::os::unix::net::UnixListener::bind(&path)?)?;
    /// std::fs::remove_file(&path)
    /// # }
    /// ```
    pub fn from_std(listener: std::os::unix::net::UnixListener) -> io::Result<UnixListener> {
        Ok(UnixListener {
            io: Async::new(listener)?,
        })
    }

    /// Deregisters the listener and returns the `std` socket, still non-blocking.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::UnixListener;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let path = std::env::temp_dir().join(format!("weft-net-doc-into-std-{}", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let std = UnixListener::bind(&path)?.into_std();
    /// std.set_nonblocking(false)?;
    /// std::fs::remove_file(&path)
    /// # }
    /// ```
    pub fn into_std(self) -> std::os::unix::net::UnixListener {
        self.io.into_inner()
    }
}

/// Takes a connection from the queue, made non-blocking.
fn accept(
    listener: &std::os::unix::net::UnixListener,
) -> io::Result<(std::os::unix::net::UnixStream, SocketAddr)> {
    let (stream, addr) = listener.accept()?;
    stream.set_nonblocking(true)?;
    Ok((stream, addr))
}

impl AsFd for UnixListener {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.io.get_ref().as_fd()
    }
}

impl AsRawFd for UnixListener {
    fn as_raw_fd(&self) -> RawFd {
        self.io.as_raw_fd()
    }
}

impl fmt::Debug for UnixListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnixListener")
            .field("local", &self.local_addr().ok())
            .field("fd", &self.as_raw_fd())
            .finish()
    }
}
