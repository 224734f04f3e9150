//! `#[weft::main]`: an `async fn main` with two worker threads that spawns a task,
//! sleeps, and returns a `Result` through `?`.
//!
//! ```text
//! cargo run -p weft --example hello
//! ```

use std::error::Error;
use std::time::Duration;

#[weft::main(worker_threads = 2)]
async fn main() -> Result<(), Box<dyn Error>> {
    let greeting = weft::spawn(async {
        weft::sleep(Duration::from_millis(1)).await;
        std::thread::current().name().map(String::from)
    })
    .await?;
    let from = greeting.as_deref().unwrap_or("an unnamed thread");
    let answer: u32 = "42".parse()?;
    println!("hello from {from}; the answer is {answer}");
    Ok(())
}
