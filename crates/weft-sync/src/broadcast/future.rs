//! The future of the broadcast receiver's waiting method: [`Recv`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use event_listener::EventListener;

use super::core::Shared;
use super::error::{RecvError, TryRecvError};

/// The future of [`Receiver::recv`](super::Receiver::recv): receives the next
/// value once there is one.
///
/// # Cancel safety
///
/// Cancel safe: dropped before it completes, it has taken no value and has not
/// moved the receiver on, so the next receive gets the value (or the lag report)
/// this one would have got. Every send wakes every waiting receiver, so no wake-up
/// is lost with it.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let (tx, mut rx) = weft_sync::broadcast::channel(1);
/// tx.send('a').unwrap();
/// let recv: weft_sync::broadcast::Recv<'_, char> = rx.recv();
/// assert_eq!(recv.await, Ok('a'));
/// # });
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Recv<'a, T> {
    shared: &'a Shared<T>,
    pos: &'a mut u64,
    listener: Option<EventListener>,
}

impl<'a, T> Recv<'a, T> {
    pub(super) fn new(shared: &'a Shared<T>, pos: &'a mut u64) -> Self {
        Recv {
            shared,
            pos,
            listener: None,
        }
    }
}

impl<T: Clone> Future for Recv<'_, T> {
    type Output = Result<T, RecvError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        poll_recv(this.shared, this.pos, &mut this.listener, cx)
    }
}

/// Receives the value at `pos`, or registers `cx`'s waker through `listener`.
pub(super) fn poll_recv<T: Clone>(
    shared: &Shared<T>,
    pos: &mut u64,
    listener: &mut Option<EventListener>,
    cx: &mut Context<'_>,
) -> Poll<Result<T, RecvError>> {
    loop {
        let done = match shared.try_recv(pos) {
            Ok(v) => Ok(v),
            Err(TryRecvError::Lagged(n)) => Err(RecvError::Lagged(n)),
            Err(TryRecvError::Closed) => Err(RecvError::Closed),
            Err(TryRecvError::Empty) => {
                match listener {
                    None => *listener = Some(shared.recv_ops.listen()),
                    Some(l) => {
                        ready!(Pin::new(l).poll(cx));
                        *listener = None;
                    }
                }
                continue;
            }
        };
        *listener = None;
        return Poll::Ready(done);
    }
}

impl<T> fmt::Debug for Recv<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recv")
            .field("waiting", &self.listener.is_some())
            .finish_non_exhaustive()
    }
}
