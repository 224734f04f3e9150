//! The streams' bad input and faults (issue 7), each its own test: a line longer
//! than the limit, and reads that meet the end of the stream.

mod stream_support;

use std::task::Poll;

use stream_support::*;
use weft_net::{ReadError, StreamReader};

on_both! {
    /// A 1 MiB line against a 64 KiB limit: every `readline` fails with
    /// `LimitOverrun` having buffered at most the limit and the separator, and the
    /// bytes stay, so reading them out and trying again gets the whole line, and the
    /// next line after it.
    fn a_line_longer_than_the_limit_never_grows_the_buffer(spawn) {
        let ((mut reader, _w), (_r, mut peer)) = socket_pair();
        let limit = reader.limit();
        assert_eq!(limit, 64 * 1024);
        let mut long = pattern(1 << 20);
        long.retain(|&b| b != b'\n');
        long.push(b'\n');
        peer.write(&long);
        peer.write(b"next\n");

        let mut got = Vec::new();
        let mut overruns = 0;
        let tail = deadline("the long line", async {
            loop {
                match reader.readline().await {
                    Ok(line) => return line,
                    Err(ReadError::LimitOverrun(e)) => {
                        overruns += 1;
                        assert!(reader.buffer().len() <= limit + 1, "{} buffered", reader.buffer().len());
                        assert_eq!(e.consumed(), limit + 1);
                        // The bytes are kept: take them out and search on.
                        got.extend(reader.readexactly(e.consumed()).await.unwrap());
                    }
                    Err(e) => panic!("{e}"),
                }
            }
        })
        .await;
        got.extend(tail);
        assert!(got == long, "the line came back changed");
        assert_eq!(overruns, long.len() / (limit + 1));
        assert_eq!(deadline("next", reader.readline()).await.unwrap(), b"next\n");
    }
}

#[test]
fn a_line_longer_than_the_limit_reads_no_more_than_the_limit_from_the_transport() {
    let mem = MemReader::default();
    let mut reader = StreamReader::with_limit(mem.clone(), 1000);
    mem.feed(&vec![b'x'; 1 << 20]); // one chunk of a megabyte, no newline
    for _ in 0..3 {
        let mut fut = reader.readline();
        let Poll::Ready(Err(ReadError::LimitOverrun(e))) = poll_once(&mut fut) else {
            panic!("no overrun")
        };
        assert_eq!(e.consumed(), 1001);
        assert_eq!(
            reader.buffer().len(),
            1001,
            "only limit + separator bytes were read"
        );
    }
}

on_both! {
    fn readexactly_at_eof_returns_the_partial_bytes(spawn) {
        let ((mut reader, _w), (_r, mut peer)) = socket_pair();
        peer.write(b"only ten b");
        peer.close();
        let err = deadline("readexactly", reader.readexactly(100)).await.unwrap_err();
        let ReadError::IncompleteRead(e) = err else { panic!("{err}") };
        assert_eq!(e.partial, b"only ten b");
        assert_eq!(e.expected, Some(100));
        assert!(reader.at_eof());
        assert_eq!(reader.read(1).await.unwrap(), b"");
    }
}

on_both! {
    fn readuntil_at_eof_returns_the_partial_bytes(spawn) {
        let ((mut reader, _w), (_r, mut peer)) = socket_pair();
        peer.write(b"no terminator");
        peer.close();
        let err = deadline("readuntil", reader.readuntil(b";;")).await.unwrap_err();
        let ReadError::IncompleteRead(e) = err else { panic!("{err}") };
        assert_eq!(e.partial, b"no terminator");
        assert_eq!(e.expected, None);
        assert!(reader.at_eof());
    }
}
