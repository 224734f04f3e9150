//! asyncio's `loop.add_signal_handler`: react to SIGINT and SIGTERM.
//!
//! ```python
//! def ask_exit(signame, loop):
//!     print("got signal %s: exit" % signame)
//!     loop.stop()
//!
//! async def main():
//!     loop = asyncio.get_running_loop()
//!     for signame in {'SIGINT', 'SIGTERM'}:
//!         loop.add_signal_handler(
//!             getattr(signal, signame),
//!             functools.partial(ask_exit, signame, loop))
//!     await asyncio.sleep(3600)
//! ```
//!
//! (The seeds use no signals; this is the asyncio docs' own example.) A callback
//! becomes a stream: `Signals::new([...])` yields each signal's number as it
//! arrives, and `select!` races it against the hour-long sleep. Handlers are
//! installed through signal-hook, so other handlers in the process keep working.
//! Run with `cargo run -p weft --example signal_handler` and press Ctrl-C, or run
//! `kill <pid>`; with no argument the example sends itself SIGTERM after a moment
//! (with `kill`, through `weft::process`), so it ends by itself. Pass `wait` to
//! wait for you instead.

use std::io;
use std::time::Duration;

use futures::StreamExt;
use weft::process::Command;
use weft::process::signal::{SIGINT, SIGTERM, Signals};

fn main() -> io::Result<()> {
    let wait_for_user = std::env::args().nth(1).as_deref() == Some("wait");
    weft::run(async move {
        let mut signals = Signals::new([SIGINT, SIGTERM])?;
        let pid = std::process::id();
        println!("Event loop running for 1 hour, press Ctrl-C to interrupt.");
        println!("pid {pid}: send SIGINT or SIGTERM to let me exit.");
        if !wait_for_user {
            weft::spawn(async move {
                weft::sleep(Duration::from_millis(300)).await;
                let _ = Command::new("kill").arg(pid.to_string()).status().await;
            })
            .detach();
        }
        weft::select! {
            Some(sig) = signals.next() => {
                let name = if sig == SIGINT { "SIGINT" } else { "SIGTERM" };
                println!("got signal {name}: exit");
            }
            _ = weft::sleep(Duration::from_secs(3600)) => println!("an hour went by"),
        }
        Ok(())
    })
}
