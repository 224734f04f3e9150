//! What a child shares with the reaper: its pid, its exit status once reaped, and the
//! way it is watched (a pidfd registered with the reactor, or the SIGCHLD sweep).
//!
//! Every reap happens under the child's state lock, with `waitpid(pid, WNOHANG)`, and
//! so does every signal sent to it: while the lock is held and no status is recorded,
//! the pid still names our child (an unreaped child, even a zombie, keeps its pid), so
//! a signal never reaches a process that reused the pid. With a pidfd the signal goes
//! through `pidfd_send_signal` besides.

use std::io::{self, Read};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::process::ExitStatusExt;
use std::pin::Pin;
use std::process::ExitStatus;
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};

use futures_io::AsyncRead;
use rustix::io::Errno;
use rustix::process::{Pid, Signal, WaitOptions};
use weft_reactor::Async;

use crate::sync::lock;

/// A spawned child as the crate tracks it, shared by its [`Child`](crate::Child)
/// handle and, once the handle is gone or for the SIGCHLD sweep, by the reaper.
pub(crate) struct Proc {
    /// The reaper's key for this child.
    pub(crate) id: u64,
    pub(crate) watch: Watch,
}

/// How the child's exit is noticed.
pub(crate) enum Watch {
    /// A pidfd, readable once the child has exited.
    Pidfd(Async<PidfdCore>),
    /// The SIGCHLD sweep (`reaper/sigchld.rs`) reaps it and wakes `State::waker`.
    Sigchld(Core),
}

/// The pid and what is known of its exit.
pub(crate) struct Core {
    pid: Pid,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Set once the child is reaped; from then on the pid is not ours.
    status: Option<ExitStatus>,
    /// The task waiting for the exit, in SIGCHLD mode.
    waker: Option<Waker>,
}

/// A pidfd and the child it refers to.
///
/// Its `Read` impl (for `&PidfdCore`) is a non-blocking reap: it reads nothing and
/// returns `Ok(0)` once the child is reaped, or fails with `WouldBlock` while it runs.
/// So the reactor's edge-triggered read loop (`AsyncRead for &Async<T>`: wait for
/// readability, try, clear the readiness on `WouldBlock`) waits for the exit, and a
/// spurious readiness costs one `waitpid`, never a lost wake-up.
pub(crate) struct PidfdCore {
    fd: OwnedFd,
    core: Core,
}

impl Core {
    pub(crate) fn new(pid: Pid) -> Core {
        Core {
            pid,
            state: Mutex::new(State::default()),
        }
    }

    pub(crate) fn pid(&self) -> Pid {
        self.pid
    }

    /// Reaps the child if it has exited; its status, if known.
    ///
    /// # Errors
    ///
    /// `ECHILD` when something else in the process reaped the child (a
    /// `waitpid(-1, ..)` elsewhere, or `SIGCHLD` set to `SIG_IGN`).
    pub(crate) fn try_reap(&self) -> io::Result<Option<ExitStatus>> {
        reap_locked(self.pid, &mut lock(&self.state))
    }

    /// The status, if the child is already reaped; never a system call.
    pub(crate) fn status(&self) -> Option<ExitStatus> {
        lock(&self.state).status
    }

    /// SIGCHLD mode: reaps, or leaves `cx`'s waker for the sweep.
    fn poll_sigchld(&self, cx: &mut Context<'_>) -> Poll<io::Result<ExitStatus>> {
        let mut st = lock(&self.state);
        match reap_locked(self.pid, &mut st) {
            Ok(Some(status)) => Poll::Ready(Ok(status)),
            Err(e) => Poll::Ready(Err(e)),
            Ok(None) => {
                match &mut st.waker {
                    Some(w) if w.will_wake(cx.waker()) => {}
                    w => *w = Some(cx.waker().clone()),
                }
                Poll::Pending
            }
        }
    }

    /// The SIGCHLD sweep's step: reaps if the child exited and wakes its waiter.
    /// Returns whether the child is done with (reaped, or lost to an error).
    pub(crate) fn reap_and_wake(&self) -> bool {
        let mut st = lock(&self.state);
        if matches!(reap_locked(self.pid, &mut st), Ok(None)) {
            return false;
        }
        let waker = st.waker.take();
        drop(st);
        if let Some(w) = waker {
            w.wake();
        }
        true
    }

    /// Sends `sig` unless the child is reaped, under the state lock (see the module
    /// docs); `pidfd` is used when there is one.
    fn send_signal(&self, pidfd: Option<BorrowedFd<'_>>, sig: Signal) -> io::Result<()> {
        let st = lock(&self.state);
        if st.status.is_some() {
            return Ok(());
        }
        #[cfg(not(target_os = "linux"))]
        let _ = pidfd; // no pidfds: `kill` under the lock
        let res = match pidfd {
            #[cfg(target_os = "linux")]
            Some(fd) => rustix::process::pidfd_send_signal(fd, sig),
            _ => rustix::process::kill_process(self.pid, sig),
        };
        drop(st);
        match res {
            // Exited and being reaped elsewhere: nothing left to signal.
            Err(Errno::SRCH) => Ok(()),
            res => res.map_err(io::Error::from),
        }
    }
}

/// `waitpid(pid, WNOHANG)` unless a status is recorded; records the one it gets.
fn reap_locked(pid: Pid, st: &mut State) -> io::Result<Option<ExitStatus>> {
    if let Some(status) = st.status {
        return Ok(Some(status));
    }
    loop {
        match rustix::process::waitpid(Some(pid), WaitOptions::NOHANG) {
            Ok(Some((_, ws))) => {
                let status = ExitStatus::from_raw(ws.as_raw());
                st.status = Some(status);
                return Ok(Some(status));
            }
            Ok(None) => return Ok(None),
            Err(Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

impl PidfdCore {
    pub(crate) fn new(fd: OwnedFd, core: Core) -> PidfdCore {
        PidfdCore { fd, core }
    }
}

impl AsFd for PidfdCore {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl Read for &PidfdCore {
    fn read(&mut self, _buf: &mut [u8]) -> io::Result<usize> {
        match self.core.try_reap()? {
            Some(_) => Ok(0),
            None => Err(io::ErrorKind::WouldBlock.into()),
        }
    }
}

impl Proc {
    pub(crate) fn core(&self) -> &Core {
        match &self.watch {
            Watch::Pidfd(fd) => &fd.get_ref().core,
            Watch::Sigchld(core) => core,
        }
    }

    /// Polls for the exit; reaps the child when it comes.
    pub(crate) fn poll_exit(&self, cx: &mut Context<'_>) -> Poll<io::Result<ExitStatus>> {
        match &self.watch {
            Watch::Pidfd(fd) => {
                if let Some(status) = fd.get_ref().core.status() {
                    return Poll::Ready(Ok(status));
                }
                let mut io: &Async<PidfdCore> = fd;
                match Pin::new(&mut io).poll_read(cx, &mut []) {
                    Poll::Ready(Ok(_)) => Poll::Ready(Ok(fd
                        .get_ref()
                        .core
                        .status()
                        .expect("a read of Ok means reaped"))),
                    Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
                    Poll::Pending => Poll::Pending,
                }
            }
            Watch::Sigchld(core) => core.poll_sigchld(cx),
        }
    }

    pub(crate) fn send_signal(&self, sig: Signal) -> io::Result<()> {
        match &self.watch {
            Watch::Pidfd(fd) => {
                let pidfd = fd.get_ref();
                pidfd.core.send_signal(Some(pidfd.fd.as_fd()), sig)
            }
            Watch::Sigchld(core) => core.send_signal(None, sig),
        }
    }
}
