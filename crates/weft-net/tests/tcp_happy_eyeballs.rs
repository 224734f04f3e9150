//! `TcpStream::connect` over several addresses: Happy Eyeballs (RFC 8305).

mod socket_support;

use std::io::ErrorKind;
use std::net::SocketAddr;

use socket_support::{Exec, on_every_executor};
use weft_net::{TcpListener, TcpSocket, TcpStream};

/// A port on `ip` that nothing listens on (bound, then closed), or `None` when the
/// machine has no such address.
fn closed_port(ip: &str) -> Option<SocketAddr> {
    let l = std::net::TcpListener::bind((ip, 0)).ok()?;
    l.local_addr().ok()
}

/// [::1]:closed, then 127.0.0.1:open: the IPv6 attempt is refused at once, and the
/// IPv4 one, started right after the failure, connects.
#[test]
fn falls_back_to_the_second_address_when_the_first_refuses() {
    let Some(v6_closed) = closed_port("::1") else {
        println!("note: no IPv6 loopback on this machine; the test does nothing");
        return;
    };
    on_every_executor(move || async move {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let open = listener.local_addr()?;
        let stream = TcpStream::connect(&[v6_closed, open][..]).await?;
        assert_eq!(stream.peer_addr()?, open);
        let (_server, peer) = listener.accept().await?;
        assert_eq!(peer, stream.local_addr()?);
        Ok(())
    });
}

/// The second address of the same family works as well: the attempts go in order.
#[test]
fn falls_back_within_one_family() {
    on_every_executor(|| async {
        let closed = closed_port("127.0.0.1").unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let open = listener.local_addr()?;
        let stream = TcpStream::connect(&[closed, closed, open][..]).await?;
        assert_eq!(stream.peer_addr()?, open);
        Ok(())
    });
}

/// When every address refuses, the error is the last attempt's.
#[test]
fn every_address_refusing_gives_the_last_error() {
    on_every_executor(|| async {
        let a = closed_port("127.0.0.1").unwrap();
        let b = closed_port("127.0.0.1").unwrap();
        let err = TcpStream::connect(&[a, b][..]).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{err}");
        Ok(())
    });
}

/// An empty list of addresses is an error, not a hang.
#[test]
fn no_address_is_invalid_input() {
    Exec::WeftBlockOn
        .run(async {
            let err = TcpStream::connect(&[][..]).await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
            Ok::<_, std::io::Error>(())
        })
        .unwrap();
}

/// An attempt that hangs does not hold up the next address: that one starts after
/// the attempt delay and wins. The hang: a listener with a backlog of zero whose
/// accept queue holds one connection never accepted; Linux drops further SYNs to it,
/// so a connect waits for retransmissions (a second, then more) that meet the same
/// full queue.
#[cfg(target_os = "linux")]
#[test]
fn a_hanging_attempt_lets_the_next_address_start_after_the_delay() {
    on_every_executor(|| async {
        let socket = TcpSocket::new_v4()?;
        socket.bind("127.0.0.1:0".parse().unwrap())?;
        let full = socket.listen(0)?;
        let full_addr = full.local_addr()?;
        let _queued = TcpStream::connect(full_addr).await?;
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let open = listener.local_addr()?;
        let stream = TcpStream::connect(&[full_addr, open][..]).await?;
        assert_eq!(stream.peer_addr()?, open);
        drop(full);
        Ok(())
    });
}
