//! What the streams, servers and faults tests share: the two executors, connected
//! reader/writer pairs, deterministic in-memory transports, and a deadline that
//! fails a hung test.
#![allow(dead_code, unreachable_pub)]

use std::collections::VecDeque;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use futures_io::{AsyncRead, AsyncWrite};
use weft_net::server::Spawn;
use weft_net::{StreamReader, StreamWriter, UnixStream, unix};

/// A generous deadline: it fails a hung test, it is never what a test measures.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// Awaits `fut`, panicking if it takes longer than [`DEADLINE`].
pub async fn deadline<F: Future>(what: &str, fut: F) -> F::Output {
    match weft_util::timeout(DEADLINE, fut).await {
        Ok(out) => out,
        Err(_) => panic!("{what}: still pending after {DEADLINE:?}"),
    }
}

/// The executors the tests run on.
#[derive(Clone, Copy, Debug)]
pub enum Rt {
    Weft,
    Tokio,
}

/// The future a server spawns.
pub type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// An executor's spawn, as a `Spawn` that can be cloned.
#[derive(Clone)]
pub struct Spawner(Arc<dyn Fn(BoxFuture) + Send + Sync>);

impl Spawn for Spawner {
    fn spawn(&self, fut: BoxFuture) {
        (self.0)(fut)
    }
}

/// Runs `f(spawner)` to completion on `rt`, where `spawner` spawns on that executor.
pub fn run<F, Fut>(rt: Rt, f: F) -> Fut::Output
where
    F: FnOnce(Spawner) -> Fut,
    Fut: Future,
{
    match rt {
        Rt::Weft => {
            let ex = weft_executor::Executor::new(2).expect("weft executor");
            let handle = ex.handle();
            let spawn = Spawner(Arc::new(move |f: BoxFuture| handle.spawn(f).detach()));
            ex.block_on(f(spawn))
        }
        Rt::Tokio => {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("tokio runtime");
            let handle = rt.handle().clone();
            let spawn = Spawner(Arc::new(move |f: BoxFuture| drop(handle.spawn(f))));
            rt.block_on(f(spawn))
        }
    }
}

pub type UnixReader = StreamReader<unix::OwnedReadHalf>;
pub type UnixWriter = StreamWriter<unix::OwnedWriteHalf>;

/// Two connected ends, each a reader and a writer over a Unix socket pair.
pub fn socket_pair() -> ((UnixReader, UnixWriter), (UnixReader, UnixWriter)) {
    let (a, b) = UnixStream::pair().expect("socket pair");
    let (ar, aw) = a.into_split();
    let (br, bw) = b.into_split();
    (
        (StreamReader::new(ar), StreamWriter::new(aw)),
        (StreamReader::new(br), StreamWriter::new(bw)),
    )
}

/// An in-memory transport to read from: it gives the chunks fed to it, one per read,
/// then `Pending` until more come (or end of stream once closed).
#[derive(Clone, Default)]
pub struct MemReader(Arc<Mutex<MemReaderState>>);

#[derive(Default)]
pub struct MemReaderState {
    chunks: VecDeque<Vec<u8>>,
    eof: bool,
    waker: Option<Waker>,
    /// How many reads reached the transport.
    pub reads: usize,
}

impl MemReader {
    pub fn feed(&self, chunk: &[u8]) {
        let mut st = self.0.lock().unwrap();
        st.chunks.push_back(chunk.to_vec());
        if let Some(w) = st.waker.take() {
            w.wake();
        }
    }

    pub fn close(&self) {
        let mut st = self.0.lock().unwrap();
        st.eof = true;
        if let Some(w) = st.waker.take() {
            w.wake();
        }
    }

    pub fn reads(&self) -> usize {
        self.0.lock().unwrap().reads
    }
}

impl AsyncRead for MemReader {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let mut guard = self.0.lock().unwrap();
        let st = &mut *guard;
        st.reads += 1;
        match st.chunks.front_mut() {
            Some(chunk) => {
                let n = chunk.len().min(buf.len());
                buf[..n].copy_from_slice(&chunk[..n]);
                chunk.drain(..n);
                if chunk.is_empty() {
                    st.chunks.pop_front();
                }
                Poll::Ready(Ok(n))
            }
            None if st.eof => Poll::Ready(Ok(0)),
            None => {
                st.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// An in-memory transport to write to, holding at most `capacity` unread bytes:
/// writes beyond that get `Pending` until [`MemSink::take`] makes room (and wakes
/// the writer, synchronously, as a socket's readiness would).
#[derive(Clone)]
pub struct MemSink(pub Arc<Mutex<MemSinkState>>);

pub struct MemSinkState {
    pub data: Vec<u8>,
    pub capacity: usize,
    pub closed: bool,
    waker: Option<Waker>,
    pub fail: Option<io::ErrorKind>,
}

impl MemSink {
    pub fn new(capacity: usize) -> MemSink {
        MemSink(Arc::new(Mutex::new(MemSinkState {
            data: Vec::new(),
            capacity,
            closed: false,
            waker: None,
            fail: None,
        })))
    }

    /// Takes up to `n` unread bytes out, and wakes the writer if it waits.
    pub fn take(&self, n: usize) -> Vec<u8> {
        let (out, waker) = {
            let mut st = self.0.lock().unwrap();
            let n = n.min(st.data.len());
            let out: Vec<u8> = st.data.drain(..n).collect();
            (out, st.waker.take())
        };
        if let Some(w) = waker {
            w.wake();
        }
        out
    }

    /// Makes every later write fail with `kind`, and wakes the writer.
    pub fn fail(&self, kind: io::ErrorKind) {
        let waker = {
            let mut st = self.0.lock().unwrap();
            st.fail = Some(kind);
            st.waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    pub fn unread(&self) -> usize {
        self.0.lock().unwrap().data.len()
    }

    pub fn is_closed(&self) -> bool {
        self.0.lock().unwrap().closed
    }
}

impl AsyncWrite for MemSink {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let mut st = self.0.lock().unwrap();
        if let Some(kind) = st.fail {
            return Poll::Ready(Err(kind.into()));
        }
        let room = st.capacity - st.data.len();
        if room == 0 {
            st.waker = Some(cx.waker().clone());
            return Poll::Pending;
        }
        let n = room.min(buf.len());
        st.data.extend_from_slice(&buf[..n]);
        Poll::Ready(Ok(n))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.0.lock().unwrap().closed = true;
        Poll::Ready(Ok(()))
    }
}

/// Polls `fut` once with a waker that does nothing.
pub fn poll_once<F: Future + Unpin>(fut: &mut F) -> Poll<F::Output> {
    Pin::new(fut).poll(&mut Context::from_waker(Waker::noop()))
}

/// `n` bytes of a pattern that shows where a byte went missing.
pub fn pattern(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i % 251) as u8).collect()
}

/// Writes a test that runs `$body` (with `$spawn`, a [`Spawner`]) once on weft's
/// executor and once on tokio's, as `$name::weft` and `$name::tokio`.
#[macro_export]
macro_rules! on_both {
    ($(#[$m:meta])* fn $name:ident($spawn:ident) $body:block) => {
        $(#[$m])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[test]
            fn weft() {
                $crate::stream_support::run($crate::stream_support::Rt::Weft, |$spawn| async move {
                    let _ = &$spawn;
                    $body
                })
            }

            #[test]
            fn tokio() {
                $crate::stream_support::run($crate::stream_support::Rt::Tokio, |$spawn| async move {
                    let _ = &$spawn;
                    $body
                })
            }
        }
    };
}
