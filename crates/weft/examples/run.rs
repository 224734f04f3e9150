//! asyncio's first example, `asyncio.run(greet())`:
//!
//! ```python
//! async def greet():
//!     await asyncio.sleep(1)
//!     print("Hello")
//!
//! asyncio.run(greet())
//! ```
//!
//! `weft::run` starts a runtime, runs the future to completion and shuts the runtime
//! down. Run with `cargo run -p weft --example run`.

use std::time::Duration;

async fn greet() {
    weft::sleep(Duration::from_secs(1)).await;
    println!("Hello");
}

fn main() {
    weft::run(greet());
}
