//! The SIGCHLD fallback: a signal-hook handler writes a byte to a socket pair on
//! every SIGCHLD; the read end is registered with the reactor, and draining it runs
//! the reaper's sweep, which tries `waitpid(pid, WNOHANG)` on every child it lists.
//!
//! The handler is installed through signal-hook, so it chains to whatever SIGCHLD
//! handler the process had, and it stays for the life of the process. Signals
//! coalesce, so the sweep never assumes one signal per child.

use std::io;
use std::os::unix::net::UnixStream;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_io::AsyncRead;
use weft_reactor::Async;

pub(crate) struct Sigchld {
    read: Async<UnixStream>,
}

impl Sigchld {
    pub(crate) fn install() -> io::Result<Sigchld> {
        let (read, write) = UnixStream::pair()?;
        let read = Async::new(read)?;
        signal_hook::low_level::pipe::register(signal_hook::consts::SIGCHLD, write)?;
        Ok(Sigchld { read })
    }

    /// Reads the pipe empty; `cx`'s waker is left with the reactor for the next byte.
    pub(crate) fn drain(&self, cx: &mut Context<'_>) {
        let mut buf = [0u8; 64];
        loop {
            match Pin::new(&mut &self.read).poll_read(cx, &mut buf) {
                Poll::Ready(Ok(n)) if n > 0 => continue,
                Poll::Ready(Err(e)) if e.kind() == io::ErrorKind::Interrupted => continue,
                // End of stream or an error cannot happen while the write end is
                // held by the handler; there is nothing to wait for then.
                Poll::Ready(_) | Poll::Pending => return,
            }
        }
    }
}
