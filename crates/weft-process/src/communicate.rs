//! [`Communicate`]: the future of [`Child::communicate`](crate::Child::communicate).
//!
//! One future drives the three pipes: each poll writes what stdin takes, reads what
//! stdout and stderr hold, and once all three are finished waits for the exit. Each
//! pipe gets a bounded number of operations per poll, so a child that writes without
//! pause does not keep the task from yielding. The progress (bytes written, bytes
//! read) lives in the `Child`, so a dropped future loses nothing.

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::process::Output;
use std::task::{Context, Poll};

use futures_io::{AsyncRead, AsyncWrite};

use crate::child::Child;

/// Read size: a pipe holds 64 KiB by default.
const CHUNK: usize = 64 * 1024;
/// Operations per pipe per poll before the task yields.
const BUDGET: usize = 16;

/// What a `communicate` has done so far, kept in the `Child`.
#[derive(Default)]
pub(crate) struct Progress {
    written: usize,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// The future of [`Child::communicate`](crate::Child::communicate): the exit status
/// and everything the child wrote to its piped stdout and stderr.
///
/// # Cancel safety
///
/// Nothing is lost: the output read so far and the count of input bytes written
/// stay in the `Child`; the next `communicate` (with the same input) goes on from
/// there.
///
/// # Examples
///
/// ```
/// use weft_process::{Communicate, create_subprocess_shell};
///
/// # weft_reactor::block_on(async {
/// let mut child = create_subprocess_shell("tr a-z A-Z")?;
/// let fut: Communicate<'_> = child.communicate(Some(b"shout"));
/// assert_eq!(fut.await?.stdout, b"SHOUT");
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Communicate<'a> {
    child: &'a mut Child,
    input: Option<&'a [u8]>,
}

impl<'a> Communicate<'a> {
    pub(crate) fn new(child: &'a mut Child, input: Option<&'a [u8]>) -> Communicate<'a> {
        Communicate { child, input }
    }
}

/// Polls one step of a pipe: `Ready(Ok(()))` once it is finished (and closed).
type Step = Poll<io::Result<()>>;

/// Writes `input[written..]` to stdin; closes it when all is written or the child
/// stopped reading.
fn feed(child: &mut Child, input: &[u8], written: &mut usize, cx: &mut Context<'_>) -> Step {
    let Some(stdin) = child.stdin.as_mut() else {
        return Poll::Ready(Ok(()));
    };
    for _ in 0..BUDGET {
        if *written >= input.len() {
            break;
        }
        match Pin::new(&mut *stdin).poll_write(cx, &input[*written..]) {
            Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
            Poll::Ready(Ok(n)) => *written += n,
            Poll::Ready(Err(e)) => match e.kind() {
                io::ErrorKind::Interrupted => {}
                // The child exited or closed its stdin: the rest is not wanted.
                io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset => {
                    *written = input.len();
                }
                _ => return Poll::Ready(Err(e)),
            },
            Poll::Pending => return Poll::Pending,
        }
    }
    if *written >= input.len() {
        child.stdin = None; // end of file for the child
        return Poll::Ready(Ok(()));
    }
    cx.waker().wake_by_ref(); // budget spent: come back after others ran
    Poll::Pending
}

/// Reads `pipe` into `out` until end of file (then drops it) or until it would block.
fn drain<R: AsyncRead + Unpin>(
    pipe: &mut Option<R>,
    out: &mut Vec<u8>,
    cx: &mut Context<'_>,
) -> Step {
    let Some(reader) = pipe.as_mut() else {
        return Poll::Ready(Ok(()));
    };
    for _ in 0..BUDGET {
        let len = out.len();
        out.resize(len + CHUNK, 0);
        let res = Pin::new(&mut *reader).poll_read(cx, &mut out[len..]);
        let n = match &res {
            Poll::Ready(Ok(n)) => *n,
            _ => 0,
        };
        out.truncate(len + n);
        match res {
            Poll::Ready(Ok(0)) => {
                *pipe = None;
                return Poll::Ready(Ok(()));
            }
            Poll::Ready(Ok(_)) => {}
            Poll::Ready(Err(e)) if e.kind() == io::ErrorKind::Interrupted => {}
            Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
            Poll::Pending => return Poll::Pending,
        }
    }
    cx.waker().wake_by_ref();
    Poll::Pending
}

impl Future for Communicate<'_> {
    type Output = io::Result<Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<Output>> {
        let this = self.get_mut();
        let child = &mut *this.child;
        let mut progress = child.progress.take().unwrap_or_default();
        let input = this.input.unwrap_or_default();
        let res = (|| {
            if !input.is_empty() && child.stdin.is_none() && progress.written < input.len() {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "communicate: input given, but the child's stdin is not piped",
                )));
            }
            let fed = feed(child, input, &mut progress.written, cx)?;
            let out = drain(&mut child.stdout, &mut progress.stdout, cx)?;
            let err = drain(&mut child.stderr, &mut progress.stderr, cx)?;
            if fed.is_pending() || out.is_pending() || err.is_pending() {
                return Poll::Pending;
            }
            child.proc().poll_exit(cx).map_ok(|_| ())
        })();
        match res {
            Poll::Ready(Ok(())) => {
                let status = child.proc().core().status().expect("reaped");
                Poll::Ready(Ok(Output {
                    status,
                    stdout: progress.stdout,
                    stderr: progress.stderr,
                }))
            }
            other => {
                // Pending or failed: keep what was done for the next call.
                child.progress = Some(progress);
                match other {
                    Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
                    _ => Poll::Pending,
                }
            }
        }
    }
}

impl fmt::Debug for Communicate<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Communicate")
            .field("pid", &self.child.id())
            .field("input_len", &self.input.map(<[u8]>::len))
            .finish()
    }
}
