//! Driving the reactor: for runtimes and `block_on`, not for everyday use.
//!
//! One thread at a time drives the reactor: it holds the [`Driver`] and calls
//! [`Driver::react`], which waits on the poller and wakes the tasks whose sources or
//! timers are ready. A thread that promises to drive whenever it is idle announces
//! itself with a [`Presence`]; while any is alive, the fallback driver thread steps
//! back. weft's runtime has every worker present, so idle workers take turns driving
//! and no extra I/O thread exists.

use std::io;
use std::sync::MutexGuard;
use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::reactor::{DriverState, Reactor};

/// The right to drive the reactor, held by one thread at a time.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft_reactor::driver::Driver;
///
/// // Nobody else drives in this example, so the lock is free.
/// if let Some(mut driver) = Driver::try_lock() {
///     // Wait at most 1 ms for events, then wake whoever they concern.
///     driver.react(Some(Duration::from_millis(1))).unwrap();
/// }
/// ```
pub struct Driver {
    reactor: &'static Reactor,
    state: Option<MutexGuard<'static, DriverState>>,
}

impl Driver {
    /// Takes the right to drive if no other thread has it.
    ///
    /// # Panics
    ///
    /// When the operating system refuses to create the poller on first use.
    pub fn try_lock() -> Option<Driver> {
        let reactor = Reactor::get();
        let state = reactor.try_lock_driver()?;
        Some(Driver::held(reactor, state))
    }

    /// Takes the right to drive if no other thread has it; otherwise queues `thread`
    /// to be unparked when a driver next lets go for good (dropping its `Driver`), so
    /// that an idle thread takes over instead of everyone waiting on nobody.
    ///
    /// # Panics
    ///
    /// When the operating system refuses to create the poller on first use.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_reactor::driver::Driver;
    ///
    /// let me = std::thread::current();
    /// let driver = Driver::try_lock_or_queue(&me).expect("nobody else drives here");
    /// ```
    pub fn try_lock_or_queue(thread: &std::thread::Thread) -> Option<Driver> {
        let reactor = Reactor::get();
        let state = reactor.try_lock_driver_or_queue(thread)?;
        Some(Driver::held(reactor, state))
    }

    fn held(reactor: &'static Reactor, state: MutexGuard<'static, DriverState>) -> Driver {
        reactor.held.store(true, Ordering::Relaxed);
        Driver {
            reactor,
            state: Some(state),
        }
    }

    /// Lets go of the driver lock without waking the threads queued for it: for a
    /// thread that drives again whenever it is idle (a runtime worker going to run
    /// the tasks its turn woke). Dropping the `Driver` instead hands the turn on.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_reactor::driver::Driver;
    ///
    /// let driver = Driver::try_lock().unwrap();
    /// driver.release_for_now();
    /// assert!(Driver::try_lock().is_some());
    /// ```
    pub fn release_for_now(mut self) {
        self.reactor.held.store(false, Ordering::Relaxed);
        drop(self.state.take());
    }

    /// Waits for I/O events, the next timer, a [`notify`], or `timeout` (`None`: no
    /// limit), whichever comes first; then wakes the tasks they concern.
    ///
    /// Returns how many tasks it woke. A wake-up issued by those tasks' wakers on
    /// this thread costs no system call.
    ///
    /// # Errors
    ///
    /// When the poller fails for a reason other than an interrupted wait.
    ///
    /// # Panics
    ///
    /// When a waker panics: every other waker is still woken first, then the first
    /// panic resumes. The reactor stays usable.
    pub fn react(&mut self, timeout: Option<Duration>) -> io::Result<usize> {
        let state = self
            .state
            .as_mut()
            .expect("the driver state is held until drop");
        self.reactor.react(state, timeout)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(state) = self.state.take() {
            self.reactor.held.store(false, Ordering::Relaxed);
            drop(state);
            self.reactor.driver_released();
        }
    }
}

/// Wakes every thread queued for the driver lock (see [`Driver::try_lock_or_queue`]),
/// so one of them takes over: for a group of drivers that is going away (a runtime
/// shutting down) after its members let go with [`Driver::release_for_now`].
///
/// # Examples
///
/// ```
/// weft_reactor::driver::hand_off(); // nobody is queued: nothing happens
/// ```
pub fn hand_off() {
    Reactor::get().driver_released();
}

impl std::fmt::Debug for Driver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Driver").finish_non_exhaustive()
    }
}

/// Makes the thread blocked in [`Driver::react`] return, or the next `react` return
/// without blocking. Costs a system call only when a thread is blocked.
///
/// # Examples
///
/// ```
/// weft_reactor::driver::notify();
/// // The next turn returns at once instead of waiting a second.
/// let mut driver = weft_reactor::driver::Driver::try_lock().unwrap();
/// driver.react(Some(std::time::Duration::from_secs(1))).unwrap();
/// ```
pub fn notify() {
    Reactor::get().notify();
}

/// Whether some thread holds the [`Driver`] (so the reactor's events are being
/// watched, or about to be). A hint that may be stale by the time it is read: for a
/// runtime's idle worker choosing between spinning for tasks and going to drive.
///
/// # Examples
///
/// ```
/// use weft_reactor::driver::{self, Driver};
///
/// let d = Driver::try_lock().unwrap();
/// assert!(driver::is_held());
/// drop(d);
/// assert!(!driver::is_held());
/// ```
pub fn is_held() -> bool {
    Reactor::get().held.load(Ordering::Relaxed)
}

/// Whether the calling thread is inside [`Driver::react`] (waking tasks, say).
///
/// # Examples
///
/// ```
/// assert!(!weft_reactor::driver::is_driving());
/// ```
pub fn is_driving() -> bool {
    crate::reactor::in_react()
}

/// A thread's promise to drive the reactor whenever it is idle.
///
/// While at least one `Presence` is alive the fallback driver thread only polls now
/// and then as a safety net. Dropping the last one hands driving back to it.
///
/// # Examples
///
/// ```
/// use weft_reactor::driver::Presence;
///
/// let presence = Presence::new();
/// // ... this thread runs tasks, and drives the reactor when it has none ...
/// drop(presence);
/// ```
pub struct Presence {
    reactor: &'static Reactor,
}

impl std::fmt::Debug for Presence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Presence").finish_non_exhaustive()
    }
}

impl Presence {
    /// Announces the calling thread as a driver.
    ///
    /// # Panics
    ///
    /// When the operating system refuses to create the poller on first use.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Presence {
        let reactor = Reactor::get();
        if reactor.drivers.fetch_add(1, Ordering::SeqCst) == 0 && reactor.fallback.is_started() {
            // The fallback thread may be blocked in the poller: let it step back.
            reactor.notify();
        }
        Presence { reactor }
    }
}

impl Drop for Presence {
    fn drop(&mut self) {
        if self.reactor.drivers.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.reactor.fallback.on_no_drivers(self.reactor);
        }
    }
}
