"""Restore-graph speed on the CPU per variant, against the machine's measured peak (issue 19).

  python bench/graph_speed.py [--model models/shipped/restore.onnx] [--threads 1 2] [--json out.json]
                              [--variants all] [--tiles 512] [--rounds 3]

Every variant runs the same tile through ONNX Runtime's CPU EP (the engine's runtime), rounds
interleaved so that load from other users of the machine hits all variants alike; the best run
of each round is kept and the median over rounds reported. Printed per variant and thread
count: ms per megapixel per step, GFLOP/s achieved and its share of the peak, the ratio to the
engine's configuration (`engine`), and the max abs difference of the output to it.

The peak is a plain fp32 GEMM (ONNX Runtime MatMul, 1024^3, same threads, same run). The graph's
FLOPs are counted from the convolutions and matmuls ORT actually runs (the profiler's shapes).
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mixing_variants import BAKED, baked_bytes  # noqa: E402
from profile_restore import inputs  # noqa: E402

LEVELS = {"all": ort.GraphOptimizationLevel.ORT_ENABLE_ALL, "extended": ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
          "basic": ort.GraphOptimizationLevel.ORT_ENABLE_BASIC}

# name -> session settings; `engine` is what src/engine/pool.rs sets (keep the two in step)
NO_SPIN = {"session.intra_op.allow_spinning": "0"}
VARIANTS = {
    "engine": {"level": "all", "config": NO_SPIN, "pattern": False},
    "spinning threads (ORT default)": {"level": "all", "pattern": False},
    "memory pattern (ORT default)": {"level": "all", "config": NO_SPIN},
    "opt-extended (no NCHWc)": {"level": "extended", "config": NO_SPIN, "pattern": False},
    "opt-basic": {"level": "basic", "config": NO_SPIN, "pattern": False},
    "no cpu arena": {"level": "all", "config": NO_SPIN, "arena": False, "pattern": False},
    # what the engine runs for a CPU image of IMAGE_SESSION_MIN_PIXELS and more
    # (src/engine/image_session.rs): gates, cond and t baked in, the tile's H and W fixed
    "image session": {"level": "all", "config": NO_SPIN, "pattern": False, "image": True},
}


def options(threads, level="all", config=None, arena=True, profile_prefix=None, fixed=None, pattern=True):
    so = ort.SessionOptions()
    so.enable_mem_pattern = pattern
    for name, size in (fixed or {}).items():
        so.add_free_dimension_override_by_name(name, size)
    so.graph_optimization_level = LEVELS[level]
    so.intra_op_num_threads = threads
    so.log_severity_level = 3
    so.enable_cpu_mem_arena = arena
    for k, v in (config or {}).items():
        so.add_session_config_entry(k, v)
    if profile_prefix:
        so.enable_profiling = True
        so.profile_file_prefix = profile_prefix
    return so


def graph_flops(model, size):
    """FLOPs of one run at size x size: 2*MACs of every Conv/ConvTranspose/MatMul/Gemm, from the
    shapes ORT's profiler records with basic optimisations (plain NCHW ops)."""
    with tempfile.TemporaryDirectory() as td:
        s = ort.InferenceSession(model, options(1, "basic", profile_prefix=os.path.join(td, "p")),
                                 providers=["CPUExecutionProvider"])
        s.run(None, inputs(size, *_dims(s)))
        with open(s.end_profiling()) as f:
            events = json.load(f)
    total = 0
    for e in events:
        if e.get("cat") != "Node" or not e["name"].endswith("_kernel_time"):
            continue
        op, args = e["args"]["op_name"], e["args"]
        ins = [list(d.values())[0] for d in args.get("input_type_shape", [])]
        outs = [list(d.values())[0] for d in args.get("output_type_shape", [])]
        if op == "Conv":
            w = ins[1]  # [Cout, Cin/g, kh, kw]
            total += 2 * int(np.prod(outs[0])) * int(np.prod(w[1:]))
        elif op == "ConvTranspose":
            w = ins[1]  # [Cin, Cout/g, kh, kw]
            total += 2 * int(np.prod(ins[0])) * int(np.prod(w[1:]))
        elif op in ("MatMul", "Gemm"):
            total += 2 * int(np.prod(outs[0])) * int(ins[0][-1])
    return total


def _dims(s):
    shapes = {i.name: i.shape for i in s.get_inputs()}
    return shapes["gates"][1], shapes["cond"][1]


def gemm_session(threads, n=1024):
    g = helper.make_graph([helper.make_node("MatMul", ["a", "b"], ["c"])], "gemm",
                          [helper.make_tensor_value_info("a", TensorProto.FLOAT, [n, n]),
                           helper.make_tensor_value_info("b", TensorProto.FLOAT, [n, n])],
                          [helper.make_tensor_value_info("c", TensorProto.FLOAT, [n, n])])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    s = ort.InferenceSession(m.SerializeToString(), options(threads), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    feed = {"a": rng.random((n, n), dtype=np.float32), "b": rng.random((n, n), dtype=np.float32)}
    return s, feed, 2 * n ** 3


def best_of(sess, feed, reps):
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        sess.run(None, feed)
        best = min(best, time.perf_counter() - t0)
    return best


def measure(model, threads, variants, tiles, rounds, compare=(), reps=2):
    """{(variant, tile): {"s_per_mp": .., "max_diff": ..}} plus the GEMM peak. `compare` adds
    (name, path) pairs: other exports of the graph, run with the engine's settings."""
    sessions, feeds = {}, {}
    runs = [(name, model, VARIANTS[name]) for name in variants] + [(n, p, VARIANTS["engine"]) for n, p in compare]
    dims = _dims(ort.InferenceSession(model, options(1), providers=["CPUExecutionProvider"]))
    for tile in tiles:
        feed = inputs(tile, *dims)
        for name, path, v in runs:
            graph, fixed, f = path, None, feed
            if v.get("image"):
                graph = baked_bytes(onnx.load(path), feed)
                fixed = {"H": tile, "W": tile}
                f = {k: x for k, x in feed.items() if k not in BAKED}
            so = options(threads, v["level"], v.get("config"), v.get("arena", True), fixed=fixed,
                         pattern=v.get("pattern", True))
            sessions[(name, tile)] = ort.InferenceSession(graph, so, providers=["CPUExecutionProvider"])
            feeds[(name, tile)] = f
    gemm, gfeed, gflop = gemm_session(threads)
    times = {k: [] for k in sessions}
    peak = []
    outs = {}
    for _ in range(rounds):
        peak.append(gflop / best_of(gemm, gfeed, 3) / 1e9)
        for (name, tile), s in sessions.items():
            f = feeds[(name, tile)]
            outs[(name, tile)] = s.run(None, f)[0]  # also the warm-up of this round
            times[(name, tile)].append(best_of(s, f, reps))
    res = {}
    for (name, tile), ts in times.items():
        t = statistics.median(ts)
        base = outs.get(("engine", tile), outs[(name, tile)])
        res[(name, tile)] = {"s_per_mp": t / (tile * tile / 1e6), "tile_s": t,
                             "max_diff": float(np.abs(outs[(name, tile)] - base).max())}
    return res, statistics.median(peak)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "shipped", "restore.onnx"))
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--tiles", type=int, nargs="+", default=[512])
    ap.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--compare", nargs="*", default=[], metavar="NAME=PATH",
                    help="other exports of the restore graph to time beside the shipped one")
    ap.add_argument("--json", help="write the figures here")
    a = ap.parse_args(argv)
    flops_mp = graph_flops(a.model, 512) / (512 * 512 / 1e6)
    print(f"restore graph: {flops_mp / 1e9:.1f} GFLOP per megapixel per step (convs + matmuls); "
          f"machine: {os.cpu_count()} CPUs, shared with other users (ratios are what counts)")
    out = {"gflop_per_mp_step": flops_mp / 1e9, "cpus": os.cpu_count(), "rows": []}
    for th in a.threads:
        res, peak = measure(a.model, th, a.variants, a.tiles, a.rounds, [c.split("=", 1) for c in a.compare])
        eng = {tile: res.get(("engine", tile), {}).get("s_per_mp") for tile in a.tiles}
        ref = eng.get(512) or next(iter(eng.values()))
        print(f"\n{th} thread(s): GEMM peak {peak:.0f} GFLOP/s (ORT MatMul 1024^3); median of {a.rounds} interleaved rounds")
        print("| variant | tile | ms/MP/step | GFLOP/s | of GEMM peak | time vs engine @512 | max abs diff |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for (name, tile), r in res.items():
            gfs = flops_mp / r["s_per_mp"] / 1e9
            ratio = r["s_per_mp"] / ref if ref else float("nan")
            print(f"| {name} | {tile} | {1e3 * r['s_per_mp']:.0f} | {gfs:.1f} | {100 * gfs / peak:.1f} % | "
                  f"{ratio:.2f} | {r['max_diff']:.1e} |")
            out["rows"].append({"variant": name, "tile": tile, "threads": th, "ms_per_mp_step": 1e3 * r["s_per_mp"],
                                "gflops": gfs, "peak_gflops": peak, "vs_engine_512": ratio, "max_diff": r["max_diff"]})
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=2)
    return out


if __name__ == "__main__":
    main()
