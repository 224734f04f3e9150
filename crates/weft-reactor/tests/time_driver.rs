//! Timer tests that must be the only thread driving the reactor: they hold the
//! [`Driver`] themselves, turn the reactor one `react` at a time, and so can check
//! exactly what each turn fired.
//!
//! A test binary is a process of its own, with its own reactor. Here the tests take
//! turns through `EXCLUSIVE`, and each holds a [`Presence`] before it files a timer, so
//! the fallback driver thread never starts (it starts only when a timer or source is
//! filed while no thread is present), and no `block_on` runs while a test holds the
//! driver. `Driver::try_lock` therefore always succeeds.
//!
//! No test sleeps the thread, and none asserts an upper bound on elapsed time.

use std::any::Any;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use weft_reactor::block_on;
use weft_reactor::driver::{Driver, Presence, is_driving, notify};
use weft_reactor::time::{Instant, Timer, sleep, sleep_until};

const MS: Duration = Duration::from_millis(1);

// ---------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------

static EXCLUSIVE: Mutex<()> = Mutex::new(());

/// The right to be the only thread driving the reactor. Fields drop in order: the
/// driver, then the presence, then the turn.
struct Exclusive {
    driver: Driver,
    presence: Presence,
    guard: MutexGuard<'static, ()>,
}

fn exclusive() -> Exclusive {
    let guard = EXCLUSIVE.lock().unwrap_or_else(PoisonError::into_inner);
    let presence = Presence::new();
    let driver = Driver::try_lock().expect("no other thread drives the reactor here");
    Exclusive {
        driver,
        presence,
        guard,
    }
}

impl Exclusive {
    /// Turns the reactor until `done` holds; only for conditions a filed timer will
    /// bring about.
    fn drive_until(&mut self, mut done: impl FnMut() -> bool) {
        while !done() {
            self.driver.react(None).expect("the poller works");
        }
    }
}

/// A waker that counts its wake-ups.
struct Counter(AtomicUsize);

impl Wake for Counter {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

impl Counter {
    fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

fn counting_waker() -> (Arc<Counter>, Waker) {
    let c = Arc::new(Counter(AtomicUsize::new(0)));
    (c.clone(), Waker::from(c))
}

/// A waker that sets a flag.
struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl Flag {
    fn take(&self) -> bool {
        self.0.swap(false, Ordering::SeqCst)
    }

    fn is_set(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

fn flag_waker() -> (Arc<Flag>, Waker) {
    let f = Arc::new(Flag(AtomicBool::new(false)));
    (f.clone(), Waker::from(f))
}

/// A waker that panics when woken.
struct Bomb(AtomicUsize);

impl Wake for Bomb {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
        panic!("boom: this waker panics");
    }
}

fn poll_with<F: Future + Unpin>(f: &mut F, waker: &Waker) -> Poll<F::Output> {
    Pin::new(f).poll(&mut Context::from_waker(waker))
}

fn poll_noop<F: Future + Unpin>(f: &mut F) -> Poll<F::Output> {
    poll_with(f, Waker::noop())
}

/// Timers due `offset` from now, filed with `wakers` (one timer per waker). Nobody
/// drives while the caller holds the driver, so a timer can only be due at once if
/// the thread was slower than `offset`: then it tries again with a fresh deadline.
fn filed(offset: Duration, wakers: &[&Waker]) -> (Instant, Vec<Timer>) {
    loop {
        let deadline = Instant::now() + offset;
        let mut timers = Vec::new();
        let mut all_pending = true;
        for w in wakers {
            let mut t = sleep_until(deadline);
            all_pending &= poll_with(&mut t, w).is_pending();
            timers.push(t);
        }
        if all_pending {
            return (deadline, timers);
        }
    }
}

fn panic_message(p: &(dyn Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------
// Ordering
// ---------------------------------------------------------------------------------

/// Many timers in one `FuturesUnordered`, run by a minimal executor on the driving
/// thread: poll until nothing is ready, then one `react`. A "round" is the work after
/// one turn, so all the wake-ups of a turn land in one round. The reactor must fire,
/// turn by turn, every timer that is due: a timer never completes in a later round
/// than a timer with a later deadline, and timers with the same deadline complete in
/// the same round. Timers due in the same turn may complete in either order.
#[test]
fn timers_fire_in_deadline_order_turn_by_turn() {
    let mut ex = exclusive();
    let start = Instant::now();
    // 120 timers 3 ms to 42 ms out, filed in scrambled order, three per deadline; a
    // cluster microseconds apart (within one or two wheel ticks of 16.4 us); and a
    // few beyond the first wheel level (64 ticks, about 1 ms).
    let mut deadlines: Vec<Instant> = (0..120u32)
        .map(|i| start + 3 * MS + MS * (i * 37 % 40))
        .collect();
    deadlines.extend((0..12u64).map(|i| start + 9 * MS + Duration::from_micros(5 * i)));
    deadlines.extend([50, 45, 60].map(|ms| start + MS * ms));
    let n = deadlines.len();

    let (woken, waker) = flag_waker();
    let mut cx = Context::from_waker(&waker);
    let mut set: FuturesUnordered<_> = deadlines
        .iter()
        .enumerate()
        .map(|(i, &d)| async move {
            let got = sleep_until(d).await;
            (i, got)
        })
        .collect();

    // (round, instant) of each completion.
    let mut done: Vec<Option<(u32, Instant)>> = vec![None; n];
    let mut remaining = n;
    let mut round = 0u32;
    loop {
        // Poll until nothing is ready. A `Pending` after the set woke itself (it
        // yields now and then) is not the end of the round.
        loop {
            woken.take();
            while let Poll::Ready(Some((i, got))) = set.poll_next_unpin(&mut cx) {
                assert_eq!(got, deadlines[i]);
                assert!(done[i].is_none(), "timer {i} completed twice");
                done[i] = Some((round, Instant::now()));
                remaining -= 1;
            }
            if !woken.is_set() {
                break;
            }
        }
        if remaining == 0 {
            break;
        }
        ex.driver.react(None).expect("the poller works");
        round += 1;
    }

    let done: Vec<(u32, Instant)> = done.into_iter().map(|d| d.expect("completed")).collect();
    for (i, &(_, at)) in done.iter().enumerate() {
        assert!(
            at >= deadlines[i],
            "timer {i} completed before its deadline"
        );
    }
    // Round 0 is the one that filed the timers: a timer due by the time it was first
    // polled completed there without the wheel, so order is checked among the others.
    for i in 0..n {
        for j in 0..n {
            let ((ri, _), (rj, _)) = (done[i], done[j]);
            if ri == 0 || rj == 0 {
                continue;
            }
            if deadlines[j] < deadlines[i] {
                assert!(
                    rj <= ri,
                    "timer {j} (due {:?} earlier) fired in round {rj}, after timer {i} in round {ri}",
                    deadlines[i] - deadlines[j]
                );
            }
            if deadlines[j] == deadlines[i] {
                assert_eq!(
                    ri, rj,
                    "timers {i} and {j} share a deadline but fired apart"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// Cancellation and reset, exactly
// ---------------------------------------------------------------------------------

/// Of many timers filed for the same few deadlines, those dropped never wake and the
/// others wake exactly once. The same thread drives, so once the last deadline's
/// turn is over every wake-up has happened.
#[test]
fn dropped_timers_never_wake_and_kept_ones_wake_once() {
    let mut ex = exclusive();
    let start = Instant::now();
    let mut dropped = Vec::new();
    let mut kept = Vec::new();
    let mut last = start;
    for i in 0..1_000u32 {
        let (count, waker) = counting_waker();
        let deadline = start + 5 * MS + Duration::from_micros(u64::from(i % 10) * 300);
        last = last.max(deadline);
        let mut t = sleep_until(deadline);
        if poll_with(&mut t, &waker).is_ready() {
            continue; // due before it could be filed: nothing to cancel
        }
        if i % 3 == 0 {
            dropped.push((count, t));
        } else {
            kept.push((count, t));
        }
    }
    // Cancel in an order unrelated to filing.
    dropped.reverse();
    let dropped: Vec<Arc<Counter>> = dropped
        .into_iter()
        .map(|(c, t)| {
            drop(t);
            c
        })
        .collect();

    let (control, control_waker) = flag_waker();
    let mut control_timer = sleep_until(last);
    // `last` may have passed already (a slow thread): then every timer is due and
    // the next turn fires them all.
    if poll_with(&mut control_timer, &control_waker).is_ready() {
        ex.driver
            .react(Some(Duration::ZERO))
            .expect("the poller works");
    } else {
        ex.drive_until(|| control.is_set());
    }

    for (i, c) in dropped.iter().enumerate() {
        assert_eq!(c.get(), 0, "dropped timer {i} woke its waker");
    }
    for (i, (c, t)) in kept.iter_mut().enumerate() {
        assert_eq!(c.get(), 1, "kept timer {i} woke {} times", c.get());
        assert!(poll_noop(t).is_ready());
    }
}

#[test]
fn reset_later_unfiles_and_reset_earlier_refiles() {
    let mut ex = exclusive();
    let (count, waker) = counting_waker();
    let (control, control_waker) = flag_waker();
    let (first, timers) = filed(3 * MS, &[&waker, &control_waker]);
    let [mut t, _control_timer] = <[Timer; 2]>::try_from(timers).expect("two timers");

    // Later: an hour away, filed again with the same waker.
    t.reset(first + Duration::from_secs(3600));
    assert!(poll_with(&mut t, &waker).is_pending());
    ex.drive_until(|| control.is_set());
    assert_eq!(
        count.get(),
        0,
        "the old deadline woke a timer reset to later"
    );
    assert!(poll_with(&mut t, &waker).is_pending());

    // Earlier again: fires at the new deadline, once.
    let soon = Instant::now() + MS;
    t.reset(soon);
    if poll_with(&mut t, &waker).is_pending() {
        ex.drive_until(|| count.get() > 0);
        assert_eq!(count.get(), 1);
    }
    assert_eq!(poll_with(&mut t, &waker), Poll::Ready(soon));
    assert!(Instant::now() >= soon);

    // After firing, reset_after re-arms it.
    t.reset_after(MS);
    let d = t.deadline().expect("representable");
    let before = count.get();
    if poll_with(&mut t, &waker).is_pending() {
        ex.drive_until(|| count.get() > before);
    }
    assert_eq!(poll_with(&mut t, &waker), Poll::Ready(d));
    assert!(Instant::now() >= d);
}

/// A timer moved to a new waker wakes only the new one.
#[test]
fn a_timer_polled_with_a_new_waker_wakes_only_that_one() {
    let mut ex = exclusive();
    let (old, old_waker) = counting_waker();
    let (new, new_waker) = counting_waker();
    let (_, mut timers) = filed(2 * MS, &[&old_waker]);
    let mut t = timers.pop().expect("one timer");
    if poll_with(&mut t, &new_waker).is_pending() {
        ex.drive_until(|| new.get() > 0);
    }
    assert!(poll_noop(&mut t).is_ready());
    assert_eq!(old.get(), 0);
    assert!(new.get() <= 1);
}

// ---------------------------------------------------------------------------------
// Driving by hand
// ---------------------------------------------------------------------------------

#[test]
fn react_with_a_timeout_and_notify() {
    let mut ex = exclusive();
    assert!(!is_driving());
    // A zero timeout returns at once, waking nothing (no timer is filed here).
    assert_eq!(ex.driver.react(Some(Duration::ZERO)).expect("works"), 0);
    // A notification makes the next turn return at once, even with no timeout.
    notify();
    assert_eq!(ex.driver.react(None).expect("works"), 0);
    // A short timeout with nothing to wait for returns.
    assert_eq!(ex.driver.react(Some(MS)).expect("works"), 0);
    // A due timer is counted among the woken.
    let (flag, waker) = flag_waker();
    let (_, _timers) = filed(MS, &[&waker]);
    let mut woken = 0;
    while !flag.is_set() {
        woken += ex.driver.react(None).expect("works");
    }
    assert_eq!(woken, 1);
    assert!(!is_driving());
}

/// A timer filed from another thread while the driver sleeps with no timer at all
/// wakes the driver: the turn that skips the timer lock when none is filed must not
/// sleep through it. (If it did, `react(None)` here would never return.)
#[test]
fn a_timer_filed_while_the_driver_sleeps_without_timers_wakes_it() {
    let mut ex = exclusive();
    let (flag, waker) = flag_waker();
    let filer = std::thread::spawn(move || filed(MS, &[&waker]).1);
    while !flag.is_set() {
        ex.driver.react(None).expect("works");
    }
    let timers = filer.join().expect("the filing thread");
    assert_eq!(timers.len(), 1);
}

// ---------------------------------------------------------------------------------
// A waker that panics
// ---------------------------------------------------------------------------------

/// A waker that panics comes out of `react`, after every other waker of its turn has
/// been woken; the driver keeps working, and so does `block_on`.
#[test]
fn a_panicking_waker_does_not_poison_the_reactor() {
    let mut ex = exclusive();
    let bomb = Arc::new(Bomb(AtomicUsize::new(0)));
    let bomb_waker = Waker::from(bomb.clone());
    let neighbours: Vec<(Arc<Counter>, Waker)> = (0..4).map(|_| counting_waker()).collect();
    let mut wakers: Vec<&Waker> = neighbours.iter().map(|(_, w)| w).collect();
    wakers.insert(2, &bomb_waker);
    let (deadline, mut timers) = filed(2 * MS, &wakers);

    let payload = loop {
        match panic::catch_unwind(AssertUnwindSafe(|| ex.driver.react(None))) {
            Ok(res) => {
                res.expect("the poller works");
            }
            Err(p) => break p,
        }
    };
    assert!(panic_message(&*payload).contains("boom"));
    assert_eq!(bomb.0.load(Ordering::SeqCst), 1);
    for (i, (c, _)) in neighbours.iter().enumerate() {
        assert_eq!(
            c.get(),
            1,
            "neighbour {i} of the panicking waker was not woken"
        );
    }
    assert!(!is_driving(), "still marked as driving after the panic");
    for t in &mut timers {
        assert_eq!(poll_noop(t), Poll::Ready(deadline));
    }

    // The same driver goes on firing timers.
    let (flag, waker) = flag_waker();
    let (_, _more) = filed(MS, &[&waker]);
    ex.drive_until(|| flag.is_set());

    // Now drive through a temporary `Driver` that the panic drops as it unwinds: that
    // poisons the driver's lock, which must not matter.
    drop(ex.driver);
    let bomb2 = Arc::new(Bomb(AtomicUsize::new(0)));
    let (_, _bombs) = filed(MS, &[&Waker::from(bomb2.clone())]);
    let res = panic::catch_unwind(|| {
        loop {
            Driver::try_lock()
                .expect("no other thread drives")
                .react(None)
                .expect("the poller works");
        }
    });
    assert!(res.is_err());
    assert_eq!(bomb2.0.load(Ordering::SeqCst), 1);
    drop(Driver::try_lock().expect("a poisoned driver lock still hands out the driver"));

    // `block_on` drives as before (nothing is filed, so dropping the presence starts
    // no fallback thread).
    drop(ex.presence);
    let start = Instant::now();
    let done = block_on(async {
        let mut set: FuturesUnordered<_> = (1..=3u32)
            .map(|i| async move { (sleep_until(start + MS * i).await, Instant::now()) })
            .collect();
        let mut done = 0;
        while let Some((d, at)) = set.next().await {
            assert!(at >= d);
            done += 1;
        }
        done
    });
    assert_eq!(done, 3);
    let d = block_on(sleep(MS));
    assert!(Instant::now() >= d);
    drop(ex.guard);
}
