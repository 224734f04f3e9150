//! `select!`: waits on several futures and runs the branch of the first to finish.
//!
//! Declarative and free of unsafe code, like [`gather!`](crate::gather!): each
//! branch's future is pinned in place with [`pin!`](core::pin::pin), under an
//! identifier of its own made by one step of [`__select!`](crate::__select!)'s
//! recursion. The futures live in an inner block that ends (dropping them all) before
//! the winning handler runs, outside any closure or loop of the macro's, so `break`,
//! `continue`, `return`, `?` and `.await` in a handler act on the code around the
//! `select!`.

/// Waits on several futures at once and runs the handler of the first to finish; the
/// others are dropped: tokio's `select!` (asyncio has no twin; its nearest is
/// `wait(..., return_when=FIRST_COMPLETED)`).
///
/// ```text
/// select! {
///     biased;                          // optional: poll the branches in order
///     <pattern> = <future> => <handler>,
///     ...
///     else => <handler>,               // optional: when every branch is disabled
/// }
/// ```
///
/// It must be used inside `async` code. All the `<future>` expressions (each an
/// [`IntoFuture`]) are evaluated first, in order; then they are polled together until
/// one finishes. Its output is matched against its `<pattern>`: on a match, every
/// future is dropped and the `<handler>` runs with the pattern's bindings, and its
/// value is the value of the `select!`. On a mismatch the branch is disabled and the
/// others go on; when every branch is disabled, the `else` handler runs (without one,
/// the `select!` panics). A comma after a handler in braces is optional.
///
/// **Fairness**: each poll starts with a branch chosen at random (then goes round in
/// order), so a branch that is always ready cannot starve the others. With `biased;`
/// first, every poll goes through the branches in the order written: the first
/// branch wins whenever it is ready, which is cheaper and deterministic.
///
/// Patterns are first tried against a reference to the output (so that a mismatch
/// does not consume it), so inside a refutable pattern write plain bindings (`Some(v)`,
/// not `Some(mut v)` or `Some(ref v)`); bind the whole value and `match` in the
/// handler when you need more. tokio's branch preconditions (`, if <condition>`) are
/// not supported. For two futures of the same output type, [`race`](crate::race) is a
/// function.
///
/// [`IntoFuture`]: core::future::IntoFuture
///
/// # Cancel safety
///
/// The losing futures are dropped, unfinished: a `select!` is as cancel safe as its
/// branches' futures. In a loop, pass `&mut fut` of a future made before the loop to
/// keep it (and its progress) across iterations.
///
/// # Panics
///
/// When every branch is disabled and there is no `else` branch.
///
/// # Examples
///
/// ```
/// use std::future::pending;
/// use std::time::Duration;
/// use weft_reactor::time::sleep;
/// use weft_util::select;
///
/// # weft_reactor::block_on(async {
/// let winner = select! {
///     _ = sleep(Duration::from_secs(60)) => "the long sleep",
///     n = async { 7 } => {
///         assert_eq!(n, 7);
///         "the ready value"
///     }
///     () = pending::<()>() => unreachable!(),
/// };
/// assert_eq!(winner, "the ready value");
///
/// // A pattern that does not match disables its branch; `break` leaves the loop.
/// let mut tries = 0;
/// loop {
///     tries += 1;
///     select! {
///         biased;
///         Some(n) = async { None::<u32> } => println!("never: {n}"),
///         _ = sleep(Duration::from_millis(1)) => if tries == 3 { break },
///         else => unreachable!("the sleep always matches"),
///     }
/// }
/// assert_eq!(tries, 3);
/// # });
/// ```
#[macro_export]
macro_rules! select {
    (biased; $($branches:tt)*) => {
        $crate::__select!(@parse biased [] [0] $($branches)*)
    };
    ($($branches:tt)*) => {
        $crate::__select!(@parse fair [] [0] $($branches)*)
    };
}

/// The machinery of [`select!`]; not part of the API.
#[doc(hidden)]
#[macro_export]
macro_rules! __select {
    // Parsing: one branch per step, each with fresh identifiers for its future and
    // its output, and its index as `0 + 1 + ...`.
    (@parse $mode:ident $branches:tt $count:tt else => $else:expr $(,)?) => {
        $crate::__select!(@expand $mode $branches $count { $else })
    };
    (@parse $mode:ident [$($b:tt)*] [$($i:tt)*]
        $p:pat = $e:expr => $h:block, $($rest:tt)*) => {
        $crate::__select!(@parse $mode [$($b)* (fut out [$($i)*] ($p) ($e) $h)]
            [$($i)* + 1] $($rest)*)
    };
    (@parse $mode:ident [$($b:tt)*] [$($i:tt)*]
        $p:pat = $e:expr => $h:block $($rest:tt)*) => {
        $crate::__select!(@parse $mode [$($b)* (fut out [$($i)*] ($p) ($e) $h)]
            [$($i)* + 1] $($rest)*)
    };
    (@parse $mode:ident [$($b:tt)*] [$($i:tt)*]
        $p:pat = $e:expr => $h:expr, $($rest:tt)*) => {
        $crate::__select!(@parse $mode [$($b)* (fut out [$($i)*] ($p) ($e) { $h })]
            [$($i)* + 1] $($rest)*)
    };
    (@parse $mode:ident [$($b:tt)*] [$($i:tt)*] $p:pat = $e:expr => $h:expr) => {
        $crate::__select!(@parse $mode [$($b)* (fut out [$($i)*] ($p) ($e) { $h })]
            [$($i)* + 1])
    };
    (@parse $mode:ident $branches:tt $count:tt) => {
        $crate::__select!(@expand $mode $branches $count {
            ::core::panic!("`select!`: every branch is disabled and there is no `else`")
        })
    };
    (@parse $mode:ident $branches:tt $count:tt $($rest:tt)+) => {
        ::core::compile_error!(
            "`select!` expects branches `<pattern> = <future> => <handler>,` and an optional `else => <handler>` last"
        )
    };

    (@start biased $n:ident) => {
        0
    };
    (@start fair $n:ident) => {
        $crate::__private::random_below($n)
    };

    (@expand $mode:ident [] $count:tt $else:tt) => {
        ::core::compile_error!("`select!` needs at least one branch")
    };
    (@expand $mode:ident [$(($f:ident $o:ident [$($i:tt)*] ($p:pat) ($e:expr) $h:tt))*]
        [$($n:tt)*] $else:tt) => {{
        $( let mut $o = ::core::option::Option::None; )*
        let branch: ::core::primitive::usize = {
            $(
                let mut $f = ::core::pin::pin!(::core::option::Option::Some(
                    ::core::future::IntoFuture::into_future($e),
                ));
            )*
            ::core::future::poll_fn(|cx| {
                const __WEFT_SELECT_BRANCHES: ::core::primitive::usize = $($n)*;
                let start: ::core::primitive::usize =
                    $crate::__select!(@start $mode __WEFT_SELECT_BRANCHES);
                for i in 0..__WEFT_SELECT_BRANCHES {
                    let b = $crate::__private::rotate(start, i, __WEFT_SELECT_BRANCHES);
                    $(
                        if b == $($i)* {
                            if let ::core::option::Option::Some(fut) = $f.as_mut().as_pin_mut() {
                                if let ::core::task::Poll::Ready(out) =
                                    ::core::future::Future::poll(fut, cx)
                                {
                                    $f.set(::core::option::Option::None);
                                    #[allow(unused_variables, unused_mut, unreachable_patterns)]
                                    let matched = match &out {
                                        $p => true,
                                        _ => false,
                                    };
                                    if matched {
                                        $o = ::core::option::Option::Some(out);
                                        return ::core::task::Poll::Ready(b);
                                    }
                                }
                            }
                        }
                    )*
                }
                if true $(&& $f.is_none())* {
                    ::core::task::Poll::Ready(::core::primitive::usize::MAX) // every branch is disabled
                } else {
                    ::core::task::Poll::Pending
                }
            })
            .await
        };
        $(
            if branch == $($i)* {
                match $o {
                    ::core::option::Option::Some($p) => $h,
                    _ => ::core::unreachable!("the output of the branch that won"),
                }
            } else
        )*
        $else
    }};
}
