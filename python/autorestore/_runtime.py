"""Which libonnxruntime the engine loads: the one of the `onnxruntime` PyPI package.

The wheel carries no ONNX Runtime of its own; it depends on `onnxruntime`, whose package folder
holds `capi/libonnxruntime.so.<version>`. The package is located, not imported (importing it
would start its own Python bindings for nothing).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Optional

# The library's own search honours these first; pass NULL so it does.
ENV_VARS = ("AUTORESTORE_ORT_LIB", "ORT_DYLIB_PATH")


def onnxruntime_library() -> Optional[str]:
    """The path to pass as `ort_library_path`, or None to let the library search (an
    environment variable names one, or no `onnxruntime` package is installed)."""
    if any(os.environ.get(v) for v in ENV_VARS):
        return None
    spec = importlib.util.find_spec("onnxruntime")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        found = sorted(Path(folder, "capi").glob("libonnxruntime.so*"))
        if found:
            return os.fspath(found[-1])
    return None
