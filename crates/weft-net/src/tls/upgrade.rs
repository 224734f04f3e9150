//! `StreamWriter::start_tls` and `StreamWriter::accept_tls`: upgrading an open
//! connection to TLS (STARTTLS), asyncio's `StreamWriter.start_tls`.

use std::future::poll_fn;
use std::io;
use std::pin::Pin;

use futures_io::{AsyncRead, AsyncWrite};

use super::{Joined, TlsAcceptor, TlsConnector, TlsStream, TlsStreamReader, TlsStreamWriter};
use crate::{StreamReader, StreamWriter};

impl<W: AsyncWrite + Unpin + Send + 'static> StreamWriter<W> {
    /// Upgrades the connection of `reader` and this writer to TLS, as the client:
    /// asyncio's `StreamWriter.start_tls(sslcontext, server_hostname=name)`.
    ///
    /// The writer is drained first, so every plain-text byte written before the
    /// upgrade reaches the peer before the handshake; the bytes `reader` had
    /// buffered but not handed out are fed to TLS, so a peer that sends its
    /// handshake right behind its plain-text reply loses nothing. The new reader
    /// keeps `reader`'s limit.
    ///
    /// # Errors
    ///
    /// The transport's error while draining, then as [`TlsConnector::connect`]:
    /// [`InvalidInput`](io::ErrorKind::InvalidInput) for a bad `server_name`,
    /// [`InvalidData`](io::ErrorKind::InvalidData) wrapping a rustls error when the
    /// handshake fails, [`TimedOut`](io::ErrorKind::TimedOut) past the connector's
    /// handshake timeout. The connection is closed on any error.
    ///
    /// # Cancel safety
    ///
    /// Not cancel safe: the future owns the connection, and dropping it closes the
    /// connection.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weft_net::tls::{TlsAcceptor, TlsConnector};
    /// # use weft_net::tls::rustls::{RootCertStore, pki_types::PrivateKeyDer};
    /// # use weft_net::{StreamReader, StreamWriter, UnixStream};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
    /// # let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
    /// # let acceptor = TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], key)?;
    /// # let mut roots = RootCertStore::empty();
    /// # roots.add(ck.cert.der().clone())?;
    /// # let connector = TlsConnector::with_root_certificates(roots);
    /// weft_reactor::block_on(async {
    ///     let (a, b) = UnixStream::pair()?;
    ///     let (ar, aw) = a.into_split();
    ///     let (br, bw) = b.into_split();
    ///     let (mut client_r, mut client_w) = (StreamReader::new(ar), StreamWriter::new(aw));
    ///     let (mut server_r, mut server_w) = (StreamReader::new(br), StreamWriter::new(bw));
    ///
    ///     let client = async {
    ///         client_w.write(b"STARTTLS\r\n");
    ///         assert_eq!(client_r.readline().await?, b"OK\r\n");
    ///         client_w.start_tls(client_r, "localhost", &connector).await
    ///     };
    ///     let server = async {
    ///         assert_eq!(server_r.readline().await?, b"STARTTLS\r\n");
    ///         server_w.write(b"OK\r\n");
    ///         server_w.accept_tls(server_r, &acceptor).await
    ///     };
    ///     let (client, server) = futures::join!(client, server);
    ///     let ((mut client_r, mut client_w), (mut server_r, mut server_w)) = (client?, server?);
    ///
    ///     client_w.write(b"now encrypted\n");
    ///     client_w.drain().await?;
    ///     assert_eq!(server_r.readline().await?, b"now encrypted\n");
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub async fn start_tls<R: AsyncRead + Unpin + Send + 'static>(
        self,
        reader: StreamReader<R>,
        server_name: &str,
        connector: &TlsConnector,
    ) -> io::Result<(TlsStreamReader<Joined<R, W>>, TlsStreamWriter<Joined<R, W>>)> {
        let limit = reader.limit();
        let joined = join(reader, self).await?;
        let tls = connector.connect(server_name, joined).await?;
        Ok(into_streams(tls, limit))
    }

    /// Upgrades the connection of `reader` and this writer to TLS, as the server:
    /// the server side of asyncio's `start_tls` (`loop.start_tls(..., server_side=True)`).
    ///
    /// As [`start_tls`](Self::start_tls): the writer is drained first, the bytes
    /// `reader` had buffered (often the client's first handshake message, sent right
    /// behind its plain-text command) are fed to TLS, and the new reader keeps
    /// `reader`'s limit.
    ///
    /// # Errors
    ///
    /// The transport's error while draining, then as [`TlsAcceptor::accept`]:
    /// [`InvalidData`](io::ErrorKind::InvalidData) wrapping a rustls error when the
    /// handshake fails, [`UnexpectedEof`](io::ErrorKind::UnexpectedEof) when the
    /// client goes away, [`TimedOut`](io::ErrorKind::TimedOut) past the acceptor's
    /// handshake timeout. The connection is closed on any error.
    ///
    /// # Cancel safety
    ///
    /// Not cancel safe: the future owns the connection, and dropping it closes the
    /// connection.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weft_net::tls::{TlsAcceptor, TlsConnector};
    /// # use weft_net::tls::rustls::{RootCertStore, pki_types::PrivateKeyDer};
    /// # use weft_net::{StreamReader, StreamWriter, UnixStream};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
    /// # let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
    /// # let acceptor = TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], key)?;
    /// # let mut roots = RootCertStore::empty();
    /// # roots.add(ck.cert.der().clone())?;
    /// # let connector = TlsConnector::with_root_certificates(roots);
    /// weft_reactor::block_on(async {
    ///     let (a, b) = UnixStream::pair()?;
    ///     let (br, bw) = b.into_split();
    ///     let (server_r, server_w) = (StreamReader::new(br), StreamWriter::new(bw));
    ///     // The client starts TLS at once, without a plain-text exchange.
    ///     let (client, server) = futures::join!(
    ///         connector.connect("localhost", a),
    ///         server_w.accept_tls(server_r, &acceptor),
    ///     );
    ///     let (_client, (server_r, _server_w)) = (client?, server?);
    ///     let sni = server_r.get_ref().with_stream(|s| s.server_name().map(String::from));
    ///     assert_eq!(sni.as_deref(), Some("localhost"));
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub async fn accept_tls<R: AsyncRead + Unpin + Send + 'static>(
        self,
        reader: StreamReader<R>,
        acceptor: &TlsAcceptor,
    ) -> io::Result<(TlsStreamReader<Joined<R, W>>, TlsStreamWriter<Joined<R, W>>)> {
        let limit = reader.limit();
        let joined = join(reader, self).await?;
        let tls = acceptor.accept(joined).await?;
        Ok(into_streams(tls, limit))
    }
}

/// Drains `writer` and joins the two transports, keeping the reader's buffered bytes
/// in front.
async fn join<R, W>(
    reader: StreamReader<R>,
    mut writer: StreamWriter<W>,
) -> io::Result<Joined<R, W>>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin + Send + 'static,
{
    // Everything written before the upgrade goes out in plain text first.
    poll_fn(|cx| Pin::new(&mut writer).poll_flush(cx)).await?;
    let (mut write, unsent) = writer.into_parts()?;
    write_all(&mut write, &unsent).await?;
    let (read, buffered) = reader.into_parts();
    Ok(Joined::new(buffered, read, write))
}

async fn write_all<W: AsyncWrite + Unpin>(w: &mut W, mut buf: &[u8]) -> io::Result<()> {
    while !buf.is_empty() {
        let n = poll_fn(|cx| Pin::new(&mut *w).poll_write(cx, buf)).await?;
        if n == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        buf = &buf[n..];
    }
    poll_fn(|cx| Pin::new(&mut *w).poll_flush(cx)).await
}

/// The reader and writer an upgrade yields.
type Upgraded<R, W> = (TlsStreamReader<Joined<R, W>>, TlsStreamWriter<Joined<R, W>>);

fn into_streams<R, W>(tls: TlsStream<Joined<R, W>>, limit: usize) -> Upgraded<R, W>
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (read, write) = tls.into_split();
    (
        StreamReader::with_limit(read, limit),
        StreamWriter::new(write),
    )
}
