//! The multi-thread executor: `Executor`, its `Handle`, and spawning.

pub(crate) mod idle;
mod owners;
mod worker;

pub(crate) use worker::run_task;

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::io;
use std::num::NonZeroUsize;
use std::panic::Location;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};

use async_task::ScheduleInfo;
use concurrent_queue::ConcurrentQueue;

pub use idle::IdleHook;
use idle::{Idle, Parker};

use crate::task::header::{self, Header, Job, SCHEDULED};
use crate::task::owner::OwnerId;
use crate::task::registry::Registry;
use crate::task::{Builder, Task};

/// Capacity of each worker's local run queue; more overflows to the global queue.
const LOCAL_QUEUE: usize = 256;

pub(crate) struct Shared {
    /// Held until the last handle and task are gone (see `registry`).
    pub(crate) owner: OwnerId,
    pub(crate) injector: ConcurrentQueue<Job>,
    pub(crate) workers: Box<[WorkerSlot]>,
    pub(crate) idle: Idle,
    pub(crate) hook: Option<Box<dyn IdleHook>>,
    pub(crate) shutdown: AtomicBool,
    /// No worker threads: `block_on` makes its caller worker 0.
    pub(crate) single_thread: bool,
    /// Held by the thread serving as worker 0 of a single-thread executor.
    pub(crate) main_lock: std::sync::Mutex<()>,
}

pub(crate) struct WorkerSlot {
    pub(crate) local: ConcurrentQueue<Job>,
    pub(crate) parker: Parker,
}

impl Shared {
    /// Queues a task of this executor: on this thread's worker if it is one of ours
    /// (`yielded`: behind the others, else in the LIFO slot), else globally.
    fn schedule(&self, job: Job, yielded: bool) {
        job.metadata().state.store(SCHEDULED, Ordering::Relaxed);
        if let Some(job) = worker::schedule_local(self.owner.get(), job, yielded) {
            self.push_remote(job);
        }
    }

    /// Queues a task from outside the workers: the global queue. It is unbounded and
    /// only closed at the very end of shutdown, when dropping the task is right.
    fn push_remote(&self, job: Job) {
        let _ = self.injector.push(job);
        self.notify_one();
    }

    pub(crate) fn notify_one(&self) {
        if let Some(w) = self.idle.worker_to_notify() {
            self.workers[w].parker.unpark(self.hook.as_deref());
        }
    }

    pub(crate) fn hook(&self) -> Option<&dyn IdleHook> {
        self.hook.as_deref()
    }
}

/// Every task's schedule function (see `owners`): finds the task's executor through
/// this thread's worker, or else the table of executors; a task whose executor is gone
/// is dropped.
fn schedule(job: Job, info: ScheduleInfo) {
    let header = job.metadata();
    header.state.store(SCHEDULED, Ordering::Relaxed);
    let owner = header.owner;
    if let Some(job) = worker::schedule_local(owner, job, info.woken_while_running) {
        match owners::get(owner) {
            Some(shared) => shared.push_remote(job),
            None => drop(job),
        }
    }
}

/// A handle to an [`Executor`]: spawns tasks on it from any thread. Cheap to clone.
///
/// # Examples
///
/// ```
/// use weft_executor::Executor;
///
/// let ex = Executor::new(1).unwrap();
/// let handle = ex.handle();
/// let task = std::thread::spawn(move || handle.spawn(async { 7 })).join().unwrap();
/// assert_eq!(task.join_blocking().unwrap(), 7);
/// ```
#[derive(Clone)]
pub struct Handle {
    shared: Arc<Shared>,
}

thread_local! {
    static CURRENT: RefCell<Option<Handle>> = const { RefCell::new(None) };
}

impl Handle {
    /// Spawns `future` as a task: asyncio's `create_task`.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::Executor;
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let task = ex.handle().spawn(async { "done" });
    /// assert_eq!(ex.block_on(task).unwrap(), "done");
    /// ```
    #[track_caller]
    pub fn spawn<F>(&self, future: F) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.spawn_inner(future, Builder::new(), Location::caller())
    }

    pub(crate) fn spawn_inner<F>(
        &self,
        future: F,
        builder: Builder,
        location: &'static Location<'static>,
    ) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let header = Header::new(builder.name, location, self.shared.owner.get());
        let (runnable, task) = header::spawn(future, header, schedule);
        Registry::global().insert(runnable.metadata(), runnable.waker());
        let task = Task::new(task);
        if self.shared.shutdown.load(Ordering::SeqCst) {
            drop(runnable); // the task is cancelled: awaiting it says so
        } else if builder.eager {
            // Enter only if needed: `with_current` may hold a borrow of `CURRENT`.
            let _enter = (!self.is_current()).then(|| self.enter());
            worker::run_task(runnable);
        } else {
            self.shared.schedule(runnable, false);
        }
        task
    }

    /// Runs `future` on the calling thread with this executor current; see
    /// [`Executor::block_on`]. On a single-thread executor the calling thread also
    /// runs the tasks meanwhile (one thread at a time: another caller waits its turn).
    ///
    /// # Panics
    ///
    /// When called on a worker thread of a weft executor.
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = weft_executor::Executor::builder().single_thread().build().unwrap();
    /// let h = ex.handle();
    /// assert_eq!(h.block_on(h.spawn(async { 4 })).unwrap(), 4);
    /// ```
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        assert_not_worker();
        if self.shared.single_thread {
            let _turn = self
                .shared
                .main_lock
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            worker::run_main(self.shared.clone(), 0, future)
        } else {
            let _enter = self.enter();
            crate::park::block_on(future)
        }
    }

    /// Whether tasks run only inside `block_on`, on its caller.
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = weft_executor::Executor::builder().single_thread().build().unwrap();
    /// assert!(ex.handle().is_single_thread());
    /// ```
    pub fn is_single_thread(&self) -> bool {
        self.shared.single_thread
    }

    /// The handle of the executor this thread runs tasks for (a worker, or a thread
    /// inside [`Executor::block_on`] or [`Handle::enter`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, Handle};
    ///
    /// assert!(Handle::try_current().is_none());
    /// let ex = Executor::new(1).unwrap();
    /// assert!(ex.block_on(async { Handle::try_current().is_some() }));
    /// ```
    pub fn try_current() -> Option<Handle> {
        CURRENT.with(|c| c.borrow().clone())
    }

    /// As [`try_current`](Handle::try_current).
    ///
    /// # Panics
    ///
    /// Outside a weft executor, with a message that says what to do.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, Handle};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let t = ex.block_on(async { Handle::current().spawn(async { 3 }) });
    /// assert_eq!(t.join_blocking().unwrap(), 3);
    /// ```
    pub fn current() -> Handle {
        Handle::with_current(Handle::clone)
    }

    pub(crate) fn with_current<R>(f: impl FnOnce(&Handle) -> R) -> R {
        // A shared borrow while `f` runs: nested spawns borrow again, which is fine;
        // an eager spawn on the current executor needs no `enter` (see `spawn_inner`).
        CURRENT.with(|c| match c.borrow().as_ref() {
            Some(h) => f(h),
            None => panic!(
                "weft: no runtime here: spawn from inside a task, from inside \
                 `Runtime::block_on` (or `weft::run`), or through a `Handle` with \
                 `handle.spawn(..)`"
            ),
        })
    }

    /// Whether this handle's executor is the thread's current one.
    fn is_current(&self) -> bool {
        CURRENT.with(|c| match c.try_borrow() {
            Ok(cur) => cur
                .as_ref()
                .is_some_and(|h| Arc::ptr_eq(&h.shared, &self.shared)),
            Err(_) => false,
        })
    }

    /// Makes this the current executor of the thread until the guard drops, so that
    /// [`spawn`](crate::spawn) works there.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::Executor;
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let task = {
    ///     let _guard = ex.handle().enter();
    ///     weft_executor::spawn(async { 1 })
    /// };
    /// assert_eq!(task.join_blocking().unwrap(), 1);
    /// ```
    pub fn enter(&self) -> EnterGuard {
        let prev = CURRENT.with(|c| c.replace(Some(self.clone())));
        EnterGuard { prev }
    }

    /// The live tasks of this executor, by id.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::Executor;
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let t = ex.spawn(std::future::pending::<()>());
    /// assert!(ex.handle().tasks().iter().any(|i| i.id() == t.id()));
    /// ```
    pub fn tasks(&self) -> Vec<crate::task::TaskInfo> {
        Registry::global().snapshot(Some(self.shared.owner.get()))
    }

    /// How many worker threads run this executor.
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = weft_executor::Executor::new(3).unwrap();
    /// assert_eq!(ex.handle().worker_threads(), 3);
    /// ```
    pub fn worker_threads(&self) -> usize {
        self.shared.workers.len()
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("workers", &self.shared.workers.len())
            .finish_non_exhaustive()
    }
}

/// Restores the previous current executor when dropped; see [`Handle::enter`].
#[must_use = "the executor is current only while the guard lives"]
pub struct EnterGuard {
    prev: Option<Handle>,
}

impl Drop for EnterGuard {
    fn drop(&mut self) {
        let prev = self.prev.take();
        CURRENT.with(|c| *c.borrow_mut() = prev);
    }
}

impl fmt::Debug for EnterGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnterGuard").finish_non_exhaustive()
    }
}

/// Configures an [`Executor`].
///
/// # Examples
///
/// ```
/// use weft_executor::Executor;
///
/// let ex = Executor::builder().worker_threads(2).thread_name("my-worker").build().unwrap();
/// assert_eq!(ex.handle().worker_threads(), 2);
/// ```
#[derive(Default)]
pub struct ExecutorBuilder {
    single_thread: bool,
    workers: Option<usize>,
    name: Option<String>,
    hook: Option<Box<dyn IdleHook>>,
}

impl ExecutorBuilder {
    /// How many worker threads (default: the number of cores).
    ///
    /// # Examples
    ///
    /// ```
    /// let b = weft_executor::Executor::builder().worker_threads(4);
    /// ```
    pub fn worker_threads(mut self, n: usize) -> ExecutorBuilder {
        self.workers = Some(n);
        self
    }

    /// Runs tasks on the thread that calls [`Executor::block_on`], and only while it
    /// does, with no worker thread of its own (tokio's current-thread runtime).
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = weft_executor::Executor::builder().single_thread().build().unwrap();
    /// let here = std::thread::current().id();
    /// let there = ex.block_on(ex.spawn(async { std::thread::current().id() })).unwrap();
    /// assert_eq!(here, there);
    /// ```
    pub fn single_thread(mut self) -> ExecutorBuilder {
        self.single_thread = true;
        self
    }

    /// The workers' thread name (default `weft-worker`).
    ///
    /// # Examples
    ///
    /// ```
    /// let b = weft_executor::Executor::builder().thread_name("app");
    /// ```
    pub fn thread_name(mut self, name: impl Into<String>) -> ExecutorBuilder {
        self.name = Some(name.into());
        self
    }

    /// What idle workers do instead of parking (weft's runtime: drive the reactor).
    ///
    /// # Examples
    ///
    /// See [`IdleHook`].
    pub fn idle_hook(mut self, hook: impl IdleHook) -> ExecutorBuilder {
        self.hook = Some(Box::new(hook));
        self
    }

    /// Starts the worker threads.
    ///
    /// # Errors
    ///
    /// `InvalidInput` for zero worker threads; the operating system's error when a
    /// thread cannot be started.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::Executor;
    ///
    /// assert!(Executor::builder().worker_threads(0).build().is_err());
    /// ```
    pub fn build(self) -> io::Result<Executor> {
        let n = match self.workers {
            _ if self.single_thread => 1,
            Some(0) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "weft: worker_threads must be at least 1",
                ));
            }
            Some(n) => n,
            None => thread::available_parallelism().map_or(1, NonZeroUsize::get),
        };
        let workers = (0..n)
            .map(|_| WorkerSlot {
                local: ConcurrentQueue::bounded(LOCAL_QUEUE),
                parker: Parker::new(),
            })
            .collect();
        let shared = Arc::new(Shared {
            owner: OwnerId::new(),
            injector: ConcurrentQueue::unbounded(),
            workers,
            idle: Idle::new(n),
            hook: self.hook,
            shutdown: AtomicBool::new(false),
            single_thread: self.single_thread,
            main_lock: std::sync::Mutex::new(()),
        });
        owners::register(&shared);
        let name = self.name.unwrap_or_else(|| "weft-worker".into());
        let mut ex = Executor {
            handle: Handle {
                shared: shared.clone(),
            },
            threads: Vec::with_capacity(n),
        };
        for index in 0..if self.single_thread { 0 } else { n } {
            let shared = shared.clone();
            let t = thread::Builder::new()
                .name(name.clone())
                .spawn(move || worker::run(shared, index))?;
            ex.threads.push(t);
        }
        Ok(ex)
    }
}

impl fmt::Debug for ExecutorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExecutorBuilder")
            .field("workers", &self.workers)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// A work-stealing executor run by a pool of worker threads.
///
/// Each worker has a local run queue that others steal from, and a LIFO slot for the
/// task it just woke, so a ping-pong between two tasks stays on one worker; tasks
/// spawned or woken from outside go through a global queue. An idle worker spins
/// briefly (a cross-thread wake-up costs ~22 us on a small VM, a spin ~0.1 us), then
/// parks, or waits in its [`IdleHook`]. A task that panics never takes a worker
/// down: the panic comes back to whoever awaits the task.
///
/// Dropping the executor shuts it down: the workers stop and join, and every task
/// still pending is dropped (its handle then reports it cancelled).
///
/// # Examples
///
/// ```
/// use weft_executor::Executor;
///
/// let ex = Executor::new(2).unwrap();
/// let total: u64 = ex.block_on(async {
///     let tasks: Vec<_> = (0..10u64).map(|i| ex.spawn(async move { i * i })).collect();
///     let mut total = 0;
///     for t in tasks {
///         total += t.await.unwrap();
///     }
///     total
/// });
/// assert_eq!(total, 285);
/// ```
pub struct Executor {
    handle: Handle,
    threads: Vec<JoinHandle<()>>,
}

impl Executor {
    /// An executor with `workers` threads.
    ///
    /// # Errors
    ///
    /// As [`ExecutorBuilder::build`].
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = weft_executor::Executor::new(2).unwrap();
    /// ```
    pub fn new(workers: usize) -> io::Result<Executor> {
        Executor::builder().worker_threads(workers).build()
    }

    /// A builder, for more options.
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = weft_executor::Executor::builder().worker_threads(1).build().unwrap();
    /// ```
    pub fn builder() -> ExecutorBuilder {
        ExecutorBuilder::default()
    }

    /// A handle for spawning from anywhere.
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = weft_executor::Executor::new(1).unwrap();
    /// let h = ex.handle();
    /// ```
    pub fn handle(&self) -> Handle {
        self.handle.clone()
    }

    /// Spawns `future` as a task; see [`Handle::spawn`].
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = weft_executor::Executor::new(1).unwrap();
    /// assert_eq!(ex.spawn(async { 1 }).join_blocking().unwrap(), 1);
    /// ```
    #[track_caller]
    pub fn spawn<F>(&self, future: F) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.handle
            .spawn_inner(future, Builder::new(), Location::caller())
    }

    /// Runs `future` on the calling thread, with this executor current (so `spawn`
    /// works inside), parking the thread while the future waits.
    ///
    /// # Panics
    ///
    /// When called on a worker thread of a weft executor: that would stop the worker
    /// (and on a one-worker executor, deadlock). Spawn a task and await it instead.
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = weft_executor::Executor::new(1).unwrap();
    /// assert_eq!(ex.block_on(async { 1 + 1 }), 2);
    /// ```
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.handle.block_on(future)
    }

    /// Stops the workers and drops every pending task; what dropping does, with the
    /// handles to the worker threads joined before it returns.
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = weft_executor::Executor::new(1).unwrap();
    /// let t = ex.spawn(std::future::pending::<()>());
    /// ex.shutdown();
    /// assert!(t.join_blocking().unwrap_err().is_cancelled());
    /// ```
    pub fn shutdown(mut self) {
        self.shutdown_inner();
    }

    fn shutdown_inner(&mut self) {
        let shared = &self.handle.shared;
        shared.shutdown.store(true, Ordering::SeqCst);
        for w in shared.workers.iter() {
            w.parker.unpark(shared.hook());
        }
        let _ = shared.idle.take_all();
        let me = thread::current().id();
        for t in self.threads.drain(..) {
            if t.thread().id() != me {
                let _ = t.join();
            }
        }
        // Drop every task that is still pending.
        Registry::global().drop_tasks_of(shared.owner.get(), || {
            let mut dropped = 0;
            while let Ok(r) = shared.injector.pop() {
                drop(r);
                dropped += 1;
            }
            for w in shared.workers.iter() {
                while let Ok(r) = w.local.pop() {
                    drop(r);
                    dropped += 1;
                }
            }
            dropped
        });
        // A spawn racing with this shutdown from another thread finds the global
        // queue closed: its task is dropped (and reported cancelled), never stranded.
        shared.injector.close();
        while let Ok(r) = shared.injector.pop() {
            drop(r);
        }
        // Later wakes find no executor and drop their tasks.
        owners::unregister(shared.owner.get());
    }
}

impl Drop for Executor {
    fn drop(&mut self) {
        self.shutdown_inner();
    }
}

impl fmt::Debug for Executor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Executor")
            .field("workers", &self.threads.len())
            .finish_non_exhaustive()
    }
}

/// Panics if the calling thread is a worker of a weft executor.
pub fn assert_not_worker() {
    assert!(
        !worker::is_worker(),
        "weft: `block_on` called from inside a runtime worker; it would block the \
         worker. Spawn a task and `.await` it instead"
    );
}
