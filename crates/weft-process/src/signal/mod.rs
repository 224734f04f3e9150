//! Unix signals as async streams: asyncio's `loop.add_signal_handler`.
//!
//! [`Signals`] is a [`Stream`](futures_core::Stream) of the signal numbers it was
//! asked for, as they arrive; [`ctrl_c`] waits for one `SIGINT`. Any number of
//! `Signals` may listen to the same signal: each gets every delivery.
//!
//! # Implementation
//!
//! Handlers are installed through `signal-hook` (its registry), which chains them to
//! whatever handler the process already had: a handler installed by other code, before
//! or after, still runs. A handler records the signal in a flag of its `Signals` and
//! writes a byte to that `Signals`' socket pair, whose read end is registered with the
//! reactor. Signals of one number that arrive before the stream is read coalesce into
//! one item, as the kernel coalesces them.
//!
//! Once weft has handled a signal, the signal's default action (ending the process,
//! for `SIGINT` and `SIGTERM`) no longer happens, even after the `Signals` is dropped:
//! handle it, or exit, yourself. `SIGKILL`, `SIGSTOP`, `SIGILL`, `SIGFPE` and
//! `SIGSEGV` cannot be handled ([`FORBIDDEN`]).
//!
//! # Examples
//!
//! ```
//! use futures::StreamExt;
//! use weft_process::signal::{SIGHUP, SIGUSR2, Signals};
//!
//! # weft_reactor::block_on(async {
//! let mut signals = Signals::new([SIGHUP, SIGUSR2])?;
//! signal_hook::low_level::raise(SIGUSR2)?;
//! assert_eq!(signals.next().await, Some(SIGUSR2));
//! # std::io::Result::Ok(())
//! # }).unwrap();
//! ```

mod ctrl_c;
mod signals;

pub use ctrl_c::{CtrlC, ctrl_c};
pub use signals::{Recv, Signals};

/// The signals that cannot be handled: [`Signals::new`] refuses them.
pub use signal_hook::consts::FORBIDDEN;
/// The signals that usually ask a program to stop: `SIGTERM`, `SIGQUIT`, `SIGINT`.
pub use signal_hook::consts::TERM_SIGNALS;
/// The signal numbers, as `i32` (libc's constants, through signal-hook).
pub use signal_hook::consts::signal::*;
