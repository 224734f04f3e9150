//! `TcpStream` on every executor: echo, halves, shutdown, peek, readiness.

mod socket_support;

use std::io::ErrorKind;
use std::net::Shutdown;

use futures::{AsyncReadExt, AsyncWriteExt, join};
use socket_support::{Exec, on_every_executor, pattern, tcp_pair};
use weft_net::tcp::ReuniteError;
use weft_net::{TcpListener, TcpStream};

#[test]
fn echo_on_every_executor() {
    on_every_executor(|| async {
        let (mut client, mut server) = tcp_pair().await?;
        let msg = pattern(10_000);
        let echo = async {
            let mut buf = vec![0; 10_000];
            server.read_exact(&mut buf).await?;
            server.write_all(&buf).await
        };
        let ask = async {
            client.write_all(&msg).await?;
            let mut back = vec![0; msg.len()];
            client.read_exact(&mut back).await?;
            Ok::<_, std::io::Error>(back)
        };
        let (e, back) = join!(echo, ask);
        e?;
        assert_eq!(back?, msg);
        Ok(())
    });
}

/// Enough bytes each way that both send buffers fill: writes wait for the peer to read.
#[test]
fn large_transfer_both_ways_at_once_on_every_executor() {
    const N: usize = 4 << 20;
    on_every_executor(|| async {
        let (client, server) = tcp_pair().await?;
        let (mut cr, mut cw) = client.into_split();
        let (mut sr, mut sw) = server.into_split();
        let data = pattern(N);
        let (a, b, c, d) = join!(
            async {
                cw.write_all(&data).await?;
                cw.close().await
            },
            async {
                sw.write_all(&data).await?;
                sw.close().await
            },
            async {
                let mut got = Vec::new();
                cr.read_to_end(&mut got).await?;
                Ok::<_, std::io::Error>(got)
            },
            async {
                let mut got = Vec::new();
                sr.read_to_end(&mut got).await?;
                Ok::<_, std::io::Error>(got)
            },
        );
        a?;
        b?;
        assert!(c? == data, "the client got the server's bytes changed");
        assert!(d? == data, "the server got the client's bytes changed");
        Ok(())
    });
}

#[test]
fn borrowed_halves_read_and_write_concurrently() {
    on_every_executor(|| async {
        let (client, mut server) = tcp_pair().await?;
        let (mut r, mut w) = TcpStream::split(&client);
        let (wrote, read, echoed) = join!(
            async { w.write_all(b"over and back").await },
            async {
                let mut buf = [0; 13];
                r.read_exact(&mut buf).await?;
                Ok::<_, std::io::Error>(buf)
            },
            async {
                let mut buf = [0; 13];
                server.read_exact(&mut buf).await?;
                server.write_all(&buf).await
            }
        );
        wrote?;
        echoed?;
        assert_eq!(&read?, b"over and back");
        assert_eq!(r.peer_addr()?, w.peer_addr()?);
        assert_eq!(r.as_ref().local_addr()?, client.local_addr()?);
        Ok(())
    });
}

/// The owned halves run as two tasks on a multi-thread runtime, then join again.
#[test]
fn owned_halves_in_separate_tasks_then_reunite() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(socket_support::deadline(async {
        let (client, mut server) = tcp_pair().await.unwrap();
        let local = client.local_addr().unwrap();
        let (mut r, mut w) = client.into_split();
        let writer = tokio::spawn(async move {
            for i in 0..100u8 {
                w.write_all(&[i; 100]).await.unwrap();
            }
            w
        });
        let reader = tokio::spawn(async move {
            let mut buf = vec![0; 10_000];
            r.read_exact(&mut buf).await.unwrap();
            (r, buf)
        });
        let mut buf = vec![0; 10_000];
        server.read_exact(&mut buf).await.unwrap();
        server.write_all(&buf).await.unwrap();
        let w = writer.await.unwrap();
        let (r, got) = reader.await.unwrap();
        assert_eq!(got, buf);
        let expected: Vec<u8> = (0..100u8).flat_map(|i| [i; 100]).collect();
        assert_eq!(got, expected);
        let client = r.reunite(w).expect("halves of one stream");
        assert_eq!(client.local_addr().unwrap(), local);
    }));
}

#[test]
fn reunite_of_different_streams_hands_back_both_halves() {
    Exec::WeftBlockOn
        .run(async {
            let (a, b) = tcp_pair().await?;
            let (a_local, b_local) = (a.local_addr()?, b.local_addr()?);
            let (ra, wa) = a.into_split();
            let (rb, wb) = b.into_split();
            let ReuniteError(ra, wb) = ra.reunite(wb).unwrap_err();
            assert_eq!(ra.local_addr()?, a_local);
            assert_eq!(wb.local_addr()?, b_local);
            // Through `io::Error` and back: the halves survive the conversion.
            let io: std::io::Error = wb.reunite(ra).unwrap_err().into();
            assert_eq!(io.kind(), ErrorKind::InvalidInput);
            assert_eq!(
                io.to_string(),
                "tried to reunite halves of different streams"
            );
            let inner = io.into_inner().expect("the reunite error inside");
            let ReuniteError(ra, wb) = *inner.downcast::<ReuniteError>().expect("a ReuniteError");
            let mut a = ra.reunite(wa).expect("halves of a");
            let mut b = wb.reunite(rb).expect("halves of b");
            // The failed reunites shut nothing down: both directions still work.
            a.write_all(b"still").await?;
            let mut buf = [0; 5];
            b.read_exact(&mut buf).await?;
            b.write_all(b"works").await?;
            a.read_exact(&mut buf).await?;
            assert_eq!(&buf, b"works");
            Ok::<_, std::io::Error>(())
        })
        .unwrap();
}

#[test]
fn dropping_the_owned_write_half_sends_eof() {
    on_every_executor(|| async {
        let (client, mut server) = tcp_pair().await?;
        let (mut r, mut w) = client.into_split();
        w.write_all(b"last").await?;
        drop(w);
        let mut got = Vec::new();
        server.read_to_end(&mut got).await?;
        assert_eq!(got, b"last");
        // Only the write side: the read half still reads.
        server.write_all(b"reply").await?;
        let mut buf = [0; 5];
        r.read_exact(&mut buf).await?;
        assert_eq!(&buf, b"reply");
        Ok(())
    });
}

#[test]
fn a_forgotten_write_half_leaves_the_write_side_open() {
    Exec::WeftBlockOn
        .run(async {
            let (client, mut server) = tcp_pair().await?;
            let (r, w) = client.into_split();
            w.forget();
            // The stream is still open for writing: `try_write` through the read
            // half's stream works, and the server sees no end-of-file.
            r.as_ref().writable().await?;
            assert_eq!(r.as_ref().try_write(b"open")?, 4);
            let mut buf = [0; 4];
            server.read_exact(&mut buf).await?;
            assert_eq!(&buf, b"open");
            Ok::<_, std::io::Error>(())
        })
        .unwrap();
}

#[test]
fn shutdown_write_gives_the_peer_eof_and_keeps_reading() {
    on_every_executor(|| async {
        let (mut client, mut server) = tcp_pair().await?;
        client.write_all(b"request").await?;
        client.shutdown(Shutdown::Write)?;
        let mut req = Vec::new();
        server.read_to_end(&mut req).await?;
        assert_eq!(req, b"request");
        server.write_all(b"response").await?;
        server.close().await?;
        let mut resp = Vec::new();
        client.read_to_end(&mut resp).await?;
        assert_eq!(resp, b"response");
        Ok(())
    });
}

/// Data and end-of-file that arrive together, before the reader looks: the reader
/// gets the bytes, then end-of-file (never a hang).
#[test]
fn data_then_eof_arriving_together_are_both_read() {
    on_every_executor(|| async {
        let (mut client, mut server) = tcp_pair().await?;
        for round in 0..50u8 {
            client.write_all(&[round; 10]).await?;
            let mut buf = [0; 10];
            server.read_exact(&mut buf).await?;
            assert_eq!(buf, [round; 10]);
        }
        client.write_all(b"tail").await?;
        drop(client);
        let mut buf = [0; 64];
        let n = server.read(&mut buf).await?;
        assert_eq!(&buf[..n], &b"tail"[..n]);
        let mut rest = buf[..n].to_vec();
        server.read_to_end(&mut rest).await?;
        assert_eq!(rest, b"tail");
        Ok(())
    });
}

/// Fixed-size messages read with `read_exact` (every read fills its buffer, which
/// turns on `TCP_INQ` on Linux), some arriving several in one burst: every message is
/// read, in order, then the end of stream.
#[test]
fn fixed_size_messages_in_bursts_then_eof_are_all_read() {
    on_every_executor(|| async {
        let (mut client, mut server) = tcp_pair().await?;
        let reader = async {
            let mut got = Vec::new();
            let mut buf = [0; 8];
            for _ in 0..60 {
                server.read_exact(&mut buf).await?;
                got.push(buf);
            }
            let mut rest = Vec::new();
            server.read_to_end(&mut rest).await?;
            assert!(
                rest.is_empty(),
                "{} bytes after the last message",
                rest.len()
            );
            Ok::<_, std::io::Error>(got)
        };
        let writer = async {
            for burst in 0..20u8 {
                // Three messages in one write: one segment on loopback.
                let msgs: Vec<u8> = (0..3).flat_map(|k| [burst * 3 + k; 8]).collect();
                client.write_all(&msgs).await?;
            }
            client.close().await
        };
        let (got, w) = join!(reader, writer);
        w?;
        let want: Vec<[u8; 8]> = (0..60u8).map(|k| [k; 8]).collect();
        assert_eq!(got?, want);
        Ok(())
    });
}

/// A stream whose reads turned `TCP_INQ` on leaves weft without it: a `recvmsg` of
/// the user's after `into_std` receives no control message it did not ask for.
#[cfg(target_os = "linux")]
#[test]
fn into_std_turns_tcp_inq_back_off() {
    use std::mem::MaybeUninit;

    use socket2::{MaybeUninitSlice, MsgHdrMut, Socket};

    weft_reactor::block_on(async {
        let (mut client, mut server) = tcp_pair().await?;
        client.write_all(&[7; 8]).await?;
        let mut buf = [0; 8];
        server.read_exact(&mut buf).await?; // a full read: TCP_INQ goes on
        client.write_all(&[9; 8]).await?;

        let sock = Socket::from(server.into_std());
        sock.set_nonblocking(false)?;
        let mut data = [MaybeUninit::<u8>::uninit(); 8];
        let mut control = [MaybeUninit::<u8>::uninit(); 64];
        let mut bufs = [MaybeUninitSlice::new(&mut data)];
        let mut msg = MsgHdrMut::new()
            .with_buffers(&mut bufs)
            .with_control(&mut control);
        assert_eq!(sock.recvmsg(&mut msg, 0)?, 8);
        assert_eq!(msg.control_len(), 0, "TCP_INQ was left on");
        Ok::<_, std::io::Error>(())
    })
    .unwrap();
}

#[test]
fn peek_leaves_the_bytes_for_the_next_read() {
    on_every_executor(|| async {
        let (mut client, server) = tcp_pair().await?;
        client.write_all(b"peekaboo").await?;
        let mut buf = [0; 8];
        let mut seen = 0;
        while seen < 8 {
            seen = server.peek(&mut buf).await?;
        }
        assert_eq!(&buf, b"peekaboo");
        let mut again = [0; 8];
        (&server).read_exact(&mut again).await?;
        assert_eq!(&again, b"peekaboo");
        Ok(())
    });
}

#[test]
fn try_read_would_block_until_readable() {
    on_every_executor(|| async {
        let (client, server) = tcp_pair().await?;
        let mut buf = [0; 16];
        let err = server.try_read(&mut buf).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::WouldBlock);
        client.writable().await?;
        assert_eq!(client.try_write(b"ready")?, 5);
        // Wait for readability and retry on a stale readiness, as documented.
        let n = loop {
            server.readable().await?;
            match server.try_read(&mut buf) {
                Err(e) if e.kind() == ErrorKind::WouldBlock => continue,
                res => break res?,
            }
        };
        assert_eq!(&buf[..n], &b"ready"[..n]);
        Ok(())
    });
}

#[test]
fn a_shared_reference_reads_and_writes() {
    on_every_executor(|| async {
        let (client, server) = tcp_pair().await?;
        let (c, s) = (&client, &server);
        let (w, r) = join!(
            async move {
                let mut c = c;
                c.write_all(b"by reference").await
            },
            async move {
                let mut s = s;
                let mut buf = [0; 12];
                s.read_exact(&mut buf).await?;
                Ok::<_, std::io::Error>(buf)
            }
        );
        w?;
        assert_eq!(&r?, b"by reference");
        Ok(())
    });
}

#[test]
fn from_std_and_into_std_keep_the_connection() {
    on_every_executor(|| async {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        let std_client = std::net::TcpStream::connect(listener.local_addr()?)?;
        let (std_server, _) = listener.accept()?;
        let mut client = TcpStream::from_std(std_client)?;
        let server = TcpStream::from_std(std_server)?;
        client.write_all(b"std").await?;
        let mut std_server = server.into_std();
        std_server.set_nonblocking(false)?;
        let mut buf = [0; 3];
        std::io::Read::read_exact(&mut std_server, &mut buf)?;
        assert_eq!(&buf, b"std");
        Ok(())
    });
}

#[test]
fn options_and_addresses() {
    Exec::WeftBlockOn
        .run(async {
            let listener = TcpListener::bind("127.0.0.1:0").await?;
            let client = TcpStream::connect(listener.local_addr()?).await?;
            let (server, peer) = listener.accept().await?;
            assert_eq!(peer, client.local_addr()?);
            assert_eq!(server.peer_addr()?, client.local_addr()?);
            assert_eq!(client.peer_addr()?, listener.local_addr()?);
            client.set_nodelay(true)?;
            assert!(client.nodelay()?);
            client.set_ttl(17)?;
            assert_eq!(client.ttl()?, 17);
            assert!(client.take_error()?.is_none());
            let debug = format!("{client:?}");
            assert!(debug.starts_with("TcpStream"), "{debug}");
            Ok::<_, std::io::Error>(())
        })
        .unwrap();
}
