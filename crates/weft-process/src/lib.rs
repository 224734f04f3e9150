//! Subprocesses and signals on the weft reactor.
//!
//! This crate will hold (issue 8) `Command`, `Child` with asyncio's `communicate`,
//! `wait`, `kill`, `terminate` and `send_signal`, async pipes, and `signal::Signals` and
//! `ctrl_c` on `signal-hook`. It depends on `weft-reactor` and `weft-util` and works
//! under any executor.
#![forbid(unsafe_code)]
