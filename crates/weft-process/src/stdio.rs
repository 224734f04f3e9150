//! The child's ends of its pipes as async I/O: [`ChildStdin`], [`ChildStdout`],
//! [`ChildStderr`].
//!
//! Each is std's pipe end made non-blocking and registered with the reactor
//! (`weft_reactor::Async`), so it implements `futures-io`'s `AsyncWrite` or
//! `AsyncRead` and works under any executor. A read or write that is dropped before
//! it completes has transferred nothing, so no byte is lost.

use std::fmt;
use std::io::{self, IoSlice, IoSliceMut};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::pin::Pin;
use std::process::Stdio;
use std::task::{Context, Poll};

use futures_io::{AsyncRead, AsyncWrite};
use weft_reactor::Async;

/// Deregisters `io` and makes its descriptor blocking again, for a child to inherit.
fn into_blocking_fd<T: AsFd + Into<OwnedFd>>(io: Async<T>) -> io::Result<OwnedFd> {
    let fd: OwnedFd = io.into_inner().into();
    rustix::io::ioctl_fionbio(&fd, false)?;
    Ok(fd)
}

/// The write end of the child's stdin pipe, when [`Command::stdin`] was
/// [`Stdio::piped()`]: an `AsyncWrite`.
///
/// Drop it to close the pipe (the child then reads end of file);
/// [`Child::wait`] and [`Child::communicate`] close it for you. To hand it to another
/// child as its stdin, convert it with `Stdio::try_from` (it is made blocking again).
///
/// [`Command::stdin`]: crate::Command::stdin
/// [`Child::wait`]: crate::Child::wait
/// [`Child::communicate`]: crate::Child::communicate
///
/// # Examples
///
/// ```
/// use futures::io::{AsyncReadExt, AsyncWriteExt};
/// use weft_process::{Command, Stdio};
///
/// # weft_reactor::block_on(async {
/// let mut child = Command::new("cat")
///     .stdin(Stdio::piped())
///     .stdout(Stdio::piped())
///     .spawn()?;
/// let mut stdin = child.stdin.take().expect("piped");
/// stdin.write_all(b"hello").await?;
/// drop(stdin); // end of file for cat
/// let mut out = String::new();
/// child.stdout.take().expect("piped").read_to_string(&mut out).await?;
/// assert_eq!(out, "hello");
/// assert!(child.wait().await?.success());
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub struct ChildStdin {
    io: Async<std::process::ChildStdin>,
}

impl ChildStdin {
    pub(crate) fn new(io: std::process::ChildStdin) -> io::Result<ChildStdin> {
        Ok(ChildStdin {
            io: Async::new(io)?,
        })
    }
}

impl AsyncWrite for ChildStdin {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut &self.io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut &self.io).poll_write_vectored(cx, bufs)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut &self.io).poll_flush(cx)
    }

    /// Flushes (a pipe holds nothing back); the pipe itself closes when the
    /// `ChildStdin` is dropped.
    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut &self.io).poll_flush(cx)
    }
}

impl TryFrom<ChildStdin> for Stdio {
    type Error = io::Error;

    /// The pipe, deregistered and blocking again, for another child to inherit.
    fn try_from(pipe: ChildStdin) -> io::Result<Stdio> {
        into_blocking_fd(pipe.io).map(Stdio::from)
    }
}

impl AsFd for ChildStdin {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.io.as_fd()
    }
}

impl AsRawFd for ChildStdin {
    fn as_raw_fd(&self) -> RawFd {
        self.io.as_raw_fd()
    }
}

impl fmt::Debug for ChildStdin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChildStdin")
            .field("fd", &self.io.as_raw_fd())
            .finish()
    }
}

macro_rules! read_end {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        pub struct $name {
            io: Async<std::process::$name>,
        }

        impl $name {
            pub(crate) fn new(io: std::process::$name) -> io::Result<$name> {
                Ok($name { io: Async::new(io)? })
            }
        }

        impl AsyncRead for $name {
            fn poll_read(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &mut [u8],
            ) -> Poll<io::Result<usize>> {
                Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
            }

            fn poll_read_vectored(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                bufs: &mut [IoSliceMut<'_>],
            ) -> Poll<io::Result<usize>> {
                Pin::new(&mut self.get_mut().io).poll_read_vectored(cx, bufs)
            }
        }

        impl TryFrom<$name> for Stdio {
            type Error = io::Error;

            /// The pipe, deregistered and blocking again, for another child to
            /// inherit.
            fn try_from(pipe: $name) -> io::Result<Stdio> {
                into_blocking_fd(pipe.io).map(Stdio::from)
            }
        }

        impl AsFd for $name {
            fn as_fd(&self) -> BorrowedFd<'_> {
                self.io.as_fd()
            }
        }

        impl AsRawFd for $name {
            fn as_raw_fd(&self) -> RawFd {
                self.io.as_raw_fd()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("fd", &self.io.as_raw_fd())
                    .finish()
            }
        }
    };
}

read_end!(
    /// The read end of the child's stdout pipe, when [`Command::stdout`] was
    /// [`Stdio::piped()`]: an `AsyncRead`.
    ///
    /// It works with any reader over `futures-io`, such as weft-net's
    /// `StreamReader` for asyncio's `readline`/`readexactly` (this crate does not
    /// depend on weft-net, so the example is not run here):
    ///
    /// ```text
    /// let mut lines = weft::net::StreamReader::new(child.stdout.take().unwrap());
    /// while let Some(line) = lines.readline().await? { ... }
    /// ```
    ///
    /// Reading until end of file returns once the child, and every process that
    /// inherited the pipe from it, has closed it. To feed it to another child as its
    /// stdin, convert it with `Stdio::try_from` (it is made blocking again).
    ///
    /// [`Command::stdout`]: crate::Command::stdout
    ///
    /// # Examples
    ///
    /// Reading line by line with `futures`' `BufReader`:
    ///
    /// ```
    /// use futures::io::{AsyncBufReadExt, BufReader};
    /// use futures::StreamExt;
    /// use weft_process::{Command, Stdio};
    ///
    /// # weft_reactor::block_on(async {
    /// let mut child = Command::new("printf")
    ///     .arg("one\ntwo\n")
    ///     .stdout(Stdio::piped())
    ///     .spawn()?;
    /// let stdout = child.stdout.take().expect("piped");
    /// let lines: Vec<String> = BufReader::new(stdout)
    ///     .lines()
    ///     .map(|l| l.expect("utf-8"))
    ///     .collect()
    ///     .await;
    /// assert_eq!(lines, ["one", "two"]);
    /// child.wait().await?;
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    ///
    /// Piping one child into another:
    ///
    /// ```
    /// use weft_process::{Command, Stdio};
    ///
    /// # weft_reactor::block_on(async {
    /// let mut echo = Command::new("echo").arg("b\na").stdout(Stdio::piped()).spawn()?;
    /// let pipe = Stdio::try_from(echo.stdout.take().expect("piped"))?;
    /// let sorted = Command::new("sort").stdin(pipe).output().await?;
    /// assert_eq!(sorted.stdout, b"a\nb\n");
    /// echo.wait().await?;
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    ChildStdout
);

read_end!(
    /// The read end of the child's stderr pipe, when [`Command::stderr`] was
    /// [`Stdio::piped()`]: an `AsyncRead`, as [`ChildStdout`].
    ///
    /// [`Command::stderr`]: crate::Command::stderr
    ///
    /// # Examples
    ///
    /// ```
    /// use futures::io::AsyncReadExt;
    /// use weft_process::{Command, Stdio};
    ///
    /// # weft_reactor::block_on(async {
    /// let mut child = Command::new("sh")
    ///     .args(["-c", "echo oops >&2"])
    ///     .stderr(Stdio::piped())
    ///     .spawn()?;
    /// let mut err = String::new();
    /// child.stderr.take().expect("piped").read_to_string(&mut err).await?;
    /// assert_eq!(err, "oops\n");
    /// child.wait().await?;
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    ChildStderr
);
