//! A graceful shutdown on Ctrl-C: workers finish their current job and clean up,
//! a child process is terminated and reaped, then the program exits.
//!
//! ```python
//! async def worker(name, stop):
//!     try:
//!         while not stop.is_set():
//!             print(f"{name}: working")
//!             await asyncio.sleep(0.1)
//!     finally:
//!         print(f"{name}: cleaned up")
//!
//! async def main():
//!     loop = asyncio.get_running_loop()
//!     stop = asyncio.Event()
//!     loop.add_signal_handler(signal.SIGINT, stop.set)
//!     helper = await asyncio.create_subprocess_exec('sleep', '3600')
//!     async with asyncio.TaskGroup() as tg:
//!         for name in ("a", "b"):
//!             tg.create_task(worker(name, stop))
//!         await stop.wait()
//!         print("shutting down")
//!         helper.terminate()
//!         print(f"helper ended with {await helper.wait()}")
//! ```
//!
//! `weft::process::signal::ctrl_c()` waits for the SIGINT; an `Event` tells the
//! workers to stop, and the task group waits for them. The helper child is stopped
//! with `terminate` (SIGTERM) and reaped with `wait`; `kill_on_drop` would kill it
//! had `main` ended another way. Run with `cargo run -p weft --example
//! shutdown_graceful` and press Ctrl-C; with no argument the example sends itself
//! SIGINT after a moment, so it ends by itself. Pass `wait` to wait for you instead.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use weft::process::Command;
use weft::process::signal::ctrl_c;
use weft::sync::Event;

async fn worker(name: &'static str, stop: Arc<Event>) {
    while !stop.is_set() {
        println!("{name}: working");
        let _ = weft::wait_for(Duration::from_millis(100), stop.wait()).await;
    }
    println!("{name}: cleaned up");
}

fn main() -> io::Result<()> {
    let wait_for_user = std::env::args().nth(1).as_deref() == Some("wait");
    weft::run(async move {
        // Installed first, so a Ctrl-C from here on is never missed.
        let interrupted = ctrl_c();
        let stop = Arc::new(Event::new());
        let mut helper = Command::new("sleep")
            .arg("3600")
            .kill_on_drop(true)
            .spawn()?;
        if !wait_for_user {
            let pid = std::process::id();
            weft::spawn(async move {
                weft::sleep(Duration::from_millis(350)).await;
                let _ = Command::new("kill")
                    .args(["-INT", &pid.to_string()])
                    .status()
                    .await;
            })
            .detach();
        } else {
            println!("press Ctrl-C to stop");
        }
        let group = weft::TaskGroup::<io::Error>::new();
        for name in ["a", "b"] {
            let stop = stop.clone();
            group
                .spawn(async move {
                    worker(name, stop).await;
                    Ok(())
                })
                .detach();
        }
        interrupted.await?;
        println!("shutting down");
        stop.set();
        helper.terminate()?;
        println!("helper ended with {}", helper.wait().await?);
        if group.join().await.is_err() {
            eprintln!("a worker failed");
        }
        println!("bye");
        Ok(())
    })
}
