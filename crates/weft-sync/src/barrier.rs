//! [`Barrier`]: asyncio's `Barrier`, where a number of tasks wait for each other.
//!
//! The count of waiting tasks and the broken flag sit under a `std::sync::Mutex`,
//! and the waiters listen on a tagged `event-listener` queue, registered under that
//! mutex, so the queue is in arrival order. The task that completes the count trips
//! the barrier: one notification to everyone, each tagged with that waiter's arrival
//! index (`Some(i)`); `abort` and `reset` tag their notifications `None` (broken). A
//! waiter dropped before the trip removes its listener under the mutex and, if it had
//! not been notified, takes its arrival back, so the count and the indices of the
//! others stay right.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use event_listener::{Event, EventListener, IntoNotification, Listener};

use crate::error::BrokenBarrier;
use crate::sync::{Mutex, MutexGuard};

/// Tasks wait until `parties` of them have arrived: asyncio's `Barrier`.
///
/// [`wait`](Barrier::wait) completes once `parties` tasks are waiting; the barrier
/// then starts over, so it can be used again. Each completed wait gets its arrival
/// index; the last to arrive (whose arrival tripped the barrier) is the
/// [leader](BarrierWaitResult::is_leader). [`abort`](Barrier::abort) breaks the
/// barrier: waiting and later waits fail with [`BrokenBarrier`] until
/// [`reset`](Barrier::reset).
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use weft_sync::Barrier;
///
/// # weft_executor::Executor::new(1).unwrap().block_on(async {
/// let barrier = Arc::new(Barrier::new(3));
/// let tasks: Vec<_> = (0..3)
///     .map(|_| {
///         let barrier = barrier.clone();
///         weft_executor::spawn(async move { barrier.wait().await.unwrap().is_leader() })
///     })
///     .collect();
/// let mut leaders = 0;
/// for t in tasks {
///     leaders += t.await.unwrap() as usize;
/// }
/// assert_eq!(leaders, 1);
/// # });
/// ```
pub struct Barrier {
    parties: usize,
    state: Mutex<State>,
    /// Tagged with the arrival index, or `None` for broken.
    event: Event<Option<usize>>,
}

struct State {
    waiting: usize,
    broken: bool,
}

impl Barrier {
    /// A barrier for `parties` tasks.
    ///
    /// # Panics
    ///
    /// If `parties` is 0 (asyncio raises `ValueError`).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(weft_sync::Barrier::new(4).parties(), 4);
    /// ```
    pub fn new(parties: usize) -> Barrier {
        assert!(
            parties > 0,
            "Barrier::new: parties must be at least 1, not 0"
        );
        Barrier {
            parties,
            state: Mutex::new(State {
                waiting: 0,
                broken: false,
            }),
            event: Event::with_tag(),
        }
    }

    /// Waits until `parties` tasks wait.
    ///
    /// # Errors
    ///
    /// [`BrokenBarrier`] if the barrier is broken, or is aborted or reset while
    /// waiting.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropped before the barrier trips, the future withdraws its
    /// arrival (the count goes down again); dropped after, it changes nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let barrier = weft_sync::Barrier::new(1);
    /// let r = barrier.wait().await.unwrap();
    /// assert!(r.is_leader());
    /// assert_eq!(r.index(), 0);
    /// # });
    /// ```
    pub fn wait(&self) -> BarrierWait<'_> {
        BarrierWait {
            barrier: self,
            listener: None,
            done: false,
        }
    }

    /// Waits until `parties` tasks wait, blocking the thread: for plain threads,
    /// never inside async code.
    ///
    /// # Errors
    ///
    /// [`BrokenBarrier`] as for [`wait`](Barrier::wait).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// let barrier = Arc::new(weft_sync::Barrier::new(2));
    /// let t = std::thread::spawn({
    ///     let b = barrier.clone();
    ///     move || b.wait_blocking().unwrap().index()
    /// });
    /// let mine = barrier.wait_blocking().unwrap().index();
    /// assert_eq!(mine + t.join().unwrap(), 1);
    /// ```
    pub fn wait_blocking(&self) -> Result<BarrierWaitResult, BrokenBarrier> {
        match self.arrive()? {
            Ok(result) => Ok(result),
            Err(listener) => result(listener.wait()),
        }
    }

    /// Breaks the barrier: waiting and later waits fail with [`BrokenBarrier`] until
    /// [`reset`](Barrier::reset).
    ///
    /// # Examples
    ///
    /// ```
    /// let barrier = weft_sync::Barrier::new(2);
    /// barrier.abort();
    /// assert!(barrier.broken());
    /// assert!(barrier.wait_blocking().is_err());
    /// ```
    pub fn abort(&self) {
        let mut state = self.lock();
        state.broken = true;
        state.waiting = 0;
        self.event.notify(usize::MAX.tag(None));
    }

    /// Returns the barrier to its empty state: tasks waiting now fail with
    /// [`BrokenBarrier`]; a broken barrier works again.
    ///
    /// # Examples
    ///
    /// ```
    /// let barrier = weft_sync::Barrier::new(1);
    /// barrier.abort();
    /// barrier.reset();
    /// assert!(!barrier.broken());
    /// assert!(barrier.wait_blocking().is_ok());
    /// ```
    pub fn reset(&self) {
        let mut state = self.lock();
        if state.waiting > 0 {
            self.event.notify(usize::MAX.tag(None));
        }
        state.waiting = 0;
        state.broken = false;
    }

    /// How many tasks must wait for the barrier to trip.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(weft_sync::Barrier::new(2).parties(), 2);
    /// ```
    pub fn parties(&self) -> usize {
        self.parties
    }

    /// How many tasks are waiting now.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(weft_sync::Barrier::new(2).n_waiting(), 0);
    /// ```
    pub fn n_waiting(&self) -> usize {
        self.lock().waiting
    }

    /// Whether the barrier is broken.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!weft_sync::Barrier::new(2).broken());
    /// ```
    pub fn broken(&self) -> bool {
        self.lock().broken
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Arrives: trips the barrier (`Ok(Ok(leader))`), or returns the listener to wait
    /// on (`Ok(Err(listener))`).
    fn arrive(
        &self,
    ) -> Result<Result<BarrierWaitResult, EventListener<Option<usize>>>, BrokenBarrier> {
        let mut state = self.lock();
        if state.broken {
            return Err(BrokenBarrier);
        }
        let index = state.waiting;
        if index + 1 == self.parties {
            state.waiting = 0;
            let mut next = 0;
            self.event.notify(usize::MAX.tag_with(|| {
                next += 1;
                Some(next - 1)
            }));
            return Ok(Ok(BarrierWaitResult {
                index,
                leader: true,
            }));
        }
        state.waiting += 1;
        Ok(Err(self.event.listen()))
    }
}

fn result(tag: Option<usize>) -> Result<BarrierWaitResult, BrokenBarrier> {
    match tag {
        Some(index) => Ok(BarrierWaitResult {
            index,
            leader: false,
        }),
        None => Err(BrokenBarrier),
    }
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("Barrier")
            .field("parties", &self.parties)
            .field("n_waiting", &state.waiting)
            .field("broken", &state.broken)
            .finish()
    }
}

/// What a completed [`Barrier::wait`] returns.
///
/// # Examples
///
/// ```
/// let barrier = weft_sync::Barrier::new(1);
/// let r: weft_sync::BarrierWaitResult = barrier.wait_blocking().unwrap();
/// assert!(r.is_leader());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BarrierWaitResult {
    index: usize,
    leader: bool,
}

impl BarrierWaitResult {
    /// Whether this task's arrival tripped the barrier (the last to arrive, index
    /// `parties - 1`): one task per trip is the leader.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(weft_sync::Barrier::new(1).wait_blocking().unwrap().is_leader());
    /// ```
    pub fn is_leader(&self) -> bool {
        self.leader
    }

    /// The arrival index, `0..parties`, different for each task of one trip
    /// (asyncio's return value of `wait()`). Withdrawn arrivals do not count.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(weft_sync::Barrier::new(1).wait_blocking().unwrap().index(), 0);
    /// ```
    pub fn index(&self) -> usize {
        self.index
    }
}

/// The future of [`Barrier::wait`].
///
/// # Cancel safety
///
/// Cancel safe: dropped before the barrier trips, it withdraws its arrival.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let barrier = weft_sync::Barrier::new(1);
/// let fut: weft_sync::BarrierWait<'_> = barrier.wait();
/// assert!(fut.await.is_ok());
/// # });
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct BarrierWait<'a> {
    barrier: &'a Barrier,
    /// `Some` while waiting for the trip.
    listener: Option<EventListener<Option<usize>>>,
    done: bool,
}

impl Future for BarrierWait<'_> {
    type Output = Result<BarrierWaitResult, BrokenBarrier>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        assert!(!this.done, "BarrierWait polled after completion");
        let listener = match &mut this.listener {
            Some(listener) => listener,
            None => match this.barrier.arrive() {
                Err(e) => {
                    this.done = true;
                    return Poll::Ready(Err(e));
                }
                Ok(Ok(r)) => {
                    this.done = true;
                    return Poll::Ready(Ok(r));
                }
                Ok(Err(listener)) => this.listener.insert(listener),
            },
        };
        let tag = std::task::ready!(Pin::new(listener).poll(cx));
        this.listener = None;
        this.done = true;
        Poll::Ready(result(tag))
    }
}

impl Drop for BarrierWait<'_> {
    fn drop(&mut self) {
        if let Some(listener) = self.listener.take() {
            let mut state = self.barrier.lock();
            if !listener.discard() {
                // Not tripped, aborted or reset yet: take the arrival back.
                state.waiting -= 1;
            }
        }
    }
}

impl fmt::Debug for BarrierWait<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BarrierWait").finish_non_exhaustive()
    }
}
