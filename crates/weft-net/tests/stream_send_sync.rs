//! `Send`, `Sync` and `Unpin` for the streams' and servers' public types and
//! futures, checked at compile time (the test passes if this file compiles).

use std::future::Future;

use weft_net::server::{ServeForever, WaitClosed as ServerWaitClosed};
use weft_net::stream::{Drain, Read, ReadExactly, ReadLine, ReadToEnd, ReadUntil, WaitClosed};
use weft_net::{
    IncompleteRead, LimitOverrun, ReadError, Server, StreamReader, StreamWriter, tcp, unix,
};

fn send<T: Send>() {}
fn sync<T: Sync>() {}
fn unpin<T: Unpin>() {}
fn send_future<F: Future + Send>(_: &F) {}

#[test]
fn the_types_are_send_sync_and_unpin() {
    send::<StreamReader>();
    sync::<StreamReader>();
    unpin::<StreamReader>();
    send::<StreamWriter>();
    sync::<StreamWriter>();
    unpin::<StreamWriter>();
    send::<StreamReader<unix::OwnedReadHalf>>();
    send::<StreamWriter<unix::OwnedWriteHalf>>();
    send::<Server>();
    sync::<Server>();
    unpin::<Server>();
    send::<ReadError>();
    sync::<ReadError>();
    send::<LimitOverrun>();
    send::<IncompleteRead>();
}

#[test]
fn the_futures_are_send_and_unpin() {
    send::<Read<'_, tcp::OwnedReadHalf>>();
    unpin::<Read<'_, tcp::OwnedReadHalf>>();
    send::<ReadLine<'_, tcp::OwnedReadHalf>>();
    unpin::<ReadLine<'_, tcp::OwnedReadHalf>>();
    send::<ReadUntil<'_, tcp::OwnedReadHalf>>();
    unpin::<ReadUntil<'_, tcp::OwnedReadHalf>>();
    send::<ReadExactly<'_, tcp::OwnedReadHalf>>();
    unpin::<ReadExactly<'_, tcp::OwnedReadHalf>>();
    send::<ReadToEnd<'_, tcp::OwnedReadHalf>>();
    unpin::<ReadToEnd<'_, tcp::OwnedReadHalf>>();
    send::<Drain<'_, tcp::OwnedWriteHalf>>();
    unpin::<Drain<'_, tcp::OwnedWriteHalf>>();
    send::<WaitClosed<'_, tcp::OwnedWriteHalf>>();
    unpin::<WaitClosed<'_, tcp::OwnedWriteHalf>>();
    send::<ServeForever<'_>>();
    unpin::<ServeForever<'_>>();
    send::<ServerWaitClosed<'_>>();
    unpin::<ServerWaitClosed<'_>>();
}

#[test]
fn the_async_functions_are_send() {
    send_future(&weft_net::open_connection("127.0.0.1:1"));
    send_future(&weft_net::open_unix_connection("/nonexistent"));
    let spawn = |_| {};
    send_future(&weft_net::start_server_with(
        spawn,
        |_, _| async {},
        "127.0.0.1:0",
    ));
    let handler = |_, _| async {};
    send_future(&weft_net::start_unix_server_with(
        spawn,
        handler,
        "/nonexistent",
    ));
}
