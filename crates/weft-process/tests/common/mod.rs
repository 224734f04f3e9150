//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test file uses its own share of these

use std::future::Future;
use std::io;
use std::os::fd::OwnedFd;
use std::time::Duration;

use rustix::io::Errno;
use rustix::process::{Pid, PidfdFlags, WaitId, WaitIdOptions, pidfd_open, waitid};
use weft_reactor::Async;

/// A generous deadline that fails a hung test; never the thing tested.
pub(crate) const DEADLINE: Duration = Duration::from_secs(120);

/// Runs `fut` on weft's `block_on`, failing the test if it hangs.
pub(crate) fn run<F: Future>(fut: F) -> F::Output {
    weft_reactor::block_on(weft_util::timeout(DEADLINE, fut)).expect("the test hung")
}

/// The pids of this process's children that are zombies (state `Z`) now.
pub(crate) fn zombie_children() -> Vec<u32> {
    let me = std::process::id();
    let mut zombies = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("/proc") {
        let Ok(entry) = entry else { continue };
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        // Gone meanwhile, or not readable: not a zombie of ours.
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // "pid (comm) S ppid ...": comm may hold spaces and parentheses.
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            continue;
        };
        let mut fields = rest.split_whitespace();
        let state = fields.next();
        let ppid = fields.next().and_then(|p| p.parse::<u32>().ok());
        if state == Some("Z") && ppid == Some(me) {
            zombies.push(pid);
        }
    }
    zombies
}

/// A pidfd on a child, opened by the test itself: a second way to see it, apart
/// from the crate's reaper.
pub(crate) struct Watcher {
    fd: Option<Async<OwnedFd>>,
}

impl Watcher {
    /// Opens a pidfd on `pid`; call it while the child's handle still exists.
    pub(crate) fn new(pid: u32) -> Watcher {
        let pid = Pid::from_raw(pid as i32).expect("a pid");
        match pidfd_open(pid, PidfdFlags::NONBLOCK) {
            Ok(fd) => Watcher {
                fd: Some(Async::new_nonblocking(fd).expect("register the pidfd")),
            },
            // Already reaped.
            Err(Errno::SRCH) => Watcher { fd: None },
            Err(e) => panic!("pidfd_open: {e}"),
        }
    }

    /// What `waitid(P_PIDFD, WNOWAIT)` says: `Some(true)` exited (a zombie),
    /// `Some(false)` running, `None` reaped.
    fn look(fd: &OwnedFd) -> io::Result<Option<bool>> {
        let opts = WaitIdOptions::EXITED | WaitIdOptions::NOHANG | WaitIdOptions::NOWAIT;
        match waitid(WaitId::PidFd(std::os::fd::AsFd::as_fd(fd)), opts) {
            Ok(status) => Ok(Some(status.is_some())),
            Err(Errno::CHILD) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Waits (on the pidfd's readiness, no sleeping) until the child has exited.
    pub(crate) async fn exited(&self) {
        self.until(|s| s != Some(false)).await;
    }

    /// Waits until the child has been reaped by someone (the crate's reaper).
    pub(crate) async fn reaped(&self) {
        self.until(|s| s.is_none()).await;
    }

    async fn until(&self, done: impl Fn(Option<bool>) -> bool) {
        let Some(fd) = &self.fd else { return };
        loop {
            if done(Self::look(fd.get_ref()).expect("waitid")) {
                return;
            }
            let mut guard = fd.readable().await.expect("pidfd readable");
            let res = guard.try_io(|fd| match Self::look(fd)? {
                s if done(s) => Ok(()),
                _ => Err(io::ErrorKind::WouldBlock.into()),
            });
            if let Some(res) = res {
                res.expect("waitid");
                return;
            }
        }
    }
}

/// Whether this process catches SIGCHLD now (bit 17 of `SigCgt` in /proc).
pub(crate) fn catches_sigchld() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let mask = status
        .lines()
        .find_map(|l| l.strip_prefix("SigCgt:"))
        .expect("SigCgt line");
    let mask = u64::from_str_radix(mask.trim(), 16).expect("hex mask");
    mask & (1 << (libc::SIGCHLD - 1)) != 0
}
