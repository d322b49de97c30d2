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
