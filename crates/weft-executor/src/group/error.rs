//! `ErrorGroup` and `Failure`: what a `TaskGroup`'s failed children left behind.

use std::any::Any;
use std::fmt;
use std::panic;

use crate::TaskId;

/// One child of a [`TaskGroup`](super::TaskGroup) that failed: its error, or its
/// panic's payload.
///
/// # Examples
///
/// ```
/// use weft_executor::{Executor, group::TaskGroup};
///
/// let ex = Executor::new(1).unwrap();
/// let failures = ex.block_on(async {
///     let tg = TaskGroup::new();
///     tg.spawn(async { Err::<(), _>("no route") }).detach();
///     tg.join().await.unwrap_err().into_failures()
/// });
/// assert_eq!(failures[0].error(), Some(&"no route"));
/// ```
#[non_exhaustive]
pub enum Failure<E> {
    /// The child returned `Err(error)`.
    Error {
        /// The child's id.
        task: TaskId,
        /// What it returned.
        error: E,
    },
    /// The child panicked.
    Panic {
        /// The child's id.
        task: TaskId,
        /// The panic's payload.
        payload: Box<dyn Any + Send + 'static>,
    },
}

impl<E> Failure<E> {
    /// The id of the child that failed.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, group::TaskGroup};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let (id, failures) = ex.block_on(async {
    ///     let tg = TaskGroup::new();
    ///     let t = tg.spawn(async { Err::<(), _>(1) });
    ///     (t.id(), tg.join().await.unwrap_err().into_failures())
    /// });
    /// assert_eq!(failures[0].task(), id);
    /// ```
    pub fn task(&self) -> TaskId {
        match self {
            Failure::Error { task, .. } | Failure::Panic { task, .. } => *task,
        }
    }

    /// The error the child returned, if it did not panic.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, group::TaskGroup};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let failures = ex.block_on(async {
    ///     let tg = TaskGroup::<&str>::new();
    ///     tg.spawn(async { panic!("boom") as Result<(), _> }).detach();
    ///     tg.join().await.unwrap_err().into_failures()
    /// });
    /// assert!(failures[0].error().is_none() && failures[0].is_panic());
    /// ```
    pub fn error(&self) -> Option<&E> {
        match self {
            Failure::Error { error, .. } => Some(error),
            Failure::Panic { .. } => None,
        }
    }

    /// Whether the child panicked.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, group::TaskGroup};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let err = ex.block_on(async {
    ///     let tg = TaskGroup::<()>::new();
    ///     tg.spawn(async { Err::<(), _>(()) }).detach();
    ///     tg.join().await.unwrap_err()
    /// });
    /// assert!(!err.failures()[0].is_panic());
    /// ```
    pub fn is_panic(&self) -> bool {
        matches!(self, Failure::Panic { .. })
    }

    /// Resumes the child's panic on this thread, or panics with the error's
    /// description if the child returned an error.
    ///
    /// # Examples
    ///
    /// ```should_panic
    /// use weft_executor::{Executor, group::TaskGroup};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let err = ex.block_on(async {
    ///     let tg = TaskGroup::<()>::new();
    ///     tg.spawn(async { panic!("boom") as Result<(), _> }).detach();
    ///     tg.join().await.unwrap_err()
    /// });
    /// err.into_failures().remove(0).resume_unwind();
    /// ```
    pub fn resume_unwind(self) -> ! {
        match self {
            Failure::Panic { payload, .. } => panic::resume_unwind(payload),
            Failure::Error { task, .. } => panic!("task {task} of a TaskGroup returned an error"),
        }
    }
}

impl<E: fmt::Debug> fmt::Debug for Failure<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Error { task, error } => f
                .debug_struct("Error")
                .field("task", task)
                .field("error", error)
                .finish(),
            Failure::Panic { task, payload } => f
                .debug_struct("Panic")
                .field("task", task)
                .field("message", &panic_message(payload.as_ref()))
                .finish(),
        }
    }
}

impl<E: fmt::Display> fmt::Display for Failure<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Error { task, error } => write!(f, "task {task} failed: {error}"),
            Failure::Panic { task, payload } => match panic_message(payload.as_ref()) {
                Some(msg) => write!(f, "task {task} panicked: {msg}"),
                None => write!(f, "task {task} panicked"),
            },
        }
    }
}

fn panic_message(p: &(dyn Any + Send)) -> Option<&str> {
    p.downcast_ref::<&str>()
        .copied()
        .or_else(|| p.downcast_ref::<String>().map(String::as_str))
}

/// Every failure of a [`TaskGroup`](super::TaskGroup)'s children, in the order they
/// happened: asyncio's `ExceptionGroup`. Not empty.
///
/// # Examples
///
/// ```
/// use weft_executor::{Executor, group::TaskGroup};
///
/// let ex = Executor::new(1).unwrap();
/// let err = ex.block_on(async {
///     let tg = TaskGroup::new();
///     tg.spawn(async { Err::<(), _>("disk full") }).detach();
///     tg.join().await.unwrap_err()
/// });
/// assert_eq!(err.len(), 1);
/// let id = err.failures()[0].task();
/// assert_eq!(
///     err.to_string(),
///     format!("1 task of a TaskGroup failed; the first: task {id} failed: disk full"),
/// );
/// ```
pub struct ErrorGroup<E> {
    failures: Vec<Failure<E>>,
}

impl<E> ErrorGroup<E> {
    pub(super) fn new(failures: Vec<Failure<E>>) -> ErrorGroup<E> {
        debug_assert!(!failures.is_empty());
        ErrorGroup { failures }
    }

    /// The failures, first to last.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, group::TaskGroup};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let err = ex.block_on(async {
    ///     let tg = TaskGroup::new();
    ///     tg.spawn(async { Err::<(), _>(7) }).detach();
    ///     tg.join().await.unwrap_err()
    /// });
    /// assert_eq!(err.failures()[0].error(), Some(&7));
    /// ```
    pub fn failures(&self) -> &[Failure<E>] {
        &self.failures
    }

    /// The failures, first to last, by value.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, group::{Failure, TaskGroup}};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let err = ex.block_on(async {
    ///     let tg = TaskGroup::new();
    ///     tg.spawn(async { Err::<(), _>(String::from("gone")) }).detach();
    ///     tg.join().await.unwrap_err()
    /// });
    /// match err.into_failures().remove(0) {
    ///     Failure::Error { error, .. } => assert_eq!(error, "gone"),
    ///     _ => unreachable!(),
    /// }
    /// ```
    pub fn into_failures(self) -> Vec<Failure<E>> {
        self.failures
    }

    /// How many children failed.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, group::TaskGroup};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let err = ex.block_on(async {
    ///     let tg = TaskGroup::<()>::new();
    ///     tg.spawn(async { Err::<(), _>(()) }).detach();
    ///     tg.join().await.unwrap_err()
    /// });
    /// assert_eq!(err.len(), 1);
    /// ```
    #[allow(clippy::len_without_is_empty)] // never empty
    pub fn len(&self) -> usize {
        self.failures.len()
    }
}

impl<E: fmt::Debug> fmt::Debug for ErrorGroup<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ErrorGroup").field(&self.failures).finish()
    }
}

impl<E: fmt::Display> fmt::Display for ErrorGroup<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.failures.len();
        let tasks = if n == 1 { "task" } else { "tasks" };
        write!(
            f,
            "{n} {tasks} of a TaskGroup failed; the first: {}",
            self.failures[0]
        )
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for ErrorGroup<E> {}
