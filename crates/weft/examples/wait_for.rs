//! asyncio's `wait_for`: give up on an operation that takes too long.
//!
//! ```python
//! async def slow_operation():
//!     await asyncio.sleep(5)
//!     return "Done"
//!
//! async def main():
//!     try:
//!         result = await asyncio.wait_for(slow_operation(), timeout=2)
//!     except asyncio.TimeoutError:
//!         print("Operation timed out")
//! ```
//!
//! `weft::wait_for(duration, future)` resolves to `Ok(output)`, or to
//! `Err(weft::Elapsed)` (asyncio's `TimeoutError`) once the time is up; the slow
//! future is then dropped, as asyncio cancels it. Note the order of the arguments:
//! the duration first, as in `weft::timeout`. The second part moves a deadline, as
//! asyncio's `async with asyncio.timeout(...) as cm: cm.reschedule(...)` does. The
//! seed's seconds are tenths of a second here. Run with
//! `cargo run -p weft --example wait_for`.

use std::pin::pin;
use std::time::Duration;

/// The seed's second, scaled down.
const SECOND: Duration = Duration::from_millis(100);

async fn slow_operation() -> &'static str {
    weft::sleep(5 * SECOND).await;
    "Done"
}

fn main() {
    weft::run(async {
        match weft::wait_for(2 * SECOND, slow_operation()).await {
            Ok(result) => println!("{result}"),
            Err(weft::Elapsed { .. }) => println!("Operation timed out"),
        }

        // The same operation, with its deadline pushed back once it has started.
        let mut op = pin!(weft::timeout(2 * SECOND, slow_operation()));
        let first = op.deadline().expect("a deadline");
        weft::sleep(SECOND).await;
        op.as_mut().reschedule(first + 5 * SECOND);
        match op.await {
            Ok(result) => println!("with more time: {result}"),
            Err(e) => println!("timed out again: {e}"),
        }
    });
}
