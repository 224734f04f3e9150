//! Condition: wait/notify in FIFO order, wait_for, notify_all, a notification to a
//! cancelled waiter passing on, and the blocking wait.

mod common;

use std::sync::Arc;
use std::task::Poll;

use common::{Flag, join_in_order, on_each, poll_once, yield_now};
use weft_sync::{Condition, Lock};

#[test]
fn notify_one_wakes_waiters_in_the_order_they_waited() {
    on_each(|| async {
        let cond = Arc::new(Condition::with_value(Vec::new()));
        let waiters: Vec<_> = (0..20)
            .map(|i| {
                let cond = cond.clone();
                Box::pin(async move {
                    let g = cond.lock().await;
                    let mut g = cond.wait(g).await;
                    g.push(i);
                })
            })
            .collect();
        let notifier = async {
            for _ in 0..20 {
                yield_now().await;
                yield_now().await;
                cond.notify(1);
            }
        };
        futures::join!(join_in_order(waiters), notifier);
        assert_eq!(*cond.lock().await, (0..20).collect::<Vec<_>>());
    });
}

#[test]
fn wait_for_and_notify_all() {
    on_each(|| async {
        let cond = Arc::new(Condition::with_value(0));
        let waiters: Vec<_> = (1..=5)
            .map(|i| {
                let cond = cond.clone();
                Box::pin(async move {
                    let g = cond.lock().await;
                    let g = cond.wait_for(g, |n| *n >= i).await;
                    *g
                })
            })
            .collect();
        let bumper = async {
            for _ in 0..5 {
                yield_now().await;
                *cond.lock().await += 1;
                cond.notify_all();
            }
        };
        let (seen, ()) = futures::join!(join_in_order(waiters), bumper);
        for (i, n) in seen.into_iter().enumerate() {
            assert!(n > i);
        }
    });
}

#[test]
fn a_notification_to_a_cancelled_waiter_passes_on() {
    let cond = Condition::new();
    let (f1, f2) = (Flag::new(), Flag::new());
    let mut first = cond.wait(cond.get_lock().try_lock().unwrap());
    assert!(f1.poll(&mut first).is_pending());
    let mut second = cond.wait(cond.get_lock().try_lock().unwrap());
    assert!(f2.poll(&mut second).is_pending());
    cond.notify(1);
    assert!(f1.is_set() && !f2.is_set());
    drop(first); // notified, never polled
    assert!(f2.is_set(), "the notification was lost");
    assert!(f2.poll(&mut second).is_ready());
}

#[test]
fn a_waiter_cancelled_while_retaking_the_lock_passes_its_notification_on() {
    let cond = Condition::new();
    let (f1, f2) = (Flag::new(), Flag::new());
    let mut first = cond.wait(cond.get_lock().try_lock().unwrap());
    assert!(f1.poll(&mut first).is_pending());
    let mut second = cond.wait(cond.get_lock().try_lock().unwrap());
    assert!(f2.poll(&mut second).is_pending());
    let holder = cond.get_lock().try_lock().unwrap();
    cond.notify(1);
    // `first` saw the notification and now waits for the lock.
    assert!(f1.poll(&mut first).is_pending());
    drop(first);
    assert!(f2.is_set(), "the notification was lost");
    assert!(f2.poll(&mut second).is_pending()); // needs the lock
    drop(holder);
    assert!(matches!(f2.poll(&mut second), Poll::Ready(_)));
}

#[test]
fn conditions_share_a_lock() {
    let lock = Arc::new(Lock::new(0));
    let a = Condition::with_lock(lock.clone());
    let b = Condition::with_lock(lock.clone());
    let mut w = a.wait(lock.try_lock().unwrap());
    assert!(poll_once(&mut w).is_pending());
    assert!(!b.is_locked());
    b.notify_all(); // another condition: no effect on `a`'s waiter
    assert!(poll_once(&mut w).is_pending());
    a.notify(1);
    assert!(poll_once(&mut w).is_ready());
}

#[test]
#[should_panic(expected = "another lock")]
fn waiting_with_a_foreign_guard_panics() {
    let cond = Condition::new();
    let other = Lock::new(());
    let guard = other.try_lock().unwrap();
    drop(cond.wait(guard));
}

#[test]
fn wait_blocking_from_threads() {
    let cond = Arc::new(Condition::with_value(false));
    let threads: Vec<_> = (0..3)
        .map(|_| {
            let cond = cond.clone();
            std::thread::spawn(move || {
                let mut ready = cond.get_lock().lock_blocking();
                while !*ready {
                    ready = cond.wait_blocking(ready);
                }
            })
        })
        .collect();
    *cond.get_lock().lock_blocking() = true;
    cond.notify_all();
    for t in threads {
        t.join().unwrap();
    }
}

#[test]
fn types_are_send_and_sync() {
    common::send_sync::<Condition<Vec<u8>>>();
    common::send_sync::<weft_sync::ConditionWait<'static, Vec<u8>>>();
    common::send::<weft_sync::WaitFor<'static, Vec<u8>, fn(&mut Vec<u8>) -> bool>>();
}
