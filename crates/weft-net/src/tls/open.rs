//! `open_tls_connection`: asyncio's `open_connection(..., ssl=...)`.

use std::io;

use super::{ReadHalf, TlsConnector, WriteHalf};
use crate::{StreamReader, StreamWriter, TcpStream, ToSocketAddrs};

/// A [`StreamReader`] over TLS: what [`open_tls_connection`] and
/// [`start_tls_server_with`](super::start_tls_server_with)'s handlers get, over a
/// TCP connection; `start_tls` gives one over a [`Joined`](super::Joined) transport.
///
/// # Examples
///
/// ```
/// use weft_net::tls::{Joined, TlsStreamReader};
/// use weft_net::tcp::{OwnedReadHalf, OwnedWriteHalf};
///
/// fn over_tcp(_: &TlsStreamReader) {}
/// fn upgraded(_: &TlsStreamReader<Joined<OwnedReadHalf, OwnedWriteHalf>>) {}
/// ```
pub type TlsStreamReader<IO = TcpStream> = StreamReader<ReadHalf<IO>>;

/// A [`StreamWriter`] over TLS: what [`open_tls_connection`] and
/// [`start_tls_server_with`](super::start_tls_server_with)'s handlers get, over a
/// TCP connection; `start_tls` gives one over a [`Joined`](super::Joined) transport.
///
/// Its `write_eof` and `close` send TLS's `close_notify` before closing the TCP
/// write side.
///
/// # Examples
///
/// ```
/// use weft_net::tls::{Joined, TlsStreamWriter};
/// use weft_net::tcp::{OwnedReadHalf, OwnedWriteHalf};
///
/// fn over_tcp(_: &TlsStreamWriter) {}
/// fn upgraded(_: &TlsStreamWriter<Joined<OwnedReadHalf, OwnedWriteHalf>>) {}
/// ```
pub type TlsStreamWriter<IO = TcpStream> = StreamWriter<WriteHalf<IO>>;

/// Connects to `addr` over TCP and runs a TLS handshake, checking that the server's
/// certificate is valid for `server_name`: asyncio's
/// `open_connection(host, port, ssl=ctx, server_hostname=name)`.
///
/// TCP's `nodelay` is set, as [`open_connection`](crate::open_connection) does, so
/// that small writes go out at once.
///
/// # Errors
///
/// As [`TcpStream::connect`] (the address cannot be resolved or reached), then as
/// [`TlsConnector::connect`]: [`InvalidInput`](io::ErrorKind::InvalidInput) for a
/// `server_name` that is neither a DNS name nor an IP address,
/// [`InvalidData`](io::ErrorKind::InvalidData) wrapping a rustls error when the
/// handshake fails (an untrusted certificate, one not valid for `server_name`),
/// [`TimedOut`](io::ErrorKind::TimedOut) past the connector's handshake timeout.
///
/// # Cancel safety
///
/// Not cancel safe: dropping the future mid-handshake closes the connection.
///
/// # Examples
///
/// ```
/// # use std::pin::Pin;
/// # use weft_net::tls::{TlsAcceptor, TlsConnector, open_tls_connection, start_tls_server_with};
/// # use weft_net::tls::rustls::{RootCertStore, pki_types::PrivateKeyDer};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
/// # let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
/// # let acceptor = TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], key)?;
/// # let mut roots = RootCertStore::empty();
/// # roots.add(ck.cert.der().clone())?;
/// # let connector = TlsConnector::with_root_certificates(roots);
/// # type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;
/// let ex = weft_executor::Executor::new(2)?;
/// let handle = ex.handle();
/// let spawn = move |f: BoxFuture| handle.spawn(f).detach();
/// ex.block_on(async {
///     let server = start_tls_server_with(spawn, |mut reader, mut writer| async move {
///         if let Ok(line) = reader.readline().await {
///             writer.write(&line);
///             let _ = writer.drain().await;
///         }
///     }, "127.0.0.1:0", acceptor).await?;
///     let addr = server.local_addrs()[0];
///
///     let (mut reader, mut writer) = open_tls_connection(addr, "localhost", &connector).await?;
///     writer.write(b"hello over tls\n");
///     writer.drain().await?;
///     assert_eq!(reader.readline().await?, b"hello over tls\n");
///     Ok(())
/// })
/// # }
/// ```
pub async fn open_tls_connection(
    addr: impl ToSocketAddrs,
    server_name: &str,
    connector: &TlsConnector,
) -> io::Result<(TlsStreamReader, TlsStreamWriter)> {
    let tcp = TcpStream::connect(addr).await?;
    tcp.set_nodelay(true)?;
    let tls = connector.connect(server_name, tcp).await?;
    let (read, write) = tls.into_split();
    Ok((StreamReader::new(read), StreamWriter::new(write)))
}
