//! `start_tls_server_with`: asyncio's `start_server(..., ssl=...)`, on the plain
//! server's accept loop.

use std::future::Future;
use std::io;
use std::net::Shutdown;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use super::{ReadHalf, TlsAcceptor, TlsStreamReader, TlsStreamWriter, WriteHalf};
use crate::server::{Accept, Connection, Server, Spawn, bind_tcp, serve_listeners};
use crate::{TcpListener, TcpStream, ToSocketAddrs};

/// Starts a TLS server on `addr`: asyncio's `start_server(handler, host, port,
/// ssl=ctx)`, with the executor's spawn passed in as for
/// [`start_server_with`](crate::start_server_with).
///
/// Each accepted connection gets a task of its own (through `spawn`), which runs the
/// TLS handshake (bounded by the acceptor's handshake timeout) and then
/// `handler(reader, writer)`. A connection whose handshake fails (a client that
/// does not trust the certificate, speaks plain text, or says nothing until the
/// timeout) is closed without reaching the handler, and its error goes to the
/// server's [accept-error handler](Server::set_accept_error_handler); the server goes
/// on. The
/// [`Server`] is the plain server's: `close`, `close_clients`, `abort_clients` and
/// `wait_closed` work the same, and a connection still in its handshake is simply
/// dropped by `close_clients`.
///
/// # Errors
///
/// As [`start_server_with`](crate::start_server_with): the address cannot be resolved
/// or bound.
///
/// # Cancel safety
///
/// Cancel safe: until it returns, nothing is listening; a cancelled call leaves no
/// server behind.
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
///     let greet = |_reader, mut writer: weft_net::tls::TlsStreamWriter| async move {
///         writer.write(b"hello over tls\n");
///         writer.close();
///         let _ = writer.wait_closed().await;
///     };
///     let server = start_tls_server_with(spawn, greet, "127.0.0.1:0", acceptor).await?;
///     let addr = server.local_addrs()[0];
///
///     let (mut reader, _writer) = open_tls_connection(addr, "localhost", &connector).await?;
///     assert_eq!(reader.readline().await?, b"hello over tls\n");
///
///     server.close();
///     server.wait_closed().await;
///     Ok(())
/// })
/// # }
/// ```
pub async fn start_tls_server_with<S, H, Fut>(
    spawn: S,
    handler: H,
    addr: impl ToSocketAddrs,
    acceptor: TlsAcceptor,
) -> io::Result<Server>
where
    S: Spawn,
    H: Fn(TlsStreamReader, TlsStreamWriter) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listeners = bind_tcp(addr).await?;
    let addrs = listeners
        .iter()
        .map(TcpListener::local_addr)
        .collect::<io::Result<Vec<_>>>()?;
    let listeners = listeners
        .into_iter()
        .map(|tcp| TlsListener {
            tcp,
            acceptor: acceptor.clone(),
        })
        .collect();
    Ok(serve_listeners(spawn, handler, listeners, addrs))
}

/// A TCP listener whose connections are TLS servers.
pub(crate) struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
}

/// An accepted TCP connection, before its handshake.
pub(crate) struct TlsConn {
    tcp: TcpStream,
    acceptor: TlsAcceptor,
}

impl Accept for TlsListener {
    type Conn = TlsConn;

    fn poll_accept(&self, cx: &mut Context<'_>) -> Poll<io::Result<TlsConn>> {
        self.tcp.poll_accept(cx).map_ok(|(tcp, _)| TlsConn {
            tcp,
            acceptor: self.acceptor.clone(),
        })
    }
}

impl Connection for TlsConn {
    type Read = ReadHalf<TcpStream>;
    type Write = WriteHalf<TcpStream>;

    fn into_halves(
        self,
    ) -> Pin<Box<dyn Future<Output = io::Result<(Self::Read, Self::Write)>> + Send>> {
        Box::pin(async move {
            self.tcp.set_nodelay(true)?;
            let tls = self.acceptor.accept(self.tcp).await?;
            Ok(tls.into_split())
        })
    }

    fn shutdown_read(w: &Self::Write) {
        // The handler's reads end; over TLS without the peer's close_notify, so
        // they end with `UnexpectedEof`.
        w.with_stream(|s| {
            let _ = s.get_ref().shutdown(Shutdown::Read);
        });
    }

    fn reset(w: Self::Write) {
        // With a zero linger time, the last close sends RST instead of FIN; the half
        // goes without its close_notify.
        w.with_stream(|s| {
            let _ = s.get_ref().set_linger(Some(Duration::ZERO));
        });
        w.abandon();
    }
}
