#!/usr/bin/env python3
"""Gather natural photos from registry packages (Debian .debs and PyPI wheels).

Only `apt-get download` + `dpkg-deb` and `pip download --no-deps` are used: no dataset hub.
Every photo is listed by name below (an allow-list that was checked by eye: icons, logos,
drawings, renders, abstract art and gradients are left out), and gets a licence read from the
package's debian/copyright (DEP-5 "Files:" paragraphs) or the wheel's metadata.

Splits:
  eval  - reserved for evaluation, NEVER for training (docs/DESIGN.md, "Data"): sporco's classic
          test images, the photos in libjxl-testdata, mahotas and plenoptic.
  val   - a fixed held-out part (~10 %) of the rest, chosen by a hash of the file name.
  train - everything else.

Output:  data/photos/{train,val,eval}/<source>__<name>.png  (data/ is git-ignored)
         models/data/photos_manifest.json                     (committed)
Cache:   data/cache/{debs,wheels,x,trixie}

Idempotent: downloads, extractions and stored PNGs that already exist are reused.
Robust: a package that fails to download or unpack is reported and skipped.

Run:  python3 models/data/fetch_photos.py [--force]
"""
import argparse
import email.parser
import fnmatch
import glob
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image

Image.MAX_IMAGE_PIXELS = None

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
CACHE = DATA / "cache"
PHOTOS = DATA / "photos"
MANIFEST = REPO / "models" / "data" / "photos_manifest.json"

VAL_PERCENT = 10          # share of the non-eval photos held out for validation
DOWNSCALE_FROM = 1900     # short side at or above which a source is downscaled 2x or 3x
TARGET_SHORT = 1200       # the factor whose result is closest to this short side wins

# Debian 13 ("trixie") is reached without touching the system's sources: a private
# sources.list + lists dir, on the machine's own mirror (see /etc/apt/sources.list.d).
TRIXIE_MIRROR = "http://deb.debian.org/debian"

# ---------------------------------------------------------------------------------------------
# The allow-list.  (source, package, kind, split, [paths inside the package], notes)
#   kind: "deb" (system suites), "deb-trixie", or "wheel:<pip requirement>"
#   split: "auto" (train/val by hash) or "eval"
# ---------------------------------------------------------------------------------------------
E_BG = "usr/share/enlightenment/data/backgrounds/%s.edj"
LOM16 = "usr/share/backgrounds/%s.jpg"
MATE = "usr/share/backgrounds/mate/nature/%s.jpg"
LXQT = "usr/share/lxqt/wallpapers/%s"
PAL = "usr/share/palapeli/collection/%s.jpg"
CVD = "usr/share/doc/opencv-doc/examples/data/%s"
BUD = "usr/share/backgrounds/budgie/%s.jpg"
JXL = "usr/share/libjxl-testdata/%s"


def plasma(name):
    # the largest image of the wallpaper package (see PLASMA_SIZES)
    return "usr/share/wallpapers/%s/contents/images/%s" % (name, PLASMA_SIZES[name])


PLASMA_SIZES = {
    "BytheWater": "2560x1600.jpg", "ColdRipple": "2560x1600.jpg",
    "ColorfulCups": "2560x1600.jpg", "DarkestHour": "2560x1600.jpg",
    "EveningGlow": "2560x1600.jpg", "FallenLeaf": "2560x1600.jpg", "Grey": "2560x1600.jpg",
    "Kite": "2560x1600.jpg", "OneStandsOut": "2560x1600.jpg", "Path": "2560x1600.jpg",
    "summer_1am": "2560x1600.jpg",
}

SOURCES = [
    # ---- evaluation only ----------------------------------------------------------------
    dict(source="sporco", package="sporco", kind="wheel:sporco", split="eval",
         paths=["sporco/data/%s.png" % n for n in ["kodim23", "monarch", "sail", "tulips", "barbara"]]),
    dict(source="libjxl", package="libjxl-testdata", kind="deb", split="eval",
         paths=[JXL % p for p in [
             "jxl/flower/flower.png", "jxl/hdr_room.png",
             "external/wesaturate/500px/cvo9xd_keong_macan_srgb8.png",
             "external/wesaturate/500px/tmshre_riaphotographs_srgb8.png",
             "external/wesaturate/500px/u76c0g_bliznaca_srgb8.png"]],
         note="flower_cropped/flower_small/*.jpg are re-encodings of flower.png; raw.pixls are 64x64"),
    # lena.jpg is left out on purpose (withdrawn test image); nuclear.png is microscopy.
    dict(source="mahotas", package="mahotas", kind="wheel:mahotas", split="eval",
         paths=["mahotas/demos/data/DepartmentStore.jpg", "mahotas/demos/data/luispedro.jpg"]),
    dict(source="plenoptic", package="plenoptic", kind="wheel:plenoptic", split="eval",
         paths=["plenoptic/data/macaca_nigra_self-portrait.jpg", "plenoptic/data/parrot.png",
                "plenoptic/data/curie.pgm", "plenoptic/data/einstein.pgm",
                "plenoptic/data/reptile_skin.pgm"],
         note="grayscale sources are stored as RGB with gray=true in the manifest"),
    # ---- train / val ----------------------------------------------------------------------
    dict(source="enlightenment", package="enlightenment-data", kind="deb", split="auto",
         paths=[E_BG % n for n in [
             "Bamboo", "Foggy-Trees", "God-Rays", "Green-Maple", "Lichen-Branches", "Mountain",
             "Peaks", "Red-Maple", "Sea-of-Lanterns", "Snow-Trees", "Spruce-Needles",
             "Sunset-Clouds", "White-Flower", "Yellow-Flower"]],
         note="Dunes, Flat-*, Paper-Flower, Sunset-Hills, Squiggle* are not photos"),
    dict(source="lomiri", package="lomiri-wallpapers-16.04", kind="deb", split="auto",
         paths=[LOM16 % n for n in [
             "Bridge_by_Sander_Klootwijk", "Dragonfly_by_Bolly", "Picture_0B_by_freespace",
             "Picture_1A_by_freespace", "Wine_by_Jakkub_Mede", "aitzgorri_by_Aitzol_Berasategi",
             "free_by_Peter_Nerlich", "friends_by_Aitzol_Berasategi", "greentock_by_Peter_Nerlich",
             "life_by_Aitzol_Berasategi", "picosdeeuropa_by_Aitzol_Berasategi",
             "seeding_by_Clements_Engelhardt", "sunset_by_Aitzol_Berasategi"]],
         note="analogpattern and umang are abstract"),
    dict(source="lomiri", package="lomiri-wallpapers-20.04", kind="deb", split="auto",
         paths=[LOM16 % "Kleiber_by_Lukas_Baubkus"],
         note="Fossa, Infinite-Sea, Painting-Colors are digital art"),
    dict(source="mate", package="mate-backgrounds", kind="deb", split="auto",
         paths=[MATE % n for n in [
             "Aqua", "Blinds", "Dune", "FreshFlower", "Garden", "GreenMeadow", "LadyBird",
             "RainDrops", "Storm", "TwoWings", "Wood", "YellowFlower"]]),
    dict(source="plasma", package="plasma-workspace-wallpapers", kind="deb", split="auto",
         paths=[plasma(n) for n in PLASMA_SIZES],
         note="the other wallpapers are vector/abstract art"),
    dict(source="lxqt", package="lxqt-themes", kind="deb", split="auto",
         paths=[LXQT % n for n in [
             "Butterfly-Kenneth-Wimer.jpg", "Valendas.png", "after-the-rain.jpg",
             "appleflower.png", "beam.png", "butterfly.png", "cloud.png", "drop.png",
             "flowers.png", "fog.jpg", "this-is-not-windows.jpg"]]),
    dict(source="palapeli", package="palapeli-data", kind="deb", split="auto",
         paths=[PAL % n for n in [
             "castle-maintenon", "cincinnati-bridge", "citrus-fruits", "european-honey-bee",
             "panther-chameleon-female"]]),
    dict(source="digikam", package="digikam-data", kind="deb", split="auto",
         paths=["usr/share/digikam/about/images/body-background.jpg"]),
    dict(source="opencv", package="opencv-doc", kind="deb", split="auto",
         paths=[CVD % n for n in [
             "aero1.jpg", "aloeL.jpg", "baboon.jpg", "board.jpg", "building.jpg",
             "butterfly.jpg", "fruits.jpg", "home.jpg", "leuvenA.jpg", "squirrel_cls.jpg"]],
         note="sample photos, provenance unclear (no per-file copyright); small, JPEG-compressed"),
    dict(source="budgie", package="budgie-backgrounds", kind="deb-trixie", split="auto",
         paths=[BUD % n for n in [
             "abstract-spiral", "beacon-street-sunset", "blue-periwinkle", "canyon-wren",
             "casa-mila", "extreme-desert-hike", "high-trestle-trail", "lake-sherburne",
             "oakland-zoo-otters", "ocean-waves", "perched-osprey", "piazza-gae-aulenti",
             "roman-colosseum", "singaporean-cityscape", "tea-gardens"]],
         note="saturnian-profile (render), valley-midnight, waves-midnight (vector) left out"),
    dict(source="skimage", package="scikit-image", kind="wheel:scikit-image", split="auto",
         paths=["skimage/data/%s" % n for n in [
             "astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg", "motorcycle_left.png"]],
         note="per skimage.data docs: astronaut & rocket public domain (NASA/SpaceX), chelsea & "
              "coffee CC0, motorcycle from the Middlebury stereo set"),
    dict(source="matplotlib", package="matplotlib", kind="wheel:matplotlib", split="auto",
         paths=["matplotlib/mpl-data/sample_data/grace_hopper.jpg"],
         note="US Navy photo, public domain"),
    # scipy.misc.face: raw 768x1024x3 uint8, bz2-compressed; removed from later scipy wheels
    dict(source="scipy", package="scipy", kind="wheel:scipy==1.10.1", split="auto",
         paths=["scipy/misc/face.dat"]),
]

MIN_SHORT = {"eval": 64, "auto": 256}


def log(*a):
    print(*a, flush=True)


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, **kw)


# ---------------------------------------------------------------------------------------------
# Fetching
# ---------------------------------------------------------------------------------------------
def trixie_apt_opts():
    d = CACHE / "trixie"
    (d / "lists" / "partial").mkdir(parents=True, exist_ok=True)
    (d / "cache" / "archives" / "partial").mkdir(parents=True, exist_ok=True)
    src = d / "sources.list"
    src.write_text("deb %s trixie main\n" % TRIXIE_MIRROR)
    opts = ["-o", "Dir::Etc::SourceList=%s" % src, "-o", "Dir::Etc::SourceParts=/nonexistent",
            "-o", "Dir::State::Lists=%s" % (d / "lists"), "-o", "Dir::Cache=%s" % (d / "cache")]
    if not glob.glob(str(d / "lists" / "*_Packages*")):
        log("  apt-get update (trixie, private lists) ...")
        sh(["apt-get"] + opts + ["update"])
    return opts


def fetch_deb(pkg, kind):
    dd = CACHE / "debs"
    dd.mkdir(parents=True, exist_ok=True)
    have = sorted(glob.glob(str(dd / ("%s_*.deb" % pkg))))
    if have:
        return Path(have[-1])
    opts = trixie_apt_opts() if kind == "deb-trixie" else []
    log("  apt-get download %s%s" % (pkg, " (trixie)" if opts else ""))
    sh(["apt-get"] + opts + ["download", pkg], cwd=dd)
    have = sorted(glob.glob(str(dd / ("%s_*.deb" % pkg))))
    if not have:
        raise RuntimeError("no .deb after download")
    return Path(have[-1])


def fetch_wheel(req):
    wd = CACHE / "wheels"
    wd.mkdir(parents=True, exist_ok=True)
    name = re.split(r"[=<>!~ ]", req)[0]
    ver = req.split("==")[1] if "==" in req else None
    pat = "%s-%s-*.whl" % (name.replace("-", "_"), ver or "*")
    have = sorted(glob.glob(str(wd / pat)))
    if have:
        return Path(have[-1])
    log("  pip download --no-deps %s" % req)
    sh([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
        "-d", str(wd), req])
    have = sorted(glob.glob(str(wd / pat)))
    if not have:
        raise RuntimeError("no wheel after download")
    return Path(have[-1])


def deb_field(deb, field):
    return sh(["dpkg-deb", "-f", str(deb), field]).stdout.strip()


def extract_deb(deb, pkg, paths):
    """Extract only the needed members (+ copyright) into data/cache/x/<pkg>_<version>/."""
    ver = deb_field(deb, "Version")
    root = CACHE / "x" / ("%s_%s" % (pkg, ver.replace(":", "%3a")))
    want = ["usr/share/doc/%s/copyright" % pkg] + list(paths)
    missing = [p for p in want if not (root / p).exists()]
    if missing:
        root.mkdir(parents=True, exist_ok=True)
        tar = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
        r = subprocess.run(["tar", "-x", "-C", str(root), "--wildcards"] +
                           ["./" + p for p in missing], stdin=tar.stdout,
                           stderr=subprocess.PIPE, text=True)
        tar.wait()
        if r.returncode != 0:
            log("  tar: " + r.stderr.strip().replace("\n", "\n  tar: "))
    return root, ver


# ---------------------------------------------------------------------------------------------
# Licences
# ---------------------------------------------------------------------------------------------
def dep5_licence(copyright_text, path):
    """Licence of `path` (path inside the binary package) from a DEP-5 copyright file.
    Files patterns name source-tree paths; they are matched against the tail of `path`.
    The last matching paragraph wins (DEP-5 rule)."""
    if "Files:" not in copyright_text:
        m = re.search(r"^License:\s*(\S.*)$", copyright_text, re.M)
        if m:
            return m.group(1).strip() + " (non-DEP-5 copyright)", ""
        if re.search(r"GNU General Public License.{0,120}version 2 of the License, or",
                     copyright_text, re.S):
            return "GPL-2+ (package-wide; non-DEP-5 copyright)", ""
        return "see debian/copyright (not machine-readable)", ""
    best = None
    for para in re.split(r"\n\s*\n", copyright_text):
        m = re.search(r"^Files:(.*?)(?=^\S)", para + "\nX", re.M | re.S)
        lic = re.search(r"^License:\s*(\S.*)$", para, re.M)
        if not m or not lic:
            continue
        cr = re.search(r"^Copyright:\s*(.*?)(?=^\S)", para + "\nX", re.M | re.S)
        pats = m.group(1).split()
        for p in pats:
            if p.startswith("debian/"):
                continue
            base = os.path.basename(p)
            if (p == "*" or fnmatch.fnmatch(path, "*/" + p) or fnmatch.fnmatch(path, p)
                    or (base != "*" and fnmatch.fnmatch(os.path.basename(path), base))):
                best = (lic.group(1).strip(), " ".join(cr.group(1).split()) if cr else "")
                break
    return best or ("unknown", "")


def wheel_licence(meta):
    if meta.get("License-Expression"):
        return meta["License-Expression"]
    cls = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or []
           if c.startswith("License ::")]
    if cls:
        return " / ".join(cls)
    lic = (meta.get("License") or "").strip().splitlines()
    return lic[0] if lic else "unknown"


# ---------------------------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------------------------
def decode_edj(data, path_hint):
    """Enlightenment backgrounds are edje files whose images are stored LOSSY (JPEG) in an eet
    archive: the largest embedded JPEG stream is the full-size photo (bit-exact to what
    `edje_decc` writes out, and 40x faster). Fall back to edje_decc if none is found."""
    best = None
    for m in re.finditer(b"\xff\xd8\xff", data):
        try:
            sz = Image.open(io.BytesIO(data[m.start():])).size
        except Exception:
            continue
        if best is None or sz[0] * sz[1] > best[1]:
            best = (m.start(), sz[0] * sz[1])
    if best:
        im = Image.open(io.BytesIO(data[best[0]:]))
        im.load()
        return im
    if not shutil.which("edje_decc"):
        raise RuntimeError("no JPEG inside and edje_decc missing (apt-get install libedje-bin)")
    tmp = CACHE / "edje_decc"
    tmp.mkdir(parents=True, exist_ok=True)
    sh(["edje_decc", str(path_hint), "-no-build-sh"], cwd=tmp)
    cand = sorted(glob.glob(str(tmp / Path(path_hint).stem / "*.png")),
                  key=lambda f: -Image.open(f).size[0])
    im = Image.open(cand[0])
    im.load()
    return im


def load_image(path, data):
    if path.endswith(".edj"):
        return decode_edj(data, path)
    if path.endswith("face.dat"):
        import bz2
        a = np.frombuffer(bz2.decompress(data), dtype=np.uint8).reshape(768, 1024, 3)
        return Image.fromarray(a)
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def to_rgb(im):
    """-> (RGB image, gray flag, note)."""
    note = ""
    if im.mode in ("I;16", "I;16B", "I", "F"):
        a = np.asarray(im).astype(np.float64)
        im = Image.fromarray(np.clip(a / (65535.0 if a.max() > 255 else 255.0) * 255 + 0.5,
                                     0, 255).astype(np.uint8))
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        a = np.asarray(im.convert("RGBA"))[..., 3]
        if a.min() < 255:
            note = "alpha dropped (min alpha %d)" % a.min()
    gray = im.mode in ("L", "LA", "1", "I;16", "I")
    rgb = im.convert("RGB")
    if not gray:
        a = np.asarray(rgb.resize((64, 64)), dtype=np.int16)
        gray = bool(np.abs(a[..., 0] - a[..., 1]).max() <= 2 and np.abs(a[..., 1] - a[..., 2]).max() <= 2)
    return rgb, gray, note


def downscale(im):
    """Area downscale 2x or 3x when the short side is >= DOWNSCALE_FROM (4K-ish sources)."""
    w, h = im.size
    s = min(w, h)
    if s < DOWNSCALE_FROM:
        return im, 1
    k = min((2, 3), key=lambda k: (abs(s / k - TARGET_SHORT), k))
    im = im.crop((0, 0, w - w % k, h - h % k)).reduce(k)   # box filter = area average
    return im, k


def photo_check(im, gray=False):
    """A cheap sanity test against flat/synthetic images: photos have texture and many
    colours. Returns (ok, stats). The allow-list is the real filter; this catches mistakes."""
    small = im.copy()
    small.thumbnail((512, 512), Image.BOX)
    a = np.asarray(small, dtype=np.float32)
    g = a.mean(2)
    grad = np.abs(np.diff(g, axis=0))[:, :-1] + np.abs(np.diff(g, axis=1))[:-1, :]
    flat = float((grad < 0.5).mean())
    colours = len(np.unique((a[..., 0].astype(np.int32) // 4) * 4096 + (a[..., 1].astype(np.int32) // 4) * 64
                            + a[..., 2].astype(np.int32) // 4))
    return (flat < 0.6 and (gray or colours > 500)), {"flat_fraction": round(flat, 3), "colours_6bit": colours}


def ahash(im):
    g = np.asarray(im.convert("L").resize((16, 16), Image.BOX), dtype=np.float32)
    return (g > g.mean()).flatten()


def split_of(fname, rule):
    if rule == "eval":
        return "eval"
    h = int(hashlib.sha256(fname.encode()).hexdigest()[:8], 16)
    return "val" if h % 100 < VAL_PERCENT else "train"


def out_name(source, path):
    if source == "plasma":
        stem = path.split("/")[3]
    else:
        stem = Path(path).stem
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", stem)
    return "%s__%s.png" % (source, stem)


# ---------------------------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--force", action="store_true", help="re-encode every stored PNG")
    args = ap.parse_args()

    old = {}
    if MANIFEST.exists():
        for e in json.loads(MANIFEST.read_text()).get("photos", []):
            old[e["file"]] = e
    for s in ("train", "val", "eval"):
        (PHOTOS / s).mkdir(parents=True, exist_ok=True)

    entries, failures, hashes = [], [], []
    for src in SOURCES:
        pkg, kind = src["package"], src["kind"]
        log("[%s] %s (%s)" % (src["source"], pkg, kind))
        try:
            if kind.startswith("wheel:"):
                whl = fetch_wheel(kind[6:])
                zf = zipfile.ZipFile(whl)
                metaname = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")][0]
                meta = email.parser.Parser().parsestr(zf.read(metaname).decode("utf-8", "replace"))
                version = meta["Version"]
                licence, copyright_ = wheel_licence(meta), ""
                origin = whl.name
                # (both used within this iteration only, so late binding is harmless)
                read = lambda p: zf.read(p)  # noqa: B023
                lic_of = lambda p: (licence, copyright_)  # noqa: B023
            else:
                deb = fetch_deb(pkg, kind)
                root, version = extract_deb(deb, pkg, src["paths"])
                cfile = root / ("usr/share/doc/%s/copyright" % pkg)
                ctext = cfile.read_text(errors="replace") if cfile.exists() else ""
                origin = deb.name + (" (Debian 13 trixie)" if kind == "deb-trixie" else "")
                read = lambda p, root=root: (root / p).read_bytes()
                lic_of = lambda p, ctext=ctext: dep5_licence(ctext, p)
        except Exception as e:  # noqa: BLE001 - a package that fails is reported, not fatal
            msg = (str(getattr(e, "stderr", "") or "") or str(e)).strip().splitlines() or [repr(e)]
            log("  FAILED: %s" % msg[-1])
            failures.append("%s: %s" % (pkg, msg[-1]))
            continue

        for p in src["paths"]:
            fname = out_name(src["source"], p)
            split = split_of(fname, src["split"])
            dst = PHOTOS / split / fname
            try:
                data = read(p)
            except Exception as e:  # noqa: BLE001
                log("  missing %s: %s" % (p, e))
                failures.append("%s:%s missing" % (pkg, p))
                continue
            sha = hashlib.sha256(data).hexdigest()
            prev = old.get(fname)
            if (not args.force and dst.exists() and prev and prev.get("source_sha256") == sha
                    and prev.get("split") == split):
                e = dict(prev)
                stored = Image.open(dst)
                stored.load()
                im = stored
            else:
                im0 = load_image(p, data)
                orig = im0.size
                rgb, gray, note = to_rgb(im0)
                if min(orig) < MIN_SHORT[src["split"]]:
                    log("  skip %s: too small %s" % (p, orig))
                    continue
                im, k = downscale(rgb)
                ok, stats = photo_check(im, gray)
                if not ok:
                    log("  WARNING %s fails the photo check %s (kept: allow-listed)" % (fname, stats))
                lic, cr = lic_of(p)
                e = {
                    "file": fname, "split": split, "source": src["source"], "package": pkg,
                    "version": version, "origin": origin, "path": p, "licence": lic,
                    "copyright": cr, "source_sha256": sha,
                    "original_size": list(orig), "stored_size": list(im.size),
                    "downscale": k, "gray": gray, "photo_check": stats,
                }
                if note:
                    e["note"] = note
                if src.get("note"):
                    e["source_note"] = src["note"]
                for s in ("train", "val", "eval"):       # a changed split moves the file
                    if s != split and (PHOTOS / s / fname).exists():
                        (PHOTOS / s / fname).unlink()
                im.save(dst, optimize=False, compress_level=6)
            # duplicates (same photo in two packages, or a train photo equal to an eval one)
            h = ahash(im)
            dup = [f for f, hh, sp in hashes if (h != hh).sum() <= 12]
            if dup:
                log("  DUPLICATE %s ~ %s: skipped" % (fname, dup[0]))
                dst.unlink()
                continue
            hashes.append((fname, h, split))
            e["stored_bytes"] = dst.stat().st_size
            entries.append(e)
            log("  %-5s %-48s %5dx%-5d -> %5dx%-5d %s" % (
                split, fname, e["original_size"][0], e["original_size"][1],
                e["stored_size"][0], e["stored_size"][1], e["licence"]))

    # drop stored files no longer in the manifest (renamed or removed from the allow-list)
    keep = {(e["split"], e["file"]) for e in entries}
    for s in ("train", "val", "eval"):
        for f in (PHOTOS / s).glob("*.png"):
            if (s, f.name) not in keep:
                log("removing stale %s/%s" % (s, f.name))
                f.unlink()

    entries.sort(key=lambda e: ({"train": 0, "val": 1, "eval": 2}[e["split"]], e["file"]))
    manifest = {
        "description": "Natural photos gathered from registry packages by models/data/fetch_photos.py. "
                       "split=eval is reserved for evaluation and must never be used for training.",
        "val_rule": "sha256(file name) %% 100 < %d -> val (non-eval photos only)" % VAL_PERCENT,
        "downscale_rule": "short side >= %d: area downscale by 2 or 3 (result closest to %d px)"
                          % (DOWNSCALE_FROM, TARGET_SHORT),
        "photos": entries,
        "failures": failures,
    }
    MANIFEST.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")

    # summary
    log("\nSummary (stored images)")
    log("%-14s %6s %6s %6s %9s" % ("source", "train", "val", "eval", "MP"))
    by = {}
    for e in entries:
        d = by.setdefault(e["source"], {"train": 0, "val": 0, "eval": 0, "mp": 0.0})
        d[e["split"]] += 1
        d["mp"] += e["stored_size"][0] * e["stored_size"][1] / 1e6
    tot = {"train": 0, "val": 0, "eval": 0, "mp": 0.0}
    for s, d in by.items():
        log("%-14s %6d %6d %6d %9.1f" % (s, d["train"], d["val"], d["eval"], d["mp"]))
        for k in tot:
            tot[k] += d[k]
    log("%-14s %6d %6d %6d %9.1f" % ("TOTAL", tot["train"], tot["val"], tot["eval"], tot["mp"]))
    for sp in ("train", "val", "eval"):
        mp = sum(e["stored_size"][0] * e["stored_size"][1] for e in entries if e["split"] == sp) / 1e6
        big = sum(1 for e in entries if e["split"] == sp and min(e["stored_size"]) >= 1000)
        log("  %-5s %4d photos, %7.1f MP, %d with short side >= 1000 px" % (
            sp, sum(1 for e in entries if e["split"] == sp), mp, big))
    if failures:
        log("FAILURES:\n  " + "\n  ".join(failures))
    log("manifest: %s" % MANIFEST.relative_to(REPO))


if __name__ == "__main__":
    main()
