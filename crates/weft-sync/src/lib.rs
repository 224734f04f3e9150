//! asyncio's synchronisation primitives and queues, usable from any executor.
//!
//! This crate holds `Lock`, `RwLock`, `Event`, `Condition`, `Semaphore`,
//! `BoundedSemaphore`, `Barrier`, the asyncio queues (`Queue`, `PriorityQueue`,
//! `LifoQueue`) and channels (`oneshot`, `channel`, `broadcast`, `watch`), all on
//! `event-listener`, cancel safe, and independent of every other weft crate.
#![forbid(unsafe_code)]

mod blocking;
mod sync;
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
