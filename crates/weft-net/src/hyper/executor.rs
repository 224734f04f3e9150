//! `HyperExecutor`: hyper's executor on weft-net's `Spawn`.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use crate::Spawn;

/// hyper's [`Executor`](hyper::rt::Executor) on a [`Spawn`]: the tasks hyper starts
/// (an HTTP/2 connection's streams, a client connection's background work) are
/// spawned the same way weft-net's servers spawn a task per connection.
///
/// Any `Fn(Pin<Box<dyn Future<Output = ()> + Send>>)` is a [`Spawn`], so a closure
/// that calls weft's `spawn` (or tokio's, or a thread pool's) will do. Cloning is
/// cheap (an `Arc`).
///
/// # Examples
///
/// ```
/// use std::pin::Pin;
/// use std::sync::mpsc;
/// use hyper::rt::Executor;
/// use weft_net::hyper::HyperExecutor;
///
/// type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;
/// let ex = weft_executor::Executor::new(1).unwrap();
/// let handle = ex.handle();
/// let hyper_ex = HyperExecutor::new(move |f: BoxFuture| handle.spawn(f).detach());
///
/// let (tx, rx) = mpsc::channel();
/// hyper_ex.execute(async move { tx.send(42).unwrap() });
/// assert_eq!(rx.recv().unwrap(), 42);
/// ```
pub struct HyperExecutor<S> {
    spawn: Arc<S>,
}

impl<S: Spawn> HyperExecutor<S> {
    /// An executor that spawns through `spawn`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::pin::Pin;
    /// use std::sync::mpsc;
    /// use hyper::rt::Executor;
    /// use weft_net::hyper::HyperExecutor;
    ///
    /// type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;
    /// // Each task on a thread of its own (weft's reactor wakes it there too).
    /// let ex = HyperExecutor::new(|f: BoxFuture| {
    ///     std::thread::spawn(move || weft_reactor::block_on(f));
    /// });
    /// let (tx, rx) = mpsc::channel();
    /// ex.execute(async move { tx.send("ran").unwrap() });
    /// assert_eq!(rx.recv().unwrap(), "ran");
    /// ```
    pub fn new(spawn: S) -> HyperExecutor<S> {
        HyperExecutor {
            spawn: Arc::new(spawn),
        }
    }
}

impl<S> Clone for HyperExecutor<S> {
    fn clone(&self) -> Self {
        HyperExecutor {
            spawn: self.spawn.clone(),
        }
    }
}

impl<S> fmt::Debug for HyperExecutor<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperExecutor").finish_non_exhaustive()
    }
}

impl<S, Fut> hyper::rt::Executor<Fut> for HyperExecutor<S>
where
    S: Spawn,
    Fut: Future + Send + 'static,
    Fut::Output: Send + 'static,
{
    fn execute(&self, fut: Fut) {
        self.spawn.spawn(Box::pin(async move {
            fut.await;
        }));
    }
}
