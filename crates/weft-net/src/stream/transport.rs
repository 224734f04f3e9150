//! The writer's transport: asyncio's write buffer and background flushing, without
//! a task.
//!
//! asyncio's `StreamWriter.write` only appends to the transport's buffer, and the
//! event loop sends it whenever the socket is writable, whether or not anyone awaits
//! `drain()`. Here the buffer and the transport `W` sit behind one mutex, and `W` is
//! always polled with a waker of our own (the [`Transport`] itself): when `W` says
//! `Pending`, it is that waker the reactor keeps, and when the socket turns writable
//! the reactor's wake-up *is* the flush (it runs [`State::drive`] on the thread that
//! wakes it, after the reactor has released its locks). The task that owns the
//! writer is woken only when what it waits for has happened (the buffer fell to the
//! low-water mark, was flushed, or the close finished).
//!
//! Locking: owners (the writer's methods, the server) lock the state; a wake-up only
//! *tries* to lock it, since it may come from inside a poll of `W` that an owner is
//! running under the lock (a self-waking `W`), or from a descriptor's deregistration.
//! When the try fails it leaves `notified` set, and the holder, once it has unlocked,
//! sees the flag and drives again. The flag is stored before the try and read after
//! the unlock, with `SeqCst` fences between, so one of the two always sees the other.

use std::io;
use std::mem;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering, fence};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use std::task::{Context, Poll, Wake, Waker};

use futures_io::AsyncWrite;

/// asyncio's default high-water mark.
pub(crate) const DEFAULT_HIGH: usize = 64 * 1024;
/// An emptied write buffer larger than this gives its memory back.
const KEEP_AT_MOST: usize = 256 * 1024;
/// How many drives one wake-up runs when `W` keeps waking its waker from inside
/// its own polls; after that the owner's task is asked to poll again.
const ROUNDS: usize = 4;

/// What a waiting owner waits for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Want {
    /// The buffer at or below the low-water mark (`drain`, a `poll_write` held back).
    Drained,
    /// The buffer written and `W` flushed (`poll_flush`).
    Flushed,
    /// The close finished (`wait_closed`, `poll_close`).
    Closed,
}

pub(crate) struct State<W> {
    io: Option<W>,
    buf: Vec<u8>,
    /// `buf[..start]` is written.
    start: usize,
    high: usize,
    low: usize,
    /// Went above `high`; cleared at or below `low` (asyncio's paused protocol).
    paused: bool,
    /// Bytes were written to `W` since its last flush.
    unflushed: bool,
    /// `write_eof` or `close` asked for the write side to be shut down.
    shutdown_asked: bool,
    /// `W`'s `poll_close` finished.
    shut: bool,
    /// `close` was called.
    closing: bool,
    aborted: bool,
    /// The first failure, handed out (recreated) to every later caller.
    error: Option<(io::ErrorKind, String)>,
    /// Writes came after `write_eof` or `close` and were dropped.
    late_writes: bool,
    waiters: Vec<(Waker, Want)>,
}

pub(crate) struct Transport<W> {
    state: Mutex<State<W>>,
    notified: AtomicBool,
}

impl<W> Transport<W> {
    pub(crate) fn new(io: W) -> Arc<Transport<W>> {
        Arc::new(Transport {
            state: Mutex::new(State {
                io: Some(io),
                buf: Vec::new(),
                start: 0,
                high: DEFAULT_HIGH,
                low: DEFAULT_HIGH / 4,
                paused: false,
                unflushed: false,
                shutdown_asked: false,
                shut: false,
                closing: false,
                aborted: false,
                error: None,
                late_writes: false,
                waiters: Vec::new(),
            }),
            notified: AtomicBool::new(false),
        })
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State<W>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on `W`, if the transport still has it.
    pub(crate) fn with_io<T>(&self, f: impl FnOnce(&W) -> T) -> Option<T> {
        self.lock().io.as_ref().map(f)
    }

    /// Drops the buffer and hands `W` to `f` (outside the lock): for a server's
    /// `abort_clients`, which sets `SO_LINGER` to 0 first.
    pub(crate) fn abort(&self, f: impl FnOnce(W)) {
        let (io, waiters) = {
            let mut st = self.lock();
            st.aborted = true;
            st.clear_buf();
            st.paused = false;
            (st.io.take(), mem::take(&mut st.waiters))
        };
        if let Some(io) = io {
            f(io);
        }
        for (w, _) in waiters {
            w.wake();
        }
    }
}

impl<W: AsyncWrite + Unpin + Send + 'static> Transport<W> {
    /// Locks the state, runs `f` with a context holding the transport's own waker
    /// (`waker`), wakes the waiters whose wait is over, and runs any wake-up that
    /// came meanwhile.
    pub(crate) fn with_state<T>(
        self: &Arc<Self>,
        waker: &Waker,
        f: impl FnOnce(&mut State<W>, &mut Context<'_>) -> T,
    ) -> T {
        let mut cx = Context::from_waker(waker);
        let mut st = self.lock();
        let out = f(&mut st, &mut cx);
        let ready = st.take_ready_waiters();
        drop(st);
        for w in ready {
            w.wake();
        }
        self.run_notified();
        out
    }

    /// The wake-up's work: drive the transport if no one else holds it.
    fn run_notified(self: &Arc<Self>) {
        for _ in 0..ROUNDS {
            fence(Ordering::SeqCst);
            if !self.notified.load(Ordering::SeqCst) {
                return;
            }
            let mut st = match self.state.try_lock() {
                Ok(st) => st,
                Err(TryLockError::Poisoned(e)) => e.into_inner(),
                // The holder sees `notified` once it unlocks.
                Err(TryLockError::WouldBlock) => return,
            };
            if !self.notified.swap(false, Ordering::SeqCst) {
                return;
            }
            let waker = Waker::from(self.clone());
            st.drive(&mut Context::from_waker(&waker));
            let ready = st.take_ready_waiters();
            drop(st);
            for w in ready {
                w.wake();
            }
        }
        // `W` keeps waking itself from inside its polls (a cooperative budget, say):
        // let the owner's task, if one waits, poll again later.
        if let Ok(mut st) = self.state.try_lock() {
            for (w, _) in mem::take(&mut st.waiters) {
                w.wake();
            }
        }
    }
}

impl<W: AsyncWrite + Unpin + Send + 'static> Wake for Transport<W> {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.notified.store(true, Ordering::SeqCst);
        self.run_notified();
    }
}

impl<W> State<W> {
    pub(crate) fn buffered(&self) -> usize {
        self.buf.len() - self.start
    }

    pub(crate) fn limits(&self) -> (usize, usize) {
        (self.high, self.low)
    }

    pub(crate) fn set_limits(&mut self, high: usize, low: usize) {
        self.high = high;
        self.low = low;
        self.update_paused();
    }

    /// Whether `close` was called, or the connection is gone.
    pub(crate) fn is_closing(&self) -> bool {
        self.closing || self.aborted || self.error.is_some() || self.io.is_none()
    }

    fn is_closed(&self) -> bool {
        (self.closing && self.shut) || self.aborted || self.error.is_some() || self.io.is_none()
    }

    /// The failure, for every caller that asks.
    pub(crate) fn error(&self) -> Option<io::Error> {
        self.error
            .as_ref()
            .map(|(kind, msg)| io::Error::new(*kind, msg.clone()))
    }

    /// Writes dropped because they came after `write_eof` or `close`, reported once.
    pub(crate) fn take_late_writes_error(&mut self) -> Option<io::Error> {
        mem::take(&mut self.late_writes).then(|| {
            io::Error::new(
                io::ErrorKind::BrokenPipe,
                "data written after write_eof() or close() was dropped",
            )
        })
    }

    pub(crate) fn satisfied(&self, want: Want) -> bool {
        if self.aborted || self.error.is_some() || self.io.is_none() {
            return true;
        }
        match want {
            Want::Drained => !self.paused,
            Want::Flushed => self.buffered() == 0 && !self.unflushed,
            Want::Closed => self.is_closed(),
        }
    }

    /// Leaves `waker` to be woken once `want` is satisfied.
    pub(crate) fn wait(&mut self, want: Want, waker: &Waker) {
        match self
            .waiters
            .iter_mut()
            .find(|(w, x)| *x == want && w.will_wake(waker))
        {
            Some(_) => {}
            None => self.waiters.push((waker.clone(), want)),
        }
    }

    fn take_ready_waiters(&mut self) -> Vec<Waker> {
        if self.waiters.is_empty() {
            return Vec::new();
        }
        let (ready, waiting) = mem::take(&mut self.waiters)
            .into_iter()
            .partition(|(_, want)| self.satisfied(*want));
        self.waiters = waiting;
        ready.into_iter().map(|(w, _)| w).collect()
    }

    pub(crate) fn ask_shutdown(&mut self) {
        self.shutdown_asked = true;
    }

    pub(crate) fn ask_close(&mut self) {
        self.closing = true;
        self.shutdown_asked = true;
    }

    pub(crate) fn shutdown_asked(&self) -> bool {
        self.shutdown_asked
    }

    pub(crate) fn take_io(&mut self) -> Option<(W, Vec<u8>)> {
        let io = self.io.take()?;
        let rest = self.buf[self.start..].to_vec();
        self.clear_buf();
        Some((io, rest))
    }

    pub(crate) fn io(&self) -> Option<&W> {
        self.io.as_ref()
    }

    fn fail(&mut self, e: io::Error) {
        if self.error.is_none() {
            self.error = Some((e.kind(), e.to_string()));
        }
        self.clear_buf();
        self.paused = false;
    }

    fn clear_buf(&mut self) {
        self.buf.clear();
        self.start = 0;
        if self.buf.capacity() > KEEP_AT_MOST {
            self.buf = Vec::new();
        }
    }

    fn update_paused(&mut self) {
        let n = self.buffered();
        if n > self.high {
            self.paused = true;
        } else if n <= self.low {
            self.paused = false;
        }
    }
}

impl<W: AsyncWrite + Unpin> State<W> {
    /// asyncio's `transport.write`: sends at once what the socket takes when nothing
    /// is queued, and queues the rest.
    pub(crate) fn write(&mut self, cx: &mut Context<'_>, data: &[u8]) {
        let mut rest = data;
        if self.buffered() == 0
            && !self.shutdown_asked
            && !self.aborted
            && self.error.is_none()
            && let Some(io) = self.io.as_mut()
        {
            let (n, res) = write_some(io, cx, data);
            self.unflushed |= n > 0;
            if let Err(e) = res {
                return self.fail(e);
            }
            rest = &data[n..];
        }
        self.append(rest);
        self.drive(cx);
    }

    /// Queues `data` behind what is buffered; the next drive sends it.
    pub(crate) fn append(&mut self, data: &[u8]) {
        if self.shutdown_asked {
            self.late_writes |= !data.is_empty();
            return;
        }
        if self.aborted || self.error.is_some() || self.io.is_none() || data.is_empty() {
            return;
        }
        if self.start > 0 && self.start >= self.buf.len() / 2 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(data);
        self.update_paused();
    }

    /// Moves things along as far as `W` lets them without waiting: writes the buffer,
    /// flushes `W`, and shuts its write side down once asked and flushed. Wherever
    /// `W` says `Pending`, `cx`'s waker (the transport's) brings us back.
    pub(crate) fn drive(&mut self, cx: &mut Context<'_>) {
        if self.aborted || self.error.is_some() {
            return;
        }
        let Some(io) = self.io.as_mut() else { return };
        if self.start < self.buf.len() {
            let (n, res) = write_some(io, cx, &self.buf[self.start..]);
            self.start += n;
            self.unflushed |= n > 0;
            if let Err(e) = res {
                return self.fail(e);
            }
            if self.start == self.buf.len() {
                self.clear_buf();
            }
            self.update_paused();
            if self.buffered() > 0 {
                return;
            }
        }
        let Some(io) = self.io.as_mut() else { return };
        if self.unflushed {
            match Pin::new(&mut *io).poll_flush(cx) {
                Poll::Ready(Ok(())) => self.unflushed = false,
                Poll::Ready(Err(e)) => return self.fail(e),
                Poll::Pending => return,
            }
        }
        if self.shutdown_asked && !self.shut {
            match Pin::new(&mut *io).poll_close(cx) {
                Poll::Ready(Ok(())) => self.shut = true,
                // The peer may be gone already; a shutdown it cannot see is done.
                Poll::Ready(Err(e)) if e.kind() == io::ErrorKind::NotConnected => self.shut = true,
                Poll::Ready(Err(e)) => self.fail(e),
                Poll::Pending => {}
            }
        }
    }
}

/// Writes from `data` until `W` says `Pending` or everything is written: how many
/// bytes went, and the error that stopped it, if one did.
fn write_some<W: AsyncWrite + Unpin>(
    io: &mut W,
    cx: &mut Context<'_>,
    data: &[u8],
) -> (usize, io::Result<()>) {
    let mut done = 0;
    while done < data.len() {
        match Pin::new(&mut *io).poll_write(cx, &data[done..]) {
            Poll::Ready(Ok(0)) => return (done, Err(io::ErrorKind::WriteZero.into())),
            Poll::Ready(Ok(n)) => done += n,
            Poll::Ready(Err(e)) if e.kind() == io::ErrorKind::Interrupted => {}
            Poll::Ready(Err(e)) => return (done, Err(e)),
            Poll::Pending => break,
        }
    }
    (done, Ok(()))
}
