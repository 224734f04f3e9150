//! Executor ids: every task header records its executor in 16 bits, so at most 65,535
//! executors may be alive at once; an id is held until the executor, its handles and
//! its tasks are all gone, then reused.
//!
//! One test in a binary of its own: it uses up every id of the process, which would
//! make executors of tests running beside it fail.

use std::panic::{self, AssertUnwindSafe};

use weft_executor::{Executor, LocalExecutor};

const MAX_LIVE: usize = 65_535;

/// The message of the panic of `LocalExecutor::new`, if it panics.
fn new_panics() -> Option<String> {
    let res = panic::catch_unwind(AssertUnwindSafe(LocalExecutor::new));
    match res {
        Ok(_) => None,
        Err(p) => Some(
            p.downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default(),
        ),
    }
}

#[test]
fn ids_are_held_while_needed_and_reused_after() {
    // Dropped executors give their ids back: many more than 65,535 in turn.
    for _ in 0..MAX_LIVE + 1000 {
        drop(LocalExecutor::new());
    }
    for _ in 0..4 {
        drop(Executor::new(1).unwrap());
    }

    // 65,535 alive at once is the most; the next says why it fails.
    let mut live: Vec<LocalExecutor> = (0..MAX_LIVE - 1).map(|_| LocalExecutor::new()).collect();
    let last = LocalExecutor::new();
    let msg = new_panics().expect("a 65,536th live executor is refused");
    assert!(msg.contains("65,535 executors"), "{msg}");

    // A task still holds its executor's id after the executor is dropped...
    let task = last.spawn(async { 1 });
    drop(last);
    assert!(
        new_panics().is_some(),
        "the dropped executor's task holds its id"
    );
    // ... until the task is gone too.
    assert!(task.join_blocking().unwrap_err().is_cancelled());
    let again = LocalExecutor::new();
    assert_eq!(again.block_on(again.spawn(async { 2 })).unwrap(), 2);

    drop(again);
    live.truncate(10);
    let ex = Executor::new(1).unwrap();
    assert_eq!(ex.block_on(ex.spawn(async { 3 })).unwrap(), 3);
    assert!(ex.handle().tasks().is_empty());
}
