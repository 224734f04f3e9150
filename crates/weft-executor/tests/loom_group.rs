//! Model checks of the `TaskGroup` protocol (`src/group/mod.rs`): a child about to
//! wait against the group's cancellation, and the last child leaving against the
//! join's poll. A lost wake-up leaves a child or the join waiting for good, which
//! these models report as a failed assertion.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test --release --test loom_group`.
#![cfg(loom)]

use std::sync::Arc as StdArc;
use std::task::{Poll, Wake, Waker};

use loom::sync::Arc;
use loom::sync::atomic::{AtomicBool, Ordering};
use loom::thread;
use weft_executor::__loom::Group;

/// A waker that records that it was woken.
struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: StdArc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

fn flag() -> (StdArc<Flag>, Waker) {
    let f = StdArc::new(Flag(AtomicBool::new(false)));
    (f.clone(), Waker::from(f))
}

/// A child leaves its waker while another thread cancels the group: either the
/// child is told to stop at once, or its waker is woken (and its next poll stops).
#[test]
fn a_waiting_child_against_cancel() {
    loom::model(|| {
        let group = Arc::new(Group::new());
        let slot = group.add();
        let canceller = thread::spawn({
            let group = group.clone();
            move || group.cancel()
        });
        let (woken, waker) = flag();
        let parked = group.park(slot, &waker);
        canceller.join().unwrap();
        assert!(group.is_cancelled());
        assert!(
            !parked || woken.0.load(Ordering::SeqCst),
            "a child waits on a cancelled group and nobody will wake it"
        );
    });
}

/// A child fails while a sibling leaves its waker: the sibling is stopped or woken,
/// and the join sees the failure once both are gone.
#[test]
fn a_failing_child_against_a_waiting_sibling() {
    loom::model(|| {
        let group = Arc::new(Group::new());
        let (failing, waiting) = (group.add(), group.add());
        let failer = thread::spawn({
            let group = group.clone();
            move || {
                group.fail();
                group.leave(failing);
            }
        });
        let (woken, waker) = flag();
        let parked = group.park(waiting, &waker);
        failer.join().unwrap();
        assert!(!parked || woken.0.load(Ordering::SeqCst));
        group.leave(waiting);
        let (_, join_waker) = flag();
        assert_eq!(group.poll_join(&join_waker), Poll::Ready(1));
    });
}

/// The last child leaves while the join polls: either the join sees no child left,
/// or it is woken to poll again.
#[test]
fn the_last_child_leaving_against_the_join() {
    loom::model(|| {
        let group = Arc::new(Group::new());
        let slot = group.add();
        let child = thread::spawn({
            let group = group.clone();
            move || group.leave(slot)
        });
        let (woken, waker) = flag();
        let first = group.poll_join(&waker);
        child.join().unwrap();
        match first {
            Poll::Ready(failures) => assert_eq!(failures, 0),
            Poll::Pending => {
                assert!(woken.0.load(Ordering::SeqCst), "the join was not woken");
                assert_eq!(group.poll_join(&waker), Poll::Ready(0));
            }
        }
    });
}
