//! Non-blocking sockets: making them, and finishing a non-blocking `connect`.

use std::io;
use std::os::fd::AsFd;

use socket2::{Domain, Protocol, SockRef, Socket, Type};
use weft_reactor::Async;

/// `EINPROGRESS`: a non-blocking connect has started.
#[cfg(any(target_os = "linux", target_os = "android"))]
const EINPROGRESS: i32 = 115;
#[cfg(any(target_os = "illumos", target_os = "solaris"))]
const EINPROGRESS: i32 = 150;
#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "illumos",
    target_os = "solaris"
)))]
const EINPROGRESS: i32 = 36; // the BSDs and Apple's systems

/// A new non-blocking, close-on-exec socket.
pub(crate) fn socket(domain: Domain, ty: Type, protocol: Option<Protocol>) -> io::Result<Socket> {
    #[cfg(any(
        target_os = "android",
        target_os = "dragonfly",
        target_os = "freebsd",
        target_os = "fuchsia",
        target_os = "illumos",
        target_os = "linux",
        target_os = "netbsd",
        target_os = "openbsd"
    ))]
    return Socket::new(domain, ty.nonblocking(), protocol);
    #[cfg(not(any(
        target_os = "android",
        target_os = "dragonfly",
        target_os = "freebsd",
        target_os = "fuchsia",
        target_os = "illumos",
        target_os = "linux",
        target_os = "netbsd",
        target_os = "openbsd"
    )))]
    {
        let s = Socket::new(domain, ty, protocol)?;
        s.set_nonblocking(true)?;
        Ok(s)
    }
}

/// Whether `connect` on a non-blocking socket failed only because the connection is
/// under way.
pub(crate) fn in_progress(e: &io::Error) -> bool {
    e.raw_os_error() == Some(EINPROGRESS)
}

/// Waits for the end of a non-blocking connect on `io`: the socket turns writable
/// when the handshake ends, well or badly.
pub(crate) async fn wait_connected<T: AsFd>(io: &Async<T>) -> io::Result<()> {
    loop {
        let guard = io.writable().await?;
        let socket = SockRef::from(io.get_ref());
        if let Some(e) = socket.take_error()? {
            return Err(e);
        }
        match socket.peer_addr() {
            Ok(_) => return Ok(()),
            // Not connected yet: the readiness was stale.
            Err(e) if e.kind() == io::ErrorKind::NotConnected => guard.clear_ready(),
            Err(e) => return Err(e),
        }
    }
}
