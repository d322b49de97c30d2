"""Training crops from the packed photos (data/pack/train/*.jpg), drawn on the training device.

Photos are few (about a hundred), so augmentation carries the load: random scale (1x-2.5x
downscale), crop, flips, 90-degree rotations and a mild colour jitter.
"""
import glob
import os

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image


def load_photos(folder: str, device, max_side: int = 1600):
    paths = sorted(glob.glob(os.path.join(folder, "*.jpg")) + glob.glob(os.path.join(folder, "*.png")))
    if not paths:
        raise FileNotFoundError(f"no photos in {folder}: run models/data/fetch_photos.py and pack.py")
    photos = []
    for p in paths:
        im = Image.open(p).convert("RGB")
        if max(im.size) > max_side:
            s = max_side / max(im.size)
            im = im.resize((max(1, int(im.width * s)), max(1, int(im.height * s))), Image.LANCZOS)
        photos.append(torch.from_numpy(np.asarray(im).copy()).permute(2, 0, 1).contiguous().to(device))
    return photos, paths


class CropSampler:
    def __init__(self, photos, crop: int, seed: int = 0):
        self.photos = photos
        self.crop = crop
        self.g = torch.Generator()
        self.g.manual_seed(seed)
        sizes = torch.tensor([p.shape[1] * p.shape[2] for p in photos], dtype=torch.float64)
        self.weights = sizes.sqrt() / sizes.sqrt().sum()  # bigger photos give more crops, sub-linearly

    def batch(self, n: int) -> torch.Tensor:
        idx = torch.multinomial(self.weights, n, replacement=True, generator=self.g)
        out = []
        for i in idx.tolist():
            im = self.photos[i]
            _, h, w = im.shape
            s = float(torch.empty(1).uniform_(1.0, 2.5, generator=self.g))
            side = int(min(h, w, round(self.crop * s)))
            y0 = int(torch.randint(0, h - side + 1, (1,), generator=self.g))
            x0 = int(torch.randint(0, w - side + 1, (1,), generator=self.g))
            c = im[:, y0:y0 + side, x0:x0 + side].float()[None] / 255
            if side != self.crop:
                c = F.interpolate(c, size=(self.crop, self.crop), mode="bilinear", antialias=True, align_corners=False)
            k = int(torch.randint(0, 8, (1,), generator=self.g))
            if k & 1:
                c = c.flip(-1)
            c = torch.rot90(c, k // 2, dims=(2, 3))
            out.append(c)
        x = torch.cat(out).clamp(0, 1)
        # Colour jitter: saturation and brightness, mild, so colours stay natural.
        sat = torch.empty(n, 1, 1, 1).uniform_(0.8, 1.2, generator=self.g).to(x.device)
        gain = torch.empty(n, 1, 1, 1).uniform_(0.85, 1.1, generator=self.g).to(x.device)
        lum = x.mean(1, keepdim=True)
        return ((lum + sat * (x - lum)) * gain).clamp(0, 1)
