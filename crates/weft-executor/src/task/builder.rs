//! `task::Builder`: spawn with a name, or eagerly.

use std::future::Future;
use std::panic::Location;
use std::sync::Arc;

use super::Task;
use crate::Handle;

/// Spawns a task with options: a name, an eager start.
///
/// # Examples
///
/// ```
/// use weft_executor::{Executor, task::Builder};
///
/// let ex = Executor::new(1).unwrap();
/// let task = Builder::new().name("greeter").spawn_on(&ex.handle(), async { "hello" });
/// assert_eq!(task.name(), Some("greeter"));
/// assert_eq!(ex.block_on(task).unwrap(), "hello");
/// ```
#[derive(Debug, Default, Clone)]
pub struct Builder {
    pub(crate) name: Option<Arc<str>>,
    pub(crate) eager: bool,
}

impl Builder {
    /// A builder with no name that starts tasks lazily.
    ///
    /// # Examples
    ///
    /// ```
    /// let b = weft_executor::task::Builder::new();
    /// ```
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Names the task: it shows in [`Task::name`], [`current`](super::current) and
    /// [`all`](super::all).
    ///
    /// # Examples
    ///
    /// ```
    /// let b = weft_executor::task::Builder::new().name("fetch");
    /// ```
    pub fn name(mut self, name: impl Into<Arc<str>>) -> Builder {
        self.name = Some(name.into());
        self
    }

    /// Runs the task's first poll inline, on the spawning thread, before `spawn`
    /// returns (asyncio's eager task factory): a task that finishes without waiting
    /// never touches a queue.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, task::Builder};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let task = Builder::new().eager(true).spawn_on(&ex.handle(), async { 5 });
    /// assert!(task.is_finished());
    /// ```
    pub fn eager(mut self, eager: bool) -> Builder {
        self.eager = eager;
        self
    }

    /// Spawns `future` on the executor of the current thread.
    ///
    /// # Panics
    ///
    /// Outside a weft executor (see [`spawn`](crate::spawn)).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, task::Builder};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let n = ex.block_on(async { Builder::new().name("child").spawn(async { 1 }).await });
    /// assert_eq!(n.unwrap(), 1);
    /// ```
    #[track_caller]
    pub fn spawn<F>(self, future: F) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let location = Location::caller();
        Handle::with_current(|h| h.spawn_inner(future, self, location))
    }

    /// Spawns `future` on the executor behind `handle`.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, task::Builder};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let t = Builder::new().spawn_on(&ex.handle(), async { 2 });
    /// assert_eq!(ex.block_on(t).unwrap(), 2);
    /// ```
    #[track_caller]
    pub fn spawn_on<F>(self, handle: &Handle, future: F) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        handle.spawn_inner(future, self, Location::caller())
    }
}
