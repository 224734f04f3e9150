//! The errors of the queues.

use std::error::Error;
use std::fmt;

/// Why [`put_nowait`](crate::queue::GenericQueue::put_nowait) did not add the item; the item is
/// handed back.
///
/// # Examples
///
/// ```
/// use weft_sync::Queue;
/// use weft_sync::queue::PutError;
///
/// let q = Queue::new(1);
/// q.put_nowait(1).unwrap();
/// assert!(matches!(q.put_nowait(2), Err(PutError::Full(2))));
/// q.shutdown(false);
/// assert_eq!(q.put_nowait(3).unwrap_err().into_inner(), 3);
/// ```
#[non_exhaustive]
pub enum PutError<T> {
    /// The queue holds `maxsize` items (asyncio's `QueueFull`).
    Full(T),
    /// The queue was shut down (asyncio's `QueueShutDown`).
    ShutDown(T),
}

impl<T> PutError<T> {
    /// The item that was not added.
    ///
    /// # Examples
    ///
    /// ```
    /// let q = weft_sync::Queue::new(1);
    /// q.put_nowait("a").unwrap();
    /// assert_eq!(q.put_nowait("b").unwrap_err().into_inner(), "b");
    /// ```
    pub fn into_inner(self) -> T {
        match self {
            PutError::Full(item) | PutError::ShutDown(item) => item,
        }
    }
}

impl<T> fmt::Debug for PutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PutError::Full(_) => f.write_str("Full(..)"),
            PutError::ShutDown(_) => f.write_str("ShutDown(..)"),
        }
    }
}

impl<T> fmt::Display for PutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PutError::Full(_) => f.write_str("queue full"),
            PutError::ShutDown(_) => f.write_str("queue shut down"),
        }
    }
}

impl<T> Error for PutError<T> {}

/// Why [`get_nowait`](crate::queue::GenericQueue::get_nowait) returned no item.
///
/// # Examples
///
/// ```
/// use weft_sync::Queue;
/// use weft_sync::queue::GetError;
///
/// let q: Queue<u8> = Queue::new(0);
/// assert_eq!(q.get_nowait(), Err(GetError::Empty));
/// q.shutdown(false);
/// assert_eq!(q.get_nowait(), Err(GetError::ShutDown));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GetError {
    /// The queue holds no item (asyncio's `QueueEmpty`).
    Empty,
    /// The queue was shut down and holds no item (asyncio's `QueueShutDown`).
    ShutDown,
}

impl fmt::Display for GetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GetError::Empty => f.write_str("queue empty"),
            GetError::ShutDown => f.write_str("queue shut down"),
        }
    }
}

impl Error for GetError {}

/// The queue was shut down (asyncio's `QueueShutDown`): what a waiting
/// [`put`](crate::queue::GenericQueue::put) hands back (the item), or a
/// [`get`](crate::queue::GenericQueue::get) once the queue is shut down and drained (`()`).
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// use weft_sync::Queue;
/// use weft_sync::queue::QueueShutDown;
///
/// let q = Queue::new(0);
/// q.shutdown(false);
/// assert_eq!(q.put(7).await, Err(QueueShutDown(7)));
/// assert_eq!(q.get().await, Err(QueueShutDown(())));
/// # });
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct QueueShutDown<T = ()>(pub T);

impl<T> QueueShutDown<T> {
    /// The item handed back.
    ///
    /// # Examples
    ///
    /// ```
    /// let q = weft_sync::Queue::new(0);
    /// q.shutdown(false);
    /// assert_eq!(q.put_blocking("x").unwrap_err().into_inner(), "x");
    /// ```
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for QueueShutDown<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("QueueShutDown(..)")
    }
}

impl<T> fmt::Display for QueueShutDown<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("queue shut down")
    }
}

impl<T> Error for QueueShutDown<T> {}

/// [`task_done`](crate::queue::GenericQueue::task_done) was called more times than items were put
/// (asyncio's `ValueError`).
///
/// # Examples
///
/// ```
/// let q: weft_sync::Queue<u8> = weft_sync::Queue::new(0);
/// assert!(q.task_done().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskDoneError;

impl fmt::Display for TaskDoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("task_done() called too many times")
    }
}

impl Error for TaskDoneError {}
