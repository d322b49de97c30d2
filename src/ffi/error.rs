//! Status codes, names, the library version and the thread-local last-error message.

use std::cell::RefCell;
use std::ffi::{c_char, CString};

use super::panic::guard_value;
use super::AutorestoreStatus;
use super::AutorestoreStatus::*;
use crate::error::{Error, ErrorKind};

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

pub(crate) fn set_last_error(e: &Error) {
    let text = e.message().replace('\0', " ");
    let c = CString::new(text).unwrap_or_default();
    LAST_ERROR.with(|l| *l.borrow_mut() = c);
}

pub(crate) fn status_of(kind: ErrorKind) -> AutorestoreStatus {
    match kind {
        ErrorKind::NullArgument => AUTORESTORE_ERR_NULL_ARGUMENT,
        ErrorKind::InvalidArgument => AUTORESTORE_ERR_INVALID_ARGUMENT,
        ErrorKind::RuntimeNotFound => AUTORESTORE_ERR_RUNTIME_NOT_FOUND,
        ErrorKind::Model => AUTORESTORE_ERR_MODEL,
        ErrorKind::ProviderUnavailable => AUTORESTORE_ERR_PROVIDER_UNAVAILABLE,
        ErrorKind::Inference => AUTORESTORE_ERR_INFERENCE,
        ErrorKind::Cancelled => AUTORESTORE_ERR_CANCELLED,
        ErrorKind::TooLarge => AUTORESTORE_ERR_TOO_LARGE,
        ErrorKind::Io => AUTORESTORE_ERR_IO,
        ErrorKind::Internal => AUTORESTORE_ERR_INTERNAL,
    }
}

static VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The library version, e.g. "0.1.0" (static string, from Cargo.toml).
#[no_mangle]
pub extern "C" fn autorestore_version() -> *const c_char {
    VERSION.as_ptr().cast()
}

/// A static name for a status code, e.g. "AUTORESTORE_ERR_MODEL"; "unknown status" for others.
#[no_mangle]
pub extern "C" fn autorestore_status_name(status: u32) -> *const c_char {
    let s: &'static str = match status {
        0 => "AUTORESTORE_OK\0",
        1 => "AUTORESTORE_ERR_NULL_ARGUMENT\0",
        2 => "AUTORESTORE_ERR_INVALID_ARGUMENT\0",
        3 => "AUTORESTORE_ERR_RUNTIME_NOT_FOUND\0",
        4 => "AUTORESTORE_ERR_MODEL\0",
        5 => "AUTORESTORE_ERR_PROVIDER_UNAVAILABLE\0",
        6 => "AUTORESTORE_ERR_INFERENCE\0",
        7 => "AUTORESTORE_ERR_CANCELLED\0",
        8 => "AUTORESTORE_ERR_TOO_LARGE\0",
        9 => "AUTORESTORE_ERR_IO\0",
        10 => "AUTORESTORE_ERR_INTERNAL\0",
        _ => "unknown status\0",
    };
    s.as_ptr().cast()
}

/// The message of the last failed call on this thread ("" if none). The string belongs to the
/// library and stays valid until the next failing call on this thread.
#[no_mangle]
pub extern "C" fn autorestore_last_error() -> *const c_char {
    guard_value(c"".as_ptr(), || LAST_ERROR.with(|l| l.borrow().as_ptr()))
}
