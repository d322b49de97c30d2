"""Shared by the tests: the CLI built by cargo, PNG files at every depth (pypng)."""

import os
import subprocess
from pathlib import Path

import numpy as np
import png

REPO = Path(os.environ["AUTORESTORE_REPO"])
CLI = os.environ["AUTORESTORE_CLI"]


def write_png(path, pixels):
    h, w, c = pixels.shape
    with open(path, "wb") as f:
        png.Writer(w, h, greyscale=c <= 2, alpha=c in (2, 4),
                   bitdepth=pixels.dtype.itemsize * 8).write(f, pixels.reshape(h, w * c))


def read_png(path):
    with open(path, "rb") as f:
        w, h, rows, info = png.Reader(file=f).asDirect()
        dt = np.uint16 if info["bitdepth"] > 8 else np.uint8
        return np.vstack([np.asarray(r, dt) for r in rows]).reshape(h, w, info["planes"])


def cli(*args):
    return subprocess.run([CLI, *map(str, args)], check=True, capture_output=True, text=True)


def sample(h=120, w=96):
    """An RGB uint8 crop of a shipped degraded sample (real damage, so the model works)."""
    return read_png(REPO / "samples" / "noise_degraded.png")[:h, :w, :3].copy()
