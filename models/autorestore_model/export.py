"""Export a `restore`-stage checkpoint to the engine's two ONNX graphs (models/README.md).

  python -m models.autorestore_model.export --ckpt models/runs/restore.pt --out models/shipped

Writes analyze.onnx and restore.onnx (opset 17, dynamic H/W and view count, fp32 weights) with
the contract metadata, then manifest.json with their SHA-256 sums, then checks that ONNX
Runtime's outputs match PyTorch's.
"""
import argparse
import hashlib
import json
import os
import tempfile

import numpy as np
import onnx
import torch

from .config import ModelConfig
from .net import AnalyzeGraph, DegradationRouter, RestoreNet, receptive_field

CONTRACT = 2
MAX_FILE_BYTES = 16 * 1024 * 1024


class RestoreGraph(torch.nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x_t, y, t, gates, cond):
        return self.net(x_t, y, t, gates, cond)


def metadata(cfg: ModelConfig) -> dict:
    return {
        "autorestore.contract": str(CONTRACT),
        "autorestore.name": cfg.name,
        "autorestore.version": cfg.version,
        "autorestore.degradations": ",".join(cfg.degradations),
        "autorestore.subexperts": str(cfg.subexperts),
        "autorestore.tile_multiple": str(cfg.tile_multiple),
        "autorestore.receptive_field": str(receptive_field(cfg)),
        "autorestore.cond_dim": str(cfg.cond_dim),
        "autorestore.inter_power": repr(float(cfg.inter_power)),
        "autorestore.default_steps": str(cfg.default_steps),
        "autorestore.analyze_size": str(cfg.analyze_size),
        "autorestore.analyze_crops": str(cfg.analyze_crops),
        "autorestore.sampler": "flow-v1",
        "autorestore.noise_scale": repr(float(cfg.noise_scale)),
    }


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_checkpoint(path: str):
    st = torch.load(path, map_location="cpu", weights_only=False)
    cfg = ModelConfig.from_dict(st["cfg"])
    if st.get("stage") != "restore":
        raise SystemExit(f"{path} is a '{st.get('stage')}' checkpoint; export needs a 'restore' one")
    from .train import _load_warm  # a checkpoint from before the tone curve loads as the same function

    net = RestoreNet(cfg, cfg.n_gates)
    _load_warm(net, {k: v.float() if v.is_floating_point() else v for k, v in st["net"].items()}, "restorer")
    router = DegradationRouter(cfg)
    _load_warm(router, {k: v.float() if v.is_floating_point() else v for k, v in st["router"].items()}, "router")
    return cfg, net.eval(), router.eval()


def _export(module, args, path, input_names, output_names, dynamic_axes, meta):
    with tempfile.TemporaryDirectory() as td:
        tmp = os.path.join(td, "m.onnx")
        torch.onnx.export(module, args, tmp, input_names=input_names, output_names=output_names,
                          dynamic_axes=dynamic_axes, opset_version=17, do_constant_folding=True, dynamo=False)
        m = onnx.load(tmp)
    m.doc_string = "AutoRestore MiM-DiT model; contract in models/README.md"
    del m.metadata_props[:]
    for k, v in meta.items():
        p = m.metadata_props.add()
        p.key, p.value = k, v
    onnx.checker.check_model(m)
    onnx.save(m, path)
    size = os.path.getsize(path)
    if size > MAX_FILE_BYTES:
        raise SystemExit(f"{path} is {size} bytes, over the 16 MiB limit")


def export(ckpt: str, out: str, check: bool = True, trained: bool = True):
    cfg, net, router = load_checkpoint(ckpt)
    os.makedirs(out, exist_ok=True)
    meta = metadata(cfg)
    S = cfg.analyze_size
    views = torch.rand(1 + cfg.analyze_crops, 3, S, S)
    _export(AnalyzeGraph(router), (views,), os.path.join(out, "analyze.onnx"), ["views"],
            ["scores", "intra", "gates", "amount", "cond"], {"views": {0: "V"}}, meta)
    m = cfg.tile_multiple
    x = torch.rand(1, 3, 8 * m, 6 * m)
    gates = torch.full((1, cfg.n_gates), 1.0 / cfg.n_gates)
    cond = torch.zeros(1, cfg.cond_dim)
    _export(RestoreGraph(net), (x, x, torch.tensor([1.0]), gates, cond), os.path.join(out, "restore.onnx"),
            ["x_t", "y", "t", "gates", "cond"], ["x0"], {"x_t": {2: "H", 3: "W"}, "y": {2: "H", 3: "W"}, "x0": {2: "H", 3: "W"}}, meta)
    manifest = {"name": cfg.name, "version": cfg.version, "contract": CONTRACT, "trained": trained,
                "files": {f: sha256(os.path.join(out, f)) for f in ("analyze.onnx", "restore.onnx")}}
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    if check:
        check_against_torch(out, cfg, net, router)
    return manifest


def check_against_torch(out, cfg, net, router, tol=2e-3):
    """ONNX Runtime must reproduce PyTorch, on sizes the export never saw."""
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.log_severity_level = 3
    an = ort.InferenceSession(os.path.join(out, "analyze.onnx"), so, providers=["CPUExecutionProvider"])
    rs = ort.InferenceSession(os.path.join(out, "restore.onnx"), so, providers=["CPUExecutionProvider"])
    g = torch.Generator().manual_seed(3)
    views = torch.rand(3, 3, cfg.analyze_size, cfg.analyze_size, generator=g)
    with torch.no_grad():
        ref = AnalyzeGraph(router)(views)
    got = an.run(None, {"views": views.numpy()})
    d_an = max(float(np.abs(a - b.numpy()).max()) for a, b in zip(got, ref))
    m = cfg.tile_multiple
    x = torch.rand(1, 3, 13 * m, 21 * m, generator=g)
    y = torch.rand(1, 3, 13 * m, 21 * m, generator=g)
    gates, cond = ref[2], ref[4]
    t = torch.tensor([0.6])
    with torch.no_grad():
        ref_x0 = net(x, y, t, gates, cond).numpy()
    got_x0 = rs.run(None, {"x_t": x.numpy(), "y": y.numpy(), "t": t.numpy(), "gates": gates.numpy(),
                           "cond": cond.numpy()})[0]
    d_rs = float(np.abs(got_x0 - ref_x0).max())
    print(f"ONNX Runtime vs PyTorch: analyze max diff {d_an:.2e}, restore max diff {d_rs:.2e}")
    if d_an > tol or d_rs > tol:
        raise SystemExit("ONNX Runtime output differs from PyTorch beyond tolerance")


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--out", default="models/shipped")
    ap.add_argument("--no-check", action="store_true")
    ap.add_argument("--untrained", action="store_true", help="mark a plumbing export (tests then skip quality checks)")
    a = ap.parse_args(argv)
    print(json.dumps(export(a.ckpt, a.out, check=not a.no_check, trained=not a.untrained), indent=2))


if __name__ == "__main__":
    main()
