"""Degradation synthesis, batched on the training device and deterministic given a seed.

Every function takes clean images x [B,3,H,W] in [0,1] (sRGB-encoded) and a torch.Generator,
and returns degraded images of the same size. `degrade_batch` draws a degradation plan per
sample (single types with sub-types, composite pairs, rare triples, some clean) and returns the
labels the router is trained on. docs/DESIGN.md ("Model design") lists the types; the sub-types are the Intra-MoE's
experts (names in SUBTYPES, __init__.py):

  noise    0 gaussian    i.i.d. Gaussian, sigma 0.01-0.40 (ImageNet-C gaussian_noise 1-5 is 0.08-0.38)
           1 shot        Poisson counts, lambda 3-400 (ImageNet-C shot_noise 1-5 is 60..3), + read noise,
                         in sRGB or linear light, part of it correlated by a Bayer demosaic
           2 iso-chroma  high-ISO camera noise: demosaiced Poisson-Gaussian plus low-frequency colour
                         blotches; a share of every noise sample is then JPEG-compressed (q 8-80)
  blur     0 motion      straight, curved and hand-shake paths, extent 3-35 px, any angle
           1 defocus     aperture disc, radius 1-17 px, soft or bright-rimmed (bokeh)
           2 gaussian    sigma 0.5-5 px
  haze     0 depth       I = J t + A (1 - t), t = exp(-beta d) on a depth proxy, thin to thick, tinted A
           1 fog         the same with a non-uniform fractal (plasma) density, patchy fog banks
           2 washed-out  fractal fog veil added and contrast rescaled (low-contrast, milky look)
  lowlight 0 dark        exposure x0.12-0.5 in linear light, gamma 1.0-2.5, white balance off
           1 very-dark   exposure x0.02-0.12, gamma 0.8-1.4, white balance off
           2 dark-noisy  exposure x0.03-0.4, gamma 0.8-1.8, with photon + read noise in linear light
  rain     0 streaks     two layers of streaks (thin far, wide near), several widths and angles
           1 drops       water drops on the lens (refracted, blurred discs with dark rims) + light streaks
           2 rainy-scene streaks plus the dimming, softening and veil of a rainy scene

Clean photos are widened first (augment_clean, a share p_augment=0.2 of each drawn batch, written
back into the caller's x so it stays the target): grayscale, low-key, high-texture and
illustration-like variants, so plain "nothing to do" is not learnt from colour or tone alone.
Composites: the pairs in COMPOSITES (20 % of non-clean samples) and TRIPLES (4 %).
Blur and rain kernels are applied through the FFT (convolve), so the 39 px window costs little.
"""
import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from . import DEGRADATIONS, K_SUB

D = len(DEGRADATIONS)
NOISE, BLUR, HAZE, LOWLIGHT, RAIN = range(D)
KSIZE = 39  # blur / streak kernel window (odd): fits a 35 px blur with its soft ends


def _u(g, n, lo, hi, device):
    """n uniform draws in [lo, hi]."""
    return lo + (hi - lo) * torch.rand(n, generator=g, device=device)


def _logu(g, n, lo, hi, device):
    """Log-uniform in [lo, hi]: light and heavy settings drawn equally often per octave."""
    return torch.exp(_u(g, n, math.log(lo), math.log(hi), device))


def _randn(g, shape, device):
    """Standard normal draws of the given shape."""
    return torch.randn(shape, generator=g, device=device)


def _coin(g, n, p, device):
    """n Bernoulli(p) draws, as bool."""
    return torch.rand(n, generator=g, device=device) < p


def _sel(mask, a, b):
    """Per-sample choice between two image batches (mask [n] bool)."""
    return torch.where(mask[:, None, None, None], a, b)


def _v(t):
    """A per-sample value [n] shaped to broadcast over images [n,C,H,W]."""
    return t[:, None, None, None]


def _split(g, x, sub, fns):
    """Run fns[s] only on the samples whose sub-type is s (each batched), keeping the order."""
    y = x.clone()
    for s, fn in enumerate(fns):
        idx = (sub == s).nonzero().flatten()
        if idx.numel():
            y[idx] = fn(g, x[idx])
    return y


def srgb_to_linear(x):
    """sRGB-encoded values to linear light (IEC 61966-2-1)."""
    return torch.where(x <= 0.04045, x / 12.92, ((x.clamp(min=0.04045) + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(x):
    """Linear light (clipped to [0,1], as a sensor saturates) to sRGB encoding."""
    x = x.clamp(0, 1)
    return torch.where(x <= 0.0031308, x * 12.92, 1.055 * x.clamp(min=0.0031308) ** (1 / 2.4) - 0.055)


def luminance(x):
    """Rec. 601 luma [n,1,H,W] of sRGB images (what JPEG and a B&W conversion use)."""
    return 0.299 * x[:, :1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3]


def box_blur(x, r):
    """Mean over a (2r+1)^2 window, edges handled by reflection (separable: rows, then columns)."""
    k = 2 * r + 1
    x = F.avg_pool2d(F.pad(x, (r, r, 0, 0), mode="reflect"), (1, k), 1)
    return F.avg_pool2d(F.pad(x, (0, 0, r, r), mode="reflect"), (k, 1), 1)


# --------------------------------------------------------------------------- kernels
def _grid(device):
    """Pixel offsets (y, x) from the centre of the KSIZE window."""
    r = torch.arange(KSIZE, device=device, dtype=torch.float32) - KSIZE // 2
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    return yy, xx


def _draw_path(px, py, weight=None, width=0.55):
    """Kernel from path points [n,P] (pixels from the centre): the points splatted bilinearly
    (with weights [n,P]) onto the window, then drawn with a Gaussian pen of std width (float or
    [n], at most 2 px)."""
    n, npts = px.shape
    c = KSIZE // 2
    fx, fy = (px + c).clamp(0, KSIZE - 1.001), (py + c).clamp(0, KSIZE - 1.001)
    x0, y0 = fx.floor(), fy.floor()
    ax, ay = fx - x0, fy - y0
    wt = weight if weight is not None else torch.ones_like(px)
    k = torch.zeros(n, KSIZE * KSIZE, device=px.device)
    for dy, dx, wgt in ((0, 0, (1 - ay) * (1 - ax)), (0, 1, (1 - ay) * ax), (1, 0, ay * (1 - ax)), (1, 1, ay * ax)):
        k.scatter_add_(1, ((y0 + dy) * KSIZE + x0 + dx).long(), wgt * wt)
    r = torch.arange(-6, 7, device=px.device, dtype=torch.float32)
    wd = torch.as_tensor(width, dtype=torch.float32, device=px.device).reshape(-1, 1).expand(n, 1)
    pen = torch.exp(-r[None] ** 2 / (2 * wd ** 2))
    pen = pen / pen.sum(1, keepdim=True)
    k = F.conv2d(F.pad(k.reshape(1, n, KSIZE, KSIZE), (6, 6, 0, 0)), pen[:, None, None, :], groups=n)
    k = F.conv2d(F.pad(k, (0, 0, 6, 6)), pen[:, None, :, None], groups=n)[0]
    return k / k.sum((1, 2), keepdim=True)


def motion_kernels(g, n, device, length=(3, 35), curved=True):
    """Motion blur of an object or a panning camera: a path of extent 3-35 px at any angle,
    straight (as ImageNet-C motion_blur) or bent by a quadratic curvature."""
    L = _u(g, n, *length, device)
    ang = _u(g, n, 0, math.pi, device)
    curv = _u(g, n, -0.6, 0.6, device) * _coin(g, n, 0.5, device) if curved else torch.zeros(n, device=device)
    s = torch.linspace(-0.5, 0.5, 48, device=device)[None]
    c, si = torch.cos(ang)[:, None], torch.sin(ang)[:, None]
    a, b = s * L[:, None], curv[:, None] * (s ** 2 - 1 / 12) * L[:, None]
    return _draw_path(a * c - b * si, a * si + b * c)


def shake_kernels(g, n, device, length=(3, 35), steps=64):
    """Camera shake of a hand-held exposure: an integrated random walk (the velocity drifts, so
    the path wanders and turns), rescaled to extent 3-35 px; random dwell weights make the turns
    brighter, as in measured shake kernels."""
    L = _u(g, n, *length, device)
    drift = _randn(g, (n, 1, 2), device) * 1.5
    vel = drift + torch.cumsum(_randn(g, (n, steps, 2), device), 1) * 0.5
    pos = torch.cumsum(vel, 1)
    pos = pos - 0.5 * (pos.amax(1, keepdim=True) + pos.amin(1, keepdim=True))
    extent = (pos.amax(1) - pos.amin(1)).amax(1).clamp(min=1e-3)
    pos = pos * (L / extent)[:, None, None]
    dwell = 0.5 + torch.rand(n, steps, generator=g, device=device)
    return _draw_path(pos[..., 0], pos[..., 1], dwell)


def defocus_kernels(g, n, device, radius=(1.0, 17.0)):
    """Out-of-focus lens: the aperture disc of radius 1-17 px (diameter up to 35), edge
    anti-aliased; a share has a bright rim (spherical aberration, 'soap bubble' bokeh) or a soft
    edge (apodised lens)."""
    yy, xx = _grid(device)
    r = _u(g, n, *radius, device)[:, None, None]
    d = torch.sqrt(xx ** 2 + yy ** 2)[None]
    k = torch.clamp(r + 0.5 - d, 0, 1)
    rim = _u(g, n, -0.6, 1.5, device)[:, None, None]  # <0 soft edge, >0 bright rim
    k = k * (1 + rim * (d / r).clamp(max=1) ** 4).clamp(min=0.05)
    return k / k.sum((1, 2), keepdim=True)


def gaussian_kernels(g, n, device, sigma=(0.5, 5.0)):
    """Gaussian blur (soft lens, atmospheric turbulence, upscaled images): sigma 0.5-5 px."""
    yy, xx = _grid(device)
    s = _u(g, n, *sigma, device)
    k = torch.exp(-(xx ** 2 + yy ** 2)[None] / (2 * s[:, None, None] ** 2))
    return k / k.sum((1, 2), keepdim=True)


def delta_kernels(n, device):
    """Identity kernels (no blur)."""
    k = torch.zeros(n, KSIZE, KSIZE, device=device)
    k[:, KSIZE // 2, KSIZE // 2] = 1
    return k


def _fft_size(m):
    """Smallest 2^a 3^b >= m: FFT lengths that are fast (166 takes 2.5x as long as 192)."""
    return min(2 ** a * 3 ** b for a in range(12) for b in range(3) if 2 ** a * 3 ** b >= m)


def convolve(x, k):
    """Per-sample kernels k [B,ks,ks] applied to x [B,C,H,W] (true convolution, reflect
    padding), through the FFT: the cost does not grow with the kernel window."""
    b, c, h, w = x.shape
    ks = k.shape[-1]
    p = ks // 2
    xp = F.pad(x, (p, p, p, p), mode="reflect")
    hp, wp = _fft_size(xp.shape[-2]), _fft_size(xp.shape[-1])
    fx = torch.fft.rfft2(xp, s=(hp, wp))
    fk = torch.fft.rfft2(k[:, None], s=(hp, wp))
    y = torch.fft.irfft2(fx * fk, s=(hp, wp))
    return y[..., ks - 1:ks - 1 + h, ks - 1:ks - 1 + w]


# --------------------------------------------------------------------------- fields
def smooth_field(g, n, h, w, device, cells=4):
    """Low-frequency random field in [0,1]: bicubic upsampling of a coarse random grid."""
    f = torch.rand(n, 1, cells, cells, generator=g, device=device)
    f = F.interpolate(f, size=(h, w), mode="bicubic", align_corners=False)
    f = f - f.amin((2, 3), keepdim=True)
    return f / f.amax((2, 3), keepdim=True).clamp(min=1e-6)


def fractal_field(g, n, h, w, device, decay=(0.45, 0.75), octaves=5):
    """Plasma-like fractal noise in [0,1]: octaves of smooth noise (grids of 3, 6, 12, ... cells),
    each octave's amplitude `decay` (per sample, 0.45 smooth to 0.75 rough) times the last."""
    dec = _u(g, n, *decay, device)[:, None, None, None]
    f = torch.zeros(n, 1, h, w, device=device)
    for o in range(octaves):
        c = min(3 * 2 ** o, max(h, w) // 2)
        grid = _randn(g, (n, 1, c, c), device)
        f = f + dec ** o * F.interpolate(grid, size=(h, w), mode="bicubic", align_corners=False)
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
    below = (yy - horizon + roll * xx).clamp(min=0)
    ramp = (1 / (1 + 4 * below))[:, None]
    tilt = _u(g, n, 0.3, 1.0, device)[:, None, None, None]
    lum = F.avg_pool2d(x.mean(1, keepdim=True), 9, 1, 4, count_include_pad=False)
    f = smooth_field(g, n, h, w, device, cells=3)
    d = tilt * ramp + 0.35 * f + 0.25 * lum
    d = d - d.amin((2, 3), keepdim=True)
    return d / d.amax((2, 3), keepdim=True).clamp(min=1e-6)


# --------------------------------------------------------------------------- noise
def poisson(mean, g):
    """Poisson samples of mean [any shape] >= 0: exact (torch.poisson) where the mean is below
    6, rounded Gaussian above (skew under 0.4 there; torch.poisson is slow and its cost grows
    with the mean). Means are clamped at 0 first: an FFT convolution earlier in a composite
    leaves values a rounding error below 0, which torch.poisson refuses."""
    mean = torch.nan_to_num(mean, nan=0.0).clamp(min=0)
    out = (mean + mean.sqrt() * torch.randn(mean.shape, generator=g, device=mean.device)).round().clamp(min=0)
    small = mean < 6
    out[small] = torch.poisson(mean[small], generator=g)
    return out


_BAYER_K = torch.tensor([[[0.25, 0.5, 0.25], [0.5, 1.0, 0.5], [0.25, 0.5, 0.25]],
                         [[0.0, 0.25, 0.0], [0.25, 1.0, 0.25], [0.0, 0.25, 0.0]],
                         [[0.25, 0.5, 0.25], [0.5, 1.0, 0.5], [0.25, 0.5, 0.25]]])


def demosaic_field(e):
    """Noise as it looks after demosaicing: keep each pixel's RGGB-mosaic channel of the noise
    field e [n,3,H,W], refill the others by bilinear interpolation (correlates noise over about
    2 px), rescaled to the input's per-channel std."""
    _, _, h, w = e.shape
    m = torch.zeros(3, h, w, device=e.device)
    m[0, 0::2, 0::2] = 1
    m[1, 0::2, 1::2] = 1
    m[1, 1::2, 0::2] = 1
    m[2, 1::2, 1::2] = 1
    out = F.conv2d(F.pad(e * m, (1, 1, 1, 1), mode="reflect"), _BAYER_K.to(e.device)[:, None], groups=3)
    return out * (e.std((2, 3), keepdim=True) / out.std((2, 3), keepdim=True).clamp(min=1e-8))


def chroma_blotches(g, n, h, w, device, amp=(0.01, 0.05)):
    """High-ISO colour blotches: low-frequency (4-16 px) colour noise with the luminance removed,
    amplitude amp (std, on [0,1])."""
    fine = F.interpolate(_randn(g, (n, 3, max(h // 4, 2), max(w // 4, 2)), device), size=(h, w), mode="bicubic",
                         align_corners=False)
    coarse = F.interpolate(_randn(g, (n, 3, max(h // 14, 2), max(w // 14, 2)), device), size=(h, w),
                           mode="bicubic", align_corners=False)
    mix = _u(g, n, 0, 1, device)[:, None, None, None]
    c = mix * fine + (1 - mix) * coarse
    c = c - c.mean(1, keepdim=True)
    c = c / c.std((1, 2, 3), keepdim=True).clamp(min=1e-8)
    return c * _v(_u(g, n, *amp, device))


def gaussian_noise(g, x, sigma=(0.01, 0.40)):
    """Additive white Gaussian noise, sigma log-uniform 0.01-0.40 on [0,1]; a random share of
    luminance (shared by channels) vs per-channel noise, 40 % fully per-channel."""
    n, dev = x.shape[0], x.device
    sig = _logu(g, n, *sigma, dev)
    chroma = torch.where(_coin(g, n, 0.4, dev), torch.ones(n, device=dev), _u(g, n, 0.3, 1.0, dev))
    chroma = _v(chroma)
    e = chroma * _randn(g, x.shape, dev) + (1 - chroma) * _randn(g, (n, 1, *x.shape[2:]), dev)
    return x + _v(sig) * e / torch.sqrt(chroma ** 2 + (1 - chroma) ** 2)


def shot_noise(g, x, lam=(3, 400), read=(0.0, 0.03), p_linear=0.4, p_mosaic=0.4):
    """Photon shot noise: Poisson counts with lambda 3-400 photons at white (log-uniform), plus
    Gaussian read noise 0-0.03; counted on the sRGB values (as ImageNet-C shot_noise) or in linear
    light (as a sensor does) for p_linear, correlated by a demosaic for p_mosaic."""
    n, dev = x.shape[0], x.device
    lin = _coin(g, n, p_linear, dev)
    base = _sel(lin, srgb_to_linear(x), x).clamp(0, 1)
    lam_ = _v(_logu(g, n, *lam, dev))
    e = poisson(base * lam_, g) / lam_ - base
    e = e + _v(_u(g, n, *read, dev)) * _randn(g, x.shape, dev)
    e = _sel(_coin(g, n, p_mosaic, dev), demosaic_field(e), e)
    return _sel(lin, linear_to_srgb(base + e), x + e)


def iso_noise(g, x):
    """High-ISO camera noise: Poisson-Gaussian in linear light (lambda 40-1000, read 0.002-0.015)
    after a Bayer demosaic, plus chroma blotches (std 0.01-0.05)."""
    n, dev = x.shape[0], x.device
    lin = srgb_to_linear(x)
    lam = _v(_logu(g, n, 40, 1000, dev))
    sd = torch.sqrt(lin / lam + _v(_u(g, n, 0.002, 0.015, dev)) ** 2)
    e = demosaic_field(sd * _randn(g, x.shape, dev))
    y = linear_to_srgb(lin + e)
    return y + chroma_blotches(g, n, *x.shape[2:], dev)


def add_noise(g, x, sub, p_jpeg=0.35):
    """Sensor noise by sub-type (0 gaussian, 1 shot, 2 iso-chroma); p_jpeg of the samples are
    then JPEG-compressed (quality 8-80), as camera and web images are."""
    y = _split(g, x, sub, (gaussian_noise, shot_noise, iso_noise)).clamp(0, 1)
    n, dev = x.shape[0], x.device
    q = _u(g, n, 8, 80, dev)
    idx = _coin(g, n, p_jpeg, dev).nonzero().flatten()
    if idx.numel():
        y[idx] = jpeg(y[idx], q[idx])
    return y


# --------------------------------------------------------------------------- JPEG
_QY = torch.tensor([[16, 11, 10, 16, 24, 40, 51, 61], [12, 12, 14, 19, 26, 58, 60, 55],
                    [14, 13, 16, 24, 40, 57, 69, 56], [14, 17, 22, 29, 51, 87, 80, 62],
                    [18, 22, 37, 56, 68, 109, 103, 77], [24, 35, 55, 64, 81, 104, 113, 92],
                    [49, 64, 78, 87, 103, 121, 120, 101], [72, 92, 95, 98, 112, 100, 103, 99]],
                   dtype=torch.float32)  # JPEG standard (ITU T.81 Annex K) luminance table
_QC = torch.full((8, 8), 99.0)
_QC[:4, :4] = torch.tensor([[17, 18, 24, 47], [18, 21, 26, 66], [24, 26, 56, 99], [47, 66, 99, 99]],
                           dtype=torch.float32)  # Annex K chrominance table


def _dct_matrix(device):
    i = torch.arange(8, device=device, dtype=torch.float32)
    m = torch.cos((2 * i[None] + 1) * i[:, None] * math.pi / 16) * math.sqrt(2 / 8)
    m[0] = m[0] / math.sqrt(2)
    return m  # orthonormal DCT-II: coef = M @ block @ M.T


def _quant_tables(q, device):
    """Quality 1-100 scaling of the standard tables (the IJG rule), per sample [n,1,1,1,8,8]."""
    s = torch.where(q < 50, 5000 / q.clamp(min=1), 200 - 2 * q)[:, None, None]
    ty = ((_QY.to(device) * s + 50) / 100).floor().clamp(1, 255)
    tc = ((_QC.to(device) * s + 50) / 100).floor().clamp(1, 255)
    return ty[:, None, None, None], tc[:, None, None, None]


def _block_quantise(p, table, m):
    """8x8 DCT of planes p [n,c,H,W] (H, W multiples of 8), quantise with table, inverse."""
    n, c, h, w = p.shape
    b = p.reshape(n, c, h // 8, 8, w // 8, 8).transpose(3, 4)
    coef = torch.round(m @ b @ m.T / table) * table
    return (m.T @ coef @ m).transpose(3, 4).reshape(n, c, h, w)


def jpeg(x, quality):
    """Baseline JPEG round trip, batched: RGB -> YCbCr (JFIF), 4:2:0 chroma subsampling, 8x8 DCT,
    quantisation with the standard tables scaled to quality [n] (1-100), rounding, inverse, and
    bilinear chroma upsampling."""
    n, _, h, w = x.shape
    ph, pw = (-h) % 16, (-w) % 16
    v = F.pad(x, (0, pw, 0, ph), mode="replicate") * 255
    r, gch, b = v[:, 0:1], v[:, 1:2], v[:, 2:3]
    yy = 0.299 * r + 0.587 * gch + 0.114 * b - 128
    cb = -0.168736 * r - 0.331264 * gch + 0.5 * b
    cr = 0.5 * r - 0.418688 * gch - 0.081312 * b
    m = _dct_matrix(x.device)
    ty, tc = _quant_tables(quality, x.device)
    yy = _block_quantise(yy, ty, m) + 128
    c = _block_quantise(F.avg_pool2d(torch.cat([cb, cr], 1), 2), tc, m)
    c = F.interpolate(c, scale_factor=2, mode="bilinear", align_corners=False)
    cb, cr = c[:, :1], c[:, 1:]
    out = torch.cat([yy + 1.402 * cr, yy - 0.344136 * cb - 0.714136 * cr, yy + 1.772 * cb], 1)
    return (torch.round(out.clamp(0, 255)) / 255)[..., :h, :w]


# --------------------------------------------------------------------------- blur
def add_blur(g, x, sub):
    """sub 0: motion (40 % straight or curved paths, 60 % hand shake), 1: defocus disc,
    2: Gaussian. Extents up to 35 px, so KSIZE is 39."""
    n, dev = x.shape[0], x.device

    def motion(g, n):
        return torch.where(_coin(g, n, 0.6, dev)[:, None, None], shake_kernels(g, n, dev), motion_kernels(g, n, dev))

    fams = (motion, lambda g, n: defocus_kernels(g, n, dev), lambda g, n: gaussian_kernels(g, n, dev))
    k = torch.empty(n, KSIZE, KSIZE, device=dev)
    for s, fam in enumerate(fams):
        idx = (sub == s).nonzero().flatten()
        if idx.numel():
            k[idx] = fam(g, idx.numel())
    return convolve(x, k)


# --------------------------------------------------------------------------- haze
def _airlight(g, n, device, p_tint):
    """Airlight colour: level 0.7-1.0, tinted (bluish, grey-green, yellowish smog) for p_tint."""
    lvl = _u(g, n, 0.7, 1.0, device)[:, None]
    tint = torch.stack([_u(g, n, 0.8, 1.0, device) for _ in range(3)], 1)
    tint = torch.where(_coin(g, n, p_tint, device)[:, None], tint / tint.amax(1, keepdim=True), torch.ones_like(tint))
    return (lvl * tint)[:, :, None, None]


def depth_haze(g, x):
    """Atmospheric scattering I = J t + A (1 - t), t = exp(-beta (0.15 + d)) on the depth proxy,
    beta 0.3-2.6 (thin to thick, log-uniform), airlight tinted for 40 %."""
    n, dev = x.shape[0], x.device
    t = torch.exp(-_v(_logu(g, n, 0.3, 2.6, dev)) * (0.15 + depth_proxy(g, x, dev)))
    return x * t + _airlight(g, n, dev, 0.4) * (1 - t)


def fractal_fog(g, x):
    """Fog banks: scattering with a non-uniform density, depth times a fractal (plasma) field,
    beta 0.4-3 log-uniform (thin to thick), airlight tinted for 50 % and brighter towards the top."""
    n, dev, (h, w) = x.shape[0], x.device, x.shape[2:]
    dens = fractal_field(g, n, h, w, dev)
    wd = _v(_u(g, n, 0.0, 0.7, dev))
    t = torch.exp(-_v(_logu(g, n, 0.4, 3.0, dev)) * (0.1 + wd * depth_proxy(g, x, dev) + (1.1 - wd) * dens))
    sky = 1 + 0.1 * torch.linspace(0.5, -0.5, h, device=dev)[None, None, :, None]
    return x * t + (_airlight(g, n, dev, 0.5) * sky).clamp(max=1) * (1 - t)


def washed_out(g, x):
    """Milky low-contrast fog (the look of ImageNet-C fog): a fractal veil of strength c 0.3-3
    (0.3 + 0.7 x plasma, so it covers the whole frame) is added, then the range is rescaled back by
    max / (max + c); colour desaturated by 0-40 %."""
    n, dev, (h, w) = x.shape[0], x.device, x.shape[2:]
    c = _v(_logu(g, n, 0.3, 3.0, dev))
    veil = 0.3 + 0.7 * fractal_field(g, n, h, w, dev, decay=(0.5, 0.8))
    mx = x.amax((1, 2, 3), keepdim=True)
    y = (x + c * veil) * mx / (mx + c)
    lum = luminance(y)
    return lum + (1 - _v(_u(g, n, 0.0, 0.4, dev))) * (y - lum)


def add_haze(g, x, sub):
    """sub 0: depth scattering, 1: fractal fog, 2: washed-out veil."""
    return _split(g, x, sub, (depth_haze, fractal_fog, washed_out))


# --------------------------------------------------------------------------- low light
def white_balance_off(g, x, p=0.6, spread=0.35):
    """Wrong white balance (tungsten, fluorescent, dusk): per-channel gains exp(U(-spread, spread))
    in linear light for a share p, normalised so no channel is brightened."""
    n, dev = x.shape[0], x.device
    gains = torch.exp(_u(g, 3 * n, -spread, spread, dev).reshape(n, 3))
    gains = torch.where(_coin(g, n, p, dev)[:, None], gains / gains.amax(1, keepdim=True), torch.ones_like(gains))
    return x * gains[:, :, None, None]


def _lowlight(g, x, expo, gam, noisy):
    """Under-exposure: linear light x expo, white balance off, optional photon (20-2000 photons
    at the dark white, i.e. counted after the exposure cut) + read (0.0005-0.005) noise, half of it
    demosaiced, then the camera tone curve srgb(lin)^gamma."""
    n, dev = x.shape[0], x.device
    lin = white_balance_off(g, srgb_to_linear(x) * _v(expo))
    if noisy:
        k = _v(_logu(g, n, 20, 2000, dev) / expo)
        e = poisson(lin * k, g) / k - lin
        e = e + _v(_u(g, n, 0.0005, 0.005, dev)) * _randn(g, x.shape, dev)
        lin = lin + _sel(_coin(g, n, 0.5, dev), demosaic_field(e), e)
    return linear_to_srgb(lin) ** _v(gam)


def add_lowlight(g, x, sub):
    """sub 0 dark (exposure 0.12-0.5, gamma 1-2.5: crushed mid-tones), 1 very dark (0.02-0.12,
    gamma 0.8-1.4, so it is not plain black), 2 dark with sensor noise (0.03-0.4, gamma 0.8-1.8);
    exposures log-uniform."""
    fns = (lambda g, x: _lowlight(g, x, _logu(g, x.shape[0], 0.12, 0.5, x.device), _u(g, x.shape[0], 1.0, 2.5, x.device), False),
           lambda g, x: _lowlight(g, x, _logu(g, x.shape[0], 0.02, 0.12, x.device), _u(g, x.shape[0], 0.8, 1.4, x.device), False),
           lambda g, x: _lowlight(g, x, _logu(g, x.shape[0], 0.03, 0.4, x.device), _u(g, x.shape[0], 0.8, 1.8, x.device), True))
    return _split(g, x, sub, fns)


# --------------------------------------------------------------------------- rain
def streak_layer(g, n, h, w, device, density, length, width, angle):
    """One layer of rain streaks in [0,1]: sparse drops (density [n] per pixel) smeared along a
    line of length [n] px with a Gaussian cross-section of std width [n] px, at angle [n] (rad
    from vertical)."""
    drops = (torch.rand(n, 1, h, w, generator=g, device=device) < _v(density)).float()
    drops = drops * (0.5 + 0.5 * torch.rand(n, 1, h, w, generator=g, device=device))
    s = torch.linspace(-0.5, 0.5, 48, device=device)[None]
    ang = math.pi / 2 + angle[:, None]
    k = _draw_path(s * length[:, None] * torch.cos(ang), s * length[:, None] * torch.sin(ang), width=width)
    k = k / k.amax((1, 2), keepdim=True)
    return convolve(drops, k).clamp(0, 1)


def rain_streaks(g, x, density=(0.0015, 0.012)):
    """Rain streaks screen-blended in two layers with a shared wind angle (+-0.7 rad from
    vertical): far (thin 0.35-0.6 px, short 4-14 px, dense, bright) and, for 70 %, near (wide
    0.7-1.6 px, long 12-35 px, sparse, more transparent). Density log-uniform light to heavy."""
    n, dev, (h, w) = x.shape[0], x.device, x.shape[2:]
    dens = _logu(g, n, *density, dev)
    ang = _u(g, n, -0.7, 0.7, dev)
    far = streak_layer(g, n, h, w, dev, dens, _u(g, n, 4, 14, dev), _u(g, n, 0.35, 0.6, dev),
                       ang + _u(g, n, -0.08, 0.08, dev))
    near = streak_layer(g, n, h, w, dev, dens * 0.2, _u(g, n, 12, 35, dev), _u(g, n, 0.7, 1.6, dev), ang)
    near = near * _v(_coin(g, n, 0.7, dev).float() * _u(g, n, 0.25, 0.6, dev))
    s = 1 - (1 - far * _v(_u(g, n, 0.4, 0.9, dev))) * (1 - near)
    return 1 - (1 - x) * (1 - s)


def lens_drops(g, x, count=16):
    """Water drops on the lens or a window: up to `count` elliptic discs (radius 2-10 % of the
    side) that show a blurred, slightly brightened and shifted view of the scene, with a dark
    refraction rim; plus light streaks behind for half."""
    n, dev, (h, w) = x.shape[0], x.device, x.shape[2:]
    yy = torch.linspace(0, 1, (h + 1) // 2, device=dev)[None, None, :, None]  # masks at half size
    xx = torch.linspace(0, 1, (w + 1) // 2, device=dev)[None, None, None, :]
    cy, cx = torch.rand(n, count, 1, 1, generator=g, device=dev), torch.rand(n, count, 1, 1, generator=g, device=dev)
    r = 0.02 + 0.08 * torch.rand(n, count, 1, 1, generator=g, device=dev) ** 2
    ecc = 0.7 + 0.6 * torch.rand(n, count, 1, 1, generator=g, device=dev)
    live = torch.rand(n, count, 1, 1, generator=g, device=dev) < _u(g, n, 0.2, 1.0, dev)[:, None, None, None]
    d = torch.sqrt(((yy - cy) * ecc) ** 2 + ((xx - cx) / ecc) ** 2) / r  # 1 at the drop's edge
    d = torch.where(live, d, torch.full_like(d, 9.0))
    d = F.interpolate(d.amin(1, keepdim=True), size=(h, w), mode="bilinear", align_corners=False)
    inside = torch.sigmoid((1 - d) * 12)
    rim = torch.exp(-((d - 0.9) / 0.12) ** 2)
    view = box_blur(torch.roll(x, shifts=(2, -1), dims=(2, 3)), 3) * 1.08 + 0.03
    y = x * (1 - inside) + view.clamp(0, 1) * inside
    y = y * (1 - 0.35 * rim)
    return _sel(_coin(g, n, 0.5, dev), rain_streaks(g, y, density=(0.001, 0.004)), y)


def rainy_scene(g, x):
    """A rainy scene: streaks, the scene dimmed (overcast, x0.55-0.9), softened (Gaussian
    0.4-1.2 px, spray and wet air), desaturated and veiled towards grey 0.55-0.85 (rain
    accumulation, transmission 0.55-0.9)."""
    n, dev = x.shape[0], x.device
    y = x * _v(_u(g, n, 0.55, 0.9, dev))
    y = convolve(y, gaussian_kernels(g, n, dev, sigma=(0.4, 1.2)))
    lum = luminance(y)
    y = lum + _v(_u(g, n, 0.6, 0.95, dev)) * (y - lum)
    t = _v(_u(g, n, 0.55, 0.9, dev))
    y = y * t + _v(_u(g, n, 0.55, 0.85, dev)) * (1 - t)
    return rain_streaks(g, y)


def add_rain(g, x, sub):
    """sub 0: streaks, 1: lens drops, 2: rainy scene (streaks + dimming, softening, veil)."""
    return _split(g, x, sub, (rain_streaks, lens_drops, rainy_scene))


# --------------------------------------------------------------------------- clean variants
def _grayscale(g, x):
    """Black-and-white photo: luminance replicated to 3 channels."""
    return luminance(x).repeat(1, 3, 1, 1)


def _low_key(g, x):
    """Low-key photo (dark tones, correctly exposed): mid-tones lowered by a power 1.2-1.6 with
    the image's white point kept, so highlights stay bright (unlike under-exposure)."""
    m = x.amax((1, 2, 3), keepdim=True).clamp(min=1e-3)
    return m * (x.clamp(0, 1) / m) ** _v(_u(g, x.shape[0], 1.2, 1.6, x.device))


def _high_texture(g, x):
    """High-contrast, textured look: local contrast ('clarity', 0.3-0.8 on a 9 px base) plus a
    global S-curve of strength 0.2-0.6."""
    n, dev = x.shape[0], x.device
    y = x + _v(_u(g, n, 0.3, 0.8, dev)) * (x - box_blur(x, 4))
    s = _v(_u(g, n, 0.2, 0.6, dev))
    y = y.clamp(0, 1)
    return y + s * (y - 0.5) * (1 - (2 * y - 1).abs())


def _illustration(g, x):
    """Illustration / strongly saturated graphics: smoothed flat colours, saturation x1.3-1.8,
    posterised to 5-10 levels, dark outlines (for half) where the smoothed luminance has strong
    edges."""
    n, dev = x.shape[0], x.device
    y = box_blur(box_blur(x, 2), 1)
    lum = luminance(y)
    gx = (lum[..., :, 2:] - lum[..., :, :-2]).abs()
    gy = (lum[..., 2:, :] - lum[..., :-2, :]).abs()
    edge = (F.pad(gx, (1, 1)) + F.pad(gy, (0, 0, 1, 1)) > 0.2).float() * _v(_coin(g, n, 0.5, dev).float())
    y = (lum + _v(_u(g, n, 1.3, 1.8, dev)) * (y - lum)).clamp(0, 1)
    lv = _v(torch.randint(5, 11, (n,), generator=g, device=dev).float())
    y = torch.round(y * (lv - 1)) / (lv - 1)
    return y * (1 - 0.7 * edge)


CLEAN_VARIANTS = (_grayscale, _low_key, _high_texture, _illustration)


def augment_clean(g, x, p=0.2):
    """A share p of the clean photos turned into another kind of undamaged image (grayscale,
    low-key, high-texture, illustration; equally often), in [0,1]. Applied before degradation,
    so the variants are clean targets and, when drawn clean, clean inputs."""
    n, dev = x.shape[0], x.device
    kind = torch.where(_coin(g, n, p, dev), torch.randint(0, len(CLEAN_VARIANTS), (n,), generator=g, device=dev),
                       torch.full((n,), -1, device=dev, dtype=torch.long))
    y = x.clone()
    for k, fn in enumerate(CLEAN_VARIANTS):
        idx = (kind == k).nonzero().flatten()
        if idx.numel():
            y[idx] = fn(g, x[idx]).clamp(0, 1)
    return y


APPLY = {NOISE: add_noise, BLUR: add_blur, HAZE: add_haze, LOWLIGHT: add_lowlight, RAIN: add_rain}
# Physical order when several apply: scene (haze, rain) -> optics (blur) -> exposure -> sensor noise.
ORDER = (HAZE, RAIN, BLUR, LOWLIGHT, NOISE)
COMPOSITES = ((LOWLIGHT, NOISE), (HAZE, NOISE), (BLUR, NOISE), (RAIN, HAZE), (HAZE, BLUR))
TRIPLES = ((LOWLIGHT, BLUR, NOISE), (RAIN, HAZE, BLUR), (HAZE, BLUR, NOISE))


@dataclass
class Plan:
    """Which groups degrade each sample (the router's targets) and with which sub-type."""
    present: torch.Tensor  # [B, D] 0/1
    sub: torch.Tensor      # [B, D] sub-type index per group (valid where present)


def draw_plan(g, n, device, p_clean=0.08, forced=None):
    """Per sample: one degradation (uniform type and sub-type), a composite pair, a triple, or
    clean (share p_clean; the rest is singles, pairs and triples at 68:20:4).
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
    pair = torch.tensor(COMPOSITES, device=device)[torch.randint(0, len(COMPOSITES), (n,), generator=g, device=device)]
    triple = torch.tensor(TRIPLES, device=device)[torch.randint(0, len(TRIPLES), (n,), generator=g, device=device)]
    idx = torch.arange(n, device=device)
    p1, p2, p3 = (torch.tensor([0.68, 0.20, 0.04]) / 0.92 * (1 - p_clean)).tolist()
    is1, is2, is3 = r < p1, (r >= p1) & (r < p1 + p2), (r >= p1 + p2) & (r < p1 + p2 + p3)
    present[idx[is1], single[is1]] = 1
    for j in range(2):
        present[idx[is2], pair[is2, j]] = 1
    for j in range(3):
        present[idx[is3], triple[is3, j]] = 1
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


def degrade_batch(x, seed=None, generator=None, forced=None, p_augment=0.2, **kw):
    """Degrade a batch; returns (y, plan). Deterministic for a given seed and device.

    When the plan is drawn (forced is None), a share p_augment of the clean photos is first
    turned into a clean variant (augment_clean) IN PLACE in x, so that the caller's x, the
    training target, is the variant too. Forced plans (evaluation) leave x untouched."""
    g = generator
    if g is None:
        g = torch.Generator(device=x.device)
        g.manual_seed(int(seed or 0))
    if forced is None and p_augment > 0:
        x.copy_(augment_clean(g, x, p_augment))
    plan = draw_plan(g, x.shape[0], x.device, forced=forced, **kw)
    return apply_plan(g, x, plan), plan
