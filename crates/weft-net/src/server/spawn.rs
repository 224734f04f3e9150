//! [`Spawn`]: how a server starts its tasks, on whatever executor the caller uses.

use std::future::Future;
use std::pin::Pin;

/// Something that can run a future as a task of its own: an executor's spawn.
///
/// A server spawns its accept loop and one task per connection, and weft-net depends
/// on no executor, so the caller passes one in. Every `Fn(Pin<Box<dyn Future>>)`
/// closure is a `Spawn`: `|f| { weft::spawn(f); }`, `|f| { tokio::spawn(f); }`, a
/// handle's `spawn`. The facade's `weft::net::start_server` passes weft's own.
///
/// # Examples
///
/// ```
/// use std::future::Future;
/// use std::pin::Pin;
/// use weft_net::server::Spawn;
///
/// // A closure...
/// let ex = weft_executor::Executor::new(1).unwrap();
/// let handle = ex.handle();
/// let spawn = move |f: Pin<Box<dyn Future<Output = ()> + Send>>| handle.spawn(f).detach();
///
/// // ...or a type of your own.
/// struct OnTokio;
/// impl Spawn for OnTokio {
///     fn spawn(&self, fut: Pin<Box<dyn Future<Output = ()> + Send>>) {
///         tokio::spawn(fut);
///     }
/// }
///
/// fn takes_spawn(_: impl Spawn) {}
/// takes_spawn(spawn);
/// takes_spawn(OnTokio);
/// ```
pub trait Spawn: Send + Sync + 'static {
    /// Runs `fut` to completion as a task; the server does not wait for it.
    fn spawn(&self, fut: Pin<Box<dyn Future<Output = ()> + Send>>);
}

impl<F> Spawn for F
where
    F: Fn(Pin<Box<dyn Future<Output = ()> + Send>>) + Send + Sync + 'static,
{
    fn spawn(&self, fut: Pin<Box<dyn Future<Output = ()> + Send>>) {
        self(fut)
    }
}
