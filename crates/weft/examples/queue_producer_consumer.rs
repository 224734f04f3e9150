//! asyncio's producer/consumer pattern with a `Queue`.
//!
//! ```python
//! async def producer(queue):
//!     for i in range(5):
//!         await queue.put(f"Item {i}")
//!         await asyncio.sleep(0.5)
//!
//! async def consumer(queue):
//!     while True:
//!         item = await queue.get()
//!         print(f"Consumed: {item}")
//!         queue.task_done()
//!
//! async def main():
//!     queue = asyncio.Queue()
//!     await asyncio.gather(
//!         producer(queue),
//!         consumer(queue)
//!     )
//! ```
//!
//! The Python version never returns (its consumer loops for ever); here the producer
//! waits with `join` until every item is marked done, then shuts the queue down
//! (asyncio 3.13's `Queue.shutdown`), which ends the consumer's loop: `get` fails
//! with `QueueShutDown` once the queue is shut down and empty. Cloning a `Queue` gives
//! another handle to the same queue. Run with
//! `cargo run -p weft --example queue_producer_consumer`.

use std::time::Duration;

use weft::sync::Queue;

async fn producer(queue: Queue<String>) {
    for i in 0..5 {
        queue
            .put(format!("Item {i}"))
            .await
            .expect("the queue is open");
        weft::sleep(Duration::from_millis(500)).await;
    }
    queue.join().await;
    queue.shutdown(false);
}

async fn consumer(queue: Queue<String>) {
    while let Ok(item) = queue.get().await {
        println!("Consumed: {item}");
        queue.task_done().expect("one task_done per item got");
    }
}

fn main() {
    weft::run(async {
        let queue = Queue::new(0);
        let tasks = [
            weft::spawn(producer(queue.clone())),
            weft::spawn(consumer(queue)),
        ];
        for task in tasks {
            task.await.expect("neither task panics");
        }
    });
}
