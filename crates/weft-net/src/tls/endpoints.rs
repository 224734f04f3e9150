//! [`Endpoints`] for the TLS transports, so that a TLS `StreamWriter` knows its
//! addresses.

use std::io;

use super::{Joined, ReadHalf, WriteHalf};
use crate::stream::Endpoints;

impl<IO: Endpoints> Endpoints for ReadHalf<IO> {
    type Addr = IO::Addr;

    fn local_addr(&self) -> io::Result<IO::Addr> {
        self.with_stream(|s| s.get_ref().local_addr())
    }

    fn peer_addr(&self) -> io::Result<IO::Addr> {
        self.with_stream(|s| s.get_ref().peer_addr())
    }
}

impl<IO: Endpoints> Endpoints for WriteHalf<IO> {
    type Addr = IO::Addr;

    fn local_addr(&self) -> io::Result<IO::Addr> {
        self.with_stream(|s| s.get_ref().local_addr())
    }

    fn peer_addr(&self) -> io::Result<IO::Addr> {
        self.with_stream(|s| s.get_ref().peer_addr())
    }
}

impl<R: Endpoints, W> Endpoints for Joined<R, W> {
    type Addr = R::Addr;

    fn local_addr(&self) -> io::Result<R::Addr> {
        self.get_ref().0.local_addr()
    }

    fn peer_addr(&self) -> io::Result<R::Addr> {
        self.get_ref().0.peer_addr()
    }
}
