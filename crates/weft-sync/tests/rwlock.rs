//! RwLock: shared readers, exclusive writers, no writer starvation, cancel safety,
//! and the blocking variants.

mod common;

use std::sync::Arc;

use common::{Flag, join_in_order, on_each, poll_once, yield_now};
use weft_sync::RwLock;

#[test]
fn readers_share_and_writers_exclude_on_each_executor() {
    on_each(|| async {
        let lock = Arc::new(RwLock::new(0u32));
        let tasks: Vec<_> = (0..6)
            .map(|i| {
                let lock = lock.clone();
                Box::pin(async move {
                    for _ in 0..50 {
                        if i % 3 == 0 {
                            let mut w = lock.write().await;
                            let before = *w;
                            yield_now().await;
                            *w = before + 1;
                        } else {
                            let r = lock.read().await;
                            let seen = *r;
                            yield_now().await;
                            assert_eq!(*r, seen);
                        }
                    }
                })
            })
            .collect();
        join_in_order(tasks).await;
        assert_eq!(*lock.read().await, 100);
    });
}

#[test]
fn a_waiting_writer_stops_new_readers() {
    let lock = RwLock::new(());
    let reader = lock.try_read().unwrap();
    let flag = Flag::new();
    let mut writer = lock.write();
    assert!(flag.poll(&mut writer).is_pending());
    assert!(lock.try_read().is_err());
    let mut late_reader = lock.read();
    assert!(poll_once(&mut late_reader).is_pending());
    drop(reader);
    assert!(flag.is_set());
    let w = match flag.poll(&mut writer) {
        std::task::Poll::Ready(w) => w,
        std::task::Poll::Pending => panic!("the writer was not let in"),
    };
    drop(w);
    assert!(poll_once(&mut late_reader).is_ready());
}

#[test]
fn a_cancelled_writer_lets_readers_in_again() {
    let lock = RwLock::new(());
    let reader = lock.try_read().unwrap();
    let mut writer = lock.write();
    assert!(poll_once(&mut writer).is_pending());
    let flag = Flag::new();
    let mut late_reader = lock.read();
    assert!(flag.poll(&mut late_reader).is_pending());
    drop(writer);
    assert!(flag.is_set(), "readers stayed shut out");
    let std::task::Poll::Ready(late) = flag.poll(&mut late_reader) else {
        panic!("the late reader was not let in")
    };
    drop(reader);
    assert!(lock.try_write().is_err()); // the late reader holds it
    drop(late);
    assert!(lock.try_write().is_ok());
}

#[test]
fn writers_are_served_in_order_and_a_cancelled_one_passes_the_turn() {
    let lock = RwLock::new(Vec::new());
    let holder = lock.try_write().unwrap();
    let mut writers: Vec<_> = (0..5).map(|_| lock.write()).collect();
    for w in &mut writers {
        assert!(poll_once(w).is_pending());
    }
    drop(holder);
    let mut rest = writers.split_off(1);
    drop(writers); // the first, handed the turn, is cancelled
    for (i, w) in rest.iter_mut().enumerate() {
        let std::task::Poll::Ready(mut g) = poll_once(w) else {
            panic!("writer {} was skipped", i + 1)
        };
        g.push(i);
    }
    drop(rest);
    assert_eq!(lock.into_inner(), [0, 1, 2, 3]);
}

#[test]
fn blocking_readers_and_writers_from_threads() {
    let lock = Arc::new(RwLock::new(0u64));
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let lock = lock.clone();
            std::thread::spawn(move || {
                for _ in 0..500 {
                    if i % 2 == 0 {
                        *lock.write_blocking() += 1;
                    } else {
                        let _ = *lock.read_blocking();
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(*lock.read_blocking(), 1_000);
}

#[test]
fn types_are_send_and_sync() {
    common::send_sync::<RwLock<Vec<u8>>>();
    common::send_sync::<weft_sync::RwLockReadGuard<'static, Vec<u8>>>();
    common::send_sync::<weft_sync::RwLockWriteGuard<'static, Vec<u8>>>();
    common::send_sync::<weft_sync::ReadFuture<'static, Vec<u8>>>();
    common::send_sync::<weft_sync::WriteFuture<'static, Vec<u8>>>();
}
