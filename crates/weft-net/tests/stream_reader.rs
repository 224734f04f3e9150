//! `StreamReader`: asyncio's reads over sockets and over a deterministic in-memory
//! transport, its futures-io traits, and the cancel safety of every read.

mod stream_support;

use std::io;
use std::task::Poll;
use std::time::Duration;

use futures::{AsyncBufReadExt, AsyncReadExt};
use stream_support::*;
use weft_net::{ReadError, StreamReader};

on_both! {
    /// Lines, separators and exact reads, with the peer writing a byte at a time
    /// from another task.
    fn readline_readuntil_readexactly_over_a_socket(spawn) {
        let ((mut reader, _w), (_r, mut peer)) = socket_pair();
        let (done_tx, done_rx) = futures::channel::oneshot::channel();
        weft_net::Spawn::spawn(&spawn, Box::pin(async move {
            for b in b"first line\nkey: value\r\n\x00\x05hello tail".iter() {
                peer.write(&[*b]);
                peer.drain().await.unwrap();
            }
            peer.close();
            peer.wait_closed().await.unwrap();
            done_tx.send(()).unwrap();
        }));
        deadline("reads", async {
            assert_eq!(reader.readline().await.unwrap(), b"first line\n");
            assert_eq!(reader.readuntil(b"\r\n").await.unwrap(), b"key: value\r\n");
            let len = reader.readexactly(2).await.unwrap();
            let len = u16::from_be_bytes([len[0], len[1]]) as usize;
            assert_eq!(reader.readexactly(len).await.unwrap(), b"hello");
            assert_eq!(reader.readline().await.unwrap(), b" tail");
            assert_eq!(reader.readline().await.unwrap(), b"");
            assert!(reader.at_eof());
            done_rx.await.unwrap();
        })
        .await;
    }
}

on_both! {
    /// A megabyte in exact pieces: nothing lost, nothing reordered.
    fn readexactly_over_a_socket_keeps_every_byte(spawn) {
        let ((mut reader, _w), (_r, mut peer)) = socket_pair();
        let data = pattern(1 << 20);
        let sent = data.clone();
        weft_net::Spawn::spawn(&spawn, Box::pin(async move {
            for chunk in sent.chunks(10_000) {
                peer.write(chunk);
                peer.drain().await.unwrap();
            }
        }));
        deadline("readexactly", async {
            let mut got = Vec::new();
            while got.len() < data.len() {
                let n = (data.len() - got.len()).min(7_777);
                got.extend(reader.readexactly(n).await.unwrap());
            }
            assert!(got == data, "the bytes came back changed");
        })
        .await;
    }
}

on_both! {
    fn read_to_end_reads_until_the_peer_closes(spawn) {
        let ((mut reader, _w), (_r, mut peer)) = socket_pair();
        let data = pattern(300_000);
        peer.write(&data);
        peer.close();
        let got = deadline("read_to_end", reader.read_to_end()).await.unwrap();
        assert!(got == data);
        assert!(reader.at_eof());
    }
}

on_both! {
    /// A readline cut short by a timeout keeps what it read; the next one returns
    /// the whole line.
    fn a_readline_cancelled_by_a_timeout_loses_no_bytes(spawn) {
        let ((mut reader, _w), (_r, mut peer)) = socket_pair();
        peer.write(b"hel");
        let cut = weft_util::timeout(Duration::from_millis(20), reader.readline()).await;
        assert!(cut.is_err(), "no newline was sent, yet the line completed");
        peer.write(b"lo\n");
        let line = deadline("readline", reader.readline()).await.unwrap();
        assert_eq!(line, b"hello\n");
    }
}

#[test]
fn a_dropped_readline_loses_no_bytes() {
    let mem = MemReader::default();
    let mut reader = StreamReader::new(mem.clone());
    mem.feed(b"par");
    let mut fut = reader.readline();
    assert!(poll_once(&mut fut).is_pending());
    drop(fut);
    assert_eq!(reader.buffer(), b"par");
    mem.feed(b"tial\nnext");
    let mut fut = reader.readline();
    assert!(matches!(poll_once(&mut fut), Poll::Ready(Ok(l)) if l == b"partial\n"));
    assert_eq!(reader.buffer(), b"next");
}

#[test]
fn a_dropped_readuntil_loses_no_bytes() {
    let mem = MemReader::default();
    let mut reader = StreamReader::new(mem.clone());
    mem.feed(b"a multi-byte sep is spl");
    let mut fut = reader.readuntil(b"<END>");
    assert!(poll_once(&mut fut).is_pending());
    drop(fut);
    mem.feed(b"it <EN");
    let mut fut = reader.readuntil(b"<END>");
    assert!(poll_once(&mut fut).is_pending());
    drop(fut);
    assert_eq!(reader.buffer(), b"a multi-byte sep is split <EN");
    mem.feed(b"D>");
    let mut fut = reader.readuntil(b"<END>");
    let Poll::Ready(Ok(got)) = poll_once(&mut fut) else {
        panic!("not ready")
    };
    assert_eq!(got, b"a multi-byte sep is split <END>");
}

#[test]
fn a_dropped_readexactly_loses_no_bytes() {
    let mem = MemReader::default();
    let mut reader = StreamReader::new(mem.clone());
    mem.feed(b"12");
    mem.feed(b"34");
    let mut fut = reader.readexactly(6);
    assert!(poll_once(&mut fut).is_pending());
    drop(fut);
    assert_eq!(reader.buffer(), b"1234");
    mem.feed(b"5678");
    let mut fut = reader.readexactly(6);
    assert!(matches!(poll_once(&mut fut), Poll::Ready(Ok(b)) if b == b"123456"));
    assert_eq!(reader.buffer(), b"78");
}

#[test]
fn a_dropped_read_to_end_loses_no_bytes() {
    let mem = MemReader::default();
    let mut reader = StreamReader::new(mem.clone());
    mem.feed(b"all ");
    let mut fut = reader.read_to_end();
    assert!(poll_once(&mut fut).is_pending());
    drop(fut);
    mem.feed(b"of it");
    mem.close();
    let mut fut = reader.read_to_end();
    assert!(matches!(poll_once(&mut fut), Poll::Ready(Ok(b)) if b == b"all of it"));
}

#[test]
fn a_dropped_read_loses_no_bytes() {
    let mem = MemReader::default();
    let mut reader = StreamReader::new(mem.clone());
    let mut fut = reader.read(10);
    assert!(poll_once(&mut fut).is_pending());
    drop(fut);
    mem.feed(b"late");
    let mut fut = reader.read(10);
    assert!(matches!(poll_once(&mut fut), Poll::Ready(Ok(b)) if b == b"late"));
}

#[test]
fn read_gives_what_is_buffered_before_reading_again() {
    let mem = MemReader::default();
    let mut reader = StreamReader::new(mem.clone());
    mem.feed(b"hello");
    mem.feed(b"world");
    let mut fut = reader.read(2);
    assert!(matches!(poll_once(&mut fut), Poll::Ready(Ok(b)) if b == b"he"));
    let mut fut = reader.read(100);
    assert!(matches!(poll_once(&mut fut), Poll::Ready(Ok(b)) if b == b"llo"));
    assert_eq!(mem.reads(), 1, "the buffered bytes needed no read");
    let mut fut = reader.read(0);
    assert!(matches!(poll_once(&mut fut), Poll::Ready(Ok(b)) if b.is_empty()));
    assert_eq!(mem.reads(), 1, "read(0) reads nothing");
    let mut fut = reader.read(100);
    assert!(matches!(poll_once(&mut fut), Poll::Ready(Ok(b)) if b == b"world"));
}

#[test]
fn at_eof_needs_the_end_seen_and_the_buffer_empty() {
    let mem = MemReader::default();
    let mut reader = StreamReader::new(mem.clone());
    mem.feed(b"x");
    mem.close();
    assert!(!reader.at_eof());
    let mut fut = reader.read(1);
    assert!(matches!(poll_once(&mut fut), Poll::Ready(Ok(b)) if b == b"x"));
    assert!(
        !reader.at_eof(),
        "the end is not seen until a read returns it"
    );
    let mut fut = reader.read(1);
    assert!(matches!(poll_once(&mut fut), Poll::Ready(Ok(b)) if b.is_empty()));
    assert!(reader.at_eof());
}

#[test]
fn a_separator_found_past_the_limit_is_an_overrun() {
    let mem = MemReader::default();
    let mut reader = StreamReader::with_limit(mem.clone(), 4);
    mem.feed(b"0123456789\nrest");
    // `fill_buf` reads the whole chunk; the newline is at index 10, past the limit.
    let mut fill = reader.fill_buf();
    assert!(matches!(poll_once(&mut fill), Poll::Ready(Ok(b)) if b.len() == 15));
    let mut fut = reader.readline();
    let Poll::Ready(Err(ReadError::LimitOverrun(e))) = poll_once(&mut fut) else {
        panic!("not an overrun")
    };
    assert_eq!((e.consumed(), e.limit()), (10, 4));
    assert_eq!(reader.buffer(), b"0123456789\nrest", "the bytes stay");
    reader.set_limit(10);
    let mut fut = reader.readline();
    assert!(matches!(poll_once(&mut fut), Poll::Ready(Ok(l)) if l == b"0123456789\n"));
}

#[test]
fn an_empty_separator_is_invalid_input() {
    let mut reader = StreamReader::new(&b"data"[..]);
    let mut fut = reader.readuntil(b"");
    let Poll::Ready(Err(ReadError::Io(e))) = poll_once(&mut fut) else {
        panic!()
    };
    assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
}

#[test]
fn errors_convert_to_io_errors_of_the_right_kind() {
    let mut reader = StreamReader::with_limit(&b"too long\nab"[..], 2);
    let mut fut = reader.readline();
    let Poll::Ready(Err(e)) = poll_once(&mut fut) else {
        panic!()
    };
    assert_eq!(io::Error::from(e).kind(), io::ErrorKind::InvalidData);
    reader.set_limit(100);
    let mut fut = reader.readline();
    assert!(matches!(poll_once(&mut fut), Poll::Ready(Ok(_))));
    let mut fut = reader.readexactly(3);
    let Poll::Ready(Err(e)) = poll_once(&mut fut) else {
        panic!()
    };
    let e = io::Error::from(e);
    assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof);
    let inner = e
        .get_ref()
        .and_then(|e| e.downcast_ref::<weft_net::IncompleteRead>());
    assert_eq!(inner.map(|i| i.partial.as_slice()), Some(&b"ab"[..]));
}

on_both! {
    /// The futures-io traits share the buffer with asyncio's methods.
    fn async_read_and_async_buf_read_share_the_buffer(spawn) {
        let ((mut reader, _w), (_r, mut peer)) = socket_pair();
        peer.write(b"one\ntwo\nthree 3 bytes:xyz");
        peer.close();
        deadline("reads", async {
            assert_eq!(reader.readline().await.unwrap(), b"one\n");
            let mut line = String::new();
            reader.read_line(&mut line).await.unwrap();
            assert_eq!(line, "two\n");
            let mut word = Vec::new();
            reader.read_until(b':', &mut word).await.unwrap();
            assert_eq!(word, b"three 3 bytes:");
            let mut three = [0; 3];
            reader.read_exact(&mut three).await.unwrap();
            assert_eq!(&three, b"xyz");
            assert_eq!(AsyncReadExt::read(&mut reader, &mut [0; 8]).await.unwrap(), 0);
        })
        .await;
    }
}

#[test]
fn a_large_plain_read_bypasses_an_empty_buffer() {
    let mem = MemReader::default();
    let mut reader = StreamReader::new(mem.clone());
    let big = pattern(100_000);
    mem.feed(&big);
    let mut out = vec![0; 100_000];
    let mut fut = AsyncReadExt::read(&mut reader, &mut out);
    assert!(matches!(poll_once(&mut fut), Poll::Ready(Ok(100_000))));
    assert!(out == big);
    assert!(reader.buffer().is_empty());
}

#[test]
fn into_parts_hands_back_the_buffered_bytes() {
    let mem = MemReader::default();
    let mut reader = StreamReader::new(mem.clone());
    mem.feed(b"STARTTLS\r\n\x16\x03");
    let mut fut = reader.readline();
    assert!(matches!(poll_once(&mut fut), Poll::Ready(Ok(_))));
    let (_inner, buffered) = reader.into_parts();
    assert_eq!(buffered, b"\x16\x03");
}
