//! `TaskGroup`: asyncio's semantics, each with a test (issue 6).

use std::future::{Future, pending};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::task::{Context, Poll};

use futures::channel::oneshot;
use weft_executor::group::{Failure, TaskGroup};
use weft_executor::{Executor, spawn, yield_now};

/// Counts its drops: a cancelled child's future is dropped.
struct DropCount(Arc<AtomicUsize>);

impl Drop for DropCount {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A child that waits forever, counting its drop.
fn forever(drops: &Arc<AtomicUsize>) -> impl Future<Output = Result<(), &'static str>> + use<> {
    let guard = DropCount(drops.clone());
    async move {
        let _guard = guard;
        pending::<()>().await;
        Ok(())
    }
}

#[test]
fn join_waits_for_every_child_and_gives_their_values() {
    let ex = Executor::new(2).unwrap();
    let out = ex.block_on(async {
        let tg = TaskGroup::<()>::new();
        let tasks: Vec<_> = (0..100u64)
            .map(|i| {
                tg.spawn(async move {
                    yield_now().await;
                    Ok(i * 2)
                })
            })
            .collect();
        tg.join().await.unwrap();
        let mut sum = 0;
        for t in tasks {
            sum += t.await.unwrap();
        }
        sum
    });
    assert_eq!(out, (0..100).map(|i| i * 2).sum::<u64>());
}

#[test]
fn a_failing_child_cancels_its_siblings() {
    let ex = Executor::new(1).unwrap();
    let drops = Arc::new(AtomicUsize::new(0));
    let err = ex.block_on({
        let drops = drops.clone();
        async move {
            let tg = TaskGroup::new();
            let siblings: Vec<_> = (0..3).map(|_| tg.spawn(forever(&drops))).collect();
            let failing = tg.spawn(async {
                yield_now().await;
                Err::<(), _>("lost the connection")
            });
            let err = tg.join().await.unwrap_err();
            for s in siblings {
                assert!(s.await.unwrap_err().is_cancelled());
            }
            assert!(failing.await.unwrap_err().is_failed());
            err
        }
    });
    assert_eq!(drops.load(Ordering::SeqCst), 3);
    assert_eq!(err.len(), 1);
    assert_eq!(err.failures()[0].error(), Some(&"lost the connection"));
}

#[test]
fn two_children_failing_together_both_appear() {
    let ex = Executor::new(2).unwrap();
    let err = ex.block_on(async {
        let tg = TaskGroup::new();
        // Both are inside their poll when they fail: neither sees the other's
        // cancellation first.
        let together = Arc::new(Barrier::new(2));
        for name in ["a", "b"] {
            let together = together.clone();
            tg.spawn(async move {
                together.wait();
                Err::<(), _>(name)
            })
            .detach();
        }
        tg.join().await.unwrap_err()
    });
    let mut names: Vec<_> = err.failures().iter().map(|f| *f.error().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["a", "b"]);
}

#[test]
fn a_panicking_child_is_in_the_error_group_and_the_worker_lives() {
    let ex = Executor::new(1).unwrap();
    let (err, after) = ex.block_on(async {
        let tg = TaskGroup::<()>::new();
        tg.spawn(async { panic!("child panicked") as Result<(), ()> })
            .detach();
        let err = tg.join().await.unwrap_err();
        (err, spawn(async { 7 }).await.unwrap())
    });
    assert_eq!(after, 7);
    match err.into_failures().remove(0) {
        Failure::Panic { payload, .. } => {
            assert_eq!(payload.downcast_ref::<&str>(), Some(&"child panicked"))
        }
        other => panic!("expected a panic, got {:?}", other.error()),
    }
}

#[test]
fn a_child_spawned_after_the_join_started_is_awaited() {
    let ex = Executor::new(2).unwrap();
    let (tx, rx) = oneshot::channel::<()>();
    let late_done = Arc::new(AtomicUsize::new(0));
    ex.block_on({
        let late_done = late_done.clone();
        async move {
            let tg = TaskGroup::<()>::new();
            let spawner = tg.spawner();
            tg.spawn(async move {
                // Runs once the join is under way (it is released from there).
                rx.await.unwrap();
                spawner
                    .spawn(async move {
                        yield_now().await;
                        late_done.fetch_add(1, Ordering::SeqCst);
                        Ok(())
                    })
                    .detach();
                Ok(())
            })
            .detach();
            let mut join = tg.join();
            // Poll the join once (it is pending), then release the first child.
            let first = futures::poll!(&mut join);
            assert!(first.is_pending());
            tx.send(()).unwrap();
            join.await.unwrap();
        }
    });
    assert_eq!(late_done.load(Ordering::SeqCst), 1);
}

#[test]
fn children_spawned_after_a_failure_are_cancelled_at_once() {
    let ex = Executor::new(1).unwrap();
    ex.block_on(async {
        let tg = TaskGroup::new();
        let first = tg.spawn(async { Err::<(), _>("first") });
        // Its handle reports the failure once the group has it.
        assert!(first.await.unwrap_err().is_failed());
        let ran = Arc::new(AtomicUsize::new(0));
        let late = tg.spawn({
            let ran = ran.clone();
            async move {
                ran.fetch_add(1, Ordering::SeqCst);
                Ok::<_, &str>(())
            }
        });
        assert!(late.await.unwrap_err().is_cancelled());
        assert_eq!(ran.load(Ordering::SeqCst), 0, "the late child ran");
        assert_eq!(tg.join().await.unwrap_err().len(), 1);
    });
}

#[test]
fn dropping_the_group_cancels_its_children() {
    let ex = Executor::new(1).unwrap();
    let drops = Arc::new(AtomicUsize::new(0));
    ex.block_on({
        let drops = drops.clone();
        async move {
            let tg = TaskGroup::new();
            let children: Vec<_> = (0..4).map(|_| tg.spawn(forever(&drops))).collect();
            // The body fails (returns early): the group is dropped.
            drop(tg);
            for c in children {
                assert!(c.await.unwrap_err().is_cancelled());
            }
        }
    });
    assert_eq!(drops.load(Ordering::SeqCst), 4);
}

#[test]
fn cancel_stops_every_child_without_an_error() {
    let ex = Executor::new(2).unwrap();
    let drops = Arc::new(AtomicUsize::new(0));
    ex.block_on({
        let drops = drops.clone();
        async move {
            let tg = TaskGroup::new();
            for _ in 0..10 {
                tg.spawn(forever(&drops)).detach();
            }
            tg.cancel();
            assert!(tg.join().await.is_ok());
        }
    });
    assert_eq!(drops.load(Ordering::SeqCst), 10);
}

#[test]
fn a_cancelled_parent_cancels_the_children_of_its_own_group() {
    let ex = Executor::new(2).unwrap();
    let drops = Arc::new(AtomicUsize::new(0));
    let (started_tx, started_rx) = oneshot::channel();
    ex.block_on({
        let drops = drops.clone();
        async move {
            let parent = spawn(async move {
                let inner = TaskGroup::new();
                for _ in 0..3 {
                    inner.spawn(forever(&drops)).detach();
                }
                started_tx.send(()).unwrap();
                inner.join().await
            });
            started_rx.await.unwrap();
            parent.cancel();
            assert!(parent.await.unwrap_err().is_cancelled());
        }
    });
    // The parent's join was dropped, so its group cancelled the three; wait for
    // them to be dropped by running the executor until they are.
    ex.block_on(async {
        while drops.load(Ordering::SeqCst) < 3 {
            yield_now().await;
        }
    });
    assert_eq!(drops.load(Ordering::SeqCst), 3);
}

/// A future that is pending once, then ready: a child that finishes while another
/// is failing.
struct Once(bool);

impl Future for Once {
    type Output = Result<u8, &'static str>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if self.0 {
            return Poll::Ready(Ok(1));
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[test]
fn a_successful_child_keeps_its_value_when_a_sibling_fails_later() {
    let ex = Executor::new(1).unwrap();
    ex.block_on(async {
        let tg = TaskGroup::new();
        assert_eq!(tg.spawn(Once(false)).await.unwrap(), 1);
        tg.spawn(async { Err::<u8, _>("late") }).detach();
        assert_eq!(tg.join().await.unwrap_err().len(), 1);
    });
}
