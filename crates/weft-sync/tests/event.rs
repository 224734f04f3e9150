//! Event: set/clear/wait, asyncio's "a wait begun before `set` completes even if
//! `clear` follows", cancel safety and the blocking wait.

mod common;

use std::sync::Arc;

use common::{Flag, join_in_order, on_each, poll_once, yield_now};
use weft_sync::Event;

#[test]
fn set_wakes_every_waiter_on_each_executor() {
    on_each(|| async {
        let event = Arc::new(Event::new());
        let waiters: Vec<_> = (0..20)
            .map(|i| {
                let event = event.clone();
                Box::pin(async move {
                    event.wait().await;
                    i
                })
            })
            .collect();
        let setter = async {
            yield_now().await;
            assert!(!event.is_set());
            event.set();
        };
        let (out, ()) = futures::join!(join_in_order(waiters), setter);
        assert_eq!(out, (0..20).collect::<Vec<_>>());
        event.wait().await; // set: at once
        event.clear();
        assert!(!event.is_set());
    });
}

#[test]
fn a_wait_begun_before_set_completes_though_clear_follows_at_once() {
    let event = Event::new();
    let flag = Flag::new();
    let mut wait = event.wait();
    assert!(flag.poll(&mut wait).is_pending());
    event.set();
    event.clear();
    assert!(flag.is_set());
    assert!(flag.poll(&mut wait).is_ready());
    // A wait begun after the clear waits for the next set.
    let mut later = event.wait();
    assert!(poll_once(&mut later).is_pending());
}

#[test]
fn a_cancelled_waiter_does_not_take_the_wake_up_of_another() {
    let event = Event::new();
    let (f1, f2) = (Flag::new(), Flag::new());
    let mut first = event.wait();
    let mut second = event.wait();
    assert!(f1.poll(&mut first).is_pending());
    assert!(f2.poll(&mut second).is_pending());
    event.set();
    drop(first);
    assert!(f2.is_set());
    assert!(f2.poll(&mut second).is_ready());
}

#[test]
fn wait_blocking_from_threads() {
    let event = Arc::new(Event::new());
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let event = event.clone();
            std::thread::spawn(move || event.wait_blocking())
        })
        .collect();
    event.set();
    for t in threads {
        t.join().unwrap();
    }
    event.wait_blocking();
}

#[test]
fn types_are_send_and_sync() {
    common::send_sync::<Event>();
    common::send_sync::<weft_sync::EventWait<'static>>();
}
