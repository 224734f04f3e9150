//! [`Endpoints`] for the connections of this crate: the streams and their halves.

use std::io;

use super::writer::Endpoints;
use crate::{tcp, unix};

macro_rules! endpoints {
    ($addr:ty: $($T:ty),*) => {$(
        impl Endpoints for $T {
            type Addr = $addr;

            fn local_addr(&self) -> io::Result<$addr> {
                <$T>::local_addr(self)
            }

            fn peer_addr(&self) -> io::Result<$addr> {
                <$T>::peer_addr(self)
            }
        }
    )*};
}

endpoints!(std::net::SocketAddr: tcp::TcpStream, tcp::OwnedReadHalf, tcp::OwnedWriteHalf);
endpoints!(unix::SocketAddr: unix::UnixStream, unix::OwnedReadHalf, unix::OwnedWriteHalf);
