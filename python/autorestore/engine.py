"""`Engine`: the loaded model on one device, over libautorestore's C API."""

from __future__ import annotations

import os
import threading
from typing import Any, Callable, Optional, Union

import numpy as np

from . import _image
from ._native import ffi, lib, text
from ._runtime import onnxruntime_library
from .errors import BY_STATUS_NAME, InternalError, InvalidArgumentError

#: A degradation counts as found from this score on (as `autorestore analyze` reports it).
DETECTED_THRESHOLD = 0.5

ProgressFn = Callable[[float], Optional[bool]]
PathLike = Union[str, "os.PathLike[str]"]


def _check(status: int) -> None:
    """Raises the exception of a C status with the library's message (same thread)."""
    if status == lib.AUTORESTORE_OK:
        return
    name = text(lib.autorestore_status_name(status))
    cls = BY_STATUS_NAME.get(name, InternalError)
    err = cls(text(lib.autorestore_last_error()) or name)
    err.status = status
    raise err


def _c_path(value: Optional[PathLike], keep: list) -> Any:
    if value is None:
        return ffi.NULL
    buf = ffi.new("char[]", os.fsencode(os.fspath(value)))
    keep.append(buf)
    return buf


class Engine:
    """The restoration model loaded on one device (one `AutorestoreEngine` of the C API).

    Args:
        device: ``"auto"`` (CUDA when it loads, else CPU; `info` says why), ``"cpu"`` or
            ``"cuda"`` (fails with `ProviderUnavailableError` and the reason when it cannot).
        threads: intra-op threads per session, 0 = one per core.
        model_dir: a model folder; None = ``AUTORESTORE_MODEL_DIR``, else the model in this
            package.
        tile_size: largest tile side in pixels, 0 = 1024 (at least `info["min_tile_size"]`).
        tile_overlap: feather band between tiles in pixels (default 0).
        max_pixels: refuse larger images with `TooLargeError`, 0 = no cap.
        max_sessions: most concurrent calls on this engine, 0 = cores (at most 4); more
            callers wait for a free session.
        ort_library: path of libonnxruntime; None = ``AUTORESTORE_ORT_LIB`` /
            ``ORT_DYLIB_PATH``, else the one of the installed `onnxruntime` package. The
            first library loaded stays for the life of the process.

    One engine may be shared by several threads: `analyze` and `restore` release the GIL
    and run concurrently (up to `max_sessions`). Use it as a context manager, or call
    `close()`, to free the model at once; otherwise it is freed when collected.
    """

    def __init__(
        self,
        device: str = "auto",
        threads: int = 0,
        model_dir: Optional[PathLike] = None,
        *,
        tile_size: int = 0,
        tile_overlap: int = 0,
        max_pixels: int = 0,
        max_sessions: int = 0,
        ort_library: Optional[PathLike] = None,
    ) -> None:
        self._ptr = ffi.NULL
        self._busy = 0
        self._lock = threading.Condition()
        keep: list = []
        opts = ffi.new("AutorestoreEngineOptions *")
        lib.autorestore_engine_options_init(opts)
        dev = ffi.new("AutorestoreDevice *")
        _check(lib.autorestore_device_from_name(str(device).encode(), dev))
        opts.device = dev[0]
        for field, value in (
            ("threads", threads),
            ("tile_size", tile_size),
            ("tile_overlap", tile_overlap),
            ("max_pixels", max_pixels),
            ("max_sessions", max_sessions),
        ):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise InvalidArgumentError(f"{field} must be a non-negative int, got {value!r}")
            try:
                setattr(opts, field, value)
            except OverflowError:
                raise InvalidArgumentError(f"{field} {value} is too large") from None
        opts.model_dir = _c_path(model_dir, keep)
        if ort_library is None:
            ort_library = onnxruntime_library()
        opts.ort_library_path = _c_path(ort_library, keep)
        out = ffi.new("AutorestoreEngine **")
        _check(lib.autorestore_engine_create(opts, out))
        self._ptr = out[0]
        self._names = [
            text(lib.autorestore_engine_degradation_name(self._ptr, i))
            for i in range(lib.autorestore_engine_degradation_count(self._ptr))
        ]

    # --- life cycle -------------------------------------------------------------------------
    def close(self) -> None:
        """Frees the engine; waits for calls running on it in other threads. Idempotent."""
        with self._lock:
            while self._busy:
                self._lock.wait()
            ptr, self._ptr = self._ptr, ffi.NULL
        if ptr != ffi.NULL:
            lib.autorestore_engine_destroy(ptr)

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_ptr", ffi.NULL) != ffi.NULL:
            lib.autorestore_engine_destroy(self._ptr)

    def _enter(self) -> Any:
        # The C API forbids destroying an engine while a call runs on it: count calls.
        with self._lock:
            if self._ptr == ffi.NULL:
                raise InvalidArgumentError("the engine is closed")
            self._busy += 1
            return self._ptr

    def _leave(self) -> None:
        with self._lock:
            self._busy -= 1
            self._lock.notify_all()

    # --- what it is ---------------------------------------------------------------------------
    @property
    def info(self) -> dict:
        """The model, the device that runs and why, the degradation names and tiling facts."""
        ptr = self._enter()
        try:
            return {
                "version": text(lib.autorestore_version()),
                "model": text(lib.autorestore_engine_model_name(ptr)),
                "device": text(lib.autorestore_device_name(lib.autorestore_engine_device(ptr))),
                "device_note": text(lib.autorestore_engine_device_note(ptr)),
                "degradations": list(self._names),
                "default_steps": lib.autorestore_engine_default_steps(ptr),
                "tile_multiple": lib.autorestore_engine_tile_multiple(ptr),
                "receptive_field": lib.autorestore_engine_receptive_field(ptr),
                "tile_margin": lib.autorestore_engine_tile_margin(ptr),
                "min_tile_size": lib.autorestore_engine_min_tile_size(ptr),
            }
        finally:
            self._leave()

    @property
    def degradations(self) -> list[str]:
        """Names of the model's degradation groups, in score order ("noise", "blur", ...)."""
        return list(self._names)

    def __repr__(self) -> str:
        if self._ptr == ffi.NULL:
            return "<autorestore.Engine (closed)>"
        i = self.info
        return f"<autorestore.Engine {i['model']} on {i['device']}>"

    # --- work ---------------------------------------------------------------------------------
    def analyze(self, image: np.ndarray) -> dict:
        """What is wrong with `image` and how much one click would repair.

        Returns a dict with the keys of ``autorestore analyze --json``: ``scores`` (name ->
        probability in [0, 1]), ``detected`` (names scoring >= 0.5), ``amount`` (0..1, how
        much automatic mode repairs), ``nothing_to_repair`` (amount is 0: automatic mode
        returns the image as it is), ``gates`` (expert weights), plus ``cond`` (the image's
        global condition).
        """
        arr = _image.prepare(image)
        found = ffi.new("AutorestoreAnalysis *")
        ptr = self._enter()
        try:
            _check(lib.autorestore_analyze(ptr, _image.descriptor(arr), found))
        finally:
            self._leave()
        scores = {n: float(found.scores[i]) for i, n in enumerate(self._names)}
        return {
            "scores": scores,
            "detected": [n for n, s in scores.items() if s >= DETECTED_THRESHOLD],
            "amount": float(found.amount),
            "nothing_to_repair": found.amount == 0.0,
            "gates": [float(found.gates[i]) for i in range(found.gate_count)],
            "cond": [float(found.cond[i]) for i in range(found.cond_count)],
        }

    def restore(
        self,
        image: np.ndarray,
        mode: str = "auto",
        strength: float = 1.0,
        steps: Optional[int] = None,
        seed: int = 0,
        progress: Optional[ProgressFn] = None,
    ) -> np.ndarray:
        """Restores `image` and returns a new array of the same dtype and shape.

        Args:
            image: HxW or HxWxC (C = 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) numpy array of
                uint8, uint16, float16 or float32 (0..1). Never modified; alpha passes through.
            mode: ``"auto"`` (the analysis decides; nothing to repair returns the pixels as
                they are), or one repair: ``"denoise"``, ``"deblur"``, ``"dehaze"``,
                ``"lowlight"``, ``"derain"``.
            strength: 0..1, blend between the input (0) and the full restoration (1).
            steps: sampler steps, None = the model's default.
            seed: the sampler's seed; the same seed gives the same result.
            progress: called with the fraction done (0..1) on the calling thread; return
                False to cancel (`CancelledError`). An exception raised in it cancels the
                restore and is raised again here.

        Same settings give the same bytes as ``autorestore restore`` on the same pixels.
        """
        arr = _image.prepare(image)
        params = ffi.new("AutorestoreRestoreParams *")
        lib.autorestore_restore_params_init(params)
        m = ffi.new("AutorestoreMode *")
        _check(lib.autorestore_mode_from_name(str(mode).encode(), m))
        params.mode = m[0]
        params.strength = float(strength)
        try:
            params.steps = 0 if steps is None else steps
            params.seed = seed
        except (OverflowError, TypeError) as e:
            raise InvalidArgumentError(f"steps/seed must be non-negative ints: {e}") from None
        if steps is not None and steps < 1:
            raise InvalidArgumentError(f"steps must be at least 1, got {steps}")
        raised: list[BaseException] = []
        if progress is not None:

            def on_progress(fraction: float, _user: Any) -> bool:
                try:
                    return progress(fraction) is not False
                except BaseException as e:  # noqa: BLE001 - re-raised after the call
                    raised.append(e)
                    return False

            callback = ffi.callback("AutorestoreProgressFn", on_progress)
            params.progress = callback
        out = np.empty_like(arr, order="C")
        ptr = self._enter()
        try:
            status = lib.autorestore_restore(
                ptr, _image.descriptor(arr), _image.descriptor(out), params
            )
        finally:
            self._leave()
        if raised:
            raise raised[0]
        _check(status)
        return out
