//! Issue 6 on the weft runtime: weft-util's combinators and timeouts (tested under
//! foreign executors in weft-util) running on weft's own runtime, single- and
//! multi-thread, with weft's tasks; and `wait`/`wait_timeout`/`shield`.

use std::future::pending;
use std::time::Duration;

use futures::StreamExt;
use weft::{ReturnWhen, Runtime};

/// Runs `body` on a single-thread and on a two-worker runtime.
fn on_both<F, Fut>(body: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    for rt in [
        Runtime::builder().single_thread().build().unwrap(),
        Runtime::builder().worker_threads(2).build().unwrap(),
    ] {
        rt.block_on(body());
    }
}

#[test]
fn gather_of_tasks_and_futures() {
    on_both(|| async {
        let (a, b, c) =
            weft::gather!(weft::spawn(async { 1 }), async { 2 }, weft::to_thread(|| 3)).await;
        assert_eq!((a.unwrap(), b, c.unwrap()), (1, 2, 3));
        let all = weft::gather_all((0..1_000).map(|i| weft::spawn(async move { i }))).await;
        let all: Vec<i32> = all.into_iter().map(Result::unwrap).collect();
        assert_eq!(all, (0..1_000).collect::<Vec<_>>());
        assert!(
            weft::gather_all(Vec::<weft::Task<()>>::new())
                .await
                .is_empty()
        );
    });
}

#[test]
fn as_completed_yields_each_task_once_in_completion_order() {
    on_both(|| async {
        let (tx, rx) = futures::channel::oneshot::channel::<()>();
        let slow = weft::spawn(async move {
            rx.await.unwrap();
            "slow"
        });
        let fast = weft::spawn(async { "fast" });
        let mut stream = weft::as_completed([slow, fast]);
        assert_eq!(stream.next().await.unwrap().unwrap(), "fast");
        tx.send(()).unwrap();
        assert_eq!(stream.next().await.unwrap().unwrap(), "slow");
        assert!(stream.next().await.is_none());
    });
}

#[test]
fn timeouts_on_the_runtime_clock() {
    on_both(|| async {
        let late = weft::timeout(Duration::from_millis(5), pending::<()>()).await;
        assert!(late.is_err());
        let on_time = weft::wait_for(Duration::from_secs(60), async { 9 }).await;
        assert_eq!(on_time.unwrap(), 9);
        // Rescheduled from an hour to now: it expires.
        let mut t = Box::pin(weft::timeout(Duration::from_secs(3600), pending::<()>()));
        assert!(futures::poll!(t.as_mut()).is_pending());
        t.as_mut().reschedule(weft::time::Instant::now());
        assert!(t.await.is_err());
    });
}

#[test]
fn race_drops_the_loser_task_handle_without_cancelling_it() {
    on_both(|| async {
        let (tx, rx) = futures::channel::oneshot::channel::<&str>();
        let loser = weft::spawn(async move { rx.await.unwrap() });
        let winner = weft::race(async { "now" }, async { loser.await.unwrap() }).await;
        assert_eq!(winner, "now");
        // The loser's task was detached, not cancelled: it can still finish.
        tx.send("later").unwrap();
    });
}

#[test]
fn wait_first_completed_and_with_a_time_limit() {
    on_both(|| async {
        let quick = weft::spawn(async { 1 });
        let never = weft::spawn(pending::<i32>());
        let (done, pending) = weft::wait([quick, never], ReturnWhen::FirstCompleted).await;
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].index, 0);
        assert_eq!(pending.len(), 1);
        let (done, pending) =
            weft::wait_timeout(pending, ReturnWhen::AllCompleted, Duration::from_millis(5)).await;
        assert!(done.is_empty());
        assert_eq!(pending.len(), 1);
        pending[0].cancel();
    });
}

#[test]
fn wait_first_exception_returns_at_the_first_failed_task() {
    on_both(|| async {
        let never = weft::spawn(pending::<()>());
        let bad = weft::spawn(async { panic!("bad") });
        let (done, pending) = weft::wait([never, bad], ReturnWhen::FirstException).await;
        assert_eq!(done.len(), 1);
        assert!(done[0].result.as_ref().unwrap_err().is_panic());
        assert_eq!(pending.len(), 1);
        pending[0].cancel();
    });
}

#[test]
fn shield_keeps_the_work_running_past_a_timeout() {
    on_both(|| async {
        let (tx, rx) = futures::channel::oneshot::channel::<&str>();
        let mut work = weft::shield(async move { rx.await.unwrap() });
        // The caller gives up waiting...
        assert!(
            weft::timeout(Duration::from_millis(5), &mut work)
                .await
                .is_err()
        );
        tx.send("kept").unwrap();
        // ...and the result is still there.
        assert_eq!(work.await.unwrap(), "kept");
    });
}
