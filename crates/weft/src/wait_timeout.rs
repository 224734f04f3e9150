//! `wait_timeout`: asyncio's `wait(tasks, timeout=..., return_when=...)`.

use std::time::Duration;

use weft_executor::Task;
use weft_executor::wait::{Finished, ReturnWhen, wait};

/// [`wait`](crate::wait) with a time limit: returns when `when` holds or `limit` has
/// passed, whichever is first, with the tasks finished by then (and their results)
/// and the others, still running: asyncio's `wait(..., timeout=limit)`.
///
/// # Cancel safety
///
/// Dropping it before it completes detaches the tasks still running and drops the
/// results of those that finished.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft::ReturnWhen;
///
/// weft::run(async {
///     let quick = weft::spawn(async { "quick" });
///     let slow = weft::spawn(async {
///         weft::sleep(Duration::from_secs(3600)).await;
///         "slow"
///     });
///     let (done, pending) =
///         weft::wait_timeout([quick, slow], ReturnWhen::AllCompleted, Duration::from_millis(20)).await;
///     assert_eq!(done.len(), 1);
///     assert_eq!(done[0].result.as_ref().ok(), Some(&"quick"));
///     pending[0].cancel();
/// });
/// ```
pub async fn wait_timeout<T>(
    tasks: impl IntoIterator<Item = Task<T>>,
    when: ReturnWhen,
    limit: Duration,
) -> (Vec<Finished<T>>, Vec<Task<T>>) {
    let mut waiting = wait(tasks, when);
    match weft_util::timeout(limit, &mut waiting).await {
        Ok(parts) => parts,
        Err(_) => waiting.into_parts(),
    }
}
