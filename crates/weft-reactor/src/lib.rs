//! weft's event loop core: I/O readiness, timers, the clock and `block_on`.
//!
//! This is what asyncio calls the event loop's selector and timer heap, as a crate of
//! its own that works under any executor.
//!
//! # Implementation
//!
//! One reactor per process, created on first use. On Linux it waits on epoll directly:
//! every source is registered once, edge-triggered, and never re-armed; a wait is one
//! `epoll_pwait2` with a nanosecond timeout; an eventfd wakes a blocked wait and is
//! written only when a thread is blocked. Other Unix systems use the `polling` crate
//! (kqueue) the same way. Timers live in a hierarchical timing wheel.
//!
//! One thread at a time drives the reactor (waits on the poller and wakes the tasks
//! that are ready): a thread inside [`block_on`], an idle worker of weft's runtime,
//! or, when no such thread exists (under tokio or `futures::executor`), a fallback
//! thread named `weft-reactor` that starts the first time it is needed.
//!
//! # Examples
//!
//! ```
//! use std::io::{Read, Write};
//! use std::net::{TcpListener, TcpStream};
//! use std::time::Duration;
//! use weft_reactor::{Async, block_on, time::sleep};
//!
//! # fn main() -> std::io::Result<()> {
//! block_on(async {
//!     let listener = Async::new(TcpListener::bind("127.0.0.1:0")?)?;
//!     let addr = listener.get_ref().local_addr()?;
//!     let client = Async::new(TcpStream::connect(addr)?)?;
//!     let (server, _) = listener.read_with(|l| l.accept()).await?;
//!     let server = Async::new(server)?;
//!
//!     client.write_with(|s| (&*s).write(b"hello")).await?;
//!     sleep(Duration::from_millis(1)).await;
//!     let mut buf = [0; 5];
//!     server.read_with(|s| (&*s).read(&mut buf)).await?;
//!     assert_eq!(&buf, b"hello");
//!     Ok(())
//! })
//! # }
//! ```

mod block_on;
pub mod driver;
mod fallback;
mod io;
mod notify;
mod reactor;
mod source;
mod sync;
mod sys;
pub mod time;

pub use block_on::block_on;
pub use io::{Async, ReadWith, Readable, ReadyGuard, Writable, WriteWith};

/// The protocols' internals for the model-checking tests (`tests/loom_*.rs`); built
/// only under `RUSTFLAGS="--cfg loom"`.
#[cfg(loom)]
#[doc(hidden)]
pub mod __loom {
    pub use crate::notify::model::NotifyState;
    pub use crate::source::model::{Source, Token};
}
