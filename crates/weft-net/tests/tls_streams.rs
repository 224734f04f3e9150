//! asyncio's streams over TLS: `open_tls_connection`, and `start_tls` / `accept_tls`
//! upgrading a plain connection, under weft's executor and tokio.
#![cfg(feature = "tls")]

mod tls_support;

use std::io;
use std::pin::pin;

use futures::channel::oneshot;
use tls_support::{localhost, on_tokio, on_weft};
use weft_net::tls::{TlsAcceptor, TlsStreamReader, TlsStreamWriter, open_tls_connection};
use weft_net::{StreamReader, StreamWriter, TcpListener, TcpStream};

/// A TLS server for one connection, made by hand from a listener and an acceptor:
/// it answers each line with the line in upper case, until the client's EOF.
async fn upper_case_server(listener: TcpListener, acceptor: TlsAcceptor) -> io::Result<usize> {
    let (tcp, _) = listener.accept().await?;
    let (read, write) = acceptor.accept(tcp).await?.into_split();
    let (mut reader, mut writer): (TlsStreamReader, TlsStreamWriter) =
        (StreamReader::new(read), StreamWriter::new(write));
    let mut lines = 0;
    loop {
        let line = reader.readline().await.map_err(io::Error::from)?;
        if line.is_empty() {
            break;
        }
        writer.write(&line.to_ascii_uppercase());
        writer.drain().await?;
        lines += 1;
    }
    writer.close();
    writer.wait_closed().await?;
    Ok(lines)
}

async fn open_tls_connection_round_trip() {
    let pki = localhost();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = upper_case_server(listener, pki.acceptor.clone());
    let client = async {
        let (mut reader, mut writer) = open_tls_connection(addr, "localhost", &pki.connector)
            .await
            .expect("open_tls_connection");
        assert_eq!(writer.peer_addr().expect("peer_addr"), addr);
        assert_eq!(
            reader.get_ref().with_stream(|s| s.get_ref().nodelay().ok()),
            Some(true)
        );
        for word in ["alpha\n", "beta\n", "gamma\n"] {
            writer.write(word.as_bytes());
            writer.drain().await.expect("drain");
            let line = reader.readline().await.expect("readline");
            assert_eq!(line, word.to_uppercase().as_bytes());
        }
        // write_eof sends close_notify: the server sees a clean end of stream.
        writer.write_eof();
        writer.drain().await.expect("drain");
        assert_eq!(reader.read_to_end().await.expect("read_to_end"), b"");
        assert!(reader.at_eof());
    };
    let (served, ()) = futures::join!(server, client);
    assert_eq!(served.expect("server"), 3);
}

#[test]
fn open_tls_connection_round_trip_on_weft_executor() {
    on_weft(open_tls_connection_round_trip());
}

#[test]
fn open_tls_connection_round_trip_on_tokio() {
    on_tokio(open_tls_connection_round_trip());
}

#[test]
fn open_tls_connection_with_wrong_name_fails() {
    on_weft(async {
        let pki = localhost();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = upper_case_server(listener, pki.acceptor.clone());
        let client = open_tls_connection(addr, "wrong.example", &pki.connector);
        let (server, client) = futures::join!(server, client);
        let err = client.expect_err("wrong name");
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("wrong.example"), "{err}");
        assert!(server.is_err());
    });
}

#[test]
fn open_tls_connection_to_a_closed_port_is_refused() {
    on_weft(async {
        let pki = localhost();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        drop(listener);
        let err = open_tls_connection(addr, "localhost", &pki.connector)
            .await
            .expect_err("nothing listens");
        assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
    });
}

/// A plain connection as two reader/writer pairs: (client, server).
async fn plain_pairs() -> ((StreamReader, StreamWriter), (StreamReader, StreamWriter)) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let client = TcpStream::connect(listener.local_addr().expect("addr"))
        .await
        .expect("connect");
    let (server, _) = listener.accept().await.expect("accept");
    let (cr, cw) = client.into_split();
    let (sr, sw) = server.into_split();
    (
        (StreamReader::new(cr), StreamWriter::new(cw)),
        (StreamReader::new(sr), StreamWriter::new(sw)),
    )
}

/// SMTP-like STARTTLS: a plain exchange, the upgrade, then encrypted lines both ways.
async fn start_tls_both_ways() {
    let pki = localhost();
    let ((mut cr, mut cw), (mut sr, mut sw)) = plain_pairs().await;
    let client = async {
        cw.write(b"EHLO weft\r\n");
        assert_eq!(cr.readline().await.expect("plain"), b"250 STARTTLS\r\n");
        cw.write(b"STARTTLS\r\n");
        assert_eq!(cr.readline().await.expect("plain"), b"220 go ahead\r\n");
        let (mut cr, mut cw) = cw
            .start_tls(cr, "localhost", &pki.connector)
            .await
            .expect("client upgrade");
        cw.write(b"MAIL FROM:<a@example.com>\r\n");
        cw.drain().await.expect("drain");
        assert_eq!(cr.readline().await.expect("tls"), b"250 ok\r\n");
        cw.close();
        cw.wait_closed().await.expect("close");
        assert_eq!(cr.read_to_end().await.expect("eof"), b"");
    };
    let server = async {
        assert_eq!(sr.readline().await.expect("plain"), b"EHLO weft\r\n");
        sw.write(b"250 STARTTLS\r\n");
        assert_eq!(sr.readline().await.expect("plain"), b"STARTTLS\r\n");
        sw.write(b"220 go ahead\r\n");
        let (mut sr, mut sw) = sw
            .accept_tls(sr, &pki.acceptor)
            .await
            .expect("server upgrade");
        assert_eq!(
            sr.readline().await.expect("tls"),
            b"MAIL FROM:<a@example.com>\r\n"
        );
        sw.write(b"250 ok\r\n");
        sw.drain().await.expect("drain");
        assert_eq!(sr.read_to_end().await.expect("eof"), b"");
        sw.close();
        sw.wait_closed().await.expect("close");
        let sni = sr
            .get_ref()
            .with_stream(|s| s.server_name().map(String::from));
        assert_eq!(sni.as_deref(), Some("localhost"));
    };
    futures::join!(client, server);
}

#[test]
fn start_tls_upgrades_both_ways_on_weft_executor() {
    on_weft(start_tls_both_ways());
}

#[test]
fn start_tls_upgrades_both_ways_on_tokio() {
    on_tokio(start_tls_both_ways());
}

#[test]
fn start_tls_keeps_the_handshake_bytes_the_reader_had_buffered() {
    on_weft(async {
        let pki = localhost();
        let ((cr, mut cw), (mut sr, sw)) = plain_pairs().await;
        let (sent, hello_sent) = oneshot::channel();
        let client = async {
            // The command and the ClientHello go out back to back, before the server
            // has read anything.
            cw.write(b"STARTTLS\r\n");
            let mut upgrade = pin!(cw.start_tls(cr, "localhost", &pki.connector));
            assert!(futures::poll!(upgrade.as_mut()).is_pending());
            sent.send(()).expect("server waits");
            upgrade.await.expect("client upgrade")
        };
        let server = async {
            hello_sent.await.expect("client sent");
            assert_eq!(sr.readline().await.expect("plain"), b"STARTTLS\r\n");
            // The reader read the ClientHello along with the line (0x16: a handshake
            // record); accept_tls must hand it to TLS rather than drop it.
            assert_eq!(sr.buffer().first(), Some(&0x16), "{:?}", sr.buffer());
            sw.accept_tls(sr, &pki.acceptor)
                .await
                .expect("server upgrade")
        };
        let ((mut cr, mut cw), (mut sr, mut sw)) = futures::join!(client, server);
        cw.write(b"ping\n");
        cw.drain().await.expect("drain");
        assert_eq!(sr.readline().await.expect("tls"), b"ping\n");
        sw.write(b"pong\n");
        sw.drain().await.expect("drain");
        assert_eq!(cr.readline().await.expect("tls"), b"pong\n");
    });
}

#[test]
fn start_tls_with_the_roles_reversed() {
    // The side that accepted the TCP connection is the TLS client.
    on_tokio(async {
        let pki = localhost();
        let ((cr, cw), (sr, sw)) = plain_pairs().await;
        let (tls_server, tls_client) = futures::join!(
            cw.accept_tls(cr, &pki.acceptor),
            sw.start_tls(sr, "localhost", &pki.connector),
        );
        let ((mut ar, _aw), (_br, mut bw)) = (
            tls_server.expect("tcp client as tls server"),
            tls_client.expect("tcp server as tls client"),
        );
        bw.write(b"reversed\n");
        bw.drain().await.expect("drain");
        assert_eq!(ar.readline().await.expect("tls"), b"reversed\n");
    });
}

#[test]
fn start_tls_with_an_untrusted_certificate_fails() {
    on_weft(async {
        let pki = localhost();
        let stranger = tls_support::pki("stranger", &["localhost"]);
        let ((cr, cw), (sr, sw)) = plain_pairs().await;
        let (client, server) = futures::join!(
            cw.start_tls(cr, "localhost", &pki.connector),
            sw.accept_tls(sr, &stranger.acceptor),
        );
        let err = client.expect_err("untrusted");
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("UnknownIssuer"), "{err}");
        assert_eq!(
            server.expect_err("refused").kind(),
            io::ErrorKind::InvalidData
        );
    });
}

#[test]
fn start_tls_limit_carries_over() {
    on_weft(async {
        let pki = localhost();
        let ((cr, cw), (sr, sw)) = plain_pairs().await;
        let cr = {
            let (r, buffered) = cr.into_parts();
            assert!(buffered.is_empty());
            StreamReader::with_limit(r, 100)
        };
        let (client, server) = futures::join!(
            cw.start_tls(cr, "localhost", &pki.connector),
            sw.accept_tls(sr, &pki.acceptor),
        );
        let ((mut cr, _cw), (_sr, mut sw)) = (client.expect("client"), server.expect("server"));
        assert_eq!(cr.limit(), 100);
        sw.write(&[b'x'; 300]);
        sw.write(b"\n");
        sw.drain().await.expect("drain");
        let err = cr.readline().await.expect_err("longer than the limit");
        assert!(
            matches!(err, weft_net::ReadError::LimitOverrun(_)),
            "{err:?}"
        );
    });
}
