"""Evaluate the shipped model on the held-out photos, per degradation and sub-type, against the
degraded input and classical baselines.

  python -m models.autorestore_model.evaluate --model models/shipped --photos data/photos/eval \
      --json models/eval/results.json --card models/MODEL_CARD.md

Each eval photo is centre-cropped to --crop pixels, degraded with every (type, sub-type) with a
fixed seed (synth.py), then restored by: our model through ONNX Runtime (1 step and the other
step counts, auto mode = the router's gates, forced mode = the true type's group), and the
classical baselines of each type. Router top-1 accuracy is measured on the same single
degradations. Composites (synth.COMPOSITES, e.g. low light + noise) are measured too: auto,
forced = an even mix of the two groups, router right when both groups are its top 2. Clean
photos are restored as they are (auto): PSNR against themselves says how much one click
changes a photo with nothing wrong. The shipping decision uses the single types (`gain_db`);
composites and clean photos are reported beside them.
"""
import argparse
import glob
import json
import os
import time

import numpy as np
from PIL import Image

from . import DEGRADATIONS, SUBTYPES
from . import baselines

# torch, synth and the ORT mirror are imported where used, so psnr/ssim/summarise import
# without torch (bench/bench.py uses them on a machine that has no torch).


def psnr(a, b):
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return 99.0 if mse <= 1e-12 else 10 * np.log10(1.0 / mse)


def ssim(a, b):
    """Mean SSIM over RGB with an 11x11 Gaussian window (sigma 1.5), as Wang et al. 2004."""
    from scipy.ndimage import gaussian_filter

    C1, C2 = 0.01 ** 2, 0.03 ** 2
    vals = []
    for c in range(a.shape[2]):
        x, y = a[:, :, c].astype(np.float64), b[:, :, c].astype(np.float64)
        f = lambda z: gaussian_filter(z, 1.5, truncate=3.5)
        mx, my = f(x), f(y)
        sxx, syy, sxy = f(x * x) - mx * mx, f(y * y) - my * my, f(x * y) - mx * my
        m = ((2 * mx * my + C1) * (2 * sxy + C2)) / ((mx * mx + my * my + C1) * (sxx + syy + C2))
        vals.append(m[5:-5, 5:-5].mean())
    return float(np.mean(vals))


def quality(out, ref):
    """The PSNR / SSIM cell of a results row."""
    return {"psnr": psnr(out, ref), "ssim": ssim(out, ref)}


def load_eval(folder, crop):
    out = []
    for p in sorted(glob.glob(os.path.join(folder, "*.png")) + glob.glob(os.path.join(folder, "*.jpg"))):
        im = np.asarray(Image.open(p).convert("RGB"), dtype=np.float32) / 255
        h, w, _ = im.shape
        if min(h, w) < crop:
            continue
        y0, x0 = (h - crop) // 2, (w - crop) // 2
        out.append((os.path.basename(p), im[y0:y0 + crop, x0:x0 + crop]))
    return out


def degrade(img, t, s, seed, more=()):
    """img degraded by type t, sub-type s (plus the (type, sub-type) pairs in `more`)."""
    import torch

    from . import synth

    x = torch.from_numpy(img.transpose(2, 0, 1).copy())[None]
    y, _ = synth.degrade_batch(x, seed=seed, forced=[(t, s), *more])
    return y[0].numpy().transpose(1, 2, 0)


def composites():
    """The evaluated composites: synth.COMPOSITES, each part at its first (lighter) sub-type."""
    from . import synth

    return [(f"{DEGRADATIONS[a]}+{DEGRADATIONS[b]}", a, b) for a, b in synth.COMPOSITES]


def reusable_baselines(path):
    """Baseline results of an earlier run, keyed by row and the degraded input's PSNR: the
    baselines see only the degraded image, so an unchanged input gives unchanged results."""
    if not path or not os.path.exists(path):
        return {}
    with open(path) as f:
        rows = json.load(f)["rows"]
    return {(r["photo"], r["type"], r["subtype"], round(r["input"]["psnr"], 9)):
            {k: v for k, v in r.items() if k.startswith("base_")} for r in rows if "input" in r}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="models/shipped")
    ap.add_argument("--photos", default="data/photos/eval")
    ap.add_argument("--crop", type=int, default=320)
    ap.add_argument("--steps", default="1,2,4")
    ap.add_argument("--max-photos", type=int, default=0)
    ap.add_argument("--no-bm3d", action="store_true", help="skip BM3D (slow)")
    ap.add_argument("--json", default="models/eval/results.json")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reuse-baselines", metavar="JSON",
                    help="take baseline results from an earlier results file where the degraded input is identical")
    a = ap.parse_args(argv)
    import torch

    from .infer import OrtModel

    torch.set_num_threads(a.threads)

    model = OrtModel(a.model, threads=a.threads)
    photos = load_eval(a.photos, a.crop)
    if a.max_photos:
        photos = photos[: a.max_photos]
    if not photos:
        raise SystemExit(f"no evaluation photos >= {a.crop}px in {a.photos}")
    step_list = [int(s) for s in a.steps.split(",")]
    rows = []  # one per (photo, type, subtype), then one per (photo, composite)
    reuse = reusable_baselines(a.reuse_baselines)
    t_model = 0.0
    px_model = 0
    for pi, (name, img) in enumerate(photos):
        for t, dname in enumerate(DEGRADATIONS):
            for s, sname in enumerate(SUBTYPES[dname]):
                seed = 1000 * pi + 10 * t + s
                y = degrade(img, t, s, seed)
                scores, intra, gates = model.analyze(y)
                row = {"photo": name, "type": dname, "subtype": sname, "router_top1": DEGRADATIONS[int(np.argmax(scores))],
                       "scores": [round(float(v), 4) for v in scores],
                       "input": quality(y, img)}
                for k in step_list:
                    t0 = time.perf_counter()
                    out = model.restore(y, gates, steps=k, seed=seed)
                    t_model += time.perf_counter() - t0
                    px_model += k * y.shape[0] * y.shape[1]
                    row[f"ours_auto_{k}"] = quality(out, img)
                onehot = np.zeros(len(DEGRADATIONS), np.float32)
                onehot[t] = 1
                out = model.restore(y, model.gates_for(intra, onehot), steps=1, seed=seed)
                row["ours_forced_1"] = quality(out, img)
                cached = reuse.get((name, dname, sname, round(row["input"]["psnr"], 9)), {})
                for bname, fn in baselines.for_type(dname, skip_bm3d=a.no_bm3d).items():
                    if bname in cached:
                        row[bname] = cached[bname]
                        continue
                    t0 = time.perf_counter()
                    out = np.clip(fn(y), 0, 1)
                    row[bname] = dict(quality(out, img), s=time.perf_counter() - t0)
                rows.append(row)
        for ci, (cname, ta, tb) in enumerate(composites()):
            seed = 1000 * pi + 500 + ci
            y = degrade(img, ta, 0, seed, more=[(tb, 0)])
            scores, intra, gates = model.analyze(y)
            top2 = {DEGRADATIONS[int(i)] for i in np.argsort(scores)[-2:]}
            row = {"photo": name, "type": "composite", "subtype": cname,
                   "router_top2_ok": top2 == {DEGRADATIONS[ta], DEGRADATIONS[tb]},
                   "scores": [round(float(v), 4) for v in scores],
                   "input": quality(y, img)}
            for k in step_list:
                out = model.restore(y, gates, steps=k, seed=seed)
                row[f"ours_auto_{k}"] = quality(out, img)
            pair = np.zeros(len(DEGRADATIONS), np.float32)
            pair[[ta, tb]] = 0.5
            out = model.restore(y, model.gates_for(intra, pair), steps=1, seed=seed)
            row["ours_forced_1"] = quality(out, img)
            rows.append(row)
        # The photo as it is: what one click does to a photo with nothing wrong (fidelity to it).
        scores, intra, gates = model.analyze(img)
        row = {"photo": name, "type": "clean", "subtype": "clean", "router_clean_ok": bool(scores.max() < 0.5),
               "scores": [round(float(v), 4) for v in scores]}
        for k in step_list:
            out = model.restore(img, gates, steps=k, seed=1000 * pi + 999)
            row[f"ours_auto_{k}"] = quality(out, img)
        rows.append(row)
        print(f"[{pi + 1}/{len(photos)}] {name}", flush=True)

    summary = summarise(rows, step_list)
    summary["model"] = model.manifest
    summary["photos"] = [n for n, _ in photos]
    summary["crop"] = a.crop
    summary["ms_per_mp_step_cpu"] = 1000 * t_model / (px_model / 1e6)
    os.makedirs(os.path.dirname(a.json) or ".", exist_ok=True)
    with open(a.json, "w") as f:
        json.dump({"summary": summary, "rows": rows}, f, indent=1)
    print(render_table(summary))


def _mean(v):
    return float(np.mean(v)) if v else float("nan")


def router_ok(row):
    """Single: the true type is the top score; composite: both parts are the top 2; clean
    photo: no score reaches one half (nothing clearly wrong)."""
    if "router_top1" in row:
        return row["router_top1"] == row["type"]
    if "router_top2_ok" in row:
        return row["router_top2_ok"]
    return row["router_clean_ok"]


def summarise(rows, step_list):
    methods = sorted({k for r in rows for k in r if isinstance(r[k], dict)})
    per = {}
    for group_key in ("type", "subtype"):
        for r in rows:
            key = r["type"] if group_key == "type" else f'{r["type"]}/{r["subtype"]}'
            d = per.setdefault(key, {m: {"psnr": [], "ssim": []} for m in methods})
            d.setdefault("_router", []).append(router_ok(r))
            for m in methods:
                if m in r:
                    d[m]["psnr"].append(r[m]["psnr"])
                    d[m]["ssim"].append(r[m]["ssim"])
    table = {}
    for key, d in per.items():
        table[key] = {m: {"psnr": _mean(v["psnr"]), "ssim": _mean(v["ssim"])} for m, v in d.items() if m != "_router" and v["psnr"]}
        table[key]["router_acc"] = _mean(d["_router"])
    best_steps = max(step_list, key=lambda k: _mean([table[t][f"ours_auto_{k}"]["psnr"] for t in DEGRADATIONS]))
    gains = {t: table[t][f"ours_auto_{best_steps}"]["psnr"] - table[t]["input"]["psnr"] for t in DEGRADATIONS}
    base_best = {}
    for t in DEGRADATIONS:
        cands = {m: v["psnr"] for m, v in table[t].items() if m.startswith("base_")}
        if cands:
            bm = max(cands, key=cands.get)
            base_best[t] = {"method": bm, "psnr": cands[bm], "margin": table[t][f"ours_auto_{best_steps}"]["psnr"] - cands[bm]}
    out = {"table": table, "best_steps": best_steps, "gain_db": gains, "mean_gain_db": _mean(list(gains.values())),
           "router_acc_single": _mean([r["router_top1"] == r["type"] for r in rows if "router_top1" in r]),
           "best_baseline": base_best}
    if "composite" in table:
        out["composite_gain_db"] = table["composite"][f"ours_auto_{best_steps}"]["psnr"] - table["composite"]["input"]["psnr"]
        out["router_acc_composite"] = table["composite"]["router_acc"]
    if "clean" in table:
        out["clean_fidelity_db"] = table["clean"][f"ours_auto_{best_steps}"]["psnr"]
        out["router_clean_acc"] = table["clean"]["router_acc"]
    return out


def render_table(summary):
    tab = summary["table"]
    k = summary["best_steps"]
    extra = k != 1  # a column for the best step count only when it is not 1
    lines = ["| type | input | ours 1 step (auto) | " + (f"ours {k} steps (auto) | " if extra else "")
             + "ours forced (1 step) | best classical | margin | router |",
             "|---|---|---|---|---|---|---|" + ("---|" if extra else "")]
    keys = list(DEGRADATIONS) + [x for x in ("composite", "clean") if x in tab] + sorted(x for x in tab if "/" in x)
    for key in keys:
        d = tab[key]
        t = key.split("/")[0]
        cl = [(m, v["psnr"]) for m, v in d.items() if m.startswith("base_")]
        best = max(cl, key=lambda z: z[1]) if cl else ("-", float("nan"))
        fmt = lambda m: f'{d[m]["psnr"]:.2f} / {d[m]["ssim"]:.3f}' if m in d else "-"
        margin = f'{d[f"ours_auto_{k}"]["psnr"] - best[1]:+.2f}' if cl else "-"
        best_cell = f"{best[0].replace('base_', '')} {best[1]:.2f}" if cl else "-"
        lines.append(f"| {key} | {fmt('input')} | {fmt('ours_auto_1')} | " + (f"{fmt(f'ours_auto_{k}')} | " if extra else "")
                     + f"{fmt('ours_forced_1')} | "
                     f"{best_cell} | {margin} | {d['router_acc'] * 100:.0f}% |")
    lines.append("")
    lines.append(f"Mean PSNR gain over the input: {summary['mean_gain_db']:+.2f} dB; router top-1 on single degradations: "
                 f"{summary['router_acc_single'] * 100:.1f}%; best step count: {k}; "
                 f"{summary.get('ms_per_mp_step_cpu', float('nan')):.0f} ms per megapixel per step (ONNX Runtime, CPU).")
    if "composite_gain_db" in summary:
        lines.append(f"Composites (router: both groups in its top 2): {summary['composite_gain_db']:+.2f} dB over the input, "
                     f"router {summary['router_acc_composite'] * 100:.1f}%.")
    if "clean_fidelity_db" in summary:
        lines.append(f"Clean photos (nothing wrong): the output is {summary['clean_fidelity_db']:.2f} dB PSNR from the photo; "
                     f"router below 0.5 on every group for {summary['router_clean_acc'] * 100:.0f}% of them.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
