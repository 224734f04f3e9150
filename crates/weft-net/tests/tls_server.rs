//! `start_tls_server_with`: a TLS server on the plain server's machinery, under
//! weft's executor and tokio; a failed handshake costs only that connection, and
//! `close_clients` / `abort_clients` / `wait_closed` work as for the plain server.
#![cfg(feature = "tls")]

mod tls_support;

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::channel::mpsc;
use futures::{AsyncReadExt, AsyncWriteExt, StreamExt};
use tls_support::{localhost, on_tokio, on_weft};
use weft_net::tls::{
    TlsAcceptor, TlsStreamReader, TlsStreamWriter, open_tls_connection, start_tls_server_with,
};
use weft_net::{Server, Spawn, TcpStream};

type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

fn weft_spawn() -> impl Spawn {
    |f: BoxFuture| weft_executor::spawn(f).detach()
}

fn tokio_spawn() -> impl Spawn {
    |f: BoxFuture| {
        tokio::spawn(f);
    }
}

/// An echo server over TLS that counts the connections its handler saw.
async fn echo_server(spawn: impl Spawn, acceptor: TlsAcceptor) -> (Server, Arc<AtomicUsize>) {
    let seen = Arc::new(AtomicUsize::new(0));
    let handler = {
        let seen = seen.clone();
        move |mut reader: TlsStreamReader, mut writer: TlsStreamWriter| {
            seen.fetch_add(1, Ordering::SeqCst);
            async move {
                while let Ok(line) = reader.readline().await {
                    if line.is_empty() {
                        break;
                    }
                    writer.write(&line);
                    if writer.drain().await.is_err() {
                        break;
                    }
                }
                writer.close();
                let _ = writer.wait_closed().await;
            }
        }
    };
    let server = start_tls_server_with(spawn, handler, "127.0.0.1:0", acceptor)
        .await
        .expect("start_tls_server_with");
    (server, seen)
}

async fn echo_three_clients(spawn: impl Spawn) {
    let pki = localhost();
    let (server, seen) = echo_server(spawn, pki.acceptor.clone()).await;
    let addr = server.local_addrs()[0];
    let clients = (0..3).map(|i| {
        let connector = pki.connector.clone();
        async move {
            let (mut reader, mut writer) = open_tls_connection(addr, "localhost", &connector)
                .await
                .expect("connect");
            let line = format!("client {i}\n");
            writer.write(line.as_bytes());
            writer.drain().await.expect("drain");
            assert_eq!(reader.readline().await.expect("echo"), line.as_bytes());
            writer.write_eof();
            assert_eq!(reader.read_to_end().await.expect("eof"), b"");
        }
    });
    futures::future::join_all(clients).await;
    assert_eq!(seen.load(Ordering::SeqCst), 3);
    server.close();
    server.wait_closed().await;
}

#[test]
fn tls_server_echoes_on_weft_executor() {
    on_weft(echo_three_clients(weft_spawn()));
}

#[test]
fn tls_server_echoes_on_tokio() {
    on_tokio(echo_three_clients(tokio_spawn()));
}

#[test]
fn tls_server_survives_failed_handshakes() {
    on_weft(async {
        let pki = localhost();
        let (server, seen) = echo_server(weft_spawn(), pki.acceptor.clone()).await;
        let addr = server.local_addrs()[0];
        // Each failed handshake is reported to the accept-error handler.
        let (errors_tx, mut errors) = mpsc::unbounded();
        server.set_accept_error_handler(move |e| {
            let _ = errors_tx.unbounded_send(e.kind());
        });

        // A client that does not trust the certificate: it sends an alert.
        let stranger = tls_support::pki("stranger", &["localhost"]);
        let err = open_tls_connection(addr, "localhost", &stranger.connector)
            .await
            .expect_err("untrusted");
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        let reported = errors.next().await.expect("reported");
        assert_eq!(reported, io::ErrorKind::InvalidData);

        // A client that speaks plain text: the server answers with an alert and
        // closes.
        let mut plain = TcpStream::connect(addr).await.expect("connect");
        plain.write_all(b"hello?\n").await.expect("write");
        let mut reply = Vec::new();
        plain
            .read_to_end(&mut reply)
            .await
            .expect("closed by the server");
        assert_eq!(reply.first(), Some(&21), "an alert record: {reply:?}");
        let reported = errors.next().await.expect("reported");
        assert_eq!(reported, io::ErrorKind::InvalidData);

        // A client gone mid-handshake.
        drop(TcpStream::connect(addr).await.expect("connect"));
        let reported = errors.next().await.expect("reported");
        assert_eq!(reported, io::ErrorKind::UnexpectedEof);

        // A good client is still served.
        let (mut reader, mut writer) = open_tls_connection(addr, "localhost", &pki.connector)
            .await
            .expect("connect");
        writer.write(b"still here\n");
        writer.drain().await.expect("drain");
        assert_eq!(reader.readline().await.expect("echo"), b"still here\n");
        assert_eq!(
            seen.load(Ordering::SeqCst),
            1,
            "failed handshakes reach no handler"
        );
    });
}

#[test]
fn tls_server_drops_a_silent_client_after_the_handshake_timeout() {
    on_weft(async {
        let pki = localhost();
        let acceptor = pki
            .acceptor
            .clone()
            .with_handshake_timeout(Duration::from_millis(50));
        let (server, seen) = echo_server(weft_spawn(), acceptor).await;
        let mut silent = TcpStream::connect(server.local_addrs()[0])
            .await
            .expect("connect");
        let mut buf = Vec::new();
        // The server gives up and closes: end of stream, and no handler ran.
        silent
            .read_to_end(&mut buf)
            .await
            .expect("closed by the server");
        assert!(buf.is_empty());
        assert_eq!(seen.load(Ordering::SeqCst), 0);
        server.close();
        server.wait_closed().await;
    });
}

/// A server whose handler reports that it started, then reads until its reads end.
async fn holding_server(
    spawn: impl Spawn,
    acceptor: TlsAcceptor,
) -> (Server, mpsc::UnboundedReceiver<io::Result<Vec<u8>>>) {
    let (started, ended) = mpsc::unbounded();
    let handler = move |mut reader: TlsStreamReader, writer: TlsStreamWriter| {
        let started = started.clone();
        async move {
            let _writer = writer; // held, not closed, until the handler ends
            started.unbounded_send(Ok(Vec::new())).expect("test waits");
            let end = reader.read_to_end().await;
            let _ = started.unbounded_send(end);
        }
    };
    let server = start_tls_server_with(spawn, handler, "127.0.0.1:0", acceptor)
        .await
        .expect("start");
    (server, ended)
}

#[test]
fn tls_server_close_clients_ends_the_connections_and_wait_closed_returns() {
    on_tokio(async {
        let pki = localhost();
        let (server, mut events) = holding_server(tokio_spawn(), pki.acceptor.clone()).await;
        let addr = server.local_addrs()[0];
        let (mut reader, _writer) = open_tls_connection(addr, "localhost", &pki.connector)
            .await
            .expect("connect");
        events
            .next()
            .await
            .expect("handler started")
            .expect("start");
        server.close();
        server.close_clients();
        // The handler's reads end, and the client sees the server's close_notify.
        events
            .next()
            .await
            .expect("handler ended")
            .expect_err("read side shut");
        assert_eq!(reader.read_to_end().await.expect("clean close"), b"");
        server.wait_closed().await;
    });
}

#[test]
fn tls_server_abort_clients_resets_the_connections() {
    on_weft(async {
        let pki = localhost();
        let (server, mut events) = holding_server(weft_spawn(), pki.acceptor.clone()).await;
        let addr = server.local_addrs()[0];
        let (mut reader, _writer) = open_tls_connection(addr, "localhost", &pki.connector)
            .await
            .expect("connect");
        events
            .next()
            .await
            .expect("handler started")
            .expect("start");
        server.close();
        server.abort_clients();
        server.wait_closed().await;
        // No close_notify: the client's read fails (a reset, or an end without
        // close_notify), rather than ending cleanly.
        let err = reader.read_to_end().await.expect_err("reset");
        assert!(
            matches!(
                err.kind(),
                io::ErrorKind::ConnectionReset | io::ErrorKind::UnexpectedEof
            ),
            "{err:?}"
        );
    });
}

#[test]
fn tls_server_handler_knows_its_peer() {
    on_weft(async {
        let pki = localhost();
        let (tx, mut rx) = mpsc::unbounded();
        let handler = move |reader: TlsStreamReader, writer: TlsStreamWriter| {
            let tx = tx.clone();
            async move {
                let peer = writer.peer_addr().expect("peer_addr");
                let sni = reader
                    .get_ref()
                    .with_stream(|s| s.server_name().map(String::from));
                tx.unbounded_send((peer, sni)).expect("test waits");
            }
        };
        let server = start_tls_server_with(weft_spawn(), handler, "127.0.0.1:0", pki.acceptor)
            .await
            .expect("start");
        let (_reader, writer) =
            open_tls_connection(server.local_addrs()[0], "localhost", &pki.connector)
                .await
                .expect("connect");
        let (peer, sni) = rx.next().await.expect("handler ran");
        assert_eq!(peer, writer.local_addr().expect("local_addr"));
        assert_eq!(sni.as_deref(), Some("localhost"));
    });
}
