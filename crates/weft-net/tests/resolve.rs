//! Name resolution: `lookup_host` and the names `connect`/`bind` accept.

mod socket_support;

use std::future::Future;
use std::io::ErrorKind;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use socket_support::{Exec, on_every_executor};
use weft_net::{TcpListener, TcpStream, UdpSocket, lookup_host};

/// An unresolvable name (RFC 6761 reserves `.invalid`): the error names the host,
/// whether from `lookup_host`, `connect` or `bind`.
#[test]
fn an_unresolvable_name_gives_an_error_that_names_it() {
    on_every_executor(|| async {
        let err = lookup_host("no-such-host.invalid:80").await.unwrap_err();
        assert!(err.to_string().contains("no-such-host.invalid"), "{err}");
        let err = TcpStream::connect(("weft-test.invalid", 443))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("weft-test.invalid"), "{err}");
        let err = TcpListener::bind("bind-here.invalid:0").await.unwrap_err();
        assert!(err.to_string().contains("bind-here.invalid"), "{err}");
        let err = UdpSocket::bind(("udp.invalid".to_string(), 0))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("udp.invalid"), "{err}");
        Ok(())
    });
}

#[test]
fn localhost_resolves_to_loopback_addresses() {
    on_every_executor(|| async {
        let addrs: Vec<SocketAddr> = lookup_host("localhost:4242").await?.collect();
        assert!(!addrs.is_empty());
        for a in &addrs {
            assert!(a.ip().is_loopback(), "{a}");
            assert_eq!(a.port(), 4242);
        }
        let same: Vec<SocketAddr> = lookup_host(("localhost", 4242)).await?.collect();
        assert_eq!(same, addrs);
        Ok(())
    });
}

/// Literal addresses never go to the blocking pool: the lookup is ready at its first
/// poll, which a pool round trip could not be.
#[test]
fn literal_addresses_resolve_at_the_first_poll() {
    let want_v4: SocketAddr = "127.0.0.1:80".parse().unwrap();
    let want_v6: SocketAddr = "[::1]:80".parse().unwrap();
    let cx = &mut Context::from_waker(Waker::noop());
    macro_rules! ready_now {
        ($arg:expr, $want:expr) => {{
            let mut fut = pin!(lookup_host($arg));
            match fut.as_mut().poll(cx) {
                Poll::Ready(Ok(addrs)) => assert_eq!(addrs.collect::<Vec<_>>(), vec![$want]),
                Poll::Ready(Err(e)) => panic!("{e}"),
                Poll::Pending => panic!("{} waited", stringify!($arg)),
            }
        }};
    }
    ready_now!("127.0.0.1:80", want_v4);
    ready_now!("[::1]:80", want_v6);
    ready_now!(String::from("127.0.0.1:80"), want_v4);
    ready_now!(("127.0.0.1", 80), want_v4);
    ready_now!(("::1", 80), want_v6);
    ready_now!((String::from("127.0.0.1"), 80), want_v4);
    ready_now!(want_v4, want_v4);
    ready_now!(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 80), want_v4);
    ready_now!(SocketAddrV6::new(Ipv6Addr::LOCALHOST, 80, 0, 0), want_v6);
    ready_now!((IpAddr::V4(Ipv4Addr::LOCALHOST), 80), want_v4);
    ready_now!((Ipv4Addr::LOCALHOST, 80), want_v4);
    ready_now!((Ipv6Addr::LOCALHOST, 80), want_v6);
    ready_now!(&want_v4, want_v4);
    let list = [want_v4];
    ready_now!(&list[..], want_v4);
}

#[test]
fn a_string_without_a_port_is_invalid_input() {
    Exec::WeftBlockOn
        .run(async {
            let err = lookup_host("localhost").await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
            assert!(err.to_string().contains("localhost"), "{err}");
            let err = lookup_host(&[][..]).await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
            Ok::<_, std::io::Error>(())
        })
        .unwrap();
}

/// A name that resolves connects (through the pool, under every executor).
#[test]
fn connect_by_name() {
    on_every_executor(|| async {
        let listener = TcpListener::bind("localhost:0").await?;
        let port = listener.local_addr()?.port();
        let stream = TcpStream::connect(format!("localhost:{port}")).await?;
        assert!(stream.peer_addr()?.ip().is_loopback());
        Ok(())
    });
}
