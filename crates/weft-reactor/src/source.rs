//! A registered source: its readiness, and the tasks waiting for it.
//!
//! Readiness is edge-triggered. Each direction has an atomic word: bit 0 says "ready",
//! the bits above count the events that made it ready (the tick). The driver sets the
//! bit and bumps the tick on every event; an operation that fails with `WouldBlock`
//! clears the bit only if the tick is the one it saw before trying, so an event that
//! arrives in between is never lost. A task checks the bit without a lock; only to
//! wait does it lock `waiters`, check again, and leave its waker. The driver sets the
//! bit *before* it locks `waiters` to take the wakers, so a waiter either sees the bit
//! or leaves its waker in time.

use std::io;
use std::os::fd::RawFd;
use std::task::{Context, Poll, Waker};

use crate::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use crate::sync::{Mutex, lock};
use crate::sys::Event;

/// A direction of readiness.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dir {
    Read = 0,
    Write = 1,
}

const READY: u32 = 1;
const TICK: u32 = 2;

/// Proof that a direction was ready at a given tick: what `clear` needs.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ReadyToken(u32);

pub(crate) struct Source {
    fd: RawFd,
    key: usize,
    readiness: [AtomicU32; 2],
    closed: AtomicBool,
    /// An event said reading may have reached its end (see `drained`). Never reset.
    read_closed: AtomicBool,
    waiters: Mutex<[Waiters; 2]>,
}

/// The tasks waiting for one direction.
#[derive(Default)]
struct Waiters {
    /// The waker left by the `poll_*` methods (`AsyncRead` and friends): the last task
    /// to poll wins, as with any poll-based I/O type.
    poller: Option<Waker>,
    /// Wakers of futures (`readable()`, `read_with`, ...): each future owns a slot from
    /// its first `Pending` until it is dropped, so any number of tasks may wait.
    slots: Vec<Option<Option<Waker>>>,
    free: Vec<usize>,
}

impl Waiters {
    fn take_all(&mut self, out: &mut Vec<Waker>) {
        out.extend(self.poller.take());
        for slot in self.slots.iter_mut().flatten() {
            out.extend(slot.take());
        }
    }

    fn set(&mut self, slot: &mut Option<usize>, waker: &Waker) {
        let cell = match *slot {
            Some(i) => &mut self.slots[i],
            None => {
                let i = self.free.pop().unwrap_or_else(|| {
                    self.slots.push(None);
                    self.slots.len() - 1
                });
                *slot = Some(i);
                self.slots[i] = Some(None);
                &mut self.slots[i]
            }
        };
        match cell {
            Some(Some(w)) if w.will_wake(waker) => {}
            cell => *cell = Some(Some(waker.clone())),
        }
    }

    fn release(&mut self, slot: usize) {
        self.slots[slot] = None;
        self.free.push(slot);
    }
}

impl Source {
    pub(crate) fn new(fd: RawFd, key: usize) -> Source {
        Source {
            fd,
            key,
            readiness: [AtomicU32::new(0), AtomicU32::new(0)],
            closed: AtomicBool::new(false),
            read_closed: AtomicBool::new(false),
            waiters: Mutex::new(Default::default()),
        }
    }

    pub(crate) fn fd(&self) -> RawFd {
        self.fd
    }

    pub(crate) fn key(&self) -> usize {
        self.key
    }

    /// Records an event from the poller and collects the wakers it concerns.
    pub(crate) fn set_ready(&self, ev: Event, wakers: &mut Vec<Waker>) {
        // Before the readiness: whoever sees this event's tick sees the flag.
        if ev.read_closed {
            self.read_closed.store(true, Ordering::Release);
        }
        let dirs = [(Dir::Read, ev.readable), (Dir::Write, ev.writable)];
        for (dir, hit) in dirs {
            if hit {
                // One step: ready, and a new tick (so stale clears fail).
                let _ = self.readiness[dir as usize].fetch_update(
                    Ordering::AcqRel,
                    Ordering::Acquire,
                    |v| Some((v | READY).wrapping_add(TICK)),
                );
            }
        }
        let mut waiters = lock(&self.waiters);
        for (dir, hit) in dirs {
            if hit {
                waiters[dir as usize].take_all(wakers);
            }
        }
    }

    /// The token of `dir` if it is ready now.
    pub(crate) fn ready(&self, dir: Dir) -> Option<ReadyToken> {
        let v = self.readiness[dir as usize].load(Ordering::Acquire);
        (v & READY != 0).then_some(ReadyToken(v))
    }

    /// Clears `dir`'s readiness if no event came since `token` was taken.
    pub(crate) fn clear(&self, dir: Dir, token: ReadyToken) {
        let _ = self.readiness[dir as usize].compare_exchange(
            token.0,
            token.0 & !READY,
            Ordering::AcqRel,
            Ordering::Relaxed,
        );
    }

    /// Clears the read readiness after a read that returned less than asked, which
    /// for a stream means it emptied the buffer, unless an event said the stream may
    /// have ended: an end of stream comes with no later event, so the readiness stays
    /// and the next read sees the end at once. A `WouldBlock` (`clear`) is proof
    /// either way; a short read is proof only of "empty for now".
    pub(crate) fn drained(&self, token: ReadyToken) {
        if !self.read_closed.load(Ordering::Acquire) {
            self.clear(Dir::Read, token);
        }
    }

    fn closed_error() -> io::Error {
        io::Error::new(
            io::ErrorKind::NotConnected,
            "weft-reactor: the source was deregistered",
        )
    }

    /// Polls `dir` for a future that owns `slot` (see [`Waiters`]).
    pub(crate) fn poll_ready(
        &self,
        dir: Dir,
        slot: &mut Option<usize>,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<ReadyToken>> {
        if slot.is_none()
            && let Some(t) = self.ready(dir)
        {
            return Poll::Ready(Ok(t));
        }
        let mut waiters = lock(&self.waiters);
        let done = match self.ready(dir) {
            Some(t) => Some(Ok(t)),
            None if self.closed.load(Ordering::Acquire) => Some(Err(Source::closed_error())),
            None => None,
        };
        match done {
            Some(res) => {
                if let Some(i) = slot.take() {
                    waiters[dir as usize].release(i);
                }
                Poll::Ready(res)
            }
            None => {
                waiters[dir as usize].set(slot, cx.waker());
                Poll::Pending
            }
        }
    }

    /// Gives back a future's slot when it is dropped before completing.
    pub(crate) fn release_slot(&self, dir: Dir, slot: usize) {
        lock(&self.waiters)[dir as usize].release(slot);
    }

    /// Polls `dir` for the `poll_*` methods, which have no slot of their own.
    pub(crate) fn poll_ready_shared(
        &self,
        dir: Dir,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<ReadyToken>> {
        if let Some(t) = self.ready(dir) {
            return Poll::Ready(Ok(t));
        }
        let mut waiters = lock(&self.waiters);
        if let Some(t) = self.ready(dir) {
            return Poll::Ready(Ok(t));
        }
        if self.closed.load(Ordering::Acquire) {
            return Poll::Ready(Err(Source::closed_error()));
        }
        match &mut waiters[dir as usize].poller {
            Some(w) if w.will_wake(cx.waker()) => {}
            w => *w = Some(cx.waker().clone()),
        }
        Poll::Pending
    }

    /// Marks the source deregistered and wakes everyone still waiting on it.
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::Release);
        let mut wakers = Vec::new();
        {
            let mut waiters = lock(&self.waiters);
            for w in waiters.iter_mut() {
                w.take_all(&mut wakers);
            }
        }
        for w in wakers {
            w.wake();
        }
    }
}

/// [`Source`]'s read direction for the model-checking tests (`tests/loom_source.rs`).
#[cfg(loom)]
pub(crate) mod model {
    use std::io;
    use std::task::{Context, Poll, Waker};

    use super::{Dir, READY, ReadyToken, TICK};
    use crate::sync::atomic::Ordering;
    use crate::sys::Event;

    /// A [`super::Source`] with no descriptor behind it, used through its read
    /// direction.
    pub struct Source(super::Source);

    /// See [`super::ReadyToken`].
    #[derive(Clone, Copy, Debug)]
    pub struct Token(ReadyToken);

    impl Token {
        /// How many events the direction had seen when the token was taken.
        pub fn tick(self) -> u32 {
            self.0.0 / TICK
        }
    }

    impl Source {
        /// A source whose read direction has seen `events` events, and is still
        /// ready if `ready`.
        pub fn new(events: u32, ready: bool) -> Source {
            let s = super::Source::new(-1, 0);
            let v = (events * TICK) | if ready { READY } else { 0 };
            s.readiness[Dir::Read as usize].store(v, Ordering::SeqCst);
            Source(s)
        }

        /// See [`super::Source::set_ready`], for a readable event.
        pub fn set_readable(&self, wakers: &mut Vec<Waker>) {
            self.event(false, wakers);
        }

        /// See [`super::Source::set_ready`], for a readable event that says the
        /// stream has ended (the peer closed).
        pub fn set_read_closed(&self, wakers: &mut Vec<Waker>) {
            self.event(true, wakers);
        }

        fn event(&self, read_closed: bool, wakers: &mut Vec<Waker>) {
            let ev = Event {
                key: 0,
                readable: true,
                writable: false,
                read_closed,
            };
            self.0.set_ready(ev, wakers);
        }

        /// See [`super::Source::ready`].
        pub fn ready(&self) -> Option<Token> {
            self.0.ready(Dir::Read).map(Token)
        }

        /// See [`super::Source::clear`].
        pub fn clear(&self, token: Token) {
            self.0.clear(Dir::Read, token.0);
        }

        /// See [`super::Source::drained`].
        pub fn drained(&self, token: Token) {
            self.0.drained(token.0);
        }

        /// See [`super::Source::poll_ready`].
        pub fn poll_ready(
            &self,
            slot: &mut Option<usize>,
            cx: &mut Context<'_>,
        ) -> Poll<io::Result<Token>> {
            self.0.poll_ready(Dir::Read, slot, cx).map_ok(Token)
        }

        /// See [`super::Source::release_slot`].
        pub fn release_slot(&self, slot: usize) {
            self.0.release_slot(Dir::Read, slot);
        }

        /// See [`super::Source::poll_ready_shared`].
        pub fn poll_ready_shared(&self, cx: &mut Context<'_>) -> Poll<io::Result<Token>> {
            self.0.poll_ready_shared(Dir::Read, cx).map_ok(Token)
        }

        /// See [`super::Source::close`].
        pub fn close(&self) {
            self.0.close();
        }
    }
}
