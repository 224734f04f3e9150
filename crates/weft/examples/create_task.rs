//! asyncio's `create_task`: two coroutines run concurrently.
//!
//! ```python
//! async def say(msg, delay):
//!     await asyncio.sleep(delay)
//!     print(msg)
//!
//! async def main():
//!     task1 = asyncio.create_task(say("first", 2))
//!     task2 = asyncio.create_task(say("second", 1))
//!     await task1
//!     await task2
//! ```
//!
//! "second" prints after one second, "first" after two: the tasks run at once, so
//! the whole takes two seconds, not three. Run with
//! `cargo run -p weft --example create_task`.

use std::time::{Duration, Instant};

async fn say(msg: &str, delay: Duration) {
    weft::sleep(delay).await;
    println!("{msg}");
}

fn main() {
    let start = Instant::now();
    weft::run(async {
        let task1 = weft::spawn(say("first", Duration::from_secs(2)));
        let task2 = weft::spawn(say("second", Duration::from_secs(1)));
        task1.await.expect("task1 ran to completion");
        task2.await.expect("task2 ran to completion");
    });
    println!("finished in {:.1?}", start.elapsed());
}
