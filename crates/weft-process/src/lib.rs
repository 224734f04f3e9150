//! Subprocesses and signals on the weft reactor: asyncio's subprocess chapter and
//! `add_signal_handler`, for any executor.
//!
//! - [`Command`] mirrors [`std::process::Command`] (arguments, environment, working
//!   directory, stdio, [`process_group`](Command::process_group),
//!   [`kill_on_drop`](Command::kill_on_drop)); [`spawn`](Command::spawn) gives a
//!   [`Child`], and [`status`](Command::status) / [`output`](Command::output) run
//!   a program to its end. [`create_subprocess_exec`] and [`create_subprocess_shell`]
//!   are asyncio's shorthands, with the three streams piped.
//! - [`Child`] has asyncio's `Process` methods: [`wait`](Child::wait),
//!   [`returncode`](Child::returncode), [`communicate`](Child::communicate) (stdin
//!   written while stdout and stderr are read, so large outputs cannot deadlock),
//!   [`send_signal`](Child::send_signal), [`terminate`](Child::terminate),
//!   [`kill`](Child::kill); its pipes [`ChildStdin`], [`ChildStdout`] and
//!   [`ChildStderr`] are `futures-io` `AsyncWrite` / `AsyncRead`.
//! - [`signal`]: [`Signals`](signal::Signals), a stream of signal numbers, and
//!   [`ctrl_c`](signal::ctrl_c).
//!
//! # Implementation
//!
//! Spawning is std's (`posix_spawn` where std can use it, else `fork`/`exec`); the
//! pipes std returns are made non-blocking and registered with the reactor
//! (`weft_reactor::Async`). Each child is then watched by the process's one reaper:
//! on Linux 5.3 and later through a pidfd (`pidfd_open`), registered with the reactor
//! too, which turns readable when the child exits, so the waiting task is woken with
//! no thread or signal involved; otherwise through a `SIGCHLD` handler (signal-hook)
//! whose self-pipe, when it turns readable, makes the reaper try `waitpid(pid,
//! WNOHANG)` on each child it watches. A child whose [`Child`] is dropped is reaped
//! all the same when it exits. Signals go through `pidfd_send_signal` where there is
//! a pidfd, and never after the child was reaped, so they never reach a process that
//! reused its pid. Whichever thread drives the reactor (a weft runtime's worker,
//! `weft_reactor::block_on`, or the reactor's own thread under tokio or
//! `futures::executor`) does the waking and the reaping.
//!
//! Setting `WEFT_PROCESS_REAPER=sigchld` in the environment before the first spawn
//! forces the `SIGCHLD` reaper, to test that path on kernels with pidfds.
//!
//! # Examples
//!
//! ```
//! use weft_process::{Command, Stdio, create_subprocess_shell};
//!
//! # fn main() -> std::io::Result<()> {
//! weft_reactor::block_on(async {
//!     // asyncio: proc = await create_subprocess_shell(cmd, stdout=PIPE, stderr=PIPE)
//!     //          stdout, stderr = await proc.communicate()
//!     let mut child = create_subprocess_shell("echo out; echo err >&2; exit 1")?;
//!     let out = child.communicate(None).await?;
//!     assert_eq!(out.stdout, b"out\n");
//!     assert_eq!(out.stderr, b"err\n");
//!     assert_eq!(child.returncode(), Some(1));
//!
//!     // std's builder, awaited.
//!     let status = Command::new("true").stdout(Stdio::null()).status().await?;
//!     assert!(status.success());
//!     Ok(())
//! })
//! # }
//! ```
#![forbid(unsafe_code)]

#[cfg(not(unix))]
compile_error!("weft-process supports Unix systems only");

mod child;
mod command;
mod communicate;
mod error;
mod helpers;
mod proc;
mod reaper;
pub mod signal;
mod stdio;
mod sync;
mod wait;

pub use child::Child;
pub use command::Command;
pub use communicate::Communicate;
pub use error::SpawnError;
pub use helpers::{create_subprocess_exec, create_subprocess_shell};
pub use stdio::{ChildStderr, ChildStdin, ChildStdout};
pub use wait::Wait;

/// std's process types, used as they are: the stdio configuration, the exit status
/// (see `std::os::unix::process::ExitStatusExt` for the signal) and the captured
/// output.
pub use std::process::{ExitStatus, Output, Stdio};
