//! `race`: two futures, the first to finish wins.

use std::future::{Future, IntoFuture, poll_fn};
use std::pin::pin;
use std::task::Poll;

/// Runs `a` and `b` concurrently and resolves to the output of the first to finish;
/// the other is dropped at once, unfinished.
///
/// Each poll polls `a` first, then `b`: when both can finish in the same poll, `a`
/// wins. For more than two futures, or futures of different output types, use
/// [`select!`](crate::select!).
///
/// The future is unnamed (an `async` block keeps both futures in place without
/// unsafe code or boxing); it is `Send` when `a` and `b` are.
///
/// # Cancel safety
///
/// As cancel safe as `a` and `b`: dropping the race drops both.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft_reactor::time::sleep;
/// use weft_util::race;
///
/// # weft_reactor::block_on(async {
/// let fast = async {
///     sleep(Duration::from_millis(1)).await;
///     "fast"
/// };
/// let slow = async {
///     sleep(Duration::from_secs(60)).await;
///     "slow"
/// };
/// assert_eq!(race(slow, fast).await, "fast");
/// # });
/// ```
pub fn race<A, B>(a: A, b: B) -> impl Future<Output = A::Output>
where
    A: IntoFuture,
    B: IntoFuture<Output = A::Output>,
{
    let (a, b) = (a.into_future(), b.into_future());
    async move {
        let mut a = pin!(a);
        let mut b = pin!(b);
        poll_fn(|cx| {
            if let Poll::Ready(out) = a.as_mut().poll(cx) {
                return Poll::Ready(out);
            }
            b.as_mut().poll(cx)
        })
        .await
    }
}
