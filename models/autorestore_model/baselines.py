"""Classical baselines per degradation type, each as a user would apply it without knowing the
exact degradation (parameters estimated from the image, never from the ground truth).
Images are float RGB [H,W,3] in [0,1]."""
import numpy as np


def _u8(x):
    return (np.clip(x, 0, 1) * 255 + 0.5).astype(np.uint8)


def _sigma(img):
    from skimage.restoration import estimate_sigma

    return float(np.mean(estimate_sigma(img, channel_axis=-1)))


# ---------------------------------------------------------------- noise
def nlmeans(img):
    import cv2

    h = max(3.0, _sigma(img) * 255 * 0.9)
    out = cv2.fastNlMeansDenoisingColored(_u8(img[:, :, ::-1]), None, h, h, 7, 21)
    return out[:, :, ::-1].astype(np.float32) / 255


def bm3d_denoise(img):
    if not hasattr(np, "trapz"):
        np.trapz = np.trapezoid  # bm3d 4.0.3 still calls np.trapz (removed in numpy 2.4)
    import bm3d

    return bm3d.bm3d_rgb(img, max(1e-3, _sigma(img))).astype(np.float32)


# ---------------------------------------------------------------- blur
def _gauss_psf(sigma=1.6, size=15):
    r = np.arange(size) - size // 2
    k = np.exp(-(r[:, None] ** 2 + r[None] ** 2) / (2 * sigma ** 2))
    return k / k.sum()


def richardson_lucy(img):
    from skimage.restoration import richardson_lucy as rl

    psf = _gauss_psf()
    return np.stack([rl(img[:, :, c], psf, num_iter=15, clip=True) for c in range(3)], -1).astype(np.float32)


def wiener(img):
    from skimage.restoration import wiener as wf

    psf = _gauss_psf()
    return np.stack([wf(img[:, :, c], psf, balance=0.05) for c in range(3)], -1).astype(np.float32)


# ---------------------------------------------------------------- haze
def _box(x, r):
    import cv2

    return cv2.boxFilter(x, -1, (2 * r + 1, 2 * r + 1), normalize=True, borderType=cv2.BORDER_REFLECT)


def _guided(I, p, r=30, eps=1e-3):
    mI, mp = _box(I, r), _box(p, r)
    cov = _box(I * p, r) - mI * mp
    var = _box(I * I, r) - mI * mI
    a = cov / (var + eps)
    b = mp - a * mI
    return _box(a, r) * I + _box(b, r)


def dark_channel_prior(img, patch=15, omega=0.95, t0=0.1):
    """He et al. 2009 with the guided-filter refinement."""
    import cv2

    dark = cv2.erode(img.min(2).astype(np.float32), np.ones((patch, patch), np.uint8))
    n = max(1, dark.size // 1000)
    idx = np.argsort(dark.ravel())[-n:]
    A = img.reshape(-1, 3)[idx].max(0).clip(0.05, 1)
    norm = (img / A).min(2).astype(np.float32)
    t = 1 - omega * cv2.erode(norm, np.ones((patch, patch), np.uint8))
    t = _guided(img.mean(2).astype(np.float32), t.astype(np.float32))
    t = np.clip(t, t0, 1)[:, :, None]
    return ((img - A) / t + A).astype(np.float32)


# ---------------------------------------------------------------- low light
def gain_gamma(img):
    """Brighten so the mean luminance reaches 0.45 with a gamma curve (an auto-levels user)."""
    m = float(np.clip(img.mean(), 1e-3, 0.99))
    g = np.log(0.45) / np.log(m)
    return np.power(np.clip(img, 0, 1), g).astype(np.float32)


def clahe(img):
    import cv2

    lab = cv2.cvtColor(_u8(img), cv2.COLOR_RGB2LAB)
    lab[:, :, 0] = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8)).apply(lab[:, :, 0])
    return cv2.cvtColor(lab, cv2.COLOR_LAB2RGB).astype(np.float32) / 255


# ---------------------------------------------------------------- rain
def median(img):
    import cv2

    return cv2.medianBlur(_u8(img), 5).astype(np.float32) / 255


def for_type(dname, skip_bm3d=False):
    table = {
        "noise": {"base_nlmeans": nlmeans, **({} if skip_bm3d else {"base_bm3d": bm3d_denoise})},
        "blur": {"base_richardson_lucy": richardson_lucy, "base_wiener": wiener},
        "haze": {"base_dark_channel": dark_channel_prior},
        "lowlight": {"base_gain_gamma": gain_gamma, "base_clahe": clahe},
        "rain": {"base_median": median},
    }
    return table[dname]


# ---------------------------------------------------------------- GEGL / G'MIC one-click filters
# What a GIMP user clicks instead of us: the `gegl` CLI runs the operations behind GIMP's filters,
# `gmic` the G'MIC plug-in's. Defaults of the filter; where a filter asks for a noise level, the
# level estimated from the image (as a user would read it off). One table, used by bench/bench.py
# and by the evaluations (evaluate.py, eval_external.py): the commands live only here.
class CliFilter:
    """name: stable id (also the result key, prefix gegl_ / gmic_); types: the degradation
    groups it is a one-click answer to; argv(in_png, out_png, img) -> command line; cmd: the
    command line in words (results files)."""

    def __init__(self, name, label, family, types, argv, cmd):
        self.name, self.label, self.family, self.types, self.argv, self.cmd = name, label, family, tuple(types), argv, cmd


def est_sigma255(img):
    """The image's estimated noise sigma on the 0..255 scale (at least 1)."""
    return max(1.0, _sigma(img) * 255)


def _gegl(*ops):
    return lambda i, o, img: ["gegl", i, "-o", o, "--", *[f(img) if callable(f) else f for f in ops]]


def _gmic(*cmd):
    return lambda i, o, img: ["gmic", "-v", "-1", i, *[f(img) if callable(f) else f for f in cmd], "cut", "0,255", "o", o]


CLI_FILTERS = (
    # noise
    CliFilter("gegl_noise_reduction", "GEGL noise-reduction", "gegl", ["noise", "lowlight"],
              _gegl("noise-reduction", "iterations=4"), "gegl IN -o OUT -- noise-reduction iterations=4  (GIMP default)"),
    CliFilter("gegl_denoise_dct", "GEGL denoise-dct", "gegl", ["noise"],
              _gegl("denoise-dct", lambda img: f"sigma={est_sigma255(img):.1f}"),
              "gegl IN -o OUT -- denoise-dct sigma=<estimated sigma, 0..255>"),
    CliFilter("gmic_denoise", "G'MIC denoise", "gmic", ["noise"],
              _gmic("denoise", lambda img: f"10,{est_sigma255(img):.1f}"),
              "gmic IN denoise 10,<estimated sigma> cut 0,255 o OUT  (patch-based)"),
    # blur
    CliFilter("gegl_unsharp_mask", "GEGL unsharp-mask", "gegl", ["blur"],
              _gegl("unsharp-mask"), "gegl IN -o OUT -- unsharp-mask  (GIMP default: std-dev 3, scale 0.5)"),
    CliFilter("gmic_deblur_rl", "G'MIC deblur RL", "gmic", ["blur"],
              _gmic("deblur_richardsonlucy", "1.6"), "gmic IN deblur_richardsonlucy 1.6 cut 0,255 o OUT"),
    CliFilter("gmic_sharpen", "G'MIC sharpen", "gmic", ["blur"],
              _gmic("sharpen", "100"), "gmic IN sharpen 100 cut 0,255 o OUT  (inverse diffusion)"),
    # haze
    CliFilter("gegl_stretch_contrast", "GEGL stretch-contrast", "gegl", ["haze", "lowlight"],
              _gegl("stretch-contrast"), "gegl IN -o OUT -- stretch-contrast  (Colors > Auto > Stretch Contrast)"),
    CliFilter("gmic_retinex", "G'MIC retinex", "gmic", ["haze", "lowlight"],
              _gmic("retinex", "75,hsv,1,1,15,80,250"), "gmic IN retinex 75,hsv,1,1,15,80,250 cut 0,255 o OUT"),
    CliFilter("gmic_normalize_local", "G'MIC normalize_local", "gmic", ["haze"],
              _gmic("normalize_local", "10"), "gmic IN normalize_local 10 cut 0,255 o OUT  (local contrast)"),
    # low light
    CliFilter("gegl_shadows_highlights", "GEGL shadows-highlights", "gegl", ["lowlight"],
              _gegl("shadows-highlights", "shadows=50"), "gegl IN -o OUT -- shadows-highlights shadows=50"),
    CliFilter("gmic_equalize", "G'MIC equalize", "gmic", ["lowlight"],
              _gmic("equalize", "256"), "gmic IN equalize 256 cut 0,255 o OUT"),
    # rain
    CliFilter("gegl_median_blur", "GEGL median-blur", "gegl", ["rain"],
              _gegl("median-blur"), "gegl IN -o OUT -- median-blur  (default radius 3)"),
    CliFilter("gmic_smooth", "G'MIC smooth (anisotropic)", "gmic", ["rain", "noise"],
              _gmic("smooth", "60,0.7,0.3,0.6,1.1"), "gmic IN smooth 60,0.7,0.3,0.6,1.1 cut 0,255 o OUT"),
)
CLI_BY_NAME = {f.name: f for f in CLI_FILTERS}
CLI_PREFIXES = ("gegl_", "gmic_")


def read_png(path):
    """Float RGB [H,W,3] in [0,1] from an 8/16-bit PNG (gegl writes 16-bit RGBA)."""
    import cv2

    a = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if a is None:
        raise RuntimeError(f"cannot read {path}")
    scale = 65535.0 if a.dtype == np.uint16 else 255.0
    if a.ndim == 2:
        a = np.repeat(a[:, :, None], 3, 2)
    a = a[:, :, :3][:, :, ::-1].astype(np.float32) / scale
    return np.ascontiguousarray(a)


def write_png(path, img):
    """An 8-bit RGB PNG of img (float [0,1]), as a user's file is."""
    from PIL import Image

    Image.fromarray(_u8(img)).save(path)


def cli_available():
    import shutil

    return all(shutil.which(t) for t in ("gegl", "gmic"))


def run_cli(f, img, workdir=None):
    """Apply the filter f (a CliFilter or its name) to img as a GIMP user would: the image as an
    8-bit PNG through the command line, the result read back as float RGB."""
    import subprocess
    import tempfile

    f = CLI_BY_NAME[f] if isinstance(f, str) else f
    with tempfile.TemporaryDirectory(prefix="arcli.", dir=workdir) as d:
        inp, out = f"{d}/in.png", f"{d}/out.png"
        write_png(inp, img)
        argv = f.argv(inp, out, img)
        r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed ({r.returncode}): {r.stderr.strip()[-400:]}")
        res = read_png(out)
    if res.shape != img.shape:
        raise RuntimeError(f"{f.name} returned {res.shape} for {img.shape}")
    return res


def cli_for_type(dname):
    """{name: fn(img) -> img}: the GEGL / G'MIC one-click filters for the degradation group."""
    return {f.name: (lambda img, f=f: run_cli(f, img)) for f in CLI_FILTERS if dname in f.types}


def is_alternative(method):
    """A result key that comes from a method that sees only the degraded input (reusable)."""
    return method.startswith("base_") or method.startswith(CLI_PREFIXES)
