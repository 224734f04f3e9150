//! Queue, PriorityQueue and LifoQueue: order, bounds, `task_done`/`join`, shutdown,
//! cancel safety and FIFO service of waiters, on weft's executors, on tokio and on
//! `futures`' executor, and from plain threads.

mod common;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Poll;

use common::{Counted, Flag, on_each, pending_with_flags, poll_once, send, send_sync};
use futures::FutureExt;
use futures::future::Either;
use weft_sync::queue::{GetError, PutError, QueueShutDown};
use weft_sync::{LifoQueue, PriorityQueue, Queue};

#[test]
fn each_queue_hands_items_out_in_its_order() {
    let fifo = Queue::new(0);
    let lifo = LifoQueue::new(0);
    let prio = PriorityQueue::new(0);
    for x in [3, 1, 2] {
        fifo.put_nowait(x).unwrap();
        lifo.put_nowait(x).unwrap();
        prio.put_nowait(x).unwrap();
    }
    let drain = |get: &dyn Fn() -> Result<i32, GetError>| -> Vec<i32> {
        std::iter::from_fn(|| get().ok()).collect()
    };
    assert_eq!(drain(&|| fifo.get_nowait()), [3, 1, 2]);
    assert_eq!(drain(&|| lifo.get_nowait()), [2, 1, 3]);
    assert_eq!(drain(&|| prio.get_nowait()), [1, 2, 3]);
}

#[test]
fn a_bounded_queue_hands_the_item_back_when_full() {
    let q = Queue::new(2);
    q.put_nowait("a").unwrap();
    assert!(!q.full());
    q.put_nowait("b").unwrap();
    assert!(q.full());
    assert_eq!(q.qsize(), 2);
    match q.put_nowait("c") {
        Err(PutError::Full(c)) => assert_eq!(c, "c"),
        other => panic!("expected Full, got {other:?}"),
    }
    assert_eq!(q.get_nowait(), Ok("a"));
    assert_eq!(q.get_nowait(), Ok("b"));
    assert_eq!(q.get_nowait(), Err(GetError::Empty));
    assert!(q.empty());
}

#[test]
fn an_unbounded_queue_is_never_full() {
    let q = Queue::new(0);
    for i in 0..10_000 {
        q.put_nowait(i).unwrap();
    }
    assert!(!q.full());
    assert_eq!(q.maxsize(), 0);
    assert_eq!(q.qsize(), 10_000);
}

#[test]
fn clones_are_handles_to_one_queue() {
    let q = Queue::new(0);
    let q2 = q.clone();
    q.put_nowait(1).unwrap();
    assert_eq!(q2.get_nowait(), Ok(1));
}

#[test]
fn extra_task_done_is_an_error_not_a_panic() {
    let q = Queue::new(0);
    assert!(q.task_done().is_err());
    q.put_nowait(()).unwrap();
    q.get_nowait().unwrap();
    assert!(q.task_done().is_ok());
    assert!(q.task_done().is_err());
    // The count stayed at zero: join returns.
    q.join_blocking();
}

#[test]
fn producer_and_consumer_with_join() {
    on_each(|| async {
        let q = Queue::new(3);
        let seen = Arc::new(AtomicUsize::new(0));
        let consumer = {
            let q = q.clone();
            let seen = seen.clone();
            async move {
                while let Ok(x) = q.get().await {
                    seen.fetch_add(x, Ordering::SeqCst);
                    q.task_done().unwrap();
                }
            }
        };
        let producer = async {
            for x in 1..=100 {
                q.put(x).await.unwrap();
            }
            q.join().await;
            assert_eq!(seen.load(Ordering::SeqCst), 5050);
            q.shutdown(false);
        };
        futures::join!(producer, consumer);
    });
}

#[test]
fn join_waits_for_every_task_done() {
    let q = Queue::new(0);
    q.put_nowait(1).unwrap();
    q.put_nowait(2).unwrap();
    let mut join = q.join();
    assert!(poll_once(&mut join).is_pending());
    q.get_nowait().unwrap();
    q.task_done().unwrap();
    assert!(poll_once(&mut join).is_pending());
    q.get_nowait().unwrap();
    q.task_done().unwrap();
    assert!(poll_once(&mut join).is_ready());
}

#[test]
fn shutdown_fails_puts_and_drains_gets() {
    on_each(|| async {
        let q = Queue::new(0);
        q.put(1).await.unwrap();
        q.put(2).await.unwrap();
        q.shutdown(false);
        assert!(q.is_shut_down());
        assert_eq!(q.put(3).await, Err(QueueShutDown(3)));
        assert!(matches!(q.put_nowait(4), Err(PutError::ShutDown(4))));
        assert_eq!(q.get().await, Ok(1));
        assert_eq!(q.get_nowait(), Ok(2));
        assert_eq!(q.get().await, Err(QueueShutDown(())));
        assert_eq!(q.get_nowait(), Err(GetError::ShutDown));
    });
}

#[test]
fn shutdown_wakes_waiting_getters_and_putters() {
    let empty: Queue<u8> = Queue::new(1);
    let mut get = empty.get();
    assert!(poll_once(&mut get).is_pending());
    let full = Queue::new(1);
    full.put_nowait(1).unwrap();
    let mut put = full.put(2);
    assert!(poll_once(&mut put).is_pending());
    empty.shutdown(false);
    full.shutdown(false);
    assert_eq!(poll_once(&mut get), Poll::Ready(Err(QueueShutDown(()))));
    assert_eq!(poll_once(&mut put), Poll::Ready(Err(QueueShutDown(2))));
    // The item already in the queue is still handed out.
    assert_eq!(full.get_nowait(), Ok(1));
}

#[test]
fn immediate_shutdown_drops_the_items_and_releases_join() {
    let drops = Arc::new(AtomicUsize::new(0));
    let q = Queue::new(0);
    for _ in 0..3 {
        q.put_nowait(Counted(drops.clone())).unwrap();
    }
    // One item got and being worked on: join waits for it still.
    let working = q.get_nowait().unwrap();
    let mut join = q.join();
    assert!(poll_once(&mut join).is_pending());
    q.shutdown(true);
    assert_eq!(drops.load(Ordering::SeqCst), 2);
    assert!(q.empty());
    assert!(poll_once(&mut join).is_pending());
    drop(working);
    q.task_done().unwrap();
    assert!(poll_once(&mut join).is_ready());
    assert!(q.task_done().is_err());
}

#[test]
fn a_cancelled_get_loses_no_item() {
    let q = Queue::new(0);
    let mut get = q.get();
    assert!(poll_once(&mut get).is_pending());
    q.put_nowait(7).unwrap();
    drop(get); // woken for the item, never polled again
    assert_eq!(q.qsize(), 1);
    assert_eq!(q.get_nowait(), Ok(7));
}

#[test]
fn a_cancelled_getter_passes_its_wake_up_on() {
    let q = Queue::new(0);
    let (mut first, first_woken) = (q.get(), Flag::new());
    let (mut second, second_woken) = (q.get(), Flag::new());
    assert!(first_woken.poll(&mut first).is_pending());
    assert!(second_woken.poll(&mut second).is_pending());
    q.put_nowait(1).unwrap();
    assert!(first_woken.is_set());
    assert!(!second_woken.is_set(), "one item wakes one getter");
    drop(first); // woken for the item, never polled again
    assert!(second_woken.is_set(), "the wake-up passed on");
    assert_eq!(second_woken.poll(&mut second), Poll::Ready(Ok(1)));
}

#[test]
fn a_cancelled_getter_wakes_the_next_on_an_executor() {
    on_each(|| async {
        let q = Queue::new(0);
        let mut first = Box::pin(q.get());
        let mut second = Box::pin(q.get());
        // Register both, in order.
        assert!(futures::poll!(first.as_mut()).is_pending());
        assert!(futures::poll!(second.as_mut()).is_pending());
        q.put_nowait(5).unwrap();
        drop(first);
        // The item is still there, for `second`.
        assert_eq!(second.await, Ok(5));
    });
}

#[test]
fn a_cancelled_put_never_enqueues() {
    let q = Queue::new(1);
    q.put_nowait(0).unwrap();
    let mut put = q.put(1);
    assert!(poll_once(&mut put).is_pending());
    drop(put);
    assert_eq!(q.get_nowait(), Ok(0));
    assert_eq!(q.get_nowait(), Err(GetError::Empty));
}

#[test]
fn a_cancelled_putter_passes_the_slot_on() {
    let q = Queue::new(1);
    q.put_nowait(0).unwrap();
    let (mut first, first_woken) = (q.put(1), Flag::new());
    let (mut second, second_woken) = (q.put(2), Flag::new());
    assert!(first_woken.poll(&mut first).is_pending());
    assert!(second_woken.poll(&mut second).is_pending());
    assert_eq!(q.get_nowait(), Ok(0)); // a free slot wakes `first`
    assert!(first_woken.is_set());
    assert!(!second_woken.is_set());
    drop(first);
    assert!(second_woken.is_set(), "the wake-up passed on");
    assert_eq!(q.qsize(), 0, "the dropped put added nothing");
    assert_eq!(second_woken.poll(&mut second), Poll::Ready(Ok(())));
    assert_eq!(q.get_nowait(), Ok(2));
}

#[test]
fn waiting_getters_are_served_first_come_first_served() {
    const N: usize = 64;
    let q = Queue::new(0);
    let mut getters = pending_with_flags((0..N).map(|_| q.get()));
    for i in 0..N {
        q.put_nowait(i).unwrap();
        // Only the oldest waiting getter was woken, and it takes the item.
        for (j, (g, flag)) in getters.iter_mut().enumerate().skip(i) {
            assert_eq!(flag.is_set(), j == i, "getter {j} after put {i}");
            let p = flag.poll(g);
            if j == i {
                assert_eq!(p, Poll::Ready(Ok(i)), "getter {j}");
            } else {
                assert!(p.is_pending(), "getter {j} woke before its turn");
            }
        }
    }
}

#[test]
fn waiting_putters_are_served_first_come_first_served() {
    const N: usize = 64;
    let q = Queue::new(1);
    q.put_nowait(usize::MAX).unwrap();
    let mut putters = pending_with_flags((0..N).map(|i| q.put(i)));
    assert_eq!(q.get_nowait(), Ok(usize::MAX));
    for i in 0..N {
        for (j, (p, flag)) in putters.iter_mut().enumerate().skip(i) {
            assert_eq!(flag.is_set(), j == i, "putter {j} at turn {i}");
            let r = flag.poll(p);
            if j == i {
                assert_eq!(r, Poll::Ready(Ok(())), "putter {j}");
            } else {
                assert!(r.is_pending(), "putter {j} went before its turn");
            }
        }
        assert_eq!(q.get_nowait(), Ok(i));
    }
}

/// A multi-thread runtime: weft's `Executor` or tokio's.
#[derive(Clone, Copy)]
enum Runtime {
    Weft,
    Tokio,
}

impl Runtime {
    /// Spawns `future` on this runtime (the caller runs on it); awaiting the result
    /// gives the task's output.
    fn spawn<T: Send + 'static>(
        self,
        future: impl Future<Output = T> + Send + 'static,
    ) -> impl Future<Output = T> {
        match self {
            Runtime::Weft => Either::Left(weft_executor::spawn(future).map(Result::unwrap)),
            Runtime::Tokio => Either::Right(tokio::spawn(future).map(Result::unwrap)),
        }
    }
}

/// `producers` tasks put `0..items` each into a bounded queue while 3 consumer tasks
/// get from it until it is shut down; the sum of what the consumers got.
async fn producers_and_consumers(rt: Runtime, producers: usize, items: usize) -> usize {
    let q = Queue::new(8);
    let producers: Vec<_> = (0..producers)
        .map(|_| {
            let q = q.clone();
            rt.spawn(async move {
                for i in 0..items {
                    q.put(i).await.unwrap();
                }
            })
        })
        .collect();
    let consumers: Vec<_> = (0..3)
        .map(|_| {
            let q = q.clone();
            rt.spawn(async move {
                let mut sum = 0;
                while let Ok(x) = q.get().await {
                    sum += x;
                }
                sum
            })
        })
        .collect();
    for p in producers {
        p.await;
    }
    q.shutdown(false);
    let mut sum = 0;
    for c in consumers {
        sum += c.await;
    }
    sum
}

#[test]
fn many_producers_and_consumers_on_threads_of_each_executor() {
    const PRODUCERS: usize = 4;
    const ITEMS: usize = 2_000;
    let total = (0..ITEMS).sum::<usize>() * PRODUCERS;
    // weft's multi-thread executor.
    let ex = weft_executor::Executor::new(2).unwrap();
    let sum = ex.block_on(producers_and_consumers(Runtime::Weft, PRODUCERS, ITEMS));
    assert_eq!(sum, total);
    // tokio's multi-thread runtime.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let sum = rt.block_on(producers_and_consumers(Runtime::Tokio, PRODUCERS, ITEMS));
    assert_eq!(sum, total);
}

#[test]
fn blocking_variants_from_plain_threads() {
    let q = Queue::new(2);
    let producer = std::thread::spawn({
        let q = q.clone();
        move || {
            for i in 0..1_000 {
                q.put_blocking(i).unwrap();
            }
        }
    });
    let consumer = std::thread::spawn({
        let q = q.clone();
        move || {
            let mut sum = 0;
            while let Ok(x) = q.get_blocking() {
                sum += x;
                q.task_done().unwrap();
            }
            sum
        }
    });
    producer.join().unwrap();
    q.join_blocking();
    q.shutdown(false);
    assert_eq!(consumer.join().unwrap(), (0..1_000).sum::<i32>());
    assert_eq!(q.put_blocking(1), Err(QueueShutDown(1)));
}

#[test]
fn queues_and_their_futures_are_send_and_sync() {
    send_sync::<Queue<u8>>();
    send_sync::<PriorityQueue<u8>>();
    send_sync::<LifoQueue<u8>>();
    send_sync::<Queue<std::cell::Cell<u8>>>(); // T: Send is enough
    send::<weft_sync::queue::Put<'static, u8>>();
    send::<weft_sync::queue::Get<'static, u8>>();
    send::<weft_sync::queue::Join<'static, u8>>();
    fn unpin<T: Unpin>() {}
    unpin::<weft_sync::queue::Put<'static, std::marker::PhantomPinned>>();
}
