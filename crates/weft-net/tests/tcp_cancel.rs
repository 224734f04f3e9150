//! Cancel safety: a dropped pending read, write or accept loses nothing.

mod socket_support;

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use futures::{AsyncReadExt, AsyncWriteExt};
use socket_support::{on_every_executor, pattern, tcp_pair};
use weft_net::{TcpListener, TcpStream, UnixStream};

/// Polls `fut` once with a waker that does nothing, and drops it; returns whether it
/// was pending.
fn poll_once_and_drop<F: Future>(fut: F) -> bool {
    let mut fut = pin!(fut);
    fut.as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
        .is_pending()
}

#[test]
fn a_dropped_pending_read_loses_nothing() {
    on_every_executor(|| async {
        let (mut client, mut server) = tcp_pair().await?;
        let mut buf = [0; 16];
        // Pending: nothing was sent yet. Then dropped.
        assert!(poll_once_and_drop(server.read(&mut buf)));
        client.write_all(b"0123456789").await?;
        // Again, a read is started and dropped, now perhaps with bytes there.
        let mut early = [0; 4];
        let _ = poll_once_and_drop(server.read_exact(&mut early));
        // Whatever the dropped read_exact took is in `early`: read_exact keeps what
        // it read in the caller's buffer, so read the rest and compare.
        let mut got = Vec::new();
        client.close().await?;
        server.read_to_end(&mut got).await?;
        let all: Vec<u8> = if got.len() == 10 {
            got
        } else {
            // read_exact completed in its one poll: its 4 bytes are in `early`.
            early.iter().chain(&got).copied().collect()
        };
        assert_eq!(all, b"0123456789");
        Ok(())
    });
}

/// The same with a future that never reads: the byte count proves it.
#[test]
fn a_dropped_pending_read_on_a_unix_stream_loses_nothing() {
    on_every_executor(|| async {
        let (mut a, mut b) = UnixStream::pair()?;
        let mut buf = [0; 8];
        for _ in 0..3 {
            assert!(poll_once_and_drop(b.read(&mut buf)));
        }
        let data = pattern(100_000);
        let (w, r) = futures::join!(
            async {
                a.write_all(&data).await?;
                a.close().await
            },
            async {
                let mut got = Vec::new();
                b.read_to_end(&mut got).await?;
                Ok::<_, std::io::Error>(got)
            }
        );
        w?;
        assert!(r? == data);
        Ok(())
    });
}

#[test]
fn a_dropped_pending_accept_loses_nothing() {
    on_every_executor(|| async {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        assert!(poll_once_and_drop(listener.accept()));
        let client = TcpStream::connect(listener.local_addr()?).await?;
        // Started and dropped again, maybe after the connection came in.
        let mut accepted = None;
        {
            let mut fut = pin!(listener.accept());
            if let Poll::Ready(res) = fut.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
                accepted = Some(res?);
            }
        }
        let (server, peer) = match accepted {
            Some(a) => a,
            None => listener.accept().await?,
        };
        assert_eq!(peer, client.local_addr()?);
        assert_eq!(server.peer_addr()?, client.local_addr()?);
        Ok(())
    });
}

/// A write whose future is dropped while pending (the send buffer full) wrote
/// nothing; the bytes of the writes that completed all arrive, in order.
#[test]
fn a_dropped_pending_write_writes_nothing_more() {
    on_every_executor(|| async {
        let (mut client, mut server) = tcp_pair().await?;
        let chunk = pattern(64 * 1024);
        let mut sent = Vec::new();
        // Fill the buffers until a write is pending, then drop that write.
        loop {
            let mut fut = pin!(client.write(&chunk));
            match fut.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
                Poll::Ready(n) => sent.extend_from_slice(&chunk[..n?]),
                Poll::Pending => break,
            }
        }
        client.close().await?;
        let mut got = Vec::new();
        server.read_to_end(&mut got).await?;
        assert!(got == sent, "got {} bytes, sent {}", got.len(), sent.len());
        Ok(())
    });
}
