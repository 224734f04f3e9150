//! [`Command`]: std's process builder, spawning a [`Child`] that is awaited.

use std::ffi::OsStr;
use std::fmt;
use std::io;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{ExitStatus, Output, Stdio};

use crate::child::Child;
use crate::error::SpawnError;

/// A process builder, as [`std::process::Command`], whose [`spawn`](Command::spawn)
/// gives a [`Child`] to await: asyncio's `create_subprocess_exec` with its keyword
/// arguments as methods.
///
/// Spawning is std's (`posix_spawn` where it can, `fork`/`exec` otherwise), so
/// everything std's builder does works here; [`as_std_mut`](Command::as_std_mut)
/// reaches the rest (`uid`, `gid`, `pre_exec`...). By default the child inherits
/// stdin, stdout and stderr, except for [`output`](Command::output), which captures
/// stdout and stderr.
///
/// # Examples
///
/// ```
/// use weft_process::{Command, Stdio};
///
/// # weft_reactor::block_on(async {
/// let mut child = Command::new("sh")
///     .args(["-c", "echo $GREETING from $(pwd)"])
///     .env("GREETING", "hello")
///     .current_dir("/")
///     .stdout(Stdio::piped())
///     .spawn()?;
/// let out = child.communicate(None).await?;
/// assert_eq!(out.stdout, b"hello from /\n");
/// assert_eq!(child.returncode(), Some(0));
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub struct Command {
    std: std::process::Command,
    kill_on_drop: bool,
    /// Which streams the user configured (for `output`'s defaults).
    stdin_set: bool,
    stdout_set: bool,
    stderr_set: bool,
}

impl Command {
    /// A command to run `program`, found on `PATH` unless it contains a `/`.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::Command;
    ///
    /// # weft_reactor::block_on(async {
    /// let status = Command::new("true").status().await?;
    /// assert!(status.success());
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn new<S: AsRef<OsStr>>(program: S) -> Command {
        Command::from(std::process::Command::new(program))
    }

    /// Adds an argument.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::Command;
    ///
    /// # weft_reactor::block_on(async {
    /// let out = Command::new("echo").arg("hi").output().await?;
    /// assert_eq!(out.stdout, b"hi\n");
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn arg<S: AsRef<OsStr>>(&mut self, arg: S) -> &mut Command {
        self.std.arg(arg);
        self
    }

    /// Adds arguments.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::Command;
    ///
    /// # weft_reactor::block_on(async {
    /// let out = Command::new("echo").args(["a", "b"]).output().await?;
    /// assert_eq!(out.stdout, b"a b\n");
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn args<I, S>(&mut self, args: I) -> &mut Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.std.args(args);
        self
    }

    /// Sets an environment variable for the child.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::Command;
    ///
    /// # weft_reactor::block_on(async {
    /// let out = Command::new("sh").args(["-c", "echo $X"]).env("X", "1").output().await?;
    /// assert_eq!(out.stdout, b"1\n");
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn env<K, V>(&mut self, key: K, val: V) -> &mut Command
    where
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        self.std.env(key, val);
        self
    }

    /// Sets several environment variables for the child.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::Command;
    ///
    /// # weft_reactor::block_on(async {
    /// let out = Command::new("sh")
    ///     .args(["-c", "echo $A$B"])
    ///     .envs([("A", "1"), ("B", "2")])
    ///     .output()
    ///     .await?;
    /// assert_eq!(out.stdout, b"12\n");
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn envs<I, K, V>(&mut self, vars: I) -> &mut Command
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        self.std.envs(vars);
        self
    }

    /// Removes an environment variable from the child's environment.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::Command;
    ///
    /// # weft_reactor::block_on(async {
    /// let out = Command::new("sh")
    ///     .args(["-c", "echo ${HOME-unset}"])
    ///     .env_remove("HOME")
    ///     .output()
    ///     .await?;
    /// assert_eq!(out.stdout, b"unset\n");
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn env_remove<K: AsRef<OsStr>>(&mut self, key: K) -> &mut Command {
        self.std.env_remove(key);
        self
    }

    /// Clears the child's environment: it gets only the variables set afterwards.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::Command;
    ///
    /// # weft_reactor::block_on(async {
    /// let out = Command::new("/usr/bin/env").env_clear().env("ONLY", "me").output().await?;
    /// assert_eq!(out.stdout, b"ONLY=me\n");
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn env_clear(&mut self) -> &mut Command {
        self.std.env_clear();
        self
    }

    /// Sets the child's working directory.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::Command;
    ///
    /// # weft_reactor::block_on(async {
    /// let out = Command::new("pwd").current_dir("/").output().await?;
    /// assert_eq!(out.stdout, b"/\n");
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn current_dir<P: AsRef<Path>>(&mut self, dir: P) -> &mut Command {
        self.std.current_dir(dir);
        self
    }

    /// Sets the child's stdin: [`Stdio::piped()`] gives [`Child::stdin`], an async
    /// pipe; also `Stdio::null()`, `Stdio::inherit()` (the default), a file, or
    /// another child's pipe (`Stdio::try_from(child.stdout...)`).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::{Command, Stdio};
    ///
    /// # weft_reactor::block_on(async {
    /// let mut child = Command::new("cat").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?;
    /// let out = child.communicate(Some(b"echo")).await?;
    /// assert_eq!(out.stdout, b"echo");
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn stdin<T: Into<Stdio>>(&mut self, cfg: T) -> &mut Command {
        self.std.stdin(cfg);
        self.stdin_set = true;
        self
    }

    /// Sets the child's stdout, as [`stdin`](Command::stdin); [`Stdio::piped()`]
    /// gives [`Child::stdout`].
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::{Command, Stdio};
    ///
    /// # weft_reactor::block_on(async {
    /// let out = Command::new("echo").arg("quiet").stdout(Stdio::null()).output().await?;
    /// assert!(out.stdout.is_empty());
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn stdout<T: Into<Stdio>>(&mut self, cfg: T) -> &mut Command {
        self.std.stdout(cfg);
        self.stdout_set = true;
        self
    }

    /// Sets the child's stderr, as [`stdin`](Command::stdin); [`Stdio::piped()`]
    /// gives [`Child::stderr`].
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::{Command, Stdio};
    ///
    /// # weft_reactor::block_on(async {
    /// let mut child = Command::new("ls")
    ///     .arg("/no/such/dir")
    ///     .stderr(Stdio::piped())
    ///     .spawn()?;
    /// let out = child.communicate(None).await?;
    /// assert!(!out.status.success());
    /// assert!(!out.stderr.is_empty());
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn stderr<T: Into<Stdio>>(&mut self, cfg: T) -> &mut Command {
        self.std.stderr(cfg);
        self.stderr_set = true;
        self
    }

    /// Puts the child in process group `pgroup`; `0` makes it the leader of a new
    /// group whose id is its pid (so a terminal's Ctrl-C no longer reaches it).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::Command;
    ///
    /// # weft_reactor::block_on(async {
    /// let mut child = Command::new("sh")
    ///     .args(["-c", "ps -o pgid= -p $$"])
    ///     .process_group(0)
    ///     .stdout(weft_process::Stdio::piped())
    ///     .spawn()?;
    /// let pid = child.id();
    /// let out = child.communicate(None).await?;
    /// # if out.status.success() { // `ps` may be missing
    /// assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), pid.to_string());
    /// # }
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn process_group(&mut self, pgroup: i32) -> &mut Command {
        self.std.process_group(pgroup);
        self
    }

    /// Whether to kill the child (`SIGKILL`) when its [`Child`] is dropped before it
    /// has exited; off by default, as in std and asyncio. Either way the child is
    /// reaped once it exits, so it never lingers as a zombie.
    ///
    /// # Examples
    ///
    /// ```
    /// use futures::io::AsyncReadExt;
    /// use weft_process::{Command, Stdio};
    ///
    /// # weft_reactor::block_on(async {
    /// let mut child = Command::new("sleep")
    ///     .arg("1000")
    ///     .stdout(Stdio::piped())
    ///     .kill_on_drop(true)
    ///     .spawn()?;
    /// let mut stdout = child.stdout.take().expect("piped");
    /// drop(child); // killed: its stdout closes
    /// assert_eq!(stdout.read(&mut [0; 8]).await?, 0);
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn kill_on_drop(&mut self, kill_on_drop: bool) -> &mut Command {
        self.kill_on_drop = kill_on_drop;
        self
    }

    /// The program, as given to [`new`](Command::new).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::Command;
    ///
    /// assert_eq!(Command::new("ls").get_program(), "ls");
    /// ```
    pub fn get_program(&self) -> &OsStr {
        self.std.get_program()
    }

    /// std's builder underneath.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::Command;
    ///
    /// let mut cmd = Command::new("ls");
    /// cmd.arg("-l");
    /// assert_eq!(cmd.as_std().get_args().count(), 1);
    /// ```
    pub fn as_std(&self) -> &std::process::Command {
        &self.std
    }

    /// std's builder underneath, for what this one does not mirror (`uid`, `gid`,
    /// `arg0`, `pre_exec`...).
    ///
    /// Stdio set there is not seen by [`output`](Command::output)'s defaults: set
    /// stdio through this builder.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::os::unix::process::CommandExt;
    /// use weft_process::Command;
    ///
    /// # weft_reactor::block_on(async {
    /// let mut cmd = Command::new("sh");
    /// cmd.args(["-c", "echo $0"]);
    /// cmd.as_std_mut().arg0("renamed");
    /// assert_eq!(cmd.output().await?.stdout, b"renamed\n");
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn as_std_mut(&mut self) -> &mut std::process::Command {
        &mut self.std
    }

    /// Starts the program: the child runs while this returns.
    ///
    /// # Errors
    ///
    /// When the program cannot be started: a missing program gives
    /// [`NotFound`](io::ErrorKind::NotFound), and every error names the program
    /// (see [`SpawnError`]); also when the process is out of file descriptors for the
    /// pipes or the pidfd (the child is then killed and reaped before returning).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::Command;
    ///
    /// # weft_reactor::block_on(async {
    /// let mut child = Command::new("sleep").arg("0.01").spawn()?;
    /// assert_eq!(child.returncode(), None); // still running
    /// assert!(child.wait().await?.success());
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn spawn(&mut self) -> io::Result<Child> {
        let child = self
            .std
            .spawn()
            .map_err(|e| SpawnError::wrap(self.std.get_program(), e))?;
        Child::from_std(child, self.kill_on_drop)
    }

    /// Runs the program to its end and returns its exit status; stdio is inherited
    /// unless set, and any pipe set up is closed at once.
    ///
    /// # Errors
    ///
    /// As [`spawn`](Command::spawn), and as [`Child::wait`].
    ///
    /// # Cancel safety
    ///
    /// Dropping the future drops the [`Child`]: the program keeps running (unless
    /// [`kill_on_drop`](Command::kill_on_drop)) and is reaped when it exits.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::Command;
    ///
    /// # weft_reactor::block_on(async {
    /// let status = Command::new("sh").args(["-c", "exit 3"]).status().await?;
    /// assert_eq!(status.code(), Some(3));
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub async fn status(&mut self) -> io::Result<ExitStatus> {
        let mut child = self.spawn()?;
        // Nobody will serve these pipes: close them so the child cannot block on one.
        child.stdin = None;
        child.stdout = None;
        child.stderr = None;
        child.wait().await
    }

    /// Runs the program to its end, capturing its stdout and stderr (unless set
    /// otherwise); stdin is `/dev/null` unless set, as in std.
    ///
    /// The command is left as it was: the defaults apply to this call only.
    ///
    /// # Errors
    ///
    /// As [`spawn`](Command::spawn), and as [`Child::communicate`].
    ///
    /// # Cancel safety
    ///
    /// Dropping the future drops the [`Child`] and what it had read: the program
    /// keeps running (unless [`kill_on_drop`](Command::kill_on_drop)) and is reaped
    /// when it exits.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::Command;
    ///
    /// # weft_reactor::block_on(async {
    /// let out = Command::new("sh").args(["-c", "echo out; echo err >&2"]).output().await?;
    /// assert!(out.status.success());
    /// assert_eq!(out.stdout, b"out\n");
    /// assert_eq!(out.stderr, b"err\n");
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub async fn output(&mut self) -> io::Result<Output> {
        let (stdin, stdout, stderr) = (self.stdin_set, self.stdout_set, self.stderr_set);
        if !stdin {
            self.std.stdin(Stdio::null());
        }
        if !stdout {
            self.std.stdout(Stdio::piped());
        }
        if !stderr {
            self.std.stderr(Stdio::piped());
        }
        let child = self.spawn();
        // Back to spawn's defaults (inherit) for the streams the user left alone.
        if !stdin {
            self.std.stdin(Stdio::inherit());
        }
        if !stdout {
            self.std.stdout(Stdio::inherit());
        }
        if !stderr {
            self.std.stderr(Stdio::inherit());
        }
        child?.communicate(None).await
    }
}

impl From<std::process::Command> for Command {
    fn from(std: std::process::Command) -> Command {
        Command {
            std,
            kill_on_drop: false,
            stdin_set: false,
            stdout_set: false,
            stderr_set: false,
        }
    }
}

impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Command")
            .field("std", &self.std)
            .field("kill_on_drop", &self.kill_on_drop)
            .finish()
    }
}
