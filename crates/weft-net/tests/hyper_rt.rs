//! The runtime pieces hyper asks for, on their own: `HyperTimer` on the reactor's
//! timers and `HyperExecutor` on a `Spawn`, under weft's executor and tokio.
#![cfg(feature = "hyper")]

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use futures::channel::oneshot;
use hyper::rt::{Executor, Timer};
use weft_net::hyper::{HyperExecutor, HyperTimer};

type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

#[test]
fn timer_sleeps_fire_at_or_after_their_deadlines() {
    weft_reactor::block_on(async {
        let deadline = Instant::now() + Duration::from_millis(2);
        HyperTimer.sleep_until(deadline).await;
        assert!(Instant::now() >= deadline);

        let start = Instant::now();
        HyperTimer.sleep(Duration::from_millis(1)).await;
        assert!(start.elapsed() >= Duration::from_millis(1));
        assert!(HyperTimer.now() >= start);
    });
}

#[test]
fn timer_reset_moves_the_deadline() {
    weft_reactor::block_on(async {
        // A sleep set far away, then brought near: it fires at the new deadline.
        let mut sleep = HyperTimer.sleep(Duration::from_secs(3600));
        let near = Instant::now() + Duration::from_millis(1);
        HyperTimer.reset(&mut sleep, near);
        sleep.as_mut().await;
        assert!(Instant::now() >= near);
        // It can be re-armed after firing, too.
        let again = Instant::now() + Duration::from_millis(1);
        HyperTimer.reset(&mut sleep, again);
        sleep.await;
        assert!(Instant::now() >= again);
    });
}

#[test]
fn timer_works_under_tokio() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("tokio runtime");
    rt.block_on(async {
        let deadline = Instant::now() + Duration::from_millis(2);
        HyperTimer.sleep_until(deadline).await;
        assert!(Instant::now() >= deadline);
    });
}

#[test]
fn executor_spawns_on_weft() {
    let ex = weft_executor::Executor::new(2).expect("executor");
    let handle = ex.handle();
    let hyper_ex = HyperExecutor::new(move |f: BoxFuture| handle.spawn(f).detach());
    let (tx, rx) = oneshot::channel();
    hyper_ex.clone().execute(async move {
        let name = std::thread::current().name().map(String::from);
        tx.send(name).expect("test waits");
    });
    let name = ex.block_on(rx).expect("the task ran");
    assert!(
        name.is_some_and(|n| n.starts_with("weft")),
        "not on a weft worker"
    );
}

#[test]
fn executor_spawns_on_tokio() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("tokio-hyper-test")
        .build()
        .expect("tokio runtime");
    let handle = rt.handle().clone();
    let hyper_ex = HyperExecutor::new(move |f: BoxFuture| {
        handle.spawn(f);
    });
    let (tx, rx) = oneshot::channel();
    hyper_ex.execute(async move {
        let name = std::thread::current().name().map(String::from);
        tx.send(name).expect("test waits");
    });
    let name = futures::executor::block_on(rx).expect("the task ran");
    assert_eq!(name.as_deref(), Some("tokio-hyper-test"));
}
