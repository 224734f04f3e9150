//! `gather_all` and `try_gather_all`: input order, the empty case, the `try_` form's
//! early exit, and wake-ups that poll only the woken futures.

mod common;

use std::future::{Future, ready};
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};

use common::{CountingWaker, Gate, counted, everywhere, pending_guarded, spinning, yield_now};
use weft_util::{gather_all, try_gather_all};

type BoxFuture<T> = std::pin::Pin<Box<dyn Future<Output = T>>>;

#[test]
fn zero_futures_give_an_empty_vec_at_the_first_poll() {
    let mut cx = Context::from_waker(Waker::noop());
    let mut all = gather_all(Vec::<std::future::Pending<u8>>::new());
    assert_eq!(pin!(&mut all).poll(&mut cx), Poll::Ready(Vec::new()));
    let mut all = try_gather_all(Vec::<std::future::Pending<Result<u8, ()>>>::new());
    assert_eq!(pin!(&mut all).poll(&mut cx), Poll::Ready(Ok(Vec::new())));
    everywhere(|| async {
        assert!(
            gather_all(Vec::<std::future::Ready<()>>::new())
                .await
                .is_empty()
        );
    });
}

#[test]
fn outputs_come_in_input_order_whatever_the_completion_order() {
    // The futures finish in reverse: each opens the gate of the one before it.
    everywhere(|| async {
        let gates: Vec<Gate> = (0..5).map(|_| Gate::new()).collect();
        let futures = (0..5).map(|i| {
            let gates = gates.clone();
            async move {
                if i < 4 {
                    gates[i].wait().await;
                }
                if i > 0 {
                    gates[i - 1].open();
                }
                i * 10
            }
        });
        assert_eq!(gather_all(futures).await, [0, 10, 20, 30, 40]);
    });
}

#[test]
fn results_are_kept_whole() {
    // asyncio's return_exceptions=True: every Ok and every Err, in order.
    everywhere(|| async {
        let out = gather_all(["1", "x", "3"].map(|s| async move { s.parse::<u8>().ok() })).await;
        assert_eq!(out, [Some(1), None, Some(3)]);
    });
}

#[test]
fn try_gather_all_gives_all_values_in_order() {
    everywhere(|| async {
        let out = try_gather_all((0..100).map(|i| ready(Ok::<_, ()>(i)))).await;
        assert_eq!(out, Ok((0..100).collect::<Vec<_>>()));
    });
}

#[test]
fn try_gather_all_stops_at_the_first_error_and_drops_the_rest() {
    everywhere(|| async {
        let mut flags = Vec::new();
        let mut futures: Vec<BoxFuture<Result<u32, String>>> = Vec::new();
        for _ in 0..3 {
            let (fut, dropped) = pending_guarded();
            futures.push(Box::pin(fut));
            flags.push(dropped);
        }
        let gate = Gate::new();
        let g = gate.clone();
        futures.push(Box::pin(async move {
            g.open();
            Err(String::from("failed"))
        }));
        futures.push(Box::pin(async move {
            gate.wait().await;
            Err(String::from("later"))
        }));
        futures.push(Box::pin(ready(Ok(7))));
        assert_eq!(try_gather_all(futures).await, Err(String::from("failed")));
        for dropped in flags {
            assert!(
                dropped.load(Ordering::SeqCst),
                "a pending future was dropped"
            );
        }
    });
}

#[test]
fn a_wake_up_polls_only_the_woken_futures() {
    const N: usize = 10_000;
    let polls = Arc::new(AtomicUsize::new(0));
    let gates: Vec<Gate> = (0..N).map(|_| Gate::new()).collect();
    let mut all = gather_all(gates.iter().map(|g| counted(g, &polls)));
    let (woken, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);

    assert!(pin!(&mut all).poll(&mut cx).is_pending());
    assert_eq!(polls.load(Ordering::SeqCst), N, "the first poll polls all");
    // Open the gates in an order of their own, one per parent poll.
    for i in (0..N).map(|i| (i * 7_919) % N) {
        gates[i].open();
        let before = polls.load(Ordering::SeqCst);
        let out = pin!(&mut all).poll(&mut cx);
        assert_eq!(
            polls.load(Ordering::SeqCst) - before,
            1,
            "one poll per wake-up"
        );
        assert_eq!(out.is_ready(), woken.count() == N);
    }
    assert_eq!(woken.count(), N, "each opened gate woke the parent once");
}

#[test]
fn many_futures_under_every_executor() {
    everywhere(|| async {
        let out = gather_all((0..10_000_u32).map(|i| async move {
            if i % 2 == 0 {
                yield_now().await; // woken through its own waker
            }
            i
        }))
        .await;
        assert_eq!(out, (0..10_000).collect::<Vec<_>>());
    });
}

#[test]
fn a_future_that_always_wakes_itself_does_not_hang_a_poll() {
    let mut cx = Context::from_waker(Waker::noop());
    let mut all = gather_all([
        Box::pin(spinning()) as std::pin::Pin<Box<dyn Future<Output = u8>>>,
        Box::pin(ready(1)),
    ]);
    for _ in 0..3 {
        assert!(pin!(&mut all).poll(&mut cx).is_pending());
    }
}
