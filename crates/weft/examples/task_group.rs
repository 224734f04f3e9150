//! asyncio's `TaskGroup`: tasks that live no longer than their group, where the first
//! failure cancels the rest and every failure comes back together.
//!
//! ```python
//! async def risky_task(task_id):
//!     await asyncio.sleep(0.01 * task_id)
//!     if task_id == 2:
//!         raise ValueError(f"Task {task_id} failed")
//!     return f"Task {task_id} succeeded"
//!
//! async def main():
//!     try:
//!         async with asyncio.TaskGroup() as tg:
//!             tasks = [tg.create_task(risky_task(i)) for i in range(1, 5)]
//!     except* ValueError as eg:
//!         for e in eg.exceptions:
//!             print(f"Error: {e}")
//!     for t in tasks:
//!         print(t.result() if not t.cancelled() and not t.exception() else "no result")
//! ```
//!
//! Task 1 finishes, task 2 fails, and tasks 3 and 4 are cancelled by that failure.
//! Run with `cargo run -p weft --example task_group`.

use std::time::Duration;

use weft::TaskGroup;

#[derive(Debug)]
struct TaskFailed(u32);

impl std::fmt::Display for TaskFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Task {} failed", self.0)
    }
}

async fn risky_task(task_id: u32) -> Result<String, TaskFailed> {
    weft::sleep(Duration::from_millis(10 * u64::from(task_id))).await;
    if task_id == 2 {
        return Err(TaskFailed(task_id));
    }
    Ok(format!("Task {task_id} succeeded"))
}

fn main() {
    weft::run(async {
        let tg = TaskGroup::new();
        let tasks: Vec<_> = (1..5).map(|i| tg.spawn(risky_task(i))).collect();
        if let Err(errors) = tg.join().await {
            for failure in errors.failures() {
                println!("Error: {failure}");
            }
        }
        for (i, t) in (1..).zip(tasks) {
            match t.await {
                Ok(s) => println!("{s}"),
                Err(e) if e.is_cancelled() => println!("Task {i} was cancelled"),
                Err(_) => println!("Task {i} failed (its error is above)"),
            }
        }
    });
}
