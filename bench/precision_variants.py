"""Reduced precision for the restore graph on ONNX Runtime's CPU EP (issue 19): int8, fp16, bf16.

  python bench/precision_variants.py [--threads 1 2] [--tile 512] [--rounds 3] [--save DIR] [--json F]

Needs onnx, onnxruntime and onnxconverter-common (fp16), which `make bench-graph` installs into
the bench venv; no torch: the tiles are the bench's committed degraded crops of held-out photos
(bench/inputs), calibration on two photos' crops, the differences measured on the others'.

Quantisation needs the weights as initializers, and the shipped graph mixes the experts' FFN
weights from the gates at run time. So every reduced-precision variant starts from the *baked*
graph (a per-image graph: gates and cond of one image and t = 1 of its one step as initializers, see mixing_variants.py),
constant-folded by ORT's basic optimisations, which turns the mixed weights into plain
initializers. Variants, all timed interleaved in one process on the same held-out tile:
  current      the shipped graph, the engine's session options (fp32, run-time mixing)
  baked fp32   the folded per-image graph (the reference of the reduced-precision variants)
  int8 dynamic quantize_dynamic, MatMul + Conv (weights int8, activations quantised per run)
  int8 QDQ     quantize_static, QDQ, per-channel weights, MinMax calibration on held-out tiles
               (photos other than the ones the quality is measured on)
  fp16         onnxconverter-common float16 conversion, keep_io_types (fp32 in and out)
  bf16         what the CPU EP offers on x86: tried on one bf16 Conv (it has no such kernel)
Printed: ms/MP/step on each thread count, the wall and the CPU time over `current`'s (the median
of the per-round ratios, and their range), and over the test tiles the max abs difference to `current` and the
mean PSNR of the output against `current`'s (all variants get the same gates and cond, so this
is the precision's error alone). A variant >= 1.2x faster than fp32 would then need the
held-out evaluation per type (models/TRAINING.md, evaluate + compare; at most 0.1 dB loss).
"""
import argparse
import json
import os
import sys
import tempfile
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from graph_speed import NO_SPIN, options  # noqa: E402
from mixing_variants import BAKED, baked_bytes, constant_weight_shapes  # noqa: E402

INPUTS = os.path.join(ROOT, "bench", "inputs")
CALIB_PHOTOS = ("libjxl__flower.png", "mahotas__DepartmentStore.png")  # the others are the test tiles


def held_out_tiles():
    """The bench's committed degraded crops of held-out photos (bench/inputs, make_inputs.py),
    split by photo: (calibration, test), each [(name, y [1,3,H,W])]."""
    from PIL import Image

    with open(os.path.join(INPUTS, "inputs.json")) as f:
        items = json.load(f)["items"]
    calib, test = [], []
    for it in items:
        im = np.asarray(Image.open(os.path.join(INPUTS, it["degraded"])).convert("RGB"), np.float32) / 255
        y = np.ascontiguousarray(im.transpose(2, 0, 1)[None])
        (calib if it["photo"] in CALIB_PHOTOS else test).append((it["degraded"], y))
    return calib, test


def padded(y, size):
    """y reflect-padded (or cropped) to size x size: the timed tile."""
    _, _, h, w = y.shape
    z = np.pad(y, ((0, 0), (0, 0), (0, max(0, size - h)), (0, max(0, size - w))), mode="reflect")
    return np.ascontiguousarray(z[:, :, :size, :size])


def psnr(a, b):
    return float(10 * np.log10(1.0 / max(float(np.mean((np.clip(a, 0, 1) - np.clip(b, 0, 1)) ** 2)), 1e-12)))


def feed(y, gates, cond):
    """Step 1 of the flow sampler (infer.py): x_t = y at t = 1."""
    return {"x_t": y, "y": y, "t": np.array([1.0], np.float32), "gates": gates, "cond": cond}


def folded(baked: bytes, path):
    """ORT's basic optimisations (constant folding, standard ops only) of the baked graph, saved
    as a plain ONNX file: the mixed FFN weights become initializers the quantisers can see."""
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    so.optimized_model_filepath = path
    so.log_severity_level = 3
    ort.InferenceSession(baked, so, providers=["CPUExecutionProvider"])
    return path


class Calib:
    """quantize_static's CalibrationDataReader over the calibration tiles (no import of the
    base class needed: the quantiser only calls get_next)."""

    def __init__(self, tiles):
        self.it = iter(tiles)

    def get_next(self):
        return next(self.it, None)

    def rewind(self):
        pass


def int8_dynamic(f32, td, _calib):
    from onnxruntime.quantization import QuantType, quantize_dynamic

    p = os.path.join(td, "int8_dynamic.onnx")
    quantize_dynamic(f32, p, op_types_to_quantize=["MatMul", "Conv"], weight_type=QuantType.QUInt8)
    return p, "ConvInteger/MatMulInteger, u8 weights"


def int8_qdq(f32, td, calib_feeds):
    from onnxruntime.quantization import QuantFormat, QuantType, quantize_static

    p = os.path.join(td, "int8_qdq.onnx")
    reader = Calib([{k: x for k, x in f.items() if k not in BAKED} for f in calib_feeds])
    quantize_static(f32, p, reader, quant_format=QuantFormat.QDQ, per_channel=True,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                    op_types_to_quantize=["Conv", "MatMul"])
    return p, f"u8 activations, s8 weights, {len(calib_feeds)} calibration tiles"


def fp16(f32, td, _calib):
    from onnxconverter_common import float16

    p = os.path.join(td, "fp16.onnx")
    onnx.save(float16.convert_float_to_float16(onnx.load(f32), keep_io_types=True), p)
    return p, "Conv stays fp32 on this CPU EP: casts around it"


LOSSY = {"int8 dynamic": int8_dynamic, "int8 QDQ per-channel": int8_qdq, "fp16 (keep_io_types)": fp16}


def build_variants(model_path, td, gates, cond, calib_feeds, only=None):
    """{name: (path, note)}; a variant that cannot be built is (None, why). `only`: just these
    lossy variants (and the baked fp32 graph they start from)."""
    # what a per-image session would pay before its first tile (besides creating the session)
    t0 = time.perf_counter()
    model = constant_weight_shapes(onnx.load(model_path), feed(calib_feeds[0]["y"], gates, cond))
    f32 = folded(baked_bytes(model, feed(calib_feeds[0]["y"], gates, cond)), os.path.join(td, "baked_fp32.onnx"))
    t_bake = time.perf_counter() - t0
    v = {"current": (model_path, ""), "baked fp32": (f32, f"baked and folded in {t_bake:.1f} s")}
    for name, build in LOSSY.items():
        if only is not None and name not in only:
            continue
        try:
            t0 = time.perf_counter()
            p, note = build(f32, td, calib_feeds)
            v[name] = (p, f"{note}; built in {t_bake:.1f} + {time.perf_counter() - t0:.1f} s")
        except Exception as e:  # noqa: BLE001 (reported in the output, not hidden)
            v[name] = (None, f"{build.__name__} failed: {str(e).splitlines()[0][:200]}")
    if only is None:
        v["bf16"] = (None, bf16_probe())
    return v


def bf16_probe():
    """Whether the CPU EP runs a bf16 Conv (the one op that would matter); its own message if not.
    Its only bf16 session key (mlas.enable_gemm_fastmath_arm64_bfloat16) is for ARM64."""
    g = helper.make_graph([helper.make_node("Conv", ["x", "w"], ["y"], pads=[1, 1, 1, 1])], "bf16",
                          [helper.make_tensor_value_info("x", TensorProto.BFLOAT16, [1, 8, 16, 16])],
                          [helper.make_tensor_value_info("y", TensorProto.BFLOAT16, [1, 8, 16, 16])],
                          [helper.make_tensor("w", TensorProto.BFLOAT16, [8, 8, 3, 3], np.zeros(576, np.uint16).tobytes(),
                                              raw=True)])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 22)])  # Conv takes bf16 from opset 22
    m.ir_version = 10
    try:
        ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"])
        return "a bf16 Conv loads on the CPU EP (not timed here)"
    except Exception as e:  # noqa: BLE001
        return "CPU EP: " + str(e).split("\n")[0][:160]


def best_of(sess, f, reps):
    """(wall s, CPU s of the process, all its threads) of the fastest of reps runs. The CPU time
    counts only what this process ran, so other users' load moves it less than the wall time."""
    best = (float("inf"), float("inf"))
    for _ in range(reps):
        t0, c0 = time.perf_counter(), time.process_time()
        sess.run(None, f)
        best = min(best, (time.perf_counter() - t0, time.process_time() - c0))
    return best


def quality_per_type(model_path, kinds, td):
    """One click (one step, strength = the analysis' amount, as the engine runs it) on every bench
    input, fp32 (the shipped graph) against each lossy variant in `kinds`, the variant built for
    that image's own gates and cond and, for QDQ, calibrated on that image (the best case of a
    per-image int8 session). Mean PSNR against the clean crop per degradation type, and the change.
    This is the bench's 15 held-out crops (3 per type), a rejection test: a variant that loses
    more than 0.1 dB on a type here is out; one that passes would still need the full held-out
    evaluation (models/TRAINING.md) before it ships."""
    from PIL import Image

    from models.autorestore_model.infer import OrtModel

    om = OrtModel(os.path.dirname(model_path), threads=2)
    with open(os.path.join(INPUTS, "inputs.json")) as f:
        items = json.load(f)["items"]
    per = {}
    for it in items:
        img = np.asarray(Image.open(os.path.join(INPUTS, it["degraded"])).convert("RGB"), np.float32) / 255
        clean = np.asarray(Image.open(os.path.join(INPUTS, it["clean"])).convert("RGB"), np.float32) / 255
        an = om.analyze(img)
        y = np.ascontiguousarray(img.transpose(2, 0, 1)[None])
        f = feed(y, an.gates[None].astype(np.float32), an.cond.astype(np.float32))
        outs = {"fp32": om.restore_s.run(None, f)[0]}
        built = build_variants(model_path, td, f["gates"], f["cond"], [f], only=kinds)
        kinds = [k for k in kinds if built.get(k, (None,))[0] is not None]  # what failed to build was said
        for k in kinds:
            s = ort.InferenceSession(built[k][0], options(2, "all", NO_SPIN), providers=["CPUExecutionProvider"])
            outs[k] = s.run(None, run_feed({i.name for i in s.get_inputs()}, f))[0]
        for k, x0 in outs.items():
            one = np.clip(y + an.amount * (x0 - y), 0, 1)[0].transpose(1, 2, 0)
            per.setdefault(it["type"], {}).setdefault(k, []).append(psnr(one, clean))
    print("\none click on the bench's held-out crops (bench/inputs), mean PSNR against the clean crop, dB")
    print("| type | crops | fp32 | " + " | ".join(f"{k} | change" for k in kinds) + " |")
    print("|---|---:|---:|" + "---:|---:|" * len(kinds))
    table = {}
    for t, d in per.items():
        base = float(np.mean(d["fp32"]))
        cells = []
        for k in kinds:
            m = float(np.mean(d[k]))
            cells.append(f"{m:.2f} | {m - base:+.2f}")
            table.setdefault(k, {})[t] = m - base
        print(f"| {t} | {len(d['fp32'])} | {base:.2f} | " + " | ".join(cells) + " |")
    for k in kinds:
        bad = [t for t, v in table[k].items() if not np.isfinite(v)]
        worst = min(v for v in table[k].values() if np.isfinite(v))
        if bad:
            print(f"{k}: outside the 0.1 dB rule: non-finite output on {', '.join(bad)}")
        else:
            print(f"{k}: worst type {worst:+.2f} dB: " + ("within" if worst >= -0.1 else "outside") + " the 0.1 dB rule")
    return table


def run_feed(names, f):
    """f without the inputs a variant's graph does not have (the baked ones have no gates/cond)."""
    return {k: x for k, x in f.items() if k in names}


def measure(variants, th, test_feeds, tile_feed, rounds):
    """{name: {"s": [per round], "ratio": [per round, over current], "cpu_ratio": [same, CPU time],
    "diff": .., "psnr": ..}}."""
    sess, created = {}, {}
    for name, (p, _note) in variants.items():
        if p is None:
            continue
        try:
            t0 = time.perf_counter()
            sess[name] = ort.InferenceSession(p, options(th, "all", NO_SPIN), providers=["CPUExecutionProvider"])
            created[name] = time.perf_counter() - t0
        except Exception as e:  # noqa: BLE001
            print(f"  {name}: session failed: {str(e).splitlines()[0][:200]}")
    names = {n: {i.name for i in s.get_inputs()} for n, s in sess.items()}
    refs = [sess["current"].run(None, f)[0] for f in test_feeds]
    res = {}
    for n, s in sess.items():
        outs = [s.run(None, run_feed(names[n], f))[0] for f in test_feeds]
        res[n] = {"create_s": created[n], "s": [], "cpu": [], "ratio": [], "cpu_ratio": [], "diff": max(float(np.abs(o - r).max()) for o, r in zip(outs, refs)),
                  "psnr": float(np.mean([psnr(o, r) for o, r in zip(outs, refs)])) if n != "current" else None}
    for _ in range(rounds):  # interleaved: the machine's load hits every variant alike
        for n, s in sess.items():
            f = run_feed(names[n], tile_feed)
            s.run(None, f)
            wall, cpu = best_of(s, f, 2)
            res[n]["s"].append(wall)
            res[n]["cpu"].append(cpu)
        for n in sess:
            res[n]["ratio"].append(res[n]["s"][-1] / res["current"]["s"][-1])
            res[n]["cpu_ratio"].append(res[n]["cpu"][-1] / res["current"]["cpu"][-1])
    return res


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "shipped", "restore.onnx"))
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--tile", type=int, default=512)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--save", help="keep the variants' ONNX files in this folder")
    ap.add_argument("--json", help="write the figures here")
    ap.add_argument("--quality", nargs="*", default=["int8 QDQ per-channel", "int8 dynamic"], choices=list(LOSSY),
                    help="lossy variants whose one-click PSNR per type is measured on the bench inputs")
    a = ap.parse_args(argv)
    from models.autorestore_model.infer import OrtModel

    calib, test = held_out_tiles()
    # The baked gates and cond: one image's analysis (the first calibration crop), as a per-image
    # session would get them; every tile below is run with these, so only the precision differs.
    an = OrtModel(os.path.dirname(a.model), threads=2).analyze(calib[0][1][0].transpose(1, 2, 0))
    gates, cond = an.gates[None].astype(np.float32), an.cond.astype(np.float32)
    calib_feeds = [feed(y, gates, cond) for _, y in calib]
    test_feeds = [feed(y, gates, cond) for _, y in test]
    tile_feed = feed(padded(test[0][1], a.tile), gates, cond)
    mp = a.tile * a.tile / 1e6
    rows = []
    with tempfile.TemporaryDirectory() as td:
        wd = a.save or td
        os.makedirs(wd, exist_ok=True)
        variants = build_variants(a.model, wd, gates, cond, calib_feeds)
        print(f"timed: one {a.tile} px tile; gates and cond of {calib[0][0]}; {len(calib)} calibration crops, "
              f"{len(test)} test crops (bench/inputs, held-out photos); machine: {os.cpu_count()} CPUs shared with "
              "other users (ratios are what counts)")
        for name, (p, note) in variants.items():
            print(f"  {name}: " + (f"not run: {note}" if p is None else note or "built"))
        for th in a.threads:
            res = measure(variants, th, test_feeds, tile_feed, a.rounds)
            print(f"\n{th} thread(s), {a.rounds} interleaved rounds (best of 2 runs each)")
            print("| variant | session creation s | ms/MP/step (median) | wall time vs current (median, range of rounds) | CPU time vs current "
                  "(median, range) | max abs diff to current | PSNR to current (dB) |")
            print("|---|---:|---:|---:|---:|---:|---:|")
            for n, r in res.items():
                t, q, qc = float(np.median(r["s"])), r["ratio"], r["cpu_ratio"]
                print(f"| {n} | {r['create_s']:.2f} | {1e3 * t / mp:.0f} | {np.median(q):.2f} ({min(q):.2f}-{max(q):.2f}) | "
                      f"{np.median(qc):.2f} ({min(qc):.2f}-{max(qc):.2f}) | {r['diff']:.1e} | "
                      + ("-" if r["psnr"] is None else f"{r['psnr']:.1f}") + " |")
                rows.append({"variant": n, "threads": th, "tile": a.tile, "ms_per_mp_step": 1e3 * t / mp,
                             "vs_current": float(np.median(q)), "vs_current_range": [min(q), max(q)],
                             "cpu_vs_current": float(np.median(qc)), "create_s": r["create_s"], "max_diff": r["diff"],
                             "psnr_to_current": r["psnr"]})
        quality = quality_per_type(a.model, a.quality, wd) if a.quality else {}
    out = {"variants": {n: note for n, (_p, note) in variants.items()}, "rows": rows, "quality_change_db": quality}
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=2)
    return out


if __name__ == "__main__":
    main()
