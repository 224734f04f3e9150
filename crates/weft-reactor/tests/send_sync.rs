//! Which public types and futures are `Send`, `Sync` and `Unpin`: a change here is a
//! change of API, so it must be deliberate.

use std::net::TcpStream;
use std::os::unix::net::UnixStream;

use weft_reactor::driver::{Driver, Presence};
use weft_reactor::time::{Instant, Interval, MissedTickBehavior, Tick, Timer};
use weft_reactor::{Async, ReadWith, Readable, ReadyGuard, Writable, WriteWith};

fn send<T: Send>() {}
fn sync<T: Sync>() {}
fn unpin<T: Unpin>() {}

macro_rules! all {
    ($($t:ty),* $(,)?) => {
        $( send::<$t>(); sync::<$t>(); unpin::<$t>(); )*
    };
}

type Op = fn(&TcpStream) -> std::io::Result<usize>;

#[test]
fn reactor_types() {
    all!(
        Async<TcpStream>,
        Async<UnixStream>,
        Readable<'static, TcpStream>,
        Writable<'static, TcpStream>,
        ReadyGuard<'static, TcpStream>,
        ReadWith<'static, TcpStream, Op>,
        WriteWith<'static, TcpStream, Op>,
        Timer,
        Interval,
        Tick<'static>,
        Instant,
        MissedTickBehavior,
        Presence,
    );
    // The driver lock belongs to the thread that took it: neither `Send` nor `Sync`
    // is promised (the portable backend's event buffer is not `Sync`).
    unpin::<Driver>();
}

#[test]
fn futures_are_send_when_their_parts_are() {
    fn future_send<F: std::future::Future + Send>(_: &F) {}
    let (a, _b) = UnixStream::pair().unwrap();
    let a = Async::new(a).unwrap();
    future_send(&a.readable());
    future_send(&a.read_with(|s| s.peer_addr()));
    future_send(&weft_reactor::time::sleep(std::time::Duration::ZERO));
}
