"""MiM-DiT-S: a small MoE-in-MoE diffusion transformer for all-in-one photo restoration."""

DEGRADATIONS = ("noise", "blur", "haze", "lowlight", "rain")
SUBTYPES = {  # what each sub-type synthesises: synth.py's module docstring
    "noise": ("gaussian", "shot", "iso-chroma"),
    "blur": ("motion", "defocus", "gaussian"),
    "haze": ("depth", "fog", "washed-out"),
    "lowlight": ("dark", "very-dark", "dark-noisy"),
    "rain": ("streaks", "drops", "rainy-scene"),
}
K_SUB = 3
