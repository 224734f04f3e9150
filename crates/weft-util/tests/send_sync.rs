//! Which public types and futures are `Send`, `Sync` and `Unpin`: a change here is a
//! change of API, so it must be deliberate.

use std::cell::Cell;
use std::future::{Future, Ready};
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::task::{Context, Poll};

use weft_util::{
    AsCompleted, BlockingError, Builder, Elapsed, GatherAll, RunFuture, ThreadPool, Timeout,
    TryGatherAll, as_completed, gather, race, select, try_gather,
};

fn send<T: Send>() {}
fn sync<T: Sync>() {}
fn unpin<T: Unpin>() {}

macro_rules! all {
    ($($t:ty),* $(,)?) => {
        $( send::<$t>(); sync::<$t>(); unpin::<$t>(); )*
    };
}

#[test]
fn util_types() {
    all!(
        ThreadPool,
        Builder,
        BlockingError,
        RunFuture<()>,
        RunFuture<String>,
        // The output need only be `Send` for the future to be `Sync` too.
        RunFuture<Cell<u8>>,
    );
}

/// A future that is `Send` and `Sync` but not `Unpin`, and so is its output.
struct NotUnpin(PhantomPinned);

impl Future for NotUnpin {
    type Output = PhantomPinned;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<PhantomPinned> {
        Poll::Ready(PhantomPinned)
    }
}

#[test]
fn combinator_types() {
    all!(
        Elapsed,
        GatherAll<Ready<u8>>,
        TryGatherAll<Ready<Result<u8, String>>>,
        AsCompleted<Ready<u8>>,
        Timeout<Ready<u8>>,
        // Boxed futures make them `Unpin` whatever the futures and outputs.
        GatherAll<NotUnpin>,
        AsCompleted<NotUnpin>,
        Timeout<NotUnpin>,
    );
}

fn send_val<T: Send>(_: &T) {}

#[test]
fn unnamed_futures_are_send() {
    let ready = || std::future::ready(1_u8);
    send_val(&gather!(ready(), ready()));
    send_val(&try_gather!(async { Ok::<u8, String>(1) }));
    send_val(&race(ready(), ready()));
    send_val(&async {
        select! {
            a = ready() => a,
            b = ready() => b,
        }
    });
    send_val(&as_completed([ready()]));
}
