//! `gather_all`: asyncio's `gather(*aws)` over an iterator, results in input order.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::set::FutureSet;

/// Runs all the futures of `iter` concurrently and resolves to their outputs, in the
/// order of `iter`: asyncio's `gather(*aws)`.
///
/// With futures that return `Result`, the vector holds every `Ok` and every `Err`:
/// that is asyncio's `gather(..., return_exceptions=True)`. To stop at the first
/// error instead, use [`try_gather_all`](crate::try_gather_all). For a fixed set of
/// futures of different types, use [`gather!`](crate::gather!).
///
/// The futures run in the task that awaits the [`GatherAll`], not as tasks of their
/// own; they may be handles of weft tasks (`weft::Task`), or any future, under any
/// executor. Each is polled only when its own waker was woken, so a wake-up costs one
/// poll, whatever the number of futures; each is boxed once, and dropped as soon as
/// it finishes. An empty `iter` resolves to an empty vector at the first poll.
///
/// # Cancel safety
///
/// Not cancel safe: dropping the `GatherAll` drops every unfinished future, and the
/// outputs of the finished ones are lost.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft_reactor::time::sleep;
/// use weft_util::gather_all;
///
/// # weft_reactor::block_on(async {
/// let lengths = gather_all(["a", "bbb", "cc"].map(|s| async move {
///     sleep(Duration::from_millis(s.len() as u64)).await;
///     s.len()
/// }))
/// .await;
/// assert_eq!(lengths, [1, 3, 2]); // input order, not completion order
///
/// let none: Vec<u8> = gather_all(Vec::<std::future::Ready<u8>>::new()).await;
/// assert!(none.is_empty());
/// # });
/// ```
pub fn gather_all<I>(iter: I) -> GatherAll<<I::Item as IntoFuture>::IntoFuture>
where
    I: IntoIterator,
    I::Item: IntoFuture,
{
    let set = FutureSet::new(iter.into_iter().map(IntoFuture::into_future));
    let mut outputs = Vec::new();
    outputs.resize_with(set.pending(), || None);
    GatherAll {
        set,
        outputs,
        done: false,
    }
}

/// The future of [`gather_all`]: resolves to the outputs of all its futures, in
/// input order.
///
/// It is `Unpin` (the futures are boxed), and `Send` or `Sync` when the futures and
/// their outputs are.
///
/// # Cancel safety
///
/// Not cancel safe: see [`gather_all`].
///
/// # Panics
///
/// Polling it again after it has completed panics. A panic in one of the futures
/// propagates out of the poll that ran it.
///
/// # Examples
///
/// ```
/// use weft_util::{GatherAll, gather_all};
///
/// let all: GatherAll<_> = gather_all((1..=3).map(|i| async move { i * 10 }));
/// assert_eq!(weft_reactor::block_on(all), [10, 20, 30]);
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct GatherAll<F: Future> {
    set: FutureSet<F>,
    /// The outputs by input index, as they arrive.
    outputs: Vec<Option<F::Output>>,
    done: bool,
}

impl<F: Future> Future for GatherAll<F> {
    type Output = Vec<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<F::Output>> {
        let this = self.get_mut();
        assert!(!this.done, "`GatherAll` polled after completion");
        loop {
            match this.set.poll_next(cx) {
                Poll::Ready(Some((index, out))) => this.outputs[index] = Some(out),
                Poll::Ready(None) => break,
                Poll::Pending => return Poll::Pending,
            }
        }
        this.done = true;
        let outputs = std::mem::take(&mut this.outputs);
        Poll::Ready(
            outputs
                .into_iter()
                .map(|out| out.expect("every future has finished"))
                .collect(),
        )
    }
}

// The futures are boxed and the outputs never pinned.
impl<F: Future> Unpin for GatherAll<F> {}

impl<F: Future> fmt::Debug for GatherAll<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GatherAll")
            .field("len", &self.outputs.len())
            .field("pending", &self.set.pending())
            .finish()
    }
}
