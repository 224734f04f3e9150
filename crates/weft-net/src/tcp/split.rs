//! The halves of a [`TcpStream`]; the macro in `crate::split` writes them.

use std::io;
use std::net::SocketAddr;

use super::TcpStream;

halves!(
    TcpStream,
    SocketAddr,
    "# let listener = weft_net::TcpListener::bind(\"127.0.0.1:0\").await?;\n# let a = weft_net::TcpStream::connect(listener.local_addr()?).await?;\n# let (b, _) = listener.accept().await?;\n"
);
