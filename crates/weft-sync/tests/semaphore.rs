//! Semaphore and BoundedSemaphore: limits, FIFO service (many permits at the head
//! are not starved), cancel safety, close, bounds, manual release, blocking use.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Poll;

use common::{Flag, join_in_order, on_each, poll_once, yield_now};
use weft_sync::{AcquireError, BoundedSemaphore, ReleaseError, Semaphore, TryAcquireError};

#[test]
fn permits_limit_concurrency_on_each_executor() {
    on_each(|| async {
        let sem = Arc::new(Semaphore::new(3));
        let held = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (sem, held) = (sem.clone(), held.clone());
                Box::pin(async move {
                    for _ in 0..50 {
                        let _p = sem.acquire().await.unwrap();
                        assert!(held.fetch_add(1, Ordering::SeqCst) < 3);
                        yield_now().await;
                        held.fetch_sub(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        join_in_order(tasks).await;
        assert_eq!(sem.available(), 3);
    });
}

#[test]
fn fifty_waiters_are_served_in_arrival_order() {
    on_each(|| async {
        let sem = Arc::new(Semaphore::new(0));
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let tasks: Vec<_> = (0..50)
            .map(|i| {
                let (sem, order) = (sem.clone(), order.clone());
                Box::pin(async move {
                    let p = sem.acquire().await.unwrap();
                    order.lock().unwrap().push(i);
                    p.forget();
                })
            })
            .collect();
        let feed = async {
            for _ in 0..50 {
                yield_now().await;
                sem.add_permits(1);
            }
        };
        futures::join!(join_in_order(tasks), feed);
        assert_eq!(*order.lock().unwrap(), (0..50).collect::<Vec<_>>());
    });
}

#[test]
fn many_permits_at_the_head_are_not_starved_by_later_single_acquires() {
    let sem = Semaphore::new(3);
    let held = sem.try_acquire_many(2).unwrap();
    let mut many = sem.acquire_many(3);
    assert!(poll_once(&mut many).is_pending());
    let mut one = sem.acquire();
    // One permit is free, but `many` came first.
    assert!(poll_once(&mut one).is_pending());
    assert_eq!(sem.try_acquire().unwrap_err(), TryAcquireError::NoPermits);
    assert!(sem.is_locked());
    drop(held);
    let Poll::Ready(Ok(p)) = poll_once(&mut many) else {
        panic!("the head was not served")
    };
    assert_eq!(p.num_permits(), 3);
    assert!(poll_once(&mut one).is_pending());
    drop(p);
    assert!(poll_once(&mut one).is_ready());
}

#[test]
fn a_cancelled_head_passes_its_turn_on() {
    let sem = Semaphore::new(1);
    let held = sem.try_acquire().unwrap();
    let (f1, f2) = (Flag::new(), Flag::new());
    let mut first = sem.acquire();
    let mut second = sem.acquire();
    assert!(f1.poll(&mut first).is_pending());
    assert!(f2.poll(&mut second).is_pending());
    drop(held); // wakes `first`, the head
    assert!(f1.is_set());
    drop(first); // cancelled before it took the permit
    assert!(
        f2.is_set(),
        "the wake-up was lost with the cancelled waiter"
    );
    assert!(f2.poll(&mut second).is_ready());
}

#[test]
fn a_cancelled_promoted_waiter_passes_the_promotion_on() {
    let sem = Semaphore::new(2);
    let held = sem.try_acquire_many(2).unwrap();
    let (f1, f2, f3) = (Flag::new(), Flag::new(), Flag::new());
    let mut head = sem.acquire_many(2);
    let mut second = sem.acquire();
    let mut third = sem.acquire();
    assert!(f1.poll(&mut head).is_pending());
    assert!(f2.poll(&mut second).is_pending());
    assert!(f3.poll(&mut third).is_pending());
    drop(held);
    let Poll::Ready(Ok(p)) = f1.poll(&mut head) else {
        panic!("the head was not served")
    };
    drop(p); // the head left with permits free: `second` is promoted
    assert!(f2.is_set());
    drop(second); // cancelled while promoted
    assert!(f3.is_set(), "the promotion was lost");
    assert!(f3.poll(&mut third).is_ready());
}

#[test]
fn a_cancelled_queued_waiter_leaves_the_counts_right() {
    let sem = Semaphore::new(1);
    let held = sem.try_acquire().unwrap();
    let mut first = sem.acquire();
    let mut second = sem.acquire();
    assert!(poll_once(&mut first).is_pending());
    assert!(poll_once(&mut second).is_pending());
    drop(second);
    drop(first);
    drop(held);
    assert!(!sem.is_locked());
    assert_eq!(sem.try_acquire().unwrap().num_permits(), 1);
}

#[test]
fn close_fails_waiting_and_later_acquires() {
    on_each(|| async {
        let sem = Arc::new(Semaphore::new(1));
        let p = sem.acquire().await.unwrap();
        let waiter = {
            let sem = sem.clone();
            async move { sem.acquire().await.map(|p| p.num_permits()) }
        };
        let closer = async {
            yield_now().await;
            sem.close();
        };
        let (r, ()) = futures::join!(waiter, closer);
        assert_eq!(r, Err(AcquireError));
        assert!(sem.acquire().await.is_err());
        assert!(sem.acquire_owned().await.is_err());
        assert_eq!(sem.try_acquire().unwrap_err(), TryAcquireError::Closed);
        drop(p);
        assert_eq!(sem.available(), 1);
    });
}

#[test]
fn permits_past_the_maximum_are_refused() {
    let r = std::panic::catch_unwind(|| Semaphore::new(Semaphore::MAX_PERMITS + 1));
    assert!(r.is_err());
    let sem = Semaphore::new(Semaphore::MAX_PERMITS);
    let r = std::panic::catch_unwind(|| sem.add_permits(1));
    assert!(r.is_err());
    assert_eq!(sem.available(), Semaphore::MAX_PERMITS);
    let r = std::panic::catch_unwind(|| drop(sem.acquire_many(Semaphore::MAX_PERMITS + 1)));
    assert!(r.is_err());
}

#[test]
fn owned_permits_and_blocking_acquire_from_threads() {
    let sem = Arc::new(Semaphore::new(2));
    let held = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (sem, held) = (sem.clone(), held.clone());
            std::thread::spawn(move || {
                for _ in 0..500 {
                    let _p = sem.acquire_blocking().unwrap();
                    assert!(held.fetch_add(1, Ordering::SeqCst) < 2);
                    held.fetch_sub(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    weft_executor::Executor::new(2).unwrap().block_on(async {
        for _ in 0..500 {
            let p = sem.acquire_owned().await.unwrap();
            let task = weft_executor::spawn(async move {
                yield_now().await;
                drop(p);
            });
            task.await.unwrap();
        }
    });
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(sem.available(), 2);
}

#[test]
fn bounded_semaphore_in_raii_and_asyncio_style() {
    on_each(|| async {
        let sem = BoundedSemaphore::new(2);
        assert_eq!(sem.release(), Err(ReleaseError));
        {
            let _p = sem.acquire().await.unwrap();
            assert_eq!(sem.available(), 1);
        }
        sem.acquire().await.unwrap().forget();
        sem.acquire().await.unwrap().forget();
        assert!(sem.is_locked());
        sem.release().unwrap();
        sem.release().unwrap();
        assert_eq!(sem.release(), Err(ReleaseError));
        assert_eq!(sem.available(), 2);
    });
}

#[test]
fn bounded_release_wakes_a_waiter() {
    let sem = BoundedSemaphore::new(1);
    sem.try_acquire().unwrap().forget();
    let flag = Flag::new();
    let mut waiter = sem.acquire();
    assert!(flag.poll(&mut waiter).is_pending());
    sem.release().unwrap();
    assert!(flag.is_set());
    assert!(flag.poll(&mut waiter).is_ready());
}

#[test]
fn types_are_send_and_sync() {
    common::send_sync::<Semaphore>();
    common::send_sync::<BoundedSemaphore>();
    common::send_sync::<weft_sync::Permit<'static>>();
    common::send_sync::<weft_sync::OwnedPermit>();
    common::send_sync::<weft_sync::AcquireFuture<'static>>();
    common::send_sync::<weft_sync::AcquireOwnedFuture>();
    common::send_sync::<AcquireError>();
    common::send_sync::<TryAcquireError>();
    common::send_sync::<ReleaseError>();
}
