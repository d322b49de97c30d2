"""Expert mixing once per image: which way is fastest (issue 19 item 2). Measured, interleaved.

  python bench/mixing_variants.py [--model models/shipped/restore.onnx] [--threads 1 2]
                                  [--tiles 128 512 768] [--variants current baked] [--rounds 3]

Variants of the shipped restore graph, all from the same ONNX file (graph surgery, no export):
  current  gates and cond are inputs; every tile re-mixes the experts' weights in the graph, and
           the FFN convolutions get those weights at run time (no NCHWc blocking, no prepacking).
  mixgraph (b) a small mixing graph (gates -> mixed FFN weights) runs once per image; its outputs
           are inputs of a per-tile graph (still run-time weights).
  baked    (a) gates, cond and t become initializers of a per-image session: ORT folds the mixing
           into constants at session creation and prepacks / blocks the FFN convs like the rest.
Prints per tile size: ms per tile, the per-image cost (mixing run or session creation), the tile
time over `current`'s, one click's seconds on a 4 MP and a 12 MP image (the tiles the engine runs
at that size, src/tiling.rs, times the tile time, plus the per-image cost; one step) and the max
abs difference to `current`. Tiles under the engine's minimum (e.g. 128 px) are a graph-only
figure.
"""
import argparse
import json
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


# What a per-image session would take as constants: the image's gates and cond, and the step's
# time t, since the graph folds the adaLN modulation (a function of t and cond) into the
# experts' mixed weights (models/autorestore_model/net.py): a per-image session is per step too
# (one step, t = 1, for one click).
BAKED = ("gates", "cond", "t")


def baked_bytes(model: onnx.ModelProto, f) -> bytes:
    """The restore graph with the BAKED inputs as initializers (what a per-image session gets)."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    keep = [i for i in m.graph.input if i.name not in BAKED]
    del m.graph.input[:]
    m.graph.input.extend(keep)
    for name in BAKED:
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
    """(b): cut the graph at the mixed weights: mix.onnx (the BAKED inputs -> weights),
    tile.onnx (rest)."""
    path = os.path.join(td, "fixed.onnx")
    onnx.save(model, path)
    w = ffn_weight_names(model)
    mix, tile = os.path.join(td, "mix.onnx"), os.path.join(td, "tile.onnx")
    onnx.utils.extract_model(path, mix, list(BAKED), w, check_model=False)
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


IMAGES = {"4 MP": (2304, 1728), "12 MP": (4000, 3000)}


def margin_of(model):
    """The engine's tile margin (src/model.rs tile_margin): receptive field rounded up to the multiple."""
    meta = {p.key: p.value for p in model.metadata_props}
    m = int(meta["autorestore.tile_multiple"])
    return -(-int(meta["autorestore.receptive_field"]) // m) * m, m


def engine_tiles(w, h, tile, margin, m):
    """How many tiles the engine runs on a w x h image (src/tiling.rs Axis::new, no feather), or
    None when the tile is below the engine's minimum (2 margins and a core)."""
    if tile < -(-(2 * margin + max(margin, m)) // m) * m:
        return None

    def axis(n):
        padded = -(-n // m) * m
        if padded <= tile:
            return 1
        return 1 + -(-(padded - tile) // ((tile - 2 * margin) // m * m))

    return axis(w) * axis(h)


def measure(model, th, tile, rounds, variants, td):
    """{variant: (best tile s, best per-image s, max abs diff to current)} at one tile size."""
    f = feeds(tile)
    cur = session(model, th, model.SerializeToString())
    ref = cur.run(None, f)[0]
    if "mixgraph" in variants:
        mix_path, tile_path, wnames = split_graphs(model, os.path.join(td, str(tile)))
        mix, tiles = session(model, th, mix_path), session(model, th, tile_path)
    res = {k: {"tile": [], "per_image": [], "diff": 0.0} for k in variants}
    for _ in range(rounds):  # interleaved, so shared-machine load hits every variant alike
        for k in variants:
            r = res[k]
            if k == "current":
                t, _o = best(cur, f, 2)
                r["tile"].append(t)
                r["per_image"].append(0.0)
            elif k == "mixgraph":
                tm, wv = best(mix, {k2: f[k2] for k2 in BAKED}, 2)
                tt, o = best(tiles, dict(f, **dict(zip(wnames, wv))), 2)
                r["tile"].append(tt)
                r["per_image"].append(tm)
                r["diff"] = float(np.abs(o[0] - ref).max())
            else:  # baked: the per-image cost is building the graph and creating its session
                t0 = time.perf_counter()
                bs = session(model, th, baked_bytes(model, f))
                tc = time.perf_counter() - t0
                tb, o = best(bs, {k2: v for k2, v in f.items() if k2 not in BAKED}, 2)
                r["tile"].append(tb)
                r["per_image"].append(tc)
                r["diff"] = float(np.abs(o[0] - ref).max())
                del bs
    # the per-round ratio to current (same round, same load) is the robust figure on a shared machine
    return {k: (min(r["tile"]), min(r["per_image"]), r["diff"],
                [t / c for t, c in zip(r["tile"], res["current"]["tile"])]) for k, r in res.items()}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "shipped", "restore.onnx"))
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--tiles", type=int, nargs="+", default=[128, 512, 768])
    ap.add_argument("--variants", nargs="+", default=["current", "baked"], choices=["current", "mixgraph", "baked"])
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the best of each is kept")
    ap.add_argument("--json", help="write the figures here")
    a = ap.parse_args(argv)
    src = onnx.load(a.model)
    margin, m = margin_of(src)
    model = constant_weight_shapes(src, feeds(a.tiles[0]))
    rows = []
    with tempfile.TemporaryDirectory() as td:
        for tile in a.tiles:
            os.makedirs(os.path.join(td, str(tile)), exist_ok=True)
        for th in a.threads:
            print(f"\n{th} thread(s), best of {a.rounds} interleaved rounds (shared machine); one step; engine "
                  f"tiling with a {margin} px margin, per-image cost = mixing run or session creation")
            print("| tile | variant | ms per tile | per-image cost ms | tile time vs current (median, range of rounds) | "
                  + " | ".join(f"s one click {k} (vs current)" for k in IMAGES) + " | max abs diff |")
            print("|---:|---|---:|---:|---:|" + "---:|" * len(IMAGES) + "---:|")
            for tile in a.tiles:
                res = measure(model, th, tile, a.rounds, a.variants, td)
                base_t = res["current"][0]
                for k, (t, c, d, q) in res.items():
                    cells = []
                    for w, h in IMAGES.values():
                        n = engine_tiles(w, h, tile, margin, m)
                        if n is None:
                            cells.append("below min tile")
                            continue
                        # the baked time per tile is the current one times the median ratio
                        tv = base_t * float(np.median(q))
                        cells.append(f"{n * tv + c:.2f} ({(n * tv + c) / (n * base_t):.2f}x)")
                    print(f"| {tile} | {k} | {1e3 * t:.0f} | {1e3 * c:.0f} | {np.median(q):.2f} ({min(q):.2f}-{max(q):.2f}) | "
                          + " | ".join(cells)
                          + f" | {d:.1e} |")
                    rows.append({"threads": th, "tile": tile, "variant": k, "tile_s": t, "per_image_s": c,
                                 "vs_current_tile": float(np.median(q)), "max_diff": d})
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"margin": margin, "images": IMAGES, "rows": rows}, f, indent=2)
    return rows


if __name__ == "__main__":
    main()
