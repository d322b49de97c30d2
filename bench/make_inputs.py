"""Make the benchmark's committed inputs (run once; needs torch and the held-out eval photos):
bench/inputs/clean/<photo>.png (centre crops) and bench/inputs/<type>/<subtype>__<photo>.png
(the same crop degraded by the model's own synthesis, models/autorestore_model/synth.py, with a
fixed seed), listed in bench/inputs/inputs.json.

  python3 bench/make_inputs.py        # from the repository root, with torch installed

Only photos of the `eval` split (models/data/README.md) are used; never training photos. The
bench itself (bench/bench.py) needs neither torch nor the photos: it reads these files.
Type t uses photos PHOTOS[(t + j) % len(PHOTOS)], j = 0, 1, 2, with sub-type j, so every
sub-type appears once per type and every photo appears under several types.
"""
import argparse
import json
import os
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from models.autorestore_model import DEGRADATIONS, SUBTYPES  # noqa: E402
from models.autorestore_model.evaluate import degrade  # noqa: E402  (synth.degrade_batch, forced type)

# Colour eval photos with a short side >= CROP (sporco, libjxl-testdata, mahotas, plenoptic).
PHOTOS = [
    "sporco__kodim23.png",
    "libjxl__flower.png",
    "mahotas__DepartmentStore.png",
    "sporco__monarch.png",
    "plenoptic__macaca_nigra_self-portrait.png",
    "libjxl__hdr_room.png",
]
CROP = 320
PER_TYPE = 3


def to8(z):
    return Image.fromarray((np.clip(z, 0, 1) * 255 + 0.5).astype(np.uint8))


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--photos", default="data/photos/eval")
    ap.add_argument("--out", default="bench/inputs")
    a = ap.parse_args(argv)
    manifest = json.load(open("models/data/photos_manifest.json"))
    split = {p["file"]: p["split"] for p in manifest["photos"]}
    clean = {}
    for name in PHOTOS:
        assert split.get(name) == "eval", f"{name} is not an eval photo"
        im = np.asarray(Image.open(os.path.join(a.photos, name)).convert("RGB"), dtype=np.float32) / 255
        h, w, _ = im.shape
        y0, x0 = (h - CROP) // 2, (w - CROP) // 2
        # quantise to 8 bits first: the stored clean crop is the reference
        clean[name] = np.round(im[y0:y0 + CROP, x0:x0 + CROP] * 255) / 255
    os.makedirs(os.path.join(a.out, "clean"), exist_ok=True)
    items = []
    used = set()
    for t, dname in enumerate(DEGRADATIONS):
        os.makedirs(os.path.join(a.out, dname), exist_ok=True)
        for j in range(PER_TYPE):
            name = PHOTOS[(t + j) % len(PHOTOS)]
            s = j % len(SUBTYPES[dname])
            seed = 6000 + 100 * t + 10 * j + s
            y = degrade(clean[name].astype(np.float32), t, s, seed)
            stem = name[:-4]
            rel = f"{dname}/{SUBTYPES[dname][s]}__{stem}.png"
            to8(y).save(os.path.join(a.out, rel), optimize=True)
            used.add(name)
            items.append({"type": dname, "subtype": SUBTYPES[dname][s], "photo": name, "seed": seed,
                          "degraded": rel, "clean": f"clean/{stem}.png"})
    for name in sorted(used):
        to8(clean[name]).save(os.path.join(a.out, "clean", name), optimize=True)
    with open(os.path.join(a.out, "inputs.json"), "w") as f:
        json.dump({"crop": CROP, "made_by": "bench/make_inputs.py (models/autorestore_model/synth.py)",
                   "items": items}, f, indent=1)
        f.write("\n")
    print(f"{len(items)} degraded + {len(used)} clean crops of {CROP} px in {a.out}")


if __name__ == "__main__":
    main()
