//! Tasks: handles, ids, names, the task being run, every live task, and yielding.
//!
//! asyncio's `create_task`, `Task`, `current_task`, `all_tasks` and `sleep(0)`.

mod builder;
mod chunked;
mod error;
mod handle;
pub(crate) mod header;
pub(crate) mod owner;
pub(crate) mod registry;
mod yield_now;

use std::fmt;
use std::panic::Location;
use std::sync::Arc;

pub use builder::Builder;
pub use error::JoinError;
pub use handle::Task;
pub use header::{TaskId, TaskState};
pub use yield_now::{YieldNow, yield_now};

use header::Header;
use registry::Registry;

/// What a task is: its id, name, where it was spawned, and its state when looked at.
///
/// # Examples
///
/// ```
/// use weft_executor::{Executor, task};
///
/// let ex = Executor::new(1).unwrap();
/// let info = ex.block_on(ex.spawn(async { task::current().unwrap() })).unwrap();
/// assert!(info.location().file().ends_with(".rs"));
/// ```
#[derive(Clone)]
pub struct TaskInfo {
    id: TaskId,
    name: Option<Arc<str>>,
    location: &'static Location<'static>,
    state: TaskState,
}

impl TaskInfo {
    pub(crate) fn from_header(h: &Header) -> TaskInfo {
        TaskInfo {
            id: h.id,
            name: h.name().cloned(),
            location: h.location(),
            state: h.state(),
        }
    }

    /// The task's id.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, task};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let t = ex.spawn(async { task::current().unwrap().id() });
    /// let id = t.id();
    /// assert_eq!(ex.block_on(t).unwrap(), id);
    /// ```
    pub fn id(&self) -> TaskId {
        self.id
    }

    /// The task's name, if it has one.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, task::{self, Builder}};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let t = Builder::new().name("worker").spawn_on(&ex.handle(), async {
    ///     task::current().unwrap().name().map(String::from)
    /// });
    /// assert_eq!(ex.block_on(t).unwrap().as_deref(), Some("worker"));
    /// ```
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Where the task was spawned.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, task};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let line = line!() + 1;
    /// let t = ex.spawn(async { task::current().unwrap().location().line() });
    /// assert_eq!(ex.block_on(t).unwrap(), line);
    /// ```
    pub fn location(&self) -> &'static Location<'static> {
        self.location
    }

    /// The task's state when this was taken.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, task::{self, TaskState}};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let t = ex.spawn(async { task::current().unwrap().state() });
    /// assert_eq!(ex.block_on(t).unwrap(), TaskState::Running);
    /// ```
    pub fn state(&self) -> TaskState {
        self.state
    }
}

impl fmt::Debug for TaskInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskInfo")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("location", &format_args!("{}", self.location))
            .field("state", &self.state)
            .finish()
    }
}

/// The task running on this thread, if any: asyncio's `current_task()`.
///
/// # Examples
///
/// ```
/// use weft_executor::{Executor, task};
///
/// assert!(task::current().is_none()); // not inside a task
/// let ex = Executor::new(1).unwrap();
/// assert!(ex.block_on(ex.spawn(async { task::current().is_some() })).unwrap());
/// ```
pub fn current() -> Option<TaskInfo> {
    header::with_current(|h| h.map(TaskInfo::from_header))
}

/// Every live task of every weft executor in the process, by id: asyncio's
/// `all_tasks()`. A task leaves the list when it finishes.
///
/// # Examples
///
/// ```
/// use weft_executor::{Executor, task};
///
/// let ex = Executor::new(1).unwrap();
/// let t = task::Builder::new().name("idle").spawn_on(&ex.handle(), std::future::pending::<()>());
/// assert!(task::all().iter().any(|i| i.id() == t.id() && i.name() == Some("idle")));
/// t.cancel();
/// ```
pub fn all() -> Vec<TaskInfo> {
    Registry::global().snapshot(None)
}
