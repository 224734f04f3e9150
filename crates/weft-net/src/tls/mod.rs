//! TLS for weft's streams (feature `tls`): asyncio's `ssl=` argument and
//! `start_tls`.
//!
//! - A [`TlsConnector`] (client side) or a [`TlsAcceptor`] (server side) runs a TLS
//!   handshake over any transport that implements the `futures-io` traits (a
//!   [`TcpStream`](crate::TcpStream), a [`UnixStream`](crate::UnixStream), a pipe
//!   pair) and yields a [`TlsStream`], which implements them too.
//! - asyncio's streams over TLS: [`open_tls_connection`] (asyncio's
//!   `open_connection(..., ssl=ctx)`), [`start_tls_server_with`] (asyncio's
//!   `start_server(..., ssl=ctx)`), and [`StreamWriter::start_tls`] /
//!   [`StreamWriter::accept_tls`], which upgrade a plain connection in place
//!   (STARTTLS). [`TlsStreamReader`] and [`TlsStreamWriter`] name the stream types
//!   they yield.
//!
//! [`StreamWriter::start_tls`]: crate::StreamWriter::start_tls
//! [`StreamWriter::accept_tls`]: crate::StreamWriter::accept_tls
//!
//! # Implementation
//!
//! [rustls] does the TLS (on its `ring` crypto provider, TLS 1.2 and 1.3) and
//! [futures-rustls](https://docs.rs/futures-rustls) drives it over `futures-io`
//! transports; this module wraps them in weft's types, adds a handshake timeout (60
//! seconds by default, as asyncio's `ssl_handshake_timeout`), and splits a session
//! into a [`ReadHalf`] and a [`WriteHalf`] that share it behind a mutex held only
//! inside each poll. The handshake runs inside the future that awaits it, so it works
//! under any executor. Configurations are rustls's own: [`rustls`] is re-exported so
//! they are built with the version weft uses.
//!
//! # Examples
//!
//! ```
//! use futures::{AsyncReadExt, AsyncWriteExt};
//! use weft_net::tls::{TlsAcceptor, TlsConnector};
//! use weft_net::tls::rustls::{RootCertStore, pki_types::PrivateKeyDer};
//! use weft_net::{TcpListener, TcpStream};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // A self-signed certificate for "localhost", trusted by the client.
//! let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
//! let key = PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
//! let acceptor = TlsAcceptor::with_single_cert(vec![ck.cert.der().clone()], key)?;
//! let mut roots = RootCertStore::empty();
//! roots.add(ck.cert.der().clone())?;
//! let connector = TlsConnector::with_root_certificates(roots);
//!
//! weft_reactor::block_on(async {
//!     let listener = TcpListener::bind("127.0.0.1:0").await?;
//!     let tcp = TcpStream::connect(listener.local_addr()?).await?;
//!     let (server_tcp, _) = listener.accept().await?;
//!     let (client, server) = futures::join!(
//!         connector.connect("localhost", tcp),
//!         acceptor.accept(server_tcp),
//!     );
//!     let (mut client, mut server) = (client?, server?);
//!
//!     client.write_all(b"secret").await?;
//!     client.flush().await?;
//!     let mut buf = [0; 6];
//!     server.read_exact(&mut buf).await?;
//!     assert_eq!(&buf, b"secret");
//!     Ok(())
//! })
//! # }
//! ```

mod acceptor;
mod connector;
mod endpoints;
mod handshake;
mod joined;
mod open;
mod server;
mod split;
mod stream;
mod upgrade;

pub use rustls;

pub use acceptor::{Accept, TlsAcceptor};
pub use connector::{Connect, TlsConnector};
pub use joined::Joined;
pub use open::{TlsStreamReader, TlsStreamWriter, open_tls_connection};
pub use server::start_tls_server_with;
pub use split::{ReadHalf, ReuniteError, WriteHalf};
pub use stream::TlsStream;
