//! The read-write lock's protocol: a reader count and a writer bit in one atomic
//! word, writers queued on a fair [`RawLock`], and two `event-listener` queues.
//!
//! `state` is `readers * READER | WRITER`. A reader takes a share with a
//! compare-and-swap while `WRITER` is clear, and otherwise waits on `no_writer`. A
//! writer first takes `writers` (so writers queue in FIFO order among themselves),
//! then sets `WRITER`, which stops new readers, and waits on `no_readers` until the
//! readers inside have left: a writer is never starved by a stream of readers. The
//! last reader out notifies `no_readers` when `WRITER` is set. Releasing the write
//! lock clears `WRITER`, wakes the waiting readers, then hands `writers` to the next
//! writer, which sets `WRITER` again when it runs: readers that were waiting get in
//! between two writers, so neither side starves.

use std::pin::Pin;
use std::task::{Context, Poll};

use event_listener::{Event, EventListener, Listener};

use crate::lock::raw::{RawLock, Waiter};
use crate::sync::atomic::{AtomicUsize, Ordering};

const WRITER: usize = 1;
const READER: usize = 2;

pub(crate) struct RawRwLock {
    state: AtomicUsize,
    writers: RawLock,
    no_writer: Event,
    no_readers: Event,
}

impl RawRwLock {
    pub(crate) fn new() -> RawRwLock {
        RawRwLock {
            state: AtomicUsize::new(0),
            writers: RawLock::new(),
            no_writer: Event::new(),
            no_readers: Event::new(),
        }
    }

    #[inline]
    pub(crate) fn try_read(&self) -> bool {
        let mut s = self.state.load(Ordering::Relaxed);
        loop {
            if s & WRITER != 0 {
                return false;
            }
            assert!(s < usize::MAX / 2, "too many readers of one RwLock");
            match self.state.compare_exchange_weak(
                s,
                s + READER,
                Ordering::Acquire,
                Ordering::Relaxed,
            ) {
                Ok(_) => return true,
                Err(now) => s = now,
            }
        }
    }

    #[inline]
    pub(crate) fn read_unlock(&self) {
        let prev = self.state.fetch_sub(READER, Ordering::Release);
        if prev & WRITER != 0 && prev & !WRITER == READER {
            self.no_readers.notify(1);
        }
    }

    pub(crate) fn try_write(&self) -> bool {
        if !self.writers.try_lock() {
            return false;
        }
        if self
            .state
            .compare_exchange(0, WRITER, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
        {
            return true;
        }
        self.writers.unlock();
        false
    }

    pub(crate) fn write_unlock(&self) {
        self.state.fetch_and(!WRITER, Ordering::Release);
        self.no_writer.notify(usize::MAX);
        self.writers.unlock();
    }

    pub(crate) fn is_write_locked(&self) -> bool {
        self.state.load(Ordering::Relaxed) & WRITER != 0
    }

    pub(crate) fn readers(&self) -> usize {
        self.state.load(Ordering::Relaxed) / READER
    }

    fn no_readers_left(&self) -> bool {
        self.state.load(Ordering::Acquire) & !WRITER == 0
    }

    pub(crate) fn read_blocking(&self) {
        while !self.try_read() {
            let listener = self.no_writer.listen();
            if self.try_read() {
                return;
            }
            listener.wait();
        }
    }

    pub(crate) fn write_blocking(&self) {
        self.writers.lock_blocking();
        self.state.fetch_or(WRITER, Ordering::Acquire);
        while !self.no_readers_left() {
            let listener = self.no_readers.listen();
            if self.no_readers_left() {
                return;
            }
            listener.wait();
        }
    }
}

/// The state of a read future.
#[derive(Default)]
pub(crate) struct ReadWaiter {
    listener: Option<EventListener>,
}

impl ReadWaiter {
    #[inline]
    pub(crate) fn poll(&mut self, raw: &RawRwLock, cx: &mut Context<'_>) -> Poll<()> {
        loop {
            if raw.try_read() {
                self.listener = None;
                return Poll::Ready(());
            }
            match &mut self.listener {
                None => self.listener = Some(raw.no_writer.listen()),
                Some(listener) => {
                    if Pin::new(listener).poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    self.listener = None;
                }
            }
        }
    }
}

/// The state of a write future.
#[derive(Default)]
pub(crate) enum WriteWaiter {
    /// Queued for `writers`.
    #[default]
    Queued,
    Waiting(Waiter),
    /// Holds `writers` and `WRITER`; waits for the readers to leave.
    Draining(Option<EventListener>),
    Done,
}

impl WriteWaiter {
    pub(crate) fn poll(&mut self, raw: &RawRwLock, cx: &mut Context<'_>) -> Poll<()> {
        loop {
            match self {
                WriteWaiter::Queued => *self = WriteWaiter::Waiting(Waiter::new()),
                WriteWaiter::Waiting(waiter) => {
                    std::task::ready!(waiter.poll(&raw.writers, cx));
                    raw.state.fetch_or(WRITER, Ordering::Acquire);
                    *self = WriteWaiter::Draining(None);
                }
                WriteWaiter::Draining(listener) => {
                    if raw.no_readers_left() {
                        *self = WriteWaiter::Done;
                        return Poll::Ready(());
                    }
                    match listener {
                        None => *listener = Some(raw.no_readers.listen()),
                        Some(l) => {
                            if Pin::new(l).poll(cx).is_pending() {
                                return Poll::Pending;
                            }
                            *listener = None;
                        }
                    }
                }
                WriteWaiter::Done => panic!("RwLock write future polled after completion"),
            }
        }
    }

    pub(crate) fn cancel(&mut self, raw: &RawRwLock) {
        match std::mem::replace(self, WriteWaiter::Done) {
            WriteWaiter::Waiting(mut waiter) => waiter.cancel(&raw.writers),
            WriteWaiter::Draining(_) => raw.write_unlock(),
            WriteWaiter::Queued | WriteWaiter::Done => {}
        }
    }
}
