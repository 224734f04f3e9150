//! What the socket tests share: the executors they run on, a deadline that fails a
//! hung test, and connected pairs.
#![allow(dead_code, unreachable_pub)]

use std::future::Future;
use std::io;
use std::time::Duration;

use weft_net::{TcpListener, TcpStream};

/// Fails a test that hangs; never the thing tested.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// `fut`, failing the test if it takes longer than [`DEADLINE`].
pub async fn deadline<F: Future>(fut: F) -> F::Output {
    weft_util::timeout(DEADLINE, fut)
        .await
        .expect("the test hung past its deadline")
}

/// The executors a test runs on.
#[derive(Clone, Copy, Debug)]
pub enum Exec {
    /// `weft_reactor::block_on`: the test's thread drives the reactor.
    WeftBlockOn,
    /// weft's work-stealing executor, two workers, the future spawned on it.
    WeftExecutor,
    /// tokio, current thread.
    TokioCurrent,
    /// tokio, two worker threads, the future spawned on it.
    TokioMulti,
    /// `futures::executor::block_on`.
    Futures,
}

pub const ALL: [Exec; 5] = [
    Exec::WeftBlockOn,
    Exec::WeftExecutor,
    Exec::TokioCurrent,
    Exec::TokioMulti,
    Exec::Futures,
];

impl Exec {
    /// Runs `fut` to completion on this executor (under [`deadline`]).
    pub fn run<F>(self, fut: F) -> F::Output
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let fut = deadline(fut);
        match self {
            Exec::WeftBlockOn => weft_reactor::block_on(fut),
            Exec::WeftExecutor => {
                let ex = weft_executor::Executor::new(2).expect("weft executor");
                let task = ex.spawn(fut);
                ex.block_on(task).expect("the test task panicked")
            }
            Exec::TokioCurrent => tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("tokio runtime")
                .block_on(fut),
            Exec::TokioMulti => {
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("tokio runtime");
                rt.block_on(async move { tokio::spawn(fut).await.expect("the test task panicked") })
            }
            Exec::Futures => futures::executor::block_on(fut),
        }
    }
}

/// Runs the future that `make` builds on every executor of [`ALL`].
pub fn on_every_executor<F, Fut>(mut make: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = io::Result<()>> + Send + 'static,
{
    for exec in ALL {
        if let Err(e) = exec.run(make()) {
            panic!("on {exec:?}: {e}");
        }
    }
}

/// A connected pair of TCP streams over 127.0.0.1: (client, server).
pub async fn tcp_pair() -> io::Result<(TcpStream, TcpStream)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let client = TcpStream::connect(listener.local_addr()?).await?;
    let (server, _) = listener.accept().await?;
    Ok((client, server))
}

/// A path for a Unix socket, unique to this process and `name`, removed if present.
pub fn socket_path(name: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("weft-net-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

/// `n` bytes of a pattern that shows where a byte went missing or moved.
pub fn pattern(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i % 251) as u8).collect()
}
