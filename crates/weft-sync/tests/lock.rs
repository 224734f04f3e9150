//! Lock: mutual exclusion, FIFO hand-off, no barging, cancel safety, owned guards,
//! and the blocking variant, on weft's executors, tokio and `futures`.

mod common;

use std::sync::Arc;
use std::task::Poll;

use common::{Flag, join_in_order, on_each, poll_once, yield_now};
use weft_sync::{Lock, LockGuard, TryLockError};

#[test]
fn lock_excludes_across_yields_on_each_executor() {
    on_each(|| async {
        let lock = Arc::new(Lock::new((0u32, false)));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let lock = lock.clone();
                Box::pin(async move {
                    for _ in 0..50 {
                        let mut g = lock.lock().await;
                        assert!(!g.1, "two holders at once");
                        g.1 = true;
                        yield_now().await;
                        g.0 += 1;
                        g.1 = false;
                    }
                })
            })
            .collect();
        join_in_order(tasks).await;
        assert_eq!(lock.lock().await.0, 400);
    });
}

#[test]
fn fifty_waiters_get_the_lock_in_arrival_order() {
    on_each(|| async {
        let lock = Arc::new(Lock::new(Vec::new()));
        let holder = lock.lock().await;
        let tasks: Vec<_> = (0..50)
            .map(|i| {
                let lock = lock.clone();
                Box::pin(async move {
                    let mut order = lock.lock().await;
                    order.push(i);
                    yield_now().await;
                })
            })
            .collect();
        // The first poll of each (in index order) queues it; then release.
        let run = join_in_order(tasks);
        let release = async move {
            yield_now().await;
            drop(holder);
        };
        futures::join!(run, release);
        assert_eq!(*lock.lock().await, (0..50).collect::<Vec<_>>());
    });
}

#[test]
fn release_hands_over_in_order_when_polled_by_hand() {
    let lock = Lock::new(());
    let holder = lock.try_lock().unwrap();
    let mut waiters: Vec<_> = (0..50).map(|_| lock.lock()).collect();
    for w in &mut waiters {
        assert!(poll_once(w).is_pending());
    }
    let mut held = holder;
    for i in 0..50 {
        drop(held);
        if i + 1 < 50 {
            assert!(
                poll_once(&mut waiters[i + 1]).is_pending(),
                "{} barged",
                i + 1
            );
        }
        held = match poll_once(&mut waiters[i]) {
            Poll::Ready(g) => g,
            Poll::Pending => panic!("waiter {i} was not handed the lock"),
        };
    }
    drop(held);
    assert!(!lock.is_locked());
}

#[test]
fn a_cancelled_waiter_that_was_handed_the_lock_passes_it_on() {
    let lock = Lock::new(());
    let holder = lock.try_lock().unwrap();
    let (f1, f2) = (Flag::new(), Flag::new());
    let mut first = lock.lock();
    let mut second = lock.lock();
    assert!(f1.poll(&mut first).is_pending());
    assert!(f2.poll(&mut second).is_pending());
    drop(holder); // hands the lock to `first`
    assert!(f1.is_set());
    assert!(!f2.is_set());
    drop(first); // cancelled before it saw the hand-off
    assert!(
        f2.is_set(),
        "the hand-off was lost with the cancelled waiter"
    );
    assert!(f2.poll(&mut second).is_ready());
}

#[test]
fn a_cancelled_waiter_with_nobody_behind_unlocks() {
    let lock = Lock::new(());
    let holder = lock.try_lock().unwrap();
    let mut first = lock.lock();
    assert!(poll_once(&mut first).is_pending());
    drop(holder);
    drop(first);
    assert!(!lock.is_locked());
    assert!(lock.try_lock().is_ok());
}

#[test]
fn a_cancelled_waiter_that_was_not_handed_the_lock_leaves_the_queue() {
    let lock = Lock::new(());
    let holder = lock.try_lock().unwrap();
    let mut first = lock.lock();
    assert!(poll_once(&mut first).is_pending());
    drop(first);
    drop(holder);
    assert!(!lock.is_locked());
    assert!(lock.try_lock().is_ok());
}

#[test]
fn a_newcomer_does_not_barge_past_a_waiter() {
    let lock = Lock::new(());
    let holder = lock.try_lock().unwrap();
    let mut waiter = lock.lock();
    assert!(poll_once(&mut waiter).is_pending());
    drop(holder);
    // The lock now belongs to `waiter`, though it has not run yet.
    assert!(lock.is_locked());
    assert_eq!(lock.try_lock().unwrap_err(), TryLockError);
    let mut newcomer = lock.lock();
    assert!(poll_once(&mut newcomer).is_pending());
    let Poll::Ready(g) = poll_once(&mut waiter) else {
        panic!("the waiter lost its hand-off")
    };
    drop(g);
    assert!(poll_once(&mut newcomer).is_ready());
}

#[test]
fn owned_guards_move_into_tasks() {
    on_each(|| async {
        let lock = Arc::new(Lock::new(0));
        let guard = lock.lock_owned().await;
        let task = async move {
            let mut guard = guard;
            yield_now().await;
            *guard += 5;
        };
        let waiter = {
            let lock = lock.clone();
            async move { *lock.lock_owned().await }
        };
        let ((), seen) = futures::join!(task, waiter);
        assert_eq!(seen, 5);
    });
}

#[test]
fn cancelled_owned_future_passes_the_lock_on() {
    let lock = Arc::new(Lock::new(()));
    let holder = lock.try_lock().unwrap();
    let mut first = lock.lock_owned();
    let mut second = lock.lock_owned();
    assert!(poll_once(&mut first).is_pending());
    assert!(poll_once(&mut second).is_pending());
    drop(holder);
    drop(first);
    assert!(poll_once(&mut second).is_ready());
}

#[test]
fn lock_blocking_from_threads() {
    let lock = Arc::new(Lock::new(0u64));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let lock = lock.clone();
            std::thread::spawn(move || {
                for _ in 0..1_000 {
                    *lock.lock_blocking() += 1;
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(*lock.lock_blocking(), 4_000);
}

#[test]
fn threads_and_tasks_share_one_lock() {
    let lock = Arc::new(Lock::new(0u64));
    let thread = {
        let lock = lock.clone();
        std::thread::spawn(move || {
            for _ in 0..500 {
                *lock.lock_blocking() += 1;
            }
        })
    };
    weft_executor::Executor::new(2).unwrap().block_on(async {
        for _ in 0..500 {
            let mut g = lock.lock().await;
            yield_now().await;
            *g += 1;
        }
    });
    thread.join().unwrap();
    assert_eq!(Arc::try_unwrap(lock).unwrap().into_inner(), 1_000);
}

#[test]
fn get_mut_into_inner_and_guard_lock() {
    let mut lock = Lock::new(String::from("a"));
    lock.get_mut().push('b');
    {
        let g = lock.try_lock().unwrap();
        assert!(std::ptr::eq(LockGuard::lock(&g), &lock));
        assert_eq!(format!("{g:?}"), "\"ab\"");
    }
    assert_eq!(format!("{lock:?}"), "Lock { locked: false, .. }");
    assert_eq!(lock.into_inner(), "ab");
}

#[test]
fn types_are_send_and_sync() {
    common::send_sync::<Lock<Vec<u8>>>();
    common::send_sync::<LockGuard<'static, Vec<u8>>>();
    common::send_sync::<weft_sync::OwnedLockGuard<Vec<u8>>>();
    common::send_sync::<weft_sync::LockFuture<'static, Vec<u8>>>();
    common::send_sync::<weft_sync::LockOwnedFuture<Vec<u8>>>();
    common::send_sync::<TryLockError>();
}
