"""numpy arrays as `AutorestoreImage` descriptors (borrowed memory, no copy when possible)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._native import ffi, lib
from .errors import InvalidArgumentError

SAMPLE_TYPES = {
    np.dtype(np.uint8): lib.AUTORESTORE_SAMPLE_U8,
    np.dtype(np.uint16): lib.AUTORESTORE_SAMPLE_U16,
    np.dtype(np.float32): lib.AUTORESTORE_SAMPLE_F32,
    np.dtype(np.float16): lib.AUTORESTORE_SAMPLE_F16,
}


def prepare(array: Any) -> np.ndarray:
    """The array the library reads: `array` itself when its rows are packed runs of pixels in
    native byte order (any row stride works), else a C-contiguous copy. Never modifies
    `array`. Refuses what the library cannot take with `InvalidArgumentError`."""
    if not isinstance(array, np.ndarray):
        raise InvalidArgumentError(
            f"expected a numpy.ndarray, got {type(array).__name__}"
        )
    if array.dtype.newbyteorder("=") not in SAMPLE_TYPES:
        raise InvalidArgumentError(
            f"unsupported dtype {array.dtype}: use uint8, uint16, float16 or float32 (0..1)"
        )
    if not array.dtype.isnative:
        raise InvalidArgumentError(
            f"dtype {array.dtype.str} is not in native byte order: "
            "use array.astype(array.dtype.newbyteorder('='))"
        )
    if array.ndim not in (2, 3) or (array.ndim == 3 and not 1 <= array.shape[2] <= 4):
        raise InvalidArgumentError(
            f"unsupported shape {array.shape}: use HxW (gray) or HxWxC with C = 1 (gray), "
            "2 (gray+alpha), 3 (RGB) or 4 (RGBA)"
        )
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise InvalidArgumentError(f"the image is empty (shape {array.shape})")
    item = array.dtype.itemsize
    channels = 1 if array.ndim == 2 else array.shape[2]
    packed_pixels = array.strides[1] == channels * item and (
        array.ndim == 2 or array.strides[2] == item
    )
    if not (packed_pixels and array.strides[0] >= array.shape[1] * channels * item):
        # Reversed, transposed or pixel-strided views: the C API only knows a row stride.
        array = np.ascontiguousarray(array)
    return array


def descriptor(array: np.ndarray) -> Any:
    """An `AutorestoreImage` pointing into `array` (from `prepare`), valid while it lives."""
    img = ffi.new("AutorestoreImage *")
    img.data = ffi.cast("void *", array.ctypes.data)
    img.height, img.width = array.shape[0], array.shape[1]
    img.row_stride = array.strides[0]
    img.sample_type = SAMPLE_TYPES[array.dtype]
    img.channels = 1 if array.ndim == 2 else array.shape[2]
    return img
