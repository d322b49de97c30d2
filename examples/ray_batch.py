#!/usr/bin/env python3
"""Restore a folder of photos (or any Ray Data source of files) on a Ray cluster.

    python examples/ray_batch.py IN_DIR OUT_DIR                    # this machine (ray.init())
    python examples/ray_batch.py IN_DIR OUT_DIR --address auto     # the cluster this node is in
    python examples/ray_batch.py s3://bucket/scans/ /mnt/shared/out --address ray://head:10001

Each Ray actor holds one `autorestore.Engine` (the model loads once per actor, not per photo)
and restores the photos of its batches; `--concurrency` actors of `--num-cpus` CPUs each run at
once. Results are written under OUT_DIR with the same relative names (through a temporary file
renamed into place, so a failed photo never leaves half a file) and the run ends with the
throughput. OUT_DIR must be reachable by every node (a shared or network file system). PNG keeps
its bit depth and channels (8/16-bit, gray, gray+alpha, RGB, RGBA: decoded by pypng); JPEG is
read and written by Pillow (quality 95, as the CLI writes it). A photo that fails is reported
and counted, the others go on; the exit status is 1 when any failed. Needs `autorestore` (the
wheel of `make wheel`), `ray[data]`, `pypng` and `Pillow`.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PNG = (".png",)
JPEG = (".jpg", ".jpeg")


# --- files: decode and encode keeping what the file holds ------------------------------------
def decode(data: bytes, name: str) -> np.ndarray:
    """HxWxC uint8/uint16 pixels of a PNG or JPEG file's bytes."""
    ext = os.path.splitext(name)[1].lower()
    if ext in PNG:
        import png  # pypng: every PNG bit depth and channel layout, exactly

        width, height, rows, info = png.Reader(bytes=data).asDirect()
        depth = info["bitdepth"]
        planes = info["planes"]
        pixels = np.vstack([np.asarray(r, np.uint16 if depth > 8 else np.uint8) for r in rows])
        if depth < 8:  # 1/2/4-bit gray: scale to 8 bits as the CLI's decoder does
            pixels = (pixels.astype(np.uint16) * 255 // (2**depth - 1)).astype(np.uint8)
        return pixels.reshape(height, width, planes)
    if ext in JPEG:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as im:
            im = im if im.mode in ("L", "RGB") else im.convert("RGB")
            return np.asarray(im)
    raise ValueError(f"{name}: unsupported file type (PNG or JPEG)")


def encode(pixels: np.ndarray, name: str) -> bytes:
    ext = os.path.splitext(name)[1].lower()
    buf = io.BytesIO()
    if ext in PNG:
        import png

        h, w, c = pixels.shape
        png.Writer(
            w, h, greyscale=c <= 2, alpha=c in (2, 4), bitdepth=pixels.dtype.itemsize * 8
        ).write(buf, pixels.reshape(h, w * c))
    else:
        from PIL import Image

        Image.fromarray(pixels[:, :, 0] if pixels.shape[2] == 1 else pixels).save(
            buf, "JPEG", quality=95
        )
    return buf.getvalue()


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def output_name(path: str, root: str) -> str:
    """The photo's name relative to the input folder (its base name for other sources)."""
    rel = os.path.relpath(path, root) if root else os.path.basename(path)
    return os.path.basename(path) if rel.startswith("..") else rel


# --- the actor: one engine, many batches ------------------------------------------------------
class Restorer:
    """A Ray Data callable class: the engine is made once per actor in __init__."""

    def __init__(self, out_dir: str, root: str, threads: int, device: str, settings: dict):
        import autorestore

        self.engine = autorestore.Engine(device=device, threads=threads)
        self.out_dir, self.root, self.settings = Path(out_dir), root, settings

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, list]:
        rows: dict[str, list] = {"path": [], "output": [], "pixels": [], "seconds": [], "error": []}
        for data, path in zip(batch["bytes"], batch["path"]):
            t0 = time.perf_counter()
            out, pixels, error = "", 0, ""
            try:
                name = output_name(str(path), self.root)
                image = decode(bytes(data), name)
                restored = self.engine.restore(image, **self.settings)
                target = self.out_dir / name
                write_atomically(target, encode(restored, name))
                out, pixels = str(target), image.shape[0] * image.shape[1]
            except Exception as e:  # one bad photo must not stop the archive
                error = f"{type(e).__name__}: {e}"
            rows["path"].append(str(path))
            rows["output"].append(out)
            rows["pixels"].append(pixels)
            rows["seconds"].append(time.perf_counter() - t0)
            rows["error"].append(error)
        return rows


# --- the driver ---------------------------------------------------------------------------------
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("input", help="folder of photos, or any path/URI Ray Data reads files from")
    p.add_argument("output", help="output folder (shared by every node)")
    p.add_argument("--address", default=None, help="Ray cluster address (default: start one here)")
    p.add_argument("--local-cpus", type=int, default=None,
                   help="CPUs of the Ray instance started here (default: all); ignored with --address")
    p.add_argument("--concurrency", type=int, default=2, help="actors, one engine each (default 2)")
    p.add_argument("--num-cpus", type=float, default=1, help="CPUs reserved per actor (default 1)")
    p.add_argument("--threads", type=int, default=None,
                   help="ONNX Runtime threads per engine (default: --num-cpus)")
    p.add_argument("--batch-size", type=int, default=2,
                   help="photos per batch; an actor holds a batch's decoded photos (default 2)")
    p.add_argument("--device", default="cpu", help="auto, cpu or cuda (default cpu)")
    p.add_argument("--num-gpus", type=float, default=0, help="GPUs per actor (with --device cuda)")
    p.add_argument("--mode", default="auto")
    p.add_argument("--strength", type=float, default=1.0)
    p.add_argument("--steps", type=int, default=None)
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    import ray

    local_root = os.path.abspath(a.input) if os.path.isdir(a.input) else ""
    out_dir = os.path.abspath(a.output)
    if local_root and os.path.realpath(local_root) == os.path.realpath(out_dir):
        print("ray_batch: the output folder is the input folder; pick another", file=sys.stderr)
        return 2
    if a.address:
        ray.init(address=a.address)
    else:
        ray.init(num_cpus=a.local_cpus)
    t0 = time.perf_counter()
    files = ray.data.read_binary_files(
        a.input,
        include_paths=True,
        file_extensions=[e[1:] for e in PNG + JPEG],
        # Reading is I/O: reserve no CPU for it, or actors holding every CPU starve the read
        # (measured: concurrency 2 x 1 CPU on a 2-CPU node hung with the read never scheduled).
        ray_remote_args={"num_cpus": 0},
    )
    settings = {"mode": a.mode, "strength": a.strength, "steps": a.steps, "seed": a.seed}
    threads = a.threads if a.threads is not None else max(1, int(a.num_cpus))
    results = files.map_batches(
        Restorer,
        fn_constructor_kwargs={
            "out_dir": out_dir, "root": local_root, "threads": threads,
            "device": a.device, "settings": settings,
        },
        batch_size=a.batch_size,
        batch_format="numpy",
        concurrency=a.concurrency,
        num_cpus=a.num_cpus,
        num_gpus=a.num_gpus,
    ).take_all()
    wall = time.perf_counter() - t0
    failed = [r for r in results if r["error"]]
    done = len(results) - len(failed)
    mp = sum(int(r["pixels"]) for r in results) / 1e6
    for r in failed:
        print(f"failed: {r['path']}: {r['error']}", file=sys.stderr)
    print(
        f"restored {done} of {len(results)} photos ({mp:.2f} MP) in {wall:.2f} s: "
        f"{done / wall:.3f} photos/s, {mp / wall:.3f} MP/s, "
        f"{a.concurrency} actors x {a.num_cpus:g} CPUs"
    )
    ray.shutdown()
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
