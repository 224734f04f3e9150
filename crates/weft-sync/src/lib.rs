//! asyncio's synchronisation primitives and queues, usable from any executor.
//!
//! This crate will hold (issue 5) `Lock`, `RwLock`, `Event`, `Condition`, `Semaphore`,
//! `BoundedSemaphore`, `Barrier`, the asyncio queues (`Queue`, `PriorityQueue`,
//! `LifoQueue`) and channels (`oneshot`, `channel`, `broadcast`, `watch`), all on
//! `event-listener`, cancel safe, and independent of every other weft crate.
#![forbid(unsafe_code)]
