//! `TcpListener`: binding, accepting, polling.

mod socket_support;

use std::future::poll_fn;

use futures::{AsyncReadExt, AsyncWriteExt};
use socket_support::{Exec, on_every_executor};
use weft_net::{TcpListener, TcpStream};

/// Many clients at once; each is accepted once, and each connection is its own.
#[test]
fn accepts_many_clients_on_every_executor() {
    on_every_executor(|| async {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let mut clients = Vec::new();
        for i in 0..64u8 {
            let mut c = TcpStream::connect(addr).await?;
            c.write_all(&[i]).await?;
            clients.push(c);
        }
        let mut seen = Vec::new();
        for _ in 0..64 {
            let (mut s, peer) = poll_fn(|cx| listener.poll_accept(cx)).await?;
            let mut b = [0; 1];
            s.read_exact(&mut b).await?;
            assert_eq!(clients[b[0] as usize].local_addr()?, peer);
            seen.push(b[0]);
        }
        seen.sort();
        assert_eq!(seen, (0..64).collect::<Vec<u8>>());
        Ok(())
    });
}

#[test]
fn binds_the_first_address_that_works() {
    Exec::WeftBlockOn
        .run(async {
            let taken = TcpListener::bind("127.0.0.1:0").await?;
            let free: std::net::SocketAddr = "127.0.0.1:0".parse().unwrap();
            let l = TcpListener::bind(&[taken.local_addr()?, free][..]).await?;
            assert_ne!(l.local_addr()?, taken.local_addr()?);
            Ok::<_, std::io::Error>(())
        })
        .unwrap();
}

#[test]
fn ipv6_loopback_when_there_is_one() {
    if std::net::TcpListener::bind("[::1]:0").is_err() {
        println!("note: no IPv6 loopback on this machine");
        return;
    }
    on_every_executor(|| async {
        let listener = TcpListener::bind("[::1]:0").await?;
        let client = TcpStream::connect(listener.local_addr()?).await?;
        let (_s, peer) = listener.accept().await?;
        assert_eq!(peer, client.local_addr()?);
        assert!(peer.is_ipv6());
        Ok(())
    });
}

#[test]
fn from_std_into_std_and_ttl() {
    Exec::WeftBlockOn
        .run(async {
            let std = std::net::TcpListener::bind("127.0.0.1:0")?;
            let addr = std.local_addr()?;
            let listener = TcpListener::from_std(std)?;
            listener.set_ttl(77)?;
            assert_eq!(listener.ttl()?, 77);
            let _c = TcpStream::connect(addr).await?;
            let (_s, _) = listener.accept().await?;
            assert!(format!("{listener:?}").contains("TcpListener"));
            let std = listener.into_std();
            assert_eq!(std.local_addr()?, addr);
            Ok::<_, std::io::Error>(())
        })
        .unwrap();
}
