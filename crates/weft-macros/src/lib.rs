//! The `#[weft::main]` and `#[weft::test]` attributes: an `async fn main` or an
//! `async fn` test, run on a weft runtime.
//!
//! Use them through the `weft` crate, as `#[weft::main]` and `#[weft::test]`: the
//! expansion names the runtime by absolute path (`::weft::Runtime`), so a crate
//! depends on `weft` and never on this crate.
//!
//! # Implementation
//!
//! Each attribute parses its `proc_macro::TokenStream` by hand, without `syn` or
//! `quote`: it accepts a small grammar (outer attributes, a visibility, `async fn`, a
//! name, an empty parameter list, an optional return type, a body) and rewrites the
//! `async fn` into a sync fn of the same name, attributes, visibility and return type.
//! That fn builds a runtime with `::weft::Runtime::builder()` and `block_on`s the
//! body, as an `async` block, on the calling thread (the main thread, or the test's
//! thread); the runtime shuts down when the fn returns. Its identifiers use mixed-site
//! hygiene, so they cannot clash with the body's. Misuse expands to a
//! `compile_error!` spanned on the offending tokens. Nothing here runs at run time.
//!
//! # Examples
//!
//! These are compiled and run from the `weft` crate (its `examples/hello.rs` and
//! `tests/macros.rs`); this crate cannot see `weft`.
//!
//! ```ignore
//! #[weft::main]
//! async fn main() {
//!     let answer = weft::spawn(async { 40 + 2 }).await.unwrap();
//!     println!("{answer}");
//! }
//! ```
//!
//! ```ignore
//! #[weft::test]
//! async fn spawned_tasks_finish() {
//!     assert_eq!(weft::spawn(async { 1 + 1 }).await.unwrap(), 2);
//! }
//! ```
#![forbid(unsafe_code)]

mod error;
mod expand;
mod item;
mod options;

use proc_macro::TokenStream;

use expand::Kind;

/// Runs `async fn main` on a weft runtime: asyncio's `asyncio.run(main())`.
///
/// The fn becomes a sync `fn main` that builds a `weft::Runtime` with the builder's
/// defaults (one worker thread per core), `block_on`s the body on the main thread and
/// returns what the body returns, so any return type `main` accepts works, such as
/// `Result<(), Box<dyn Error>>` with `?` in the body. The runtime shuts down when the
/// body completes: tasks still pending are dropped.
///
/// # Options
///
/// - `#[weft::main(worker_threads = 4)]`: that many worker threads (a positive
///   integer literal).
/// - `#[weft::main(single_thread)]`: no worker threads; every task runs on the main
///   thread, inside `block_on`.
///
/// The two cannot be combined.
///
/// # Expansion
///
/// ```ignore
/// #[weft::main(worker_threads = 2)]
/// async fn main() -> Result<(), Box<dyn std::error::Error>> {
///     let n: u32 = "42".parse()?;
///     println!("{n}");
///     Ok(())
/// }
/// ```
///
/// becomes (`err` is hygienic)
///
/// ```ignore
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     ::weft::Runtime::builder()
///         .worker_threads(2)
///         .build()
///         .unwrap_or_else(|err| ::core::panic!("#[weft::main]: cannot start the runtime: {err}"))
///         .block_on(async {
///             let n: u32 = "42".parse()?;
///             println!("{n}");
///             Ok(())
///         })
/// }
/// ```
///
/// # Compile errors
///
/// On a fn that is not `async`, takes parameters, is generic or has a `where` clause,
/// is `const`, `unsafe` or `extern`; on an item that is not a fn; on an unknown
/// option, a `worker_threads` that is not a positive integer literal, or both options.
///
/// # Panics
///
/// The generated `main` panics when the runtime cannot start (no thread could be
/// created).
///
/// # Examples
///
/// Run as the `weft` crate's `examples/hello.rs`:
///
/// ```ignore
/// use std::error::Error;
///
/// #[weft::main]
/// async fn main() -> Result<(), Box<dyn Error>> {
///     let greeting = weft::spawn(async { "hello" }).await?;
///     println!("{greeting}, world");
///     Ok(())
/// }
/// ```
#[proc_macro_attribute]
pub fn main(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand(Kind::Main, args, item)
}

/// Runs an `async fn` test on its own weft runtime, by default a single-thread one.
///
/// The fn becomes a `#[test]` sync fn that builds a runtime, `block_on`s the body on
/// the test's thread and returns what the body returns (`()`, or a `Result` the test
/// harness checks). The other attributes on the fn, such as `#[should_panic]` or
/// `#[ignore]`, are kept; `#[test]` itself must not be written.
///
/// By default the runtime is single-thread, as for tokio's tests: tasks run on the
/// test's thread, inside `block_on`, one at a time.
///
/// # Options
///
/// - `#[weft::test(worker_threads = 2)]`: a multi-thread runtime with that many
///   worker threads (a positive integer literal); tasks run on them.
/// - `#[weft::test(single_thread)]`: the default, said out loud.
///
/// The two cannot be combined.
///
/// # Expansion
///
/// ```ignore
/// #[weft::test]
/// #[should_panic(expected = "boom")]
/// async fn panics() {
///     panic!("boom");
/// }
/// ```
///
/// becomes (`err` is hygienic)
///
/// ```ignore
/// #[::core::prelude::v1::test]
/// #[should_panic(expected = "boom")]
/// fn panics() {
///     ::weft::Runtime::builder()
///         .single_thread()
///         .build()
///         .unwrap_or_else(|err| ::core::panic!("#[weft::test]: cannot start the runtime: {err}"))
///         .block_on(async {
///             panic!("boom");
///         })
/// }
/// ```
///
/// # Compile errors
///
/// As for [`main`](macro@main), and on a `#[test]` written next to it.
///
/// # Panics
///
/// The generated test panics when the runtime cannot start.
///
/// # Examples
///
/// Run, with more, as the `weft` crate's `tests/macros.rs`:
///
/// ```ignore
/// #[weft::test]
/// async fn tasks_run_on_the_test_thread() {
///     let me = std::thread::current().id();
///     let there = weft::spawn(async { std::thread::current().id() }).await.unwrap();
///     assert_eq!(there, me);
/// }
///
/// #[weft::test(worker_threads = 2)]
/// async fn tasks_run_on_workers() {
///     let name = weft::spawn(async { std::thread::current().name().map(String::from) });
///     assert_eq!(name.await.unwrap().as_deref(), Some("weft-worker"));
/// }
/// ```
#[proc_macro_attribute]
pub fn test(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand(Kind::Test, args, item)
}
