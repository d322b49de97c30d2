"""The held-out evaluation of a reduced-precision restore graph (issue 19): models/TRAINING.md's
`evaluate`, with every restore run on a per-image variant of the shipped graph built for that
image's gates and cond (bench/precision_variants.py: baked, constant-folded, then quantised;
a QDQ variant is calibrated on the image it restores, the best case of a per-image int8 session).

  PYTHONPATH=build/pyextra python bench/precision_eval.py --variant "int8 QDQ per-channel" \
      --photos /work/main/data/photos/eval --json build/eval-int8.json [evaluate's options]
  python -m models.autorestore_model.compare --before build/eval-fp32.json --after build/eval-int8.json

Needs torch (evaluate degrades the photos with the training synthesis) and the held-out photos;
not part of `make bench`. The fp32 side is the plain `evaluate` with the same options.
"""
import argparse
import os
import sys
import tempfile

import numpy as np
import onnxruntime as ort

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from graph_speed import NO_SPIN, options  # noqa: E402
from precision_variants import LOSSY, build_variants, feed  # noqa: E402

from models.autorestore_model import evaluate, infer  # noqa: E402


def per_image_model(kind, td):
    """infer.OrtModel whose restore graph is, for every call, `kind` built for that call's gates."""

    class PerImage(infer.OrtModel):
        def restore(self, img, gates, cond, steps=None, seed=0, strength=1.0):
            h, w, _ = img.shape
            m = self.multiple
            H, W = -(-h // m) * m, -(-w // m) * m
            y = np.pad(img, ((0, H - h), (0, W - w), (0, 0)), mode="reflect").transpose(2, 0, 1)[None]
            f = feed(np.ascontiguousarray(y, np.float32), gates[None].astype(np.float32), cond.astype(np.float32))
            path, note = build_variants(os.path.join(self.dir, "restore.onnx"), td, f["gates"], f["cond"], [f],
                                        only=[kind])[kind]
            if path is None:
                raise SystemExit(f"{kind}: {note}")
            shipped = self.restore_s
            self.restore_s = Baked(ort.InferenceSession(path, options(2, "all", NO_SPIN),
                                                        providers=["CPUExecutionProvider"]))
            try:
                return super().restore(img, gates, cond, steps=steps, seed=seed, strength=strength)
            finally:
                self.restore_s = shipped

        def __init__(self, model_dir, threads=2):
            super().__init__(model_dir, threads)
            self.dir = model_dir

    return PerImage


class Baked:
    """A per-image session: it has no gates/cond inputs (they are its initializers)."""

    def __init__(self, s):
        self.s, self.names = s, {i.name for i in s.get_inputs()}

    def run(self, outputs, f):
        return self.s.run(outputs, {k: v for k, v in f.items() if k in self.names})


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variant", required=True, choices=list(LOSSY))
    a, rest = ap.parse_known_args()
    with tempfile.TemporaryDirectory() as td:
        infer.OrtModel = per_image_model(a.variant, td)  # evaluate.main imports it from infer at call time
        evaluate.main(rest)


if __name__ == "__main__":
    main()
