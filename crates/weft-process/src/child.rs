//! [`Child`]: a running program, awaited, signalled and talked to.

use std::fmt;
use std::io;
use std::os::unix::process::ExitStatusExt;
use std::process::{ExitStatus, Output};
use std::sync::Arc;

use rustix::process::{Pid, Signal};

use crate::communicate::{Communicate, Progress};
use crate::proc::Proc;
use crate::reaper::reaper;
use crate::stdio::{ChildStderr, ChildStdin, ChildStdout};
use crate::wait::Wait;

/// A spawned child process: asyncio's `Process`.
///
/// Await its exit with [`wait`](Child::wait), talk to it with
/// [`communicate`](Child::communicate) or through its pipes ([`stdin`](Child::stdin),
/// [`stdout`](Child::stdout), [`stderr`](Child::stderr), present when
/// [`Stdio::piped()`](crate::Stdio::piped) was asked for), signal it with
/// [`send_signal`](Child::send_signal), [`terminate`](Child::terminate) or
/// [`kill`](Child::kill).
///
/// Dropping a `Child` does not wait for the program, nor kill it unless
/// [`kill_on_drop`](crate::Command::kill_on_drop) was set; the process's reaper
/// reaps it when it exits, so no zombie is left behind.
///
/// # Examples
///
/// ```
/// use weft_process::{Command, Stdio};
///
/// # weft_reactor::block_on(async {
/// let mut child = Command::new("sleep").arg("1000").spawn()?;
/// assert_eq!(child.returncode(), None);
/// child.terminate()?;
/// let status = child.wait().await?;
/// assert_eq!(child.returncode(), Some(-15)); // asyncio's -SIGTERM
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub struct Child {
    /// The write end of the child's stdin, if it was piped; take it to write.
    pub stdin: Option<ChildStdin>,
    /// The read end of the child's stdout, if it was piped; take it to read.
    pub stdout: Option<ChildStdout>,
    /// The read end of the child's stderr, if it was piped; take it to read.
    pub stderr: Option<ChildStderr>,
    pid: u32,
    proc: Arc<Proc>,
    kill_on_drop: bool,
    /// What an interrupted `communicate` had done (see its cancel safety).
    pub(crate) progress: Option<Box<Progress>>,
}

impl Child {
    /// Takes over a child std has just spawned: the reaper watches it and its pipes
    /// are made asynchronous.
    pub(crate) fn from_std(mut std: std::process::Child, kill_on_drop: bool) -> io::Result<Child> {
        let proc = match reaper().watch(Pid::from_child(&std)) {
            Ok(proc) => proc,
            Err(e) => {
                // Nothing can watch it: do not leave it running unwatched.
                let _ = std.kill();
                let _ = std.wait();
                return Err(e);
            }
        };
        // Killed on drop until the pipes are set up, so an error leaves nothing behind.
        let mut child = Child {
            stdin: None,
            stdout: None,
            stderr: None,
            pid: std.id(),
            proc,
            kill_on_drop: true,
            progress: None,
        };
        child.stdin = std.stdin.take().map(ChildStdin::new).transpose()?;
        child.stdout = std.stdout.take().map(ChildStdout::new).transpose()?;
        child.stderr = std.stderr.take().map(ChildStderr::new).transpose()?;
        child.kill_on_drop = kill_on_drop;
        Ok(child)
    }

    /// The child's process id (asyncio's `pid`). Once the child is reaped the
    /// system may give the number to another process.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::Command;
    ///
    /// # weft_reactor::block_on(async {
    /// let mut child = Command::new("true").spawn()?;
    /// assert!(child.id() > 0);
    /// child.wait().await?;
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn id(&self) -> u32 {
        self.pid
    }

    /// Waits for the child to exit and reaps it; closes its stdin first (as std
    /// does), so a child reading stdin sees end of file.
    ///
    /// Once the child is reaped, every later call returns the same status at once.
    /// It does not read the child's stdout or stderr: a child that fills a pipe
    /// nobody reads never exits; use [`communicate`](Child::communicate) then.
    ///
    /// # Errors
    ///
    /// When something else in the process reaped the child (a `waitpid(-1)`
    /// elsewhere, or `SIGCHLD` set to `SIG_IGN`): `ECHILD`.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropping the future loses nothing; the status, if it had come,
    /// is kept, and the next `wait` returns it.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::Command;
    ///
    /// # weft_reactor::block_on(async {
    /// let mut child = Command::new("sh").args(["-c", "exit 7"]).spawn()?;
    /// assert_eq!(child.wait().await?.code(), Some(7));
    /// assert_eq!(child.wait().await?.code(), Some(7));
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn wait(&mut self) -> Wait<'_> {
        self.stdin = None;
        Wait::new(&self.proc)
    }

    /// The exit status if the child has exited (it is then reaped), `None` if it
    /// still runs; never waits.
    ///
    /// # Errors
    ///
    /// As [`wait`](Child::wait).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::Command;
    ///
    /// # weft_reactor::block_on(async {
    /// let mut child = Command::new("sleep").arg("1000").spawn()?;
    /// assert!(child.try_wait()?.is_none());
    /// child.kill()?;
    /// child.wait().await?;
    /// assert!(child.try_wait()?.is_some());
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        self.proc.core().try_reap()
    }

    /// asyncio's `returncode`: `None` while the child runs, its exit code once it
    /// has exited, or `-N` if signal `N` killed it. Checks without waiting (and
    /// reaps the child if it has exited).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::Command;
    ///
    /// # weft_reactor::block_on(async {
    /// let mut child = Command::new("sleep").arg("1000").spawn()?;
    /// assert_eq!(child.returncode(), None);
    /// child.kill()?;
    /// child.wait().await?;
    /// assert_eq!(child.returncode(), Some(-9));
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn returncode(&self) -> Option<i32> {
        let status = self.proc.core().try_reap().ok().flatten()?;
        status.code().or_else(|| status.signal().map(|s| -s))
    }

    /// Sends signal `sig` (a number such as [`signal::SIGHUP`](crate::signal::SIGHUP))
    /// to the child. A child that has already exited is left alone: `Ok(())`, and
    /// no signal reaches whatever process may have taken its pid.
    ///
    /// # Errors
    ///
    /// `InvalidInput` for a number that is not a named signal (real-time signals
    /// included); a system error if the signal cannot be sent (`EPERM`).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::{Command, signal::SIGUSR1};
    ///
    /// # weft_reactor::block_on(async {
    /// let mut child = Command::new("sleep").arg("1000").spawn()?;
    /// child.send_signal(SIGUSR1)?;
    /// assert_eq!(child.wait().await?.code(), None); // killed by SIGUSR1
    /// assert_eq!(child.returncode(), Some(-SIGUSR1));
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn send_signal(&self, sig: i32) -> io::Result<()> {
        let sig = Signal::from_named_raw(sig).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{sig} is not a signal that can be sent"),
            )
        })?;
        self.proc.send_signal(sig)
    }

    /// Sends `SIGTERM`, the polite request to stop.
    ///
    /// # Errors
    ///
    /// As [`send_signal`](Child::send_signal).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::os::unix::process::ExitStatusExt;
    /// use weft_process::Command;
    ///
    /// # weft_reactor::block_on(async {
    /// let mut child = Command::new("sleep").arg("1000").spawn()?;
    /// child.terminate()?;
    /// assert_eq!(child.wait().await?.signal(), Some(15));
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn terminate(&self) -> io::Result<()> {
        self.proc.send_signal(Signal::TERM)
    }

    /// Sends `SIGKILL`, which cannot be caught; [`wait`](Child::wait) then reaps the
    /// child. On a child that has exited it does nothing and returns `Ok(())`.
    ///
    /// # Errors
    ///
    /// As [`send_signal`](Child::send_signal).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::os::unix::process::ExitStatusExt;
    /// use weft_process::Command;
    ///
    /// # weft_reactor::block_on(async {
    /// let mut child = Command::new("sleep").arg("1000").spawn()?;
    /// child.kill()?;
    /// assert_eq!(child.wait().await?.signal(), Some(9));
    /// child.kill()?; // exited: harmless
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn kill(&self) -> io::Result<()> {
        self.proc.send_signal(Signal::KILL)
    }

    /// asyncio's `communicate`: writes `input` to the child's stdin and closes it,
    /// reads its stdout and stderr to their ends, all at once (so a child that
    /// writes a lot before reading all its input cannot deadlock it), then waits for
    /// the exit.
    ///
    /// Streams that are not piped, or were taken out of the `Child`, give empty
    /// output. With `None` the stdin pipe, if any, is closed at once. A child that
    /// exits without reading all of `input` is not an error (the broken pipe is
    /// ignored, as in asyncio).
    ///
    /// # Errors
    ///
    /// `InvalidInput` when `input` is given but stdin is not piped; I/O errors on
    /// the pipes; [`wait`](Child::wait)'s errors.
    ///
    /// # Cancel safety
    ///
    /// Nothing is lost: the output read so far and how much of `input` was written
    /// stay in the `Child`, and the next call goes on from there (pass the same
    /// `input`: the part already written is not written again).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::create_subprocess_exec;
    ///
    /// # weft_reactor::block_on(async {
    /// let mut child = create_subprocess_exec("sort", ["-r"])?;
    /// let out = child.communicate(Some(b"a\nc\nb\n")).await?;
    /// assert_eq!(out.stdout, b"c\nb\na\n");
    /// assert!(out.stderr.is_empty());
    /// assert_eq!(child.returncode(), Some(0));
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn communicate<'a>(&'a mut self, input: Option<&'a [u8]>) -> Communicate<'a> {
        Communicate::new(self, input)
    }

    /// Waits for the child and collects its stdout and stderr:
    /// [`communicate(None)`](Child::communicate), consuming the `Child`.
    ///
    /// # Errors
    ///
    /// As [`communicate`](Child::communicate).
    ///
    /// # Cancel safety
    ///
    /// Dropping the future drops the `Child` and what was read.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::{Command, Stdio};
    ///
    /// # weft_reactor::block_on(async {
    /// let child = Command::new("echo").arg("hi").stdout(Stdio::piped()).spawn()?;
    /// assert_eq!(child.wait_with_output().await?.stdout, b"hi\n");
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub async fn wait_with_output(mut self) -> io::Result<Output> {
        self.communicate(None).await
    }

    pub(crate) fn proc(&self) -> &Proc {
        &self.proc
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        if self.kill_on_drop {
            let _ = self.proc.send_signal(Signal::KILL);
        }
        reaper().release(self.proc.clone());
    }
}

impl fmt::Debug for Child {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Child")
            .field("pid", &self.pid)
            .field("status", &self.proc.core().status())
            .field("stdin", &self.stdin)
            .field("stdout", &self.stdout)
            .field("stderr", &self.stderr)
            .finish_non_exhaustive()
    }
}
