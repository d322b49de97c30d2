"""Evaluate the shipped model on the held-out photos, per degradation and sub-type, against the
degraded input and classical baselines.

  python -m models.autorestore_model.evaluate --model models/shipped --photos data/photos/eval \
      --json models/eval/results.json --card models/MODEL_CARD.md

Each eval photo is centre-cropped to --crop pixels, degraded with every (type, sub-type) with a
fixed seed (synth.py), then restored by: our model through ONNX Runtime (model contract 2), in
automatic mode exactly as the engine's one click (`OrtModel.one_click`: the router's gates at
strength `amount`, and the input unchanged when `amount` is 0, "nothing to repair"; at each
step count of --steps) and forced to the true type's group (manual mode: `amount` not applied);
the GEGL / G'MIC one-click filters of that type (baselines.CLI_FILTERS, the commands
bench/bench.py runs); and the classical baselines of that type (baselines.for_type). Router
top-1 accuracy is measured on the same single degradations. Composites (synth.COMPOSITES, e.g.
low light + noise) are measured too: auto, forced = an even mix of the two groups, router right
when both groups are its top 2. Clean photos, in colour and as gray (luma replicated to 3
channels), go through one click as they are: PSNR against themselves says how much one click
changes a photo with nothing wrong (99 dB = returned unchanged, "nothing to repair"); per photo,
mean, min and the share reported "nothing to repair". The shipping rule (compare.py) uses the
single types' gains and the clean photos' mean and min; composites are reported beside them.
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


def to_gray(img):
    """The photo as a gray file would have it: 8-bit luma (ITU-R 601, PIL's "L"), replicated to 3
    channels (models/README.md: gray input is replicated)."""
    g = img.astype(np.float64) @ np.array([0.299, 0.587, 0.114])
    g = np.round(np.clip(g, 0, 1) * 255) / 255
    return np.repeat(g[:, :, None], 3, 2).astype(np.float32)


def alternatives(y, ref, dname, cached=None, skip_bm3d=False, cli=True):
    """{method: quality (+ seconds)} of every alternative for type dname on the degraded y: the
    GEGL / G'MIC one-click filters (cli) and the classical baselines; results in `cached` (an
    earlier run on the identical input) are taken as they are. They see only y, never ref."""
    cached = cached or {}
    fns = dict(baselines.cli_for_type(dname)) if cli else {}
    fns.update(baselines.for_type(dname, skip_bm3d=skip_bm3d))
    out = {}
    for name, fn in fns.items():
        if name in cached:
            out[name] = cached[name]
            continue
        t0 = time.perf_counter()
        res = np.clip(fn(y), 0, 1)
        out[name] = dict(quality(res, ref), s=time.perf_counter() - t0)
    return out


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


def reusable_baselines(path, key=("photo", "type", "subtype")):
    """Baseline results (classical and GEGL / G'MIC) of an earlier run, keyed by the row's `key`
    fields and the degraded input's PSNR: the baselines see only the degraded image, so an
    unchanged input gives unchanged results."""
    if not path or not os.path.exists(path):
        return {}
    with open(path) as f:
        rows = json.load(f)["rows"]
    return {(*(r[k] for k in key), round(r["input"]["psnr"], 9)):
            {k: v for k, v in r.items() if baselines.is_alternative(k)} for r in rows if "input" in r}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="models/shipped")
    ap.add_argument("--photos", default="data/photos/eval")
    ap.add_argument("--crop", type=int, default=320)
    ap.add_argument("--steps", default="1,2,4")
    ap.add_argument("--max-photos", type=int, default=0)
    ap.add_argument("--no-bm3d", action="store_true", help="skip BM3D (slow)")
    ap.add_argument("--no-cli", action="store_true", help="skip the GEGL / G'MIC filters (no gegl / gmic installed)")
    ap.add_argument("--json", default="models/eval/results.json")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reuse-baselines", metavar="JSON",
                    help="take baseline results from an earlier results file where the degraded input is identical")
    a = ap.parse_args(argv)
    import torch

    from .infer import OrtModel

    torch.set_num_threads(a.threads)

    if not a.no_cli and not baselines.cli_available():
        raise SystemExit("evaluate: `gegl` / `gmic` not found (apt-get install gegl gmic, or --no-cli)")
    t_start = time.perf_counter()
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
                an = model.analyze(y)
                row = {"photo": name, "type": dname, "subtype": sname, "router_top1": DEGRADATIONS[int(np.argmax(an.scores))],
                       **analysis_fields(an), "input": quality(y, img)}
                for k in step_list:
                    t0 = time.perf_counter()
                    out = model.one_click(y, an, steps=k, seed=seed)
                    if not an.nothing_to_repair:
                        t_model += time.perf_counter() - t0
                        px_model += k * y.shape[0] * y.shape[1]
                    row[f"ours_auto_{k}"] = quality(out, img)
                row["ours_forced_1"] = quality(forced(model, y, an, [t], seed), img)
                cached = reuse.get((name, dname, sname, round(row["input"]["psnr"], 9)), {})
                row.update(alternatives(y, img, dname, cached, skip_bm3d=a.no_bm3d, cli=not a.no_cli))
                rows.append(row)
        for ci, (cname, ta, tb) in enumerate(composites()):
            seed = 1000 * pi + 500 + ci
            y = degrade(img, ta, 0, seed, more=[(tb, 0)])
            an = model.analyze(y)
            top2 = {DEGRADATIONS[int(i)] for i in np.argsort(an.scores)[-2:]}
            row = {"photo": name, "type": "composite", "subtype": cname,
                   "router_top2_ok": top2 == {DEGRADATIONS[ta], DEGRADATIONS[tb]},
                   **analysis_fields(an), "input": quality(y, img)}
            for k in step_list:
                row[f"ours_auto_{k}"] = quality(model.one_click(y, an, steps=k, seed=seed), img)
            row["ours_forced_1"] = quality(forced(model, y, an, [ta, tb], seed), img)
            rows.append(row)
        # The photo as it is, in colour and gray: what one click does to a photo with nothing
        # wrong (fidelity to it; 99 dB = returned unchanged).
        for variant, x in (("colour", img), ("gray", to_gray(img))):
            rows.append(clean_row(model, name, variant, x, step_list, seed=1000 * pi + 999))
        print(f"[{pi + 1}/{len(photos)}] {name}", flush=True)

    summary = summarise(rows, step_list)
    summary["model"] = model.manifest
    summary["photos"] = [n for n, _ in photos]
    summary["crop"] = a.crop
    summary["ms_per_mp_step_cpu"] = 1000 * t_model / (px_model / 1e6) if px_model else float("nan")  # all unchanged: none
    summary["seconds"] = time.perf_counter() - t_start
    os.makedirs(os.path.dirname(a.json) or ".", exist_ok=True)
    with open(a.json, "w") as f:
        json.dump({"summary": summary, "rows": rows}, f, indent=1)
    print(render_table(summary))
    print(f"\n{len(rows)} rows in {summary['seconds']:.0f} s; wrote {a.json}")


def analysis_fields(an):
    """The analysis as it goes into a results row."""
    return {"scores": [round(float(v), 4) for v in an.scores], "amount": round(float(an.amount), 4),
            "nothing_to_repair": bool(an.nothing_to_repair)}


def forced(model, y, an, groups, seed, steps=1):
    """Manual mode with the given groups named (evenly): the analysis' sub-experts and cond,
    amount not applied (the user asked for the repair)."""
    w = np.zeros(len(model.degradations), np.float32)
    w[list(groups)] = 1.0
    return model.restore(y, model.gates_for(an.intra, w), an.cond, steps=steps, seed=seed)


def clean_row(model, name, variant, x, step_list, seed):
    """One click on a photo with nothing wrong, against itself."""
    an = model.analyze(x)
    row = {"photo": name, "type": "clean", "subtype": variant, "router_clean_ok": bool(an.nothing_to_repair),
           **analysis_fields(an)}
    for k in step_list:
        row[f"ours_auto_{k}"] = quality(model.one_click(x, an, steps=k, seed=seed), x)
    return row


def _mean(v):
    return float(np.mean(v)) if v else float("nan")


def clean_stats(rows, k):
    """Per clean variant (colour, gray) and over both ("all"): the one-click PSNR against the
    photo per photo, its mean and min, and the share reported "nothing to repair"."""
    out = {}
    crow = [r for r in rows if r["type"] == "clean" and f"ours_auto_{k}" in r]
    for variant in sorted({r["subtype"] for r in crow}) + ["all"]:
        rs = [r for r in crow if variant == "all" or r["subtype"] == variant]
        if not rs:
            continue
        v = [r[f"ours_auto_{k}"]["psnr"] for r in rs]
        ntr = [bool(r.get("nothing_to_repair", r.get("router_clean_ok"))) for r in rs]
        out[variant] = {"n": len(rs), "mean": _mean(v), "min": float(min(v)), "nothing_to_repair_share": _mean(ntr)}
        if variant != "all":
            out[variant]["per_photo"] = {r["photo"]: {"psnr": r[f"ours_auto_{k}"]["psnr"], "amount": r.get("amount"),
                                                      "nothing_to_repair": n} for r, n in zip(rs, ntr)}
    return out


def best_of(d, pred):
    """(method, psnr) of the best method in a table cell dict whose name passes pred, or None."""
    c = {m: v["psnr"] for m, v in d.items() if isinstance(v, dict) and "psnr" in v and pred(m)}
    if not c:
        return None
    m = max(c, key=c.get)
    return m, c[m]


is_classical = lambda m: m.startswith("base_")
is_filter = lambda m: m.startswith(baselines.CLI_PREFIXES)


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
    base_best, filt_best, alt_best = {}, {}, {}
    for t in DEGRADATIONS:
        ours = table[t][f"ours_auto_{best_steps}"]["psnr"]
        for dst, pred in ((base_best, is_classical), (filt_best, is_filter), (alt_best, baselines.is_alternative)):
            b = best_of(table[t], pred)
            if b:
                dst[t] = {"method": b[0], "psnr": b[1], "margin": ours - b[1]}
    out = {"table": table, "best_steps": best_steps, "gain_db": gains, "mean_gain_db": _mean(list(gains.values())),
           "router_acc_single": _mean([r["router_top1"] == r["type"] for r in rows if "router_top1" in r]),
           "best_baseline": base_best, "best_filter": filt_best, "best_alternative": alt_best}
    if "composite" in table:
        out["composite_gain_db"] = table["composite"][f"ours_auto_{best_steps}"]["psnr"] - table["composite"]["input"]["psnr"]
        out["router_acc_composite"] = table["composite"]["router_acc"]
    if "clean" in table:
        out["clean_fidelity_db"] = table["clean"][f"ours_auto_{best_steps}"]["psnr"]
        out["router_clean_acc"] = table["clean"]["router_acc"]
        out["clean"] = clean_stats(rows, best_steps)
    return out


def render_table(summary):
    tab = summary["table"]
    k = summary["best_steps"]
    extra = k != 1  # a column for the best step count only when it is not 1
    lines = ["| type | input | ours 1 step (auto) | " + (f"ours {k} steps (auto) | " if extra else "")
             + "ours forced (1 step) | best GEGL/G'MIC | best classical | margin over best alternative | router |",
             "|---|---|---|---|---|---|---|---|" + ("---|" if extra else "")]
    keys = list(DEGRADATIONS) + [x for x in ("composite", "clean") if x in tab] + sorted(x for x in tab if "/" in x)
    for key in keys:
        d = tab[key]
        # (called within this iteration only, so the late-bound `d` is this row's)
        fmt = lambda m: f'{d[m]["psnr"]:.2f} / {d[m]["ssim"]:.3f}' if m in d else "-"  # noqa: B023
        cell = lambda b, pre: f"{b[0].replace(pre, '', 1) if pre else b[0]} {b[1]:.2f}" if b else "-"
        bf, bc, ba = best_of(d, is_filter), best_of(d, is_classical), best_of(d, baselines.is_alternative)
        ours = d.get(f"ours_auto_{k}")
        margin = f'{ours["psnr"] - ba[1]:+.2f}' if ba and ours else "-"
        lines.append(f"| {key} | {fmt('input')} | {fmt('ours_auto_1')} | " + (f"{fmt(f'ours_auto_{k}')} | " if extra else "")
                     + f"{fmt('ours_forced_1')} | {cell(bf, '')} | {cell(bc, 'base_')} | {margin} | {d['router_acc'] * 100:.0f}% |")
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
    if summary.get("clean"):
        lines += ["", render_clean(summary["clean"], k)]
    return "\n".join(lines)


def render_clean(clean, k):
    """Per photo, colour and gray: one click's PSNR against the photo ("unchanged" = nothing to
    repair, returned bit for bit; 99 dB in the numbers), and amount; then mean / min / share."""
    variants = [v for v in ("colour", "gray") if v in clean] + sorted(v for v in clean if v not in ("colour", "gray", "all"))
    lines = [f"Clean photos through one click ({k} step{'s' if k != 1 else ''}), PSNR of the output against the photo:", "",
             "| photo | " + " | ".join(f"{v} PSNR | {v} amount" for v in variants) + " |",
             "|---|" + "---|---|" * len(variants)]
    photos = sorted({p for v in variants for p in clean[v]["per_photo"]})
    for p in photos:
        cells = []
        for v in variants:
            e = clean[v]["per_photo"].get(p)
            if e is None:
                cells += ["-", "-"]
                continue
            cells.append("unchanged" if e["nothing_to_repair"] else f"{e['psnr']:.2f}")
            cells.append("-" if e["amount"] is None else f"{e['amount']:.2f}")
        lines.append(f"| {p} | " + " | ".join(cells) + " |")
    for stat, f in (("mean", lambda c: f"{c['mean']:.2f}"), ("min", lambda c: f"{c['min']:.2f}"),
                    ("nothing to repair", lambda c: f"{c['nothing_to_repair_share'] * 100:.0f}%")):
        lines.append(f"| **{stat}** | " + " | ".join(f"{f(clean[v])} | " for v in variants) + " |")
    lines.append("")
    lines.append("(PSNR 99 dB = the photo came back unchanged: the means count it at 99.)")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
