//! asyncio's `run_in_executor`: blocking code on a thread pool, off the event loop.
//!
//! ```python
//! def blocking_code():
//!     time.sleep(2)
//!     return "done"
//!
//! async def main():
//!     loop = asyncio.get_running_loop()
//!     result = await loop.run_in_executor(None, blocking_code)
//!     print(result)
//! ```
//!
//! `weft::to_thread` is `run_in_executor(None, f)` (the default, bounded pool);
//! `weft::ThreadPool` is a pool of one's own, like passing a `ThreadPoolExecutor`.
//! While the blocking call sleeps, the runtime keeps running other tasks: the ticker
//! below prints meanwhile. Run with `cargo run -p weft --example run_in_executor`.

use std::time::Duration;

fn blocking_code() -> &'static str {
    std::thread::sleep(Duration::from_secs(2));
    "done"
}

fn main() -> std::io::Result<()> {
    let pool = weft::ThreadPool::new(4)?;
    weft::run(async move {
        let ticker = weft::spawn(async {
            for i in 1..=3 {
                weft::sleep(Duration::from_millis(500)).await;
                println!("tick {i}: the runtime is free while the blocking call runs");
            }
        });
        let result = weft::to_thread(blocking_code)
            .await
            .expect("blocking_code returned");
        println!("{result}");
        let own = pool
            .run(|| blocking_code().to_uppercase())
            .await
            .expect("it returned");
        println!("{own} (on a pool of our own)");
        ticker.await.expect("the ticker ran");
    });
    Ok(())
}
