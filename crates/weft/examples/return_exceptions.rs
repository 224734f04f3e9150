//! asyncio's `gather(..., return_exceptions=True)`: collect failures with results.
//!
//! ```python
//! async def risky_task(task_id):
//!     if task_id == 2:
//!         raise ValueError(f"Task {task_id} failed")
//!     return f"Task {task_id} succeeded"
//!
//! async def main():
//!     tasks = [risky_task(i) for i in range(1, 4)]
//!     results = await asyncio.gather(*tasks, return_exceptions=True)
//!     for result in results:
//!         if isinstance(result, Exception):
//!             print(f"Error: {result}")
//!         else:
//!             print(result)
//! ```
//!
//! An exception is an `Err` here, so `weft::gather_all` of futures that return
//! `Result` is `return_exceptions=True`: every `Ok` and every `Err`, in input order.
//! `weft::try_gather_all` is the default `return_exceptions=False`: the first `Err`
//! ends it (and, unlike asyncio, drops the other futures). Run with
//! `cargo run -p weft --example return_exceptions`.

use std::fmt;

/// Python's `ValueError`, as a small error type.
#[derive(Debug)]
struct ValueError(String);

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ValueError {}

async fn risky_task(task_id: u32) -> Result<String, ValueError> {
    if task_id == 2 {
        return Err(ValueError(format!("Task {task_id} failed")));
    }
    Ok(format!("Task {task_id} succeeded"))
}

fn main() {
    weft::run(async {
        let results = weft::gather_all((1..4).map(risky_task)).await;
        for result in results {
            match result {
                Ok(value) => println!("{value}"),
                Err(e) => println!("Error: {e}"),
            }
        }

        // return_exceptions=False: the first error is the result.
        match weft::try_gather_all((1..4).map(risky_task)).await {
            Ok(values) => println!("all succeeded: {values:?}"),
            Err(e) => println!("gather raised: {e}"),
        }
    });
}
