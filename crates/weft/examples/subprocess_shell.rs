//! asyncio's `create_subprocess_shell` and `communicate`: run shell commands
//! concurrently and collect what they print.
//!
//! ```python
//! async def run(cmd):
//!     proc = await asyncio.create_subprocess_shell(
//!         cmd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
//!     stdout, stderr = await proc.communicate()
//!     print(f'[{cmd!r} exited with {proc.returncode}]')
//!     if stdout:
//!         print(f'[stdout]\n{stdout.decode()}')
//!     if stderr:
//!         print(f'[stderr]\n{stderr.decode()}')
//!
//! async def main():
//!     await asyncio.gather(run('ls /zzz'), run('sleep 1; echo "hello"'))
//! ```
//!
//! (The seeds use no subprocesses; this is the Subprocesses chapter's own example.)
//! `create_subprocess_shell` pipes the three streams, as the keyword arguments do
//! above; `communicate` reads stdout and stderr together, so neither pipe can fill
//! up and stall the child. `returncode` is asyncio's: the exit code, or `-N` for a
//! death by signal `N`. The seed's second is a tenth here. Run with
//! `cargo run -p weft --example subprocess_shell`.

use std::io;

use weft::process::create_subprocess_shell;

async fn run(cmd: &str) -> io::Result<()> {
    let mut proc = create_subprocess_shell(cmd)?;
    let out = proc.communicate(None).await?;
    println!("[{cmd:?} exited with {:?}]", proc.returncode());
    if !out.stdout.is_empty() {
        println!("[stdout]\n{}", String::from_utf8_lossy(&out.stdout));
    }
    if !out.stderr.is_empty() {
        println!("[stderr]\n{}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(())
}

fn main() -> io::Result<()> {
    weft::run(async {
        let (a, b) = weft::gather!(run("ls /zzz"), run("sleep 0.1; echo \"hello\"")).await;
        a.and(b)
    })
}
