//! `TlsConnector`: the client side of TLS, and its `Connect` future.

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_io::{AsyncRead, AsyncWrite};
use rustls::pki_types::ServerName;
use rustls::{ClientConfig, RootCertStore};

use super::TlsStream;
use super::handshake::{DEFAULT_HANDSHAKE_TIMEOUT, Handshake};

/// Makes client-side TLS sessions: asyncio's client `ssl.SSLContext`.
///
/// It holds a rustls [`ClientConfig`] (trusted roots, protocol versions, ALPN,
/// client certificate) and a handshake timeout (60 seconds unless
/// [`with_handshake_timeout`](TlsConnector::with_handshake_timeout) says otherwise).
/// Cloning it is cheap (an `Arc`).
///
/// # Examples
///
/// ```
/// use weft_net::tls::TlsConnector;
/// use weft_net::tls::rustls::RootCertStore;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
/// # let ca_certificate = ck.cert.der().clone();
/// let mut roots = RootCertStore::empty();
/// roots.add(ca_certificate)?; // the certificate (or CA) the server presents
/// let connector = TlsConnector::with_root_certificates(roots);
/// assert!(connector.config().alpn_protocols.is_empty());
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct TlsConnector {
    config: Arc<ClientConfig>,
    handshake_timeout: Duration,
}

impl TlsConnector {
    /// A connector with the given rustls configuration.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use weft_net::tls::TlsConnector;
    /// use weft_net::tls::rustls::{self, ClientConfig, RootCertStore};
    ///
    /// let provider = Arc::new(rustls::crypto::ring::default_provider());
    /// let mut config = ClientConfig::builder_with_provider(provider)
    ///     .with_safe_default_protocol_versions()?
    ///     .with_root_certificates(RootCertStore::empty())
    ///     .with_no_client_auth();
    /// config.alpn_protocols = vec![b"http/1.1".to_vec()];
    /// let connector = TlsConnector::new(Arc::new(config));
    /// assert_eq!(connector.config().alpn_protocols, [b"http/1.1".to_vec()]);
    /// # Ok::<(), rustls::Error>(())
    /// ```
    pub fn new(config: Arc<ClientConfig>) -> TlsConnector {
        TlsConnector {
            config,
            handshake_timeout: DEFAULT_HANDSHAKE_TIMEOUT,
        }
    }

    /// A connector that trusts the certificates in `roots`, on rustls's `ring`
    /// provider, TLS 1.2 and 1.3, without a client certificate.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::tls::TlsConnector;
    /// use weft_net::tls::rustls::RootCertStore;
    ///
    /// let connector = TlsConnector::with_root_certificates(RootCertStore::empty());
    /// assert!(connector.config().alpn_protocols.is_empty());
    /// ```
    pub fn with_root_certificates(roots: RootCertStore) -> TlsConnector {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("ring supports rustls's default protocol versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        TlsConnector::new(Arc::new(config))
    }

    /// The rustls configuration.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::tls::TlsConnector;
    /// use weft_net::tls::rustls::RootCertStore;
    ///
    /// let connector = TlsConnector::with_root_certificates(RootCertStore::empty());
    /// assert!(connector.config().enable_sni);
    /// ```
    pub fn config(&self) -> &Arc<ClientConfig> {
        &self.config
    }

    /// How long a handshake may take before [`Connect`] fails with
    /// [`TimedOut`](io::ErrorKind::TimedOut).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_net::tls::TlsConnector;
    /// use weft_net::tls::rustls::RootCertStore;
    ///
    /// let connector = TlsConnector::with_root_certificates(RootCertStore::empty());
    /// assert_eq!(connector.handshake_timeout(), Duration::from_secs(60));
    /// ```
    pub fn handshake_timeout(&self) -> Duration {
        self.handshake_timeout
    }

    /// The same connector with another handshake timeout.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft_net::tls::TlsConnector;
    /// use weft_net::tls::rustls::RootCertStore;
    ///
    /// let connector = TlsConnector::with_root_certificates(RootCertStore::empty())
    ///     .with_handshake_timeout(Duration::from_secs(5));
    /// assert_eq!(connector.handshake_timeout(), Duration::from_secs(5));
    /// ```
    pub fn with_handshake_timeout(mut self, timeout: Duration) -> TlsConnector {
        self.handshake_timeout = timeout;
        self
    }

    /// Runs the client side of a TLS handshake over `io`, checking that the server's
    /// certificate is valid for `server_name` (a DNS name, or an IP address
    /// literal), which is also sent as SNI when it is a name.
    ///
    /// The handshake is driven by awaiting the returned future. `io` may be any
    /// transport: a [`TcpStream`](crate::TcpStream), a Unix stream, a pipe pair.
    ///
    /// # Errors
    ///
    /// The future fails with [`InvalidInput`](io::ErrorKind::InvalidInput) when
    /// `server_name` is neither a DNS name nor an IP address;
    /// [`InvalidData`](io::ErrorKind::InvalidData) wrapping a [`rustls::Error`] when
    /// the handshake fails (the certificate is untrusted, not valid for the name,
    /// expired; no common protocol version); [`TimedOut`](io::ErrorKind::TimedOut)
    /// past the handshake timeout; or the transport's error.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weft_net::tls::{TlsAcceptor, TlsConnector};
    /// # use weft_net::tls::rustls::{self, RootCertStore, pki_types::PrivateKeyDer};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
    /// # let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
    /// # let acceptor = TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], key)?;
    /// # let mut roots = RootCertStore::empty();
    /// # roots.add(ck.cert.der().clone())?;
    /// # let connector = TlsConnector::with_root_certificates(roots);
    /// weft_reactor::block_on(async {
    ///     // The certificate names "localhost", not "example.com".
    ///     let (a, b) = weft_net::UnixStream::pair()?;
    ///     let (client, _) =
    ///         futures::join!(connector.connect("example.com", a), acceptor.accept(b));
    ///     let err = client.unwrap_err();
    ///     assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    ///     assert!(err.to_string().contains("not valid for name \"example.com\""));
    ///     assert!(err.get_ref().unwrap().is::<rustls::Error>());
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub fn connect<IO>(&self, server_name: &str, io: IO) -> Connect<IO>
    where
        IO: AsyncRead + AsyncWrite + Unpin,
    {
        let handshake = match ServerName::try_from(server_name) {
            Ok(name) => {
                let connector = futures_rustls::TlsConnector::from(self.config.clone());
                Handshake::new(
                    connector.connect(name.to_owned(), io),
                    self.handshake_timeout,
                )
            }
            Err(_) => Handshake::failed(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("invalid tls server name {server_name:?}"),
            )),
        };
        Connect { handshake }
    }
}

impl From<Arc<ClientConfig>> for TlsConnector {
    fn from(config: Arc<ClientConfig>) -> TlsConnector {
        TlsConnector::new(config)
    }
}

impl fmt::Debug for TlsConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsConnector")
            .field("handshake_timeout", &self.handshake_timeout)
            .finish_non_exhaustive()
    }
}

/// The client side of a TLS handshake, from [`TlsConnector::connect`]: resolves to
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
/// # use weft_net::tls::{Connect, TlsAcceptor, TlsConnector};
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
///     let connect: Connect<_> = connector.connect("localhost", a);
///     let (client, server) = futures::join!(connect, acceptor.accept(b));
///     assert!(client?.is_client() && !server?.is_client());
///     Ok(())
/// })
/// # }
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Connect<IO> {
    handshake: Handshake<futures_rustls::Connect<IO>>,
}

impl<IO: AsyncRead + AsyncWrite + Unpin> Future for Connect<IO> {
    type Output = io::Result<TlsStream<IO>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.handshake
            .poll_with(cx, |s| TlsStream::new(futures_rustls::TlsStream::Client(s)))
    }
}

impl<IO> fmt::Debug for Connect<IO> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connect").finish_non_exhaustive()
    }
}
