//! `StreamWriter`: writes that never wait, bytes that leave in the background,
//! `drain`'s water marks, `write_eof`, `close` and `wait_closed`, errors, and its
//! futures-io trait; over sockets and over a deterministic in-memory transport.

mod stream_support;

use std::io;
use std::task::Poll;

use futures::AsyncWriteExt;
use stream_support::*;
use weft_net::StreamWriter;

on_both! {
    /// asyncio's transport sends at once: no `drain` is needed for the peer to get
    /// a small write.
    fn a_write_is_sent_without_drain(spawn) {
        let ((_r, mut writer), (mut peer, _w)) = socket_pair();
        writer.write(b"ping\n");
        let line = deadline("readline", peer.readline()).await.unwrap();
        assert_eq!(line, b"ping\n");
    }
}

on_both! {
    /// Far more than the socket holds, queued at once below a raised high-water
    /// mark: `drain` returns at once, and the rest still leaves, with no further
    /// call on the writer.
    fn queued_bytes_leave_in_the_background(spawn) {
        let ((_r, mut writer), (mut peer, _w)) = socket_pair();
        let data = pattern(8 << 20);
        writer.set_write_buffer_limits(64 << 20, 1 << 20);
        writer.write(&data);
        assert!(writer.write_buffer_size() > 0, "the socket took 8 MiB at once");
        deadline("drain", writer.drain()).await.unwrap();
        let got = deadline("readexactly", peer.readexactly(data.len())).await.unwrap();
        assert!(got == data);
        assert_eq!(writer.write_buffer_size(), 0);
    }
}

#[test]
fn drain_waits_only_above_the_high_water_mark_until_the_low_one() {
    let sink = MemSink::new(0);
    let mut writer = StreamWriter::new(sink.clone());
    writer.set_write_buffer_limits(1000, 100);

    writer.write(&[1; 600]);
    assert_eq!(writer.write_buffer_size(), 600);
    assert!(
        poll_once(&mut writer.drain()).is_ready(),
        "600 <= high: no wait"
    );

    writer.write(&[2; 600]); // 1200 > 1000
    let mut drain = writer.drain();
    assert!(poll_once(&mut drain).is_pending());
    drop(drain);

    // The reader makes room; the transport's waker writes on its own.
    sink.0.lock().unwrap().capacity = 10_000;
    sink.take(0);
    assert_eq!(writer.write_buffer_size(), 0);
    assert!(poll_once(&mut writer.drain()).is_ready());
    assert_eq!(sink.unread(), 1200);
}

#[test]
fn drain_wakes_when_the_buffer_falls_to_the_low_water_mark() {
    let sink = MemSink::new(0);
    let mut writer = StreamWriter::new(sink.clone());
    writer.set_write_buffer_limits(1000, 100);
    writer.write(&[7; 2000]);

    let (waker, woken) = flag_waker();
    let mut cx = std::task::Context::from_waker(&waker);
    let mut drain = writer.drain();
    assert!(std::pin::Pin::new(&mut drain).poll(&mut cx).is_pending());

    let room = |n: usize| {
        let mut st = sink.0.lock().unwrap();
        st.capacity = st.data.len() + n;
    };
    room(1500); // 500 left: below high, above low: still paused
    sink.take(0);
    assert!(!woken.load(std::sync::atomic::Ordering::SeqCst));
    room(420); // 80 left: at most low
    sink.take(0);
    assert!(woken.load(std::sync::atomic::Ordering::SeqCst));
    assert!(std::pin::Pin::new(&mut drain).poll(&mut cx).is_ready());
}

on_both! {
    fn write_eof_sends_the_queue_then_end_of_stream(spawn) {
        let ((_r, mut writer), (mut peer, _w)) = socket_pair();
        let data = pattern(1 << 20);
        writer.write(&data);
        writer.write_eof();
        assert!(!writer.is_closing());
        let got = deadline("read_to_end", peer.read_to_end()).await.unwrap();
        assert!(got == data);
    }
}

on_both! {
    fn close_and_wait_closed_flush_then_shut_down(spawn) {
        let ((_r, mut writer), (mut peer, _w)) = socket_pair();
        let data = pattern(1 << 20);
        writer.write(&data);
        writer.close();
        assert!(writer.is_closing());
        let reading = weft_util::gather!(peer.read_to_end(), writer.wait_closed());
        let (got, closed) = deadline("close", reading).await;
        closed.unwrap();
        assert!(got.unwrap() == data);
    }
}

on_both! {
    /// Dropping a writer closes it the same way: the queue still goes out.
    fn a_dropped_writer_still_sends_its_queue(spawn) {
        let ((_r, mut writer), (mut peer, _w)) = socket_pair();
        let data = pattern(2 << 20);
        writer.write(&data);
        drop(writer);
        let got = deadline("read_to_end", peer.read_to_end()).await.unwrap();
        assert!(got == data);
    }
}

#[test]
fn writes_after_close_are_dropped_and_reported_by_drain() {
    let sink = MemSink::new(1 << 20);
    let mut writer = StreamWriter::new(sink.clone());
    writer.write(b"kept");
    writer.close();
    writer.write(b"dropped");
    let Poll::Ready(Err(e)) = poll_once(&mut writer.drain()) else {
        panic!()
    };
    assert_eq!(e.kind(), io::ErrorKind::BrokenPipe);
    assert!(poll_once(&mut writer.drain()).is_ready(), "reported once");
    assert_eq!(sink.take(100), b"kept");
    assert!(sink.is_closed());
}

#[test]
fn a_failed_transport_fails_every_drain_and_wait_closed() {
    let sink = MemSink::new(4);
    let mut writer = StreamWriter::new(sink.clone());
    writer.write(b"12345678");
    sink.fail(io::ErrorKind::ConnectionReset);
    for _ in 0..2 {
        let Poll::Ready(Err(e)) = poll_once(&mut writer.drain()) else {
            panic!()
        };
        assert_eq!(e.kind(), io::ErrorKind::ConnectionReset);
    }
    assert!(writer.is_closing());
    assert_eq!(writer.write_buffer_size(), 0, "the queue is dropped");
    writer.write(b"more"); // dropped, never queued
    assert_eq!(writer.write_buffer_size(), 0);
    writer.close();
    let Poll::Ready(Err(e)) = poll_once(&mut writer.wait_closed()) else {
        panic!()
    };
    assert_eq!(e.kind(), io::ErrorKind::ConnectionReset);
}

on_both! {
    /// The peer goes away mid-write: the error reaches this writer's `drain`.
    fn a_peer_that_goes_away_mid_write_fails_drain(spawn) {
        let ((_r, mut writer), (peer_r, peer_w)) = socket_pair();
        writer.write(&pattern(4 << 20));
        drop((peer_r, peer_w));
        let err = deadline("drain", async {
            loop {
                writer.write(&[0; 1 << 16]);
                if let Err(e) = writer.drain().await {
                    return e;
                }
            }
        })
        .await;
        assert!(
            matches!(err.kind(), io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset),
            "{err:?}"
        );
    }
}

on_both! {
    /// A `drain` dropped while waiting loses nothing: the queue keeps leaving.
    fn a_dropped_drain_loses_no_bytes(spawn) {
        let ((_r, mut writer), (mut peer, _w)) = socket_pair();
        writer.set_write_buffer_limits(1024, 0);
        let data = pattern(4 << 20);
        writer.write(&data);
        let cut = weft_util::timeout(std::time::Duration::from_millis(1), writer.drain()).await;
        assert!(cut.is_err(), "4 MiB drained to nothing in 1 ms with no reader");
        let got = deadline("readexactly", peer.readexactly(data.len())).await.unwrap();
        assert!(got == data);
    }
}

on_both! {
    /// The futures-io side: `write_all` waits above the high-water mark, `flush`
    /// waits for everything, `close` shuts the write side down.
    fn async_write_flushes_and_closes(spawn) {
        let ((_r, mut writer), (mut peer, _w)) = socket_pair();
        writer.set_write_buffer_limits(4096, 1024);
        let data = pattern(3 << 20);
        let send = async {
            writer.write_all(&data).await.unwrap();
            writer.flush().await.unwrap();
            assert_eq!(writer.write_buffer_size(), 0);
            AsyncWriteExt::close(&mut writer).await.unwrap();
        };
        let (_, got) = deadline("write_all", weft_util::gather!(send, peer.read_to_end())).await;
        assert!(got.unwrap() == data);
    }
}

on_both! {
    fn addresses_come_from_the_connection(spawn) {
        let listener = weft_net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let (_r, writer) = weft_net::open_connection(listener.local_addr().unwrap()).await.unwrap();
        let (accepted, peer) = listener.accept().await.unwrap();
        assert_eq!(writer.peer_addr().unwrap(), listener.local_addr().unwrap());
        assert_eq!(writer.local_addr().unwrap(), peer);
        drop(accepted);
    }
}

#[test]
#[should_panic(expected = "low-water mark")]
fn limits_with_low_above_high_panic() {
    StreamWriter::new(futures::io::sink()).set_write_buffer_limits(10, 20);
}

#[test]
fn writelines_sends_the_lines_in_one_write() {
    let sink = MemSink::new(1 << 20);
    let mut writer = StreamWriter::new(sink.clone());
    writer.writelines([&b"a\n"[..], b"bc\n", b"", b"d\n"]);
    assert_eq!(sink.take(100), b"a\nbc\nd\n");
}

#[test]
fn into_parts_hands_back_what_was_not_written() {
    let sink = MemSink::new(3);
    let mut writer = StreamWriter::new(sink.clone());
    writer.write(b"abcdef");
    let (_inner, queued) = writer.into_parts().unwrap();
    assert_eq!(queued, b"def");
    assert!(
        !sink.is_closed(),
        "handing the transport back does not close it"
    );
}

/// A waker that records that it was woken.
fn flag_waker() -> (
    std::task::Waker,
    std::sync::Arc<std::sync::atomic::AtomicBool>,
) {
    struct Flag(std::sync::Arc<std::sync::atomic::AtomicBool>);
    impl std::task::Wake for Flag {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    (std::sync::Arc::new(Flag(flag.clone())).into(), flag)
}

use std::future::Future;
