//! TCP's bad inputs and faults, each its own test.

mod socket_support;

use std::io::ErrorKind;
use std::time::Duration;

use futures::{AsyncReadExt, AsyncWriteExt};
use socket_support::{Exec, on_every_executor};
use weft_net::{TcpListener, TcpStream};

/// A port on 127.0.0.1 that nothing listens on (bound, then closed).
fn closed_port() -> std::net::SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap()
}

#[test]
fn connect_to_a_closed_port_is_connection_refused() {
    on_every_executor(|| async {
        let addr = closed_port();
        let err = TcpStream::connect(addr).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{err}");
        // By name too: the attempt on the resolved address reports the refusal.
        let err = TcpStream::connect(("localhost", addr.port()))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{err}");
        Ok(())
    });
}

#[test]
fn bind_to_a_taken_port_is_addr_in_use() {
    Exec::WeftBlockOn
        .run(async {
            let listener = TcpListener::bind("127.0.0.1:0").await?;
            let err = TcpListener::bind(listener.local_addr()?).await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::AddrInUse);
            Ok::<_, std::io::Error>(())
        })
        .unwrap();
}

/// A peer that resets the connection while the server is writing to it: the
/// server's write fails, and only on that connection; another client of the same
/// listener is served as before, and the listener accepts again.
#[test]
fn a_peer_reset_mid_write_fails_that_connection_only() {
    on_every_executor(|| async {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let doomed = TcpStream::connect(addr).await?;
        let (mut to_doomed, _) = listener.accept().await?;
        let mut other = TcpStream::connect(addr).await?;
        let (mut to_other, _) = listener.accept().await?;

        // Far more than the socket buffers hold: the write is pending when the peer
        // resets, so it fails mid-way.
        let big = vec![7u8; 64 << 20];
        let write = async { to_doomed.write_all(&big).await };
        let reset = async {
            // Bytes arrived: the server is writing.
            doomed.readable().await?;
            doomed.set_linger(Some(Duration::ZERO))?;
            drop(doomed); // SO_LINGER 0: the close sends a reset
            Ok::<_, std::io::Error>(())
        };
        let (written, reset) = futures::join!(write, reset);
        reset?;
        let err = written.expect_err("a write to a reset connection fails");
        assert!(
            matches!(
                err.kind(),
                ErrorKind::ConnectionReset | ErrorKind::BrokenPipe
            ),
            "unexpected error {err:?}"
        );

        // The other connection is unharmed, both ways.
        other.write_all(b"still here?").await?;
        let mut buf = [0; 11];
        to_other.read_exact(&mut buf).await?;
        to_other.write_all(&buf).await?;
        other.read_exact(&mut buf).await?;
        assert_eq!(&buf, b"still here?");
        // And the listener accepts new clients.
        let _third = TcpStream::connect(addr).await?;
        let (_accepted, _) = listener.accept().await?;
        Ok(())
    });
}

/// A read on a connection the peer reset fails with `ConnectionReset`.
#[test]
fn a_read_after_a_peer_reset_is_connection_reset() {
    on_every_executor(|| async {
        let (client, mut server) = socket_support::tcp_pair().await?;
        client.set_linger(Some(Duration::ZERO))?;
        drop(client);
        let mut buf = [0; 8];
        let err = server.read(&mut buf).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionReset, "{err}");
        Ok(())
    });
}

/// Data, then a reset, both there before the reader looks: the reader gets (some of)
/// the data and then `ConnectionReset`, never a hang. (A read that drains the socket
/// must not be taken to mean "nothing more to report".)
#[test]
fn a_reset_after_data_is_reported_after_the_data() {
    on_every_executor(|| async {
        // Reads that fill their buffer, and reads that do not.
        for size in [100, 4096].into_iter().cycle().take(20) {
            let (client, mut server) = socket_support::tcp_pair().await?;
            let mut server_end = client;
            server_end.write_all(&[5; 1000]).await?;
            server_end.set_linger(Some(Duration::ZERO))?;
            drop(server_end);
            server.readable().await?;
            let mut total = 0;
            let mut buf = vec![0; size];
            let err = loop {
                match server.read(&mut buf).await {
                    Ok(0) => panic!("end of stream, not a reset"),
                    Ok(n) => total += n,
                    Err(e) => break e,
                }
            };
            assert!(total <= 1000);
            assert_eq!(err.kind(), ErrorKind::ConnectionReset, "{err}");
        }
        Ok(())
    });
}
