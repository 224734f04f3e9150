//! asyncio's streams: [`StreamReader`] and [`StreamWriter`], over any `futures-io`
//! transport.
//!
//! [`open_connection`](crate::open_connection) and the servers hand out a reader and
//! a writer over the two halves of a connection; [`StreamReader::new`] and
//! [`StreamWriter::new`] wrap any other `AsyncRead` or `AsyncWrite` (a pipe, a TLS
//! stream, an in-memory buffer).
//!
//! # Implementation
//!
//! The reader is a buffer in front of the transport: every read first looks at the
//! buffer and reads the transport only for what is missing, so its futures hold no
//! bytes of their own and can be dropped at any await without losing any. The writer
//! is asyncio's transport without a task: the buffer and the transport sit behind a
//! mutex, and the transport is polled with a waker that, when the socket turns
//! writable, writes the buffer out itself (see `transport.rs`). So `write` never
//! waits, `drain` waits only above the high-water mark, and queued bytes leave even if
//! no one awaits anything.
//!
//! # Examples
//!
//! ```
//! use weft_net::stream::{StreamReader, StreamWriter};
//!
//! # weft_reactor::block_on(async {
//! // Any AsyncWrite: here a Vec, then its bytes read back through a reader.
//! let mut writer = StreamWriter::new(Vec::<u8>::new());
//! writer.write(b"one\ntwo\n");
//! let (bytes, _) = writer.into_parts()?;
//! let mut reader = StreamReader::new(&bytes[..]);
//! assert_eq!(reader.readline().await?, b"one\n");
//! assert_eq!(reader.readline().await?, b"two\n");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```

mod endpoints;
mod error;
mod read_buf;
mod reader;
mod reader_futures;
mod reader_io;
mod reader_poll;
mod transport;
mod writer;
mod writer_futures;

pub use error::{IncompleteRead, LimitOverrun, ReadError};
pub use reader::{DEFAULT_LIMIT, StreamReader};
pub use reader_futures::{Read, ReadExactly, ReadLine, ReadToEnd, ReadUntil};
pub use writer::{Endpoints, StreamWriter};
pub use writer_futures::{Drain, WaitClosed};

pub(crate) use transport::Transport;
