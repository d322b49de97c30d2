"""Exceptions: one class per `AutorestoreStatus` of the C API, all under `AutorestoreError`.

The message is the library's own (`autorestore_last_error()` on the calling thread). Classes
that match a built-in family also derive from it (bad arguments are a `ValueError`, file
errors an `OSError`), so ordinary `except ValueError` code keeps working.
"""

from __future__ import annotations


class AutorestoreError(Exception):
    """A call into libautorestore failed.

    Attributes:
        status: the C status code (`AUTORESTORE_ERR_*`), 0 for errors found before the call.
        status_name: its name, e.g. ``"AUTORESTORE_ERR_MODEL"``.
    """

    status_name = "AUTORESTORE_ERR_INTERNAL"
    # Set on the instance when raised for a C status (one-argument construction keeps the
    # OSError and MemoryError bases happy).
    status: int = 0


class NullArgumentError(AutorestoreError):
    """A required pointer was NULL (a bug of this binding if it ever shows)."""

    status_name = "AUTORESTORE_ERR_NULL_ARGUMENT"


class InvalidArgumentError(AutorestoreError, ValueError):
    """Bad array (dtype, shape, size), parameter, NaN/Inf pixel or option."""

    status_name = "AUTORESTORE_ERR_INVALID_ARGUMENT"


class RuntimeNotFoundError(AutorestoreError):
    """ONNX Runtime is missing, not loadable or older than 1.31."""

    status_name = "AUTORESTORE_ERR_RUNTIME_NOT_FOUND"


class ModelError(AutorestoreError):
    """The model is missing, corrupt, fails its checksum or has the wrong contract."""

    status_name = "AUTORESTORE_ERR_MODEL"


class ProviderUnavailableError(AutorestoreError):
    """The requested device (e.g. CUDA) cannot be used; the message says why."""

    status_name = "AUTORESTORE_ERR_PROVIDER_UNAVAILABLE"


class InferenceError(AutorestoreError):
    """ONNX Runtime failed while running."""

    status_name = "AUTORESTORE_ERR_INFERENCE"


class CancelledError(AutorestoreError):
    """The progress callback returned False; the input array is untouched."""

    status_name = "AUTORESTORE_ERR_CANCELLED"


class TooLargeError(AutorestoreError, MemoryError):
    """Over the engine's `max_pixels`, or memory could not be allocated."""

    status_name = "AUTORESTORE_ERR_TOO_LARGE"


class IoError(AutorestoreError, OSError):
    """File input/output failed."""

    status_name = "AUTORESTORE_ERR_IO"


class InternalError(AutorestoreError):
    """A caught panic or a bug in the library."""

    status_name = "AUTORESTORE_ERR_INTERNAL"


BY_STATUS_NAME: dict[str, type[AutorestoreError]] = {
    cls.status_name: cls
    for cls in (
        NullArgumentError,
        InvalidArgumentError,
        RuntimeNotFoundError,
        ModelError,
        ProviderUnavailableError,
        InferenceError,
        CancelledError,
        TooLargeError,
        IoError,
        InternalError,
    )
}
