"""Expert mixing once per image: which way is fastest (issue 19 item 2). Measured, interleaved.

  python bench/mixing_variants.py [--model models/shipped/restore.onnx] [--threads 1 2] [--tile 512]

Variants of the shipped restore graph, all from the same ONNX file (graph surgery, no export):
  current  gates and cond are inputs; every tile re-mixes the experts' weights in the graph, and
           the FFN convolutions get those weights at run time (no NCHWc blocking, no prepacking).
  mixgraph (b) a small mixing graph (gates -> mixed FFN weights) runs once per image; its outputs
           are inputs of a per-tile graph (still run-time weights).
  baked    (a) gates and cond become initializers of a per-image session: ORT folds the mixing
           into constants at session creation and prepacks / blocks the FFN convs like the rest.
Prints per-tile ms, the per-image cost (mixing run or session creation), s/MP at 1, 4 and 12 MP
(one step, 512 px tiles, the per-image cost included) and the max abs difference to `current`.
"""
import argparse
import os
import tempfile
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def feeds(size, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((1, 3, size, size), dtype=np.float32)
    g = rng.random((1, 15), dtype=np.float32)
    return {"x_t": x, "y": rng.random((1, 3, size, size), dtype=np.float32), "t": np.array([0.6], np.float32),
            "gates": g / g.sum(), "cond": rng.standard_normal((1, 72), dtype=np.float32) * 0.1}


def session(model, threads, path_or_bytes):
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.intra_op_num_threads = threads
    so.log_severity_level = 3
    return ort.InferenceSession(path_or_bytes, so, providers=["CPUExecutionProvider"])


def baked_bytes(model: onnx.ModelProto, f) -> bytes:
    """The restore graph with gates and cond as initializers (what a per-image session gets)."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    keep = [i for i in m.graph.input if i.name not in ("gates", "cond")]
    del m.graph.input[:]
    m.graph.input.extend(keep)
    for name in ("gates", "cond"):
        m.graph.initializer.append(numpy_helper.from_array(f[name], name))
    return m.SerializeToString()


def ffn_weight_names(model):
    """The run-time weight and bias inputs of the FFN convolutions (the mixing's results)."""
    names = []
    for n in model.graph.node:
        if n.op_type == "Conv" and "/ffn/" in n.name:
            names += [t for t in n.input[1:] if t]
    return names


def constant_weight_shapes(model, f):
    """The shipped graph reshapes the mixed weights to a shape read from the tile (Shape of x ->
    channels), so they depend on the tile in the graph's eyes, though only the fixed channel
    count is read. Replace those shape tensors by their (constant) values, found by one run."""
    prod = {o: n for n in model.graph.node for o in n.output}
    shapes = []
    for name in ffn_weight_names(model):
        n = prod.get(name)
        if n is not None and n.op_type == "Reshape" and n.input[1] in prod:
            shapes.append(n.input[1])
    m = onnx.ModelProto()
    m.CopyFrom(model)
    m.graph.output.extend([onnx.helper.make_empty_tensor_value_info(s) for s in shapes])
    vals = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"]).run(shapes, f)
    m = onnx.ModelProto()
    m.CopyFrom(model)
    for s, v in zip(shapes, vals):
        m.graph.initializer.append(numpy_helper.from_array(v, s))
    keep = [n for n in m.graph.node if not (set(n.output) & set(shapes))]
    del m.graph.node[:]
    m.graph.node.extend(keep)
    return m


def split_graphs(model, td):
    """(b): cut the graph at the mixed weights: mix.onnx (gates -> weights), tile.onnx (rest)."""
    path = os.path.join(td, "fixed.onnx")
    onnx.save(model, path)
    w = ffn_weight_names(model)
    mix, tile = os.path.join(td, "mix.onnx"), os.path.join(td, "tile.onnx")
    onnx.utils.extract_model(path, mix, ["gates"], w, check_model=False)
    onnx.utils.extract_model(path, tile, ["x_t", "y", "t", "gates", "cond"] + w, ["x0"], check_model=False)
    # the tile graph still lists gates (the tone curve reads it); the weights are now inputs
    return mix, tile, w


def best(sess, feed, reps):
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        out = sess.run(None, feed)
        ts.append(time.perf_counter() - t0)
    return min(ts), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "shipped", "restore.onnx"))
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--tile", type=int, default=512)
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the best of each is kept")
    a = ap.parse_args()
    f = feeds(a.tile)
    model = constant_weight_shapes(onnx.load(a.model), f)
    mp_tile = a.tile * a.tile / 1e6
    with tempfile.TemporaryDirectory() as td:
        mix_path, tile_path, wnames = split_graphs(model, td)
        for th in a.threads:
            cur = session(model, th, model.SerializeToString())
            mix = session(model, th, mix_path)
            tile = session(model, th, tile_path)
            res = {k: {"tile": [], "per_image": []} for k in ("current", "mixgraph", "baked")}
            ref = cur.run(None, f)[0]
            diffs = {}
            for _ in range(a.rounds):  # interleaved, so shared-machine load hits every variant alike
                t, _o = best(cur, f, 2)
                res["current"]["tile"].append(t)
                res["current"]["per_image"].append(0.0)
                tm, wv = best(mix, {"gates": f["gates"]}, 2)
                tf = dict(f, **dict(zip(wnames, wv)))
                tt, o = best(tile, tf, 2)
                res["mixgraph"]["tile"].append(tt)
                res["mixgraph"]["per_image"].append(tm)
                diffs["mixgraph"] = float(np.abs(o[0] - ref).max())
                bb = baked_bytes(model, f)
                t0 = time.perf_counter()
                bs = session(model, th, bb)
                tc = time.perf_counter() - t0
                bf = {k: v for k, v in f.items() if k not in ("gates", "cond")}
                tb, o = best(bs, bf, 2)
                res["baked"]["tile"].append(tb)
                res["baked"]["per_image"].append(tc)
                diffs["baked"] = float(np.abs(o[0] - ref).max())
                del bs
            print(f"\n{th} thread(s), {a.tile} px tiles, best of {a.rounds} interleaved rounds (shared machine)")
            print("| variant | ms per tile | per-image cost ms | s/MP 1 MP | s/MP 4 MP | s/MP 12 MP | vs current (4 MP) | max abs diff |")
            print("|---|---:|---:|---:|---:|---:|---:|---:|")
            base4 = None
            for k, r in res.items():
                t, c = min(r["tile"]), min(r["per_image"])
                spm = {mp: (t * mp / mp_tile + c) / mp for mp in (1, 4, 12)}
                base4 = base4 or spm[4]
                print(f"| {k} | {1e3 * t:.0f} | {1e3 * c:.0f} | {spm[1]:.3f} | {spm[4]:.3f} | {spm[12]:.3f} | "
                      f"{spm[4] / base4:.2f}x | {diffs.get(k, 0.0):.1e} |")


if __name__ == "__main__":
    main()
