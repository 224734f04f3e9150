//! The halves of a [`UnixStream`]; the macro in `crate::split` writes them.

use std::io;
use std::os::unix::net::SocketAddr;

use super::UnixStream;

halves!(
    UnixStream,
    SocketAddr,
    "# let (a, b) = weft_net::UnixStream::pair()?;\n"
);
