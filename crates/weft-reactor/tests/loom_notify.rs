//! Model checks of the driver's sleep/notify protocol (`src/notify.rs`).
//!
//! The poller's notifier is modelled as an eventfd: writes add up, and a blocking
//! wait returns once there is a write, draining them. A lost notification leaves the
//! driver blocked forever, which loom reports as a deadlock.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test --release --test loom_notify`.
#![cfg(loom)]

use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::sync::{Arc, Condvar, Mutex};
use loom::thread;
use weft_reactor::__loom::NotifyState;

/// The poller's notifier.
#[derive(Default)]
struct EventFd {
    /// Writes not yet drained by a wait, and writes in all.
    counts: Mutex<(usize, usize)>,
    cv: Condvar,
}

impl EventFd {
    fn write(&self) {
        let mut c = self.counts.lock().unwrap();
        c.0 += 1;
        c.1 += 1;
        self.cv.notify_one();
    }

    /// Blocks until written (the poller's wait with no timeout), draining the writes.
    fn wait(&self) {
        let mut c = self.counts.lock().unwrap();
        while c.0 == 0 {
            c = self.cv.wait(c).unwrap();
        }
        c.0 = 0;
    }

    fn total_writes(&self) -> usize {
        self.counts.lock().unwrap().1
    }
}

/// Runs a model of three threads with at most `preemptions` preemptions per execution
/// (`LOOM_MAX_PREEMPTIONS` overrides it): unbounded, such a model runs for minutes or
/// hours, and bugs of this kind show up within two or three preemptions.
fn model_bounded(preemptions: usize, f: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(preemptions);
    }
    builder.check(f);
}

/// What the reactor does around its wait; returns whether it slept.
fn driver_turn(state: &NotifyState, efd: &EventFd) -> bool {
    let slept = state.before_sleep();
    if slept {
        efd.wait();
    }
    state.after_wake();
    slept
}

/// What `Reactor::notify` does.
fn notify(state: &NotifyState, efd: &EventFd) -> bool {
    let wrote = state.notify();
    if wrote {
        efd.write();
    }
    wrote
}

/// A notification racing with the driver going to sleep: either the driver does not
/// block, or the notifier writes (else the driver's wait deadlocks); and the notifier
/// writes only if the driver blocked.
#[test]
fn notification_racing_sleep_is_never_lost() {
    loom::model(|| {
        let state = Arc::new(NotifyState::new());
        let efd = Arc::new(EventFd::default());

        let notifier = {
            let (state, efd) = (state.clone(), efd.clone());
            thread::spawn(move || notify(&state, &efd))
        };
        let slept = driver_turn(&state, &efd);
        let wrote = notifier.join().unwrap();

        assert_eq!(slept, wrote, "a write exactly when the driver blocked");
        assert_eq!(efd.total_writes(), usize::from(wrote));
    });
}

/// Two notifiers, each with a request for the driver (a new timer, say): the driver
/// loops (handle requests, sleep, wake) until it has seen both, blocking whenever
/// `before_sleep` lets it. No request is stranded behind a blocked driver, and no
/// more writes than sleeps happen at any point: one write per sleep at most, and
/// none while the driver is awake.
#[test]
fn two_notifiers_one_write_per_sleep() {
    model_bounded(4, || {
        let state = Arc::new(NotifyState::new());
        let efd = Arc::new(EventFd::default());
        let requests = Arc::new(AtomicUsize::new(0));

        let notifiers: Vec<_> = (0..2)
            .map(|_| {
                let (state, efd, requests) = (state.clone(), efd.clone(), requests.clone());
                thread::spawn(move || {
                    requests.fetch_add(1, Ordering::SeqCst);
                    notify(&state, &efd);
                })
            })
            .collect();

        let mut sleeps = 0;
        while requests.load(Ordering::SeqCst) < 2 {
            if driver_turn(&state, &efd) {
                sleeps += 1;
            }
            assert!(efd.total_writes() <= sleeps, "more writes than sleeps");
        }
        for n in notifiers {
            n.join().unwrap();
        }
        assert!(efd.total_writes() <= sleeps, "more writes than sleeps");
    });
}
