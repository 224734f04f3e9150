//! The machinery under `Connect` and `Accept`: a handshake future with a deadline.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use weft_reactor::time::Timer;

/// How long a handshake may take unless the connector or acceptor says otherwise:
/// asyncio's `ssl_handshake_timeout` default, 60 seconds.
pub(super) const DEFAULT_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(60);

/// A handshake future `F` (or the error that kept it from starting), raced against a
/// deadline.
pub(super) struct Handshake<F> {
    state: State<F>,
    timer: Timer,
    timeout: Duration,
}

enum State<F> {
    Running(F),
    /// Failed before it started (a bad server name); `None` once reported.
    Failed(Option<io::Error>),
}

impl<F> Handshake<F> {
    pub(super) fn new(handshake: F, timeout: Duration) -> Handshake<F> {
        Handshake {
            state: State::Running(handshake),
            timer: Timer::after(timeout),
            timeout,
        }
    }

    pub(super) fn failed(error: io::Error) -> Handshake<F> {
        Handshake {
            state: State::Failed(Some(error)),
            timer: Timer::never(),
            timeout: Duration::ZERO,
        }
    }

    /// Polls the handshake, then the deadline; `map` turns the handshake's stream
    /// into the caller's.
    pub(super) fn poll_with<S, T>(
        &mut self,
        cx: &mut Context<'_>,
        map: impl FnOnce(S) -> T,
    ) -> Poll<io::Result<T>>
    where
        F: Future<Output = io::Result<S>> + Unpin,
    {
        let handshake = match &mut self.state {
            State::Running(handshake) => handshake,
            State::Failed(error) => {
                let error = error.take().unwrap_or_else(|| {
                    io::Error::other("tls handshake future polled after completion")
                });
                return Poll::Ready(Err(error));
            }
        };
        if let Poll::Ready(result) = Pin::new(handshake).poll(cx) {
            self.state = State::Failed(None);
            return Poll::Ready(result.map(map));
        }
        if Pin::new(&mut self.timer).poll(cx).is_ready() {
            self.state = State::Failed(None);
            return Poll::Ready(Err(timed_out(self.timeout)));
        }
        Poll::Pending
    }
}

fn timed_out(timeout: Duration) -> io::Error {
    io::Error::new(
        io::ErrorKind::TimedOut,
        format!("tls handshake timed out after {timeout:?}"),
    )
}
