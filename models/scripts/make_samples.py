"""Make the shipped sample pairs in samples/ from held-out evaluation photos with the model's own
degradation synthesis (deterministic): samples/<name>_clean.png and samples/<name>_degraded.png.

  python -m models.scripts.make_samples --photos data/photos/eval --out samples
"""
import argparse
import json
import os

import numpy as np
import torch
from PIL import Image

from models.autorestore_model import DEGRADATIONS, SUBTYPES, synth

# (sample name, eval photo, [(degradation, sub-type), ...], crop size); "demo" is what `make demo` restores.
SAMPLES = [
    ("noise", "sporco__kodim23.png", [("noise", "gaussian")], 384),
    ("haze", "mahotas__DepartmentStore.png", [("haze", "depth")], 384),
    ("lowlight", "sporco__monarch.png", [("lowlight", "dark")], 384),
    ("rain", "sporco__sail.png", [("rain", "streaks")], 384),
    ("blur", "sporco__tulips.png", [("blur", "defocus")], 384),
    ("demo", "plenoptic__macaca_nigra_self-portrait.png", [("haze", "depth"), ("noise", "gaussian")], 768),
]


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--photos", default="data/photos/eval")
    ap.add_argument("--out", default="samples")
    a = ap.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    info = {}
    for i, (name, photo, degs, crop) in enumerate(SAMPLES):
        im = np.asarray(Image.open(os.path.join(a.photos, photo)).convert("RGB"), dtype=np.float32) / 255
        h, w, _ = im.shape
        c = min(crop, h, w)
        y0, x0 = (h - c) // 2, (w - c) // 2
        clean = im[y0:y0 + c, x0:x0 + c]
        x = torch.from_numpy(clean.transpose(2, 0, 1).copy())[None]
        present = torch.zeros(1, len(DEGRADATIONS))
        sub = torch.zeros(1, len(DEGRADATIONS), dtype=torch.long)
        for dname, sname in degs:
            t = DEGRADATIONS.index(dname)
            present[0, t] = 1
            sub[0, t] = SUBTYPES[dname].index(sname)
        g = torch.Generator().manual_seed(4242 + i)
        y = synth.apply_plan(g, x, synth.Plan(present, sub))
        deg = y[0].numpy().transpose(1, 2, 0)
        to8 = lambda z: Image.fromarray((np.clip(z, 0, 1) * 255 + 0.5).astype(np.uint8))
        to8(clean).save(os.path.join(a.out, f"{name}_clean.png"), optimize=True)
        to8(deg).save(os.path.join(a.out, f"{name}_degraded.png"), optimize=True)
        info[name] = {"photo": photo, "degradations": [f"{d}/{s}" for d, s in degs], "seed": 4242 + i, "crop": c}
    with open(os.path.join(a.out, "samples.json"), "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")
    print(json.dumps(info, indent=2))


if __name__ == "__main__":
    main()
