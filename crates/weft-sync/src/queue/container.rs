//! The order a queue hands its items out in: [`Container`] and its three
//! implementations.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::fmt;

/// Where a [`Queue`](crate::Queue) keeps its items: the one thing that makes a
/// [`Queue`](crate::Queue), a [`PriorityQueue`](crate::PriorityQueue) and a
/// [`LifoQueue`](crate::LifoQueue) differ, as asyncio's `_put` and `_get` do.
///
/// Implement it to give a queue another order; the queue calls it under its lock, so
/// keep each call short.
///
/// # Examples
///
/// ```
/// use weft_sync::queue::{Container, GenericQueue};
///
/// /// Hands out the largest item first.
/// #[derive(Default)]
/// struct Largest(Vec<u32>);
///
/// impl Container<u32> for Largest {
///     fn push(&mut self, item: u32) {
///         self.0.push(item);
///         self.0.sort();
///     }
///     fn pop(&mut self) -> Option<u32> {
///         self.0.pop()
///     }
///     fn len(&self) -> usize {
///         self.0.len()
///     }
/// }
///
/// let q: GenericQueue<u32, Largest> = GenericQueue::with_container(0);
/// for x in [2, 9, 4] {
///     q.put_nowait(x).unwrap();
/// }
/// assert_eq!(q.get_nowait().unwrap(), 9);
/// ```
pub trait Container<T>: Default {
    /// Adds `item`.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_sync::queue::{Container, Fifo};
    ///
    /// let mut c = Fifo::default();
    /// c.push(1);
    /// assert_eq!(c.len(), 1);
    /// ```
    fn push(&mut self, item: T);

    /// Removes and returns the next item, `None` if there is none.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_sync::queue::{Container, Lifo};
    ///
    /// let mut c = Lifo::default();
    /// c.push(1);
    /// c.push(2);
    /// assert_eq!(c.pop(), Some(2));
    /// ```
    fn pop(&mut self) -> Option<T>;

    /// How many items it holds.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_sync::queue::{Container, Priority};
    ///
    /// let mut c = Priority::default();
    /// c.push(3);
    /// assert_eq!(c.len(), 1);
    /// ```
    fn len(&self) -> usize;

    /// Whether it holds no item.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_sync::queue::{Container, Fifo};
    ///
    /// let c: Fifo<u8> = Fifo::default();
    /// assert!(c.is_empty());
    /// ```
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// First in, first out: the container of a [`Queue`](crate::Queue).
///
/// # Examples
///
/// ```
/// use weft_sync::queue::{Container, Fifo};
///
/// let mut c = Fifo::default();
/// c.push('a');
/// c.push('b');
/// assert_eq!(c.pop(), Some('a'));
/// ```
pub struct Fifo<T>(VecDeque<T>);

/// Last in, first out: the container of a [`LifoQueue`](crate::LifoQueue).
///
/// # Examples
///
/// ```
/// use weft_sync::queue::{Container, Lifo};
///
/// let mut c = Lifo::default();
/// c.push('a');
/// c.push('b');
/// assert_eq!(c.pop(), Some('b'));
/// ```
pub struct Lifo<T>(Vec<T>);

/// Smallest first, like asyncio's `heapq`: the container of a
/// [`PriorityQueue`](crate::PriorityQueue). Equal items come out in no set order.
///
/// # Examples
///
/// ```
/// use weft_sync::queue::{Container, Priority};
///
/// let mut c = Priority::default();
/// c.push(5);
/// c.push(1);
/// assert_eq!(c.pop(), Some(1));
/// ```
pub struct Priority<T>(BinaryHeap<Reverse<T>>);

impl<T> Default for Fifo<T> {
    fn default() -> Self {
        Fifo(VecDeque::new())
    }
}

impl<T> Default for Lifo<T> {
    fn default() -> Self {
        Lifo(Vec::new())
    }
}

impl<T: Ord> Default for Priority<T> {
    fn default() -> Self {
        Priority(BinaryHeap::new())
    }
}

impl<T> Container<T> for Fifo<T> {
    fn push(&mut self, item: T) {
        self.0.push_back(item);
    }

    fn pop(&mut self) -> Option<T> {
        self.0.pop_front()
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

impl<T> Container<T> for Lifo<T> {
    fn push(&mut self, item: T) {
        self.0.push(item);
    }

    fn pop(&mut self) -> Option<T> {
        self.0.pop()
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

impl<T: Ord> Container<T> for Priority<T> {
    fn push(&mut self, item: T) {
        self.0.push(Reverse(item));
    }

    fn pop(&mut self) -> Option<T> {
        self.0.pop().map(|Reverse(item)| item)
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

impl<T> fmt::Debug for Fifo<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fifo").field("len", &self.0.len()).finish()
    }
}

impl<T> fmt::Debug for Lifo<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lifo").field("len", &self.0.len()).finish()
    }
}

impl<T> fmt::Debug for Priority<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Priority")
            .field("len", &self.0.len())
            .finish()
    }
}
