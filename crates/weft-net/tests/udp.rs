//! `UdpSocket` on every executor.

mod socket_support;

use std::io::ErrorKind;
use std::sync::Arc;

use socket_support::{Exec, on_every_executor};
use weft_net::UdpSocket;

#[test]
fn send_to_and_recv_from_on_every_executor() {
    on_every_executor(|| async {
        let server = UdpSocket::bind("127.0.0.1:0").await?;
        let client = UdpSocket::bind("127.0.0.1:0").await?;
        for i in 0..20u8 {
            client.send_to(&[i; 32], server.local_addr()?).await?;
            let mut buf = [0; 64];
            let (n, from) = server.recv_from(&mut buf).await?;
            assert_eq!((&buf[..n], from), (&[i; 32][..], client.local_addr()?));
            server.send_to(&buf[..n], from).await?;
            let (n, from) = client.recv_from(&mut buf).await?;
            assert_eq!((n, from), (32, server.local_addr()?));
        }
        Ok(())
    });
}

#[test]
fn connected_send_and_recv_keep_datagram_boundaries() {
    on_every_executor(|| async {
        let a = UdpSocket::bind("127.0.0.1:0").await?;
        let b = UdpSocket::bind("127.0.0.1:0").await?;
        a.connect(b.local_addr()?).await?;
        b.connect(a.local_addr()?).await?;
        assert_eq!(a.peer_addr()?, b.local_addr()?);
        a.send(b"one").await?;
        a.send(b"two!").await?;
        let mut buf = [0; 16];
        assert_eq!(b.recv(&mut buf).await?, 3);
        assert_eq!(&buf[..3], b"one");
        assert_eq!(b.recv(&mut buf).await?, 4);
        assert_eq!(&buf[..4], b"two!");
        Ok(())
    });
}

#[test]
fn peek_from_leaves_the_datagram_queued() {
    on_every_executor(|| async {
        let a = UdpSocket::bind("127.0.0.1:0").await?;
        let b = UdpSocket::bind("127.0.0.1:0").await?;
        b.send_to(b"peek me", a.local_addr()?).await?;
        let mut buf = [0; 16];
        let (n, from) = a.peek_from(&mut buf).await?;
        assert_eq!((&buf[..n], from), (&b"peek me"[..], b.local_addr()?));
        let (n, _) = a.recv_from(&mut buf).await?;
        assert_eq!(&buf[..n], b"peek me");
        Ok(())
    });
}

#[test]
fn try_recv_would_block_when_nothing_waits() {
    on_every_executor(|| async {
        let a = UdpSocket::bind("127.0.0.1:0").await?;
        let mut buf = [0; 8];
        assert_eq!(
            a.try_recv_from(&mut buf).unwrap_err().kind(),
            ErrorKind::WouldBlock
        );
        a.writable().await?;
        a.try_send_to(b"me", a.local_addr()?)?;
        let (n, _) = loop {
            a.readable().await?;
            match a.try_recv_from(&mut buf) {
                Err(e) if e.kind() == ErrorKind::WouldBlock => continue,
                res => break res?,
            }
        };
        assert_eq!(&buf[..n], b"me");
        Ok(())
    });
}

/// A sending task and a receiving task share one socket.
#[test]
fn one_socket_shared_by_a_sender_and_a_receiver_task() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(socket_support::deadline(async {
        let echo = Arc::new(UdpSocket::bind("127.0.0.1:0").await.unwrap());
        let me = Arc::new(UdpSocket::bind("127.0.0.1:0").await.unwrap());
        me.connect(echo.local_addr().unwrap()).await.unwrap();
        let server = tokio::spawn({
            let echo = echo.clone();
            async move {
                let mut buf = [0; 16];
                for _ in 0..50 {
                    let (n, from) = echo.recv_from(&mut buf).await.unwrap();
                    echo.send_to(&buf[..n], from).await.unwrap();
                }
            }
        });
        let receiver = tokio::spawn({
            let me = me.clone();
            async move {
                let mut got = Vec::new();
                let mut buf = [0; 16];
                while got.len() < 50 {
                    let n = me.recv(&mut buf).await.unwrap();
                    got.push(buf[0]);
                    assert_eq!(n, 1);
                }
                got
            }
        });
        // 50 one-byte datagrams fit the loopback buffers: none is dropped.
        for i in 0..50u8 {
            me.send(&[i]).await.unwrap();
        }
        server.await.unwrap();
        let mut got = receiver.await.unwrap();
        got.sort();
        assert_eq!(got, (0..50u8).collect::<Vec<_>>());
    }));
}

/// A connected socket whose peer has no socket: the refusal comes back as
/// `ConnectionRefused` on a later receive.
#[test]
fn a_refused_datagram_is_reported_on_the_connected_socket() {
    on_every_executor(|| async {
        let gone = std::net::UdpSocket::bind("127.0.0.1:0")?.local_addr()?;
        let a = UdpSocket::bind("127.0.0.1:0").await?;
        a.connect(gone).await?;
        a.send(b"anyone?").await?;
        let mut buf = [0; 8];
        let err = a.recv(&mut buf).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{err}");
        Ok(())
    });
}

#[test]
fn options() {
    Exec::WeftBlockOn
        .run(async {
            let a = UdpSocket::bind("127.0.0.1:0").await?;
            a.set_broadcast(true)?;
            assert!(a.broadcast()?);
            a.set_ttl(9)?;
            assert_eq!(a.ttl()?, 9);
            a.set_multicast_ttl_v4(3)?;
            assert_eq!(a.multicast_ttl_v4()?, 3);
            a.set_multicast_loop_v4(false)?;
            assert!(!a.multicast_loop_v4()?);
            assert_eq!(a.peer_addr().unwrap_err().kind(), ErrorKind::NotConnected);
            let std = a.into_std();
            let a = UdpSocket::from_std(std)?;
            assert!(format!("{a:?}").starts_with("UdpSocket"));
            Ok::<_, std::io::Error>(())
        })
        .unwrap();
}
