//! Which public types and futures are `Send`, `Sync` and `Unpin`: a change here is a
//! change of API, so it must be deliberate.

use std::cell::Cell;

use weft_util::{BlockingError, Builder, RunFuture, ThreadPool};

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
