//! Servers: serving many clients, `close`, `wait_closed`, `serve_forever`, the
//! handle's drop, panicking handlers, Unix servers, and `open_connection`.

mod stream_support;

use std::io;
use std::sync::Arc;
use std::task::Poll;

use futures::channel::oneshot;
use stream_support::*;
use weft_net::{Server, StreamReader, StreamWriter, open_connection, start_server_with};

/// Echoes lines until end of stream.
async fn echo(mut r: StreamReader, mut w: StreamWriter) {
    while let Ok(line) = r.readline().await {
        if line.is_empty() {
            return;
        }
        w.write(&line);
        if w.drain().await.is_err() {
            return;
        }
    }
}

async fn round_trip(r: &mut StreamReader, w: &mut StreamWriter, line: &[u8]) -> Vec<u8> {
    w.write(line);
    deadline("echo", r.readline()).await.unwrap()
}

on_both! {
    fn an_echo_server_serves_many_clients_at_once(spawn) {
        let server = start_server_with(spawn.clone(), echo, "127.0.0.1:0").await.unwrap();
        let addr = server.local_addrs()[0];
        let clients = (0..100).map(|i| async move {
            let (mut r, mut w) = open_connection(addr).await.unwrap();
            for j in 0..10 {
                let line = format!("client {i} line {j}\n");
                assert_eq!(round_trip(&mut r, &mut w, line.as_bytes()).await, line.as_bytes());
            }
        });
        deadline("clients", weft_util::gather_all(clients)).await;
        server.close();
        deadline("wait_closed", server.wait_closed()).await;
        assert_eq!(server.connections(), 0);
    }
}

on_both! {
    fn close_refuses_new_connections_and_keeps_serving_the_old_ones(spawn) {
        let server = start_server_with(spawn.clone(), echo, "127.0.0.1:0").await.unwrap();
        let addr = server.local_addrs()[0];
        let (mut r, mut w) = open_connection(addr).await.unwrap();
        assert_eq!(round_trip(&mut r, &mut w, b"before\n").await, b"before\n");
        server.close();
        assert!(!server.is_serving());
        let refused = open_connection(addr).await.unwrap_err();
        assert_eq!(refused.kind(), io::ErrorKind::ConnectionRefused);
        assert_eq!(round_trip(&mut r, &mut w, b"after\n").await, b"after\n");
        drop((r, w)); // the handler reads end of stream and returns
        deadline("wait_closed", server.wait_closed()).await;
    }
}

on_both! {
    /// `wait_closed` returns only once every handler has returned.
    fn wait_closed_waits_for_every_handler(spawn) {
        let (release_tx, release_rx) = oneshot::channel::<()>();
        let release_rx = Arc::new(std::sync::Mutex::new(Some(release_rx)));
        let handler = move |_r: StreamReader, mut w: StreamWriter| {
            let rx = release_rx.lock().unwrap().take();
            async move {
                w.write(b"in\n");
                if let Some(rx) = rx {
                    let _ = rx.await;
                }
            }
        };
        let server = start_server_with(spawn.clone(), handler, "127.0.0.1:0").await.unwrap();
        let (mut r, _w) = open_connection(server.local_addrs()[0]).await.unwrap();
        assert_eq!(deadline("greeting", r.readline()).await.unwrap(), b"in\n");
        server.close();
        let mut closed = server.wait_closed();
        assert!(poll_once(&mut closed).is_pending(), "a handler is still running");
        release_tx.send(()).unwrap();
        deadline("wait_closed", closed).await;
        assert_eq!(server.connections(), 0);
    }
}

on_both! {
    fn serve_forever_returns_when_another_task_closes_the_server(spawn) {
        let server = start_server_with(spawn.clone(), echo, "127.0.0.1:0").await.unwrap();
        let closer = server.clone();
        let (tx, rx) = oneshot::channel::<()>();
        weft_net::Spawn::spawn(&spawn, Box::pin(async move {
            let _ = rx.await;
            closer.close();
        }));
        let mut forever = server.serve_forever();
        assert!(poll_once(&mut forever).is_pending());
        tx.send(()).unwrap();
        deadline("serve_forever", forever).await.unwrap();
        assert!(!server.is_serving());
        let Poll::Ready(Err(e)) = poll_once(&mut server.serve_forever()) else {
            panic!("serve_forever on a closed server")
        };
        assert_eq!(e.kind(), io::ErrorKind::NotConnected);
    }
}

on_both! {
    /// Cancelling `serve_forever` closes the server, as in asyncio.
    fn a_dropped_serve_forever_closes_the_server(spawn) {
        let server = start_server_with(spawn.clone(), echo, "127.0.0.1:0").await.unwrap();
        let cut = weft_util::timeout(std::time::Duration::from_millis(1), server.serve_forever()).await;
        assert!(cut.is_err());
        assert!(!server.is_serving());
        deadline("wait_closed", server.wait_closed()).await;
    }
}

on_both! {
    /// Dropping the last handle closes the server (asyncio's `async with server`).
    fn dropping_the_last_handle_closes_the_server(spawn) {
        let server = start_server_with(spawn.clone(), echo, "127.0.0.1:0").await.unwrap();
        let addr = server.local_addrs()[0];
        let other: Server = server.clone();
        drop(server);
        assert!(other.is_serving(), "a clone still holds it");
        drop(other);
        let refused = open_connection(addr).await.unwrap_err();
        assert_eq!(refused.kind(), io::ErrorKind::ConnectionRefused);
    }
}

on_both! {
    /// A handler that panics takes down its own connection only.
    fn a_panicking_handler_ends_only_its_connection(spawn) {
        let handler = |mut r: StreamReader, mut w: StreamWriter| async move {
            loop {
                let line = r.readline().await.unwrap();
                assert!(line != b"panic\n", "the handler panics, as asked");
                if line.is_empty() {
                    return;
                }
                w.write(&line);
            }
        };
        let server = start_server_with(spawn.clone(), handler, "127.0.0.1:0").await.unwrap();
        let addr = server.local_addrs()[0];
        let (mut r1, mut w1) = open_connection(addr).await.unwrap();
        let (mut r2, mut w2) = open_connection(addr).await.unwrap();
        assert_eq!(round_trip(&mut r1, &mut w1, b"one\n").await, b"one\n");
        w2.write(b"panic\n");
        // The connection of the panicked handler closes...
        assert!(deadline("eof", r2.read_to_end()).await.unwrap().is_empty());
        // ...the other goes on, and the server can still be closed and waited for.
        assert_eq!(round_trip(&mut r1, &mut w1, b"two\n").await, b"two\n");
        server.close();
        drop((r1, w1));
        deadline("wait_closed", server.wait_closed()).await;
    }
}

on_both! {
    fn a_unix_server_serves_and_removes_its_socket_file(spawn) {
        let path = std::env::temp_dir().join(format!(
            "weft-net-server-test-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        // A stale socket file from an earlier run is replaced.
        drop(std::os::unix::net::UnixListener::bind(&path).unwrap());
        assert!(path.exists());
        let handler = |mut r: StreamReader<_>, mut w: StreamWriter<_>| async move {
            let line = r.readline().await.unwrap_or_default();
            w.write(&line);
        };
        let server = weft_net::start_unix_server_with(spawn.clone(), handler, &path).await.unwrap();
        assert_eq!(server.local_unix_addrs()[0].as_pathname(), Some(path.as_path()));
        let (mut r, mut w) = weft_net::open_unix_connection(&path).await.unwrap();
        w.write(b"over unix\n");
        assert_eq!(deadline("echo", r.readline()).await.unwrap(), b"over unix\n");
        server.close();
        assert!(!path.exists(), "the socket file is removed at close");
        deadline("wait_closed", server.wait_closed()).await;
    }
}

on_both! {
    /// A name that resolves to several addresses gets a listener on each.
    fn a_server_listens_on_every_address_of_a_name(spawn) {
        let server = start_server_with(spawn.clone(), echo, "localhost:0").await.unwrap();
        let addrs = server.local_addrs();
        assert!(!addrs.is_empty());
        for addr in addrs {
            assert!(addr.ip().is_loopback());
            let (mut r, mut w) = open_connection(addr).await.unwrap();
            assert_eq!(round_trip(&mut r, &mut w, b"hi\n").await, b"hi\n");
        }
    }
}

on_both! {
    /// asyncio sets `TCP_NODELAY` on its TCP connections; so do these.
    fn connections_get_tcp_nodelay(spawn) {
        let handler = |r: StreamReader, mut w: StreamWriter| async move {
            let on = r.get_ref().as_ref().nodelay().unwrap();
            w.write(if on { b"on\n" } else { b"off\n" });
        };
        let server = start_server_with(spawn.clone(), handler, "127.0.0.1:0").await.unwrap();
        let (mut r, _w) = open_connection(server.local_addrs()[0]).await.unwrap();
        assert!(r.get_ref().as_ref().nodelay().unwrap());
        assert_eq!(deadline("reply", r.readline()).await.unwrap(), b"on\n");
    }
}

on_both! {
    fn open_connection_to_a_closed_port_is_refused(spawn) {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
        let err = open_connection(port).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
    }
}

on_both! {
    /// `close_clients` and `abort_clients` reach Unix connections too: the client
    /// reads end of stream (a Unix socket has no reset) and `wait_closed` returns.
    fn a_unix_server_closes_and_aborts_its_clients(spawn) {
        for abort in [false, true] {
            let path = std::env::temp_dir().join(format!(
                "weft-net-server-close-{}-{:?}-{abort}",
                std::process::id(),
                std::thread::current().id()
            ));
            let handler = |mut r: StreamReader<_>, mut w: StreamWriter<_>| async move {
                w.write(b"hi\n");
                while let Ok(line) = r.readline().await {
                    if line.is_empty() {
                        return;
                    }
                }
            };
            let server = weft_net::start_unix_server_with(spawn.clone(), handler, &path)
                .await
                .unwrap();
            let (mut r, _w) = weft_net::open_unix_connection(&path).await.unwrap();
            assert_eq!(deadline("hi", r.readline()).await.unwrap(), b"hi\n");
            server.close();
            if abort {
                server.abort_clients();
            } else {
                server.close_clients();
            }
            assert!(deadline("eof", r.read_to_end()).await.unwrap().is_empty());
            deadline("wait_closed", server.wait_closed()).await;
        }
    }
}
