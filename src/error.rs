//! One error type for the whole library. Each error carries the kind (which becomes the C
//! status code) and a message meant for a person, with ONNX Runtime's own detail where it
//! has one.

use std::fmt;

/// What went wrong, coarse enough to branch on. The C API maps each kind to one status code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A required pointer or value was missing.
    NullArgument,
    /// A size, stride, channel count, option or pixel value is not acceptable.
    InvalidArgument,
    /// libonnxruntime could not be found or loaded, or has the wrong version.
    RuntimeNotFound,
    /// The model is missing, corrupt, altered or speaks another contract.
    Model,
    /// The requested execution provider cannot be used (the message says why).
    ProviderUnavailable,
    /// ONNX Runtime failed while running a graph.
    Inference,
    /// The caller's progress callback asked to stop.
    Cancelled,
    /// The image is over the configured pixel cap, or memory could not be allocated.
    TooLarge,
    /// Reading or writing a file failed.
    Io,
    /// A bug: a caught panic or a broken invariant.
    Internal,
}

/// The library's error: a kind and a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    /// An error of `kind` whose `message` is meant for a person (the C API's last error).
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }
    /// The kind, which decides the C status code.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    /// The message, as `Display` prints it.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// Puts `context: ` in front of the message, keeping the kind.
    pub fn context(self, context: impl fmt::Display) -> Self {
        Error {
            kind: self.kind,
            message: format!("{context}: {}", self.message),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The library's result: [`Error`] unless another error type is named.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Shorthand constructors, so call sites read `invalid!("tile size {n} too small")`.
macro_rules! err {
    ($kind:ident, $($arg:tt)*) => {
        $crate::error::Error::new($crate::error::ErrorKind::$kind, format!($($arg)*))
    };
}
pub(crate) use err;

/// Converts an ONNX Runtime error into ours, with a short note of what we were doing.
pub(crate) fn ort_error<R>(
    kind: ErrorKind,
    what: &str,
) -> impl FnOnce(ort::Error<R>) -> Error + '_ {
    move |e| Error::new(kind, format!("{what}: {e}"))
}

/// Tries to allocate a zeroed vector, reporting `TooLarge` instead of aborting the host.
pub(crate) fn try_zeroed<T: Clone + Default>(len: usize, what: &str) -> Result<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| {
        err!(
            TooLarge,
            "cannot allocate {what} ({} MiB)",
            (len as u128 * std::mem::size_of::<T>() as u128) >> 20
        )
    })?;
    v.resize(len, T::default());
    Ok(v)
}

/// The text of a caught panic's payload (a `String` or `&str`; anything else is "unknown panic").
pub(crate) fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "unknown panic".to_string())
}
