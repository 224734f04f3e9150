//! `timeout`, `timeout_at`, `wait_for`: the value or `Elapsed`, the value winning a
//! tie, and `reschedule` to an earlier and a later deadline, before and between
//! polls.
//!
//! Timeouts that must expire are short and run against futures that never finish;
//! timeouts that must not expire are long (60 s) and run against futures that finish.

mod common;

use std::future::{Future, pending, poll_fn, ready};
use std::pin::pin;
use std::sync::atomic::Ordering;
use std::task::Poll;
use std::time::Duration;

use common::{everywhere, pending_guarded, yield_now};
use weft_reactor::time::{Instant, sleep_until};
use weft_util::{Elapsed, timeout, timeout_at, wait_for};

const LONG: Duration = Duration::from_secs(60);
const SHORT: Duration = Duration::from_millis(5);

#[test]
fn a_future_that_finishes_gives_its_value() {
    everywhere(|| async {
        assert_eq!(timeout(LONG, async { 7 }).await, Ok(7));
        let later = async {
            yield_now().await;
            "later"
        };
        assert_eq!(wait_for(LONG, later).await, Ok("later"));
        assert_eq!(timeout_at(Instant::now() + LONG, ready(())).await, Ok(()));
    });
}

#[test]
fn a_future_that_never_finishes_elapses_and_is_dropped() {
    everywhere(|| async {
        let (stuck, dropped) = pending_guarded::<()>();
        let mut t = pin!(timeout(SHORT, stuck));
        assert_eq!(t.as_mut().await, Err(elapsed()));
        assert!(
            dropped.load(Ordering::SeqCst),
            "dropped as the deadline passed"
        );
        assert_eq!(
            wait_for(SHORT, pending::<u8>()).await.unwrap_err(),
            elapsed()
        );
    });
}

/// An `Elapsed` to compare with (it has no public constructor).
fn elapsed() -> Elapsed {
    weft_reactor::block_on(timeout_at(Instant::now(), pending::<()>())).unwrap_err()
}

#[test]
fn the_value_wins_when_the_future_finishes_as_the_deadline_passes() {
    // The inner future finishes only when polled after the deadline: in the poll that
    // the expired timer causes, it is polled first, so its value wins.
    everywhere(|| async {
        let deadline = Instant::now() + SHORT;
        let at_deadline = poll_fn(|_| {
            if Instant::now() >= deadline {
                Poll::Ready("value")
            } else {
                Poll::Pending // woken by the timeout's timer
            }
        });
        assert_eq!(timeout_at(deadline, at_deadline).await, Ok("value"));
        // A deadline long past, and a ready future: the value still wins.
        assert_eq!(timeout(Duration::ZERO, ready(1)).await, Ok(1));
        assert_eq!(timeout_at(deadline, ready(2)).await, Ok(2));
    });
}

#[test]
fn rescheduled_earlier_before_the_first_poll() {
    everywhere(|| async {
        let mut t = pin!(timeout(LONG, pending::<()>()));
        let sooner = Instant::now() + SHORT;
        t.as_mut().reschedule(sooner);
        assert_eq!(t.deadline(), Some(sooner));
        assert!(t.await.is_err());
        assert!(Instant::now() >= sooner);
    });
}

#[test]
fn rescheduled_earlier_while_pending() {
    everywhere(|| async {
        let mut t = pin!(timeout(LONG, pending::<()>()));
        assert!(poll_once(t.as_mut()).await.is_pending()); // the 60 s timer is filed
        t.as_mut().reschedule(Instant::now() + SHORT);
        assert!(t.await.is_err());
    });
}

#[test]
fn rescheduled_later_while_pending() {
    everywhere(|| async {
        let first = Instant::now() + SHORT;
        // Finishes only after the first deadline has passed.
        let work = async move {
            sleep_until(first + SHORT).await;
            "done"
        };
        let mut t = pin!(timeout_at(first, work));
        assert!(poll_once(t.as_mut()).await.is_pending());
        t.as_mut().reschedule(Instant::now() + LONG);
        assert_eq!(t.await, Ok("done"));
        assert!(
            Instant::now() >= first + SHORT,
            "the first deadline passed meanwhile"
        );
    });
}

#[test]
fn deadline_and_no_deadline() {
    let at = Instant::now() + LONG;
    assert_eq!(timeout_at(at, pending::<()>()).deadline(), Some(at));
    assert_eq!(timeout(Duration::MAX, pending::<()>()).deadline(), None);
}

#[test]
fn elapsed_is_a_small_error() {
    let e = elapsed();
    assert_eq!(e.to_string(), "deadline has elapsed");
    assert_eq!(format!("{e:?}"), "Elapsed(())");
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(e);
    assert!(boxed.source().is_none());
    assert_eq!(std::io::Error::from(e).kind(), std::io::ErrorKind::TimedOut);
}

/// Polls `fut` once.
async fn poll_once<F: Future + Unpin>(mut fut: F) -> Poll<F::Output> {
    poll_fn(|cx| Poll::Ready(std::pin::Pin::new(&mut fut).poll(cx))).await
}
