//! Linux: epoll, edge-triggered, with an eventfd notifier, one syscall per wait.
//!
//! Every source is added once with `EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET` and
//! stays armed until it is deleted, so readiness costs no `epoll_ctl`. The notifier is
//! an eventfd added the same way; it is written to wake a blocked wait and never read:
//! with `EPOLLET` each write is a new edge. The timeout goes to `epoll_pwait2`, which
//! takes nanoseconds, so no timerfd is needed; kernels older than 5.11 answer `ENOSYS`
//! once and the backend falls back to `epoll_wait`, rounding timeouts up to the
//! millisecond.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::ptr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::{EVENTS_CAPACITY, Event};

/// The epoll data of the notifier; source keys never reach it.
const NOTIFY_KEY: u64 = u64::MAX;

/// An epoll instance and its notifier.
pub(crate) struct Poller {
    epoll: OwnedFd,
    notifier: OwnedFd,
    /// Cleared when the kernel does not know `epoll_pwait2`.
    has_pwait2: AtomicBool,
}

/// A buffer the kernel fills with events.
pub(crate) struct Events {
    list: Box<[libc::epoll_event]>,
    len: usize,
}

impl Events {
    pub(crate) fn new() -> Events {
        let empty = libc::epoll_event { events: 0, u64: 0 };
        Events {
            list: vec![empty; EVENTS_CAPACITY].into_boxed_slice(),
            len: 0,
        }
    }

    /// The events of the last wait, without the notifier's.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Event> + '_ {
        self.list[..self.len].iter().filter_map(|ev| {
            // Copies: `epoll_event` is packed on x86_64, so no references to its fields.
            let (bits, data) = (ev.events, ev.u64);
            if data == NOTIFY_KEY {
                return None;
            }
            let bits = bits as libc::c_int;
            let failed = bits & (libc::EPOLLERR | libc::EPOLLHUP) != 0;
            Some(Event {
                key: data as usize,
                readable: failed || bits & (libc::EPOLLIN | libc::EPOLLRDHUP | libc::EPOLLPRI) != 0,
                writable: failed || bits & libc::EPOLLOUT != 0,
                read_closed: failed || bits & libc::EPOLLRDHUP != 0,
            })
        })
    }
}

/// Turns a C return value into an `io::Result`, reading `errno` on -1.
fn cvt(ret: libc::c_int) -> io::Result<libc::c_int> {
    if ret == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

impl Poller {
    pub(crate) fn new() -> io::Result<Poller> {
        // SAFETY: `epoll_create1` takes no pointers; it returns a new descriptor or -1.
        let epfd = cvt(unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) })?;
        // SAFETY: `epfd` was just returned by the kernel and nothing else owns it.
        let epoll = unsafe { OwnedFd::from_raw_fd(epfd) };
        // SAFETY: `eventfd` takes no pointers; it returns a new descriptor or -1.
        let efd = cvt(unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) })?;
        // SAFETY: `efd` was just returned by the kernel and nothing else owns it.
        let notifier = unsafe { OwnedFd::from_raw_fd(efd) };
        let poller = Poller {
            epoll,
            notifier,
            has_pwait2: AtomicBool::new(true),
        };
        poller.ctl(
            libc::EPOLL_CTL_ADD,
            efd,
            libc::EPOLLIN | libc::EPOLLET,
            NOTIFY_KEY,
        )?;
        Ok(poller)
    }

    fn ctl(&self, op: libc::c_int, fd: RawFd, events: libc::c_int, data: u64) -> io::Result<()> {
        let mut ev = libc::epoll_event {
            events: events as u32,
            u64: data,
        };
        // SAFETY: `ev` is a valid `epoll_event` that outlives the call; the kernel
        // checks both descriptors and answers EBADF, EPERM or ENOENT for bad ones.
        cvt(unsafe { libc::epoll_ctl(self.epoll.as_raw_fd(), op, fd, &mut ev) })?;
        Ok(())
    }

    /// Adds `fd`, edge-triggered for reading and writing, under `key`.
    pub(crate) fn add(&self, fd: RawFd, key: usize) -> io::Result<()> {
        let interest = libc::EPOLLIN | libc::EPOLLOUT | libc::EPOLLRDHUP | libc::EPOLLET;
        self.ctl(libc::EPOLL_CTL_ADD, fd, interest, key as u64)
    }

    /// Removes `fd`.
    pub(crate) fn delete(&self, fd: RawFd) -> io::Result<()> {
        self.ctl(libc::EPOLL_CTL_DEL, fd, 0, 0)
    }

    /// Waits for events until `timeout` (`None`: until an event or a notification).
    ///
    /// An interrupted wait returns no events and no error.
    pub(crate) fn wait(&self, events: &mut Events, timeout: Option<Duration>) -> io::Result<()> {
        events.len = 0;
        let res = if self.has_pwait2.load(Ordering::Relaxed) {
            match self.pwait2(events, timeout) {
                Err(e) if e.raw_os_error() == Some(libc::ENOSYS) => {
                    self.has_pwait2.store(false, Ordering::Relaxed);
                    self.wait_millis(events, timeout)
                }
                res => res,
            }
        } else {
            self.wait_millis(events, timeout)
        };
        match res {
            Ok(n) => events.len = n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
        Ok(())
    }

    fn pwait2(&self, events: &mut Events, timeout: Option<Duration>) -> io::Result<usize> {
        let ts = timeout.map(|t| libc::timespec {
            tv_sec: t.as_secs().min(libc::time_t::MAX as u64) as libc::time_t,
            tv_nsec: t.subsec_nanos() as _,
        });
        let ts_ptr = ts
            .as_ref()
            .map_or(ptr::null(), |ts| ts as *const libc::timespec);
        // SAFETY: the buffer holds `list.len()` writable `epoll_event`s and the kernel
        // writes at most `maxevents` of them; `ts_ptr` is null or points to a timespec
        // that outlives the call; a null sigmask leaves the mask alone.
        let n = unsafe {
            libc::syscall(
                libc::SYS_epoll_pwait2,
                self.epoll.as_raw_fd(),
                events.list.as_mut_ptr(),
                events.list.len() as libc::c_int,
                ts_ptr,
                ptr::null::<libc::sigset_t>(),
                0usize,
            )
        };
        if n < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(n as usize)
        }
    }

    fn wait_millis(&self, events: &mut Events, timeout: Option<Duration>) -> io::Result<usize> {
        let ms = match timeout {
            None => -1,
            // Round up so that a wait never ends before the deadline it serves.
            Some(t) => t
                .as_nanos()
                .div_ceil(1_000_000)
                .min(libc::c_int::MAX as u128) as libc::c_int,
        };
        // SAFETY: the buffer holds `list.len()` writable `epoll_event`s and the kernel
        // writes at most `maxevents` of them.
        let n = cvt(unsafe {
            libc::epoll_wait(
                self.epoll.as_raw_fd(),
                events.list.as_mut_ptr(),
                events.list.len() as libc::c_int,
                ms,
            )
        })?;
        Ok(n as usize)
    }

    /// Wakes a thread blocked in [`Poller::wait`], or makes the next wait return.
    pub(crate) fn notify(&self) -> io::Result<()> {
        let one = 1u64.to_ne_bytes();
        loop {
            // SAFETY: `one` is 8 readable bytes that outlive the call.
            let n = unsafe { libc::write(self.notifier.as_raw_fd(), one.as_ptr().cast(), 8) };
            if n >= 0 {
                return Ok(());
            }
            let err = io::Error::last_os_error();
            match err.kind() {
                io::ErrorKind::Interrupted => continue,
                // The counter is full (after 2^64 - 2 writes): drain it and write again.
                io::ErrorKind::WouldBlock => {
                    let mut buf = [0u8; 8];
                    // SAFETY: `buf` is 8 writable bytes that outlive the call.
                    unsafe { libc::read(self.notifier.as_raw_fd(), buf.as_mut_ptr().cast(), 8) };
                }
                _ => return Err(err),
            }
        }
    }
}
