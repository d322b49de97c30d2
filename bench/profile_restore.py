"""Where the restore graph's time goes: ONNX Runtime's own profiler on one tile (issue 19).

  python bench/profile_restore.py [--model models/shipped/restore.onnx] [--size 512] [--threads 2]

Runs the graph with the engine's session options (all graph optimisations), warms up, profiles
--runs runs and prints each op type's share of the kernel time, as a Markdown table, plus the
kernel time per megapixel. The op types are those ORT runs after its fusions (e.g. FusedConv).
"""
import argparse
import collections
import json
import os
import tempfile
import time

import numpy as np
import onnxruntime as ort

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def inputs(size, n_gates, cond_dim, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((1, 3, size, size), dtype=np.float32)
    g = rng.random((1, n_gates), dtype=np.float32)
    return {"x_t": x, "y": x.copy(), "t": np.array([1.0], np.float32), "gates": g / g.sum(),
            "cond": rng.standard_normal((1, cond_dim), dtype=np.float32) * 0.1}


def profile(model, size, threads, runs):
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.intra_op_num_threads = threads
    so.log_severity_level = 3
    with tempfile.TemporaryDirectory() as td:
        so.enable_profiling = True
        so.profile_file_prefix = os.path.join(td, "p")
        s = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
        shapes = {i.name: i.shape for i in s.get_inputs()}
        feed = inputs(size, shapes["gates"][1], shapes["cond"][1])
        s.run(None, feed)  # warm-up (first run allocates)
        t0 = time.perf_counter()
        for _ in range(runs):
            s.run(None, feed)
        wall = (time.perf_counter() - t0) / runs
        with open(s.end_profiling()) as f:
            events = json.load(f)
    per_op, per_part = collections.Counter(), collections.Counter()
    for e in events:  # every profiled run, the warm-up included (runs_seen counts them)
        if e.get("cat") == "Node" and e["name"].endswith("_kernel_time"):
            op = e["args"]["op_name"]
            per_op[op] += e["dur"]
            per_part[part(e["name"], op)] += e["dur"]
    runs_seen = sum(1 for e in events if e.get("name") == "model_run")
    return per_op, per_part, runs_seen, wall


def part(node, op):
    """Which part of the network (net.py) a node belongs to, from the exporter's module path."""
    if op in ("ReorderInput", "ReorderOutput"):
        return "NCHWc layout reorders (ORT's, around its blocked convs)"
    if node.startswith("/net/Transpose") or node.startswith("/net/Concat") or op == "DepthToSpace":
        return "stem pixel_unshuffle / concat, head pixel_shuffle"
    if "/ffn/" in node:
        if op in ("MatMul", "Gemm") or "Reshape" in node:
            return "expert mixing (gates @ expert weights, every tile)"
        return "FFN convs + GELU gate (mixed weights: not NCHWc)"
    if "/attn/" in node:
        return "attention (qkv 1x1 + depthwise 3x3, gate, proj)"
    if "/norm" in node:
        return "ChannelNorm (ReduceMean, Sub, Pow, Sqrt, Div)"
    if "/tone/" in node:
        return "tone curve"
    if any(k in node for k in ("/stem/", "/head/", "/down.", "/up.", "/fuse.")):
        return "stem, head, down/up-sampling, skip fuse convs"
    return "adaLN modulation and residual adds, other"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "shipped", "restore.onnx"))
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    per_op, per_part, runs_seen, wall = profile(a.model, a.size, a.threads, a.runs)
    total = sum(per_op.values())
    mp = a.size * a.size / 1e6
    print(f"{a.size}x{a.size}, {a.threads} threads, {runs_seen} profiled runs (incl. warm-up): "
          f"{wall / mp:.3f} s/MP/step wall, kernels {total / runs_seen / 1e6 / mp:.3f} s/MP/step")
    print("| op type (after ORT fusions) | share of kernel time | ms per tile |")
    print("|---|---:|---:|")
    for op, us in per_op.most_common():
        print(f"| {op} | {100 * us / total:.1f} % | {us / runs_seen / 1e3:.1f} |")
    print("\n| part of the network | share of kernel time | ms per tile |")
    print("|---|---:|---:|")
    for p, us in per_part.most_common():
        print(f"| {p} | {100 * us / total:.1f} % | {us / runs_seen / 1e3:.1f} |")


if __name__ == "__main__":
    main()
