//! Workloads 10 and 11 of BENCHMARKS.md: TCP echo over 127.0.0.1, client and server
//! tasks in this process, `TCP_NODELAY` on both ends. weft uses `weft::net` (weft-net),
//! tokio `tokio::net`, smol `smol::net` (async-net); weft and smol read and write
//! through the `futures-io` traits.
//!
//! The connections are made once per process, before the warm-ups (listener, connects,
//! accepts: none of it timed); each accepted connection gets a server task that reads
//! what is there and writes it back, until end of file. One sample spawns one client
//! task per connection; each does its round trips (write the message, read exactly as
//! many bytes back) and hands its connection back. A sample is the time from spawning
//! the clients to the last client's end.
//!
//! - `tcp_echo_latency`: 1 connection, 10,000 round trips of 64 B.
//! - `tcp_echo_throughput`: 50 connections x 1,000 round trips of 64 B, concurrently;
//!   `p99_ns` is the p99 round-trip latency (write start to last byte read) over all
//!   round trips of all samples (not the warm-ups).
//! - `tcp_echo_throughput_1k`: the same with 1 KiB messages.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::rt::{Bench, Rt, Smol, Spawn, Tokio, Weft};
use crate::{Cfg, Measured, Outcome, Workload, quantile};

/// What one workload does.
#[derive(Clone, Copy)]
struct Shape {
    conns: usize,
    rounds: usize,
    size: usize,
    /// Record each round trip's latency (for `p99_ns`).
    p99: bool,
}

const LATENCY: Shape = Shape {
    conns: 1,
    rounds: 10_000,
    size: 64,
    p99: false,
};
const THROUGHPUT: Shape = Shape {
    conns: 50,
    rounds: 1_000,
    size: 64,
    p99: true,
};
const THROUGHPUT_1K: Shape = Shape {
    size: 1024,
    ..THROUGHPUT
};

pub(crate) const WORKLOADS: [Workload; 3] = [
    Workload {
        name: "tcp_echo_latency",
        run: |c| run(c, LATENCY),
    },
    Workload {
        name: "tcp_echo_throughput",
        run: |c| run(c, THROUGHPUT),
    },
    Workload {
        name: "tcp_echo_throughput_1k",
        run: |c| run(c, THROUGHPUT_1K),
    },
];

fn run(cfg: &Cfg, shape: Shape) -> Outcome {
    let mt2 = cfg.mode.mt2();
    match cfg.runtime {
        Rt::Weft => measure::<WeftNet, _>(cfg, &Weft::new(mt2), shape, "weft::net"),
        Rt::Tokio => measure::<TokioNet, _>(cfg, &Tokio::new(mt2), shape, "tokio::net"),
        Rt::Smol => measure::<SmolNet, _>(cfg, &Smol::new(mt2), shape, "smol::net (async-net)"),
    }
}

fn measure<N: Net, R: Bench>(cfg: &Cfg, rt: &R, shape: Shape, note: &str) -> Outcome {
    let mut conns = rt.run(connect::<N, _>(rt.local(), shape.conns));
    let mut latencies = Vec::new();
    let mut runs = 0;
    let samples = cfg.sample(|| {
        let (took, back, lat) = rt.run(sample::<N, _>(
            rt.local(),
            std::mem::take(&mut conns),
            shape,
        ));
        conns = back;
        if runs >= cfg.warmups {
            latencies.extend(lat);
        }
        runs += 1;
        took
    });
    // Closing the clients ends the server tasks.
    rt.run(async move { drop(conns) });
    let mut m = Measured::new(samples, (shape.conns * shape.rounds) as u64);
    if shape.p99 && !latencies.is_empty() {
        m.p99 = Some(quantile(&mut latencies, 0.99));
    }
    m.note = Some(note.to_string());
    Outcome::Ok(m)
}

/// TCP over loopback, as one runtime does it.
trait Net: 'static {
    type Listener: Send + 'static;
    type Stream: Send + 'static;
    /// A listener on 127.0.0.1, any port, and its address.
    fn bind() -> impl Future<Output = (Self::Listener, SocketAddr)> + Send;
    /// The next connection, `TCP_NODELAY` set.
    fn accept(l: &Self::Listener) -> impl Future<Output = Self::Stream> + Send;
    /// A connection to `addr`, `TCP_NODELAY` set.
    fn connect(addr: SocketAddr) -> impl Future<Output = Self::Stream> + Send;
    fn read(s: &mut Self::Stream, buf: &mut [u8])
    -> impl Future<Output = io::Result<usize>> + Send;
    fn read_exact(
        s: &mut Self::Stream,
        buf: &mut [u8],
    ) -> impl Future<Output = io::Result<()>> + Send;
    fn write_all(s: &mut Self::Stream, buf: &[u8]) -> impl Future<Output = io::Result<()>> + Send;
}

struct WeftNet;

impl Net for WeftNet {
    type Listener = weft::net::TcpListener;
    type Stream = weft::net::TcpStream;

    async fn bind() -> (Self::Listener, SocketAddr) {
        let l = weft::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = l.local_addr().expect("local address");
        (l, addr)
    }

    async fn accept(l: &Self::Listener) -> Self::Stream {
        let (s, _) = l.accept().await.expect("accept");
        s.set_nodelay(true).expect("TCP_NODELAY");
        s
    }

    async fn connect(addr: SocketAddr) -> Self::Stream {
        let s = weft::net::TcpStream::connect(addr).await.expect("connect");
        s.set_nodelay(true).expect("TCP_NODELAY");
        s
    }

    async fn read(s: &mut Self::Stream, buf: &mut [u8]) -> io::Result<usize> {
        futures::AsyncReadExt::read(s, buf).await
    }

    async fn read_exact(s: &mut Self::Stream, buf: &mut [u8]) -> io::Result<()> {
        futures::AsyncReadExt::read_exact(s, buf).await
    }

    async fn write_all(s: &mut Self::Stream, buf: &[u8]) -> io::Result<()> {
        futures::AsyncWriteExt::write_all(s, buf).await
    }
}

struct TokioNet;

impl Net for TokioNet {
    type Listener = tokio::net::TcpListener;
    type Stream = tokio::net::TcpStream;

    async fn bind() -> (Self::Listener, SocketAddr) {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = l.local_addr().expect("local address");
        (l, addr)
    }

    async fn accept(l: &Self::Listener) -> Self::Stream {
        let (s, _) = l.accept().await.expect("accept");
        s.set_nodelay(true).expect("TCP_NODELAY");
        s
    }

    async fn connect(addr: SocketAddr) -> Self::Stream {
        let s = tokio::net::TcpStream::connect(addr).await.expect("connect");
        s.set_nodelay(true).expect("TCP_NODELAY");
        s
    }

    async fn read(s: &mut Self::Stream, buf: &mut [u8]) -> io::Result<usize> {
        tokio::io::AsyncReadExt::read(s, buf).await
    }

    async fn read_exact(s: &mut Self::Stream, buf: &mut [u8]) -> io::Result<()> {
        tokio::io::AsyncReadExt::read_exact(s, buf).await.map(drop)
    }

    async fn write_all(s: &mut Self::Stream, buf: &[u8]) -> io::Result<()> {
        tokio::io::AsyncWriteExt::write_all(s, buf).await
    }
}

struct SmolNet;

impl Net for SmolNet {
    type Listener = smol::net::TcpListener;
    type Stream = smol::net::TcpStream;

    async fn bind() -> (Self::Listener, SocketAddr) {
        let l = smol::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = l.local_addr().expect("local address");
        (l, addr)
    }

    async fn accept(l: &Self::Listener) -> Self::Stream {
        let (s, _) = l.accept().await.expect("accept");
        s.set_nodelay(true).expect("TCP_NODELAY");
        s
    }

    async fn connect(addr: SocketAddr) -> Self::Stream {
        let s = smol::net::TcpStream::connect(addr).await.expect("connect");
        s.set_nodelay(true).expect("TCP_NODELAY");
        s
    }

    async fn read(s: &mut Self::Stream, buf: &mut [u8]) -> io::Result<usize> {
        smol::io::AsyncReadExt::read(s, buf).await
    }

    async fn read_exact(s: &mut Self::Stream, buf: &mut [u8]) -> io::Result<()> {
        smol::io::AsyncReadExt::read_exact(s, buf).await
    }

    async fn write_all(s: &mut Self::Stream, buf: &[u8]) -> io::Result<()> {
        smol::io::AsyncWriteExt::write_all(s, buf).await
    }
}

/// `n` client connections to a fresh listener whose accepted ends each have an echo
/// task; returns once all `n` are accepted.
async fn connect<N: Net, S: Spawn>(s: S, n: usize) -> Vec<N::Stream> {
    let (listener, addr) = N::bind().await;
    let acceptor = s.spawn({
        let s = s.clone();
        async move {
            for _ in 0..n {
                s.detach(serve::<N>(N::accept(&listener).await));
            }
        }
    });
    let mut clients = Vec::with_capacity(n);
    for _ in 0..n {
        clients.push(N::connect(addr).await);
    }
    acceptor.await;
    clients
}

/// The server side of one connection: writes back what it reads, until end of file
/// (or an error, as the process closes).
async fn serve<N: Net>(mut c: N::Stream) {
    let mut buf = vec![0u8; 4096];
    while let Ok(n @ 1..) = N::read(&mut c, &mut buf).await {
        if N::write_all(&mut c, &buf[..n]).await.is_err() {
            return;
        }
    }
}

/// One sample: a client task per connection; the connections come back, with every
/// round trip's latency when `shape.p99`.
async fn sample<N: Net, S: Spawn>(
    s: S,
    conns: Vec<N::Stream>,
    shape: Shape,
) -> (Duration, Vec<N::Stream>, Vec<Duration>) {
    let start = Instant::now();
    let clients: Vec<_> = conns
        .into_iter()
        .map(|c| s.spawn(client::<N>(c, shape)))
        .collect();
    let mut back = Vec::with_capacity(shape.conns);
    let mut latencies = Vec::with_capacity(if shape.p99 {
        shape.conns * shape.rounds
    } else {
        0
    });
    for t in clients {
        let (c, lat) = t.await;
        back.push(c);
        latencies.extend(lat);
    }
    (start.elapsed(), back, latencies)
}

/// `shape.rounds` round trips of `shape.size` bytes on `c`.
async fn client<N: Net>(mut c: N::Stream, shape: Shape) -> (N::Stream, Vec<Duration>) {
    let msg: Vec<u8> = (0..shape.size).map(|i| i as u8).collect();
    let mut buf = vec![0u8; shape.size];
    let mut latencies = Vec::with_capacity(if shape.p99 { shape.rounds } else { 0 });
    for _ in 0..shape.rounds {
        let t = shape.p99.then(Instant::now);
        N::write_all(&mut c, &msg)
            .await
            .expect("write to the echo server");
        N::read_exact(&mut c, &mut buf)
            .await
            .expect("read from the echo server");
        if let Some(t) = t {
            latencies.push(t.elapsed());
        }
    }
    assert_eq!(buf, msg, "the echo came back changed");
    (c, latencies)
}
