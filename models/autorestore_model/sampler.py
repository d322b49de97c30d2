"""The few-step sampler `flow-v1`, the same algorithm as src/sampler.rs (models/README.md).

Training pairs: x_t = (1-t) x + t y + sigma sqrt(t(1-t)) eps; the net predicts x.
"""
import numpy as np
import torch

M64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def splitmix64(z):
    z = np.asarray(z, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = z + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def gauss_field(seed: int, step: int, h: int, w: int, y0: int = 0, x0: int = 0) -> np.ndarray:
    """Counter-based N(0,1) noise [3,h,w] for the image region starting at (y0, x0)."""
    c = np.arange(3, dtype=np.uint64)[:, None, None]
    gy = (np.arange(h, dtype=np.uint64) + np.uint64(y0))[None, :, None]
    gx = (np.arange(w, dtype=np.uint64) + np.uint64(x0))[None, None, :]
    key = ((np.uint64(step * 4) + c) << np.uint64(48)) ^ (gy << np.uint64(24)) ^ gx
    hsh = splitmix64(np.uint64(seed) ^ splitmix64(key))
    u1 = ((hsh >> np.uint64(40)).astype(np.float64) + 0.5) / float(1 << 24)
    u2 = ((hsh & np.uint64(0xFFFFFF)).astype(np.float64) + 0.5) / float(1 << 24)
    return (np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)).astype(np.float32)


def make_xt(x, y, t, sigma, eps):
    """Training/sampling interpolation between clean x (t=0) and degraded y (t=1)."""
    t = t.reshape(-1, 1, 1, 1)
    return (1 - t) * x + t * y + sigma * torch.sqrt((t * (1 - t)).clamp(min=0)) * eps


@torch.no_grad()
def sample(net_fn, y, gates, steps: int, sigma: float, seed: int = 0, strength: float = 1.0):
    """Run the sampler on one image y [1,3,H,W]; net_fn(x_t, y, t[1], gates) -> x0."""
    x = y
    x0 = y
    for i in range(steps):
        t = 1.0 - i / steps
        x0 = net_fn(x, y, torch.tensor([t], dtype=torch.float32, device=y.device), gates)
        if i == steps - 1:
            break
        t_next = t - 1.0 / steps
        eps = torch.from_numpy(gauss_field(seed, i, y.shape[2], y.shape[3]))[None].to(y.device)
        x = make_xt(x0, y, torch.tensor([t_next], device=y.device), sigma, eps)
    return (y + strength * (x0 - y)).clamp(0, 1)
