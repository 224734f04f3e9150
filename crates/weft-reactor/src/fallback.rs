//! The fallback driver thread: drives the reactor when no other thread offers to.
//!
//! Under a foreign executor (tokio, `futures::executor`) no thread calls weft's
//! `block_on` and no weft runtime exists, so nothing would wait on the poller. The
//! first time a task waits on the reactor while no thread is present as a driver
//! (see `driver::Presence`), this thread starts; it lives as long as the process.
//!
//! While no driver is present it drives in blocking mode: it waits on the poller for
//! as long as the next timer allows. When a driver becomes present it is notified,
//! leaves the poller, and becomes a safety net: it sleeps with a back-off from 50 us
//! to 10 ms and polls without blocking only if the reactor made no turn meanwhile (a
//! present driver may be busy running its own future for a long time).

use std::panic::{self, AssertUnwindSafe};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, Thread};
use std::time::Duration;

use crate::reactor::Reactor;

/// Sleeps between safety-net polls, in microseconds; the last repeats.
const BACKOFF_US: [u64; 10] = [50, 75, 100, 250, 500, 750, 1_000, 2_500, 5_000, 10_000];

pub(crate) struct Fallback {
    thread: OnceLock<Thread>,
    /// Set while the thread sleeps between safety-net polls.
    parked: AtomicBool,
}

impl Fallback {
    pub(crate) fn new() -> Fallback {
        Fallback {
            thread: OnceLock::new(),
            parked: AtomicBool::new(false),
        }
    }

    pub(crate) fn is_started(&self) -> bool {
        self.thread.get().is_some()
    }

    /// Starts the thread, or wakes it from a safety-net sleep so that it drives.
    pub(crate) fn ensure(&self, reactor: &'static Reactor) {
        match self.thread.get() {
            Some(t) => {
                if self.parked.load(Ordering::SeqCst) {
                    t.unpark();
                }
            }
            None => {
                self.thread.get_or_init(|| {
                    thread::Builder::new()
                        .name("weft-reactor".into())
                        .spawn(move || main_loop(reactor))
                        .unwrap_or_else(|e| {
                            panic!("weft-reactor: cannot start the fallback driver thread: {e}")
                        })
                        .thread()
                        .clone()
                });
            }
        }
    }

    /// Called when the last present driver leaves.
    pub(crate) fn on_no_drivers(&self, reactor: &'static Reactor) {
        match self.thread.get() {
            Some(t) => t.unpark(),
            None if reactor.has_interest() => self.ensure(reactor),
            None => {}
        }
    }
}

fn main_loop(reactor: &'static Reactor) {
    let mut last_tick = reactor.ticker();
    let mut sleeps = 0;
    loop {
        if reactor.drivers.load(Ordering::SeqCst) == 0 {
            let mut st = reactor.lock_driver();
            if reactor.drivers.load(Ordering::SeqCst) == 0 {
                turn(reactor, &mut st, None);
            }
            drop(st);
            reactor.driver_released();
            sleeps = 0;
            continue;
        }
        // A driver is present: be a safety net only.
        let tick = reactor.ticker();
        if tick == last_tick
            && let Some(mut st) = reactor.try_lock_driver()
        {
            turn(reactor, &mut st, Some(Duration::ZERO));
            drop(st);
            reactor.driver_released();
        }
        last_tick = reactor.ticker();
        self::park(reactor, Duration::from_micros(BACKOFF_US[sleeps]));
        sleeps = (sleeps + 1).min(BACKOFF_US.len() - 1);
    }
}

fn park(reactor: &Reactor, timeout: Duration) {
    reactor.fallback.parked.store(true, Ordering::SeqCst);
    if reactor.drivers.load(Ordering::SeqCst) > 0 {
        thread::park_timeout(timeout);
    }
    reactor.fallback.parked.store(false, Ordering::SeqCst);
}

/// One turn of the reactor; a panicking waker or a failing poller must not end the
/// only thread that drives it.
fn turn(reactor: &Reactor, st: &mut crate::reactor::DriverState, timeout: Option<Duration>) {
    match panic::catch_unwind(AssertUnwindSafe(|| reactor.react(st, timeout))) {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => {
            eprintln!("weft-reactor: waiting for events failed: {e}");
            thread::sleep(Duration::from_millis(1));
        }
        Err(_) => eprintln!("weft-reactor: a waker panicked; the reactor goes on"),
    }
}
