//! A hierarchical timing wheel over a slab: O(1) insert and cancel, in safe code.
//!
//! Time is counted in ticks of 2^14 ns (16.4 us) from the clock's origin. Seven levels
//! of 64 slots span 64^7 ticks (about 2.3 years); a later deadline waits in the top
//! level and is filed again when its slot turns. A deadline is rounded *up* to its
//! tick, so a timer never fires early and at most one tick late.
//!
//! Entries live in one `Vec`; a slot is a doubly linked list through the entries'
//! `prev`/`next` indices, and free entries form a list through `next`. A key is an
//! index into the `Vec`, owned by exactly one `Timer`, which hands it back with
//! [`Wheel::poll`] (once fired) or [`Wheel::remove`]: no generations are needed.
//!
//! Level `l` holds timers whose deadline first differs from the wheel's current time
//! (`elapsed`) in the `l`-th group of six bits, so every timer of level `l` is due
//! before any of level `l + 1` and [`Wheel::next_expiration`] looks at the lowest
//! occupied level only. When a slot of level `l > 0` turns, its timers are filed
//! again, now into lower levels.

use std::mem;
use std::task::Waker;

const SLOT_BITS: u32 = 6;
const SLOTS: usize = 1 << SLOT_BITS;
const LEVELS: usize = 7;
/// How many ticks the wheel spans.
const SPAN: u64 = 1 << (SLOT_BITS as usize * LEVELS);
/// log2 of a tick's length in nanoseconds.
pub(crate) const TICK_SHIFT: u32 = 14;
const NIL: u32 = u32::MAX;

/// The first tick at or after `ns`.
pub(crate) fn ceil_tick(ns: u64) -> u64 {
    ns.div_ceil(1 << TICK_SHIFT)
}

/// The tick that contains `ns`.
pub(crate) fn floor_tick(ns: u64) -> u64 {
    ns >> TICK_SHIFT
}

/// The nanosecond at which `tick` starts.
pub(crate) fn tick_start(tick: u64) -> u64 {
    tick.saturating_mul(1 << TICK_SHIFT)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Free,
    Linked { level: u8, slot: u8 },
    Fired,
}

#[derive(Debug)]
struct Entry {
    /// The deadline, in ticks.
    when: u64,
    waker: Option<Waker>,
    prev: u32,
    next: u32,
    state: State,
}

/// The timers of the reactor.
#[derive(Debug)]
pub(crate) struct Wheel {
    entries: Vec<Entry>,
    free: u32,
    heads: [[u32; SLOTS]; LEVELS],
    occupied: [u64; LEVELS],
    /// The wheel's current time in ticks: every slot before it has been processed.
    elapsed: u64,
    /// Timers filed in slots.
    linked: usize,
}

impl Wheel {
    pub(crate) fn new() -> Wheel {
        Wheel {
            entries: Vec::new(),
            free: NIL,
            heads: [[NIL; SLOTS]; LEVELS],
            occupied: [0; LEVELS],
            elapsed: 0,
            linked: 0,
        }
    }

    /// Timers waiting to fire.
    pub(crate) fn len(&self) -> usize {
        self.linked
    }

    /// Files a timer due at `deadline_ns`; `None` when that moment has passed.
    pub(crate) fn insert(&mut self, deadline_ns: u64, waker: Waker) -> Option<u32> {
        let when = ceil_tick(deadline_ns);
        if when <= self.elapsed {
            return None;
        }
        let entry = Entry {
            when,
            waker: Some(waker),
            prev: NIL,
            next: NIL,
            state: State::Free,
        };
        let key = if self.free == NIL {
            let key = u32::try_from(self.entries.len()).ok().filter(|&k| k != NIL);
            let key = key.expect("weft-reactor: more than 4 billion timers are pending");
            self.entries.push(entry);
            key
        } else {
            let key = self.free;
            self.free = self.entries[key as usize].next;
            self.entries[key as usize] = entry;
            key
        };
        self.link(key);
        Some(key)
    }

    /// Whether the timer has fired, handing its key back if so; otherwise stores
    /// `waker` to be woken when it fires.
    pub(crate) fn poll(&mut self, key: u32, waker: &Waker) -> bool {
        let entry = &mut self.entries[key as usize];
        match entry.state {
            State::Linked { .. } => {
                match &mut entry.waker {
                    Some(w) if w.will_wake(waker) => {}
                    w => *w = Some(waker.clone()),
                }
                false
            }
            State::Fired | State::Free => {
                debug_assert_eq!(entry.state, State::Fired, "polled a freed timer key");
                self.release(key);
                true
            }
        }
    }

    /// Cancels the timer and hands its key back.
    pub(crate) fn remove(&mut self, key: u32) {
        if let State::Linked { .. } = self.entries[key as usize].state {
            self.unlink(key);
        }
        self.release(key);
    }

    fn release(&mut self, key: u32) {
        let entry = &mut self.entries[key as usize];
        entry.state = State::Free;
        entry.waker = None;
        entry.next = self.free;
        self.free = key;
    }

    fn link(&mut self, key: u32) {
        let when = self.entries[key as usize].when.min(self.elapsed + SPAN - 1);
        let masked = (self.elapsed ^ when) | (SLOTS as u64 - 1);
        let significant = 63 - masked.leading_zeros();
        let level = ((significant / SLOT_BITS) as usize).min(LEVELS - 1);
        let slot = ((when >> (level as u32 * SLOT_BITS)) as usize) & (SLOTS - 1);
        let head = self.heads[level][slot];
        if head != NIL {
            self.entries[head as usize].prev = key;
        }
        let entry = &mut self.entries[key as usize];
        entry.prev = NIL;
        entry.next = head;
        entry.state = State::Linked {
            level: level as u8,
            slot: slot as u8,
        };
        self.heads[level][slot] = key;
        self.occupied[level] |= 1 << slot;
        self.linked += 1;
    }

    fn unlink(&mut self, key: u32) {
        let entry = &self.entries[key as usize];
        let State::Linked { level, slot } = entry.state else {
            unreachable!("unlinking a timer that is not filed");
        };
        let (level, slot, prev, next) = (level as usize, slot as usize, entry.prev, entry.next);
        if prev == NIL {
            self.heads[level][slot] = next;
        } else {
            self.entries[prev as usize].next = next;
        }
        if next != NIL {
            self.entries[next as usize].prev = prev;
        }
        if self.heads[level][slot] == NIL {
            self.occupied[level] &= !(1 << slot);
        }
        self.linked -= 1;
    }

    /// The next slot to turn: `(level, slot, tick at which it turns)`.
    fn next_slot(&self) -> Option<(usize, usize, u64)> {
        let level = self.occupied.iter().position(|&occ| occ != 0)?;
        let shift = level as u32 * SLOT_BITS;
        let pos = (self.elapsed >> shift) as u32 & (SLOTS as u32 - 1);
        // Search from the slot after the current one, so the current one comes last:
        // at the top level it holds only timers of the wheel's next turn (deadlines
        // beyond the span, clamped); below the top level it is always empty.
        let from = (pos + 1) % SLOTS as u32;
        let slot =
            (self.occupied[level].rotate_right(from).trailing_zeros() + from) as usize % SLOTS;
        let slot_range = 1u64 << shift;
        let level_range = slot_range << SLOT_BITS;
        let mut tick = (self.elapsed & !(level_range - 1)) + slot as u64 * slot_range;
        if tick <= self.elapsed {
            // Only the top level wraps: its slot belongs to the next turn of the wheel.
            tick += level_range;
        }
        Some((level, slot, tick))
    }

    /// The tick at which the next timer may fire.
    pub(crate) fn next_expiration(&self) -> Option<u64> {
        self.next_slot().map(|(_, _, tick)| tick)
    }

    /// Fires every timer due at `now_ns`, pushing their wakers onto `wakers`.
    pub(crate) fn process(&mut self, now_ns: u64, wakers: &mut Vec<Waker>) {
        let now = floor_tick(now_ns);
        while let Some((level, slot, tick)) = self.next_slot() {
            if tick > now {
                break;
            }
            self.elapsed = tick;
            self.occupied[level] &= !(1 << slot);
            let mut key = mem::replace(&mut self.heads[level][slot], NIL);
            while key != NIL {
                let entry = &mut self.entries[key as usize];
                let next = entry.next;
                self.linked -= 1;
                if entry.when <= now {
                    entry.state = State::Fired;
                    wakers.extend(entry.waker.take());
                } else {
                    self.link(key);
                }
                key = next;
            }
        }
        self.elapsed = self.elapsed.max(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::Wake;

    struct Count(AtomicUsize);
    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn waker() -> (Arc<Count>, Waker) {
        let c = Arc::new(Count(AtomicUsize::new(0)));
        (c.clone(), Waker::from(c))
    }

    const MS: u64 = 1_000_000;

    /// Fires what is due at `now_ns`, returning how many wakers came out.
    fn fire(w: &mut Wheel, now_ns: u64) -> usize {
        let mut out = Vec::new();
        w.process(now_ns, &mut out);
        out.len()
    }

    #[test]
    fn fires_in_deadline_order_never_early() {
        let mut w = Wheel::new();
        // Deadlines over every level, inserted out of order.
        let deadlines = [
            5 * MS,
            1,
            70 * MS,
            3_000 * MS,
            40_000,
            90_000 * MS,
            400 * MS,
            2 * MS,
        ];
        let mut keys = Vec::new();
        for &d in &deadlines {
            let (_, wk) = waker();
            keys.push((d, w.insert(d, wk).expect("in the future")));
        }
        let mut sorted = deadlines.to_vec();
        sorted.sort();
        // Walk the wheel from one expiration to the next, as the driver does: a turn
        // may be a deadline or a higher slot being filed again into lower ones.
        let (mut now, mut fired) = (0, 0);
        while let Some(tick) = w.next_expiration() {
            let next = tick_start(tick);
            assert!(next > now, "expirations move forward");
            let newly: Vec<u64> = sorted
                .iter()
                .copied()
                .filter(|&d| d > now && d <= next)
                .collect();
            now = next;
            fired += fire(&mut w, now);
            let due = sorted.iter().filter(|&&d| d <= now).count();
            assert_eq!(fired, due, "at {now}: fired early or missed");
            for d in newly {
                assert!(
                    now - d < 1 << TICK_SHIFT,
                    "deadline {d} fired late, at {now}"
                );
            }
        }
        assert_eq!(fired, deadlines.len());
        assert_eq!(w.len(), 0);
        assert_eq!(w.next_expiration(), None);
        for (_, k) in keys {
            let (_, wk) = waker();
            assert!(w.poll(k, &wk), "fired timers report it");
        }
    }

    #[test]
    fn removed_timers_never_fire_and_keys_are_reused() {
        let mut w = Wheel::new();
        let (count, wk) = waker();
        let a = w.insert(10 * MS, wk.clone()).unwrap();
        let b = w.insert(10 * MS, wk.clone()).unwrap();
        w.remove(a);
        assert_eq!(w.len(), 1);
        let c = w.insert(20 * MS, wk).unwrap();
        assert_eq!(c, a, "a freed key is reused");
        w.remove(b);
        assert_eq!(fire(&mut w, 15 * MS), 0);
        assert_eq!(fire(&mut w, 25 * MS), 1);
        assert_eq!(
            count.0.load(Ordering::SeqCst),
            0,
            "process only collects wakers"
        );
    }

    #[test]
    fn past_and_far_deadlines() {
        let mut w = Wheel::new();
        fire(&mut w, 50 * MS);
        let (_, wk) = waker();
        assert!(
            w.insert(10 * MS, wk.clone()).is_none(),
            "a past deadline is due at once"
        );
        // Beyond the wheel's span: parked in the top level, re-filed as it turns.
        let far = u64::MAX - 1;
        let k = w.insert(far, wk.clone()).unwrap();
        let first = w.next_expiration().unwrap();
        assert!(tick_start(first) < far);
        assert_eq!(fire(&mut w, tick_start(first)), 0, "re-filed, not fired");
        assert!(!w.poll(k, &wk));
        assert!(w.next_expiration().unwrap() > first);
        w.remove(k);
        assert_eq!(w.len(), 0);
    }

    #[test]
    fn a_timer_beyond_the_span_does_not_hide_nearer_ones() {
        const DAY: u64 = 86_400 * 1_000 * MS;
        let mut w = Wheel::new();
        fire(&mut w, tick_start(100));
        let (_, wk) = waker();
        let far = w.insert(100 * 365 * DAY, wk.clone()).unwrap();
        let near = w.insert(20 * DAY, wk.clone()).unwrap();
        let next = tick_start(w.next_expiration().unwrap());
        assert!(
            next <= 20 * DAY,
            "next expiration {next} hides the 20-day timer"
        );
        // Walk to the 20-day deadline: it fires, the far one does not.
        let mut fired = 0;
        while let Some(t) = w.next_expiration() {
            if tick_start(t) > 21 * DAY {
                break;
            }
            fired += fire(&mut w, tick_start(t));
        }
        assert_eq!(fired, 1);
        assert!(w.poll(near, &wk));
        assert!(!w.poll(far, &wk));
        w.remove(far);
    }

    #[test]
    fn many_timers_fire_exactly_once() {
        let mut w = Wheel::new();
        let (count, wk) = waker();
        let mut keys = Vec::new();
        // A spread of deadlines with collisions, up to ~10 s.
        for i in 0..20_000u64 {
            let d = (i * 7919) % (10_000 * MS) + 1;
            keys.push(w.insert(d, wk.clone()).unwrap());
        }
        // Cancel every third.
        for (i, k) in keys.iter().enumerate() {
            if i % 3 == 0 {
                w.remove(*k);
            }
        }
        let mut fired = Vec::new();
        let mut now = 0;
        while now <= 10_001 * MS {
            w.process(now, &mut fired);
            now += 3 * MS + 12_345;
        }
        let expect = keys.len() - keys.len().div_ceil(3);
        assert_eq!(fired.len(), expect);
        assert_eq!(w.len(), 0);
        drop(fired);
        assert_eq!(count.0.load(Ordering::SeqCst), 0);
    }
}
