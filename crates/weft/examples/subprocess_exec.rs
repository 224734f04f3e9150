//! asyncio's `create_subprocess_exec`: read a child's output as it comes, feed one
//! its input, and stop one that runs too long.
//!
//! ```python
//! async def get_date():
//!     proc = await asyncio.create_subprocess_exec('date', stdout=PIPE)
//!     data = await proc.stdout.readline()
//!     line = data.decode('ascii').rstrip()
//!     await proc.wait()
//!     return line
//!
//! async def main():
//!     print(f"Current date: {await get_date()}")
//!     proc = await asyncio.create_subprocess_exec('sort', stdin=PIPE, stdout=PIPE)
//!     out, _ = await proc.communicate(b'pear\napple\nfig\n')
//!     print(out.decode())
//!     proc = await asyncio.create_subprocess_exec('sleep', '30')
//!     try:
//!         await asyncio.wait_for(proc.wait(), timeout=2)
//!     except TimeoutError:
//!         proc.terminate()
//!         await proc.wait()
//!     print(f"sleep ended with {proc.returncode}")
//! ```
//!
//! `weft::process::Command` is std's builder with `Stdio::piped()` for `PIPE`; a
//! piped stdout is an async reader (`futures-io`), read line by line here with
//! `futures`' `BufReader` (weft-net's `StreamReader` has asyncio's `readline` too).
//! A `wait` that times out is dropped without losing anything: the child is then
//! terminated and waited for again. The seed's seconds are tenths here. Run with
//! `cargo run -p weft --example subprocess_exec`.

use std::io;
use std::time::Duration;

use futures::io::{AsyncBufReadExt, BufReader};
use weft::process::{Command, Stdio, create_subprocess_exec};

async fn get_date() -> io::Result<String> {
    let mut proc = Command::new("date").stdout(Stdio::piped()).spawn()?;
    let mut line = String::new();
    let stdout = proc.stdout.take().expect("piped");
    BufReader::new(stdout).read_line(&mut line).await?;
    proc.wait().await?;
    Ok(line.trim_end().to_string())
}

fn main() -> io::Result<()> {
    weft::run(async {
        println!("Current date: {}", get_date().await?);

        let mut proc = create_subprocess_exec("sort", std::iter::empty::<&str>())?;
        let out = proc.communicate(Some(b"pear\napple\nfig\n")).await?;
        print!("{}", String::from_utf8_lossy(&out.stdout));

        let mut proc = Command::new("sleep").arg("30").spawn()?;
        if weft::wait_for(Duration::from_millis(200), proc.wait())
            .await
            .is_err()
        {
            proc.terminate()?;
            proc.wait().await?;
        }
        println!("sleep ended with {:?}", proc.returncode()); // Some(-15): SIGTERM
        Ok(())
    })
}
