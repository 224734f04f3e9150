//! asyncio's synchronisation primitives and queues, usable from any executor.
//!
//! [`Lock`], [`RwLock`], [`Event`], [`Condition`], [`Semaphore`],
//! [`BoundedSemaphore`] and [`Barrier`]; the asyncio queues ([`Queue`],
//! [`PriorityQueue`], [`LifoQueue`]); and channels: [`oneshot()`] (asyncio's
//! `Future`), [`channel`]/[`unbounded`] (MPMC), [`broadcast`] and [`watch`]. Every
//! async method is cancel safe in the sense its docs give (a dropped `lock()` or
//! `get()` loses no wake-up and no item), FIFO where asyncio is, and has a
//! `_blocking` twin for plain threads. Nothing here depends on an executor or on
//! another weft crate.
//!
//! # Implementation
//!
//! State lives in an atomic word where a fast path can use one (lock, semaphore,
//! event), else behind one short `std::sync::Mutex` critical section. Waiting tasks
//! wait on `event-listener` events (the lock, the rwlock, the barrier, the condition,
//! oneshot, broadcast, watch) or, where its per-listener allocation and lock showed in
//! the benchmarks, on mutex-guarded lists of wakers (the semaphore's FIFO of waiter
//! records, the event's waker slab, the queues' and the MPMC channel's lines of
//! waiters under their own mutex). No code here is `unsafe`; the protocols are
//! model-checked with loom.
//!
//! # Examples
//!
//! ```
//! use std::sync::Arc;
//! use weft_sync::{Queue, Semaphore};
//!
//! futures::executor::block_on(async {
//!     let queue = Queue::new(2);
//!     let slots = Arc::new(Semaphore::new(1));
//!     let producer = {
//!         let queue = queue.clone();
//!         async move {
//!             for i in 0..4 {
//!                 queue.put(i).await.unwrap();
//!             }
//!         }
//!     };
//!     let consumer = async {
//!         let mut got = Vec::new();
//!         for _ in 0..4 {
//!             let _permit = slots.acquire().await.unwrap();
//!             got.push(queue.get().await.unwrap());
//!             queue.task_done().unwrap();
//!         }
//!         got
//!     };
//!     let ((), got) = futures::join!(producer, consumer);
//!     assert_eq!(got, [0, 1, 2, 3]);
//! });
//! ```
#![forbid(unsafe_code)]

mod blocking;
mod sync;
mod wait_queue;
mod waiters;

// Primitives.
mod barrier;
mod condition;
mod error;
mod event;
mod lock;
mod rwlock;
mod semaphore;
pub use barrier::{Barrier, BarrierWait, BarrierWaitResult};
pub use condition::{Condition, ConditionWait, WaitFor};
pub use error::{AcquireError, BrokenBarrier, ReleaseError, TryAcquireError, TryLockError};
pub use event::{Event, EventWait};
pub use lock::{Lock, LockFuture, LockGuard, LockOwnedFuture, OwnedLockGuard};
pub use rwlock::{ReadFuture, RwLock, RwLockReadGuard, RwLockWriteGuard, WriteFuture};
pub use semaphore::{
    AcquireFuture, AcquireOwnedFuture, BoundedSemaphore, OwnedPermit, Permit, Semaphore,
};

// Queues and channels.
pub mod broadcast;
pub mod mpmc;
pub mod oneshot;
pub mod queue;
pub mod watch;

pub use mpmc::{channel, unbounded};
pub use oneshot::oneshot;
pub use queue::{LifoQueue, PriorityQueue, Queue, QueueShutDown};
