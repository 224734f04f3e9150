//! asyncio's `Condition`: consumers wait until a producer has put items in a shared
//! list.
//!
//! ```python
//! async def consumer(cond, items, name):
//!     async with cond:
//!         await cond.wait_for(lambda: items)
//!         print(name, "got", items.pop(0))
//!
//! async def main():
//!     cond, items = asyncio.Condition(), []
//!     tasks = [asyncio.create_task(consumer(cond, items, f"c{i}")) for i in range(3)]
//!     for x in range(3):
//!         await asyncio.sleep(0.01)
//!         async with cond:
//!             items.append(x)
//!             cond.notify(1)
//!     await asyncio.gather(*tasks)
//! ```
//!
//! The condition's lock guards the list itself. Run with
//! `cargo run -p weft --example sync_condition`.

use std::sync::Arc;
use std::time::Duration;

use weft::sync::Condition;

async fn consumer(cond: Arc<Condition<Vec<u32>>>, name: String) -> u32 {
    let items = cond.lock().await;
    let mut items = cond.wait_for(items, |items| !items.is_empty()).await;
    let item = items.remove(0);
    println!("{name} got {item}");
    item
}

fn main() {
    let got = weft::run(async {
        let cond = Arc::new(Condition::with_value(Vec::new()));
        let tasks: Vec<_> = (0..3)
            .map(|i| weft::spawn(consumer(cond.clone(), format!("c{i}"))))
            .collect();
        for x in 0..3 {
            weft::sleep(Duration::from_millis(10)).await;
            cond.lock().await.push(x);
            cond.notify(1);
        }
        let mut got = Vec::new();
        for t in tasks {
            got.push(t.await.expect("consumer"));
        }
        got
    });
    println!("{got:?}");
}
