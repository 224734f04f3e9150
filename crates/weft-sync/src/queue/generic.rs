//! [`GenericQueue`]: the API the three queues share.

use std::fmt;
use std::pin::Pin;

use crate::blocking::block_on_poll;

use super::container::Container;
use super::core::Core;
use super::error::{GetError, PutError, QueueShutDown, TaskDoneError};
use super::future::{Get, Join, Put};
use crate::sync::Arc;

/// The API of every queue: [`Queue`](crate::Queue),
/// [`PriorityQueue`](crate::PriorityQueue) and [`LifoQueue`](crate::LifoQueue)
/// dereference to it, and it is a queue itself for a [`Container`] of your own.
///
/// A queue of `T` bounded by `maxsize` (0: unbounded), with asyncio's
/// `task_done`/`join` count and 3.13's `shutdown`; `C` picks the order items come
/// out in. Cloning it gives another handle to the same queue.
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
pub struct GenericQueue<T, C> {
    core: Arc<Core<T, C>>,
}

impl<T, C> GenericQueue<T, C> {
    pub(crate) fn core(&self) -> &Core<T, C> {
        &self.core
    }
}

impl<T, C: Container<T>> GenericQueue<T, C> {
    /// A queue that keeps its items in a `C` and holds at most `maxsize` of them; 0
    /// makes it unbounded (asyncio's `maxsize <= 0`).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_sync::queue::{GenericQueue, Lifo};
    ///
    /// let q: GenericQueue<u8, Lifo<u8>> = GenericQueue::with_container(5);
    /// assert_eq!(q.maxsize(), 5);
    /// ```
    pub fn with_container(maxsize: usize) -> Self {
        GenericQueue {
            core: Arc::new(Core::new(maxsize)),
        }
    }

    /// The most items the queue holds; 0 for an unbounded queue.
    ///
    /// # Examples
    ///
    /// ```
    /// let q: weft_sync::Queue<u8> = weft_sync::Queue::new(0);
    /// assert_eq!(q.maxsize(), 0);
    /// ```
    pub fn maxsize(&self) -> usize {
        self.core.maxsize()
    }

    /// How many items the queue holds.
    ///
    /// # Examples
    ///
    /// ```
    /// let q = weft_sync::Queue::new(0);
    /// q.put_nowait(1).unwrap();
    /// assert_eq!(q.qsize(), 1);
    /// ```
    pub fn qsize(&self) -> usize {
        self.core.len()
    }

    /// Whether the queue holds no item.
    ///
    /// # Examples
    ///
    /// ```
    /// let q: weft_sync::Queue<u8> = weft_sync::Queue::new(0);
    /// assert!(q.empty());
    /// ```
    pub fn empty(&self) -> bool {
        self.qsize() == 0
    }

    /// Whether the queue holds `maxsize` items; never for an unbounded queue.
    ///
    /// # Examples
    ///
    /// ```
    /// let q = weft_sync::Queue::new(1);
    /// q.put_nowait(1).unwrap();
    /// assert!(q.full());
    /// ```
    pub fn full(&self) -> bool {
        self.core.is_full()
    }

    /// Whether [`shutdown`](GenericQueue::shutdown) was called.
    ///
    /// # Examples
    ///
    /// ```
    /// let q: weft_sync::Queue<u8> = weft_sync::Queue::new(0);
    /// q.shutdown(false);
    /// assert!(q.is_shut_down());
    /// ```
    pub fn is_shut_down(&self) -> bool {
        self.core.is_shut_down()
    }

    /// Adds `item` without waiting.
    ///
    /// # Errors
    ///
    /// [`PutError::Full`] if the queue holds `maxsize` items, [`PutError::ShutDown`]
    /// once it is shut down; both hand `item` back.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_sync::queue::PutError;
    ///
    /// let q = weft_sync::Queue::new(1);
    /// assert!(q.put_nowait(1).is_ok());
    /// assert!(matches!(q.put_nowait(2), Err(PutError::Full(2))));
    /// ```
    pub fn put_nowait(&self, item: T) -> Result<(), PutError<T>> {
        self.core.try_put(item)
    }

    /// Takes the next item without waiting.
    ///
    /// # Errors
    ///
    /// [`GetError::Empty`] if the queue holds no item, [`GetError::ShutDown`] if it
    /// holds none and is shut down.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_sync::queue::GetError;
    ///
    /// let q = weft_sync::Queue::new(0);
    /// q.put_nowait(1).unwrap();
    /// assert_eq!(q.get_nowait(), Ok(1));
    /// assert_eq!(q.get_nowait(), Err(GetError::Empty));
    /// ```
    pub fn get_nowait(&self) -> Result<T, GetError> {
        self.core.try_get()
    }

    /// Adds `item`, waiting for room if the queue is full. Waiting putters are served
    /// in the order they started waiting.
    ///
    /// # Errors
    ///
    /// [`QueueShutDown`] with `item` if the queue is shut down, before or while this
    /// waits.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropped before it completes, the future has not added `item`, and
    /// a slot it was woken for passes to the next waiting putter.
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let q = weft_sync::Queue::new(1);
    /// q.put(1).await.unwrap();
    /// assert!(q.full());
    /// # });
    /// ```
    pub fn put(&self, item: T) -> Put<'_, T, C> {
        Put::new(self, item)
    }

    /// Takes the next item, waiting for one if the queue is empty. Waiting getters are
    /// served in the order they started waiting.
    ///
    /// # Errors
    ///
    /// [`QueueShutDown`] once the queue is shut down and holds no item (the items
    /// left at shutdown are still handed out).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropped before it completes, the future has taken no item, and the
    /// wake-up of an item it was woken for passes to the next waiting getter.
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let q = weft_sync::Queue::new(0);
    /// q.put_nowait(3).unwrap();
    /// assert_eq!(q.get().await, Ok(3));
    /// # });
    /// ```
    pub fn get(&self) -> Get<'_, T, C> {
        Get::new(self)
    }

    /// Adds `item`, blocking this thread while the queue is full: [`put`](GenericQueue::put)
    /// for plain threads. Do not call it from async code.
    ///
    /// # Errors
    ///
    /// [`QueueShutDown`] with `item` if the queue is shut down.
    ///
    /// # Examples
    ///
    /// ```
    /// let q = weft_sync::Queue::new(1);
    /// let t = std::thread::spawn({
    ///     let q = q.clone();
    ///     move || q.put_blocking(1).unwrap()
    /// });
    /// assert_eq!(q.get_blocking(), Ok(1));
    /// t.join().unwrap();
    /// ```
    pub fn put_blocking(&self, item: T) -> Result<(), QueueShutDown<T>> {
        let mut put = self.put(item);
        block_on_poll(|cx| Pin::new(&mut put).poll(cx))
    }

    /// Takes the next item, blocking this thread while the queue is empty:
    /// [`get`](GenericQueue::get) for plain threads. Do not call it from async code.
    ///
    /// # Errors
    ///
    /// [`QueueShutDown`] once the queue is shut down and holds no item.
    ///
    /// # Examples
    ///
    /// ```
    /// let q = weft_sync::Queue::new(0);
    /// let t = std::thread::spawn({
    ///     let q = q.clone();
    ///     move || q.get_blocking()
    /// });
    /// q.put_blocking(5).unwrap();
    /// assert_eq!(t.join().unwrap(), Ok(5));
    /// ```
    pub fn get_blocking(&self) -> Result<T, QueueShutDown> {
        let mut get = self.get();
        block_on_poll(|cx| Pin::new(&mut get).poll(cx))
    }

    /// Marks one item got from the queue as processed; when every item put has been
    /// marked, [`join`](GenericQueue::join) returns.
    ///
    /// # Errors
    ///
    /// [`TaskDoneError`] if called more times than items were put (asyncio's
    /// `ValueError`); the count is left at zero.
    ///
    /// # Examples
    ///
    /// ```
    /// let q = weft_sync::Queue::new(0);
    /// q.put_nowait(1).unwrap();
    /// q.get_nowait().unwrap();
    /// assert!(q.task_done().is_ok());
    /// assert!(q.task_done().is_err());
    /// ```
    pub fn task_done(&self) -> Result<(), TaskDoneError> {
        self.core.task_done()
    }

    /// Waits until every item put has been marked done with
    /// [`task_done`](GenericQueue::task_done) (or dropped by an immediate
    /// [`shutdown`](GenericQueue::shutdown)).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it changes nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let q = weft_sync::Queue::new(0);
    /// q.put_nowait(1).unwrap();
    /// q.get_nowait().unwrap();
    /// q.task_done().unwrap();
    /// q.join().await;
    /// # });
    /// ```
    pub fn join(&self) -> Join<'_, T, C> {
        Join::new(self)
    }

    /// [`join`](GenericQueue::join) for plain threads: blocks this thread until every item
    /// put has been marked done. Do not call it from async code.
    ///
    /// # Examples
    ///
    /// ```
    /// let q = weft_sync::Queue::new(0);
    /// q.put_nowait(1).unwrap();
    /// let t = std::thread::spawn({
    ///     let q = q.clone();
    ///     move || {
    ///         q.get_blocking().unwrap();
    ///         q.task_done().unwrap();
    ///     }
    /// });
    /// q.join_blocking();
    /// t.join().unwrap();
    /// ```
    pub fn join_blocking(&self) {
        let mut join = self.join();
        block_on_poll(|cx| Pin::new(&mut join).poll(cx))
    }

    /// Shuts the queue down (asyncio 3.13): from now on puts fail and hand their item
    /// back, waiting putters included; gets hand out the items left, then fail. With
    /// `immediate`, the items left are dropped at once and counted as done, so
    /// [`join`](GenericQueue::join) returns once the items already got are marked done.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_sync::queue::GetError;
    ///
    /// let q = weft_sync::Queue::new(0);
    /// q.put_nowait(1).unwrap();
    /// q.put_nowait(2).unwrap();
    /// q.shutdown(false);
    /// assert_eq!(q.get_nowait(), Ok(1));
    /// q.shutdown(true);
    /// assert_eq!(q.get_nowait(), Err(GetError::ShutDown));
    /// ```
    pub fn shutdown(&self, immediate: bool) {
        self.core.shutdown(immediate);
    }
}

impl<T, C> Clone for GenericQueue<T, C> {
    /// Another handle to the same queue.
    fn clone(&self) -> Self {
        GenericQueue {
            core: self.core.clone(),
        }
    }
}

impl<T, C: Container<T>> GenericQueue<T, C> {
    pub(super) fn fmt_as(&self, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(name)
            .field("qsize", &self.qsize())
            .field("maxsize", &self.maxsize())
            .field("shut_down", &self.is_shut_down())
            .finish()
    }
}

impl<T, C: Container<T>> fmt::Debug for GenericQueue<T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_as("GenericQueue", f)
    }
}
