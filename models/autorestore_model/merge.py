"""Combine the restorer of one checkpoint with the router of another (the router stage trains
the router alone, while the restorer may have trained on elsewhere), into one checkpoint.

  python -m models.autorestore_model.merge --restore A.pt --router B.pt --out final.pt [--version 1.1.0] [--half]
      [--blend C.pt --blend-weight 0.5]

The configuration written is the current ModelConfig's reading of the checkpoints' one (new
fields take their defaults), with --version as the model version when given.
"""
import argparse
import dataclasses
import json

import torch

from .config import ModelConfig
from .train import save


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--restore", required=True)
    ap.add_argument("--router", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--version", help="model version of the result (default: the restorer's)")
    ap.add_argument("--blend", metavar="CKPT",
                    help="average the restorer's weights with this checkpoint's (same architecture): "
                         "a fine-tuned net and the net it started from often restore better averaged")
    ap.add_argument("--blend-weight", type=float, default=0.5, help="share of --blend in the average")
    ap.add_argument("--inter-power", type=float, help="Inter-MoE sharpness p of the result (config.py)")
    ap.add_argument("--half", action="store_true",
                    help="store the weights in float16 (models/checkpoints: half the bytes; loading casts back)")
    a = ap.parse_args(argv)
    rs = torch.load(a.restore, map_location="cpu", weights_only=False)
    ro = torch.load(a.router, map_location="cpu", weights_only=False)
    cfg = ModelConfig.from_dict(rs["cfg"])
    if dataclasses.replace(cfg, version="") != dataclasses.replace(ModelConfig.from_dict(ro["cfg"]), version=""):
        raise SystemExit("the two checkpoints have different model configurations")
    if a.version:
        cfg.version = a.version
    if a.inter_power:
        cfg.inter_power = a.inter_power
    out = {"stage": "restore", "cfg": json.loads(cfg.to_json()), "net": rs["net"], "router": ro["router"],
           "step": rs.get("step", 0), "seconds": rs.get("seconds", 0.0),
           "router_step": ro.get("router_step", ro.get("step", 0)),
           "router_seconds": ro.get("router_seconds", ro.get("seconds", 0.0))}
    if a.blend:
        bl = torch.load(a.blend, map_location="cpu", weights_only=False)["net"]
        w = a.blend_weight
        out["net"] = {k: ((1 - w) * v.float() + w * bl[k].float()) if v.is_floating_point() else v
                      for k, v in out["net"].items()}
        out["blend"] = {"with": a.blend, "weight": w}
    if a.half:
        for part in ("net", "router"):
            out[part] = {k: v.half() if v.is_floating_point() else v for k, v in out[part].items()}
        out["dtype"] = "float16 (cast to float32 on load)"
    save(a.out, **out)
    print(f"{a.out}: restorer from {a.restore} (step {out['step']}), router from {a.router} (step {out['router_step']})")


if __name__ == "__main__":
    main()
