//! asyncio's TCP echo server, on weft's streams.
//!
//! ```python
//! async def handle_echo(reader, writer):
//!     data = await reader.read(100)
//!     message = data.decode()
//!     addr = writer.get_extra_info('peername')
//!     print(f"Received {message!r} from {addr!r}")
//!     writer.write(data)
//!     await writer.drain()
//!     writer.close()
//!     await writer.wait_closed()
//!
//! async def main():
//!     server = await asyncio.start_server(handle_echo, '127.0.0.1', 8888)
//!     addrs = ', '.join(str(sock.getsockname()) for sock in server.sockets)
//!     print(f'Serving on {addrs}')
//!     async with server:
//!         await server.serve_forever()
//! ```
//!
//! One difference: a connection is echoed until the client closes it, not for one
//! read only, so that `echo_client`'s many round trips per connection work against
//! it. Run with `cargo run -p weft --example echo_server [ADDR] [--quiet]` (ADDR
//! defaults to 127.0.0.1:8888), then `cargo run -p weft --example echo_client --
//! --addr 127.0.0.1:8888` in another terminal.

use std::io;

use weft::net::{StreamReader, StreamWriter};

/// Echoes what the client sends until it closes the connection.
async fn handle_echo(mut reader: StreamReader, mut writer: StreamWriter, quiet: bool) {
    let addr = writer.peer_addr();
    let mut echoed = 0;
    let mut first = None;
    loop {
        let data = match reader.read(64 * 1024).await {
            Ok(data) if !data.is_empty() => data,
            _ => break, // end of stream, or the connection failed
        };
        if first.is_none() {
            first = Some(String::from_utf8_lossy(&data[..data.len().min(100)]).into_owned());
        }
        echoed += data.len();
        writer.write(&data);
        if writer.drain().await.is_err() {
            break;
        }
    }
    if !quiet {
        println!("Received {first:?} from {addr:?}; echoed {echoed} bytes; closing");
    }
    writer.close();
    let _ = writer.wait_closed().await;
}

fn main() -> io::Result<()> {
    let mut addr = "127.0.0.1:8888".to_string();
    let mut quiet = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--quiet" | "-q" => quiet = true,
            "--help" | "-h" => {
                println!("usage: echo_server [ADDR] [--quiet]");
                return Ok(());
            }
            _ => addr = arg,
        }
    }
    weft::run(async move {
        let spawn = |f| weft::spawn(f).detach();
        let handler = move |r, w| handle_echo(r, w, quiet);
        let server = weft::net::start_server_with(spawn, handler, addr.as_str()).await?;
        let addrs: Vec<String> = server.local_addrs().iter().map(|a| a.to_string()).collect();
        println!("Serving on {}", addrs.join(", "));
        server.serve_forever().await
    })
}
