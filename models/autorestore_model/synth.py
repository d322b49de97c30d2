"""Degradation synthesis, batched on the training device and deterministic given a seed.

Every function takes clean images x [B,3,H,W] in [0,1] (sRGB-encoded) and a torch.Generator,
and returns degraded images of the same size. `degrade_batch` draws a degradation plan per
sample (single types with sub-types, composites, some clean) and returns the labels the router
is trained on. DESIGN.md §2 lists the types; the sub-types are the Intra-MoE's experts.
"""
import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from . import DEGRADATIONS, K_SUB

D = len(DEGRADATIONS)
NOISE, BLUR, HAZE, LOWLIGHT, RAIN = range(D)
KSIZE = 31  # blur / streak kernel size (odd)


def _u(g, n, lo, hi, device):
    return lo + (hi - lo) * torch.rand(n, generator=g, device=device)


def _randn(g, shape, device):
    return torch.randn(shape, generator=g, device=device)


def srgb_to_linear(x):
    return torch.where(x <= 0.04045, x / 12.92, ((x.clamp(min=0.04045) + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(x):
    x = x.clamp(0, 1)
    return torch.where(x <= 0.0031308, x * 12.92, 1.055 * x.clamp(min=0.0031308) ** (1 / 2.4) - 0.055)


# --------------------------------------------------------------------------- kernels
def _grid(device):
    r = torch.arange(KSIZE, device=device, dtype=torch.float32) - KSIZE // 2
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    return yy, xx


def motion_kernels(g, n, device, length=(5, 25), curved=True):
    """Motion-blur kernels: a camera path of random length, direction and curvature, drawn as
    a sum of small Gaussians along a quadratic path (a smooth stand-in for hand shake)."""
    yy, xx = _grid(device)
    L = _u(g, n, *length, device)
    ang = _u(g, n, 0, math.pi, device)
    curv = _u(g, n, -0.6, 0.6, device) if curved else torch.zeros(n, device=device)
    s = torch.linspace(-0.5, 0.5, 24, device=device)
    px = (s[None] * L[:, None]) * torch.cos(ang)[:, None] - curv[:, None] * (s[None] ** 2) * L[:, None] * torch.sin(ang)[:, None]
    py = (s[None] * L[:, None]) * torch.sin(ang)[:, None] + curv[:, None] * (s[None] ** 2) * L[:, None] * torch.cos(ang)[:, None]
    d2 = (xx[None, None] - px[:, :, None, None]) ** 2 + (yy[None, None] - py[:, :, None, None]) ** 2
    k = torch.exp(-d2 / (2 * 0.6 ** 2)).sum(1)
    return k / k.sum((1, 2), keepdim=True)


def shake_kernels(g, n, device, length=(5, 25), steps=48):
    """Camera-shake kernels: the path of a hand-held camera during the exposure, an integrated
    random walk (velocity drifts, so the path wanders and turns like real shake rather than
    following a curve), rescaled to a random extent and drawn with small Gaussians. Each point
    gets a random dwell weight: a camera lingers at the ends of a tremor, which is why real
    shake kernels are brighter at their turns."""
    yy, xx = _grid(device)
    L = _u(g, n, *length, device)
    drift = _randn(g, (n, 1, 2), device) * 1.5
    vel = drift + torch.cumsum(_randn(g, (n, steps, 2), device), 1) * 0.5
    pos = torch.cumsum(vel, 1)
    pos = pos - 0.5 * (pos.amax(1, keepdim=True) + pos.amin(1, keepdim=True))
    extent = (pos.amax(1) - pos.amin(1)).amax(1).clamp(min=1e-3)  # [n]
    pos = pos * (L / extent)[:, None, None]
    dwell = 0.5 + torch.rand(n, steps, generator=g, device=device)
    d2 = (xx[None, None] - pos[:, :, 0, None, None]) ** 2 + (yy[None, None] - pos[:, :, 1, None, None]) ** 2
    k = (dwell[:, :, None, None] * torch.exp(-d2 / (2 * 0.6 ** 2))).sum(1)
    return k / k.sum((1, 2), keepdim=True)


def defocus_kernels(g, n, device, radius=(1.5, 7.0)):
    yy, xx = _grid(device)
    r = _u(g, n, *radius, device)
    d = torch.sqrt(xx ** 2 + yy ** 2)[None]
    k = torch.clamp(r[:, None, None] + 0.5 - d, 0, 1)  # anti-aliased disc
    return k / k.sum((1, 2), keepdim=True)


def gaussian_kernels(g, n, device, sigma=(0.8, 3.5)):
    yy, xx = _grid(device)
    s = _u(g, n, *sigma, device)
    k = torch.exp(-(xx ** 2 + yy ** 2)[None] / (2 * s[:, None, None] ** 2))
    return k / k.sum((1, 2), keepdim=True)


def delta_kernels(n, device):
    k = torch.zeros(n, KSIZE, KSIZE, device=device)
    k[:, KSIZE // 2, KSIZE // 2] = 1
    return k


def convolve(x, k):
    """Per-sample kernels k [B,ks,ks] applied to x [B,C,H,W] with reflect padding."""
    b, c, h, w = x.shape
    p = KSIZE // 2
    xp = F.pad(x.reshape(1, b * c, h, w), (p, p, p, p), mode="reflect")
    wk = k[:, None].repeat_interleave(c, dim=0)
    return F.conv2d(xp, wk.flip(-1, -2), groups=b * c).reshape(b, c, h, w)


# --------------------------------------------------------------------------- fields
def smooth_field(g, n, h, w, device, cells=4):
    """Low-frequency random field in [0,1]: bicubic upsampling of a coarse random grid."""
    f = torch.rand(n, 1, cells, cells, generator=g, device=device)
    f = F.interpolate(f, size=(h, w), mode="bicubic", align_corners=False)
    f = f - f.amin((2, 3), keepdim=True)
    return f / f.amax((2, 3), keepdim=True).clamp(min=1e-6)


def depth_proxy(g, x, device):
    """Plausible scene depth: a ground plane that recedes to a horizon (random height and a
    slight roll of the camera), everything above the horizon far (sky, distant scenery),
    bright and smooth regions farther, plus a low-frequency field for objects."""
    n, _, h, w = x.shape
    yy = torch.linspace(0, 1, h, device=device)[None, :, None]
    xx = torch.linspace(-0.5, 0.5, w, device=device)[None, None, :]
    horizon = _u(g, n, -0.2, 0.6, device)[:, None, None]
    roll = _u(g, n, -0.25, 0.25, device)[:, None, None]
    below = (yy - horizon + roll * xx).clamp(min=0)  # distance below the horizon line
    ramp = (1 / (1 + 4 * below))[:, None]  # ground-plane depth falls off as 1/distance below it
    tilt = _u(g, n, 0.3, 1.0, device)[:, None, None, None]
    lum = F.avg_pool2d(x.mean(1, keepdim=True), 9, 1, 4, count_include_pad=False)
    f = smooth_field(g, n, h, w, device, cells=3)
    d = tilt * ramp + 0.35 * f + 0.25 * lum
    d = d - d.amin((2, 3), keepdim=True)
    return d / d.amax((2, 3), keepdim=True).clamp(min=1e-6)


# --------------------------------------------------------------------------- degradations
def add_noise(g, x, sub):
    """sub 0: Gaussian 5-20/255, 1: Gaussian 20-50/255, 2: Poisson-Gaussian (signal dependent).
    A random share of each is chroma (independent per channel) vs luminance (shared)."""
    n, dev = x.shape[0], x.device
    sig = torch.where(sub == 0, _u(g, n, 5, 20, dev), _u(g, n, 20, 50, dev)) / 255
    chroma = _u(g, n, 0.3, 1.0, dev)[:, None, None, None]
    e = chroma * _randn(g, x.shape, dev) + (1 - chroma) * _randn(g, (n, 1, *x.shape[2:]), dev)
    e = e / torch.sqrt(chroma ** 2 + (1 - chroma) ** 2)
    gauss = x + sig[:, None, None, None] * e
    shot_a = _u(g, n, 0.004, 0.03, dev)[:, None, None, None]
    read = _u(g, n, 2, 10, dev)[:, None, None, None] / 255
    pg = x + torch.sqrt(shot_a * x.clamp(min=0) + read ** 2) * _randn(g, x.shape, dev)
    return torch.where((sub == 2)[:, None, None, None], pg, gauss)


def add_blur(g, x, sub):
    """sub 0: motion (half smooth curved paths, half camera shake), 1: defocus disc, 2: Gaussian."""
    n, dev = x.shape[0], x.device
    shake = (torch.rand(n, generator=g, device=dev) < 0.5)[:, None, None]
    motion = torch.where(shake, shake_kernels(g, n, dev), motion_kernels(g, n, dev))
    k = torch.where((sub == 0)[:, None, None], motion,
                    torch.where((sub == 1)[:, None, None], defocus_kernels(g, n, dev), gaussian_kernels(g, n, dev)))
    return convolve(x, k)


def add_haze(g, x, sub):
    """Scattering model I = J t + A (1 - t), t = exp(-beta d). sub 0 thin, 1 thick, 2 tinted A."""
    n, dev = x.shape[0], x.device
    d = depth_proxy(g, x, dev)
    beta = torch.where(sub == 1, _u(g, n, 1.2, 2.6, dev), _u(g, n, 0.35, 1.2, dev))
    t = torch.exp(-beta[:, None, None, None] * (0.15 + d))
    a_lvl = _u(g, n, 0.75, 1.0, dev)
    tint = torch.stack([_u(g, n, 0.85, 1.0, dev), _u(g, n, 0.85, 1.0, dev), _u(g, n, 0.85, 1.0, dev)], 1)
    tint = torch.where((sub == 2)[:, None], tint / tint.amax(1, keepdim=True), torch.ones_like(tint))
    A = (a_lvl[:, None] * tint)[:, :, None, None]
    return x * t + A * (1 - t)


def add_lowlight(g, x, sub):
    """Exposure x0.05-0.4 in linear light, a gamma shift; sub 2 adds sensor noise."""
    n, dev = x.shape[0], x.device
    expo = torch.where(sub == 1, _u(g, n, 0.04, 0.12, dev), _u(g, n, 0.12, 0.4, dev))
    gam = _u(g, n, 0.9, 1.2, dev)[:, None, None, None]
    lin = srgb_to_linear(x) * expo[:, None, None, None]
    out = linear_to_srgb(lin ** gam)
    noisy = add_noise(g, out, torch.full((n,), 2, device=dev))
    return torch.where((sub == 2)[:, None, None, None], noisy, out)


def add_rain(g, x, sub):
    """Rain streaks: sparse drops smeared by a long near-vertical motion kernel, screen-blended.
    sub 0 light, 1 heavy, 2 streaks with a rain veil (accumulation haze)."""
    n, dev = x.shape[0], x.device
    _, _, h, w = x.shape
    dens = torch.where(sub == 1, _u(g, n, 0.004, 0.010, dev), _u(g, n, 0.0015, 0.004, dev))
    drops = (torch.rand(n, 1, h, w, generator=g, device=dev) < dens[:, None, None, None]).float()
    drops = drops * _u(g, n, 0.6, 1.0, dev)[:, None, None, None]
    yy, xx = _grid(dev)
    L = _u(g, n, 8, 28, dev)
    ang = math.pi / 2 + _u(g, n, -0.45, 0.45, dev)
    s = torch.linspace(-0.5, 0.5, 24, device=dev)
    px = s[None] * L[:, None] * torch.cos(ang)[:, None]
    py = s[None] * L[:, None] * torch.sin(ang)[:, None]
    d2 = (xx[None, None] - px[:, :, None, None]) ** 2 + (yy[None, None] - py[:, :, None, None]) ** 2
    k = torch.exp(-d2 / (2 * 0.5 ** 2)).sum(1)
    k = k / k.amax((1, 2), keepdim=True)
    streak = convolve(drops, k).clamp(0, 1)
    streak = streak * _u(g, n, 0.5, 0.9, dev)[:, None, None, None]
    out = 1 - (1 - x) * (1 - streak)
    veil_t = _u(g, n, 0.6, 0.85, dev)[:, None, None, None]
    veiled = out * veil_t + 0.85 * (1 - veil_t)
    return torch.where((sub == 2)[:, None, None, None], veiled, out)


APPLY = {NOISE: add_noise, BLUR: add_blur, HAZE: add_haze, LOWLIGHT: add_lowlight, RAIN: add_rain}
# Physical order when several apply: scene (haze, rain) -> optics (blur) -> exposure -> sensor noise.
ORDER = (HAZE, RAIN, BLUR, LOWLIGHT, NOISE)
COMPOSITES = ((LOWLIGHT, NOISE), (HAZE, NOISE), (BLUR, NOISE), (RAIN, HAZE), (HAZE, BLUR))


@dataclass
class Plan:
    present: torch.Tensor  # [B, D] 0/1
    sub: torch.Tensor      # [B, D] sub-type index per group (valid where present)


def draw_plan(g, n, device, p_clean=0.08, forced=None):
    """Per sample: one degradation (uniform type and sub-type), a composite pair, or clean
    (share p_clean; the rest is singles and pairs at 72:20).
    `forced` = (type, subtype), or a list of them for a composite, gives every sample exactly
    those degradations (evaluation)."""
    present = torch.zeros(n, D, device=device)
    sub = torch.randint(0, K_SUB, (n, D), generator=g, device=device)
    if forced is not None:
        for t, s in [forced] if isinstance(forced[0], int) else forced:
            present[:, t] = 1
            sub[:, t] = s
        return Plan(present, sub)
    r = torch.rand(n, generator=g, device=device)
    single = torch.randint(0, D, (n,), generator=g, device=device)
    pair = torch.randint(0, len(COMPOSITES), (n,), generator=g, device=device)
    comp = torch.tensor(COMPOSITES, device=device)[pair]
    idx = torch.arange(n, device=device)
    p_single, p_pair = 0.72 / 0.92 * (1 - p_clean), 0.2 / 0.92 * (1 - p_clean)
    is_single = r < p_single
    is_pair = (r >= p_single) & (r < p_single + p_pair)
    present[idx[is_single], single[is_single]] = 1
    present[idx[is_pair], comp[is_pair, 0]] = 1
    present[idx[is_pair], comp[is_pair, 1]] = 1
    return Plan(present, sub)


def apply_plan(g, x, plan: Plan):
    """Apply each sample's degradations in physical order; each type runs only on the samples
    that have it (batched), so synthesis costs what the plan needs."""
    y = x.clone()
    for t in ORDER:
        idx = (plan.present[:, t] > 0).nonzero().flatten()
        if idx.numel():
            y[idx] = APPLY[t](g, y[idx], plan.sub[idx, t])
    return y.clamp(0, 1)


def degrade_batch(x, seed=None, generator=None, forced=None, **kw):
    """Degrade a batch; returns (y, plan). Deterministic for a given seed and device."""
    g = generator
    if g is None:
        g = torch.Generator(device=x.device)
        g.manual_seed(int(seed or 0))
    plan = draw_plan(g, x.shape[0], x.device, forced=forced, **kw)
    return apply_plan(g, x, plan), plan
