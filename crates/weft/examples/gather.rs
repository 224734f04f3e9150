//! asyncio's `gather`: run coroutines concurrently and collect their results in order.
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
//! async def say(msg, delay):
//!     await asyncio.sleep(delay)
//!     print(msg)
//!
//! async def main():
//!     results = await asyncio.gather(task1(), task2())
//!     print(results)
//!     await asyncio.gather(say("A", 2), say("B", 1))
//! ```
//!
//! `weft::gather!` takes a fixed set of futures of any types and yields a tuple;
//! `weft::gather_all` takes an iterator of futures of one type (spawned tasks' handles
//! here) and yields a `Vec`, in input order either way. The futures run concurrently,
//! so each gather takes as long as its slowest future, not the sum. The seed's
//! seconds are tenths of a second here, to keep the example quick. Run with
//! `cargo run -p weft --example gather`.

use std::time::{Duration, Instant};

/// The seed's second, scaled down.
const SECOND: Duration = Duration::from_millis(100);

async fn task1() -> &'static str {
    weft::sleep(SECOND).await;
    "Task 1 complete"
}

async fn task2() -> &'static str {
    weft::sleep(2 * SECOND).await;
    "Task 2 complete"
}

async fn say(msg: &str, delay: Duration) {
    weft::sleep(delay).await;
    println!("{msg}");
}

fn main() {
    weft::run(async {
        let start = Instant::now();
        let results = weft::gather!(task1(), task2()).await;
        println!("{results:?} after {:.1?}", start.elapsed()); // 0.2 s, not 0.3 s

        // "B" prints first: its sleep is shorter.
        weft::gather!(say("A", 2 * SECOND), say("B", SECOND)).await;

        // Spawned tasks are futures too; a task that panics comes back as an `Err`.
        let tasks = (1..=3).map(|i| {
            weft::spawn(async move {
                weft::sleep(i * SECOND / 2).await;
                format!("task {i} done")
            })
        });
        for result in weft::gather_all(tasks).await {
            println!("{}", result.expect("the task ran to completion"));
        }
        println!("finished in {:.1?}", start.elapsed());
    });
}
