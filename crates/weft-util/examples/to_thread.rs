//! asyncio's `to_thread` example, in weft.
//!
//! ```python
//! def blocking_io():
//!     print(f"start blocking_io at {time.strftime('%X')}")
//!     # Note that time.sleep() can be replaced with any blocking
//!     # IO-bound operation, such as file operations.
//!     time.sleep(1)
//!     print(f"blocking_io complete at {time.strftime('%X')}")
//!
//! async def main():
//!     print(f"started main at {time.strftime('%X')}")
//!     await asyncio.gather(
//!         asyncio.to_thread(blocking_io),
//!         asyncio.sleep(1))
//!     print(f"finished main at {time.strftime('%X')}")
//!
//! asyncio.run(main())
//! ```
//!
//! Run it with `cargo run -p weft-util --example to_thread`. It prints (the two
//! lines after the first, and the two after them, may come in either order):
//!
//! ```text
//! started main at 0.00 s
//! start blocking_io at 0.00 s
//! blocking_io complete at 1.00 s
//! the timer fired at 1.00 s
//! finished main at 1.00 s
//! ```
//!
//! One second in all, not two: the blocking call runs on a pool thread while the
//! event loop's thread serves the timer.

use std::thread;
use std::time::Duration;

use weft_reactor::block_on;
use weft_reactor::time::{Instant, sleep};
use weft_util::to_thread;

/// Seconds since `start`, as the example prints them.
fn at(start: Instant) -> String {
    format!("{:.2} s", start.elapsed().as_secs_f64())
}

fn blocking_io(start: Instant) {
    println!("start blocking_io at {}", at(start));
    // `thread::sleep` stands in for any blocking I/O operation, such as reading a file.
    thread::sleep(Duration::from_secs(1));
    println!("blocking_io complete at {}", at(start));
}

fn main() {
    let start = Instant::now();
    block_on(async {
        println!("started main at {}", at(start));
        // `to_thread` queues the job at once, so it runs while this task sleeps: the
        // two overlap as under asyncio's `gather`.
        let job = to_thread(move || blocking_io(start));
        sleep(Duration::from_secs(1)).await;
        println!("the timer fired at {}", at(start));
        // A panic in `blocking_io` would be re-raised here, as asyncio re-raises.
        job.await.unwrap_or_else(|e| e.resume_unwind());
        println!("finished main at {}", at(start));
    });
}
