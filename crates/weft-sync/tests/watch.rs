//! The watch channel: version tracking, closing both ways, `wait_for`, cancel
//! safety of `changed`, many receivers, on each executor and from plain threads.

mod common;

use std::task::Poll;

use common::{
    Flag, assert_all_woken_and_ready, on_each, pending_with_flags, poll_once, send, send_sync,
};
use weft_sync::watch::{self, RecvError, SendError};

#[test]
fn receivers_track_what_they_have_seen() {
    let (tx, mut rx) = watch::channel(0);
    assert_eq!(
        rx.has_changed(),
        Ok(false),
        "the initial value counts as seen"
    );
    tx.send(1).unwrap();
    tx.send(2).unwrap();
    let clone = rx.clone();
    assert_eq!(rx.has_changed(), Ok(true));
    assert!(rx.borrow().has_changed());
    assert_eq!(rx.has_changed(), Ok(true), "borrow marks nothing");
    {
        let value = rx.borrow_and_update();
        assert_eq!((*value, value.has_changed()), (2, true));
    }
    assert_eq!(rx.has_changed(), Ok(false));
    assert_eq!(
        clone.has_changed(),
        Ok(true),
        "the clone keeps its own version"
    );
    let late = tx.subscribe();
    assert_eq!(late.has_changed(), Ok(false), "subscribers start seen");
    assert_eq!(tx.receiver_count(), 3);
    assert_eq!(*tx.borrow(), 2);
}

#[test]
fn send_variants() {
    let (tx, rx) = watch::channel(String::from("a"));
    assert_eq!(tx.send_replace("b".into()), "a");
    tx.send_modify(|s| s.push('c'));
    assert_eq!(*rx.borrow(), "bc");
    let mut rx = rx;
    rx.borrow_and_update();
    assert!(!tx.send_if_modified(|_| false));
    assert_eq!(rx.has_changed(), Ok(false), "not modified: not told");
    assert!(tx.send_if_modified(|s| {
        s.clear();
        true
    }));
    assert_eq!(rx.has_changed(), Ok(true));
    drop(rx);
    assert!(tx.is_closed());
    assert_eq!(tx.send("x".into()), Err(SendError("x".into())));
    assert_eq!(*tx.borrow(), "", "a failed send leaves the value");
    assert_eq!(
        tx.send_replace("y".into()),
        "",
        "send_replace works without receivers"
    );
}

#[test]
fn changed_fails_once_the_sender_is_gone_and_everything_is_seen() {
    on_each(|| async {
        let (tx, mut rx) = watch::channel(0);
        tx.send(1).unwrap();
        drop(tx);
        assert!(rx.is_closed());
        assert_eq!(rx.changed().await, Ok(()), "the unseen value first");
        assert_eq!(*rx.borrow(), 1);
        assert_eq!(rx.changed().await, Err(RecvError));
        assert_eq!(rx.has_changed(), Err(RecvError));
        assert_eq!(*rx.borrow(), 1, "the last value stays readable");
    });
}

#[test]
fn changed_waits_for_a_send_on_each_executor() {
    on_each(|| async {
        let (tx, mut rx) = watch::channel(0);
        let watcher = async move {
            let mut seen = Vec::new();
            while rx.changed().await.is_ok() {
                seen.push(*rx.borrow_and_update());
            }
            seen
        };
        let sender = async move {
            for i in 1..=10 {
                tx.send(i).unwrap();
                common::yield_now().await;
            }
        };
        let (seen, ()) = futures::join!(watcher, sender);
        assert_eq!(seen.last(), Some(&10), "the last value is always seen");
        assert!(seen.windows(2).all(|w| w[0] < w[1]), "in order: {seen:?}");
    });
}

#[test]
fn a_cancelled_changed_loses_no_notification() {
    let (tx, mut rx) = watch::channel(0);
    let flag = Flag::new();
    {
        let mut changed = rx.changed();
        assert!(flag.poll(&mut changed).is_pending());
        tx.send(1).unwrap();
        assert!(flag.is_set(), "woken by the send");
        // Cancelled after the wake-up, before it completed.
    }
    assert_eq!(rx.has_changed(), Ok(true), "the change is still unseen");
    assert_eq!(poll_once(&mut rx.changed()), Poll::Ready(Ok(())));
    assert_eq!(poll_once(&mut rx.changed()), Poll::Pending);
    // Two receivers waiting: one cancelled after the wake-up, the other still done.
    let mut other = rx.clone();
    let (mut a, a_woken) = (rx.changed(), Flag::new());
    let (mut b, b_woken) = (other.changed(), Flag::new());
    assert!(a_woken.poll(&mut a).is_pending());
    assert!(b_woken.poll(&mut b).is_pending());
    tx.send(2).unwrap();
    drop(a);
    assert!(b_woken.is_set());
    assert_eq!(b_woken.poll(&mut b), Poll::Ready(Ok(())));
}

#[test]
fn wait_for_checks_the_current_value_then_each_change() {
    on_each(|| async {
        let (tx, mut rx) = watch::channel(5);
        assert_eq!(*rx.wait_for(|v| *v == 5).await.unwrap(), 5, "already so");
        let sender = async move {
            for i in 6..=9 {
                common::yield_now().await;
                tx.send(i).unwrap();
            }
        };
        let waiter = async {
            let v = *rx.wait_for(|v| *v >= 8).await.unwrap();
            assert!(v >= 8);
            rx.wait_for(|v| *v == 100).await.map(|r| *r)
        };
        let ((), last) = futures::join!(sender, waiter);
        assert_eq!(last, Err(RecvError), "the sender went first");
    });
}

#[test]
fn every_waiting_receiver_is_woken_by_a_send_and_by_the_close() {
    const N: usize = 16;
    let (tx, rx) = watch::channel(0);
    let mut receivers: Vec<_> = (0..N).map(|_| rx.clone()).collect();
    let mut waits = pending_with_flags(receivers.iter_mut().map(|r| r.changed()));
    tx.send(1).unwrap();
    assert_all_woken_and_ready(&mut waits, Ok(()));
    drop(waits);
    let mut waits = pending_with_flags(receivers.iter_mut().map(|r| r.changed()));
    drop(tx);
    assert_all_woken_and_ready(&mut waits, Err(RecvError));
}

#[test]
fn the_sender_sees_the_receivers_go() {
    on_each(|| async {
        let (tx, rx) = watch::channel(());
        let rx2 = rx.clone();
        let mut closed = tx.closed();
        assert_eq!(poll_once(&mut closed), Poll::Pending);
        drop(rx);
        assert_eq!(poll_once(&mut closed), Poll::Pending, "one is left");
        let dropper = async move {
            common::yield_now().await;
            drop(rx2);
        };
        futures::join!(closed, dropper);
        assert!(tx.is_closed());
        assert_eq!(tx.send(()), Err(SendError(())));
    });
}

#[test]
fn many_receivers_on_a_multi_thread_executor_all_see_the_last_value() {
    let ex = weft_executor::Executor::new(2).unwrap();
    ex.block_on(async {
        let (tx, rx) = watch::channel(0u64);
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let mut rx = rx.clone();
                weft_executor::spawn(async move {
                    let mut last = 0;
                    while rx.changed().await.is_ok() {
                        let v = *rx.borrow_and_update();
                        assert!(v > last, "versions only go forward");
                        last = v;
                    }
                    last
                })
            })
            .collect();
        drop(rx);
        for i in 1..=2_000 {
            tx.send(i).unwrap();
            if i % 32 == 0 {
                common::yield_now().await;
            }
        }
        drop(tx);
        for t in tasks {
            assert_eq!(t.await.unwrap(), 2_000);
        }
    });
}

#[test]
fn blocking_waits_from_plain_threads() {
    let (tx, rx) = watch::channel(0);
    let threads: Vec<_> = (0..3)
        .map(|_| {
            let mut rx = rx.clone();
            std::thread::spawn(move || {
                let mut last = 0;
                while rx.changed_blocking().is_ok() {
                    let v = *rx.borrow_and_update();
                    assert!(v > last);
                    last = v;
                }
                last
            })
        })
        .collect();
    drop(rx);
    for i in 1..=500 {
        tx.send(i).unwrap();
    }
    drop(tx);
    for t in threads {
        assert_eq!(t.join().unwrap(), 500);
    }
}

#[test]
fn errors_display_tersely() {
    assert_eq!(RecvError.to_string(), "the watch sender is gone");
    assert_eq!(
        format!("{:?}", SendError(std::cell::Cell::new(1))),
        "SendError(..)"
    );
}

#[test]
fn halves_and_futures_are_send_and_sync() {
    send_sync::<watch::Sender<u8>>();
    send_sync::<watch::Receiver<u8>>();
    send::<watch::Changed<'static, u8>>();
    send::<watch::WaitFor<'static, u8, fn(&u8) -> bool>>();
    send::<watch::Closed<'static, u8>>();
}

#[test]
fn sizes() {
    use std::mem::size_of;
    assert_eq!(size_of::<watch::Sender<u64>>(), size_of::<usize>());
    assert_eq!(size_of::<watch::Receiver<u64>>(), 2 * size_of::<usize>());
    assert_eq!(size_of::<watch::Changed<'_, u64>>(), 3 * size_of::<usize>());
}
