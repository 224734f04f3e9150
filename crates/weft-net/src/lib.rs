//! Sockets, asyncio-style streams and servers on the weft reactor.
//!
//! This crate will hold (issue 7) `TcpListener`, `TcpStream`, `UdpSocket`, the Unix
//! socket types, a `TcpSocket` builder over `socket2`, `lookup_host`, and asyncio's
//! streams: `open_connection`, `start_server`, `StreamReader`, `StreamWriter` and
//! `Server`. It depends on `weft-reactor` and `weft-util` and works under any executor.
#![forbid(unsafe_code)]
