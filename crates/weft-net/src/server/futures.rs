//! The futures of [`Server`]'s waits: [`ServeForever`] and [`WaitClosed`].

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::handle::Server;

/// The future of [`Server::serve_forever`].
///
/// # Cancel safety
///
/// Dropping it before it completes closes the server.
///
/// # Examples
///
/// ```
/// # let ex = weft_executor::Executor::new(1).unwrap();
/// # let handle = ex.handle();
/// # ex.block_on(async {
/// # let spawn = move |f| handle.spawn(f).detach();
/// let server = weft_net::start_server_with(spawn, |_, _| async {}, "127.0.0.1:0").await?;
/// let fut: weft_net::server::ServeForever<'_> = server.serve_forever();
/// drop(fut); // never polled: the server goes on
/// assert!(server.is_serving());
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct ServeForever<'a> {
    server: &'a Server,
    started: bool,
    done: bool,
}

impl<'a> ServeForever<'a> {
    pub(super) fn new(server: &'a Server) -> ServeForever<'a> {
        ServeForever {
            server,
            started: false,
            done: false,
        }
    }
}

impl Future for ServeForever<'_> {
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let shared = this.server.shared();
        shared.wait(cx.waker());
        if shared.is_closed() {
            this.done = true;
            if !this.started {
                let e = io::Error::new(io::ErrorKind::NotConnected, "the server is closed");
                return Poll::Ready(Err(e));
            }
            return Poll::Ready(Ok(()));
        }
        this.started = true;
        Poll::Pending
    }
}

impl Drop for ServeForever<'_> {
    fn drop(&mut self) {
        if self.started && !self.done {
            self.server.close();
        }
    }
}

impl fmt::Debug for ServeForever<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServeForever").finish_non_exhaustive()
    }
}

/// The future of [`Server::wait_closed`].
///
/// # Cancel safety
///
/// Cancel safe: it only watches.
///
/// # Examples
///
/// ```
/// # let ex = weft_executor::Executor::new(1).unwrap();
/// # let handle = ex.handle();
/// # ex.block_on(async {
/// # let spawn = move |f| handle.spawn(f).detach();
/// let server = weft_net::start_server_with(spawn, |_, _| async {}, "127.0.0.1:0").await?;
/// server.close();
/// let fut: weft_net::server::WaitClosed<'_> = server.wait_closed();
/// fut.await;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct WaitClosed<'a> {
    server: &'a Server,
}

impl<'a> WaitClosed<'a> {
    pub(super) fn new(server: &'a Server) -> WaitClosed<'a> {
        WaitClosed { server }
    }
}

impl Future for WaitClosed<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let shared = self.server.shared();
        shared.wait(cx.waker());
        if shared.is_done() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

impl fmt::Debug for WaitClosed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitClosed").finish_non_exhaustive()
    }
}
