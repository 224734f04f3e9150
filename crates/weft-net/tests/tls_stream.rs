//! `TlsConnector` / `TlsAcceptor` / `TlsStream` over weft's TCP sockets, under
//! weft's executor and tokio: the round trip, the halves, and each way a handshake
//! or a session can fail.
#![cfg(feature = "tls")]

mod tls_support;

use std::io;
use std::time::Duration;

use futures::{AsyncReadExt, AsyncWriteExt};
use tls_support::{Pki, localhost, on_tokio, on_weft, pki};
use weft_net::tls::rustls::{self, CertificateError, ProtocolVersion, RootCertStore};
use weft_net::tls::{TlsConnector, TlsStream};
use weft_net::{TcpListener, TcpStream};

/// A connected pair of TCP sockets on loopback.
async fn tcp_pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let client = TcpStream::connect(listener.local_addr().expect("addr"))
        .await
        .expect("connect");
    let (server, _) = listener.accept().await.expect("accept");
    (client, server)
}

/// Both sides of a handshake over a fresh TCP pair, as `connector` and `pki`'s
/// acceptor see it.
async fn handshake(
    pki: &Pki,
    connector: &TlsConnector,
    name: &str,
) -> (
    io::Result<TlsStream<TcpStream>>,
    io::Result<TlsStream<TcpStream>>,
) {
    let (client, server) = tcp_pair().await;
    futures::join!(connector.connect(name, client), pki.acceptor.accept(server))
}

/// 1 MiB each way at once (more than the socket buffers hold, so both sides must
/// read while writing), then close_notify both ways.
async fn round_trip() {
    let pki = localhost();
    let (client, server) = handshake(&pki, &pki.connector, "localhost").await;
    let (client, server) = (client.expect("client"), server.expect("server"));
    assert_eq!(client.protocol_version(), Some(ProtocolVersion::TLSv1_3));
    assert_eq!(client.peer_certificates(), Some(&[pki.cert.clone()][..]));
    assert_eq!(server.server_name(), Some("localhost"));

    let data: Vec<u8> = (0..1 << 20).map(|i| (i % 251) as u8).collect();
    let echo = async move {
        // The server echoes everything until the client's close_notify.
        let (mut rd, mut wr) = server.into_split();
        let copied = futures::io::copy(&mut rd, &mut wr).await.expect("echo");
        wr.close().await.expect("server close");
        copied
    };
    let talk = async {
        let (mut rd, mut wr) = client.into_split();
        let send = async {
            wr.write_all(&data).await.expect("write");
            wr.close().await.expect("client close");
        };
        let mut got = Vec::new();
        let recv = rd.read_to_end(&mut got);
        let ((), n) = futures::join!(send, recv);
        assert_eq!(n.expect("read"), data.len());
        (got, rd.reunite(wr).expect("reunite"))
    };
    let (copied, (got, client)) = futures::join!(echo, talk);
    assert_eq!(copied, data.len() as u64);
    assert!(got == data, "the echo differs from what was sent");
    assert!(client.is_client());
}

#[test]
fn round_trip_on_weft_executor() {
    on_weft(round_trip());
}

#[test]
fn round_trip_on_tokio() {
    on_tokio(round_trip());
}

#[test]
fn round_trip_on_futures_executor() {
    futures::executor::block_on(round_trip());
}

async fn wrong_server_name() {
    let pki = localhost();
    let (client, server) = handshake(&pki, &pki.connector, "wrong.example").await;
    let err = client.expect_err("the certificate does not name wrong.example");
    assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    let message = err.to_string();
    assert!(
        message.contains("not valid for name \"wrong.example\"") && message.contains("localhost"),
        "unclear error: {message}"
    );
    let inner = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<rustls::Error>());
    assert!(
        matches!(
            inner,
            Some(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForNameContext { .. }
            ))
        ),
        "{inner:?}"
    );
    // The server hears why: the client's bad_certificate alert.
    let err = server.expect_err("the client refused the certificate");
    assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    assert!(err.to_string().contains("BadCertificate"), "{err}");
}

#[test]
fn wrong_server_name_fails_with_clear_error() {
    on_weft(wrong_server_name());
}

#[test]
fn wrong_server_name_fails_with_clear_error_on_tokio() {
    on_tokio(wrong_server_name());
}

async fn untrusted(connector: TlsConnector) {
    let pki = localhost();
    let (client, server) = handshake(&pki, &connector, "localhost").await;
    let err = client.expect_err("the certificate is not trusted");
    assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    let inner = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<rustls::Error>());
    assert_eq!(
        inner,
        Some(&rustls::Error::InvalidCertificate(
            CertificateError::UnknownIssuer
        )),
        "{err}"
    );
    assert!(err.to_string().contains("UnknownIssuer"), "{err}");
    assert!(server.is_err());
}

#[test]
fn untrusted_certificate_fails() {
    // The client trusts another identity's certificate, not the server's.
    on_weft(untrusted(pki("elsewhere", &["localhost"]).connector));
}

#[test]
fn untrusted_certificate_fails_with_no_roots() {
    on_tokio(untrusted(TlsConnector::with_root_certificates(
        RootCertStore::empty(),
    )));
}

#[test]
fn invalid_server_name_is_invalid_input() {
    on_weft(async {
        let pki = localhost();
        let (client, _server) = tcp_pair().await;
        let err = pki
            .connector
            .connect("not a name!", client)
            .await
            .expect_err("spaces are not allowed in a name");
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(err.to_string(), "invalid tls server name \"not a name!\"");
    });
}

#[test]
fn ip_address_server_name_is_checked_against_the_certificate() {
    on_weft(async {
        let pki = localhost(); // names 127.0.0.1 too
        let (client, server) = handshake(&pki, &pki.connector, "127.0.0.1").await;
        assert!(client.is_ok() && server.is_ok());
        // No SNI is sent for an address.
        assert_eq!(server.expect("server").server_name(), None);
        let (client, _server) = handshake(&pki, &pki.connector, "127.0.0.2").await;
        assert_eq!(
            client.expect_err("wrong address").kind(),
            io::ErrorKind::InvalidData
        );
    });
}

#[test]
fn plain_text_client_to_tls_server_fails() {
    on_weft(async {
        let pki = localhost();
        let (mut client, server) = tcp_pair().await;
        client
            .write_all(b"GET / HTTP/1.1\r\nhost: localhost\r\n\r\n")
            .await
            .expect("write");
        let err = pki.acceptor.accept(server).await.expect_err("not tls");
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        // The server answered with an alert and the session is over: the client reads
        // the alert record (starting with content type 21), then EOF.
        let mut reply = Vec::new();
        client.read_to_end(&mut reply).await.expect("read");
        assert_eq!(reply.first(), Some(&21), "{reply:?}");
    });
}

#[test]
fn silent_client_hits_the_handshake_timeout() {
    on_weft(async {
        let pki = localhost();
        let acceptor = pki
            .acceptor
            .clone()
            .with_handshake_timeout(Duration::from_millis(50));
        // The client connects and never sends a ClientHello.
        let (_client, server) = tcp_pair().await;
        let err = acceptor.accept(server).await.expect_err("timed out");
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(err.to_string().contains("tls handshake timed out"), "{err}");
    });
}

#[test]
fn client_gone_mid_handshake_is_unexpected_eof() {
    on_tokio(async {
        let pki = localhost();
        let (client, server) = tcp_pair().await;
        drop(client);
        let err = pki.acceptor.accept(server).await.expect_err("eof");
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    });
}

#[test]
fn truncation_without_close_notify_is_unexpected_eof() {
    on_weft(async {
        let pki = localhost();
        let (client, server) = handshake(&pki, &pki.connector, "localhost").await;
        let (mut client, mut server) = (client.expect("client"), server.expect("server"));
        client.write_all(b"partial").await.expect("write");
        client.flush().await.expect("flush");
        // The transport ends without TLS's close_notify: an attacker cutting the
        // connection, or a peer that crashed.
        client
            .get_mut()
            .shutdown(std::net::Shutdown::Write)
            .expect("shutdown");
        let mut got = Vec::new();
        let err = server.read_to_end(&mut got).await.expect_err("truncated");
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert_eq!(got, b"partial", "the bytes before the cut are kept");
    });
}

#[test]
fn dropping_the_write_half_sends_close_notify() {
    on_weft(async {
        let pki = localhost();
        let (client, server) = handshake(&pki, &pki.connector, "localhost").await;
        let (mut server, (rd, mut wr)) = (
            server.expect("server"),
            client.expect("client").into_split(),
        );
        wr.write_all(b"last words").await.expect("write");
        drop(wr);
        let mut got = Vec::new();
        // A clean end (Ok), not UnexpectedEof: close_notify arrived.
        server.read_to_end(&mut got).await.expect("clean close");
        assert_eq!(got, b"last words");
        // The read half still works after the write half is gone.
        server.write_all(b"reply").await.expect("write");
        server.close().await.expect("close");
        let mut rd = rd;
        let mut reply = Vec::new();
        rd.read_to_end(&mut reply).await.expect("read");
        assert_eq!(reply, b"reply");
    });
}

#[test]
fn reuniting_halves_of_different_streams_gives_them_back() {
    on_weft(async {
        let pki = localhost();
        let (c1, _s1) = handshake(&pki, &pki.connector, "localhost").await;
        let (c2, _s2) = handshake(&pki, &pki.connector, "localhost").await;
        let (r1, w1) = c1.expect("c1").into_split();
        let (r2, w2) = c2.expect("c2").into_split();
        let err = r1.reunite(w2).expect_err("different streams");
        assert_eq!(
            err.to_string(),
            "tried to reunite halves of different tls streams"
        );
        let (r1, w2) = (err.0, err.1);
        assert!(r1.reunite(w1).is_ok());
        assert!(r2.reunite(w2).is_ok());
    });
}

#[test]
fn alpn_is_negotiated_from_the_configs() {
    on_weft(async {
        let pki = localhost();
        let mut server_config = (**pki.acceptor.config()).clone();
        server_config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        let acceptor = weft_net::tls::TlsAcceptor::new(server_config.into());
        let mut client_config = (**pki.connector.config()).clone();
        client_config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let connector = TlsConnector::new(client_config.into());
        let (client, server) = tcp_pair().await;
        let (client, server) = futures::join!(
            connector.connect("localhost", client),
            acceptor.accept(server)
        );
        assert_eq!(
            client.expect("client").alpn_protocol(),
            Some(&b"http/1.1"[..])
        );
        assert_eq!(
            server.expect("server").alpn_protocol(),
            Some(&b"http/1.1"[..])
        );
    });
}

#[test]
fn tls12_only_server_still_connects() {
    on_weft(async {
        let pki = localhost();
        let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
        let resolver = pki.acceptor.config().cert_resolver.clone();
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS12])
            .expect("tls 1.2")
            .with_no_client_auth()
            .with_cert_resolver(resolver);
        let acceptor = weft_net::tls::TlsAcceptor::new(config.into());
        let (client, server) = tcp_pair().await;
        let (client, server) = futures::join!(
            pki.connector.connect("localhost", client),
            acceptor.accept(server)
        );
        let (mut client, mut server) = (client.expect("client"), server.expect("server"));
        assert_eq!(client.protocol_version(), Some(ProtocolVersion::TLSv1_2));
        client.write_all(b"old but fine").await.expect("write");
        client.close().await.expect("close");
        let mut got = Vec::new();
        server.read_to_end(&mut got).await.expect("read");
        assert_eq!(got, b"old but fine");
    });
}
