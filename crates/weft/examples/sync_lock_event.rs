//! asyncio's `Lock` and `Event`: workers update a shared total under a lock, and
//! wait for a start signal.
//!
//! ```python
//! async def worker(n, lock, start, totals):
//!     await start.wait()
//!     async with lock:
//!         totals["sum"] += n
//!
//! async def main():
//!     lock, start, totals = asyncio.Lock(), asyncio.Event(), {"sum": 0}
//!     tasks = [asyncio.create_task(worker(n, lock, start, totals)) for n in range(10)]
//!     await asyncio.sleep(0.01)
//!     start.set()
//!     await asyncio.gather(*tasks)
//!     print(totals["sum"])
//! ```
//!
//! weft's `Lock` holds the value it guards. Run with
//! `cargo run -p weft --example sync_lock_event`.

use std::sync::Arc;
use std::time::Duration;

use weft::sync::{Event, Lock};

async fn worker(n: u64, total: Arc<Lock<u64>>, start: Arc<Event>) {
    start.wait().await;
    let mut total = total.lock().await;
    *total += n;
}

fn main() {
    let sum = weft::run(async {
        let total = Arc::new(Lock::new(0));
        let start = Arc::new(Event::new());
        let tasks: Vec<_> = (0..10)
            .map(|n| weft::spawn(worker(n, total.clone(), start.clone())))
            .collect();
        weft::sleep(Duration::from_millis(10)).await;
        start.set();
        for t in tasks {
            t.await.expect("worker");
        }
        *total.lock().await
    });
    println!("{sum}");
}
