//! `gather!` and `try_gather!`: a fixed set of futures, awaited together.
//!
//! The macros are declarative and need no unsafe code: each future is pinned in
//! place with [`pin!`](core::pin::pin) inside an `async` block. Each step of the
//! recursion of [`__gather!`](crate::__gather!) names its future and output slot with
//! identifiers of its own (macro hygiene makes every expansion's `fut` a different
//! variable), so any number of futures can be gathered.

/// Runs futures concurrently and resolves to a tuple of their outputs, in the order
/// written: asyncio's `gather(a, b, c)` for a fixed set of futures.
///
/// `gather!(a, b, c)` evaluates the expressions at once (each an [`IntoFuture`]), and
/// yields a future of `(A, B, C)`: an `async` block that polls every unfinished future
/// at each wake-up, in the order written, and drops each as soon as it finishes. Any
/// number of futures works (`gather!()` yields `()`); for an iterator of futures, use
/// [`gather_all`](crate::gather_all), whose wake-ups poll only the futures that were
/// woken. With futures that return `Result`, the tuple holds each `Ok` or `Err`: that
/// is asyncio's `return_exceptions=True`; [`try_gather!`](crate::try_gather!) stops
/// at the first error instead.
///
/// The futures run in the task that awaits the gather, under any executor.
///
/// [`IntoFuture`]: core::future::IntoFuture
///
/// # Cancel safety
///
/// Not cancel safe: dropping the gather drops the unfinished futures, and the outputs
/// of the finished ones are lost.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft_reactor::time::sleep;
/// use weft_util::gather;
///
/// async fn fetch(name: &str, ms: u64) -> String {
///     sleep(Duration::from_millis(ms)).await;
///     format!("{name} after {ms} ms")
/// }
///
/// # weft_reactor::block_on(async {
/// let (a, b, n) = gather!(fetch("a", 2), fetch("b", 1), async { 42 }).await;
/// assert_eq!(a, "a after 2 ms");
/// assert_eq!(b, "b after 1 ms");
/// assert_eq!(n, 42);
/// # });
/// ```
#[macro_export]
macro_rules! gather {
    () => {
        ::core::future::ready(())
    };
    ($($fut:expr),+ $(,)?) => {
        $crate::__gather!(@name [] $($fut,)+)
    };
}

/// Runs futures of `Result<_, E>` concurrently and resolves to `Ok` with a tuple of
/// their values, in the order written, or to the first `Err`: asyncio's
/// `gather(a, b, c)` with the default `return_exceptions=False`.
///
/// Like [`gather!`], but the first future to return `Err` ends it: the others are
/// dropped at once (asyncio leaves them running; here nothing outlives the call) and
/// the error is returned. All the futures must have the same error type `E`; map the
/// errors first (`async { f.await.map_err(Into::into) }`) to mix types. For an
/// iterator of futures, use [`try_gather_all`](crate::try_gather_all).
///
/// # Cancel safety
///
/// Not cancel safe: dropping it drops the unfinished futures, and the values of the
/// finished ones are lost.
///
/// # Examples
///
/// ```
/// use weft_util::try_gather;
///
/// async fn parse(s: &str) -> Result<u32, std::num::ParseIntError> {
///     s.parse()
/// }
///
/// # weft_reactor::block_on(async {
/// assert_eq!(try_gather!(parse("1"), parse("2")).await, Ok((1, 2)));
/// assert!(try_gather!(parse("1"), parse("two"), parse("3")).await.is_err());
/// # });
/// ```
#[macro_export]
macro_rules! try_gather {
    () => {
        ::core::future::ready(::core::result::Result::<(), _>::Ok(()))
    };
    ($($fut:expr),+ $(,)?) => {
        $crate::__try_gather!(@name [] $($fut,)+)
    };
}

/// The machinery of [`gather!`]; not part of the API.
#[doc(hidden)]
#[macro_export]
macro_rules! __gather {
    // Gives each future two fresh identifiers: its slot and its output's.
    (@name [$($named:tt)*] $fut:expr, $($rest:tt)*) => {
        $crate::__gather!(@name [$($named)* (fut out $fut)] $($rest)*)
    };
    (@name [$(($f:ident $o:ident $e:expr))*]) => {{
        $( let $f = ::core::future::IntoFuture::into_future($e); )*
        async move {
            $(
                let mut $f = ::core::pin::pin!(::core::option::Option::Some($f));
                let mut $o = ::core::option::Option::None;
            )*
            ::core::future::poll_fn(|cx| {
                $(
                    if let ::core::option::Option::Some(fut) = $f.as_mut().as_pin_mut() {
                        if let ::core::task::Poll::Ready(out) =
                            ::core::future::Future::poll(fut, cx)
                        {
                            $o = ::core::option::Option::Some(out);
                            $f.set(::core::option::Option::None);
                        }
                    }
                )*
                if true $(&& $o.is_some())* {
                    ::core::task::Poll::Ready(($(
                        $o.take().expect("every future has finished"),
                    )*))
                } else {
                    ::core::task::Poll::Pending
                }
            })
            .await
        }
    }};
}

/// The machinery of [`try_gather!`]; not part of the API.
#[doc(hidden)]
#[macro_export]
macro_rules! __try_gather {
    (@name [$($named:tt)*] $fut:expr, $($rest:tt)*) => {
        $crate::__try_gather!(@name [$($named)* (fut out $fut)] $($rest)*)
    };
    (@name [$(($f:ident $o:ident $e:expr))*]) => {{
        $( let $f = ::core::future::IntoFuture::into_future($e); )*
        async move {
            $(
                let mut $f = ::core::pin::pin!(::core::option::Option::Some($f));
                let mut $o = ::core::option::Option::None;
            )*
            ::core::future::poll_fn(|cx| {
                $(
                    if let ::core::option::Option::Some(fut) = $f.as_mut().as_pin_mut() {
                        if let ::core::task::Poll::Ready(out) =
                            ::core::future::Future::poll(fut, cx)
                        {
                            $f.set(::core::option::Option::None);
                            match out {
                                ::core::result::Result::Ok(value) => {
                                    $o = ::core::option::Option::Some(value);
                                }
                                ::core::result::Result::Err(e) => {
                                    // Returning ends the `async` block, which drops
                                    // every other future.
                                    return ::core::task::Poll::Ready(
                                        ::core::result::Result::Err(e),
                                    );
                                }
                            }
                        }
                    }
                )*
                if true $(&& $o.is_some())* {
                    ::core::task::Poll::Ready(::core::result::Result::Ok(($(
                        $o.take().expect("every future has finished"),
                    )*)))
                } else {
                    ::core::task::Poll::Pending
                }
            })
            .await
        }
    }};
}
