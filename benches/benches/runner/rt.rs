//! The runtimes, behind two small traits so that a workload is one generic code, and
//! the runtime/mode switch of the command line.

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::thread::{self, JoinHandle};

/// Spawning: inside the runtime (weft::spawn, tokio::spawn, ex.spawn) or through a
/// handle from a plain thread.
pub(crate) trait Spawn: Clone + Send + Sync + 'static {
    /// A handle that gives the task's output (a join error is a bug here).
    type Join<T: Send + 'static>: Future<Output = T> + Send + Unpin + 'static;
    fn spawn<F>(&self, f: F) -> Self::Join<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static;
    /// Fire and forget, detached explicitly.
    fn detach<F>(&self, f: F)
    where
        F: Future<Output = ()> + Send + 'static;
    fn yield_now() -> impl Future<Output = ()> + Send;
}

/// A runtime in one mode.
pub(crate) trait Bench {
    const NAME: &'static str;
    /// For use inside the runtime's tasks.
    type Local: Spawn;
    /// For use from a plain thread.
    type Remote: Spawn;
    fn local(&self) -> Self::Local;
    fn remote(&self) -> Self::Remote;
    /// Spawns `body` and waits, on this thread, on its handle.
    fn run<T: Send + 'static>(&self, body: impl Future<Output = T> + Send + 'static) -> T;
    /// Runs `f` on this thread; in `st` the runtime's tasks run meanwhile.
    fn block_on<T>(&self, f: impl Future<Output = T>) -> T;
}

/// A join handle whose output is a `Result`, unwrapped.
pub(crate) struct Unwrap<J>(J);

impl<T, E: Debug, J: Future<Output = Result<T, E>> + Unpin> Future for Unwrap<J> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        Pin::new(&mut self.0)
            .poll(cx)
            .map(|r| r.expect("the task failed"))
    }
}

// weft

#[derive(Clone, Copy)]
pub(crate) struct WeftLocal;

impl Spawn for WeftLocal {
    type Join<T: Send + 'static> = Unwrap<weft::Task<T>>;

    fn spawn<F>(&self, f: F) -> Self::Join<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        Unwrap(weft::spawn(f))
    }

    fn detach<F: Future<Output = ()> + Send + 'static>(&self, f: F) {
        weft::spawn(f).detach();
    }

    fn yield_now() -> impl Future<Output = ()> + Send {
        weft::yield_now()
    }
}

#[derive(Clone)]
pub(crate) struct WeftRemote(weft::Handle);

impl Spawn for WeftRemote {
    type Join<T: Send + 'static> = Unwrap<weft::Task<T>>;

    fn spawn<F>(&self, f: F) -> Self::Join<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        Unwrap(self.0.spawn(f))
    }

    fn detach<F: Future<Output = ()> + Send + 'static>(&self, f: F) {
        self.0.spawn(f).detach();
    }

    fn yield_now() -> impl Future<Output = ()> + Send {
        weft::yield_now()
    }
}

pub(crate) struct Weft(pub(crate) weft::Runtime);

impl Weft {
    pub(crate) fn new(mt2: bool) -> Weft {
        let b = weft::Runtime::builder();
        let b = if mt2 {
            b.worker_threads(2)
        } else {
            b.single_thread()
        };
        Weft(b.build().expect("weft runtime"))
    }
}

impl Bench for Weft {
    const NAME: &'static str = "weft";
    type Local = WeftLocal;
    type Remote = WeftRemote;

    fn local(&self) -> WeftLocal {
        WeftLocal
    }

    fn remote(&self) -> WeftRemote {
        WeftRemote(self.0.handle())
    }

    fn run<T: Send + 'static>(&self, body: impl Future<Output = T> + Send + 'static) -> T {
        let task = self.0.spawn(body);
        self.0.block_on(task).expect("the body task failed")
    }

    fn block_on<T>(&self, f: impl Future<Output = T>) -> T {
        self.0.block_on(f)
    }
}

// tokio

#[derive(Clone, Copy)]
pub(crate) struct TokioLocal;

impl Spawn for TokioLocal {
    type Join<T: Send + 'static> = Unwrap<tokio::task::JoinHandle<T>>;

    fn spawn<F>(&self, f: F) -> Self::Join<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        Unwrap(tokio::spawn(f))
    }

    fn detach<F: Future<Output = ()> + Send + 'static>(&self, f: F) {
        // Dropping a JoinHandle detaches the task.
        drop(tokio::spawn(f));
    }

    fn yield_now() -> impl Future<Output = ()> + Send {
        tokio::task::yield_now()
    }
}

#[derive(Clone)]
pub(crate) struct TokioRemote(tokio::runtime::Handle);

impl Spawn for TokioRemote {
    type Join<T: Send + 'static> = Unwrap<tokio::task::JoinHandle<T>>;

    fn spawn<F>(&self, f: F) -> Self::Join<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        Unwrap(self.0.spawn(f))
    }

    fn detach<F: Future<Output = ()> + Send + 'static>(&self, f: F) {
        drop(self.0.spawn(f));
    }

    fn yield_now() -> impl Future<Output = ()> + Send {
        tokio::task::yield_now()
    }
}

pub(crate) struct Tokio(pub(crate) tokio::runtime::Runtime);

impl Tokio {
    pub(crate) fn new(mt2: bool) -> Tokio {
        let mut b = if mt2 {
            let mut b = tokio::runtime::Builder::new_multi_thread();
            b.worker_threads(2);
            b
        } else {
            tokio::runtime::Builder::new_current_thread()
        };
        Tokio(b.enable_all().build().expect("tokio runtime"))
    }
}

impl Bench for Tokio {
    const NAME: &'static str = "tokio";
    type Local = TokioLocal;
    type Remote = TokioRemote;

    fn local(&self) -> TokioLocal {
        TokioLocal
    }

    fn remote(&self) -> TokioRemote {
        TokioRemote(self.0.handle().clone())
    }

    fn run<T: Send + 'static>(&self, body: impl Future<Output = T> + Send + 'static) -> T {
        let handle = self.0.spawn(body);
        self.0.block_on(handle).expect("the body task failed")
    }

    fn block_on<T>(&self, f: impl Future<Output = T>) -> T {
        self.0.block_on(f)
    }
}

// smol

#[derive(Clone, Copy)]
pub(crate) struct SmolEx(pub(crate) &'static smol::Executor<'static>);

impl Spawn for SmolEx {
    type Join<T: Send + 'static> = smol::Task<T>;

    fn spawn<F>(&self, f: F) -> Self::Join<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.0.spawn(f)
    }

    fn detach<F: Future<Output = ()> + Send + 'static>(&self, f: F) {
        // Dropping a smol Task would cancel it.
        self.0.spawn(f).detach();
    }

    fn yield_now() -> impl Future<Output = ()> + Send {
        smol::future::yield_now()
    }
}

pub(crate) struct Smol {
    /// Leaked (one per mode and process) so that tasks can hold it as `&'static`.
    pub(crate) ex: &'static smol::Executor<'static>,
    /// `mt2`: the two threads running the executor, and what stops them.
    threads: Vec<JoinHandle<()>>,
    stop: Option<smol::channel::Sender<()>>,
}

impl Smol {
    pub(crate) fn new(mt2: bool) -> Smol {
        let ex: &'static smol::Executor<'static> = Box::leak(Box::new(smol::Executor::new()));
        let (stop, stopped) = smol::channel::bounded::<()>(1);
        let threads = if mt2 {
            (0..2)
                .map(|i| {
                    let stopped = stopped.clone();
                    thread::Builder::new()
                        .name(format!("smol-{i}"))
                        .spawn(move || {
                            let _ = smol::block_on(ex.run(stopped.recv()));
                        })
                        .expect("smol thread")
                })
                .collect()
        } else {
            Vec::new()
        };
        Smol {
            ex,
            threads,
            stop: Some(stop),
        }
    }

    pub(crate) fn st(&self) -> bool {
        self.threads.is_empty()
    }
}

impl Drop for Smol {
    fn drop(&mut self) {
        drop(self.stop.take());
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Bench for Smol {
    const NAME: &'static str = "smol";
    type Local = SmolEx;
    type Remote = SmolEx;

    fn local(&self) -> SmolEx {
        SmolEx(self.ex)
    }

    fn remote(&self) -> SmolEx {
        SmolEx(self.ex)
    }

    fn run<T: Send + 'static>(&self, body: impl Future<Output = T> + Send + 'static) -> T {
        let task = self.ex.spawn(body);
        self.block_on(task)
    }

    fn block_on<T>(&self, f: impl Future<Output = T>) -> T {
        if self.st() {
            smol::block_on(self.ex.run(f))
        } else {
            smol::block_on(f)
        }
    }
}

// ---------------------------------------------------------------------------------
// The switch.
// ---------------------------------------------------------------------------------

/// `mt2` (2 worker threads) or `st` (one thread).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Mt2,
    St,
}

impl Mode {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Mode::Mt2 => "mt2",
            Mode::St => "st",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Mode> {
        match s {
            "mt2" => Some(Mode::Mt2),
            "st" => Some(Mode::St),
            _ => None,
        }
    }

    pub(crate) fn mt2(self) -> bool {
        self == Mode::Mt2
    }
}

/// Which runtime a process measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rt {
    Weft,
    Tokio,
    Smol,
}

impl Rt {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Rt::Weft => Weft::NAME,
            Rt::Tokio => Tokio::NAME,
            Rt::Smol => Smol::NAME,
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Rt> {
        [Rt::Weft, Rt::Tokio, Rt::Smol]
            .into_iter()
            .find(|r| r.name() == s)
    }
}

/// Builds the runtime `$rt` in mode `$mode` as `$b` (a `&impl Bench`) and evaluates
/// `$body` with it: one generic workload, three runtimes.
macro_rules! with_bench {
    ($rt:expr, $mode:expr, |$b:ident| $body:expr) => {{
        let mt2 = $mode.mt2();
        match $rt {
            $crate::rt::Rt::Weft => {
                let $b = &$crate::rt::Weft::new(mt2);
                $body
            }
            $crate::rt::Rt::Tokio => {
                let $b = &$crate::rt::Tokio::new(mt2);
                $body
            }
            $crate::rt::Rt::Smol => {
                let $b = &$crate::rt::Smol::new(mt2);
                $body
            }
        }
    }};
}
pub(crate) use with_bench;
