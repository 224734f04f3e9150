//! `TlsStream`: a TLS session over a transport, client or server side.

use std::fmt;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_io::{AsyncRead, AsyncWrite};
use rustls::pki_types::CertificateDer;
use rustls::{CommonState, ProtocolVersion};

use super::split::{self, ReadHalf, WriteHalf};

/// A TLS session over a transport `IO`: bytes written are encrypted onto `IO`, bytes
/// read are decrypted from it.
///
/// [`TlsConnector::connect`](super::TlsConnector::connect) makes the client side,
/// [`TlsAcceptor::accept`](super::TlsAcceptor::accept) the server side; both are this
/// one type, so code that serves or speaks over TLS need not care which. It
/// implements the `futures-io` [`AsyncRead`] and [`AsyncWrite`] traits;
/// [`into_split`](TlsStream::into_split) gives two halves for a
/// [`StreamReader`](crate::StreamReader) and a [`StreamWriter`](crate::StreamWriter).
///
/// `poll_flush` sends what rustls has buffered; `poll_close` sends TLS's
/// `close_notify` alert, then closes the transport's write side. A read returns 0
/// once the peer's `close_notify` has arrived; a transport that ends without one is
/// an [`UnexpectedEof`](io::ErrorKind::UnexpectedEof) error (a truncation attack,
/// or a peer that did not close properly).
///
/// # Examples
///
/// ```
/// # use std::sync::Arc;
/// # use futures::{AsyncReadExt, AsyncWriteExt};
/// # use weft_net::tls::{TlsAcceptor, TlsConnector};
/// # use weft_net::tls::rustls::{RootCertStore, pki_types::PrivateKeyDer};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
/// # let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
/// # let acceptor = TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], key)?;
/// # let mut roots = RootCertStore::empty();
/// # roots.add(ck.cert.der().clone())?;
/// # let connector = TlsConnector::with_root_certificates(roots);
/// weft_reactor::block_on(async {
///     let (a, b) = weft_net::UnixStream::pair()?;
///     let (client, server) = futures::join!(
///         connector.connect("localhost", a),
///         acceptor.accept(b),
///     );
///     let (mut client, mut server) = (client?, server?);
///     assert!(client.is_client() && !server.is_client());
///     assert_eq!(server.server_name(), Some("localhost"));
///
///     client.write_all(b"hello").await?;
///     client.close().await?; // close_notify, then the write side of `a`
///     let mut got = Vec::new();
///     server.read_to_end(&mut got).await?;
///     assert_eq!(got, b"hello");
///     Ok(())
/// })
/// # }
/// ```
pub struct TlsStream<IO> {
    inner: futures_rustls::TlsStream<IO>,
}

impl<IO> TlsStream<IO> {
    pub(crate) fn new(inner: futures_rustls::TlsStream<IO>) -> TlsStream<IO> {
        TlsStream { inner }
    }

    /// The transport under the session.
    ///
    /// Reading from or writing to it directly would corrupt the session.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weft_net::tls::{TlsAcceptor, TlsConnector};
    /// # use weft_net::tls::rustls::{RootCertStore, pki_types::PrivateKeyDer};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
    /// # let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
    /// # let acceptor = TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], key)?;
    /// # let mut roots = RootCertStore::empty();
    /// # roots.add(ck.cert.der().clone())?;
    /// # let connector = TlsConnector::with_root_certificates(roots);
    /// weft_reactor::block_on(async {
    ///     let (a, b) = weft_net::UnixStream::pair()?;
    ///     let (client, _server) =
    ///         futures::join!(connector.connect("localhost", a), acceptor.accept(b));
    ///     let client = client?;
    ///     assert!(client.get_ref().peer_addr().is_ok());
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub fn get_ref(&self) -> &IO {
        self.inner.get_ref().0
    }

    /// The transport under the session, mutably.
    ///
    /// Reading from or writing to it directly would corrupt the session.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weft_net::tls::{TlsAcceptor, TlsConnector};
    /// # use weft_net::tls::rustls::{RootCertStore, pki_types::PrivateKeyDer};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
    /// # let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
    /// # let acceptor = TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], key)?;
    /// # let mut roots = RootCertStore::empty();
    /// # roots.add(ck.cert.der().clone())?;
    /// # let connector = TlsConnector::with_root_certificates(roots);
    /// weft_reactor::block_on(async {
    ///     let (a, b) = weft_net::UnixStream::pair()?;
    ///     let (client, _server) =
    ///         futures::join!(connector.connect("localhost", a), acceptor.accept(b));
    ///     let mut client = client?;
    ///     let _unix: &mut weft_net::UnixStream = client.get_mut();
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub fn get_mut(&mut self) -> &mut IO {
        self.inner.get_mut().0
    }

    /// The session's state: negotiated version, cipher suite, ALPN protocol, peer
    /// certificates (rustls's [`CommonState`]).
    ///
    /// # Examples
    ///
    /// ```
    /// # use weft_net::tls::{TlsAcceptor, TlsConnector};
    /// # use weft_net::tls::rustls::{RootCertStore, pki_types::PrivateKeyDer};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
    /// # let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
    /// # let acceptor = TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], key)?;
    /// # let mut roots = RootCertStore::empty();
    /// # roots.add(ck.cert.der().clone())?;
    /// # let connector = TlsConnector::with_root_certificates(roots);
    /// weft_reactor::block_on(async {
    ///     let (a, b) = weft_net::UnixStream::pair()?;
    ///     let (client, _server) =
    ///         futures::join!(connector.connect("localhost", a), acceptor.accept(b));
    ///     let client = client?;
    ///     assert!(client.session().negotiated_cipher_suite().is_some());
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub fn session(&self) -> &CommonState {
        self.inner.get_ref().1
    }

    /// Whether this is the client side of the session.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weft_net::tls::{TlsAcceptor, TlsConnector};
    /// # use weft_net::tls::rustls::{RootCertStore, pki_types::PrivateKeyDer};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
    /// # let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
    /// # let acceptor = TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], key)?;
    /// # let mut roots = RootCertStore::empty();
    /// # roots.add(ck.cert.der().clone())?;
    /// # let connector = TlsConnector::with_root_certificates(roots);
    /// weft_reactor::block_on(async {
    ///     let (a, b) = weft_net::UnixStream::pair()?;
    ///     let (client, server) =
    ///         futures::join!(connector.connect("localhost", a), acceptor.accept(b));
    ///     assert!(client?.is_client());
    ///     assert!(!server?.is_client());
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub fn is_client(&self) -> bool {
        matches!(self.inner, futures_rustls::TlsStream::Client(_))
    }

    /// The negotiated protocol version (TLS 1.2 or 1.3).
    ///
    /// # Examples
    ///
    /// ```
    /// # use weft_net::tls::{TlsAcceptor, TlsConnector};
    /// # use weft_net::tls::rustls::{ProtocolVersion, RootCertStore, pki_types::PrivateKeyDer};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
    /// # let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
    /// # let acceptor = TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], key)?;
    /// # let mut roots = RootCertStore::empty();
    /// # roots.add(ck.cert.der().clone())?;
    /// # let connector = TlsConnector::with_root_certificates(roots);
    /// weft_reactor::block_on(async {
    ///     let (a, b) = weft_net::UnixStream::pair()?;
    ///     let (client, _server) =
    ///         futures::join!(connector.connect("localhost", a), acceptor.accept(b));
    ///     assert_eq!(client?.protocol_version(), Some(ProtocolVersion::TLSv1_3));
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub fn protocol_version(&self) -> Option<ProtocolVersion> {
        self.session().protocol_version()
    }

    /// The ALPN protocol the peers agreed on, if any (`b"h2"`, `b"http/1.1"`, ...).
    ///
    /// # Examples
    ///
    /// ```
    /// # use weft_net::tls::{TlsAcceptor, TlsConnector};
    /// # use weft_net::tls::rustls::{RootCertStore, pki_types::PrivateKeyDer};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
    /// # let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
    /// # let acceptor = TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], key)?;
    /// # let mut roots = RootCertStore::empty();
    /// # roots.add(ck.cert.der().clone())?;
    /// # let connector = TlsConnector::with_root_certificates(roots);
    /// weft_reactor::block_on(async {
    ///     let (a, b) = weft_net::UnixStream::pair()?;
    ///     let (client, _server) =
    ///         futures::join!(connector.connect("localhost", a), acceptor.accept(b));
    ///     assert_eq!(client?.alpn_protocol(), None); // neither side configured ALPN
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub fn alpn_protocol(&self) -> Option<&[u8]> {
        self.session().alpn_protocol()
    }

    /// The certificate chain the peer presented, leaf first: the server's on the
    /// client side, the client's (when the server asked for one) on the server side.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weft_net::tls::{TlsAcceptor, TlsConnector};
    /// # use weft_net::tls::rustls::{RootCertStore, pki_types::PrivateKeyDer};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
    /// # let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
    /// # let acceptor = TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], key)?;
    /// # let mut roots = RootCertStore::empty();
    /// # roots.add(ck.cert.der().clone())?;
    /// # let connector = TlsConnector::with_root_certificates(roots);
    /// weft_reactor::block_on(async {
    ///     let (a, b) = weft_net::UnixStream::pair()?;
    ///     let (client, server) =
    ///         futures::join!(connector.connect("localhost", a), acceptor.accept(b));
    ///     assert_eq!(client?.peer_certificates(), Some(&[ck.cert.der().clone()][..]));
    ///     assert_eq!(server?.peer_certificates(), None); // no client certificate
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub fn peer_certificates(&self) -> Option<&[CertificateDer<'static>]> {
        self.session().peer_certificates()
    }

    /// On the server side, the name the client asked for (SNI); `None` on the client
    /// side or when the client sent none (it connected to an IP address).
    ///
    /// # Examples
    ///
    /// ```
    /// # use weft_net::tls::{TlsAcceptor, TlsConnector};
    /// # use weft_net::tls::rustls::{RootCertStore, pki_types::PrivateKeyDer};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
    /// # let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
    /// # let acceptor = TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], key)?;
    /// # let mut roots = RootCertStore::empty();
    /// # roots.add(ck.cert.der().clone())?;
    /// # let connector = TlsConnector::with_root_certificates(roots);
    /// weft_reactor::block_on(async {
    ///     let (a, b) = weft_net::UnixStream::pair()?;
    ///     let (client, server) =
    ///         futures::join!(connector.connect("localhost", a), acceptor.accept(b));
    ///     assert_eq!(server?.server_name(), Some("localhost"));
    ///     assert_eq!(client?.server_name(), None);
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub fn server_name(&self) -> Option<&str> {
        match &self.inner {
            futures_rustls::TlsStream::Server(s) => s.get_ref().1.server_name(),
            futures_rustls::TlsStream::Client(_) => None,
        }
    }

    /// Ends the session without a `close_notify` and hands back the transport.
    ///
    /// Bytes rustls had buffered (received but not yet read, or written but not yet
    /// sent) are dropped; the peer sees the transport continue with plain bytes, or
    /// end, as the caller decides.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weft_net::tls::{TlsAcceptor, TlsConnector};
    /// # use weft_net::tls::rustls::{RootCertStore, pki_types::PrivateKeyDer};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
    /// # let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
    /// # let acceptor = TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], key)?;
    /// # let mut roots = RootCertStore::empty();
    /// # roots.add(ck.cert.der().clone())?;
    /// # let connector = TlsConnector::with_root_certificates(roots);
    /// weft_reactor::block_on(async {
    ///     let (a, b) = weft_net::UnixStream::pair()?;
    ///     let (client, _server) =
    ///         futures::join!(connector.connect("localhost", a), acceptor.accept(b));
    ///     let unix: weft_net::UnixStream = client?.into_inner();
    ///     drop(unix);
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub fn into_inner(self) -> IO {
        match self.inner {
            futures_rustls::TlsStream::Client(s) => s.into_inner().0,
            futures_rustls::TlsStream::Server(s) => s.into_inner().0,
        }
    }
}

impl<IO: AsyncRead + AsyncWrite + Unpin> TlsStream<IO> {
    /// Splits the stream into a reading and a writing half, which may move to
    /// different tasks; [`ReadHalf::reunite`] puts them back together.
    ///
    /// The halves share the session behind a mutex, held only inside each `poll_*`
    /// call. Dropping the [`WriteHalf`] closes the writing direction as well as it can
    /// without waiting: it queues `close_notify` and tries once to send it and shut
    /// the transport's write side (a TCP `OwnedWriteHalf` does the same on drop).
    ///
    /// # Examples
    ///
    /// ```
    /// # use futures::{AsyncReadExt, AsyncWriteExt};
    /// # use weft_net::tls::{TlsAcceptor, TlsConnector};
    /// # use weft_net::tls::rustls::{RootCertStore, pki_types::PrivateKeyDer};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
    /// # let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
    /// # let acceptor = TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], key)?;
    /// # let mut roots = RootCertStore::empty();
    /// # roots.add(ck.cert.der().clone())?;
    /// # let connector = TlsConnector::with_root_certificates(roots);
    /// weft_reactor::block_on(async {
    ///     let (a, b) = weft_net::UnixStream::pair()?;
    ///     let (client, server) =
    ///         futures::join!(connector.connect("localhost", a), acceptor.accept(b));
    ///     let (mut rd, mut wr) = client?.into_split();
    ///     let mut server = server?;
    ///     wr.write_all(b"ping").await?;
    ///     wr.flush().await?;
    ///     let mut buf = [0; 4];
    ///     server.read_exact(&mut buf).await?;
    ///     server.write_all(&buf).await?;
    ///     server.flush().await?;
    ///     rd.read_exact(&mut buf).await?;
    ///     assert_eq!(&buf, b"ping");
    ///     let _client = rd.reunite(wr).expect("halves of one stream");
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub fn into_split(self) -> (ReadHalf<IO>, WriteHalf<IO>) {
        split::split(self)
    }
}

impl<IO> fmt::Debug for TlsStream<IO> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsStream")
            .field("side", &if self.is_client() { "client" } else { "server" })
            .field("protocol_version", &self.protocol_version())
            .finish_non_exhaustive()
    }
}

impl<IO: AsyncRead + AsyncWrite + Unpin> AsyncRead for TlsStream<IO> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<IO: AsyncRead + AsyncWrite + Unpin> AsyncWrite for TlsStream<IO> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        // The first call queues close_notify; every call sends what is queued, then
        // closes the transport.
        Pin::new(&mut self.inner).poll_close(cx)
    }
}
