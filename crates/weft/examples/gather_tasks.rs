//! asyncio's `gather` of tasks: start several, collect their results in order.
//!
//! ```python
//! async def task1():
//!     await asyncio.sleep(1)
//!     return "Task 1 complete"
//!
//! async def task2():
//!     await asyncio.sleep(2)
//!     return "Task 2 complete"
//!
//! async def main():
//!     results = await asyncio.gather(task1(), task2())
//!     print(results)
//! ```
//!
//! Spawned tasks run concurrently as soon as they exist; awaiting their handles in
//! order gathers the results in order (weft-util's `gather!` does the same for plain
//! futures). A task that panicked comes back as an `Err`, like
//! `gather(..., return_exceptions=True)`. Run with
//! `cargo run -p weft --example gather_tasks`.

use std::time::Duration;

async fn task1() -> &'static str {
    weft::sleep(Duration::from_secs(1)).await;
    "Task 1 complete"
}

async fn task2() -> &'static str {
    weft::sleep(Duration::from_secs(2)).await;
    "Task 2 complete"
}

async fn faulty() -> &'static str {
    panic!("task 3 failed")
}

fn main() {
    let results = weft::run(async {
        let tasks = vec![
            weft::spawn(task1()),
            weft::spawn(task2()),
            weft::spawn(faulty()),
        ];
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.map_err(|e| e.to_string()));
        }
        results
    });
    println!("{results:?}");
}
