//! Misuses of `#[weft::main]` and `#[weft::test]`, each of which must not compile
//! (built only for doctests).
//!
//! The control, which must compile and run, so that the blocks below fail for their
//! misuse and not for their scaffolding:
//!
//! ```
//! #[weft::main(worker_threads = 1)]
//! async fn main() -> Result<(), std::num::ParseIntError> {
//!     let n: u8 = "1".parse()?;
//!     assert_eq!(n, 1);
//!     Ok(())
//! }
//! ```
//!
//! The function must be `async`:
//!
//! ```compile_fail
//! #[weft::main]
//! fn main() {}
//! ```
//!
//! ```compile_fail
//! #[weft::test]
//! fn not_async() {}
//! # fn main() {}
//! ```
//!
//! It takes no parameters:
//!
//! ```compile_fail
//! #[weft::main]
//! async fn main(args: Vec<String>) {}
//! ```
//!
//! It is not generic, nor has a `where` clause:
//!
//! ```compile_fail
//! #[weft::test]
//! async fn generic<T: Default>() {}
//! # fn main() {}
//! ```
//!
//! ```compile_fail
//! #[weft::test]
//! async fn bounded() where u8: Copy {}
//! # fn main() {}
//! ```
//!
//! It is not `unsafe`:
//!
//! ```compile_fail
//! #[weft::main]
//! async unsafe fn main() {}
//! ```
//!
//! The attribute applies to functions only:
//!
//! ```compile_fail
//! #[weft::main]
//! struct Main;
//! # fn main() {}
//! ```
//!
//! Unknown options:
//!
//! ```compile_fail
//! #[weft::main(flavor = "multi_thread")]
//! async fn main() {}
//! ```
//!
//! `worker_threads` is a positive integer literal:
//!
//! ```compile_fail
//! #[weft::main(worker_threads = 0)]
//! async fn main() {}
//! ```
//!
//! ```compile_fail
//! #[weft::main(worker_threads = "4")]
//! async fn main() {}
//! ```
//!
//! ```compile_fail
//! const N: usize = 4;
//! #[weft::main(worker_threads = N)]
//! async fn main() {}
//! ```
//!
//! ```compile_fail
//! #[weft::test(worker_threads)]
//! async fn no_value() {}
//! # fn main() {}
//! ```
//!
//! `worker_threads` and `single_thread` do not combine:
//!
//! ```compile_fail
//! #[weft::main(worker_threads = 2, single_thread)]
//! async fn main() {}
//! ```
//!
//! `single_thread` takes no value:
//!
//! ```compile_fail
//! #[weft::test(single_thread = true)]
//! async fn valued() {}
//! # fn main() {}
//! ```
//!
//! `#[weft::test]` adds `#[test]` itself:
//!
//! ```compile_fail
//! #[weft::test]
//! #[test]
//! async fn twice() {}
//! # fn main() {}
//! ```
