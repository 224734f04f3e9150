//! asyncio's `Semaphore`: limit how many downloads run at once.
//!
//! ```python
//! async def download(sem, url):
//!     async with sem:
//!         print("start", url)
//!         await asyncio.sleep(0.1)
//!         print("done", url)
//!
//! async def main():
//!     sem = asyncio.Semaphore(2)
//!     await asyncio.gather(*(download(sem, f"file{i}") for i in range(6)))
//! ```
//!
//! The permit is an RAII value: it goes back to the semaphore when dropped (the end
//! of `async with`). Run with `cargo run -p weft --example sync_semaphore`.

use std::sync::Arc;
use std::time::Duration;

use weft::sync::Semaphore;

async fn download(sem: Arc<Semaphore>, url: String) -> usize {
    let _permit = sem.acquire().await.expect("the semaphore stays open");
    println!("start {url} ({} slots free)", sem.available());
    weft::sleep(Duration::from_millis(100)).await;
    println!("done {url}");
    url.len()
}

fn main() {
    let total = weft::run(async {
        let sem = Arc::new(Semaphore::new(2));
        let tasks: Vec<_> = (0..6)
            .map(|i| weft::spawn(download(sem.clone(), format!("file{i}"))))
            .collect();
        let mut total = 0;
        for t in tasks {
            total += t.await.expect("download task");
        }
        total
    });
    println!("downloaded {total} bytes of names");
}
