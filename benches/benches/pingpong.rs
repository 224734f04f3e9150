//! TCP ping-pong over loopback: weft-reactor against tokio (current-thread) and smol.
//!
//! One connection with `TCP_NODELAY` on both ends; the client and the server run in
//! one thread, as two futures joined (`futures::future::join`) inside the runtime's
//! `block_on`. The client writes 64 bytes and reads them back, 10,000 times; the
//! server reads 64 bytes and writes them back. The time is taken inside `block_on`
//! around the join only (the connection is made before, untimed).
//!
//! - weft: `weft_reactor::Async<std::net::TcpStream>` with the `futures` crate's
//!   `AsyncReadExt`/`AsyncWriteExt`;
//! - tokio: a current-thread runtime (`enable_all`), `tokio::net::TcpStream` and
//!   `tokio::io`'s extension traits;
//! - smol: `smol::Async<std::net::TcpStream>` under `smol::block_on`, with the same
//!   `futures` traits as weft.
//!
//! Usage:
//! - `cargo bench -p weft-benches --bench pingpong`: all three runtimes, interleaved,
//!   2 warm-ups then 15 samples each, one table.
//! - `target/release/deps/pingpong-<hash> weft [round_trips]` (or `tokio`, `smol`):
//!   that runtime only, one run of `round_trips` (10,000 by default) round trips and
//!   nothing else, for `strace -c -f` to count system calls per round trip.
//!
//! Benchmarks measure and print; they never assert a time.

use std::io;
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use futures::future::join;
use weft_benches::{Row, interleaved, print_table};

const ROUND_TRIPS: usize = 10_000;
const MSG: usize = 64;
const WARMUPS: usize = 2;
const SAMPLES: usize = 15;

/// A connected loopback pair `(client, server)`, `TCP_NODELAY` and non-blocking.
fn pair() -> io::Result<(TcpStream, TcpStream)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let client = TcpStream::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;
    for s in [&client, &server] {
        s.set_nodelay(true)?;
        s.set_nonblocking(true)?;
    }
    Ok((client, server))
}

/// The server side over `futures-io` (weft and smol).
async fn serve_fio<S>(mut s: S, n: usize)
where
    S: futures::AsyncRead + futures::AsyncWrite + Unpin,
{
    use futures::{AsyncReadExt, AsyncWriteExt};
    let mut buf = [0u8; MSG];
    for _ in 0..n {
        s.read_exact(&mut buf).await.expect("server read");
        s.write_all(&buf).await.expect("server write");
    }
}

/// The client side over `futures-io` (weft and smol).
async fn ping_fio<S>(mut s: S, n: usize)
where
    S: futures::AsyncRead + futures::AsyncWrite + Unpin,
{
    use futures::{AsyncReadExt, AsyncWriteExt};
    let out = [0x5a_u8; MSG];
    let mut buf = [0u8; MSG];
    for _ in 0..n {
        s.write_all(&out).await.expect("client write");
        s.read_exact(&mut buf).await.expect("client read");
    }
    if n > 0 {
        assert_eq!(buf, out, "the echo came back intact");
    }
}

/// The server side over `tokio::io`.
async fn serve_tokio<S>(mut s: S, n: usize)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buf = [0u8; MSG];
    for _ in 0..n {
        s.read_exact(&mut buf).await.expect("server read");
        s.write_all(&buf).await.expect("server write");
    }
}

/// The client side over `tokio::io`.
async fn ping_tokio<S>(mut s: S, n: usize)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let out = [0x5a_u8; MSG];
    let mut buf = [0u8; MSG];
    for _ in 0..n {
        s.write_all(&out).await.expect("client write");
        s.read_exact(&mut buf).await.expect("client read");
    }
    if n > 0 {
        assert_eq!(buf, out, "the echo came back intact");
    }
}

fn weft(n: usize) -> Duration {
    weft_reactor::block_on(async {
        // Registered inside `block_on`, as an application would, so that the source is
        // served by this thread from the start.
        let (c, s) = pair().expect("loopback pair");
        let client = weft_reactor::Async::new(c).expect("register");
        let server = weft_reactor::Async::new(s).expect("register");
        let start = Instant::now();
        join(serve_fio(&server, n), ping_fio(&client, n)).await;
        start.elapsed()
    })
}

fn tokio(rt: &tokio::runtime::Runtime, n: usize) -> Duration {
    rt.block_on(async {
        let (c, s) = pair().expect("loopback pair");
        let client = tokio::net::TcpStream::from_std(c).expect("register");
        let server = tokio::net::TcpStream::from_std(s).expect("register");
        let start = Instant::now();
        join(serve_tokio(server, n), ping_tokio(client, n)).await;
        start.elapsed()
    })
}

fn smol(n: usize) -> Duration {
    smol::block_on(async {
        let (c, s) = pair().expect("loopback pair");
        let client = smol::Async::new(c).expect("register");
        let server = smol::Async::new(s).expect("register");
        let start = Instant::now();
        join(serve_fio(&server, n), ping_fio(&client, n)).await;
        start.elapsed()
    })
}

fn tokio_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn main() {
    // `cargo bench` passes `--bench`; options are not ours.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if let Some(runtime) = args.first() {
        let n = match args.get(1) {
            Some(n) => n.parse().expect("round trips: a number"),
            None => ROUND_TRIPS,
        };
        let t = match runtime.as_str() {
            "weft" => weft(n),
            "tokio" => tokio(&tokio_runtime(), n),
            "smol" => smol(n),
            other => {
                eprintln!("usage: pingpong [weft|tokio|smol] [round_trips]; not {other:?}");
                std::process::exit(2);
            }
        };
        let per = if n > 0 {
            format!("{:.2} us", t.as_nanos() as f64 / n as f64 / 1e3)
        } else {
            "-".into()
        };
        println!("pingpong {runtime}: {n} round trips of {MSG} B in {t:?}, {per} per round trip");
        return;
    }

    let rt = tokio_runtime();
    println!(
        "pingpong: {} cores; {ROUND_TRIPS} round trips of {MSG} B per sample; \
         {WARMUPS} warm-ups, then {SAMPLES} samples, runtimes interleaved",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    );
    let times = interleaved(
        WARMUPS,
        SAMPLES,
        &mut [
            &mut || weft(ROUND_TRIPS),
            &mut || tokio(&rt, ROUND_TRIPS),
            &mut || smol(ROUND_TRIPS),
        ],
    );
    let rows: Vec<Row> = ["weft", "tokio", "smol"]
        .into_iter()
        .zip(times)
        .map(|(name, times)| Row {
            workload: "tcp_pingpong_64B".into(),
            runtime: name.into(),
            ops: ROUND_TRIPS as u64,
            times,
        })
        .collect();
    println!();
    print_table(&rows);
}
