#!/usr/bin/env python3
"""Draws the node icon hosts show in their node browser (Natron, Nuke: a PNG named after the
plug-in id in Contents/Resources/). Run by hand when the design changes; the PNG is committed,
so building the bundle needs no Python.

    python3 plugin-ofx/resources/make_icon.py   # needs Pillow (pip install pillow)

The picture: a photo-like square (sky gradient, sun, hills) whose left half is noisy and hazy
and whose right half is clean, split by a diagonal: what one click of Auto Restore does.
"""
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

SIZE = 128  # Natron and Nuke scale the icon down to the node; 128 px stays sharp on HiDPI
OUT = Path(__file__).with_name("org.autorestore.AutoRestore.png")


def clean_picture(size):
    img = Image.new("RGB", (size, size))
    d = ImageDraw.Draw(img)
    for y in range(size):  # sky: deep blue at the top to pale at the horizon
        t = y / size
        d.line([(0, y), (size, y)], fill=(int(40 + 150 * t), int(90 + 120 * t), int(200 + 40 * t)))
    r = size // 7
    d.ellipse([size * 0.62 - r, size * 0.3 - r, size * 0.62 + r, size * 0.3 + r], fill=(255, 214, 90))
    d.polygon([(0, size * 0.72), (size * 0.35, size * 0.5), (size * 0.7, size * 0.75), (0, size)],
              fill=(52, 120, 70))
    d.polygon([(size * 0.3, size), (size * 0.75, size * 0.58), (size, size * 0.7), (size, size)],
              fill=(34, 92, 54))
    return img


def degraded(img, seed=17):
    rng = random.Random(seed)
    veil = Image.new("RGB", img.size, (200, 200, 205))
    out = Image.blend(img.filter(ImageFilter.GaussianBlur(1.2)), veil, 0.35)
    px = out.load()
    for y in range(img.size[1]):
        for x in range(img.size[0]):
            n = rng.gauss(0, 28)
            px[x, y] = tuple(max(0, min(255, int(c + n))) for c in px[x, y])
    return out


def main():
    clean = clean_picture(SIZE)
    bad = degraded(clean)
    mask = Image.new("L", (SIZE, SIZE), 0)
    ImageDraw.Draw(mask).polygon([(0, 0), (SIZE * 0.62, 0), (SIZE * 0.38, SIZE), (0, SIZE)], fill=255)
    icon = Image.composite(bad, clean, mask)
    d = ImageDraw.Draw(icon)
    d.line([(SIZE * 0.62, 0), (SIZE * 0.38, SIZE)], fill=(255, 255, 255), width=3)
    # rounded corners, as node-browser icons usually are
    alpha = Image.new("L", (SIZE, SIZE), 0)
    ImageDraw.Draw(alpha).rounded_rectangle([0, 0, SIZE - 1, SIZE - 1], radius=SIZE // 8, fill=255)
    icon = icon.convert("RGBA")
    icon.putalpha(alpha)
    icon.save(OUT, optimize=True)
    print(f"{OUT}: {SIZE}x{SIZE}, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
