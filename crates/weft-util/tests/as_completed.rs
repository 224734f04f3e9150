//! `as_completed`: each output exactly once, in completion order; the end of the
//! stream; cheap wake-ups.

mod common;

use std::future::{Future, ready};
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};

use common::{CountingWaker, Gate, counted, everywhere, spinning, yield_now};
use futures::StreamExt;
use futures_core::{FusedStream, Stream};
use weft_util::as_completed;

#[test]
fn each_output_comes_once_in_completion_order() {
    // Future i waits for gate i; the consumer opens the gates in `order`, the next
    // one after each output, so the completion order is `order`.
    let order = [3, 0, 4, 2, 1];
    everywhere(|| async move {
        let gates: Vec<Gate> = (0..5).map(|_| Gate::new()).collect();
        let mut stream = as_completed(gates.iter().enumerate().map(|(i, g)| {
            let wait = g.wait();
            async move {
                wait.await;
                i
            }
        }));
        let mut seen = Vec::new();
        for &next in &order {
            gates[next].open();
            seen.push(stream.next().await.expect("an output per future"));
            assert_eq!(stream.len(), order.len() - seen.len());
        }
        assert_eq!(seen, order);
        assert_eq!(stream.next().await, None);
        assert!(stream.is_terminated());
        assert_eq!(stream.next().await, None); // fused
    });
}

#[test]
fn outputs_ready_together_come_in_input_order() {
    everywhere(|| async {
        let out: Vec<_> = as_completed((0..10).map(ready)).collect().await;
        assert_eq!(out, (0..10).collect::<Vec<_>>());
    });
}

#[test]
fn many_futures_each_exactly_once() {
    everywhere(|| async {
        let stream = as_completed((0..10_000_usize).map(|i| async move {
            for _ in 0..i % 3 {
                yield_now().await;
            }
            i
        }));
        let mut seen = vec![0_u8; 10_000];
        let mut count = 0;
        let mut stream = pin!(stream);
        while let Some(i) = stream.next().await {
            seen[i] += 1;
            count += 1;
        }
        assert_eq!(count, 10_000);
        assert!(seen.iter().all(|&n| n == 1), "every output exactly once");
    });
}

#[test]
fn empty_stream_ends_at_once() {
    let mut cx = Context::from_waker(Waker::noop());
    let mut stream = as_completed(Vec::<std::future::Pending<()>>::new());
    assert!(stream.is_empty());
    assert_eq!(Pin::new(&mut stream).poll_next(&mut cx), Poll::Ready(None));
}

#[test]
fn a_wake_up_polls_only_the_woken_futures() {
    const N: usize = 10_000;
    let polls = Arc::new(AtomicUsize::new(0));
    let gates: Vec<Gate> = (0..N).map(|_| Gate::new()).collect();
    let mut stream = as_completed(gates.iter().map(|g| counted(g, &polls)));
    let (_, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);

    assert!(Pin::new(&mut stream).poll_next(&mut cx).is_pending());
    assert_eq!(polls.load(Ordering::SeqCst), N);
    for i in (0..N).rev() {
        gates[i].open();
        let before = polls.load(Ordering::SeqCst);
        assert_eq!(
            Pin::new(&mut stream).poll_next(&mut cx),
            Poll::Ready(Some(()))
        );
        assert_eq!(
            polls.load(Ordering::SeqCst) - before,
            1,
            "one poll per wake-up"
        );
        let ended = i == 0;
        assert_eq!(Pin::new(&mut stream).poll_next(&mut cx).is_ready(), ended);
    }
}

#[test]
fn a_future_that_always_wakes_itself_does_not_hang_a_poll() {
    let mut cx = Context::from_waker(Waker::noop());
    let futures: [Pin<Box<dyn Future<Output = u8>>>; 2] =
        [Box::pin(spinning()), Box::pin(ready(1))];
    let mut stream = as_completed(futures);
    assert_eq!(
        Pin::new(&mut stream).poll_next(&mut cx),
        Poll::Ready(Some(1))
    );
    for _ in 0..3 {
        assert!(Pin::new(&mut stream).poll_next(&mut cx).is_pending());
    }
}
