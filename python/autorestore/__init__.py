"""AutoRestore: one-click photo restoration for numpy arrays.

A binding of libautorestore's C API (the same engine as the ``autorestore`` command line, the
GIMP and the OpenFX plug-ins): one small model finds what is wrong with a photo (noise, blur,
haze, low light, rain, or a mix) and repairs it. ONNX Runtime comes from the ``onnxruntime``
package; the model ships inside this package.

    >>> import numpy as np, autorestore
    >>> engine = autorestore.Engine(device="cpu")
    >>> photo = np.zeros((64, 64, 3), np.uint8)          # HxW, HxWx1..4; u8/u16/f16/f32
    >>> sorted(engine.analyze(photo)["scores"])          # what is wrong, by name
    ['blur', 'haze', 'lowlight', 'noise', 'rain']
    >>> engine.restore(photo).shape                    # same dtype and shape, alpha untouched
    (64, 64, 3)

Errors are `AutorestoreError` subclasses, one per C status, with the library's message; the
input array is never modified. See `Engine`.
"""

from ._native import lib as _lib
from ._native import text as _text
from .engine import DETECTED_THRESHOLD, Engine
from .errors import (
    AutorestoreError,
    CancelledError,
    InferenceError,
    InternalError,
    InvalidArgumentError,
    IoError,
    ModelError,
    NullArgumentError,
    ProviderUnavailableError,
    RuntimeNotFoundError,
    TooLargeError,
)

#: The library's version (from its Cargo.toml; the wheel carries the same).
__version__: str = _text(_lib.autorestore_version())

__all__ = [
    "DETECTED_THRESHOLD",
    "Engine",
    "AutorestoreError",
    "CancelledError",
    "InferenceError",
    "InternalError",
    "InvalidArgumentError",
    "IoError",
    "ModelError",
    "NullArgumentError",
    "ProviderUnavailableError",
    "RuntimeNotFoundError",
    "TooLargeError",
    "__version__",
]
