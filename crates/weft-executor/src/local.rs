//! `LocalExecutor`: tasks that are not `Send`, on the thread that owns them.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::panic::Location;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

use concurrent_queue::ConcurrentQueue;

use crate::executor::run_task;
use crate::task::header::{self, Header, Job, SCHEDULED};
use crate::task::owner::OwnerId;
use crate::task::registry::Registry;
use crate::task::{Builder, Task};

/// How many tasks run between two looks at the main future.
const BATCH: usize = 64;

struct Shared {
    /// Held until the executor and its tasks are gone (see `registry`).
    owner: OwnerId,
    queue: ConcurrentQueue<Job>,
    /// The main future of `block_on` was woken.
    main_woken: AtomicBool,
    /// The owning thread is parked, or about to park.
    sleeping: AtomicBool,
    thread: Thread,
}

impl Shared {
    fn wake_owner(&self) {
        if self.sleeping.load(Ordering::SeqCst) {
            self.thread.unpark();
        }
    }
}

struct MainWaker(Arc<Shared>);

impl Wake for MainWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if !self.0.main_woken.swap(true, Ordering::SeqCst) {
            self.0.wake_owner();
        }
    }
}

/// An executor for futures that are not `Send`, run on the thread that created it,
/// inside its [`block_on`](LocalExecutor::block_on).
///
/// Tasks may be woken from any thread. I/O and timers of the reactor work in local
/// tasks like anywhere else (the reactor's fallback thread drives it when no runtime
/// does). Dropping the executor drops its pending tasks.
///
/// # Examples
///
/// ```
/// use std::cell::RefCell;
/// use std::rc::Rc;
/// use weft_executor::LocalExecutor;
///
/// let ex = LocalExecutor::new();
/// let log = Rc::new(RefCell::new(Vec::new())); // not Send
/// let l = log.clone();
/// let task = ex.spawn(async move { l.borrow_mut().push("task") });
/// ex.block_on(task).unwrap();
/// assert_eq!(*log.borrow(), ["task"]);
/// ```
pub struct LocalExecutor {
    shared: Arc<Shared>,
    /// Not `Send`: its tasks must stay on this thread.
    _local: PhantomData<*const ()>,
}

impl LocalExecutor {
    /// An executor owned by the calling thread.
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = weft_executor::LocalExecutor::new();
    /// ```
    pub fn new() -> LocalExecutor {
        LocalExecutor {
            shared: Arc::new(Shared {
                owner: OwnerId::new(),
                queue: ConcurrentQueue::unbounded(),
                main_woken: AtomicBool::new(true),
                sleeping: AtomicBool::new(false),
                thread: thread::current(),
            }),
            _local: PhantomData,
        }
    }

    /// Spawns a task, which runs when this thread is inside
    /// [`block_on`](LocalExecutor::block_on).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::rc::Rc;
    ///
    /// let ex = weft_executor::LocalExecutor::new();
    /// let shared = Rc::new(5);
    /// let task = ex.spawn(async move { *shared + 1 });
    /// assert_eq!(ex.block_on(task).unwrap(), 6);
    /// ```
    #[track_caller]
    pub fn spawn<F>(&self, future: F) -> Task<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        self.spawn_with(Builder::new(), future, Location::caller())
    }

    /// Spawns with the options of a [`Builder`] (a name; eager start).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{LocalExecutor, task::Builder};
    ///
    /// let ex = LocalExecutor::new();
    /// let task = ex.spawn_with_builder(Builder::new().name("local"), async { 1 });
    /// assert_eq!(task.name(), Some("local"));
    /// ```
    #[track_caller]
    pub fn spawn_with_builder<F>(&self, builder: Builder, future: F) -> Task<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        self.spawn_with(builder, future, Location::caller())
    }

    fn spawn_with<F>(
        &self,
        builder: Builder,
        future: F,
        location: &'static Location<'static>,
    ) -> Task<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let shared = self.shared.clone();
        let schedule = move |r: Job| {
            r.metadata().state.store(SCHEDULED, Ordering::Relaxed);
            // Unbounded and never closed while the executor lives.
            let _ = shared.queue.push(r);
            shared.wake_owner();
        };
        let header = Header::new(builder.name, location, self.shared.owner.get());
        let (runnable, task) = header::spawn_local(future, header, schedule);
        Registry::global().insert(runnable.metadata(), runnable.waker());
        if builder.eager {
            run_task(runnable);
        } else {
            runnable.schedule();
        }
        Task::new(task)
    }

    /// Runs one queued task, if any; returns whether it did.
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = weft_executor::LocalExecutor::new();
    /// let task = ex.spawn(async { 3 });
    /// assert!(ex.try_tick());
    /// assert!(!ex.try_tick());
    /// assert!(task.is_finished());
    /// ```
    pub fn try_tick(&self) -> bool {
        match self.shared.queue.pop() {
            Ok(r) => {
                run_task(r);
                true
            }
            Err(_) => false,
        }
    }

    /// Runs `future` and the executor's tasks on this thread until `future`
    /// completes, parking the thread when there is nothing to do.
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = weft_executor::LocalExecutor::new();
    /// let a = ex.spawn(async { 1 });
    /// let b = ex.spawn(async { 2 });
    /// let sum = ex.block_on(async { a.await.unwrap() + b.await.unwrap() });
    /// assert_eq!(sum, 3);
    /// ```
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        let shared = &self.shared;
        let waker = Waker::from(Arc::new(MainWaker(shared.clone())));
        let mut cx = Context::from_waker(&waker);
        let mut future = pin!(future);
        shared.main_woken.store(true, Ordering::SeqCst);
        loop {
            if shared.main_woken.swap(false, Ordering::SeqCst)
                && let Poll::Ready(out) = future.as_mut().poll(&mut cx)
            {
                return out;
            }
            let mut ran = 0;
            while ran < BATCH && self.try_tick() {
                ran += 1;
            }
            if ran == BATCH {
                Registry::global().sweep_due();
            }
            if ran > 0 {
                continue;
            }
            // Free what finished tasks left in the registry before going idle.
            Registry::global().sweep_idle();
            shared.sleeping.store(true, Ordering::SeqCst);
            while shared.queue.is_empty() && !shared.main_woken.load(Ordering::SeqCst) {
                thread::park();
            }
            shared.sleeping.store(false, Ordering::SeqCst);
        }
    }
}

impl Default for LocalExecutor {
    fn default() -> LocalExecutor {
        LocalExecutor::new()
    }
}

impl Drop for LocalExecutor {
    fn drop(&mut self) {
        let queue = &self.shared.queue;
        Registry::global().drop_tasks_of(self.shared.owner.get(), || {
            let mut dropped = 0;
            while let Ok(r) = queue.pop() {
                drop(r);
                dropped += 1;
            }
            dropped
        });
    }
}

impl fmt::Debug for LocalExecutor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalExecutor")
            .field("queued", &self.shared.queue.len())
            .finish_non_exhaustive()
    }
}
