//! [`Signals`]: a stream of the signals it listens to.

use std::fmt;
use std::future::Future;
use std::io;
use std::os::unix::net::UnixStream;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_io::AsyncRead;
use signal_hook::consts::FORBIDDEN;
use signal_hook::iterator::backend::{Handle, OwningSignalIterator, PollResult, SignalDelivery};
use signal_hook::iterator::exfiltrator::SignalOnly;
use weft_reactor::Async;

/// The largest signal number signal-hook's delivery accepts, plus one.
const MAX_SIGNUM: i32 = 128;

/// A [`Stream`] of signal numbers, one item per delivery of a signal it listens to:
/// asyncio's `add_signal_handler`, awaited.
///
/// Several `Signals` may listen to the same signal; each gets every delivery.
/// Deliveries of one signal that arrive before the stream is read coalesce into one
/// item. Dropping the `Signals` stops the listening, but the signal's default action
/// does not come back (see the [module docs](crate::signal)).
///
/// # Examples
///
/// ```
/// use futures::StreamExt;
/// use weft_process::signal::{SIGUSR1, Signals};
///
/// # weft_reactor::block_on(async {
/// let mut a = Signals::new([SIGUSR1])?;
/// let mut b = Signals::new([SIGUSR1])?;
/// signal_hook::low_level::raise(SIGUSR1)?;
/// assert_eq!(a.next().await, Some(SIGUSR1));
/// assert_eq!(b.next().await, Some(SIGUSR1)); // each listener gets it
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub struct Signals {
    iter: OwningSignalIterator<Async<UnixStream>, SignalOnly>,
    handle: Handle,
}

/// Refuses what signal-hook would panic on.
fn check(signal: i32) -> io::Result<()> {
    if (1..MAX_SIGNUM).contains(&signal) && !FORBIDDEN.contains(&signal) {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("signal {signal} cannot be handled"),
        ))
    }
}

impl Signals {
    /// Starts listening to `signals`: handlers are installed (chained to any the
    /// process has) before this returns, so no later delivery is missed.
    ///
    /// # Errors
    ///
    /// `InvalidInput` for a signal that cannot be handled ([`FORBIDDEN`], or not a
    /// signal number); the system's error if a handler cannot be installed or the
    /// socket pair cannot be made.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::signal::{SIGINT, SIGKILL, SIGTERM, Signals};
    ///
    /// # weft_reactor::block_on(async {
    /// let _signals = Signals::new([SIGINT, SIGTERM])?;
    /// let refused = Signals::new([SIGKILL]).unwrap_err();
    /// assert_eq!(refused.kind(), std::io::ErrorKind::InvalidInput);
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn new<I: IntoIterator<Item = i32>>(signals: I) -> io::Result<Signals> {
        let signals: Vec<i32> = signals.into_iter().collect();
        for &s in &signals {
            check(s)?;
        }
        let (read, write) = UnixStream::pair()?;
        let read = Async::new(read)?;
        let delivery = SignalDelivery::with_pipe(read, write, SignalOnly, signals)?;
        let handle = delivery.handle();
        Ok(Signals {
            iter: OwningSignalIterator::new(delivery),
            handle,
        })
    }

    /// Listens to one more signal.
    ///
    /// # Errors
    ///
    /// As [`new`](Signals::new).
    ///
    /// # Examples
    ///
    /// ```
    /// use futures::StreamExt;
    /// use weft_process::signal::{SIGINT, SIGWINCH, Signals};
    ///
    /// # weft_reactor::block_on(async {
    /// let mut signals = Signals::new([SIGINT])?;
    /// signals.add_signal(SIGWINCH)?;
    /// signal_hook::low_level::raise(SIGWINCH)?;
    /// assert_eq!(signals.next().await, Some(SIGWINCH));
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn add_signal(&self, signal: i32) -> io::Result<()> {
        check(signal)?;
        self.handle.add_signal(signal)
    }

    /// The next signal: the stream's next item, without `StreamExt`.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a signal is taken only by the poll that returns it.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::signal::{SIGUSR2, Signals};
    ///
    /// # weft_reactor::block_on(async {
    /// let mut signals = Signals::new([SIGUSR2])?;
    /// signal_hook::low_level::raise(SIGUSR2)?;
    /// assert_eq!(signals.recv().await, Some(SIGUSR2));
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn recv(&mut self) -> Recv<'_> {
        Recv { signals: self }
    }
}

impl Stream for Signals {
    type Item = i32;

    /// The next signal; `None` only if the signal pipe fails, which does not
    /// happen while the `Signals` lives.
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<i32>> {
        let this = self.get_mut();
        let mut has_signals = |read: &mut Async<UnixStream>| loop {
            // One byte is enough to know; `pending()` drains the rest.
            match Pin::new(&mut *read).poll_read(cx, &mut [0u8]) {
                Poll::Ready(Ok(n)) => return Ok(n > 0),
                Poll::Ready(Err(e)) if e.kind() == io::ErrorKind::Interrupted => continue,
                Poll::Ready(Err(e)) => return Err(e),
                Poll::Pending => return Ok(false),
            }
        };
        match this.iter.poll_signal(&mut has_signals) {
            PollResult::Signal(sig) => Poll::Ready(Some(sig)),
            PollResult::Pending => Poll::Pending,
            PollResult::Closed | PollResult::Err(_) => Poll::Ready(None),
        }
    }
}

impl fmt::Debug for Signals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signals").finish_non_exhaustive()
    }
}

/// The future of [`Signals::recv`]: the next signal.
///
/// # Cancel safety
///
/// Cancel safe: a signal is taken only by the poll that returns it.
///
/// # Examples
///
/// ```
/// use weft_process::signal::{Recv, SIGUSR1, Signals};
///
/// # weft_reactor::block_on(async {
/// let mut signals = Signals::new([SIGUSR1])?;
/// signal_hook::low_level::raise(SIGUSR1)?;
/// let next: Recv<'_> = signals.recv();
/// assert_eq!(next.await, Some(SIGUSR1));
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Recv<'a> {
    signals: &'a mut Signals,
}

impl Future for Recv<'_> {
    type Output = Option<i32>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<i32>> {
        Pin::new(&mut *self.get_mut().signals).poll_next(cx)
    }
}

impl fmt::Debug for Recv<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recv").finish_non_exhaustive()
    }
}
