//! Integration tests of weft-reactor's time: timers, sleeps, resets, intervals, bad
//! input and large numbers of timers.
//!
//! The tests of this file run in parallel threads of one process and share its one
//! reactor, so any of them may be the thread that drives it. What needs a test to be
//! the only driver (ordering turn by turn, a waker that panics, exact cancellation)
//! lives in `time_driver.rs`, a process of its own.
//!
//! No test sleeps the thread to let things settle: each waits on the event itself (a
//! `block_on`, a channel fed by a waker). No test asserts an upper bound on elapsed
//! time, only what is guaranteed: a timer never completes before its deadline. Where
//! a test needs "this happens before that deadline" (a timer cancelled before it is
//! due), it checks the clock afterwards and tries again with a fresh deadline when the
//! thread was too slow, instead of assuming it is fast.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use weft_reactor::block_on;
use weft_reactor::time::{
    Instant, Interval, MissedTickBehavior, Timer, interval, interval_at, sleep, sleep_until,
};

const MS: Duration = Duration::from_millis(1);

// ---------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------

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

/// A waker that reports each wake-up on a channel, so a test can block until the
/// reactor has woken it.
struct Reporter(mpsc::Sender<()>);

impl Wake for Reporter {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // The receiver may be gone once the test has what it needs.
        let _ = self.0.send(());
    }
}

fn reporting_waker() -> (mpsc::Receiver<()>, Waker) {
    let (tx, rx) = mpsc::channel();
    (rx, Waker::from(Arc::new(Reporter(tx))))
}

/// Polls `f` once with `waker`.
fn poll_with<F: Future + Unpin>(f: &mut F, waker: &Waker) -> Poll<F::Output> {
    Pin::new(f).poll(&mut Context::from_waker(waker))
}

/// Polls `f` once with a waker that does nothing.
fn poll_noop<F: Future + Unpin>(f: &mut F) -> Poll<F::Output> {
    poll_with(f, Waker::noop())
}

/// Polls the interval's next tick once with a waker that does nothing.
fn poll_tick(iv: &mut Interval) -> Poll<Instant> {
    iv.poll_tick(&mut Context::from_waker(Waker::noop()))
}

/// xorshift64: a small deterministic generator, so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// A permutation of `0..n` (Fisher-Yates).
fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut rng = Rng(seed | 1);
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        order.swap(i, (rng.next() % (i as u64 + 1)) as usize);
    }
    order
}

/// Sleeps on the reactor (not the thread) until `deadline`, and checks it did not
/// wake early.
fn wait_until(deadline: Instant) {
    let got = block_on(sleep_until(deadline));
    assert_eq!(got, deadline);
    assert!(Instant::now() >= deadline);
}

// ---------------------------------------------------------------------------------
// Ordering and deadlines
// ---------------------------------------------------------------------------------

/// Many timers in one `block_on`, filed in scrambled order with ties: each completes,
/// yields its own deadline, and never completes before it. (The strict order, turn by
/// turn, is checked in `time_driver.rs`, where the test is the only thread driving.)
#[test]
fn many_timers_in_one_block_on_complete_never_before_their_deadline() {
    let start = Instant::now();
    // 90 timers from 2 ms to 31 ms out, each deadline shared by three of them, plus a
    // cluster a few microseconds apart (less than a wheel tick of 16.4 us).
    let mut deadlines: Vec<Instant> = (0..90u64)
        .map(|i| start + 2 * MS + MS * (i * 37 % 30) as u32)
        .collect();
    deadlines.extend((0..10u64).map(|i| start + 7 * MS + Duration::from_micros(3 * i)));
    let n = deadlines.len();

    let completed = block_on(async {
        let mut set: FuturesUnordered<_> = deadlines
            .iter()
            .enumerate()
            .map(|(i, &d)| async move {
                let got = sleep_until(d).await;
                (i, got, Instant::now())
            })
            .collect();
        let mut completed = Vec::new();
        while let Some(c) = set.next().await {
            completed.push(c);
        }
        completed
    });

    assert_eq!(completed.len(), n);
    let mut seen = vec![false; n];
    for &(i, got, at) in &completed {
        assert!(!seen[i], "timer {i} completed twice");
        seen[i] = true;
        assert_eq!(got, deadlines[i], "timer {i} yielded another deadline");
        assert!(
            at >= deadlines[i],
            "timer {i} completed {:?} before its deadline",
            deadlines[i] - at
        );
    }
}

/// A single `sleep` yields a deadline `duration` after the moment it was made.
#[test]
fn sleep_yields_its_deadline() {
    let before = Instant::now();
    let t = sleep(3 * MS);
    let after = Instant::now();
    let d = t.deadline().expect("a representable deadline");
    assert!(d >= before + 3 * MS && d <= after + 3 * MS);
    assert_eq!(block_on(t), d);
    assert!(Instant::now() >= d);
}

// ---------------------------------------------------------------------------------
// Cancellation
// ---------------------------------------------------------------------------------

/// A timer dropped while filed never wakes its waker. A control timer with the same
/// deadline, kept, proves the reactor went past that deadline.
#[test]
fn a_dropped_timer_never_wakes() {
    let (count, waker) = counting_waker();
    let (fired, reporter) = reporting_waker();
    let (deadline, mut control) = loop {
        let deadline = Instant::now() + 5 * MS;
        let mut control = sleep_until(deadline);
        let mut doomed = sleep_until(deadline);
        let filed = poll_with(&mut control, &reporter).is_pending()
            && poll_with(&mut doomed, &waker).is_pending();
        drop(doomed);
        // Only a drop before the deadline proves anything: the reactor may fire a
        // timer from the deadline on. Too slow (a loaded machine): try again.
        if filed && Instant::now() < deadline {
            break (deadline, control);
        }
    };
    wait_until(deadline + 5 * MS);
    fired.recv().expect("the control timer fires");
    assert_eq!(poll_with(&mut control, &reporter), Poll::Ready(deadline));
    assert_eq!(count.get(), 0, "a dropped timer woke its waker");
}

/// Dropping timers that were never polled, polled and pending, or completed is fine,
/// and leaves the reactor working.
#[test]
fn dropping_timers_in_every_state_is_fine() {
    drop(sleep(MS));
    let mut pending = sleep(Duration::from_secs(3600));
    assert!(poll_noop(&mut pending).is_pending());
    drop(pending);
    let mut done = sleep(MS);
    let d = block_on(&mut done);
    assert!(done.is_elapsed());
    drop(done);
    assert!(Instant::now() >= d);
    wait_until(Instant::now() + MS);
}

// ---------------------------------------------------------------------------------
// Reset
// ---------------------------------------------------------------------------------

#[test]
fn reset_to_an_earlier_deadline_fires_at_the_new_one() {
    let mut t = sleep(Duration::from_secs(3600));
    assert!(poll_noop(&mut t).is_pending());
    let soon = Instant::now() + 2 * MS;
    t.reset(soon);
    assert_eq!(t.deadline(), Some(soon));
    assert!(!t.is_elapsed());
    assert_eq!(block_on(&mut t), soon);
    assert!(Instant::now() >= soon);
    assert!(t.is_elapsed());
}

#[test]
fn reset_to_a_later_deadline_does_not_fire_at_the_old_one() {
    let first = Instant::now() + 2 * MS;
    let mut t = sleep_until(first);
    let _ = poll_noop(&mut t); // filed (or already due: either way, reset re-arms it)
    let later = first + 20 * MS;
    t.reset(later);
    assert_eq!(t.deadline(), Some(later));
    assert_eq!(block_on(&mut t), later);
    assert!(Instant::now() >= later, "completed at the old deadline");
}

/// After a reset to a later deadline the old registration is gone: passing the old
/// deadline wakes nothing.
#[test]
fn reset_to_a_later_deadline_unfiles_the_old_one() {
    let (count, waker) = counting_waker();
    let (fired, reporter) = reporting_waker();
    let (first, mut control, t) = loop {
        let first = Instant::now() + 5 * MS;
        let mut control = sleep_until(first);
        let mut t = sleep_until(first);
        let filed = poll_with(&mut control, &reporter).is_pending()
            && poll_with(&mut t, &waker).is_pending();
        t.reset(first + Duration::from_secs(3600));
        // Filed again, at the new deadline, with the same waker.
        let refiled = poll_with(&mut t, &waker).is_pending();
        if filed && refiled && Instant::now() < first {
            break (first, control, t);
        }
    };
    wait_until(first + 5 * MS);
    fired.recv().expect("the control timer fires");
    assert_eq!(poll_with(&mut control, &reporter), Poll::Ready(first));
    assert_eq!(count.get(), 0, "the old deadline woke the reset timer");
    assert!(!t.is_elapsed());
}

#[test]
fn reset_after_firing_rearms_the_timer() {
    let mut t = sleep(MS);
    let first = block_on(&mut t);
    assert!(t.is_elapsed());
    // A completed timer keeps yielding its deadline.
    assert_eq!(poll_noop(&mut t), Poll::Ready(first));

    let again = Instant::now() + 3 * MS;
    t.reset(again);
    assert!(!t.is_elapsed());
    assert_eq!(t.deadline(), Some(again));
    assert_eq!(block_on(&mut t), again);
    assert!(Instant::now() >= again);
    assert!(t.is_elapsed());

    // Reset into the past: due at once.
    let past = Instant::now()
        .checked_sub(Duration::from_secs(1))
        .expect("the clock is more than a second old");
    t.reset(past);
    assert_eq!(poll_noop(&mut t), Poll::Ready(past));
}

/// A timer reset many times while filed, to earlier and later deadlines in turn,
/// completes at the last one only.
#[test]
fn reset_many_times_while_filed() {
    let mut t = sleep(Duration::from_secs(3600));
    let mut last = Instant::now();
    for i in 0..200u32 {
        let offset = if i % 2 == 0 {
            3600 * 1000 - i
        } else {
            1 + i % 7
        };
        last = Instant::now() + MS * offset;
        t.reset(last);
        let _ = poll_noop(&mut t);
    }
    // The last reset (i = 199) is a short one.
    assert_eq!(block_on(&mut t), last);
    assert!(Instant::now() >= last);
}

#[test]
fn reset_after_sets_a_deadline_from_now() {
    let mut t = Timer::never();
    assert_eq!(t.deadline(), None);
    assert!(poll_noop(&mut t).is_pending());

    let before = Instant::now();
    t.reset_after(3 * MS);
    let after = Instant::now();
    let d = t.deadline().expect("a representable deadline");
    assert!(d >= before + 3 * MS && d <= after + 3 * MS);
    assert_eq!(block_on(&mut t), d);
    assert!(Instant::now() >= d);

    // Too far to represent: a timer that never fires, not a panic.
    t.reset_after(Duration::MAX);
    assert_eq!(t.deadline(), None);
    assert!(!t.is_elapsed());
    assert!(poll_noop(&mut t).is_pending());
}

// ---------------------------------------------------------------------------------
// Intervals
// ---------------------------------------------------------------------------------

#[test]
fn the_first_tick_is_immediate_and_yields_the_start() {
    let before = Instant::now();
    let mut iv = interval(Duration::from_secs(3600));
    let after = Instant::now();
    let Poll::Ready(first) = poll_tick(&mut iv) else {
        panic!("the first tick is not immediate");
    };
    assert!(before <= first && first <= after);
    // The second is an hour away.
    assert!(poll_tick(&mut iv).is_pending());
}

#[test]
fn interval_at_a_future_start_ticks_first_at_the_start() {
    let start = Instant::now() + 3 * MS;
    let mut iv = interval_at(start, 2 * MS);
    assert_eq!(block_on(iv.tick()), start);
    assert!(Instant::now() >= start);
    assert_eq!(block_on(iv.tick()), start + 2 * MS);
    assert!(Instant::now() >= start + 2 * MS);
}

/// Ticks yield instants exactly one period apart (the default, Burst, keeps the
/// schedule even when the thread is late).
#[test]
fn consecutive_ticks_are_exactly_a_period_apart() {
    let period = 2 * MS;
    let mut iv = interval(period);
    assert_eq!(iv.period(), period);
    assert_eq!(iv.missed_tick_behavior(), MissedTickBehavior::Burst);
    let ticks = block_on(async {
        let mut ticks = Vec::new();
        for _ in 0..6 {
            let t = iv.tick().await;
            assert!(Instant::now() >= t, "tick before its instant");
            ticks.push(t);
        }
        ticks
    });
    for pair in ticks.windows(2) {
        assert_eq!(pair[1].duration_since(pair[0]), period);
    }
}

/// An interval that started five periods ago has missed five ticks. `start` is in the
/// past, so no test has to block its thread to make a tick late.
fn behind_by_five(period: Duration, behavior: MissedTickBehavior) -> (Instant, Interval) {
    let start = Instant::now()
        .checked_sub(5 * period)
        .expect("the clock is older than five periods");
    let mut iv = interval_at(start, period);
    iv.set_missed_tick_behavior(behavior);
    assert_eq!(iv.missed_tick_behavior(), behavior);
    (start, iv)
}

#[test]
fn burst_yields_every_missed_tick_at_once_then_keeps_the_schedule() {
    let p = 20 * MS;
    let (start, mut iv) = behind_by_five(p, MissedTickBehavior::Burst);
    // start, start + p, ..., start + 5p are all past: each is ready at once.
    for k in 0..=5u32 {
        assert_eq!(
            poll_tick(&mut iv),
            Poll::Ready(start + p * k),
            "missed tick {k} not yielded at once"
        );
    }
    // Then the original schedule goes on.
    for k in 6..=7u32 {
        assert_eq!(block_on(iv.tick()), start + p * k);
        assert!(Instant::now() >= start + p * k);
    }
}

#[test]
fn skip_drops_the_missed_ticks_and_keeps_the_alignment() {
    let p = 20 * MS;
    let (start, mut iv) = behind_by_five(p, MissedTickBehavior::Skip);
    let before = Instant::now();
    assert_eq!(poll_tick(&mut iv), Poll::Ready(start));
    let after = Instant::now();

    // The next tick is the first of the original schedule after the moment the first
    // was yielded: after `before`, at most a period after `after`, on the grid.
    let second = block_on(iv.tick());
    assert!(Instant::now() >= second);
    let offset = second.duration_since(start).as_nanos();
    assert_eq!(offset % p.as_nanos(), 0, "off the start + k * period grid");
    assert!(second >= start + 6 * p, "a missed tick was yielded");
    assert!(second > before && second <= after + p);

    // Still on the grid afterwards (one period later, or more if this thread was late).
    let third = block_on(iv.tick());
    assert!(third > second);
    assert_eq!(third.duration_since(start).as_nanos() % p.as_nanos(), 0);
}

#[test]
fn delay_schedules_the_next_tick_a_period_after_the_late_one() {
    let p = 20 * MS;
    let (start, mut iv) = behind_by_five(p, MissedTickBehavior::Delay);
    let before = Instant::now();
    assert_eq!(poll_tick(&mut iv), Poll::Ready(start));
    let after = Instant::now();

    // A whole period after the moment the late tick was yielded.
    let second = block_on(iv.tick());
    assert!(Instant::now() >= second);
    assert!(second >= before + p && second <= after + p);

    let third = block_on(iv.tick());
    assert!(third.duration_since(second) >= p);
    assert!(Instant::now() >= third);
}

/// Skip with a period tiny next to how far behind the interval is: the number of
/// missed periods (five billion here) does not fit in a `u32`, and the interval must
/// still tick again.
#[test]
fn skip_catches_up_however_many_periods_were_missed() {
    let p = Duration::from_nanos(1);
    let start = Instant::now()
        .checked_sub(Duration::from_secs(5))
        .expect("the clock is more than five seconds old");
    let mut iv = interval_at(start, p);
    iv.set_missed_tick_behavior(MissedTickBehavior::Skip);
    assert_eq!(poll_tick(&mut iv), Poll::Ready(start));
    // The next tick of the schedule is at most a nanosecond after that poll; once a
    // millisecond has passed it must be ready.
    wait_until(Instant::now() + MS);
    match poll_tick(&mut iv) {
        Poll::Ready(t) => assert!(t >= start + Duration::from_secs(5)),
        Poll::Pending => panic!("a Skip interval five billion periods behind stopped ticking"),
    }
}

#[test]
fn interval_is_a_stream() {
    let period = 2 * MS;
    let mut iv = interval(period);
    let ticks: Vec<Instant> = block_on(async {
        let a = iv.next().await.expect("an interval never ends");
        let b = iv.next().await.expect("an interval never ends");
        let rest: Vec<Instant> = (&mut iv).take(3).collect().await;
        [vec![a, b], rest].concat()
    });
    assert_eq!(ticks.len(), 5);
    for pair in ticks.windows(2) {
        assert_eq!(pair[1] - pair[0], period);
    }
    assert!(Instant::now() >= *ticks.last().unwrap());
}

#[test]
fn interval_reset_moves_the_next_tick_a_period_from_now() {
    let p = Duration::from_secs(3600);
    let mut iv = interval(p);
    let before = Instant::now();
    iv.reset();
    // The first tick, which was due now, is an hour away.
    assert!(poll_tick(&mut iv).is_pending());
    let mut iv = interval_at(before + 2 * MS, 2 * MS);
    iv.reset();
    let after = Instant::now();
    let t = block_on(iv.tick());
    assert!(t >= before + 2 * MS && t <= after + 2 * MS);
}

#[test]
#[should_panic(expected = "period must not be zero")]
fn interval_with_a_zero_period_panics() {
    let _ = interval(Duration::ZERO);
}

#[test]
#[should_panic(expected = "period must not be zero")]
fn interval_at_with_a_zero_period_panics() {
    let _ = interval_at(Instant::now(), Duration::ZERO);
}

/// A period so long the second tick cannot be represented: one tick, then none, and
/// no panic.
#[test]
fn interval_with_an_unrepresentable_second_tick() {
    let mut iv = interval(Duration::MAX);
    assert!(poll_tick(&mut iv).is_ready());
    assert!(poll_tick(&mut iv).is_pending());
}

// ---------------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------------

#[test]
fn sleep_for_duration_max_is_pending_forever() {
    let mut t = sleep(Duration::MAX);
    assert_eq!(t.deadline(), None);
    assert!(poll_noop(&mut t).is_pending());
    // Still pending after the reactor has turned.
    wait_until(Instant::now() + MS);
    assert!(poll_noop(&mut t).is_pending());
    assert!(!t.is_elapsed());

    let mut never = Timer::never();
    assert!(poll_noop(&mut never).is_pending());
}

#[test]
fn sleep_until_a_past_deadline_completes_at_once() {
    let past = Instant::now()
        .checked_sub(Duration::from_secs(1))
        .expect("the clock is more than a second old");
    let mut t = sleep_until(past);
    assert_eq!(poll_noop(&mut t), Poll::Ready(past));
    assert!(t.is_elapsed());
    // Even before the clock's origin (the reactor counts from its first reading).
    if let Some(long_ago) = Instant::now().checked_sub(Duration::from_secs(3)) {
        assert_eq!(poll_noop(&mut sleep_until(long_ago)), Poll::Ready(long_ago));
    }
    assert!(poll_noop(&mut sleep(Duration::ZERO)).is_ready());
    // Right now is not in the future either.
    let now = Instant::now();
    assert_eq!(poll_noop(&mut sleep_until(now)), Poll::Ready(now));
}

#[test]
fn a_deadline_far_beyond_the_wheel_is_pending_and_can_be_dropped() {
    let now = Instant::now();
    let far = now
        .checked_add(Duration::from_secs(u64::MAX / 4))
        .unwrap_or_else(|| now + Duration::from_secs(100 * 365 * 86_400));
    let mut t = Timer::at(far);
    assert_eq!(t.deadline(), Some(far));
    assert!(poll_noop(&mut t).is_pending());
    assert!(poll_noop(&mut t).is_pending());

    // A hundred years (beyond the wheel's 2.3-year span) too, reset to soon.
    let mut u = Timer::at(now + Duration::from_secs(100 * 365 * 86_400));
    assert!(poll_noop(&mut u).is_pending());
    let soon = Instant::now() + MS;
    u.reset(soon);
    assert_eq!(block_on(&mut u), soon);

    drop(t);
    wait_until(Instant::now() + MS);
}

#[test]
fn instant_arithmetic_at_the_edges() {
    let now = Instant::now();
    assert_eq!(now.checked_add(Duration::MAX), None);
    assert_eq!(now.checked_sub(Duration::MAX), None);
    assert_eq!(Timer::after(Duration::MAX).deadline(), None);
    let later = now + MS;
    assert_eq!(later.duration_since(now), MS);
    assert_eq!(now.duration_since(later), Duration::ZERO);
    assert_eq!(now - later, Duration::ZERO);
    assert_eq!(now.checked_duration_since(later), None);
    assert_eq!(Instant::from_std(now.into_std()), now);
}

// ---------------------------------------------------------------------------------
// Many timers
// ---------------------------------------------------------------------------------

/// A deadline between 10 s and about 28 hours away, or beyond the wheel's span, so
/// that none fires while the test runs and the timers spread over every level.
fn spread_deadline(now: Instant, rng: &mut Rng) -> Instant {
    const DAY: u64 = 86_400;
    match rng.next() % 100 {
        0 => now + Duration::from_secs(3 * 365 * DAY + rng.next() % (100 * 365 * DAY)),
        _ => now + Duration::from_secs(10) + Duration::from_nanos(rng.next() % 100_000_000_000_000),
    }
}

/// After heavy use the wheel still fires short timers, never early.
fn the_wheel_still_works() {
    let start = Instant::now();
    let deadlines: Vec<Instant> = (1..=5u32).rev().map(|i| start + MS * i).collect();
    let done = block_on(async {
        let mut set: FuturesUnordered<_> = deadlines
            .iter()
            .map(|&d| async move { (d, sleep_until(d).await, Instant::now()) })
            .collect();
        let mut done = 0;
        while let Some((d, got, at)) = set.next().await {
            assert_eq!(got, d);
            assert!(at >= d, "fired early");
            done += 1;
        }
        done
    });
    assert_eq!(done, deadlines.len());
}

#[test]
fn a_hundred_thousand_timers_filed_then_dropped() {
    let now = Instant::now();
    let mut rng = Rng(0x5eed_0001);
    let mut timers: Vec<Timer> = (0..100_000)
        .map(|_| Timer::at(spread_deadline(now, &mut rng)))
        .collect();
    for t in &mut timers {
        assert!(poll_noop(t).is_pending());
    }
    drop(timers);
    the_wheel_still_works();
}

/// A million pending timers, a few thousand cancelled in random order, the rest
/// dropped. (About a second in a debug build.)
#[test]
fn a_million_pending_timers_then_cancelled() {
    const N: usize = 1_000_000;
    let now = Instant::now();
    let mut rng = Rng(0x5eed_0002);
    let mut timers: Vec<Option<Timer>> = (0..N)
        .map(|_| Some(Timer::at(spread_deadline(now, &mut rng))))
        .collect();
    for t in timers.iter_mut().flatten() {
        assert!(poll_noop(t).is_pending());
    }
    for &i in shuffled(N, 0x5eed_0003).iter().take(5_000) {
        let t = timers[i].take().expect("each index once");
        assert!(!t.is_elapsed());
        drop(t);
    }
    // A short timer filed among all the others still fires.
    wait_until(Instant::now() + MS);
    drop(timers);
    the_wheel_still_works();
}

/// Timers filed and cancelled concurrently from several threads while other threads
/// sleep on the reactor.
#[test]
fn timers_filed_and_cancelled_from_many_threads() {
    let threads: Vec<_> = (0..4u64)
        .map(|seed| {
            std::thread::spawn(move || {
                let mut rng = Rng(0x5eed_0100 + seed);
                let now = Instant::now();
                let mut timers: Vec<Timer> = (0..20_000)
                    .map(|_| Timer::at(spread_deadline(now, &mut rng)))
                    .collect();
                for t in &mut timers {
                    assert!(poll_noop(t).is_pending());
                }
                for i in shuffled(timers.len(), seed + 7) {
                    timers[i].reset(now + Duration::from_secs(7200));
                }
                drop(timers);
                let d = Instant::now() + MS * (1 + seed as u32);
                wait_until(d);
            })
        })
        .collect();
    for t in threads {
        t.join().expect("a thread failed");
    }
    the_wheel_still_works();
}
