//! Status codes, names, the library version and the thread-local last-error message.

use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};

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

/// The one table of statuses: C value (entry i is status i), name, and the error kind that
/// maps to it (`None`: success).
const STATUSES: &[(AutorestoreStatus, &CStr, Option<ErrorKind>)] = &[
    (AUTORESTORE_OK, c"AUTORESTORE_OK", None),
    (
        AUTORESTORE_ERR_NULL_ARGUMENT,
        c"AUTORESTORE_ERR_NULL_ARGUMENT",
        Some(ErrorKind::NullArgument),
    ),
    (
        AUTORESTORE_ERR_INVALID_ARGUMENT,
        c"AUTORESTORE_ERR_INVALID_ARGUMENT",
        Some(ErrorKind::InvalidArgument),
    ),
    (
        AUTORESTORE_ERR_RUNTIME_NOT_FOUND,
        c"AUTORESTORE_ERR_RUNTIME_NOT_FOUND",
        Some(ErrorKind::RuntimeNotFound),
    ),
    (
        AUTORESTORE_ERR_MODEL,
        c"AUTORESTORE_ERR_MODEL",
        Some(ErrorKind::Model),
    ),
    (
        AUTORESTORE_ERR_PROVIDER_UNAVAILABLE,
        c"AUTORESTORE_ERR_PROVIDER_UNAVAILABLE",
        Some(ErrorKind::ProviderUnavailable),
    ),
    (
        AUTORESTORE_ERR_INFERENCE,
        c"AUTORESTORE_ERR_INFERENCE",
        Some(ErrorKind::Inference),
    ),
    (
        AUTORESTORE_ERR_CANCELLED,
        c"AUTORESTORE_ERR_CANCELLED",
        Some(ErrorKind::Cancelled),
    ),
    (
        AUTORESTORE_ERR_TOO_LARGE,
        c"AUTORESTORE_ERR_TOO_LARGE",
        Some(ErrorKind::TooLarge),
    ),
    (
        AUTORESTORE_ERR_IO,
        c"AUTORESTORE_ERR_IO",
        Some(ErrorKind::Io),
    ),
    (
        AUTORESTORE_ERR_INTERNAL,
        c"AUTORESTORE_ERR_INTERNAL",
        Some(ErrorKind::Internal),
    ),
];

const _: () = {
    let mut i = 0;
    while i < STATUSES.len() {
        assert!(STATUSES[i].0 as usize == i);
        i += 1;
    }
};

pub(crate) fn status_of(kind: ErrorKind) -> AutorestoreStatus {
    STATUSES
        .iter()
        .find(|s| s.2 == Some(kind))
        .map_or(AUTORESTORE_ERR_INTERNAL, |s| s.0)
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
    let s: &'static CStr = STATUSES
        .get(status as usize)
        .map_or(c"unknown status", |s| s.1);
    s.as_ptr()
}

/// The message of the last failed call on this thread ("" if none). The string belongs to the
/// library and stays valid until the next failing call on this thread.
#[no_mangle]
pub extern "C" fn autorestore_last_error() -> *const c_char {
    guard_value(c"".as_ptr(), || LAST_ERROR.with(|l| l.borrow().as_ptr()))
}
