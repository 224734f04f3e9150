//! asyncio's queues: [`Queue`] (first in, first out), [`PriorityQueue`] (smallest
//! first) and [`LifoQueue`] (last in, first out), one type that differs only in its
//! [`Container`].
//!
//! A queue is a cheap handle: cloning it gives another handle to the same queue, and
//! every method takes `&self`. Waiting getters and waiting putters are each served
//! first come, first served. [`shutdown`](GenericQueue::shutdown) follows asyncio 3.13: puts fail at
//! once and hand their item back, gets drain the items left and then fail, and an
//! immediate shutdown drops the items, counts them as done and releases
//! [`join`](GenericQueue::join).
//!
//! # Examples
//!
//! ```
//! # futures::executor::block_on(async {
//! use weft_sync::Queue;
//!
//! let q = Queue::new(2);
//! let worker = {
//!     let q = q.clone();
//!     async move {
//!         let mut sum = 0;
//!         while let Ok(x) = q.get().await {
//!             sum += x;
//!             q.task_done().unwrap();
//!         }
//!         sum
//!     }
//! };
//! let producer = async {
//!     for x in 1..=4 {
//!         q.put(x).await.unwrap();
//!     }
//!     q.join().await;
//!     q.shutdown(false);
//! };
//! let ((), sum) = futures::join!(producer, worker);
//! assert_eq!(sum, 10);
//! # });
//! ```

mod container;
mod core;
mod error;
mod future;
mod generic;

use std::fmt;
use std::ops::Deref;

pub use container::{Container, Fifo, Lifo, Priority};
pub use error::{GetError, PutError, QueueShutDown, TaskDoneError};
pub use future::{Get, Join, Put};
pub use generic::GenericQueue;

/// asyncio's `Queue`: first in, first out, bounded by `maxsize` (0: unbounded).
///
/// Its methods are [`GenericQueue`]'s, reached through `Deref`. Cloning it gives
/// another handle to the same queue.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// use weft_sync::Queue;
///
/// let q = Queue::new(0);
/// q.put("a").await.unwrap();
/// q.put_nowait("b").unwrap();
/// assert_eq!(q.get().await, Ok("a"));
/// assert_eq!(q.get_nowait(), Ok("b"));
/// # });
/// ```
pub struct Queue<T>(GenericQueue<T, Fifo<T>>);

/// asyncio's `PriorityQueue`: hands out its smallest item first (asyncio's `heapq`
/// order; put `(priority, item)` tuples for priorities), bounded by `maxsize` (0:
/// unbounded).
///
/// Its methods are [`GenericQueue`]'s, reached through `Deref`. Cloning it gives
/// another handle to the same queue.
///
/// # Examples
///
/// ```
/// use weft_sync::PriorityQueue;
///
/// let q = PriorityQueue::new(0);
/// for job in [(2, "later"), (1, "first"), (3, "last")] {
///     q.put_nowait(job).unwrap();
/// }
/// assert_eq!(q.get_nowait().unwrap(), (1, "first"));
/// ```
pub struct PriorityQueue<T: Ord>(GenericQueue<T, Priority<T>>);

/// asyncio's `LifoQueue`: hands out its newest item first, bounded by `maxsize` (0:
/// unbounded).
///
/// Its methods are [`GenericQueue`]'s, reached through `Deref`. Cloning it gives
/// another handle to the same queue.
///
/// # Examples
///
/// ```
/// use weft_sync::LifoQueue;
///
/// let q = LifoQueue::new(0);
/// q.put_nowait(1).unwrap();
/// q.put_nowait(2).unwrap();
/// assert_eq!(q.get_nowait().unwrap(), 2);
/// ```
pub struct LifoQueue<T>(GenericQueue<T, Lifo<T>>);

impl<T> Queue<T> {
    /// A queue that holds at most `maxsize` items; 0 makes it unbounded (asyncio's
    /// `maxsize <= 0`).
    ///
    /// # Examples
    ///
    /// ```
    /// let q = weft_sync::Queue::<u8>::new(5);
    /// assert_eq!(q.maxsize(), 5);
    /// ```
    pub fn new(maxsize: usize) -> Self {
        Queue(GenericQueue::with_container(maxsize))
    }
}

impl<T: Ord> PriorityQueue<T> {
    /// A priority queue that holds at most `maxsize` items; 0 makes it unbounded.
    ///
    /// # Examples
    ///
    /// ```
    /// let q = weft_sync::PriorityQueue::<u8>::new(5);
    /// assert_eq!(q.maxsize(), 5);
    /// ```
    pub fn new(maxsize: usize) -> Self {
        PriorityQueue(GenericQueue::with_container(maxsize))
    }
}

impl<T> LifoQueue<T> {
    /// A LIFO queue that holds at most `maxsize` items; 0 makes it unbounded.
    ///
    /// # Examples
    ///
    /// ```
    /// let q = weft_sync::LifoQueue::<u8>::new(5);
    /// assert_eq!(q.maxsize(), 5);
    /// ```
    pub fn new(maxsize: usize) -> Self {
        LifoQueue(GenericQueue::with_container(maxsize))
    }
}

impl<T> Deref for Queue<T> {
    type Target = GenericQueue<T, Fifo<T>>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<T: Ord> Deref for PriorityQueue<T> {
    type Target = GenericQueue<T, Priority<T>>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<T> Deref for LifoQueue<T> {
    type Target = GenericQueue<T, Lifo<T>>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<T> Clone for Queue<T> {
    /// Another handle to the same queue.
    fn clone(&self) -> Self {
        Queue(self.0.clone())
    }
}

impl<T: Ord> Clone for PriorityQueue<T> {
    /// Another handle to the same queue.
    fn clone(&self) -> Self {
        PriorityQueue(self.0.clone())
    }
}

impl<T> Clone for LifoQueue<T> {
    /// Another handle to the same queue.
    fn clone(&self) -> Self {
        LifoQueue(self.0.clone())
    }
}

impl<T> fmt::Debug for Queue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt_as("Queue", f)
    }
}

impl<T: Ord> fmt::Debug for PriorityQueue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt_as("PriorityQueue", f)
    }
}

impl<T> fmt::Debug for LifoQueue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt_as("LifoQueue", f)
    }
}
