//! asyncio's TCP echo client, then many clients at once.
//!
//! ```python
//! async def tcp_echo_client(message):
//!     reader, writer = await asyncio.open_connection('127.0.0.1', 8888)
//!     print(f'Send: {message!r}')
//!     writer.write(message.encode())
//!     await writer.drain()
//!     data = await reader.read(100)
//!     print(f'Received: {data.decode()!r}')
//!     print('Close the connection')
//!     writer.close()
//!     await writer.wait_closed()
//!
//! asyncio.run(tcp_echo_client('Hello World!'))
//! ```
//!
//! and then the seeds' scenario, "handle 10,000 concurrent client connections" with
//! one coroutine each, scaled to a small machine: 500 connections at once by
//! default, each making 10 round trips of 64 bytes, all in one `gather`.
//!
//! With no `--addr` it starts its own echo server in the process (the one of the
//! `echo_server` example), so `cargo run -p weft --example echo_client` works
//! alone. Options: `--addr HOST:PORT` (a running `echo_server`), `--single-thread`
//! (a one-thread runtime; two workers by default), `--connections N`,
//! `--rounds N`, `--size BYTES`. 10,000 connections (`--connections 10000`) need
//! about 20,000 descriptors with the server in the process: raise `ulimit -n`.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use weft::net::{StreamReader, StreamWriter, open_connection};

async fn tcp_echo_client(addr: SocketAddr, message: &str) -> io::Result<()> {
    let (mut reader, mut writer) = open_connection(addr).await?;
    println!("Send: {message:?}");
    writer.write(message.as_bytes());
    writer.drain().await?;
    let data = reader.read(100).await?;
    println!("Received: {:?}", String::from_utf8_lossy(&data));
    println!("Close the connection");
    writer.close();
    writer.wait_closed().await
}

/// What one client measured: when its first round trip began, when its last ended,
/// and its slowest.
struct Timing {
    first: Instant,
    last: Instant,
    slowest: Duration,
}

/// One of the many clients: connects, then makes `rounds` round trips of `size`
/// bytes.
async fn client(addr: SocketAddr, id: usize, rounds: usize, size: usize) -> io::Result<Timing> {
    let (mut reader, mut writer) = open_connection(addr).await?;
    let message: Vec<u8> = (0..size).map(|i| (id + i) as u8).collect();
    let mut slowest = Duration::ZERO;
    let first = Instant::now();
    for _ in 0..rounds {
        let start = Instant::now();
        writer.write(&message);
        writer.drain().await?;
        let echo = reader.readexactly(size).await?;
        slowest = slowest.max(start.elapsed());
        if echo != message {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the echo differs",
            ));
        }
    }
    let last = Instant::now();
    writer.close();
    writer.wait_closed().await?;
    Ok(Timing {
        first,
        last,
        slowest,
    })
}

/// The `echo_server` example's handler, without its printing.
async fn echo(mut reader: StreamReader, mut writer: StreamWriter) {
    while let Ok(data) = reader.read(64 * 1024).await {
        if data.is_empty() {
            break;
        }
        writer.write(&data);
        if writer.drain().await.is_err() {
            break;
        }
    }
}

struct Args {
    addr: Option<String>,
    single_thread: bool,
    connections: usize,
    rounds: usize,
    size: usize,
}

fn args() -> Args {
    let mut args = Args {
        addr: None,
        single_thread: false,
        connections: 500,
        rounds: 10,
        size: 64,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        let number = |v: String| {
            v.parse()
                .unwrap_or_else(|_| panic!("{flag}: not a number: {v}"))
        };
        match flag.as_str() {
            "--addr" => args.addr = Some(value()),
            "--single-thread" => args.single_thread = true,
            "--connections" | "-n" => args.connections = number(value()),
            "--rounds" => args.rounds = number(value()),
            "--size" => args.size = number(value()),
            _ => {
                println!(
                    "usage: echo_client [--addr HOST:PORT] [--single-thread] [--connections N] [--rounds N] [--size BYTES]"
                );
                std::process::exit(2);
            }
        }
    }
    args
}

fn main() -> io::Result<()> {
    let args = args();
    let mut rt = weft::Runtime::builder();
    if args.single_thread {
        rt = rt.single_thread();
    }
    rt.build()?.block_on(async move {
        // No address: serve ourselves (the self-test).
        let (server, addr) = match &args.addr {
            Some(addr) => {
                let addr = weft::net::lookup_host(addr.as_str()).await?.next();
                (None, addr.expect("lookup_host gives an address"))
            }
            None => {
                let spawn = |f| weft::spawn(f).detach();
                let server = weft::net::start_server_with(spawn, echo, "127.0.0.1:0").await?;
                let addr = server.local_addrs()[0];
                println!("Self-test: an echo server on {addr}");
                (Some(server), addr)
            }
        };

        tcp_echo_client(addr, "Hello World!").await?;

        let (n, rounds, size) = (args.connections, args.rounds, args.size);
        println!("{n} connections at once, {rounds} round trips of {size} bytes each...");
        let clients = (0..n).map(|id| weft::spawn(client(addr, id, rounds, size)));
        let results = weft::gather_all(clients).await;
        let (mut first, mut last) = (None::<Instant>, None::<Instant>);
        let mut slowest = Duration::ZERO;
        for result in results {
            let t = result.expect("a client task panicked")?;
            first = Some(first.map_or(t.first, |f| f.min(t.first)));
            last = Some(last.map_or(t.last, |l| l.max(t.last)));
            slowest = slowest.max(t.slowest);
        }
        let took = match (first, last) {
            (Some(f), Some(l)) => l - f,
            _ => Duration::ZERO,
        };
        let total = n * rounds;
        println!(
            "{total} round trips on {n} connections in {took:.2?}: {:.0} round trips/s, slowest {slowest:.2?}",
            total as f64 / took.as_secs_f64()
        );

        if let Some(server) = server {
            server.close();
            server.wait_closed().await;
        }
        Ok(())
    })
}
