"""Quick held-out check of training checkpoints: PSNR gain of one step at t = 1 on the val photos
(data/pack/val), per degradation type, with the router's own gates and cond, on a fixed seeded
set of synthesised damage. Minutes, not the full evaluation: for watching a run.

  python -m models.scripts.quick_val CKPT [CKPT ...] [--n 24] [--crop 128]
"""
import argparse

import torch

from models.autorestore_model import DEGRADATIONS, synth
from models.autorestore_model.data import CropSampler, load_photos
from models.autorestore_model.net import DegradationRouter, RestoreNet
from models.autorestore_model.config import ModelConfig
from models.autorestore_model.train import _load_warm, load_checkpoint, view_descriptors


def psnr(a, b):
    return -10 * torch.log10(((a - b) ** 2).mean((1, 2, 3)).clamp(min=1e-10))


@torch.no_grad()
def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("ckpts", nargs="+")
    ap.add_argument("--data", default="data/pack/val")
    ap.add_argument("--n", type=int, default=24, help="crops per type")
    ap.add_argument("--crop", type=int, default=128)
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    photos, _ = load_photos(a.data, torch.device("cpu"))
    x = CropSampler(photos, a.crop, seed=123).batch(a.n)
    for path in a.ckpts:
        st = load_checkpoint(path, with_opt=False)
        cfg = ModelConfig.from_dict(st["cfg"])
        net, router = RestoreNet(cfg, cfg.n_gates), DegradationRouter(cfg)
        # a checkpoint from before the tone curve reads as the same function (identity curve)
        _load_warm(net, {k: v.float() for k, v in st["net"].items()}, "restorer")
        _load_warm(router, {k: v.float() for k, v in st["router"].items()}, "router")
        net.eval(), router.eval()
        row = []
        for t, name in enumerate(DEGRADATIONS):
            gains, hits = [], 0
            for sub in range(3):
                y, _ = synth.degrade_batch(x, seed=1000 * t + sub, forced=(t, sub))
                sl, il, cond = router.from_descriptors(view_descriptors(router, y, cfg.analyze_size, cfg.analyze_crops))
                scores = torch.sigmoid(sl)
                gates = router.merge(router.inter_from_scores(scores), router.intra_gates(il))
                out = net(y, y, torch.ones(y.shape[0]), gates, cond).clamp(0, 1)
                gains.append(psnr(out, x) - psnr(y, x))
                hits += int((scores.argmax(1) == t).sum())
            row.append(f"{name} {torch.cat(gains).mean():+.2f} dB ({100 * hits / (3 * a.n):.0f}%)")
        y = x.clone()
        sl, il, cond = router.from_descriptors(view_descriptors(router, y, cfg.analyze_size, cfg.analyze_crops))
        scores = torch.sigmoid(sl)
        clean = (DegradationRouter.amount(scores) == 0).float().mean()
        print(f"{path} step {st.get('step')}: " + ", ".join(row) + f", clean 'nothing' {100 * clean:.0f}%", flush=True)


if __name__ == "__main__":
    main()
