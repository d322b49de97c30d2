"""MiM-DiT-S: a small MoE-in-MoE diffusion transformer for all-in-one photo restoration."""

DEGRADATIONS = ("noise", "blur", "haze", "lowlight", "rain")
SUBTYPES = {
    "noise": ("gaussian-light", "gaussian-heavy", "poisson-gaussian"),
    "blur": ("motion", "defocus", "gaussian"),
    "haze": ("thin", "thick", "tinted"),
    "lowlight": ("dark", "very-dark", "dark-noisy"),
    "rain": ("light", "heavy", "rain-veil"),
}
K_SUB = 3
