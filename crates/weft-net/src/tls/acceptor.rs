//! `TlsAcceptor`: the server side of TLS, and its `Accept` future.

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_io::{AsyncRead, AsyncWrite};
use rustls::ServerConfig;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::TlsStream;
use super::handshake::{DEFAULT_HANDSHAKE_TIMEOUT, Handshake};

/// Makes server-side TLS sessions: asyncio's server `ssl.SSLContext`.
///
/// It holds a rustls [`ServerConfig`] (certificate chain and key, protocol
/// versions, ALPN, client authentication) and a handshake timeout (60 seconds
/// unless [`with_handshake_timeout`](TlsAcceptor::with_handshake_timeout) says
/// otherwise). Cloning it is cheap (an `Arc`).
///
/// # Examples
///
/// ```
/// use weft_net::tls::TlsAcceptor;
/// use weft_net::tls::rustls::pki_types::PrivateKeyDer;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
/// let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
/// let acceptor = TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], key)?;
/// assert!(acceptor.config().alpn_protocols.is_empty());
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct TlsAcceptor {
    config: Arc<ServerConfig>,
    handshake_timeout: Duration,
}

impl TlsAcceptor {
    /// An acceptor with the given rustls configuration.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use weft_net::tls::TlsAcceptor;
    /// use weft_net::tls::rustls::{self, ServerConfig, pki_types::PrivateKeyDer};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
    /// let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
    /// let provider = Arc::new(rustls::crypto::ring::default_provider());
    /// let mut config = ServerConfig::builder_with_provider(provider)
    ///     .with_safe_default_protocol_versions()?
    ///     .with_no_client_auth()
    ///     .with_single_cert(vec![ck.cert.der().clone()], key)?;
    /// config.alpn_protocols = vec![b"http/1.1".to_vec()];
    /// let acceptor = TlsAcceptor::new(Arc::new(config));
    /// assert_eq!(acceptor.config().alpn_protocols, [b"http/1.1".to_vec()]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn new(config: Arc<ServerConfig>) -> TlsAcceptor {
        TlsAcceptor {
            config,
            handshake_timeout: DEFAULT_HANDSHAKE_TIMEOUT,
        }
    }

    /// An acceptor that presents `cert_chain` (leaf first) signed with `key`, on
    /// rustls's `ring` provider, TLS 1.2 and 1.3, without client authentication.
    ///
    /// # Errors
    ///
    /// A [`rustls::Error`] when the key cannot be used (an unsupported algorithm, or
    /// a key that does not match the leaf certificate).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::tls::TlsAcceptor;
    /// use weft_net::tls::rustls::pki_types::PrivateKeyDer;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
    /// let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
    /// let acceptor = TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], key)?;
    ///
    /// let garbage = PrivateKeyDer::Pkcs8(vec![1, 2, 3].into());
    /// assert!(TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], garbage).is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_single_cert(
        cert_chain: Vec<CertificateDer<'static>>,
        key: PrivateKeyDer<'static>,
    ) -> Result<TlsAcceptor, rustls::Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(cert_chain, key)?;
        Ok(TlsAcceptor::new(Arc::new(config)))
    }

    /// The rustls configuration.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::tls::TlsAcceptor;
    /// use weft_net::tls::rustls::pki_types::PrivateKeyDer;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
    /// # let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
    /// let acceptor = TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], key)?;
    /// assert!(!acceptor.config().ignore_client_order);
    /// # Ok(())
    /// # }
    /// ```
    pub fn config(&self) -> &Arc<ServerConfig> {
        &self.config
    }

    /// How long a handshake may take before [`Accept`] fails with
    /// [`TimedOut`](io::ErrorKind::TimedOut): the time a client that connects and
    /// says nothing holds a server's task.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_net::tls::TlsAcceptor;
    /// use weft_net::tls::rustls::pki_types::PrivateKeyDer;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
    /// # let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
    /// let acceptor = TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], key)?;
    /// assert_eq!(acceptor.handshake_timeout(), Duration::from_secs(60));
    /// # Ok(())
    /// # }
    /// ```
    pub fn handshake_timeout(&self) -> Duration {
        self.handshake_timeout
    }

    /// The same acceptor with another handshake timeout.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_net::tls::TlsAcceptor;
    /// use weft_net::tls::rustls::pki_types::PrivateKeyDer;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
    /// # let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
    /// let acceptor = TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], key)?
    ///     .with_handshake_timeout(Duration::from_secs(10));
    /// assert_eq!(acceptor.handshake_timeout(), Duration::from_secs(10));
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_handshake_timeout(mut self, timeout: Duration) -> TlsAcceptor {
        self.handshake_timeout = timeout;
        self
    }

    /// Runs the server side of a TLS handshake over `io`.
    ///
    /// The handshake is driven by awaiting the returned future.
    ///
    /// # Errors
    ///
    /// The future fails with [`InvalidData`](io::ErrorKind::InvalidData) wrapping a
    /// [`rustls::Error`] when the handshake fails (the client rejected the
    /// certificate, sent something that is not TLS, or shares no protocol version);
    /// [`UnexpectedEof`](io::ErrorKind::UnexpectedEof) when the client goes away
    /// mid-handshake; [`TimedOut`](io::ErrorKind::TimedOut) past the handshake
    /// timeout; or the transport's error.
    ///
    /// # Examples
    ///
    /// ```
    /// # use futures::AsyncWriteExt;
    /// # use weft_net::tls::TlsAcceptor;
    /// # use weft_net::tls::rustls::pki_types::PrivateKeyDer;
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
    /// # let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
    /// # let acceptor = TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], key)?;
    /// weft_reactor::block_on(async {
    ///     // A client that speaks plain HTTP to a TLS port.
    ///     let (mut a, b) = weft_net::UnixStream::pair()?;
    ///     a.write_all(b"GET / HTTP/1.1\r\n\r\n").await?;
    ///     let err = acceptor.accept(b).await.unwrap_err();
    ///     assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub fn accept<IO>(&self, io: IO) -> Accept<IO>
    where
        IO: AsyncRead + AsyncWrite + Unpin,
    {
        let acceptor = futures_rustls::TlsAcceptor::from(self.config.clone());
        Accept {
            handshake: Handshake::new(acceptor.accept(io), self.handshake_timeout),
        }
    }
}

impl From<Arc<ServerConfig>> for TlsAcceptor {
    fn from(config: Arc<ServerConfig>) -> TlsAcceptor {
        TlsAcceptor::new(config)
    }
}

impl fmt::Debug for TlsAcceptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsAcceptor")
            .field("handshake_timeout", &self.handshake_timeout)
            .finish_non_exhaustive()
    }
}

/// The server side of a TLS handshake, from [`TlsAcceptor::accept`]: resolves to
/// the [`TlsStream`] once the handshake is done.
///
/// # Cancel safety
///
/// Not cancel safe: the future owns the transport, and dropping it mid-handshake
/// drops (closes) the transport.
///
/// # Examples
///
/// ```
/// # use weft_net::tls::{Accept, TlsAcceptor, TlsConnector};
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
///     let accept: Accept<_> = acceptor.accept(b);
///     let (client, server) = futures::join!(connector.connect("localhost", a), accept);
///     assert!(client?.is_client() && !server?.is_client());
///     Ok(())
/// })
/// # }
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Accept<IO> {
    handshake: Handshake<futures_rustls::Accept<IO>>,
}

impl<IO: AsyncRead + AsyncWrite + Unpin> Future for Accept<IO> {
    type Output = io::Result<TlsStream<IO>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.handshake
            .poll_with(cx, |s| TlsStream::new(futures_rustls::TlsStream::Server(s)))
    }
}

impl<IO> fmt::Debug for Accept<IO> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Accept").finish_non_exhaustive()
    }
}
