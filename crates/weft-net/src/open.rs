//! [`open_connection`] and [`open_unix_connection`]: a connection as a reader and a
//! writer.

use std::io;
use std::path::Path;

use crate::stream::{StreamReader, StreamWriter};
use crate::{TcpStream, ToSocketAddrs, UnixStream, unix};

/// Connects to `addr` over TCP and returns a reader and a writer on the connection:
/// asyncio's `open_connection(host, port)`.
///
/// Every address `addr` resolves to is tried (racing IPv6 and IPv4 as
/// [`TcpStream::connect`] does); the connection gets `TCP_NODELAY`, as asyncio's do.
/// The reader has the default 64 KiB limit ([`StreamReader::set_limit`] changes it).
///
/// # Errors
///
/// `ConnectionRefused` when nothing listens there; the resolver's error, naming the
/// host, when the name does not resolve; the connect's error otherwise.
///
/// # Cancel safety
///
/// Cancel safe: a connection in progress is dropped with the future.
///
/// # Examples
///
/// ```
/// # weft_reactor::block_on(async {
/// let listener = weft_net::TcpListener::bind("127.0.0.1:0").await?;
/// let (mut reader, mut writer) = weft_net::open_connection(listener.local_addr()?).await?;
/// writer.write(b"GET / HTTP/1.0\r\n\r\n");
/// writer.drain().await?;
/// # drop(reader.buffer());
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn open_connection(addr: impl ToSocketAddrs) -> io::Result<(StreamReader, StreamWriter)> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (r, w) = stream.into_split();
    Ok((StreamReader::new(r), StreamWriter::new(w)))
}

/// Connects to the Unix socket at `path` and returns a reader and a writer on the
/// connection: asyncio's `open_unix_connection(path)`.
///
/// # Errors
///
/// `NotFound` when no socket file is at `path`, `ConnectionRefused` when nothing
/// listens on it.
///
/// # Cancel safety
///
/// Cancel safe: a connection in progress is dropped with the future.
///
/// # Examples
///
/// ```
/// # fn main() -> std::io::Result<()> {
/// let path = std::env::temp_dir().join(format!("weft-doc-open-unix-{}", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// let listener = weft_net::UnixListener::bind(&path)?;
/// weft_reactor::block_on(async {
///     let (_reader, mut writer) = weft_net::open_unix_connection(&path).await?;
///     writer.write(b"over a socket file\n");
///     writer.drain().await
/// })?;
/// drop(listener);
/// std::fs::remove_file(&path)
/// # }
/// ```
pub async fn open_unix_connection(
    path: impl AsRef<Path>,
) -> io::Result<(
    StreamReader<unix::OwnedReadHalf>,
    StreamWriter<unix::OwnedWriteHalf>,
)> {
    let stream = UnixStream::connect(path).await?;
    let (r, w) = stream.into_split();
    Ok((StreamReader::new(r), StreamWriter::new(w)))
}
