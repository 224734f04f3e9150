//! An HTTP/1.1 "hello, world" server: hyper 1.x on weft's runtime, through
//! weft-net's hyper adapter (`weft::net::hyper`).
//!
//! ```text
//! cargo run -p weft --features hyper --example hello_http            # 127.0.0.1:3000
//! cargo run -p weft --features hyper --example hello_http -- 127.0.0.1:8080
//! curl http://127.0.0.1:3000/
//! ```
//!
//! Each connection is a task: [`HyperIo`] gives hyper's I/O traits to weft's
//! `TcpStream`, and [`HyperTimer`] gives it the reactor's timers, for the header-read
//! timeout that stops a client from holding a connection open by saying nothing.
//! The server runs until it is interrupted.

use std::convert::Infallible;
use std::error::Error;
use std::time::Duration;

use weft::net::TcpListener;
use weft::net::hyper::hyper::body::Incoming;
use weft::net::hyper::hyper::server::conn::http1;
use weft::net::hyper::hyper::service::service_fn;
use weft::net::hyper::hyper::{Request, Response};
use weft::net::hyper::{HyperIo, HyperTimer};

async fn hello(req: Request<Incoming>) -> Result<Response<String>, Infallible> {
    Ok(Response::new(format!(
        "hello, world: {} {}\n",
        req.method(),
        req.uri()
    )))
}

#[weft::main(worker_threads = 2)]
async fn main() -> Result<(), Box<dyn Error>> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3000".to_string());
    let listener = TcpListener::bind(addr.as_str()).await?;
    println!("listening on http://{}", listener.local_addr()?);
    loop {
        let (tcp, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Out of descriptors, or a connection reset before it was accepted: the
            // listener is still good.
            Err(e) => {
                eprintln!("accept: {e}");
                weft::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        weft::spawn(async move {
            let conn = http1::Builder::new()
                .timer(HyperTimer)
                .header_read_timeout(Duration::from_secs(10))
                .serve_connection(HyperIo::new(tcp), service_fn(hello));
            if let Err(e) = conn.await {
                eprintln!("{peer}: {e}");
            }
        })
        .detach();
    }
}
