"""Inter-MoE rule sweep for one exported model, without re-exporting: the gates are rebuilt in
Python from the analysis's scores and intra weights for each rule. Held-out photos (1 step, auto
with each rule, forced) and the shipped samples (flags a rule under which a sample loses).

  python models/scripts/inter_sweep.py MODEL_DIR [threads]
"""
import sys

import numpy as np
sys.path.insert(0, ".")
from PIL import Image
from models.autorestore_model import DEGRADATIONS, SUBTYPES
from models.autorestore_model.evaluate import load_eval, degrade, psnr
from models.autorestore_model.infer import OrtModel
import torch
torch.set_num_threads(1)
m = OrtModel(sys.argv[1], threads=int(sys.argv[2]) if len(sys.argv) > 2 else 1)
fns = {"cur": lambda s: (s + 0.05) ** 2, "p4": lambda s: s ** 4, "p5": lambda s: s ** 5,
       "p8": lambda s: s ** 8}
def gates(sc, intra, f):
    w = f(sc.astype(np.float64)) + 1e-30
    return m.gates_for(intra, (w / w.sum()).astype(np.float32))
res = {k: {} for k in list(fns) + ["forced", "input"]}
for pi, (name, img) in enumerate(load_eval("data/photos/eval", 256)):
    for t, d in enumerate(DEGRADATIONS):
        for s, sn in enumerate(SUBTYPES[d]):
            seed = 1000 * pi + 10 * t + s
            y = degrade(img, t, s, seed)
            sc, intra, _ = m.analyze(y)
            res["input"].setdefault(d, []).append(psnr(y, img))
            for k, f in fns.items():
                res[k].setdefault(d, []).append(psnr(m.restore(y, gates(sc, intra, f), steps=1), img))
            res["forced"].setdefault(d, []).append(psnr(m.restore(y, m.gates_for(intra, np.eye(5, dtype=np.float32)[t]), steps=1), img))
inp = {d: np.mean(v) for d, v in res["input"].items()}
L = lambda p: np.asarray(Image.open(p).convert("RGB"), dtype=np.float32) / 255
samples = ["blur", "demo", "haze", "lowlight", "noise", "rain"]
for k in list(fns) + ["forced"]:
    per = {d: np.mean(v) - inp[d] for d, v in res[k].items()}
    line = f"{k:7s} " + " ".join(f"{d}={per[d]:+.2f}" for d in DEGRADATIONS) + f" mean={np.mean(list(per.values())):+.3f}"
    if k in fns:
        sm = []
        for n in samples:
            y, c = L(f"samples/{n}_degraded.png"), L(f"/work/main/samples/{n}_clean.png")
            sc, intra, _ = m.analyze(y)
            sm.append(psnr(m.restore(y, gates(sc, intra, fns[k]), steps=1), c) - psnr(y, c))
        line += " | samples " + " ".join(f"{n}={g:+.1f}" for n, g in zip(samples, sm)) + ("" if min(sm) > 0 else "  <-- a sample loses")
    print(line, flush=True)
