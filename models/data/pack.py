#!/usr/bin/env python3
"""Pack the train+val photos into a compact set for the GPU machine.

A device call carries at most 64 MiB with the working tree, so the photos from
data/photos/{train,val} (written by fetch_photos.py) are stored as high-quality JPEGs,
downscaled by one global factor chosen so that the training set fits the budget:

  data/pack/train/<source>__<name>.jpg   (<= --train-mib, default 40 MiB)
  data/pack/val/<source>__<name>.jpg     (<= --val-mib, default 6 MiB)
  data/pack/eval/<source>__<name>.png    (only if all eval PNGs together are < 10 MiB)
  data/pack/index.json                   (file, split, size, scale, source photo)

Eval photos are never packed with train/val: they are copied as lossless PNG into their own
folder only when small, otherwise left out of the pack.

Run:  python3 models/data/pack.py [--train-mib 40] [--val-mib 6] [--quality 93]
"""
import argparse
import io
import json
import shutil
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parents[2]
PHOTOS = REPO / "data" / "photos"
PACK = REPO / "data" / "pack"
MANIFEST = REPO / "models" / "data" / "photos_manifest.json"
MIB = 1 << 20
EVAL_LIMIT = 10 * MIB


def resized(im, scale, min_short):
    """Area (box) downscale by `scale`, but never below `min_short` px on the short side."""
    w, h = im.size
    s = min(w, h)
    eff = max(scale, min(1.0, min_short / s))
    if eff >= 0.999:
        return im, 1.0
    nw, nh = max(1, round(w * eff)), max(1, round(h * eff))
    return im.resize((nw, nh), Image.BOX), eff


def encode(im, q):
    b = io.BytesIO()
    im.save(b, "JPEG", quality=q, subsampling=0, optimize=True)   # 4:4:4 keeps colour edges
    return b.getvalue()


def fit(images, budget, q, min_short, start=1.0):
    """Largest global scale (<= start) whose encoded total fits `budget` bytes."""
    scale = start
    for _ in range(12):
        out = []
        for name, im in images:
            r, eff = resized(im, scale, min_short)
            out.append((name, encode(r, q), r.size, eff))
        total = sum(len(d) for _, d, _, _ in out)
        print("  scale %.3f -> %.1f MiB" % (scale, total / MIB), flush=True)
        if total <= budget:
            return scale, out, total
        # bytes ~ pixels ~ scale^2; aim 3 % under the budget
        scale *= min(0.97, (budget * 0.97 / total) ** 0.5)
    raise SystemExit("could not fit the budget")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--train-mib", type=float, default=40)
    ap.add_argument("--val-mib", type=float, default=6)
    ap.add_argument("--quality", type=int, default=93)
    ap.add_argument("--min-short", type=int, default=512,
                    help="never downscale below this short side (px)")
    args = ap.parse_args()
    assert 92 <= args.quality <= 95

    photos = json.loads(MANIFEST.read_text())["photos"]
    index = {"quality": args.quality, "subsampling": "4:4:4", "resample": "box (area)",
             "files": []}
    scale = 1.0
    for split, budget in (("train", args.train_mib), ("val", args.val_mib)):
        ents = [e for e in photos if e["split"] == split]
        print("%s: %d photos" % (split, len(ents)), flush=True)
        images = []
        for e in ents:
            im = Image.open(PHOTOS / split / e["file"])
            im.load()
            images.append((e["file"], im.convert("RGB")))
        # val uses the train scale (same statistics) unless its own budget needs less
        scale, out, total = fit(images, budget * MIB, args.quality, args.min_short, start=scale)
        d = PACK / split
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
        for name, data, size, eff in out:
            jn = name[:-4] + ".jpg"
            (d / jn).write_bytes(data)
            index["files"].append({"file": "%s/%s" % (split, jn), "split": split,
                                   "size": list(size), "scale": round(eff, 4),
                                   "bytes": len(data), "photo": "data/photos/%s/%s" % (split, name)})
        mp = sum(s[0] * s[1] for _, _, s, _ in out) / 1e6
        print("  %s: %d files, %.1f MP, %.2f MiB (global scale %.3f)" % (
            d.relative_to(REPO), len(out), mp, total / MIB, scale), flush=True)
        index["%s_scale" % split] = round(scale, 4)

    ev = sorted((PHOTOS / "eval").glob("*.png"))
    ev_total = sum(f.stat().st_size for f in ev)
    d = PACK / "eval"
    if d.exists():
        shutil.rmtree(d)
    if ev_total < EVAL_LIMIT:
        d.mkdir(parents=True)
        for f in ev:
            shutil.copy2(f, d / f.name)
            index["files"].append({"file": "eval/" + f.name, "split": "eval",
                                   "bytes": f.stat().st_size, "photo": "data/photos/eval/" + f.name})
        print("  data/pack/eval: %d PNGs, %.2f MiB" % (len(ev), ev_total / MIB))
    else:
        print("  eval left out of the pack: %d PNGs = %.2f MiB >= 10 MiB" % (len(ev), ev_total / MIB))
    index["eval_packed"] = ev_total < EVAL_LIMIT
    (PACK / "index.json").write_text(json.dumps(index, indent=1) + "\n")
    tot = sum(f.stat().st_size for f in PACK.rglob("*") if f.is_file())
    print("data/pack total: %.2f MiB" % (tot / MIB))


if __name__ == "__main__":
    main()
