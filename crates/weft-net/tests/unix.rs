//! Unix domain sockets on every executor: streams, listeners, datagrams.

mod socket_support;

use std::io::ErrorKind;

use futures::{AsyncReadExt, AsyncWriteExt, join};
use socket_support::{Exec, on_every_executor, pattern, socket_path};
use weft_net::unix::ReuniteError;
use weft_net::{UnixDatagram, UnixListener, UnixStream};

#[test]
fn listener_and_stream_echo_on_every_executor() {
    let mut round = 0;
    on_every_executor(move || {
        round += 1;
        let path = socket_path(&format!("echo-{round}"));
        async move {
            let listener = UnixListener::bind(&path)?;
            assert_eq!(listener.local_addr()?.as_pathname(), Some(path.as_path()));
            let client = UnixStream::connect(&path).await?;
            let (mut server, peer) = listener.accept().await?;
            assert!(peer.is_unnamed());
            let data = pattern(200_000);
            let (w, e, r) = join!(
                async {
                    (&client).write_all(&data).await?;
                    Ok::<_, std::io::Error>(())
                },
                async {
                    let mut buf = vec![0; data.len()];
                    server.read_exact(&mut buf).await?;
                    server.write_all(&buf).await?;
                    server.close().await
                },
                async {
                    let mut back = Vec::new();
                    (&client).read_to_end(&mut back).await?;
                    Ok::<_, std::io::Error>(back)
                }
            );
            w?;
            e?;
            assert!(r? == data);
            std::fs::remove_file(&path)
        }
    });
}

#[test]
fn pair_halves_and_reunite() {
    on_every_executor(|| async {
        let (a, mut b) = UnixStream::pair()?;
        let (mut r, mut w) = a.into_split();
        w.write_all(b"ping").await?;
        let mut buf = [0; 4];
        b.read_exact(&mut buf).await?;
        b.write_all(b"pong").await?;
        r.read_exact(&mut buf).await?;
        assert_eq!(&buf, b"pong");
        let (c, _d) = UnixStream::pair()?;
        let (rc, wc) = c.into_split();
        let ReuniteError(r, _wc) = r.reunite(wc).unwrap_err();
        let a = r.reunite(w).expect("halves of one stream");
        let _ = rc;
        let (mut ra, mut wa) = UnixStream::split(&a);
        wa.write_all(b"again").await?;
        let mut buf = [0; 5];
        b.read_exact(&mut buf).await?;
        b.write_all(&buf).await?;
        ra.read_exact(&mut buf).await?;
        assert_eq!(&buf, b"again");
        Ok(())
    });
}

#[test]
fn dropping_the_owned_write_half_sends_eof() {
    on_every_executor(|| async {
        let (a, mut b) = UnixStream::pair()?;
        let (_r, mut w) = a.into_split();
        w.write_all(b"bye").await?;
        drop(w);
        let mut got = Vec::new();
        b.read_to_end(&mut got).await?;
        assert_eq!(got, b"bye");
        Ok(())
    });
}

#[test]
fn connect_to_a_missing_path_is_not_found() {
    on_every_executor(|| async {
        let path = socket_path("missing");
        let err = UnixStream::connect(&path).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
        Ok(())
    });
}

/// A socket file whose listener is gone refuses.
#[test]
fn connect_to_a_stale_socket_file_is_refused() {
    on_every_executor(|| async {
        let path = socket_path("stale");
        drop(UnixListener::bind(&path)?);
        let err = UnixStream::connect(&path).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{err}");
        std::fs::remove_file(&path)
    });
}

#[test]
fn binding_an_existing_path_is_addr_in_use() {
    let path = socket_path("taken");
    let _listener = UnixListener::bind(&path).unwrap();
    let err = UnixListener::bind(&path).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AddrInUse);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn a_dropped_pending_accept_loses_nothing() {
    on_every_executor(|| async {
        let path = socket_path("cancel-accept");
        let listener = UnixListener::bind(&path)?;
        {
            let mut fut = std::pin::pin!(listener.accept());
            let cx = &mut std::task::Context::from_waker(std::task::Waker::noop());
            assert!(std::future::Future::poll(fut.as_mut(), cx).is_pending());
        }
        let _client = UnixStream::connect(&path).await?;
        let (server, _) = listener.accept().await?;
        assert!(server.peer_addr()?.is_unnamed());
        std::fs::remove_file(&path)
    });
}

#[test]
fn datagrams_by_path_and_connected() {
    let mut round = 0;
    on_every_executor(move || {
        round += 1;
        let server_path = socket_path(&format!("dgram-server-{round}"));
        let client_path = socket_path(&format!("dgram-client-{round}"));
        async move {
            let server = UnixDatagram::bind(&server_path)?;
            let client = UnixDatagram::bind(&client_path)?;
            client.send_to(b"hello", &server_path).await?;
            let mut buf = [0; 16];
            let (n, from) = server.recv_from(&mut buf).await?;
            assert_eq!(&buf[..n], b"hello");
            assert_eq!(from.as_pathname(), Some(client_path.as_path()));
            // Reply to the sender's address.
            server
                .send_to(b"welcome", from.as_pathname().unwrap())
                .await?;
            let n = client.recv(&mut buf).await?;
            assert_eq!(&buf[..n], b"welcome");
            // Connected.
            client.connect(&server_path)?;
            client.send(b"again").await?;
            let n = server.recv(&mut buf).await?;
            assert_eq!(&buf[..n], b"again");
            std::fs::remove_file(&server_path)?;
            std::fs::remove_file(&client_path)
        }
    });
}

#[test]
fn datagram_pair_and_unbound() {
    on_every_executor(|| async {
        let (a, b) = UnixDatagram::pair()?;
        a.send(b"x").await?;
        a.send(b"yz").await?;
        let mut buf = [0; 8];
        assert_eq!(b.recv(&mut buf).await?, 1);
        assert_eq!(b.recv(&mut buf).await?, 2);
        assert_eq!(
            b.try_recv(&mut buf).unwrap_err().kind(),
            ErrorKind::WouldBlock
        );
        let lone = UnixDatagram::unbound()?;
        assert!(lone.local_addr()?.is_unnamed());
        assert_eq!(
            lone.peer_addr().unwrap_err().kind(),
            ErrorKind::NotConnected
        );
        Ok(())
    });
}

#[test]
fn stream_from_std_and_into_std() {
    Exec::WeftBlockOn
        .run(async {
            let (a, b) = std::os::unix::net::UnixStream::pair()?;
            let mut a = UnixStream::from_std(a)?;
            a.write_all(b"std").await?;
            let mut b = UnixStream::from_std(b)?.into_std();
            b.set_nonblocking(false)?;
            let mut buf = [0; 3];
            std::io::Read::read_exact(&mut b, &mut buf)?;
            assert_eq!(&buf, b"std");
            Ok::<_, std::io::Error>(())
        })
        .unwrap();
}
