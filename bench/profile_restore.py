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


def profile(model, size, threads, runs, warmup=2):
    """Per op type and per part of the network: kernel microseconds summed over `runs` runs,
    after `warmup` runs whose nodes are left out (the first runs of a session page in and grow
    its memory arena: some nodes take 2-3x their steady time there)."""
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.intra_op_num_threads = threads
    so.log_severity_level = 3
    so.add_session_config_entry("session.intra_op.allow_spinning", "0")  # as the engine (src/engine/pool.rs)
    with tempfile.TemporaryDirectory() as td:
        so.enable_profiling = True
        so.profile_file_prefix = os.path.join(td, "p")
        s = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
        shapes = {i.name: i.shape for i in s.get_inputs()}
        feed = inputs(size, shapes["gates"][1], shapes["cond"][1])
        for _ in range(warmup):
            s.run(None, feed)
        t0 = time.perf_counter()
        for _ in range(runs):
            s.run(None, feed)
        wall = (time.perf_counter() - t0) / runs
        with open(s.end_profiling()) as f:
            events = json.load(f)
    seen = collections.Counter()
    per_op, per_part = collections.Counter(), collections.Counter()
    for e in events:  # in run order: each node's first `warmup` events are the warm-up runs'
        if e.get("cat") == "Node" and e["name"].endswith("_kernel_time"):
            seen[e["name"]] += 1
            if seen[e["name"]] <= warmup:
                continue
            op = e["args"]["op_name"]
            per_op[op] += e["dur"]
            per_part[part(e["name"], op)] += e["dur"]
    return per_op, per_part, runs, wall


def part(node, op):
    """Which part of the network (net.py) a node belongs to, from the exporter's module path."""
    if op in ("ReorderInput", "ReorderOutput"):
        return "NCHWc layout reorders (ORT's, around its blocked convs)"
    if "/tone/" in node:
        return "tone curve"
    if "/ffn/" in node:
        if op in ("MatMul", "Gemm", "ReduceSum") or "Reshape" in node:
            return "expert mixing (gates @ expert weights, folded affine; every tile)"
        return "FFN convs + GELU gate (mixed weights: not NCHWc)"
    if "/attn/" in node:
        return "attention (q, k, v 1x1 + depthwise 3x3, gate, proj)"
    if "/norm" in node:
        return "ChannelNorm (mean/variance convs, Sub, Mul, 1/std, affine)"
    if node.startswith("/net/Transpose") or node.startswith("/net/Concat") or op == "DepthToSpace":
        return "stem input concat / pixel_unshuffle, head pixel_shuffle"
    if any(k in node for k in ("/stem/", "/head/", "/down.", "/up.", "/fuse.")) or (
            op in ("Conv", "ConvTranspose") and node.count("/") == 2):
        # the stem conv, the folded up + fuse convs: ops of RestoreNet itself (/net/Conv_...)
        return "stem, head, down/up-sampling, skip fuse convs"
    return "adaLN modulation and residual adds, other"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "shipped", "restore.onnx"))
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2, help="runs before the profiled ones, left out")
    a = ap.parse_args()
    per_op, per_part, runs_seen, wall = profile(a.model, a.size, a.threads, a.runs, a.warmup)
    total = sum(per_op.values())
    mp = a.size * a.size / 1e6
    print(f"{a.size}x{a.size}, {a.threads} threads, {runs_seen} profiled runs after {a.warmup} warm-up runs: "
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
