//! `UnixStream`: a connected Unix domain stream socket.

use std::io;
use std::os::unix::net::SocketAddr;
use std::path::Path;
use std::task::{Context, Poll};

use socket2::{Domain, SockAddr, Type};
use weft_reactor::Async;

use crate::nonblocking::{in_progress, socket, wait_connected};

/// A connected Unix domain stream socket.
///
/// As [`TcpStream`](crate::TcpStream): the `futures-io` traits on the stream and on
/// `&UnixStream`, `poll_close` shuts down the write side, and
/// [`split`](UnixStream::split) / [`into_split`](UnixStream::into_split) make halves.
///
/// # Examples
///
/// ```
/// use futures::{AsyncReadExt, AsyncWriteExt};
/// use weft_net::UnixStream;
///
/// # fn main() -> std::io::Result<()> {
/// weft_reactor::block_on(async {
///     let (mut a, mut b) = UnixStream::pair()?;
///     a.write_all(b"over the pair").await?;
///     a.close().await?;
///     let mut got = String::new();
///     b.read_to_string(&mut got).await?;
///     assert_eq!(got, "over the pair");
///     Ok(())
/// })
/// # }
/// ```
pub struct UnixStream {
    pub(crate) io: Async<std::os::unix::net::UnixStream>,
}

impl UnixStream {
    pub(crate) fn from_async(io: Async<std::os::unix::net::UnixStream>) -> UnixStream {
        UnixStream { io }
    }

    /// Undoes the options weft set behind the user's back, before `into_std`: none.
    fn restore_options(&self) {}

    /// The read behind `AsyncRead`; a short read ends the readiness (see
    /// `ready::poll_read_stream`).
    pub(crate) fn poll_read_bytes(
        &self,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        crate::ready::poll_read_stream(&self.io, cx, buf, None)
    }

    /// Connects to the socket at `path`.
    ///
    /// # Errors
    ///
    /// `NotFound` when no socket is at `path`, `ConnectionRefused` when nothing
    /// listens on it, `PermissionDenied`, and the other errors of `connect(2)`.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropping the future closes the socket; no connection is made that
    /// the caller does not get. (When the listener's backlog is full, the connect
    /// waits on a thread of the blocking pool; dropping the future then closes the
    /// connection once it is made.)
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::{UnixListener, UnixStream};
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let path = std::env::temp_dir().join(format!("weft-net-doc-connect-{}", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// weft_reactor::block_on(async {
    ///     let listener = UnixListener::bind(&path)?;
    ///     let stream = UnixStream::connect(&path).await?;
    ///     assert_eq!(stream.peer_addr()?.as_pathname(), Some(path.as_path()));
    ///     std::io::Result::Ok(())
    /// })?;
    /// std::fs::remove_file(&path)
    /// # }
    /// ```
    pub async fn connect(path: impl AsRef<Path>) -> io::Result<UnixStream> {
        let path = path.as_ref();
        let addr = SockAddr::unix(path)?;
        let socket = socket(Domain::UNIX, Type::STREAM, None)?;
        match socket.connect(&addr) {
            Ok(()) => {}
            Err(e) if in_progress(&e) => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                // The listener's backlog is full: no connection is under way, and
                // none will be unless asked again. A blocking connect waits its turn.
                let path = path.to_owned();
                let job =
                    weft_util::to_thread(move || std::os::unix::net::UnixStream::connect(path));
                let stream = job.await.map_err(io::Error::from)??;
                return UnixStream::from_std(stream);
            }
            Err(e) => return Err(e),
        }
        let io = Async::new_nonblocking(std::os::unix::net::UnixStream::from(socket))?;
        wait_connected(&io).await?;
        Ok(UnixStream::from_async(io))
    }

    /// Two connected streams (`socketpair(2)`): a channel between tasks, or to a
    /// child process.
    ///
    /// # Errors
    ///
    /// When the system has no descriptors to spare.
    ///
    /// # Examples
    ///
    /// ```
    /// use futures::{AsyncReadExt, AsyncWriteExt};
    /// use weft_net::UnixStream;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// weft_reactor::block_on(async {
    ///     let (mut a, mut b) = UnixStream::pair()?;
    ///     b.write_all(b"x").await?;
    ///     let mut buf = [0; 1];
    ///     a.read_exact(&mut buf).await?;
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub fn pair() -> io::Result<(UnixStream, UnixStream)> {
        let (a, b) = std::os::unix::net::UnixStream::pair()?;
        Ok((UnixStream::from_std(a)?, UnixStream::from_std(b)?))
    }
}

stream_io!(
    UnixStream,
    std::os::unix::net::UnixStream,
    SocketAddr,
    "# let (a, b) = weft_net::UnixStream::pair()?;\n"
);
