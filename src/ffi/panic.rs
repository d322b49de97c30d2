//! The panic boundary: every exported function runs its body through one of these, so a panic
//! inside the library becomes a status (or a neutral value), never an unwind into C.

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::error::{set_last_error, status_of};
use super::AutorestoreStatus;
use crate::error::{panic_text, Error, ErrorKind, Result};

fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    format!("internal error (caught panic): {}", panic_text(p))
}

/// Runs a fallible body; errors and panics become a status plus the thread's last error.
pub(crate) fn guard(f: impl FnOnce() -> Result<()>) -> AutorestoreStatus {
    let r = catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|p| Err(Error::new(ErrorKind::Internal, panic_message(p))));
    match r {
        Ok(()) => AutorestoreStatus::AUTORESTORE_OK,
        Err(e) => {
            set_last_error(&e);
            status_of(e.kind())
        }
    }
}

/// Runs an infallible body that returns a value; a panic returns `fallback`.
pub(crate) fn guard_value<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|p| {
        set_last_error(&Error::new(ErrorKind::Internal, panic_message(p)));
        fallback
    })
}
