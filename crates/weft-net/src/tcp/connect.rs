//! One connection attempt: a non-blocking `connect`, then a wait for the outcome.

use std::io;
use std::net::SocketAddr;

use socket2::{Domain, Protocol, Socket, Type};
use weft_reactor::Async;

use super::TcpStream;
use crate::nonblocking::{in_progress, socket, wait_connected};

/// A new non-blocking, close-on-exec TCP socket of `addr`'s family.
pub(crate) fn new_socket(addr: &SocketAddr) -> io::Result<Socket> {
    socket(
        Domain::for_address(*addr),
        Type::STREAM,
        Some(Protocol::TCP),
    )
}

/// Connects `socket` (from [`new_socket`]: non-blocking; maybe bound) to `addr`.
///
/// Dropping the future closes the socket and so abandons the attempt.
pub(crate) async fn connect_socket(socket: Socket, addr: SocketAddr) -> io::Result<TcpStream> {
    match socket.connect(&addr.into()) {
        Ok(()) => {}
        Err(e) if in_progress(&e) => {}
        Err(e) => return Err(e),
    }
    let io = Async::new_nonblocking(std::net::TcpStream::from(socket))?;
    wait_connected(&io).await?;
    Ok(TcpStream::from_async(io))
}
