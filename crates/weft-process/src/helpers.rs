//! asyncio's `create_subprocess_exec` and `create_subprocess_shell`.

use std::ffi::OsStr;
use std::io;
use std::process::Stdio;

use crate::child::Child;
use crate::command::Command;

/// asyncio's `create_subprocess_exec(program, *args, stdin=PIPE, stdout=PIPE,
/// stderr=PIPE)`: starts `program` with `args`, its three streams piped, ready for
/// [`Child::communicate`].
///
/// For other stdio, or an environment, a working directory..., use [`Command`].
///
/// # Errors
///
/// As [`Command::spawn`]: `NotFound` naming the program when it does not exist.
///
/// # Examples
///
/// ```
/// use weft_process::create_subprocess_exec;
///
/// # weft_reactor::block_on(async {
/// let mut child = create_subprocess_exec("echo", ["hello", "world"])?;
/// let out = child.communicate(None).await?;
/// assert_eq!(out.stdout, b"hello world\n");
/// assert_eq!(child.returncode(), Some(0));
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub fn create_subprocess_exec<P, I, S>(program: P, args: I) -> io::Result<Child>
where
    P: AsRef<OsStr>,
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    piped(Command::new(program).args(args))
}

/// asyncio's `create_subprocess_shell(cmd, stdin=PIPE, stdout=PIPE, stderr=PIPE)`:
/// runs `cmd` with `/bin/sh -c`, its three streams piped.
///
/// The shell interprets `cmd`: quote anything that comes from outside, or use
/// [`create_subprocess_exec`].
///
/// # Errors
///
/// As [`Command::spawn`]. A command the shell cannot find is not an error here: the
/// shell exits with code 127.
///
/// # Examples
///
/// ```
/// use weft_process::create_subprocess_shell;
///
/// # weft_reactor::block_on(async {
/// let mut child = create_subprocess_shell("echo one; echo two >&2; exit 4")?;
/// let out = child.communicate(None).await?;
/// assert_eq!((&out.stdout[..], &out.stderr[..]), (&b"one\n"[..], &b"two\n"[..]));
/// assert_eq!(child.returncode(), Some(4));
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub fn create_subprocess_shell<S: AsRef<OsStr>>(cmd: S) -> io::Result<Child> {
    piped(Command::new("/bin/sh").arg("-c").arg(cmd))
}

fn piped(cmd: &mut Command) -> io::Result<Child> {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
}
