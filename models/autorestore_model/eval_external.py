"""Held-out evaluation on damage made by a generator we did not write: the ImageNet-C corruptions
of the `imagecorruptions` package (Hendrycks & Dietterich 2019). Evaluation only, never training.

  python -m models.autorestore_model.eval_external --model models/shipped --json build/eval-external.json
  python -m models.autorestore_model.eval_external --photos 2 --severities 1 --no-bm3d   # quick look
  python -m models.autorestore_model.eval_external --model build/candidate --json build/ext-candidate.json \\
      --reuse-baselines build/eval-external.json      # the baselines see only the corrupted input

Each eval photo (evaluate.load_eval: centre crop of --crop px; photos smaller are left out) is
corrupted with gaussian_noise, shot_noise, defocus_blur, motion_blur and fog at severities 1-3
(seeded per photo, corruption and severity), rounded and clipped to 8 bits as a user's file would
be. On each: PSNR / SSIM against the photo of the corrupted input, of ours in one click
(`OrtModel.one_click`: automatic mode as the engine runs it, amount and "nothing to repair"
honoured), of ours with the type named (manual mode, for reference), of the GEGL / G'MIC one-click
filters for that type (baselines.CLI_FILTERS, the commands bench/bench.py runs) and of the
classical baselines (baselines.for_type); and whether the router's top-1 names the type (noise for
gaussian / shot noise, blur for defocus / motion blur, haze for fog).

synth.py's training damage imitates these five families (its noise and fog follow ImageNet-C's
ranges), so they measure a re-implementation of the same damage rather than unseen damage;
`--corruptions speckle_noise,zoom_blur` adds two ImageNet-C corruptions synth.py does not imitate.

Output: --json with every row and the summary, and a markdown table per corruption (mean over
photos and severities, then per severity) for MODEL_CARD.md.

imagecorruptions 1.1.2 needs photos of at least 32 px a side; its fog draws a plasma map of the
next power of two above the longer side, so any crop works (ImageNet-C's own code fixed the map
at 256 px: crops up to 256 there). It still uses np.float_ and pkg_resources, both gone on NumPy 2
and recent setuptools: load_imagecorruptions() puts them back before the import.
"""
import argparse
import json
import os
import sys
import time
import types
import zlib

import numpy as np

from . import baselines
from .evaluate import _mean, alternatives, analysis_fields, best_of, forced, is_classical, is_filter, load_eval, \
    quality, reusable_baselines

# corruption -> the degradation group that repairs it
CORRUPTIONS = {"gaussian_noise": "noise", "shot_noise": "noise", "defocus_blur": "blur", "motion_blur": "blur",
               "fog": "haze"}
# Opt-in (--corruptions): ImageNet-C corruptions that synth.py does not imitate, for a check on
# damage further from training (glass_blur: minutes per image; gaussian_blur: breaks on skimage
# >= 0.19's channel_axis).
EXTRA_CORRUPTIONS = {"speckle_noise": "noise", "zoom_blur": "blur"}
KNOWN = {**CORRUPTIONS, **EXTRA_CORRUPTIONS}
SEVERITIES = (1, 2, 3)
ROW_KEY = ("photo", "corruption", "severity")


def load_imagecorruptions():
    """The imagecorruptions module, made importable on NumPy 2 and without pkg_resources."""
    if not hasattr(np, "float_"):
        np.float_ = np.float64  # removed in NumPy 2; plasma_fractal (fog) still asks for it
    try:
        import pkg_resources  # noqa: F401
    except ImportError:  # setuptools >= 81: only frost (not evaluated) uses resource_filename
        def resource_filename(package, rel):
            import importlib

            return os.path.join(os.path.dirname(importlib.import_module(package).__file__), rel)

        sys.modules["pkg_resources"] = types.SimpleNamespace(resource_filename=resource_filename)
    import imagecorruptions

    return imagecorruptions


def seed_for(photo, corruption, severity):
    """A seed that depends only on the photo's name, the corruption and the severity (not on
    which photos or corruptions a run includes), so the same input comes back every run."""
    return zlib.crc32(f"{photo}/{corruption}/{severity}".encode()) & 0x7FFFFFFF


def corrupt(img, corruption, severity, seed):
    """img float RGB [H,W,3] in [0,1] (8-bit values) -> the corrupted image, rounded and clipped to
    8 bits as a user's file has it, as float in [0,1]. numpy's global generator (which
    imagecorruptions draws from) is seeded for the call and restored after."""
    from PIL import Image

    ic = load_imagecorruptions()
    h, w, c = img.shape
    if min(h, w) < 32 or c != 3:
        raise ValueError(f"imagecorruptions needs H, W >= 32 and 3 channels, got {img.shape}")
    u8 = (np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8)
    state = np.random.get_state()
    try:
        np.random.seed(seed)
        out = ic.corruption_dict[corruption](Image.fromarray(u8), severity)
    finally:
        np.random.set_state(state)
    out = np.clip(np.round(np.asarray(out, np.float64)), 0, 255).astype(np.uint8)
    if out.shape != u8.shape:
        raise RuntimeError(f"{corruption} returned {out.shape} for {u8.shape}")
    return out.astype(np.float32) / 255


def evaluate_image(model, name, img, corruption, severity, reuse=None, skip_bm3d=False, cli=True):
    """One results row: the photo corrupted, then every method on it. reuse: baseline results of
    an earlier run (reusable_baselines), taken where the corrupted input is the same (photo,
    corruption, severity and input PSNR to 1e-9 dB)."""
    dname = KNOWN[corruption]
    seed = seed_for(name, corruption, severity)
    y = corrupt(img, corruption, severity, seed)
    an = model.analyze(y)
    top1 = model.degradations[int(np.argmax(an.scores))]
    row = {"photo": name, "corruption": corruption, "severity": severity, "type": dname, "router_top1": top1,
           "router_ok": top1 == dname, **analysis_fields(an), "input": quality(y, img)}
    t0 = time.perf_counter()
    row["ours_auto"] = dict(quality(model.one_click(y, an, seed=seed), img), s=time.perf_counter() - t0)
    row["ours_forced"] = quality(forced(model, y, an, [model.degradations.index(dname)], seed,
                                        steps=model.default_steps), img)
    cached = (reuse or {}).get((name, corruption, severity, round(row["input"]["psnr"], 9)), {})
    row.update(alternatives(y, img, dname, cached, skip_bm3d=skip_bm3d, cli=cli))
    row["reused_baselines"] = sorted(cached)
    return row


def _cell(rows):
    """Means of every method over rows, the best filter / classical baseline / alternative, and
    ours' margin over the best alternative."""
    methods = sorted({k for r in rows for k, v in r.items() if isinstance(v, dict) and "psnr" in v})
    d = {}
    for m in methods:
        v = [r[m] for r in rows if m in r]
        d[m] = {"psnr": _mean([x["psnr"] for x in v]), "ssim": _mean([x["ssim"] for x in v]), "n": len(v)}
    d["router_acc"] = _mean([r["router_ok"] for r in rows])
    d["nothing_to_repair_share"] = _mean([r["nothing_to_repair"] for r in rows])
    d["n"] = len(rows)
    for key, pred in (("best_filter", is_filter), ("best_classical", is_classical),
                      ("best_alternative", baselines.is_alternative)):
        b = best_of(d, pred)
        d[key] = {"method": b[0], "psnr": b[1]} if b else None
    if d["best_alternative"] and "ours_auto" in d:
        d["margin_db"] = d["ours_auto"]["psnr"] - d["best_alternative"]["psnr"]
    if "ours_auto" in d and "input" in d:
        d["gain_db"] = d["ours_auto"]["psnr"] - d["input"]["psnr"]
    return d


def summarise(rows):
    """{"corruptions": {name: {"all": cell, "severity": {s: cell}}}, overall means}."""
    out = {"corruptions": {}}
    for c in [c for c in KNOWN if any(r["corruption"] == c for r in rows)]:
        rs = [r for r in rows if r["corruption"] == c]
        out["corruptions"][c] = {"type": KNOWN[c], "all": _cell(rs),
                                 "severity": {str(s): _cell([r for r in rs if r["severity"] == s])
                                              for s in sorted({r["severity"] for r in rs})}}
    cs = out["corruptions"].values()
    out["mean_gain_db"] = _mean([c["all"]["gain_db"] for c in cs])
    out["mean_margin_db"] = _mean([c["all"]["margin_db"] for c in cs if "margin_db" in c["all"]])
    out["router_acc"] = _mean([r["router_ok"] for r in rows])
    out["nothing_to_repair_share"] = _mean([r["nothing_to_repair"] for r in rows])
    return out


def render(summary):
    """A markdown table per corruption: all severities, then each."""
    f = lambda d, m: f'{d[m]["psnr"]:.2f} / {d[m]["ssim"]:.3f}' if m in d else "-"
    b = lambda x: f'{x["method"]} {x["psnr"]:.2f}' if x else "-"
    L = []
    for c, s in summary["corruptions"].items():
        L += [f"#### {c} (type {s['type']}; {s['all']['n']} images)", "",
              "| severity | input | ours (one click) | ours, type named | best GEGL/G'MIC | best classical | margin over best alternative | router top-1 | nothing to repair |",
              "|---|---|---|---|---|---|---|---|---|"]
        for label, d in [("all", s["all"])] + [(k, v) for k, v in s["severity"].items()]:
            margin = f'{d["margin_db"]:+.2f}' if "margin_db" in d else "-"
            L.append(f"| {label} | {f(d, 'input')} | {f(d, 'ours_auto')} | {f(d, 'ours_forced')} | "
                     f"{b(d['best_filter'])} | {b(d['best_classical'] and dict(d['best_classical'], method=d['best_classical']['method'].replace('base_', '', 1)))} | "
                     f"{margin} | {d['router_acc'] * 100:.0f}% | {d['nothing_to_repair_share'] * 100:.0f}% |")
        L.append("")
    L.append(f"Over the corruptions: ours (one click) {summary['mean_gain_db']:+.2f} dB over the input, "
             f"{summary['mean_margin_db']:+.2f} dB over the best alternative; router top-1 {summary['router_acc'] * 100:.1f}%; "
             f"\"nothing to repair\" on {summary['nothing_to_repair_share'] * 100:.0f}% of the corrupted images.")
    return "\n".join(L)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="models/shipped")
    ap.add_argument("--photo-dir", default="data/photos/eval")
    ap.add_argument("--photos", type=int, default=0, help="only the first N photos (0 = all)")
    ap.add_argument("--crop", type=int, default=256, help="centre crop, px (photos smaller are left out)")
    ap.add_argument("--corruptions", default=",".join(CORRUPTIONS))
    ap.add_argument("--severities", default=",".join(map(str, SEVERITIES)))
    ap.add_argument("--no-bm3d", action="store_true", help="skip BM3D (most of the time)")
    ap.add_argument("--no-cli", action="store_true", help="skip the GEGL / G'MIC filters")
    ap.add_argument("--json", default="models/eval/external.json")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reuse-baselines", metavar="JSON",
                    help="take baseline results from an earlier external run where the corrupted input is identical")
    ap.add_argument("--render", metavar="JSON", help="only print the tables of an earlier run's results file")
    a = ap.parse_args(argv)
    if a.render:
        with open(a.render) as f:
            print(render(summarise(json.load(f)["rows"])))
        return 0
    from .infer import OrtModel

    corruptions = [c for c in a.corruptions.split(",") if c]
    unknown = [c for c in corruptions if c not in KNOWN]
    if unknown:
        raise SystemExit(f"unknown corruption(s) {unknown}; known: {', '.join(KNOWN)}")
    severities = [int(s) for s in a.severities.split(",") if s]
    if not a.no_cli and not baselines.cli_available():
        raise SystemExit("eval_external: `gegl` / `gmic` not found (apt-get install gegl gmic, or --no-cli)")
    load_imagecorruptions()
    t_start = time.perf_counter()
    model = OrtModel(a.model, threads=a.threads)
    missing = {KNOWN[c] for c in corruptions} - set(model.degradations)
    if missing:
        raise SystemExit(f"the model has no group for {missing}")
    photos = load_eval(a.photo_dir, a.crop)
    if a.photos:
        photos = photos[: a.photos]
    if not photos:
        raise SystemExit(f"no evaluation photos >= {a.crop}px in {a.photo_dir}")
    reuse = reusable_baselines(a.reuse_baselines, key=ROW_KEY)
    rows, reused = [], 0
    for pi, (name, img) in enumerate(photos):
        t0 = time.perf_counter()
        for c in corruptions:
            for s in severities:
                row = evaluate_image(model, name, img, c, s, reuse, skip_bm3d=a.no_bm3d, cli=not a.no_cli)
                reused += bool(row["reused_baselines"])
                rows.append(row)
        print(f"[{pi + 1}/{len(photos)}] {name} ({time.perf_counter() - t0:.0f} s)", flush=True)
    summary = summarise(rows)
    summary.update(model=model.manifest, photos=[n for n, _ in photos], crop=a.crop, corruption_names=corruptions,
                   severities=severities, seconds=time.perf_counter() - t_start, reused_rows=reused,
                   methods={f.name: f.cmd for f in baselines.CLI_FILTERS if not a.no_cli})
    os.makedirs(os.path.dirname(a.json) or ".", exist_ok=True)
    with open(a.json, "w") as f:
        json.dump({"summary": summary, "rows": rows}, f, indent=1)
    print(render(summary))
    print(f"\n{len(rows)} images in {summary['seconds']:.0f} s ({reused} with reused baselines); wrote {a.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
