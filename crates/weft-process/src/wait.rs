//! [`Wait`]: the future of [`Child::wait`](crate::Child::wait).

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::process::ExitStatus;
use std::task::{Context, Poll};

use crate::proc::Proc;

/// The future of [`Child::wait`](crate::Child::wait): the child's exit status, once
/// it has exited and been reaped.
///
/// # Cancel safety
///
/// Cancel safe: a dropped `Wait` loses nothing; the next one sees the exit.
///
/// # Examples
///
/// ```
/// use weft_process::{Command, Wait};
///
/// # weft_reactor::block_on(async {
/// let mut child = Command::new("true").spawn()?;
/// let wait: Wait<'_> = child.wait();
/// assert!(wait.await?.success());
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Wait<'a> {
    proc: &'a Proc,
}

impl<'a> Wait<'a> {
    pub(crate) fn new(proc: &'a Proc) -> Wait<'a> {
        Wait { proc }
    }
}

impl Future for Wait<'_> {
    type Output = io::Result<ExitStatus>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<ExitStatus>> {
        self.proc.poll_exit(cx)
    }
}

impl fmt::Debug for Wait<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wait")
            .field("pid", &self.proc.core().pid().as_raw_nonzero())
            .finish()
    }
}
