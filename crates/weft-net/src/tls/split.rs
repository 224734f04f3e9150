//! `ReadHalf` and `WriteHalf`: a `TlsStream` split for a reader and a writer.

use std::error::Error;
use std::fmt;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

use futures_io::{AsyncRead, AsyncWrite};

use super::TlsStream;

type Shared<IO> = Mutex<TlsStream<IO>>;

pub(super) fn split<IO: AsyncRead + AsyncWrite + Unpin>(
    stream: TlsStream<IO>,
) -> (ReadHalf<IO>, WriteHalf<IO>) {
    let shared = Arc::new(Mutex::new(stream));
    let read = ReadHalf {
        shared: shared.clone(),
    };
    let write = WriteHalf {
        shared,
        close_on_drop: Some(close_now::<IO>),
    };
    (read, write)
}

fn lock<IO>(shared: &Shared<IO>) -> MutexGuard<'_, TlsStream<IO>> {
    // A panic inside a poll leaves the session as rustls left it; the next call
    // reports whatever error that state holds.
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Queues `close_notify` and tries once, without waiting, to send it and close the
/// transport's write side.
fn close_now<IO: AsyncRead + AsyncWrite + Unpin>(shared: &Shared<IO>) {
    let mut cx = Context::from_waker(Waker::noop());
    let _ = Pin::new(&mut *lock(shared)).poll_close(&mut cx);
}

/// The reading half of a [`TlsStream`], from [`TlsStream::into_split`].
///
/// It implements `futures-io`'s [`AsyncRead`]: wrap it in a
/// [`StreamReader`](crate::StreamReader).
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
///     let (mut rd, _wr) = client?.into_split();
///     let mut server = server?;
///     server.write_all(b"hi").await?;
///     server.close().await?;
///     let mut got = String::new();
///     rd.read_to_string(&mut got).await?;
///     assert_eq!(got, "hi");
///     Ok(())
/// })
/// # }
/// ```
pub struct ReadHalf<IO> {
    shared: Arc<Shared<IO>>,
}

/// The writing half of a [`TlsStream`], from [`TlsStream::into_split`].
///
/// It implements `futures-io`'s [`AsyncWrite`]: wrap it in a
/// [`StreamWriter`](crate::StreamWriter). `poll_close` sends `close_notify` and
/// closes the transport's write side; dropping the half does the same as far as it
/// can without waiting (one attempt to send).
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
///     let (_rd, mut wr) = client?.into_split();
///     wr.write_all(b"bye").await?;
///     drop(wr); // close_notify, then EOF
///     let mut got = Vec::new();
///     server?.read_to_end(&mut got).await?;
///     assert_eq!(got, b"bye");
///     Ok(())
/// })
/// # }
/// ```
pub struct WriteHalf<IO> {
    shared: Arc<Shared<IO>>,
    /// What dropping the half does (`close_now`); `None` once reunited.
    close_on_drop: Option<fn(&Shared<IO>)>,
}

impl<IO> ReadHalf<IO> {
    /// Puts the two halves of one stream back together.
    ///
    /// # Errors
    ///
    /// [`ReuniteError`], carrying both halves back, when they come from different
    /// streams.
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
    ///     let (crd, cwr) = client?.into_split();
    ///     let (srd, swr) = server?.into_split();
    ///     let err = crd.reunite(swr).unwrap_err(); // not a pair
    ///     let (crd, swr) = (err.0, err.1);
    ///     assert!(crd.reunite(cwr).unwrap().is_client());
    ///     assert!(!srd.reunite(swr).unwrap().is_client());
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub fn reunite(self, mut other: WriteHalf<IO>) -> Result<TlsStream<IO>, ReuniteError<IO>> {
        if !Arc::ptr_eq(&self.shared, &other.shared) {
            return Err(ReuniteError(self, other));
        }
        other.close_on_drop = None;
        drop(other);
        let mutex = Arc::into_inner(self.shared).expect("the two halves were the only owners");
        Ok(mutex.into_inner().unwrap_or_else(PoisonError::into_inner))
    }

    /// Calls `f` with the stream, locked: to read the session's state (ALPN, peer
    /// certificates) or the transport's (addresses).
    ///
    /// The write half is blocked while `f` runs; keep it short.
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
    ///     let (_client, server) =
    ///         futures::join!(connector.connect("localhost", a), acceptor.accept(b));
    ///     let (rd, _wr) = server?.into_split();
    ///     let sni = rd.with_stream(|s| s.server_name().map(str::to_owned));
    ///     assert_eq!(sni.as_deref(), Some("localhost"));
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub fn with_stream<T>(&self, f: impl FnOnce(&TlsStream<IO>) -> T) -> T {
        f(&lock(&self.shared))
    }
}

impl<IO> WriteHalf<IO> {
    /// Calls `f` with the stream, locked: to read the session's state (ALPN, peer
    /// certificates) or the transport's (addresses).
    ///
    /// The read half is blocked while `f` runs; keep it short.
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
    ///     let (_rd, wr) = client?.into_split();
    ///     assert!(wr.with_stream(|s| s.protocol_version()).is_some());
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub fn with_stream<T>(&self, f: impl FnOnce(&TlsStream<IO>) -> T) -> T {
        f(&lock(&self.shared))
    }
}

impl<IO> WriteHalf<IO> {
    /// Drops the half without the close that dropping does: for a server aborting
    /// the connection, which resets it rather than closing it.
    pub(crate) fn abandon(mut self) {
        self.close_on_drop = None;
    }
}

impl<IO> Drop for WriteHalf<IO> {
    fn drop(&mut self) {
        if let Some(close) = self.close_on_drop.take() {
            close(&self.shared);
        }
    }
}

impl<IO: AsyncRead + AsyncWrite + Unpin> AsyncRead for ReadHalf<IO> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut *lock(&self.shared)).poll_read(cx, buf)
    }
}

impl<IO: AsyncRead + AsyncWrite + Unpin> AsyncWrite for WriteHalf<IO> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut *lock(&self.shared)).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut *lock(&self.shared)).poll_write_vectored(cx, bufs)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *lock(&self.shared)).poll_flush(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *lock(&self.shared)).poll_close(cx)
    }
}

impl<IO> fmt::Debug for ReadHalf<IO> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadHalf").finish_non_exhaustive()
    }
}

impl<IO> fmt::Debug for WriteHalf<IO> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WriteHalf").finish_non_exhaustive()
    }
}

/// [`ReadHalf::reunite`] was given halves of two different streams; both come back.
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
///     let (crd, _cwr) = client?.into_split();
///     let (_srd, swr) = server?.into_split();
///     let err = crd.reunite(swr).unwrap_err();
///     assert_eq!(err.to_string(), "tried to reunite halves of different tls streams");
///     Ok(())
/// })
/// # }
/// ```
pub struct ReuniteError<IO>(pub ReadHalf<IO>, pub WriteHalf<IO>);

impl<IO> fmt::Debug for ReuniteError<IO> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ReuniteError").finish_non_exhaustive()
    }
}

impl<IO> fmt::Display for ReuniteError<IO> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("tried to reunite halves of different tls streams")
    }
}

impl<IO> Error for ReuniteError<IO> {}
