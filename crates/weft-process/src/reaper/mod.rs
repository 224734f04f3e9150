//! The reaper: one per process, shared by all children.
//!
//! A child is watched through a pidfd where the kernel has `pidfd_open` (Linux 5.3):
//! the pidfd is registered with the reactor and turns readable when the child exits,
//! so its waiting task is woken directly. Otherwise (an older kernel, a failed
//! `pidfd_open`, or `WEFT_PROCESS_REAPER=sigchld` in the environment) the child is
//! listed for the SIGCHLD sweep (`sigchld.rs`).
//!
//! A [`Child`](crate::Child) dropped before its exit is reaped all the same: the
//! reaper adopts it. A pidfd orphan is kept in `orphans` and polled with a waker of
//! the reaper's own ([`OrphanWaker`]), which the reactor wakes when the pidfd turns
//! readable; waking it reaps the child and forgets it. The SIGCHLD sweep owns every
//! child it watches until it has reaped it, handle or no handle. No thread is started
//! for any of this: the reactor's driver (a runtime worker, `block_on`, or the
//! reactor's fallback thread under a foreign executor) runs these wakers.
//!
//! Only our own children are ever waited for (`waitpid(pid)`, never `waitpid(-1)`),
//! so other code in the process keeps its children.

mod sigchld;

use std::collections::HashMap;
use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Wake, Waker};

use rustix::process::Pid;

use crate::proc::{Core, Proc, Watch};
use crate::sync::lock;

use sigchld::Sigchld;

/// The environment variable that forces the SIGCHLD reaper, for tests of that path
/// on kernels that have pidfds: `WEFT_PROCESS_REAPER=sigchld`.
pub(crate) const FORCE_VAR: &str = "WEFT_PROCESS_REAPER";

pub(crate) struct Reaper {
    /// Whether to try `pidfd_open` (false after `ENOSYS`, or when forced off).
    use_pidfd: AtomicBool,
    next_id: AtomicU64,
    /// Installed the first time a child cannot be watched through a pidfd.
    sigchld: OnceLock<Sigchld>,
    installing: Mutex<()>,
    children: Mutex<Children>,
}

#[derive(Default)]
struct Children {
    /// Pidfd children whose handle was dropped before they were reaped.
    orphans: HashMap<u64, Arc<Proc>>,
    /// Every SIGCHLD-mode child not yet known to be reaped, with or without a handle.
    swept: HashMap<u64, Arc<Proc>>,
}

/// The process's reaper.
pub(crate) fn reaper() -> &'static Reaper {
    static REAPER: OnceLock<Reaper> = OnceLock::new();
    REAPER.get_or_init(|| {
        let forced = std::env::var_os(FORCE_VAR).is_some_and(|v| v == "sigchld");
        Reaper {
            use_pidfd: AtomicBool::new(cfg!(target_os = "linux") && !forced),
            next_id: AtomicU64::new(0),
            sigchld: OnceLock::new(),
            installing: Mutex::new(()),
            children: Mutex::new(Children::default()),
        }
    })
}

impl Reaper {
    /// Starts watching a child that has just been spawned.
    ///
    /// # Errors
    ///
    /// When neither a pidfd nor the SIGCHLD handler can be set up (out of file
    /// descriptors); the caller must then reap the child itself.
    pub(crate) fn watch(&'static self, pid: Pid) -> io::Result<Arc<Proc>> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        #[cfg(target_os = "linux")]
        if self.use_pidfd.load(Ordering::Relaxed) {
            use rustix::process::{PidfdFlags, pidfd_open};
            use weft_reactor::Async;

            use crate::proc::PidfdCore;

            match pidfd_open(pid, PidfdFlags::NONBLOCK) {
                Ok(fd) => {
                    // Created non-blocking: no fcntl needed.
                    if let Ok(fd) = Async::new_nonblocking(PidfdCore::new(fd, Core::new(pid))) {
                        let watch = Watch::Pidfd(fd);
                        return Ok(Arc::new(Proc { id, watch }));
                    }
                }
                Err(rustix::io::Errno::NOSYS) => self.use_pidfd.store(false, Ordering::Relaxed),
                // Out of descriptors, say: this child goes to the sweep.
                Err(_) => {}
            }
        }
        self.sigchld()?;
        let proc = Arc::new(Proc {
            id,
            watch: Watch::Sigchld(Core::new(pid)),
        });
        lock(&self.children).swept.insert(id, proc.clone());
        // Listed first, checked second: an exit before the listing is seen here, one
        // after it by the sweep that its SIGCHLD triggers.
        let _ = proc.core().try_reap();
        Ok(proc)
    }

    /// Takes over a child whose handle is being dropped: it is reaped when it exits.
    pub(crate) fn release(&'static self, proc: Arc<Proc>) {
        let done = !matches!(proc.core().try_reap(), Ok(None));
        match &proc.watch {
            Watch::Sigchld(_) => {
                if done {
                    let gone = lock(&self.children).swept.remove(&proc.id);
                    drop(gone);
                }
                // Otherwise the sweep holds it until it exits.
            }
            Watch::Pidfd(_) => {
                if !done {
                    let id = proc.id;
                    lock(&self.children).orphans.insert(id, proc);
                    self.poll_orphan(id);
                }
            }
        }
    }

    /// Polls an orphan's pidfd with the orphan's own waker; forgets it once reaped.
    fn poll_orphan(&'static self, id: u64) {
        let Some(proc) = lock(&self.children).orphans.get(&id).cloned() else {
            return; // reaped by an earlier wake-up
        };
        let waker = Waker::from(Arc::new(OrphanWaker { id }));
        if proc.poll_exit(&mut Context::from_waker(&waker)).is_ready() {
            // Reaped (or lost to an error: it cannot be waited for anyway).
            let gone = lock(&self.children).orphans.remove(&id);
            drop(gone);
        }
    }

    fn sigchld(&'static self) -> io::Result<&'static Sigchld> {
        if let Some(s) = self.sigchld.get() {
            return Ok(s);
        }
        let guard = lock(&self.installing);
        if self.sigchld.get().is_none() {
            let s = Sigchld::install()?;
            let _ = self.sigchld.set(s);
            drop(guard);
            // The first drain registers the sweep's waker with the reactor.
            self.on_sigchld();
        }
        Ok(self.sigchld.get().expect("installed above"))
    }

    /// A SIGCHLD came (or the handler was just installed): drain the pipe, leaving
    /// the sweep's waker with the reactor, then reap every listed child that exited.
    fn on_sigchld(&'static self) {
        let Some(s) = self.sigchld.get() else { return };
        let waker = Waker::from(Arc::new(SigchldWaker));
        s.drain(&mut Context::from_waker(&waker));
        let listed: Vec<Arc<Proc>> = lock(&self.children).swept.values().cloned().collect();
        let done: Vec<u64> = listed
            .iter()
            .filter(|p| p.core().reap_and_wake())
            .map(|p| p.id)
            .collect();
        if !done.is_empty() {
            let mut children = lock(&self.children);
            let gone: Vec<_> = done.iter().map(|id| children.swept.remove(id)).collect();
            drop(children);
            drop(gone);
        }
    }
}

/// The waker the reactor holds for an orphan's pidfd.
struct OrphanWaker {
    id: u64,
}

impl Wake for OrphanWaker {
    fn wake(self: Arc<Self>) {
        reaper().poll_orphan(self.id);
    }
}

/// The waker the reactor holds for the SIGCHLD pipe.
struct SigchldWaker;

impl Wake for SigchldWaker {
    fn wake(self: Arc<Self>) {
        reaper().on_sigchld();
    }
}
