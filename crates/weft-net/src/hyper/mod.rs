//! hyper 1.x on weft (feature `hyper`): the runtime pieces hyper asks its user for.
//!
//! hyper brings no runtime of its own; it asks for three things, all here:
//!
//! - I/O: [`HyperIo`] gives hyper's `Read` and `Write` to any `futures-io` stream (a
//!   [`TcpStream`](crate::TcpStream), a [`UnixStream`](crate::UnixStream), a TLS
//!   stream).
//! - A timer: [`HyperTimer`] on the reactor's timers, for header-read timeouts and
//!   keep-alive.
//! - An executor: [`HyperExecutor`] on a [`Spawn`](crate::Spawn), for the tasks
//!   HTTP/2 and the client start.
//!
//! # Implementation
//!
//! Nothing is spawned here and nothing depends on an executor: the adapters pass
//! polls through to weft-net's streams and the reactor's timers, which wake tasks
//! under any executor. hyper's read buffers are uninitialised memory, which safe
//! code may not hand to `AsyncRead`, so a read goes through an 8 KiB stack buffer.
//!
//! # Examples
//!
//! An HTTP/1.1 server, one task per connection (`crates/weft/examples/hello_http.rs`
//! is the same with weft's runtime):
//!
//! ```
//! use std::convert::Infallible;
//! use hyper::server::conn::http1;
//! use hyper::service::service_fn;
//! use hyper::{Request, Response, body::Incoming};
//! use weft_net::hyper::{HyperIo, HyperTimer};
//! use weft_net::{TcpListener, TcpStream};
//!
//! async fn hello(_req: Request<Incoming>) -> Result<Response<String>, Infallible> {
//!     Ok(Response::new("hello, world\n".to_string()))
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//! let ex = weft_executor::Executor::new(2)?;
//! ex.block_on(async {
//!     let listener = TcpListener::bind("127.0.0.1:0").await?;
//!     let addr = listener.local_addr()?;
//!     weft_executor::spawn(async move {
//!         while let Ok((tcp, _)) = listener.accept().await {
//!             weft_executor::spawn(async move {
//!                 let conn = http1::Builder::new()
//!                     .timer(HyperTimer)
//!                     .serve_connection(HyperIo::new(tcp), service_fn(hello));
//!                 let _ = conn.await;
//!             })
//!             .detach();
//!         }
//!     })
//!     .detach();
//!
//!     // A client on the same adapter.
//!     let tcp = TcpStream::connect(addr).await?;
//!     let (mut sender, conn) = hyper::client::conn::http1::handshake(HyperIo::new(tcp)).await?;
//!     weft_executor::spawn(conn).detach();
//!     let req = Request::get("/").header("host", "localhost").body(String::new())?;
//!     let res = sender.send_request(req).await?;
//!     assert_eq!(res.status(), 200);
//!     Ok(())
//! })
//! # }
//! ```

mod executor;
mod io;
mod timer;

/// The hyper crate the adapter is built for, re-exported so that code using the
/// adapter names the same version (`use weft_net::hyper::hyper;`).
pub use ::hyper;

pub use executor::HyperExecutor;
pub use io::HyperIo;
pub use timer::HyperTimer;
