//! `try_gather_all`: `gather_all` for fallible futures, stopping at the first error.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::set::FutureSet;

/// Runs all the futures of `iter` concurrently and resolves to their `Ok` values in
/// the order of `iter`, or to the first `Err`: asyncio's `gather(*aws)` with the
/// default `return_exceptions=False`.
///
/// The first future to fail ends it: the remaining futures are dropped at once,
/// before the error is returned (asyncio leaves them running; here nothing outlives
/// the call). To collect every outcome instead, `Ok` and `Err` alike, use
/// [`gather_all`](crate::gather_all), whose cheap wake-ups this shares. An empty
/// `iter` resolves to `Ok` of an empty vector at the first poll.
///
/// # Cancel safety
///
/// Not cancel safe: dropping the `TryGatherAll` drops every unfinished future, and
/// the values of the finished ones are lost.
///
/// # Examples
///
/// ```
/// use weft_util::try_gather_all;
///
/// # weft_reactor::block_on(async {
/// let parsed = try_gather_all(["1", "2", "3"].map(|s| async move { s.parse::<u8>() })).await;
/// assert_eq!(parsed, Ok(vec![1, 2, 3]));
///
/// let failed = try_gather_all(["1", "x", "3"].map(|s| async move { s.parse::<u8>() })).await;
/// assert!(failed.is_err());
/// # });
/// ```
pub fn try_gather_all<I, T, E>(iter: I) -> TryGatherAll<<I::Item as IntoFuture>::IntoFuture>
where
    I: IntoIterator,
    I::Item: IntoFuture<Output = Result<T, E>>,
{
    let set = FutureSet::new(iter.into_iter().map(IntoFuture::into_future));
    let mut outputs = Vec::new();
    outputs.resize_with(set.pending(), || None);
    TryGatherAll {
        set: Some(set),
        outputs,
    }
}

/// The future of [`try_gather_all`]: resolves to the `Ok` values of all its futures
/// in input order, or to the first `Err`.
///
/// It is `Unpin` (the futures are boxed), and `Send` or `Sync` when the futures and
/// their outputs are.
///
/// # Cancel safety
///
/// Not cancel safe: see [`try_gather_all`].
///
/// # Panics
///
/// Polling it again after it has completed panics.
///
/// # Examples
///
/// ```
/// use weft_util::{TryGatherAll, try_gather_all};
///
/// let all: TryGatherAll<_> = try_gather_all((1..=3).map(|i| async move {
///     if i < 10 { Ok(i) } else { Err("too big") }
/// }));
/// assert_eq!(weft_reactor::block_on(all), Ok(vec![1, 2, 3]));
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct TryGatherAll<F: Future> {
    /// `None` once finished: the futures are dropped with it.
    set: Option<FutureSet<F>>,
    /// The outputs by input index, as they arrive: only `Ok`s are stored.
    outputs: Vec<Option<F::Output>>,
}

impl<F, T, E> Future for TryGatherAll<F>
where
    F: Future<Output = Result<T, E>>,
{
    type Output = Result<Vec<T>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<Vec<T>, E>> {
        let this = self.get_mut();
        let set = this
            .set
            .as_mut()
            .expect("`TryGatherAll` polled after completion");
        loop {
            match set.poll_next(cx) {
                Poll::Ready(Some((_, Err(e)))) => {
                    this.set = None; // drops the rest now
                    this.outputs = Vec::new();
                    return Poll::Ready(Err(e));
                }
                Poll::Ready(Some((index, ok))) => this.outputs[index] = Some(ok),
                Poll::Ready(None) => break,
                Poll::Pending => return Poll::Pending,
            }
        }
        this.set = None;
        let outputs = std::mem::take(&mut this.outputs);
        let values = outputs.into_iter().map(|out| match out {
            Some(Ok(value)) => value,
            _ => unreachable!("every future has finished with `Ok`"),
        });
        Poll::Ready(Ok(values.collect()))
    }
}

// The futures are boxed and the outputs never pinned.
impl<F: Future> Unpin for TryGatherAll<F> {}

impl<F: Future> fmt::Debug for TryGatherAll<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TryGatherAll")
            .field("len", &self.outputs.len())
            .field("pending", &self.set.as_ref().map_or(0, FutureSet::pending))
            .finish()
    }
}
