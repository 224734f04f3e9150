//! A server closed while clients are connected (issue 7's fault): `close_clients`
//! gives each client end of stream after what was queued for it, `abort_clients`
//! resets each (`ConnectionReset`), and either way `wait_closed` returns.

mod stream_support;

use std::io;

use stream_support::*;
use weft_net::{StreamReader, StreamWriter, open_connection, start_server_with};

const CLIENTS: usize = 8;

/// Greets and queues a large blob in one write, without draining (so a client that
/// has the greeting knows the blob is queued), then echoes lines until the end.
async fn handler(mut r: StreamReader, mut w: StreamWriter) {
    w.write(&[&b"hi\n"[..], &pattern(1 << 20)].concat());
    while let Ok(line) = r.readline().await {
        if line.is_empty() {
            return;
        }
        w.write(&line);
    }
}

on_both! {
    fn close_clients_gives_each_client_eof_and_wait_closed_returns(spawn) {
        let server = start_server_with(spawn.clone(), handler, "127.0.0.1:0").await.unwrap();
        let addr = server.local_addrs()[0];
        let mut clients = Vec::new();
        for _ in 0..CLIENTS {
            let (mut r, w) = open_connection(addr).await.unwrap();
            assert_eq!(deadline("greeting", r.readline()).await.unwrap(), b"hi\n");
            clients.push((r, w));
        }
        assert_eq!(server.connections(), CLIENTS);
        server.close();
        server.close_clients();
        for (r, _w) in &mut clients {
            // What was queued arrives, then end of stream.
            let rest = deadline("eof", r.read_to_end()).await.unwrap();
            assert!(rest == pattern(1 << 20), "queued bytes lost: got {} bytes", rest.len());
        }
        deadline("wait_closed", server.wait_closed()).await;
        assert_eq!(server.connections(), 0);
    }
}

on_both! {
    fn abort_clients_resets_each_client_and_wait_closed_returns(spawn) {
        let server = start_server_with(spawn.clone(), handler, "127.0.0.1:0").await.unwrap();
        let addr = server.local_addrs()[0];
        let mut clients = Vec::new();
        for _ in 0..CLIENTS {
            let (mut r, w) = open_connection(addr).await.unwrap();
            assert_eq!(deadline("greeting", r.readline()).await.unwrap(), b"hi\n");
            clients.push((r, w));
        }
        server.close();
        server.abort_clients();
        deadline("wait_closed", server.wait_closed()).await;
        for (r, _w) in &mut clients {
            let err = deadline("reset", async {
                loop {
                    // Some of the blob may have arrived before the reset.
                    match r.read(1 << 16).await {
                        Ok(b) if !b.is_empty() => continue,
                        Ok(_) => panic!("end of stream, not a reset"),
                        Err(e) => return e,
                    }
                }
            })
            .await;
            assert_eq!(err.kind(), io::ErrorKind::ConnectionReset);
        }
    }
}
