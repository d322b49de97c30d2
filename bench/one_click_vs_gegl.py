"""One click on a 4 MP photo against GIMP's default Noise Reduction, in CPU time (issue 19).

  python bench/one_click_vs_gegl.py [--cli target/release/autorestore] [--rounds 3] [--threads 2]
                                    [--model-dir DIR ...] [--tiles N ...]

The image: bench/inputs/ noise crops, mirrored into 2304 x 1728 (4.0 MP) so the analysis finds
noise to repair. Each round runs our CLI (auto mode, default steps, --threads) and then the
`gegl` noise-reduction command of baselines.CLI_FILTERS (GIMP's default, iterations=4), one
process each (with --model-dir, one run of ours per model directory, e.g. a new export beside
the shipped one; with --other-cli, one per other build; with --tiles, one per tile size); CPU time is user+sys of the child (all its threads). Prints each run, the medians
and their ratio ours/GEGL (< 1: ours takes less CPU); --json writes them.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from models.autorestore_model import baselines  # noqa: E402

W, H = 2304, 1728


def make_image(path):
    info = json.load(open(os.path.join(ROOT, "bench", "inputs", "inputs.json")))
    crops = [np.asarray(Image.open(os.path.join(ROOT, "bench", "inputs", it["degraded"])).convert("RGB"))
             for it in info["items"] if it["type"] == "noise"]
    row = np.concatenate(crops, axis=1)
    row = np.concatenate([row, row[:, ::-1]], axis=1)  # mirrored: no hard seams to restore
    block = np.concatenate([row, row[::-1]], axis=0)
    reps = (-(-H // block.shape[0]), -(-W // block.shape[1]), 1)
    Image.fromarray(np.tile(block, reps)[:H, :W]).save(path)


def child_cpu(argv):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({r.returncode}): {r.stderr.strip()[-400:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, wall


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", default=os.path.join(ROOT, "target", "release", "autorestore"))
    ap.add_argument("--other-cli", nargs="*", default=[], help="time these builds of the CLI too (e.g. main's)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--model-dir", nargs="*", default=[], help="time these exports too (default: the shipped model)")
    ap.add_argument("--tiles", nargs="*", type=int, default=[],
                    help="time ours with these tile sizes too (--tile; the default is the engine's)")
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    gegl = baselines.CLI_BY_NAME["gegl_noise_reduction"]
    with tempfile.TemporaryDirectory() as td:
        inp, ours_out, gegl_out = (os.path.join(td, n) for n in ("in.png", "ours.png", "gegl.png"))
        make_image(inp)
        img = baselines.read_png(inp)
        ours_argv = [a.cli, "restore", inp, ours_out, "--quiet", "--overwrite", "--threads", str(a.threads)]
        cmds = [("ours", ours_argv)] + [(f"ours ({d})", ours_argv + ["--model-dir", d]) for d in a.model_dir]
        cmds += [(f"ours ({c})", [c] + ours_argv[1:]) for c in a.other_cli]
        cmds += [(f"ours (--tile {t})", ours_argv + ["--tile", str(t)]) for t in a.tiles]
        cmds.append(("gegl", gegl.argv(inp, gegl_out, img)))
        runs = {name: [] for name, _ in cmds}
        for r in range(a.rounds):  # interleaved: the machine's other load hits all alike
            for name, cmd in cmds:
                cpu, wall = child_cpu(cmd)
                runs[name].append({"cpu_s": cpu, "wall_s": wall})
                print(f"round {r + 1}: {name:<4} {cpu:6.1f} CPU s, {wall:6.1f} s wall")
    med = {k: statistics.median(x["cpu_s"] for x in v) for k, v in runs.items()}
    ratios = {k: v / med["gegl"] for k, v in med.items() if k != "gegl"}
    ratio = ratios["ours"]
    print(f"one click on {W}x{H} ({W * H / 1e6:.1f} MP), ours {a.threads} threads, median of {a.rounds}: "
          f"GEGL noise-reduction {med['gegl']:.1f} CPU s")
    for k, r in ratios.items():
        print(f"  {k}: {med[k]:.1f} CPU s, over GEGL's = {r:.2f}x (target <= 0.5x)")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"width": W, "height": H, "threads": a.threads, "runs": runs, "median_cpu_s": med,
                       "ratio_over_gegl": ratios, "gegl_cmd": gegl.cmd}, f, indent=2)
    return ratio


if __name__ == "__main__":
    main()
