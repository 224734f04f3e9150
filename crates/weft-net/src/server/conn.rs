//! One served connection: how it is set up and split into a reader and a writer
//! (in its own task: a TLS handshake runs there), how the server closes or aborts
//! it, and the cancellation of its task.

use std::future::{Future, poll_fn, ready};
use std::io;
use std::net::Shutdown;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use futures_io::{AsyncRead, AsyncWrite};

use super::shared::{ConnCtl, ConnGuard};
use crate::stream::Transport;
use crate::{TcpStream, UnixStream, tcp, unix};

/// The setup of a connection, run in the connection's task: its halves.
pub(crate) type Setup<R, W> = Pin<Box<dyn Future<Output = io::Result<(R, W)>> + Send>>;

/// An accepted connection: TCP, Unix, or (`tls/server.rs`) TLS over TCP.
pub(crate) trait Connection: Send + 'static {
    type Read: AsyncRead + Unpin + Send + 'static;
    type Write: AsyncWrite + Unpin + Send + 'static;

    /// The halves, with the connection's options set (asyncio's `TCP_NODELAY`), once
    /// any handshake is done. It runs in the connection's task, not the accept loop.
    fn into_halves(self) -> Setup<Self::Read, Self::Write>;

    /// Ends the handler's reads: they see end of stream.
    fn shutdown_read(w: &Self::Write);

    /// Drops the write half so that closing the connection resets it.
    fn reset(w: Self::Write);
}

impl Connection for TcpStream {
    type Read = tcp::OwnedReadHalf;
    type Write = tcp::OwnedWriteHalf;

    fn into_halves(self) -> Setup<Self::Read, Self::Write> {
        Box::pin(ready(self.set_nodelay(true).map(|()| self.into_split())))
    }

    fn shutdown_read(w: &Self::Write) {
        let _ = w.as_ref().shutdown(Shutdown::Read);
    }

    fn reset(w: Self::Write) {
        // With a zero linger time, the last close sends RST instead of FIN; `forget`
        // keeps the half's drop from sending a FIN first.
        let _ = w.as_ref().set_linger(Some(Duration::ZERO));
        w.forget();
    }
}

impl Connection for UnixStream {
    type Read = unix::OwnedReadHalf;
    type Write = unix::OwnedWriteHalf;

    fn into_halves(self) -> Setup<Self::Read, Self::Write> {
        Box::pin(ready(Ok(self.into_split())))
    }

    fn shutdown_read(w: &Self::Write) {
        let _ = w.as_ref().shutdown(Shutdown::Read);
    }

    fn reset(w: Self::Write) {
        // Unix sockets have no reset: the connection closes with the read half.
        w.forget();
    }
}

/// The server's hold on a connection: its writer's transport, once set up, and its
/// task's cancellation.
pub(crate) struct Conn<C: Connection> {
    transport: Mutex<Option<Arc<Transport<C::Write>>>>,
    cancel: Arc<Cancel>,
}

impl<C: Connection> Conn<C> {
    pub(crate) fn new(cancel: Arc<Cancel>) -> Conn<C> {
        Conn {
            transport: Mutex::new(None),
            cancel,
        }
    }

    /// The connection is set up: its writer's transport.
    pub(crate) fn attach(&self, transport: Arc<Transport<C::Write>>) {
        *self.transport.lock().unwrap_or_else(|e| e.into_inner()) = Some(transport);
    }

    fn transport(&self) -> Option<Arc<Transport<C::Write>>> {
        self.transport
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl<C: Connection> ConnCtl for Conn<C> {
    fn close(&self) {
        let Some(transport) = self.transport() else {
            // Still in its setup (a TLS handshake): nothing was said yet; drop it.
            return self.cancel.cancel();
        };
        let waker = Waker::from(transport.clone());
        transport.with_state(&waker, |st, cx| {
            st.ask_close();
            st.drive(cx);
        });
        transport.with_io(C::shutdown_read);
    }

    fn abort(&self) {
        if let Some(transport) = self.transport() {
            transport.abort(C::reset);
        }
        self.cancel.cancel();
    }
}

/// A handler's cancellation, set by `abort_clients`.
#[derive(Default)]
pub(crate) struct Cancel {
    cancelled: AtomicBool,
    waker: Mutex<Option<Waker>>,
}

impl Cancel {
    pub(crate) fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
        let waker = self.waker.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Whether it is cancelled; if not, `cx` is woken when it is.
    fn poll_cancelled(&self, cx: &mut Context<'_>) -> bool {
        if self.cancelled.load(Ordering::SeqCst) {
            return true;
        }
        {
            let mut slot = self.waker.lock().unwrap_or_else(|e| e.into_inner());
            match &*slot {
                Some(w) if w.will_wake(cx.waker()) => {}
                _ => *slot = Some(cx.waker().clone()),
            }
        }
        self.cancelled.load(Ordering::SeqCst)
    }
}

/// The task of one connection: runs `handler` until it returns or is cancelled, and
/// holds the connection's place in the server (`guard`) until then.
pub(crate) async fn serve(
    guard: ConnGuard,
    cancel: Arc<Cancel>,
    handler: impl Future<Output = ()>,
) {
    let _guard = guard;
    let mut handler = pin!(handler);
    poll_fn(|cx| {
        if cancel.poll_cancelled(cx) {
            return Poll::Ready(());
        }
        handler.as_mut().poll(cx)
    })
    .await;
}
