//! `#[weft::test]` as a crate uses it. (`#[weft::main]` is used by
//! `examples/hello.rs`, which `cargo test` builds, and by the control doctest of
//! `src/macro_errors.rs`, which it runs.)

use std::cell::Cell;
use std::num::ParseIntError;
use std::thread;

#[weft::test]
async fn spawned_task_hands_back_its_output() {
    let task = weft::spawn(async { 40 + 2 });
    assert_eq!(task.await.unwrap(), 42);
}

#[weft::test]
async fn default_runtime_is_single_thread() {
    assert!(weft::Handle::current().is_single_thread());
    let here = thread::current().id();
    let there = weft::spawn(async { thread::current().id() }).await.unwrap();
    assert_eq!(there, here, "tasks run on the test's thread");
}

#[weft::test(single_thread)]
async fn single_thread_option_runs_tasks_on_the_test_thread() {
    assert!(weft::Handle::current().is_single_thread());
    let here = thread::current().id();
    let there = weft::spawn(async { thread::current().id() }).await.unwrap();
    assert_eq!(there, here);
}

#[weft::test(worker_threads = 2)]
async fn worker_threads_option_runs_tasks_on_named_workers() {
    let handle = weft::Handle::current();
    assert!(!handle.is_single_thread());
    assert_eq!(handle.worker_threads(), 2);
    let here = thread::current().id();
    let (there, name) = weft::spawn(async {
        let me = thread::current();
        (me.id(), me.name().map(String::from))
    })
    .await
    .unwrap();
    assert_ne!(there, here, "tasks run on a worker, not the test's thread");
    assert_eq!(name.as_deref(), Some("weft-worker"));
}

#[weft::test]
async fn timers_fire_on_the_test_runtime() {
    let start = weft::time::Instant::now();
    weft::sleep(std::time::Duration::from_millis(2)).await;
    assert!(start.elapsed() >= std::time::Duration::from_millis(2));
}

#[weft::test]
#[should_panic(expected = "the body's panic")]
async fn should_panic_is_kept() {
    weft::yield_now().await;
    panic!("the body's panic");
}

thread_local! {
    /// What `result_test` parses: a number when the harness runs it, not one when
    /// `result_test_hands_back_the_err` calls it.
    static INPUT: Cell<&'static str> = const { Cell::new("42") };
}

#[weft::test]
async fn result_test() -> Result<(), ParseIntError> {
    // The body runs on the caller's thread (a single-thread runtime), so it sees the
    // caller's `INPUT`.
    let n: u32 = INPUT.get().parse()?;
    assert_eq!(n, 42);
    Ok(())
}

#[test]
fn result_test_hands_back_the_err() {
    INPUT.set("forty-two");
    let err = result_test().unwrap_err();
    assert_eq!(err, "x".parse::<u32>().unwrap_err());
}
