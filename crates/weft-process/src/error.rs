//! [`SpawnError`]: why a program could not be started, naming the program.

use std::error::Error;
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io;

/// A failed [`spawn`](crate::Command::spawn): the program and the system's error.
///
/// `spawn` returns it inside an [`io::Error`] of the same [`kind`](io::Error::kind)
/// (`NotFound` for a missing program, `PermissionDenied` for one that is not
/// executable), so `?` and `kind()` work as usual, and the message names the program,
/// which std's does not. Get it back with `get_ref` and `downcast_ref`, for the
/// program and the original error (with its OS error code).
///
/// # Examples
///
/// ```
/// use std::io::ErrorKind;
/// use weft_process::{Command, SpawnError};
///
/// # weft_reactor::block_on(async {
/// let err = Command::new("no-such-program-here").spawn().unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::NotFound);
/// assert!(err.to_string().contains("no-such-program-here"));
/// let spawn = err.get_ref().and_then(|e| e.downcast_ref::<SpawnError>()).unwrap();
/// assert_eq!(spawn.program(), "no-such-program-here");
/// assert_eq!(spawn.io_error().raw_os_error(), Some(2)); // ENOENT
/// # });
/// ```
pub struct SpawnError {
    program: OsString,
    source: io::Error,
}

impl SpawnError {
    /// Wraps `source` in an `io::Error` of the same kind that names `program`.
    pub(crate) fn wrap(program: &OsStr, source: io::Error) -> io::Error {
        let kind = source.kind();
        let program = program.to_owned();
        io::Error::new(kind, SpawnError { program, source })
    }

    /// The program that could not be started, as given to
    /// [`Command::new`](crate::Command::new).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_process::{Command, SpawnError};
    ///
    /// # weft_reactor::block_on(async {
    /// let err = Command::new("/nonexistent/tool").spawn().unwrap_err();
    /// let spawn = err.into_inner().unwrap().downcast::<SpawnError>().unwrap();
    /// assert_eq!(spawn.program(), "/nonexistent/tool");
    /// # });
    /// ```
    pub fn program(&self) -> &OsStr {
        &self.program
    }

    /// The error the system gave.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use weft_process::{Command, SpawnError};
    ///
    /// # weft_reactor::block_on(async {
    /// let err = Command::new("/nonexistent/tool").spawn().unwrap_err();
    /// let spawn = err.into_inner().unwrap().downcast::<SpawnError>().unwrap();
    /// assert_eq!(spawn.io_error().kind(), ErrorKind::NotFound);
    /// # });
    /// ```
    pub fn io_error(&self) -> &io::Error {
        &self.source
    }
}

impl fmt::Display for SpawnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot run {:?}: {}", self.program, self.source)
    }
}

impl fmt::Debug for SpawnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpawnError")
            .field("program", &self.program)
            .field("source", &self.source)
            .finish()
    }
}

impl Error for SpawnError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.source)
    }
}
