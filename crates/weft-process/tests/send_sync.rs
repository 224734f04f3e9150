//! Every public type and future is `Send`, `Sync` and `Unpin` (checked at compile
//! time; the test only has to build).

use weft_process::signal::{CtrlC, Recv, Signals};
use weft_process::{
    Child, ChildStderr, ChildStdin, ChildStdout, Command, Communicate, SpawnError, Wait,
};

fn send_sync_unpin<T: Send + Sync + Unpin>() {}

#[test]
fn public_types_are_send_sync_unpin() {
    send_sync_unpin::<Command>();
    send_sync_unpin::<Child>();
    send_sync_unpin::<ChildStdin>();
    send_sync_unpin::<ChildStdout>();
    send_sync_unpin::<ChildStderr>();
    send_sync_unpin::<SpawnError>();
    send_sync_unpin::<Wait<'static>>();
    send_sync_unpin::<Communicate<'static>>();
    send_sync_unpin::<Signals>();
    send_sync_unpin::<Recv<'static>>();
    send_sync_unpin::<CtrlC>();
}

/// The `async fn`s' futures are `Send`: they can be spawned on a multi-thread
/// executor.
#[test]
fn async_methods_are_send() {
    fn send<T: Send>(_: T) {}
    let mut cmd = Command::new("true");
    send(cmd.status());
    send(cmd.output());
    if let Ok(child) = cmd.spawn() {
        send(child.wait_with_output());
    }
}
