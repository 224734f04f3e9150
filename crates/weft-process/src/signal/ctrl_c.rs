//! [`ctrl_c`]: wait for one `SIGINT`.

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::{SIGINT, Signals};

/// Waits for a `SIGINT` (Ctrl-C at a terminal).
///
/// The handler is installed when `ctrl_c` is called, not when the future is first
/// polled, so a Ctrl-C in between is not missed. From then on Ctrl-C no longer ends
/// the process by itself (see the [module docs](crate::signal)).
///
/// # Examples
///
/// ```
/// use weft_process::signal::ctrl_c;
///
/// # weft_reactor::block_on(async {
/// let interrupted = ctrl_c();
/// signal_hook::low_level::raise(signal_hook::consts::SIGINT)?;
/// interrupted.await?;
/// println!("shutting down");
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub fn ctrl_c() -> CtrlC {
    CtrlC {
        signals: Signals::new([SIGINT]).map_err(Some),
    }
}

/// The future of [`ctrl_c`]: `Ok(())` once a `SIGINT` arrived.
///
/// # Errors
///
/// When the handler could not be installed.
///
/// # Cancel safety
///
/// Cancel safe: dropping it stops the listening; nothing else is lost.
///
/// # Examples
///
/// ```
/// use weft_process::signal::{CtrlC, ctrl_c};
///
/// # weft_reactor::block_on(async {
/// let fut: CtrlC = ctrl_c();
/// signal_hook::low_level::raise(signal_hook::consts::SIGINT)?;
/// fut.await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct CtrlC {
    /// The listener, or the error that stopped its installation (taken once).
    signals: Result<Signals, Option<io::Error>>,
}

impl Future for CtrlC {
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.get_mut().signals {
            Ok(signals) => match Pin::new(signals).poll_next(cx) {
                Poll::Ready(Some(_)) => Poll::Ready(Ok(())),
                Poll::Ready(None) => Poll::Ready(Err(io::Error::other("the signal pipe failed"))),
                Poll::Pending => Poll::Pending,
            },
            Err(e) => Poll::Ready(Err(e
                .take()
                .unwrap_or_else(|| io::Error::other("ctrl_c polled after it failed")))),
        }
    }
}

impl fmt::Debug for CtrlC {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CtrlC").finish_non_exhaustive()
    }
}
