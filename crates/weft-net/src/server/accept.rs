//! A server's accept loop: one task for all of its listeners.
//!
//! It accepts from every listener in turn, and for each connection registers it with
//! the server and spawns its handler's task. An error that concerns one connection
//! (aborted before it was accepted, a network error passed on by `accept`) is
//! reported and the loop goes on at once; any other (the process or the system out
//! of descriptors, `EMFILE`/`ENFILE`; out of memory) is reported and the loop pauses
//! for [`BACKOFF`] before it tries again, as asyncio's does (for a second), so that it
//! neither spins nor dies while the connections it has keep being served. `close`
//! drops the listeners and wakes the loop, which ends.

use std::future::{Future, poll_fn};
use std::io;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use super::conn::{Cancel, Conn, Connection, serve};
use super::shared::Shared;
use super::spawn::Spawn;
use crate::stream::{StreamReader, StreamWriter};
use crate::{TcpListener, TcpStream, UnixListener, UnixStream};

/// The pause after an error that is not the connection's own.
pub(crate) const BACKOFF: Duration = Duration::from_millis(100);

/// A listener the loop can accept from.
pub(crate) trait Accept: Send + 'static {
    type Conn: Connection;

    fn poll_accept(&self, cx: &mut Context<'_>) -> Poll<io::Result<Self::Conn>>;
}

impl Accept for TcpListener {
    type Conn = TcpStream;

    fn poll_accept(&self, cx: &mut Context<'_>) -> Poll<io::Result<TcpStream>> {
        TcpListener::poll_accept(self, cx).map_ok(|(s, _)| s)
    }
}

impl Accept for UnixListener {
    type Conn = UnixStream;

    fn poll_accept(&self, cx: &mut Context<'_>) -> Poll<io::Result<UnixStream>> {
        UnixListener::poll_accept(self, cx).map_ok(|(s, _)| s)
    }
}

/// The listeners, shared by the loop and `close` (which empties the vector).
pub(crate) type Listeners<L> = Arc<Mutex<Vec<L>>>;

/// The handler's reader and writer for connections of `L`.
pub(crate) type Reader<L> = StreamReader<<<L as Accept>::Conn as Connection>::Read>;
pub(crate) type Writer<L> = StreamWriter<<<L as Accept>::Conn as Connection>::Write>;

enum Next<C> {
    Conn(C),
    Error(io::Error),
    Closed,
}

/// Tells the server when the loop ends, however it ends (its task may be dropped).
struct Ending(Arc<Shared>);

impl Drop for Ending {
    fn drop(&mut self) {
        self.0.accept_loop_ended();
    }
}

pub(crate) async fn accept_loop<L, H, Fut>(
    shared: Arc<Shared>,
    listeners: Listeners<L>,
    spawn: Arc<dyn Spawn>,
    handler: Arc<H>,
) where
    L: Accept,
    H: Fn(Reader<L>, Writer<L>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let _ending = Ending(shared.clone());
    let mut first = 0;
    loop {
        let next = poll_fn(|cx| poll_next(&shared, &listeners, &mut first, cx)).await;
        match next {
            Next::Closed => return,
            Next::Conn(conn) => start::<L, _, _>(&shared, &*spawn, &handler, conn),
            Next::Error(e) => {
                shared.report_accept_error(&e);
                if !is_connection_error(&e) && !pause(&shared).await {
                    return;
                }
            }
        }
    }
}

fn poll_next<L: Accept>(
    shared: &Shared,
    listeners: &Mutex<Vec<L>>,
    first: &mut usize,
    cx: &mut Context<'_>,
) -> Poll<Next<L::Conn>> {
    if !shared.set_accept_waker(cx.waker()) {
        return Poll::Ready(Next::Closed);
    }
    let listeners = listeners.lock().unwrap_or_else(|e| e.into_inner());
    let n = listeners.len();
    if n == 0 {
        return Poll::Ready(Next::Closed);
    }
    // Start from the next listener each time, so a busy one does not starve the rest.
    for i in 0..n {
        let at = (*first + i) % n;
        match listeners[at].poll_accept(cx) {
            Poll::Ready(res) => {
                *first = (at + 1) % n;
                return Poll::Ready(match res {
                    Ok(conn) => Next::Conn(conn),
                    Err(e) => Next::Error(e),
                });
            }
            Poll::Pending => {}
        }
    }
    Poll::Pending
}

/// Registers `conn` with the server and spawns its task, which sets it up (a TLS
/// handshake, say) and runs the handler.
fn start<L, H, Fut>(shared: &Arc<Shared>, spawn: &dyn Spawn, handler: &Arc<H>, conn: L::Conn)
where
    L: Accept,
    H: Fn(Reader<L>, Writer<L>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let cancel = Arc::new(Cancel::default());
    let ctl = Arc::new(Conn::<L::Conn>::new(cancel.clone()));
    let guard = shared.register(ctl.clone());
    let setup = conn.into_halves();
    let (shared, handler) = (shared.clone(), handler.clone());
    let task = async move {
        let (r, w) = match setup.await {
            Ok(halves) => halves,
            Err(e) => return shared.report_accept_error(&e),
        };
        let writer = StreamWriter::new(w);
        ctl.attach(writer.transport().clone());
        handler(StreamReader::new(r), writer).await;
    };
    spawn.spawn(Box::pin(serve(guard, cancel, task)));
}

/// Errors of one connection, which `accept` passes on (Linux passes pending network
/// errors too): the next connection may be fine.
fn is_connection_error(e: &io::Error) -> bool {
    use io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionAborted
            | ConnectionReset
            | ConnectionRefused
            | Interrupted
            | WouldBlock
            | TimedOut
            | HostUnreachable
            | NetworkUnreachable
            | NetworkDown
            | PermissionDenied
    )
}

/// Waits [`BACKOFF`], or less if the server closes; `false` if it closed.
async fn pause(shared: &Shared) -> bool {
    let mut timer = pin!(weft_reactor::time::sleep(BACKOFF));
    poll_fn(|cx| {
        if !shared.set_accept_waker(cx.waker()) {
            return Poll::Ready(false);
        }
        timer.as_mut().poll(cx).map(|_| true)
    })
    .await
}
