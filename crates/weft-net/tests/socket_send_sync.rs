//! Every public socket type and future is `Send` (and `Sync`/`Unpin` where it should
//! be), so it can move to any executor's tasks.

use std::net::SocketAddr;

use weft_net::{
    SocketAddrs, TcpListener, TcpSocket, TcpStream, UdpSocket, UnixDatagram, UnixListener,
    UnixStream, lookup_host, tcp, unix,
};

fn send<T: Send>(_: &T) {}
fn send_sync_unpin<T: Send + Sync + Unpin>() {}

#[test]
fn types_are_send_sync_and_unpin() {
    send_sync_unpin::<TcpListener>();
    send_sync_unpin::<TcpStream>();
    send_sync_unpin::<TcpSocket>();
    send_sync_unpin::<UdpSocket>();
    send_sync_unpin::<UnixListener>();
    send_sync_unpin::<UnixStream>();
    send_sync_unpin::<UnixDatagram>();
    send_sync_unpin::<SocketAddrs>();
    send_sync_unpin::<tcp::ReadHalf<'static>>();
    send_sync_unpin::<tcp::WriteHalf<'static>>();
    send_sync_unpin::<tcp::OwnedReadHalf>();
    send_sync_unpin::<tcp::OwnedWriteHalf>();
    send_sync_unpin::<tcp::ReuniteError>();
    send_sync_unpin::<unix::ReadHalf<'static>>();
    send_sync_unpin::<unix::WriteHalf<'static>>();
    send_sync_unpin::<unix::OwnedReadHalf>();
    send_sync_unpin::<unix::OwnedWriteHalf>();
    send_sync_unpin::<unix::ReuniteError>();
}

/// The futures are checked without being run: `Send` is a property of their types.
#[test]
#[allow(clippy::let_underscore_future)]
fn futures_are_send() {
    let addr: SocketAddr = "127.0.0.1:1".parse().unwrap();
    let host = String::from("localhost:1");
    send(&lookup_host("localhost:1"));
    send(&lookup_host(&host));
    send(&TcpStream::connect(addr));
    send(&TcpStream::connect(("localhost", 1)));
    send(&TcpListener::bind("127.0.0.1:0"));
    send(&TcpSocket::new_v4().unwrap().connect(addr));
    send(&UdpSocket::bind(addr));
    send(&UnixStream::connect("/nonexistent"));

    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let listener = TcpListener::from_std(std_listener).unwrap();
    send(&listener.accept());
    let (a, _b) = UnixStream::pair().unwrap();
    let mut buf = [0u8; 4];
    send(&a.readable());
    send(&a.writable());
    let udp = UdpSocket::from_std(std::net::UdpSocket::bind("127.0.0.1:0").unwrap()).unwrap();
    send(&udp.recv_from(&mut buf));
    send(&udp.send_to(b"x", addr));
    send(&udp.peek_from(&mut buf));
    let (d, _e) = UnixDatagram::pair().unwrap();
    send(&d.recv(&mut buf));
    send(&d.send_to(b"x", "/nonexistent"));
    let path = std::env::temp_dir().join(format!("weft-net-sendsync-{}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let ul = UnixListener::bind(&path).unwrap();
    send(&ul.accept());
    std::fs::remove_file(&path).unwrap();
}
