"""Run the exported model with ONNX Runtime from Python, as the Rust engine does (whole image,
no tiling): analysis views, gates, the flow-v1 sampler. Used by the evaluation so that what is
measured is what ships."""
import json
import os
from dataclasses import dataclass

import numpy as np
import onnxruntime as ort
from PIL import Image


@dataclass
class Analysis:
    scores: np.ndarray  # [D] presence probabilities
    intra: np.ndarray   # [D, K] Intra-MoE weights
    gates: np.ndarray   # [D*K] merged gates
    amount: float       # how much one click restores; 0 = nothing to repair
    cond: np.ndarray    # [1, C] global condition, passed to every restore call (None: contract 1)

    @property
    def nothing_to_repair(self) -> bool:
        return self.amount <= 0


class OrtModel:
    def __init__(self, model_dir: str, threads: int = 2):
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        so.log_severity_level = 3
        self.analyze_s = ort.InferenceSession(os.path.join(model_dir, "analyze.onnx"), so, providers=["CPUExecutionProvider"])
        self.restore_s = ort.InferenceSession(os.path.join(model_dir, "restore.onnx"), so, providers=["CPUExecutionProvider"])
        meta = self.restore_s.get_modelmeta().custom_metadata_map
        self.degradations = meta["autorestore.degradations"].split(",")
        self.K = int(meta["autorestore.subexperts"])
        self.multiple = int(meta["autorestore.tile_multiple"])
        self.default_steps = int(meta["autorestore.default_steps"])
        self.S = int(meta["autorestore.analyze_size"])
        self.crops = int(meta["autorestore.analyze_crops"])
        self.sigma = float(meta["autorestore.noise_scale"])
        self.contract = int(meta["autorestore.contract"])
        # Contract 1 models (1.1.0 and older) are still read, so that a candidate can be compared
        # with them on the same code: no amount (always a full repair), no cond, no declared field.
        self.receptive_field = int(meta.get("autorestore.receptive_field", 0))
        with open(os.path.join(model_dir, "manifest.json")) as f:
            self.manifest = json.load(f)

    # ------------------------------------------------------------------ analysis
    def views(self, img: np.ndarray) -> np.ndarray:
        """img [H,W,3] float in [0,1] -> views [V,3,S,S] per models/README.md."""
        S = self.S
        h, w, _ = img.shape
        whole = np.stack([np.asarray(Image.fromarray(img[:, :, c].astype(np.float32)).resize((S, S), Image.BOX)) for c in range(3)], 0)
        out = [whole]
        g = int(round(self.crops ** 0.5))
        pad = np.pad(img, ((0, max(0, S - h)), (0, max(0, S - w)), (0, 0)), mode="reflect") if (h < S or w < S) else img
        ph, pw, _ = pad.shape
        for i in range(g):
            for j in range(g):
                cy = int((i + 0.5) * ph / g)
                cx = int((j + 0.5) * pw / g)
                y0 = min(max(0, cy - S // 2), ph - S)
                x0 = min(max(0, cx - S // 2), pw - S)
                out.append(pad[y0:y0 + S, x0:x0 + S].transpose(2, 0, 1))
        return np.stack(out).astype(np.float32)

    def analyze(self, img):
        """-> Analysis (scores, intra, gates, amount, cond) of img [H,W,3] in [0,1]."""
        out = self.analyze_s.run(None, {"views": self.views(img)})
        if self.contract == 1:
            scores, intra, gates = out
            return Analysis(scores[0], intra[0], gates[0], 1.0, None)
        scores, intra, gates, amount, cond = out
        return Analysis(scores[0], intra[0], gates[0], float(amount[0]), cond)

    def gates_for(self, intra, weights):
        inter = np.asarray(weights, np.float32)
        inter = inter / inter.sum()
        return (inter[:, None] * intra).reshape(-1).astype(np.float32)

    # ------------------------------------------------------------------ restoration
    def one_click(self, img, analysis=None, **kw):
        """Automatic mode as the engine runs it: nothing to repair (amount 0) returns the input
        unchanged; otherwise the analysis' gates at strength `amount` (models/README.md)."""
        a = analysis or self.analyze(img)
        if a.nothing_to_repair:
            return img.copy()
        return self.restore(img, a.gates, a.cond, strength=a.amount, **kw)

    def restore(self, img, gates, cond, steps=None, seed=0, strength=1.0):
        steps = steps or self.default_steps
        h, w, _ = img.shape
        m = self.multiple
        H, W = -(-h // m) * m, -(-w // m) * m
        y = np.pad(img, ((0, H - h), (0, W - w), (0, 0)), mode="reflect").transpose(2, 0, 1)[None].astype(np.float32)
        x = y
        g = gates[None].astype(np.float32)
        for i in range(steps):
            t = 1.0 - i / steps
            feed = {"x_t": x, "y": y, "t": np.array([t], np.float32), "gates": g}
            if self.contract >= 2:
                feed["cond"] = cond
            x0 = self.restore_s.run(None, feed)[0]
            if i == steps - 1:
                break
            tn = t - 1.0 / steps
            from .sampler import gauss_field  # here, not at the top: sampler.py needs torch, the analysis does not

            # Noise is keyed on source pixels; padding reflects it like the image (src/sampler.rs).
            eps = np.pad(gauss_field(seed, i, h, w), ((0, 0), (0, H - h), (0, W - w)), mode="reflect")[None]
            x = ((1 - tn) * x0 + tn * y + self.sigma * np.sqrt(tn * (1 - tn)) * eps).astype(np.float32)
        out = y + strength * (x0 - y)
        return np.clip(out[0].transpose(1, 2, 0)[:h, :w], 0, 1)
