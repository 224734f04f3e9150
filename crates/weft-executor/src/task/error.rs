//! `JoinError`: why a task gave no value.

use std::any::Any;
use std::fmt;
use std::panic;

use super::TaskId;

/// Why awaiting a [`Task`](crate::Task) gave no value: it was cancelled, it
/// panicked (asyncio's `CancelledError` and the exception a task raised), or, for a
/// [`TaskGroup`](crate::group::TaskGroup) child, it failed and its group holds the
/// error.
///
/// # Examples
///
/// ```
/// use weft_executor::Executor;
///
/// let ex = Executor::new(1).unwrap();
/// let err = ex.block_on(async {
///     ex.spawn(async { panic!("boom") }).await.unwrap_err()
/// });
/// assert!(err.is_panic());
/// assert_eq!(err.into_panic().downcast_ref::<&str>(), Some(&"boom"));
/// ```
pub struct JoinError(Box<Inner>);

/// Boxed, so that a `JoinError` is one word: it sits in every task's output
/// (`Result<T, JoinError>`), and errors are rare.
struct Inner {
    id: TaskId,
    repr: Repr,
}

#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Result<(), JoinError>>() == 8);

enum Repr {
    Cancelled,
    Failed,
    Panicked(Box<dyn Any + Send + 'static>),
}

impl JoinError {
    // Not inlined: the rare path stays out of the task's poll.
    #[cold]
    #[inline(never)]
    pub(crate) fn cancelled(id: TaskId) -> JoinError {
        JoinError(Box::new(Inner {
            id,
            repr: Repr::Cancelled,
        }))
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn failed(id: TaskId) -> JoinError {
        JoinError(Box::new(Inner {
            id,
            repr: Repr::Failed,
        }))
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn panicked(id: TaskId, payload: Box<dyn Any + Send + 'static>) -> JoinError {
        JoinError(Box::new(Inner {
            id,
            repr: Repr::Panicked(payload),
        }))
    }

    /// Whether the task was cancelled.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::Executor;
    ///
    /// let ex = Executor::new(1).unwrap();
    /// ex.block_on(async {
    ///     let task = ex.spawn(std::future::pending::<()>());
    ///     task.cancel();
    ///     assert!(task.await.unwrap_err().is_cancelled());
    /// });
    /// ```
    pub fn is_cancelled(&self) -> bool {
        matches!(self.0.repr, Repr::Cancelled)
    }

    /// Whether the task was a [`TaskGroup`](crate::group::TaskGroup) child that
    /// failed (returned `Err` or panicked): its group's join holds the error.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::{Executor, group::TaskGroup};
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let err = ex.block_on(async {
    ///     let tg = TaskGroup::new();
    ///     let t = tg.spawn(async { Err::<(), _>("refused") });
    ///     let _ = tg.join().await;
    ///     t.await.unwrap_err()
    /// });
    /// assert!(err.is_failed() && !err.is_cancelled() && !err.is_panic());
    /// ```
    pub fn is_failed(&self) -> bool {
        matches!(self.0.repr, Repr::Failed)
    }

    /// Whether the task panicked.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::Executor;
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let err = ex.block_on(ex.spawn(async { panic!() })).unwrap_err();
    /// assert!(err.is_panic());
    /// ```
    pub fn is_panic(&self) -> bool {
        matches!(self.0.repr, Repr::Panicked(_))
    }

    /// The id of the task that failed.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::Executor;
    ///
    /// let ex = Executor::new(1).unwrap();
    /// ex.block_on(async {
    ///     let task = ex.spawn(async { panic!() });
    ///     let id = task.id();
    ///     assert_eq!(task.await.unwrap_err().id(), id);
    /// });
    /// ```
    pub fn id(&self) -> TaskId {
        self.0.id
    }

    /// The panic's payload.
    ///
    /// # Panics
    ///
    /// When the task was cancelled rather than panicked; see
    /// [`try_into_panic`](JoinError::try_into_panic).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::Executor;
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let err = ex.block_on(ex.spawn(async { std::panic::panic_any(7u8) })).unwrap_err();
    /// assert_eq!(err.into_panic().downcast_ref::<u8>(), Some(&7));
    /// ```
    pub fn into_panic(self) -> Box<dyn Any + Send + 'static> {
        self.try_into_panic()
            .unwrap_or_else(|e| panic!("`into_panic` on a JoinError that is not a panic: {e}"))
    }

    /// The panic's payload, or the error back when the task was cancelled.
    ///
    /// # Errors
    ///
    /// The error itself when the task was cancelled.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_executor::Executor;
    ///
    /// let ex = Executor::new(1).unwrap();
    /// ex.block_on(async {
    ///     let task = ex.spawn(std::future::pending::<()>());
    ///     task.cancel();
    ///     assert!(task.await.unwrap_err().try_into_panic().is_err());
    /// });
    /// ```
    pub fn try_into_panic(self) -> Result<Box<dyn Any + Send + 'static>, JoinError> {
        match self.0.repr {
            Repr::Panicked(p) => Ok(p),
            Repr::Cancelled | Repr::Failed => Err(self),
        }
    }

    /// Resumes the task's panic on the calling thread; a cancelled task's error
    /// becomes a panic with this error's message.
    ///
    /// # Examples
    ///
    /// ```should_panic
    /// use weft_executor::Executor;
    ///
    /// let ex = Executor::new(1).unwrap();
    /// let err = ex.block_on(ex.spawn(async { panic!("boom") })).unwrap_err();
    /// err.resume_unwind();
    /// ```
    pub fn resume_unwind(self) -> ! {
        match self.try_into_panic() {
            Ok(p) => panic::resume_unwind(p),
            Err(e) => panic!("{e}"),
        }
    }
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Inner { id, repr } = &*self.0;
        match repr {
            Repr::Cancelled => write!(f, "task {id} was cancelled"),
            Repr::Failed => write!(f, "task {id} failed; its TaskGroup holds the error"),
            Repr::Panicked(p) => match panic_message(p.as_ref()) {
                Some(msg) => write!(f, "task {id} panicked: {msg}"),
                None => write!(f, "task {id} panicked"),
            },
        }
    }
}

impl fmt::Debug for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Inner { id, repr } = &*self.0;
        match repr {
            Repr::Cancelled => write!(f, "JoinError::Cancelled({id})"),
            Repr::Failed => write!(f, "JoinError::Failed({id})"),
            Repr::Panicked(p) => match panic_message(p.as_ref()) {
                Some(msg) => write!(f, "JoinError::Panicked({id}, {msg:?})"),
                None => write!(f, "JoinError::Panicked({id}, ..)"),
            },
        }
    }
}

impl std::error::Error for JoinError {}

fn panic_message(p: &(dyn Any + Send)) -> Option<&str> {
    p.downcast_ref::<&str>()
        .copied()
        .or_else(|| p.downcast_ref::<String>().map(String::as_str))
}
