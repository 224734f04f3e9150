//! The `#[weft::main]` and `#[weft::test]` attributes.
//!
//! This crate will hold (issue 3) the attribute macros that turn an `async fn main` or
//! an `async fn` test into one that runs on a weft runtime. Use them through the `weft`
//! crate.
#![forbid(unsafe_code)]
