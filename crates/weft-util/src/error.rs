//! `BlockingError`: why a job run on a pool produced no value.

use std::any::Any;
use std::error::Error;
use std::fmt;
use std::io;
use std::panic;
use std::sync::Mutex;

use crate::sync::lock;

/// Why a job run on a [`ThreadPool`](crate::ThreadPool) or with
/// [`to_thread`](crate::to_thread) produced no value: it panicked, or no thread could
/// be started to run it.
///
/// A panic is caught on the pool thread, which survives it, and its payload comes
/// back here: get it with [`into_panic`](BlockingError::into_panic), or re-raise it
/// in the awaiting task with [`resume_unwind`](BlockingError::resume_unwind), as
/// asyncio's `to_thread` re-raises the function's exception.
///
/// The error is `Send` and `Sync` (the payload sits behind a mutex), so it converts
/// into `Box<dyn Error + Send + Sync>` and `io::Error`.
///
/// # Examples
///
/// ```
/// use weft_reactor::block_on;
/// use weft_util::to_thread;
///
/// let err = block_on(to_thread(|| -> u32 { panic!("boom") })).unwrap_err();
/// assert!(err.is_panic());
/// assert_eq!(err.to_string(), "blocking job panicked: boom");
/// assert_eq!(*err.into_panic().downcast::<&str>().unwrap(), "boom");
/// ```
pub struct BlockingError {
    repr: Repr,
}

enum Repr {
    /// The payload, behind a mutex only to make the error `Sync`.
    Panicked(Mutex<Box<dyn Any + Send + 'static>>),
    Spawn(io::Error),
}

impl BlockingError {
    pub(crate) fn panicked(payload: Box<dyn Any + Send + 'static>) -> BlockingError {
        BlockingError {
            repr: Repr::Panicked(Mutex::new(payload)),
        }
    }

    pub(crate) fn spawn(error: io::Error) -> BlockingError {
        BlockingError {
            repr: Repr::Spawn(error),
        }
    }

    /// Whether the job panicked (rather than never starting).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_reactor::block_on;
    /// use weft_util::to_thread;
    ///
    /// let err = block_on(to_thread(|| panic!("no"))).unwrap_err();
    /// assert!(err.is_panic());
    /// ```
    pub fn is_panic(&self) -> bool {
        matches!(self.repr, Repr::Panicked(_))
    }

    /// The panic payload, or the error itself when the job did not panic.
    ///
    /// # Errors
    ///
    /// Hands `self` back when no thread could be started to run the job.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_reactor::block_on;
    /// use weft_util::to_thread;
    ///
    /// let err = block_on(to_thread(|| std::panic::panic_any(7_u8))).unwrap_err();
    /// let payload = err.try_into_panic().unwrap();
    /// assert_eq!(*payload.downcast::<u8>().unwrap(), 7);
    /// ```
    pub fn try_into_panic(self) -> Result<Box<dyn Any + Send + 'static>, BlockingError> {
        match self.repr {
            Repr::Panicked(payload) => Ok(payload.into_inner().unwrap_or_else(|e| e.into_inner())),
            repr => Err(BlockingError { repr }),
        }
    }

    /// The panic payload.
    ///
    /// # Panics
    ///
    /// When the job did not panic (no thread could be started to run it); see
    /// [`try_into_panic`](BlockingError::try_into_panic).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_reactor::block_on;
    /// use weft_util::to_thread;
    ///
    /// let n = 3;
    /// let err = block_on(to_thread(move || -> () { panic!("lost {n} files") })).unwrap_err();
    /// // A formatted message: the payload is a `String` (a plain literal gives a `&str`).
    /// let payload = err.into_panic();
    /// assert_eq!(payload.downcast_ref::<String>().unwrap(), "lost 3 files");
    /// ```
    #[track_caller]
    pub fn into_panic(self) -> Box<dyn Any + Send + 'static> {
        self.try_into_panic().unwrap_or_else(|e| {
            panic!("`BlockingError::into_panic` on an error that is not a panic: {e}")
        })
    }

    /// Re-raises the job's panic on this thread, with its original payload; when the
    /// job did not panic, panics with this error's message.
    ///
    /// # Panics
    ///
    /// Always: that is its purpose.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_reactor::block_on;
    /// use weft_util::to_thread;
    ///
    /// let caught = std::panic::catch_unwind(|| {
    ///     let n: u32 = block_on(to_thread(|| panic!("boom")))
    ///         .unwrap_or_else(|e| e.resume_unwind());
    ///     n
    /// });
    /// assert_eq!(*caught.unwrap_err().downcast::<&str>().unwrap(), "boom");
    /// ```
    pub fn resume_unwind(self) -> ! {
        match self.try_into_panic() {
            Ok(payload) => panic::resume_unwind(payload),
            Err(e) => panic!("{e}"),
        }
    }
}

/// The message of a panic payload made by `panic!`, if it has one.
fn message(payload: &(dyn Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<&'static str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
}

impl fmt::Display for BlockingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Panicked(payload) => match message(&**lock(payload)) {
                Some(msg) => write!(f, "blocking job panicked: {msg}"),
                None => f.write_str("blocking job panicked"),
            },
            Repr::Spawn(e) => write!(f, "no thread could be started for a blocking job: {e}"),
        }
    }
}

impl fmt::Debug for BlockingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Panicked(payload) => {
                let mut t = f.debug_tuple("Panicked");
                match message(&**lock(payload)) {
                    Some(msg) => t.field(&msg),
                    None => t.field(&format_args!("..")),
                };
                t.finish()
            }
            Repr::Spawn(e) => f.debug_tuple("Spawn").field(e).finish(),
        }
    }
}

impl Error for BlockingError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match &self.repr {
            Repr::Panicked(_) => None,
            Repr::Spawn(e) => Some(e),
        }
    }
}

impl From<BlockingError> for io::Error {
    /// A spawn failure keeps its `io::Error`; a panic becomes an error of kind
    /// `Other` whose source is the `BlockingError`.
    fn from(error: BlockingError) -> io::Error {
        match error.repr {
            Repr::Spawn(e) => e,
            repr => io::Error::other(BlockingError { repr }),
        }
    }
}
