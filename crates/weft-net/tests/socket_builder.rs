//! `TcpSocket`: options before connecting or listening.

mod socket_support;

use std::io::ErrorKind;
use std::time::Duration;

use futures::{AsyncReadExt, AsyncWriteExt};
use socket_support::{Exec, on_every_executor};
use weft_net::{TcpListener, TcpSocket};

#[test]
fn options_read_back() {
    let s = TcpSocket::new_v4().unwrap();
    assert!(!s.reuseaddr().unwrap());
    s.set_reuseaddr(true).unwrap();
    assert!(s.reuseaddr().unwrap());
    s.set_reuseport(true).unwrap();
    assert!(s.reuseport().unwrap());
    s.set_nodelay(true).unwrap();
    assert!(s.nodelay().unwrap());
    s.set_keepalive(true).unwrap();
    assert!(s.keepalive().unwrap());
    s.set_keepalive(false).unwrap();
    s.set_keepalive_time(Duration::from_secs(30)).unwrap();
    assert!(s.keepalive().unwrap());
    s.set_send_buffer_size(64 * 1024).unwrap();
    assert!(s.send_buffer_size().unwrap() >= 64 * 1024);
    s.set_recv_buffer_size(64 * 1024).unwrap();
    assert!(s.recv_buffer_size().unwrap() >= 64 * 1024);
    s.set_linger(Some(Duration::from_secs(2))).unwrap();
    assert_eq!(s.linger().unwrap(), Some(Duration::from_secs(2)));
    assert!(s.take_error().unwrap().is_none());
}

/// Bind before connect: the stream comes from the chosen local address, and keeps
/// the options set on the socket.
#[test]
fn bind_before_connect_on_every_executor() {
    on_every_executor(|| async {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let socket = TcpSocket::new_v4()?;
        socket.set_nodelay(true)?;
        socket.bind("127.0.0.1:0".parse().unwrap())?;
        let from = socket.local_addr()?;
        let mut stream = socket.connect(listener.local_addr()?).await?;
        assert_eq!(stream.local_addr()?, from);
        assert!(stream.nodelay()?);
        let (mut server, peer) = listener.accept().await?;
        assert_eq!(peer, from);
        stream.write_all(b"bound").await?;
        let mut buf = [0; 5];
        server.read_exact(&mut buf).await?;
        assert_eq!(&buf, b"bound");
        Ok(())
    });
}

/// `SO_REUSEPORT` on both: two listeners share one port.
#[test]
fn reuseport_lets_two_listeners_share_a_port() {
    let a = TcpSocket::new_v4().unwrap();
    a.set_reuseport(true).unwrap();
    a.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let port_addr = a.local_addr().unwrap();
    let _la = a.listen(16).unwrap();
    let b = TcpSocket::new_v4().unwrap();
    b.set_reuseport(true).unwrap();
    b.bind(port_addr).unwrap();
    let lb = b.listen(16).unwrap();
    assert_eq!(lb.local_addr().unwrap(), port_addr);
    // Without it, the port is taken.
    let c = TcpSocket::new_v4().unwrap();
    let err = c.bind(port_addr).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AddrInUse);
}

/// A listener from `listen` accepts, with the backlog asked for.
#[test]
fn listen_then_accept() {
    on_every_executor(|| async {
        let socket = TcpSocket::new_v4()?;
        socket.set_reuseaddr(true)?;
        socket.bind("127.0.0.1:0".parse().unwrap())?;
        let listener = socket.listen(4)?;
        let addr = listener.local_addr()?;
        let mut clients = Vec::new();
        for _ in 0..4 {
            clients.push(weft_net::TcpStream::connect(addr).await?);
        }
        for _ in 0..clients.len() {
            let (_server, peer) = listener.accept().await?;
            assert!(clients.iter().any(|c| c.local_addr().ok() == Some(peer)));
        }
        Ok(())
    });
}

#[test]
fn connect_to_a_closed_port_is_refused() {
    Exec::WeftBlockOn
        .run(async {
            let closed = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
            let err = TcpSocket::new_v4()?.connect(closed).await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::ConnectionRefused);
            Ok::<_, std::io::Error>(())
        })
        .unwrap();
}

#[test]
fn an_ipv6_socket_binds_ipv6_loopback() {
    let Ok(s) = TcpSocket::new_v6() else {
        println!("note: no IPv6 on this machine");
        return;
    };
    if s.bind("[::1]:0".parse().unwrap()).is_err() {
        println!("note: no IPv6 loopback on this machine");
        return;
    }
    assert!(s.local_addr().unwrap().is_ipv6());
    // An IPv6 address does not fit an IPv4 socket.
    let v4 = TcpSocket::new_v4().unwrap();
    assert!(v4.bind("[::1]:0".parse().unwrap()).is_err());
}

#[test]
fn from_std_stream_wraps_a_socket() {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let std = std::net::TcpStream::connect(l.local_addr().unwrap()).unwrap();
    let local = std.local_addr().unwrap();
    let s = TcpSocket::from_std_stream(std).unwrap();
    assert_eq!(s.local_addr().unwrap(), local);
    assert!(format!("{s:?}").starts_with("TcpSocket"));
}
