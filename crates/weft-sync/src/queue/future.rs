//! The futures of a queue's waiting methods: [`Put`], [`Get`] and [`Join`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::container::Container;
use super::error::QueueShutDown;
use super::generic::GenericQueue;

/// The future of [`GenericQueue::put`]: adds the item once there is room.
///
/// # Cancel safety
///
/// Cancel safe: dropped before it completes, it has not added the item (the item is
/// dropped with it), and a slot it was woken for passes to the next waiting putter.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let q = weft_sync::Queue::new(1);
/// let put: weft_sync::queue::Put<'_, u8> = q.put(1);
/// put.await.unwrap();
/// assert_eq!(q.qsize(), 1);
/// # });
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Put<'a, T, C = super::Fifo<T>> {
    queue: &'a GenericQueue<T, C>,
    item: Option<T>,
    /// Its place in the line of waiting putters.
    waiter: Option<u64>,
}

/// The future of [`GenericQueue::get`]: takes the next item once there is one.
///
/// # Cancel safety
///
/// Cancel safe: dropped before it completes, it has taken no item, and an item it
/// was woken for stays in the queue and its wake-up passes to the next waiting
/// getter.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let q = weft_sync::Queue::new(0);
/// q.put_nowait('x').unwrap();
/// let get: weft_sync::queue::Get<'_, char> = q.get();
/// assert_eq!(get.await, Ok('x'));
/// # });
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Get<'a, T, C = super::Fifo<T>> {
    queue: &'a GenericQueue<T, C>,
    /// Its place in the line of waiting getters.
    waiter: Option<u64>,
}

/// The future of [`GenericQueue::join`]: completes once every item put has been marked
/// done.
///
/// # Cancel safety
///
/// Cancel safe: it changes nothing.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let q: weft_sync::Queue<u8> = weft_sync::Queue::new(0);
/// let join: weft_sync::queue::Join<'_, u8> = q.join();
/// join.await; // nothing was put
/// # });
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Join<'a, T, C = super::Fifo<T>> {
    queue: &'a GenericQueue<T, C>,
    /// Its place in the line of waiting joiners.
    waiter: Option<u64>,
}

impl<'a, T, C> Put<'a, T, C> {
    pub(super) fn new(queue: &'a GenericQueue<T, C>, item: T) -> Self {
        Put {
            queue,
            item: Some(item),
            waiter: None,
        }
    }
}

impl<'a, T, C> Get<'a, T, C> {
    pub(super) fn new(queue: &'a GenericQueue<T, C>) -> Self {
        Get {
            queue,
            waiter: None,
        }
    }
}

impl<'a, T, C> Join<'a, T, C> {
    pub(super) fn new(queue: &'a GenericQueue<T, C>) -> Self {
        Join {
            queue,
            waiter: None,
        }
    }
}

// The item is never pinned: it is moved into the queue.
impl<T, C> Unpin for Put<'_, T, C> {}

impl<T, C: Container<T>> Future for Put<'_, T, C> {
    type Output = Result<(), QueueShutDown<T>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        this.queue
            .core()
            .poll_put(&mut this.item, &mut this.waiter, cx)
            .map(|r| r.map_err(QueueShutDown))
    }
}

impl<T, C> Drop for Put<'_, T, C> {
    fn drop(&mut self) {
        if let Some(id) = self.waiter {
            self.queue.core().cancel_put(id);
        }
    }
}

impl<T, C: Container<T>> Future for Get<'_, T, C> {
    type Output = Result<T, QueueShutDown>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        this.queue
            .core()
            .poll_get(&mut this.waiter, cx)
            .map(|item| item.ok_or(QueueShutDown(())))
    }
}

impl<T, C> Drop for Get<'_, T, C> {
    fn drop(&mut self) {
        if let Some(id) = self.waiter {
            self.queue.core().cancel_get(id);
        }
    }
}

impl<T, C: Container<T>> Future for Join<'_, T, C> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        this.queue.core().poll_join(&mut this.waiter, cx)
    }
}

impl<T, C> Drop for Join<'_, T, C> {
    fn drop(&mut self) {
        if let Some(id) = self.waiter {
            self.queue.core().cancel_join(id);
        }
    }
}

impl<T, C> fmt::Debug for Put<'_, T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Put")
            .field("waiting", &self.waiter.is_some())
            .finish_non_exhaustive()
    }
}

impl<T, C> fmt::Debug for Get<'_, T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Get")
            .field("waiting", &self.waiter.is_some())
            .finish_non_exhaustive()
    }
}

impl<T, C> fmt::Debug for Join<'_, T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Join")
            .field("waiting", &self.waiter.is_some())
            .finish_non_exhaustive()
    }
}
