"""Inter-MoE rule sweep for one exported model, without re-exporting: the gates are rebuilt in
Python from the analysis's scores and intra weights for each rule (the shipped rule is in the
graph: inter = scores^p / sum, p = autorestore.inter_power). Held-out photos (1 step, one click
with each rule: amount and "nothing to repair" as the engine applies them; forced) and the
shipped samples (flags a rule under which a sample loses).

  python models/scripts/inter_sweep.py MODEL_DIR [threads]

Behind the 1.1.0 choice of p = 5 (MODEL_CARD.md); kept for the next model's rule.
"""
import sys

import numpy as np

sys.path.insert(0, ".")
import torch  # noqa: E402
from PIL import Image  # noqa: E402

from models.autorestore_model import DEGRADATIONS, SUBTYPES  # noqa: E402
from models.autorestore_model.evaluate import degrade, forced, load_eval, psnr  # noqa: E402
from models.autorestore_model.infer import OrtModel  # noqa: E402

RULES = {"cur": lambda s: (s + 0.05) ** 2, "p4": lambda s: s ** 4, "p5": lambda s: s ** 5, "p8": lambda s: s ** 8}


def gates(m, an, f):
    w = f(an.scores.astype(np.float64)) + 1e-30
    return m.gates_for(an.intra, (w / w.sum()).astype(np.float32))


def one_click(m, y, an, f):
    """One click with the rule f instead of the graph's: amount and nothing-to-repair kept."""
    if an.nothing_to_repair:
        return y.copy()
    return m.restore(y, gates(m, an, f), an.cond, steps=1, strength=an.amount)


def main():
    torch.set_num_threads(1)
    m = OrtModel(sys.argv[1], threads=int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    res = {k: {} for k in list(RULES) + ["forced", "input"]}
    for pi, (_name, img) in enumerate(load_eval("data/photos/eval", 256)):
        for t, d in enumerate(DEGRADATIONS):
            for s, _sn in enumerate(SUBTYPES[d]):
                seed = 1000 * pi + 10 * t + s
                y = degrade(img, t, s, seed)
                an = m.analyze(y)
                res["input"].setdefault(d, []).append(psnr(y, img))
                for k, f in RULES.items():
                    res[k].setdefault(d, []).append(psnr(one_click(m, y, an, f), img))
                res["forced"].setdefault(d, []).append(psnr(forced(m, y, an, [t], seed=0), img))
    inp = {d: np.mean(v) for d, v in res["input"].items()}
    load = lambda p: np.asarray(Image.open(p).convert("RGB"), dtype=np.float32) / 255
    samples = ["blur", "demo", "haze", "lowlight", "noise", "rain"]
    for k in list(RULES) + ["forced"]:
        per = {d: np.mean(v) - inp[d] for d, v in res[k].items()}
        line = f"{k:7s} " + " ".join(f"{d}={per[d]:+.2f}" for d in DEGRADATIONS) + f" mean={np.mean(list(per.values())):+.3f}"
        if k in RULES:
            sm = []
            for n in samples:
                y, c = load(f"samples/{n}_degraded.png"), load(f"samples/{n}_clean.png")
                sm.append(psnr(one_click(m, y, m.analyze(y), RULES[k]), c) - psnr(y, c))
            line += " | samples " + " ".join(f"{n}={g:+.1f}" for n, g in zip(samples, sm)) + ("" if min(sm) > 0 else "  <-- a sample loses")
        print(line, flush=True)


if __name__ == "__main__":
    main()
