//! `as_completed`: asyncio's `as_completed(aws)`, as a `Stream` of outputs.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::{FusedStream, Stream};

use crate::set::FutureSet;

/// Runs all the futures of `iter` concurrently and yields their outputs in the order
/// they finish: asyncio's `as_completed(aws)`.
///
/// Each output is yielded exactly once, and the stream ends (`None`) after the last.
/// Outputs of futures that finish during the same wake-up come in input order. The
/// futures run in the task that polls the stream, under any executor; each is polled
/// only when its own waker was woken, so a wake-up costs one poll, whatever the
/// number of futures. Each is boxed once and dropped as soon as it finishes.
///
/// To know which future an output came from, make the futures return their index
/// (`(i, value)`), as in the example.
///
/// # Cancel safety
///
/// Awaiting the next item (with `StreamExt::next` of futures or futures-lite) is cancel
/// safe: an output is taken from its future only in the poll that yields it, so
/// dropping that `next()` future loses nothing. Dropping the [`AsCompleted`] drops
/// every unfinished future.
///
/// # Examples
///
/// ```
/// use std::future::poll_fn;
/// use std::pin::Pin;
/// use std::time::Duration;
/// use futures_core::Stream;
/// use weft_reactor::time::sleep;
/// use weft_util::as_completed;
///
/// # weft_reactor::block_on(async {
/// let mut stream = as_completed([30, 10, 20].into_iter().enumerate().map(|(i, ms)| async move {
///     sleep(Duration::from_millis(ms)).await;
///     i
/// }));
/// let mut order = Vec::new();
/// while let Some(i) = poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await {
///     order.push(i);
/// }
/// assert_eq!(order, [1, 2, 0]); // the shortest sleep first
/// # });
/// ```
pub fn as_completed<I>(iter: I) -> AsCompleted<<I::Item as IntoFuture>::IntoFuture>
where
    I: IntoIterator,
    I::Item: IntoFuture,
{
    AsCompleted {
        set: FutureSet::new(iter.into_iter().map(IntoFuture::into_future)),
    }
}

/// The stream of [`as_completed`]: the outputs of its futures in the order they
/// finish.
///
/// A futures-core [`Stream`] (and [`FusedStream`]), so `StreamExt` of futures or
/// futures-lite applies. It is `Unpin` (the futures are boxed), and `Send` or `Sync`
/// when the futures are.
///
/// # Cancel safety
///
/// See [`as_completed`]: taking the next item is cancel safe.
///
/// # Examples
///
/// ```
/// use futures::StreamExt;
/// use weft_util::as_completed;
///
/// # weft_reactor::block_on(async {
/// let stream = as_completed((1..=3).map(|i| async move { i * i }));
/// assert_eq!(stream.len(), 3);
/// let mut squares: Vec<u32> = stream.collect().await;
/// squares.sort();
/// assert_eq!(squares, [1, 4, 9]);
/// # });
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct AsCompleted<F> {
    set: FutureSet<F>,
}

impl<F: Future> AsCompleted<F> {
    /// How many outputs are still to come.
    ///
    /// # Examples
    ///
    /// ```
    /// use futures::StreamExt;
    /// use weft_util::as_completed;
    ///
    /// # weft_reactor::block_on(async {
    /// let mut stream = as_completed((1..=2).map(|i| async move { i }));
    /// assert_eq!(stream.len(), 2);
    /// stream.next().await;
    /// assert_eq!(stream.len(), 1);
    /// # });
    /// ```
    pub fn len(&self) -> usize {
        self.set.pending()
    }

    /// Whether every output has been yielded.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_util::as_completed;
    ///
    /// let stream = as_completed(Vec::<std::future::Ready<()>>::new());
    /// assert!(stream.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<F: Future> Stream for AsCompleted<F> {
    type Item = F::Output;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<F::Output>> {
        self.get_mut()
            .set
            .poll_next(cx)
            .map(|next| next.map(|(_, out)| out))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.len(), Some(self.len()))
    }
}

impl<F: Future> FusedStream for AsCompleted<F> {
    fn is_terminated(&self) -> bool {
        self.is_empty()
    }
}

// The futures are boxed.
impl<F> Unpin for AsCompleted<F> {}

impl<F: Future> fmt::Debug for AsCompleted<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsCompleted")
            .field("pending", &self.len())
            .finish()
    }
}
