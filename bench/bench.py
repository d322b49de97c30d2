"""AutoRestore benchmark: quality and speed against what users would use instead, in one run.

  make bench          # full: speed (examples/bench.rs) + quality on bench/inputs/, ~8 min on 2 cores
  make bench-quick    # CI: small speed run + quality on samples/, then sanity checks (exit 1)

  python bench/bench.py [--quick] [--speed build/bench/speed.json] [--update-readme]

Ours is the product: the `autorestore` CLI (auto mode, the model's default steps), one process
per image, so its times include engine creation. The alternatives run on the same degraded
images in the same run:
  - OpenCV non-local means, BM3D (PyPI), dark channel prior, Richardson-Lucy / Wiener, CLAHE,
    gain+gamma, median: models/autorestore_model/baselines.py (parameters estimated from the
    image, never from the clean original);
  - GEGL (`gegl` CLI, the operations GIMP's filters run) and G'MIC (`gmic` CLI), as a GIMP user
    would apply them: the filter's defaults, and the estimated noise level where the filter
    asks for one (command lines in results.json).
PSNR/SSIM are models/autorestore_model/evaluate.py's. Times are CPU seconds (user+sys, all
threads; subprocesses through RUSAGE_CHILDREN) and wall seconds. Time per megapixel comes from
a ~0.9 MP mosaic of each type's degraded crops (full mode), so process start-up weighs little;
slow methods (BM3D) take it from their crops. Headline = ratios: our CPU time per MP over each
alternative's, and PSNR differences per type on the same images.

Inputs: bench/inputs/ (made once by bench/make_inputs.py from held-out eval photos with the
model's synthesis; committed, so no torch is needed here); quick mode uses samples/.
Outputs (full): bench/results.json, bench/side_by_side.png (README), bench/quality_vs_time.png,
bench/out/side_by_side_<type>.png; --quick: all of them in build/bench/quick/.
"""
import argparse
import datetime
import json
import math
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from models.autorestore_model import DEGRADATIONS, baselines  # noqa: E402
from models.autorestore_model.evaluate import psnr, ssim  # noqa: E402

TYPES = list(DEGRADATIONS)
OUR_MODE = {"noise": "denoise", "blur": "deblur", "haze": "dehaze", "lowlight": "lowlight", "rain": "derain"}


# ------------------------------------------------------------------ image I/O
load = baselines.read_png  # float RGB [H,W,3] in [0,1] from an 8/16-bit PNG (gegl writes 16-bit)


def save(path, img):
    Image.fromarray((np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8)).save(path)


# ------------------------------------------------------------------ methods
class Method:
    """name: stable id; family: ours | opencv/scikit | bm3d | gegl | gmic; run(in_png, out_png,
    img) -> float RGB image; slow: its time per MP comes from the crops, not the mosaic."""

    def __init__(self, name, label, family, types, run, cmd, slow=False):
        self.name, self.label, self.family, self.types = name, label, family, types
        self.run, self.cmd, self.slow = run, cmd, slow


def cli_method(name, label, family, types, argv_fn, cmd):
    def run(inp, out, img):
        argv = argv_fn(inp, out, img)
        r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed ({r.returncode}): {r.stderr.strip()[-400:]}")
        return load(out)

    return Method(name, label, family, types, run, cmd)


def filter_method(name):
    """A GEGL / G'MIC one-click filter; its command line is baselines.CLI_FILTERS' (shared with
    the evaluations)."""
    f = baselines.CLI_BY_NAME[name]
    return cli_method(f.name, f.label, f.family, list(f.types), f.argv, f.cmd)


def py_method(name, label, family, types, fn, cmd, slow=False):
    return Method(name, label, family, types, lambda inp, out, img: np.clip(fn(img), 0, 1).astype(np.float32),
                  cmd, slow)


img_type = [None]  # the type of the image being processed (for ours_mode)


def methods(cli, quick):
    m = [
        cli_method("ours", "ours (autorestore CLI)", "ours", TYPES,
                   lambda i, o, img: [cli, "restore", i, o, "--quiet"],
                   "autorestore restore IN OUT --quiet  (auto mode, default steps)"),
        cli_method("ours_mode", "ours, --mode <type>", "ours", TYPES,
                   lambda i, o, img: [cli, "restore", i, o, "--quiet", "--mode", OUR_MODE[img_type[0]]],
                   "autorestore restore IN OUT --quiet --mode <denoise|deblur|dehaze|lowlight|derain>  (the user names the damage)"),
        # noise
        py_method("opencv_nlmeans", "OpenCV NL-means", "opencv", ["noise"], baselines.nlmeans,
                  "cv2.fastNlMeansDenoisingColored, h = 0.9 x estimated sigma"),
        py_method("bm3d", "BM3D", "bm3d", ["noise"], baselines.bm3d_denoise,
                  "bm3d.bm3d_rgb(img, estimated sigma)", slow=True),
        filter_method("gegl_noise_reduction"),
        filter_method("gegl_denoise_dct"),
        filter_method("gmic_denoise"),
        # blur
        py_method("richardson_lucy", "Richardson-Lucy", "scikit", ["blur"], baselines.richardson_lucy,
                  "skimage richardson_lucy, Gaussian PSF sigma 1.6, 15 iterations"),
        py_method("wiener", "Wiener", "scikit", ["blur"], baselines.wiener,
                  "skimage wiener, Gaussian PSF sigma 1.6, balance 0.05"),
        filter_method("gegl_unsharp_mask"),
        filter_method("gmic_deblur_rl"),
        filter_method("gmic_sharpen"),
        # haze
        py_method("dark_channel", "dark channel prior", "opencv", ["haze"], baselines.dark_channel_prior,
                  "He et al. 2009 + guided filter (baselines.py)"),
        filter_method("gegl_stretch_contrast"),
        filter_method("gmic_retinex"),
        filter_method("gmic_normalize_local"),
        # low light
        py_method("clahe", "CLAHE", "opencv", ["lowlight"], baselines.clahe, "cv2 CLAHE on L*, clip 3, 8x8"),
        py_method("gain_gamma", "gain + gamma", "numpy", ["lowlight"], baselines.gain_gamma,
                  "gamma so that the mean reaches 0.45"),
        filter_method("gegl_shadows_highlights"),
        filter_method("gmic_equalize"),
        # rain
        py_method("median", "median 5x5", "opencv", ["rain"], baselines.median, "cv2.medianBlur 5"),
        filter_method("gegl_median_blur"),
        filter_method("gmic_smooth"),
    ]
    m[1].slow = True  # ours_mode: same engine and speed as ours; not timed on the mosaic
    return m


# ------------------------------------------------------------------ timing
def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(method, inp, out, img):
    c0, p0, w0 = children_cpu(), time.process_time(), time.perf_counter()
    res = method.run(inp, out, img)
    wall = time.perf_counter() - w0
    cpu = (children_cpu() - c0) + (time.process_time() - p0)
    return res, cpu, wall


# ------------------------------------------------------------------ inputs
def load_items(quick):
    if quick:
        info = json.load(open(os.path.join(ROOT, "samples", "samples.json")))
        items = [{"type": t, "subtype": info[t]["degradations"][0].split("/")[1], "photo": info[t]["photo"],
                  "degraded": os.path.join(ROOT, "samples", f"{t}_degraded.png"),
                  "clean": os.path.join(ROOT, "samples", f"{t}_clean.png")} for t in TYPES if t in info]
        return items, "samples/ (one pair per type, 384 px)"
    base = os.path.join(ROOT, "bench", "inputs")
    info = json.load(open(os.path.join(base, "inputs.json")))
    items = [dict(it, degraded=os.path.join(base, it["degraded"]), clean=os.path.join(base, it["clean"]))
             for it in info["items"]]
    return items, f"bench/inputs/ ({len(items)} crops of {info['crop']} px from held-out eval photos)"


def mosaic(crops):
    """3x3 mosaic of a type's degraded crops (~0.9 MP at 320 px) for the time per MP."""
    n = len(crops)
    rows = [np.concatenate([crops[(i + j) % n] for j in range(3)], 1) for i in range(3)]
    return np.concatenate(rows, 0)


# ------------------------------------------------------------------ pictures
def font(size):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1
        return ImageFont.load_default()


def side_by_side(panels, path, crop=None, max_bytes=None):
    """panels: [(title, float image)], same size; crop: side of a centred crop (same for all)."""
    ims = []
    for _, im in panels:
        if crop:
            h, w, _ = im.shape
            y0, x0 = (h - crop) // 2, (w - crop) // 2
            im = im[y0:y0 + crop, x0:x0 + crop]
        ims.append(Image.fromarray((np.clip(im, 0, 1) * 255 + 0.5).astype(np.uint8)))
    w, h = ims[0].size
    pad, top = 4, 22
    canvas = Image.new("RGB", (len(ims) * w + (len(ims) - 1) * pad, h + top), "white")
    d = ImageDraw.Draw(canvas)
    f = font(14)
    for k, ((title, _), im) in enumerate(zip(panels, ims)):
        x = k * (w + pad)
        canvas.paste(im, (x, top))
        d.text((x + 3, 3), title, fill="black", font=f)
    canvas.save(path, optimize=True)
    if max_bytes and os.path.getsize(path) > max_bytes:
        canvas.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)
    return path


def plot(summary, speed, path):
    """One panel per type (PSNR vs CPU s per MP, log x) and one for end-to-end time and peak
    memory per image size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, NullFormatter

    # label the 2x and 5x minor ticks too (panels often span less than a decade)
    minor = FuncFormatter(lambda v, _: f"{v:g}" if v > 0 and round(v / 10 ** math.floor(math.log10(v))) in (2, 5) else "")

    fig, axes = plt.subplots(2, 3, figsize=(14, 8.5))
    axes = axes.ravel()
    for ax, t in zip(axes, TYPES):
        s = summary["types"].get(t)
        if not s:
            ax.set_visible(False)
            continue
        for name, v in s["methods"].items():
            x = v.get("cpu_s_per_mp")
            if not fin(x) or x <= 0:
                continue
            ours = v["family"] == "ours"
            ax.scatter([x], [v["psnr"]], s=110 if ours else 35, c="crimson" if ours else "tab:blue",
                       marker=("*" if name == "ours" else "P") if ours else "o", zorder=3)
            ax.annotate(v["label"], (x, v["psnr"]), fontsize=7, xytext=(4, 3), textcoords="offset points")
        ax.axhline(s["input_psnr"], color="gray", ls="--", lw=0.8)
        ax.text(0.01, s["input_psnr"], "degraded input", color="gray", fontsize=7,
                transform=ax.get_yaxis_transform(), va="bottom")
        ax.set_xscale("log")
        lo, hi = ax.get_xlim()
        ax.xaxis.set_minor_formatter(minor if hi / lo < 30 else NullFormatter())
        ax.set_title(f"{t} ({s['images']} images)")
        ax.set_xlabel("CPU s per megapixel (log)")
        ax.set_ylabel("PSNR (dB)")
        ax.grid(alpha=0.3)
    ax = axes[len(TYPES)]
    e2e = [e for e in (speed or {}).get("end_to_end", []) if not e.get("failed")]
    if e2e:
        mp = [e["mp"] for e in e2e]
        ax.plot(mp, [e["total_ms"] / 1e3 for e in e2e], "o-", color="crimson", label="time (s): engine + restore")
        ax.set_xlabel("image size (MP), ours, default tiles, 1 step")
        ax.set_ylabel("seconds")
        ax2 = ax.twinx()
        ax2.plot(mp, [e["peak_rss_mib"] for e in e2e], "s--", color="tab:green", label="peak RSS (MiB)")
        ax2.axhline(2048, color="tab:green", lw=0.8, ls=":")
        ax2.set_ylabel("peak RSS (MiB; dotted: 2 GiB)")
        ax2.set_ylim(0, max(2200, 1.1 * max(e["peak_rss_mib"] for e in e2e)))
        ax.set_title("ours: end-to-end time and peak memory")
        ax.legend(loc="upper left", fontsize=8)
        ax2.legend(loc="lower right", fontsize=8)
        ax.grid(alpha=0.3)
    else:
        ax.set_visible(False)
    fig.suptitle("Quality vs CPU time per megapixel, same images, same run (ours: red star; ours with the mode named: red plus)")
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


# ------------------------------------------------------------------ summary
def fin(x):
    return x is not None and isinstance(x, (int, float)) and math.isfinite(x)


def summarise(rows, speed_rows, methods_by_name):
    out = {"types": {}}
    for t in TYPES:
        trows = [r for r in rows if r["type"] == t]
        if not trows:
            continue
        names = [m for m in methods_by_name if any(m in r["methods"] for r in trows)]
        s = {"images": len(trows), "input_psnr": float(np.mean([r["input"]["psnr"] for r in trows])),
             "input_ssim": float(np.mean([r["input"]["ssim"] for r in trows])), "methods": {}}
        for name in names:
            rs = [r for r in trows if name in r["methods"]]
            v = [r["methods"][name] for r in rs]
            mp = sum(r["mp"] for r in rs)
            ours_on_same = [r["methods"]["ours"]["psnr"] for r in rs if "ours" in r["methods"]]
            entry = {
                "label": methods_by_name[name].label, "family": methods_by_name[name].family,
                "images": len(v), "psnr": float(np.mean([x["psnr"] for x in v])),
                "ssim": float(np.mean([x["ssim"] for x in v])),
                "gain_db": float(np.mean([x["psnr"] - r["input"]["psnr"] for x, r in zip(v, rs)])),
                "ours_minus_this_db": float(np.mean(ours_on_same) - np.mean([x["psnr"] for x in v])),
                "crops_cpu_s_per_mp": sum(x["cpu_s"] for x in v) / mp,
                "crops_wall_s_per_mp": sum(x["wall_s"] for x in v) / mp,
            }
            sp = speed_rows.get((t, name))
            if sp:
                entry["cpu_s_per_mp"] = sp["cpu_s"] / sp["mp"]
                entry["wall_s_per_mp"] = sp["wall_s"] / sp["mp"]
                entry["time_from"] = f"mosaic {sp['width']}x{sp['height']}"
            else:
                entry["cpu_s_per_mp"] = entry["crops_cpu_s_per_mp"]
                entry["wall_s_per_mp"] = entry["crops_wall_s_per_mp"]
                entry["time_from"] = "crops"
            s["methods"][name] = entry
        ours = s["methods"].get("ours")
        if ours and "ours_mode" in s["methods"]:  # same engine and work as ours: its mosaic time
            s["methods"]["ours_mode"].update(cpu_s_per_mp=ours["cpu_s_per_mp"], wall_s_per_mp=ours["wall_s_per_mp"],
                                             time_from="same as ours")
        alts = {n: v for n, v in s["methods"].items() if v["family"] != "ours"}
        if ours and alts:
            # best = the strongest alternative: the smallest margin of ours over it, on the same images
            best = min(alts, key=lambda n: alts[n]["ours_minus_this_db"])
            s["best_alternative"] = best
            s["margin_vs_best_db"] = alts[best]["ours_minus_this_db"]
            s["beats_all_alternatives"] = all(v["ours_minus_this_db"] > 0 for v in alts.values())
            for v in alts.values():
                v["time_ratio_ours_over_this"] = ours["cpu_s_per_mp"] / v["cpu_s_per_mp"] if v["cpu_s_per_mp"] > 0 else float("nan")
        out["types"][t] = s
    return out


def targets(summary, speed):
    res = {}
    types = summary["types"]
    res["psnr_above_every_alternative"] = {t: bool(s.get("beats_all_alternatives")) for t, s in types.items()}
    n = types.get("noise", {}).get("methods", {})
    if "gegl_noise_reduction" in n:
        r = n["gegl_noise_reduction"]["time_ratio_ours_over_this"]
        res["cpu_per_mp_within_3x_gegl_noise_reduction"] = {"ratio": r, "ok": bool(r <= 3)}
    if "bm3d" in n:
        r = n["bm3d"]["time_ratio_ours_over_this"]
        res["faster_than_bm3d"] = {"ratio": r, "ok": bool(r < 1)}
    for e in (speed or {}).get("end_to_end", []):
        if e.get("label") == "24MP" and not e.get("failed"):
            res["24mp_peak_rss_under_2gib"] = {"peak_rss_mib": e["peak_rss_mib"], "ok": bool(e["peak_rss_mib"] < 2048)}
    return res


def fmt_ratio(r):
    return f"{r:.2f}x" if fin(r) else "-"


def headline(summary, tg, speed):
    L = ["| type (images) | input PSNR | ours PSNR / SSIM | ours, mode named | strongest alternative (PSNR) | ours - strongest | ours - weakest | ours time/MP over strongest's | above all? |",
         "|---|---|---|---|---|---|---|---|---|"]
    for t, s in summary["types"].items():
        o = s["methods"].get("ours")
        b = s.get("best_alternative")
        if not o or not b:
            continue
        bm = s["methods"][b]
        alts = [v for n, v in s["methods"].items() if v["family"] != "ours"]
        weakest = max(v["ours_minus_this_db"] for v in alts)
        om = s["methods"].get("ours_mode", {"psnr": float("nan")})
        L.append(f"| {t} ({s['images']}) | {s['input_psnr']:.2f} | {o['psnr']:.2f} / {o['ssim']:.3f} | {om['psnr']:.2f} | {bm['label']} ({bm['psnr']:.2f}) | "
                 f"{s['margin_vs_best_db']:+.2f} dB | {weakest:+.2f} dB | {fmt_ratio(bm['time_ratio_ours_over_this'])} | "
                 f"{'yes' if s['beats_all_alternatives'] else 'no'} |")
    L.append("")
    L.append("Our CPU time per megapixel over each alternative's (same run; < 1 = we are faster):")
    L.append("")
    L.append("| alternative | types | ours / it |")
    L.append("|---|---|---|")
    seen = {}
    for t, s in summary["types"].items():
        for n, v in s["methods"].items():
            if v["family"] != "ours":
                seen.setdefault(n, (v["label"], []))[1].append((t, v["time_ratio_ours_over_this"]))
    for label, lst in seen.values():
        L.append(f"| {label} | {', '.join(t for t, _ in lst)} | {' / '.join(fmt_ratio(r) for _, r in lst)} |")
    L.append("")
    L.append("Targets:")
    pa = tg.get("psnr_above_every_alternative", {})
    L.append("- PSNR above every non-learned alternative: "
             + ", ".join(f"{t} {'yes' if ok else 'NO'}" for t, ok in pa.items()))
    for key, text in (("cpu_per_mp_within_3x_gegl_noise_reduction", "CPU time per MP within 3x of GEGL noise-reduction"),
                      ("faster_than_bm3d", "faster than BM3D")):
        if key in tg:
            L.append(f"- {text}: ours/it = {fmt_ratio(tg[key]['ratio'])} -> {'yes' if tg[key]['ok'] else 'NO'}")
    if "24mp_peak_rss_under_2gib" in tg:
        v = tg["24mp_peak_rss_under_2gib"]
        L.append(f"- 24 MP peak memory under 2 GiB: {v['peak_rss_mib']:.0f} MiB -> {'yes' if v['ok'] else 'NO'}")
    if speed:
        L.append("")
        runs = [f"{p['device']} {r['threads']} thread(s) {r['ms_per_mp_step']:.0f}" for p in speed["providers"]
                if p["available"] for r in p["runs"] if r["steps"] == 1]
        e2e = [f"{e['label']} {e['total_ms'] / 1e3:.1f} s / {e['peak_rss_mib']:.0f} MiB" for e in speed["end_to_end"]
               if not e.get("failed")]
        L.append(f"Ours in the library (`examples/bench.rs`, {speed['cores']} cores): ms per MP per step: {', '.join(runs)}; "
                 f"engine creation {speed['engine_create_ms']['warm']:.0f} ms; end-to-end time / peak RSS: {', '.join(e2e)}.")
    return "\n".join(L)


def speed_table(speed):
    if not speed:
        return "(no speed run)"
    L = [f"engine creation: {speed['engine_create_ms']['first']:.0f} ms first, {speed['engine_create_ms']['warm']:.0f} ms warm; "
         f"model {speed['model']['name']} {speed['model']['version']}; {speed['cores']} cores"]
    for p in speed["providers"]:
        if not p["available"]:
            L.append(f"- {p['device']}: not available ({p['reason'][:140]})")
            continue
        for r in p["runs"]:
            L.append(f"- {p['device']}, {r['threads']} thread(s), {r['steps']} step(s): {r['ms_per_mp_step']:.0f} ms/MP/step "
                     f"({r['width']}x{r['height']}, {r['tiles']} tiles of {r['tile']} px; outside ONNX Runtime {100 * r['outside_ort_share']:.1f}%)")
    L.append("- tile size: " + ", ".join(f"{r['tile']} px {r['ms_per_mp_step']:.0f} ms/MP/step ({r['tiles']} tiles)" for r in speed["tiles"]))
    c = speed.get("one_click")  # older speed files have none
    if c:
        L.append(f"- one click ({c['width']}x{c['height']}, 2 threads, {c['tiles']} tiles of {c['tile']} px): {c['total_ms'] / 1e3:.2f} s, "
                 f"outside ONNX Runtime {100 * c['outside_ort_share']:.1f}%" + (" (nothing to repair)" if c["nothing_to_repair"] else ""))
    for e in speed["end_to_end"]:
        if e.get("failed"):
            L.append(f"- {e['label']}: FAILED")
        else:
            L.append(f"- {e['label']} ({e['width']}x{e['height']}): engine {e['create_ms']:.0f} ms + restore {e['restore_ms'] / 1e3:.1f} s "
                     f"({e['restore_ms'] / e['mp']:.0f} ms/MP), peak RSS {e['peak_rss_mib']:.0f} MiB")
    return "\n".join(L)


# ------------------------------------------------------------------ sanity (quick mode, CI)
def sanity(rows, summary, speed):
    bad = []
    for r in rows:
        for n, v in list(r["methods"].items()) + [("input", r["input"])]:
            for k in ("psnr", "ssim"):
                if not fin(v.get(k)) or not (0 < v[k] < 100 if k == "psnr" else -1 <= v[k] <= 1):
                    bad.append(f"{r['type']}/{r['photo']} {n}: {k} = {v.get(k)}")
        for n, v in r.get("subcrop", {}).items():
            if not (fin(v["psnr"]) and 0 < v["psnr"] < 100 and fin(v["cpu_s"]) and v["cpu_s"] > 0):
                bad.append(f"{r['type']}/{r['photo']} {n} (128 px crop): {v}")
    for t, s in summary["types"].items():
        for n, v in s["methods"].items():
            if v["family"] != "ours" and not (fin(v.get("time_ratio_ours_over_this")) and v["time_ratio_ours_over_this"] > 0):
                bad.append(f"{t}: time ratio ours/{n} = {v.get('time_ratio_ours_over_this')}")
    # every sample by default (the shipped model gains on all); BENCH_GAIN_TYPES=noise,... relaxes it
    need_gain = set(os.environ.get("BENCH_GAIN_TYPES", ",".join(TYPES)).split(","))
    for r in rows:
        o = r["methods"].get("ours")
        if o is None:
            bad.append(f"{r['type']}: ours missing")
        elif r["type"] in need_gain and not o["psnr"] > r["input"]["psnr"]:
            bad.append(f"{r['type']}: ours PSNR {o['psnr']:.2f} not above the degraded input {r['input']['psnr']:.2f}")
        elif o["psnr"] < 10:
            bad.append(f"{r['type']}: ours PSNR {o['psnr']:.2f} < 10 dB (broken output?)")
    if speed:
        for p in speed["providers"]:
            for x in p.get("runs", []):
                if not (fin(x["ms_per_mp_step"]) and x["ms_per_mp_step"] > 0):
                    bad.append(f"speed {p['device']} {x['threads']} threads: {x['ms_per_mp_step']}")
        for k, v in speed["engine_create_ms"].items():
            if not (fin(v) and v > 0):
                bad.append(f"engine creation {k}: {v}")
        for e in speed["end_to_end"]:
            if e.get("failed") or not (fin(e["peak_rss_mib"]) and 0 < e["peak_rss_mib"] < 8192):
                bad.append(f"end-to-end {e['label']}: {e}")
        if not any(p["available"] for p in speed["providers"]):
            bad.append("no provider available")
    return bad


# ------------------------------------------------------------------ README
def readme_text(doc, head):
    model = (doc.get("speed") or {}).get("model", {})
    m = doc["meta"]
    return (f"Last full run: {m['date_utc'][:16].replace('T', ' ')} UTC, model {model.get('name', '?')} "
            f"{model.get('version', '?')} (`models/shipped`), {m['inputs']}, {m['machine']} "
            f"(shared and busy: compare ratios, not times).\n\n" + head + "\n")


def update_readme(path, text):
    s = open(path).read()
    a, b = "<!-- bench:begin (written by bench/bench.py --update-readme) -->", "<!-- bench:end -->"
    if a not in s or b not in s:
        print(f"README: markers not found in {path}; not updated", file=sys.stderr)
        return
    i, j = s.index(a) + len(a), s.index(b)
    open(path, "w").write(s[:i] + "\n" + text + "\n" + s[j:])


# ------------------------------------------------------------------ main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="CI: samples/, no mosaic, BM3D on a 128 px crop; sanity checks")
    ap.add_argument("--cli", default=os.path.join(ROOT, "target", "release", "autorestore"))
    ap.add_argument("--speed", help="JSON written by examples/bench.rs --json")
    ap.add_argument("--out", help="pictures (default bench/out, or build/bench/quick with --quick)")
    ap.add_argument("--results", help="default bench/results.json (build/bench/quick/results.json with --quick)")
    ap.add_argument("--bm3d-images", type=int, default=2, help="BM3D runs on this many noise crops (slow)")
    ap.add_argument("--readme-type", default="noise", help="the type whose side-by-side goes in the README")
    ap.add_argument("--update-readme", action="store_true", help="rewrite README.md's bench section")
    ap.add_argument("--render-only", action="store_true",
                    help="re-render the headline (and README with --update-readme) from bench/results.json")
    a = ap.parse_args(argv)
    if a.render_only:
        doc = json.load(open(a.results or os.path.join(ROOT, "bench", "results.json")))
        head = headline(doc["summary"], doc["targets"], doc["speed"])
        doc["headline_markdown"] = head
        with open(a.results or os.path.join(ROOT, "bench", "results.json"), "w") as f:
            json.dump(doc, f, indent=1, default=float)
            f.write("\n")
        print(head)
        if a.update_readme:
            update_readme(os.path.join(ROOT, "README.md"), readme_text(doc, head))
        return 0
    out = a.out or os.path.join(ROOT, "build", "bench", "quick") if a.quick else (a.out or os.path.join(ROOT, "bench", "out"))
    res_path = a.results or (os.path.join(out, "results.json") if a.quick else os.path.join(ROOT, "bench", "results.json"))
    os.makedirs(out, exist_ok=True)
    for tool in ("gegl", "gmic"):
        if not shutil.which(tool):
            raise SystemExit(f"bench: `{tool}` not found (apt-get install gegl gmic)")
    if not os.access(a.cli, os.X_OK):
        raise SystemExit(f"bench: {a.cli} not found (make build)")
    speed = json.load(open(a.speed)) if a.speed else None
    t_start = time.perf_counter()

    items, inputs_desc = load_items(a.quick)
    ms = methods(a.cli, a.quick)
    by_name = {m.name: m for m in ms}
    tmp = tempfile.mkdtemp(prefix="arbench.")
    rows, outputs = [], {}
    bm3d_left = {"n": a.bm3d_images}
    print(f"== quality: {inputs_desc}; {len(ms)} methods", flush=True)
    for k, it in enumerate(items):
        t = it["type"]
        img_type[0] = t
        y, x = load(it["degraded"]), load(it["clean"])
        # quick mode: 128 px centre crop for BM3D only (it takes ~1 min per 0.1 MP here)
        inp = os.path.join(tmp, f"in{k}.png")
        save(inp, y)
        row = {"type": t, "subtype": it["subtype"], "photo": it["photo"], "mp": y.shape[0] * y.shape[1] / 1e6,
               "input": {"psnr": psnr(y, x), "ssim": ssim(y, x)}, "methods": {}}
        for m in ms:
            if t not in m.types:
                continue
            if m.name == "bm3d":
                if a.quick:
                    c = 128
                    y0 = (y.shape[0] - c) // 2
                    sub_y, sub_x = y[y0:y0 + c, y0:y0 + c], x[y0:y0 + c, y0:y0 + c]
                    res, cpu, wall = timed(m, inp, None, sub_y)
                    row.setdefault("subcrop", {})["bm3d"] = {"psnr": psnr(res, sub_x), "ssim": ssim(res, sub_x),
                                                              "cpu_s": cpu, "wall_s": wall, "mp": c * c / 1e6}
                    continue
                if bm3d_left["n"] <= 0:
                    continue
                bm3d_left["n"] -= 1
            o = os.path.join(tmp, f"out{k}_{m.name}.png")
            res, cpu, wall = timed(m, inp, o, y)
            if res.shape != x.shape:
                raise RuntimeError(f"{m.name} returned {res.shape} for {x.shape}")
            row["methods"][m.name] = {"psnr": psnr(res, x), "ssim": ssim(res, x), "cpu_s": cpu, "wall_s": wall}
            outputs[(k, m.name)] = res
        rows.append(row)
        o = row["methods"].get("ours", {})
        print(f"[{k + 1}/{len(items)}] {t}/{it['subtype']} {it['photo']}: input {row['input']['psnr']:.2f} dB, ours {o.get('psnr', float('nan')):.2f} dB; "
              + ", ".join(f"{n} {v['psnr']:.2f}" for n, v in row["methods"].items() if n != "ours"), flush=True)

    # time per MP on a ~0.9 MP mosaic of each type's crops (full mode)
    speed_rows = {}
    if not a.quick:
        print("== time per megapixel on a 3x3 mosaic of each type's crops", flush=True)
        for t in TYPES:
            crops = [load(it["degraded"]) for it in items if it["type"] == t]
            if not crops or len({c.shape for c in crops}) != 1:
                continue
            mz = mosaic(crops)
            inp = os.path.join(tmp, f"mosaic_{t}.png")
            save(inp, mz)
            mz = load(inp)
            for m in ms:
                if t not in m.types or m.slow:
                    continue
                o = os.path.join(tmp, f"mosaic_{t}_{m.name}.png")
                _, cpu, wall = timed(m, inp, o, mz)
                speed_rows[(t, m.name)] = {"cpu_s": cpu, "wall_s": wall, "mp": mz.shape[0] * mz.shape[1] / 1e6,
                                           "width": mz.shape[1], "height": mz.shape[0]}
            print(f"{t}: " + ", ".join(f"{n} {v['cpu_s'] / v['mp']:.2f}" for (tt, n), v in speed_rows.items() if tt == t)
                  + " CPU s/MP", flush=True)

    summary = summarise(rows, speed_rows, by_name)
    tg = targets(summary, speed)

    # pictures: per type, the first image; degraded | ours | best alternative | clean
    pics = {}
    for t, s in summary["types"].items():
        k = next(i for i, r in enumerate(rows) if r["type"] == t)
        best = s.get("best_alternative")
        if best not in rows[k]["methods"]:  # best ran on a subset that misses this image
            best = max((n for n in rows[k]["methods"] if by_name[n].family != "ours"), key=lambda n: rows[k]["methods"][n]["psnr"])
        r = rows[k]
        panels = [(f"degraded {r['input']['psnr']:.1f} dB", load(items[k]["degraded"])),
                  (f"ours {r['methods']['ours']['psnr']:.1f} dB", outputs[(k, "ours")]),
                  (f"{by_name[best].label} {r['methods'][best]['psnr']:.1f} dB", outputs[(k, best)]),
                  ("clean", load(items[k]["clean"]))]
        pics[t] = side_by_side(panels, os.path.join(out, f"side_by_side_{t}.png"))
        if t == a.readme_type and not a.quick:
            pics["readme"] = side_by_side(panels, os.path.join(ROOT, "bench", "side_by_side.png"), crop=224,
                                          max_bytes=280_000)
    plot_path = os.path.join(out if a.quick else os.path.join(ROOT, "bench"), "quality_vs_time.png")
    plot(summary, speed, plot_path)
    shutil.rmtree(tmp, ignore_errors=True)

    head = headline(summary, tg, speed)
    doc = {
        "meta": {"date_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                 "quick": a.quick, "inputs": inputs_desc, "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
                 "bench_seconds": time.perf_counter() - t_start,
                 "git": subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip(),
                 "tools": {"gegl": subprocess.run(["gegl", "--version"], capture_output=True, text=True).stdout.strip().splitlines()[:1],
                           "gmic": "gmic 2.9+ (Debian)", "python": platform.python_version()},
                 "methods": {m.name: {"label": m.label, "family": m.family, "types": m.types, "command": m.cmd} for m in ms}},
        "speed": speed, "summary": summary, "targets": tg, "rows": rows,
        "pictures": {k: os.path.relpath(v, ROOT) for k, v in pics.items()},
        "plot": os.path.relpath(plot_path, ROOT),
        "headline_markdown": head,
    }
    os.makedirs(os.path.dirname(res_path), exist_ok=True)
    with open(res_path, "w") as f:
        json.dump(doc, f, indent=1, default=float)
        f.write("\n")

    print("\n== speed (examples/bench.rs)\n" + speed_table(speed))
    print("\n== quality and time per type (CPU s per MP; " + ("crops" if a.quick else "mosaic") + ")")
    for t, s in summary["types"].items():
        print(f"{t}: input {s['input_psnr']:.2f} dB / {s['input_ssim']:.3f}")
        for n, v in sorted(s["methods"].items(), key=lambda kv: -kv[1]["psnr"]):
            print(f"   {v['label']:<28} {v['psnr']:6.2f} dB {v['ssim']:.3f}  {v['cpu_s_per_mp']:8.2f} CPU s/MP "
                  f"{v['wall_s_per_mp']:8.2f} wall s/MP  ({v['images']} img)"
                  + ("" if n == "ours" else f"  ours-this {v['ours_minus_this_db']:+.2f} dB, ours/this time {fmt_ratio(v.get('time_ratio_ours_over_this'))}"))
    print("\n== headline\n" + head)
    print(f"\nwrote {os.path.relpath(res_path, ROOT)}, pictures in {os.path.relpath(out, ROOT)}/ "
          f"({time.perf_counter() - t_start:.0f} s)")

    if a.update_readme and not a.quick:
        update_readme(os.path.join(ROOT, "README.md"), readme_text(doc, head))

    if a.quick:
        bad = sanity(rows, summary, speed)
        if bad:
            print("\nbench-quick: FAILED sanity checks:\n  " + "\n  ".join(bad), file=sys.stderr)
            return 1
        print("bench-quick: sanity checks passed (numbers finite and in range, ratios positive, "
              "ours above the degraded input on: " + os.environ.get("BENCH_GAIN_TYPES", ",".join(TYPES)) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
