"""Model and training configuration: one place for every width, depth and schedule setting."""
from dataclasses import dataclass, asdict
import json

from . import DEGRADATIONS, K_SUB


@dataclass
class ModelConfig:
    name: str = "mimdit-s"
    version: str = "2.1.0"
    degradations: tuple = DEGRADATIONS
    subexperts: int = K_SUB          # K sub-experts per group (Intra-MoE)
    top_k: int = 2                   # Intra-MoE keeps the top-k sub-experts of each group
    stem: int = 2                    # pixel-unshuffle factor of the stem
    widths: tuple = (28, 48, 72)     # channels per level (grow ~1.6x, not 2x: docs/DESIGN.md, Model design)
    enc_blocks: tuple = (0, 1)       # transformer blocks on the way down, per level above the bottom
    mid_blocks: int = 3              # blocks at the lowest level
    dec_blocks: tuple = (1, 1)       # blocks on the way up, per level above the bottom
    heads: tuple = (1, 2, 4)
    ffn_mult: float = 1.66
    temb_dim: int = 64
    router_width: int = 96
    cond_embed: int = 32             # learned part of the global condition `cond`
    cond_dim: int = 72               # cond = embedding + 20 whole-view + 20 crop statistics (net.py)
    analyze_size: int = 128
    analyze_crops: int = 4
    inter_power: float = 5.0         # Inter-MoE sharpness: inter ~ scores ** inter_power (net.py)
    noise_scale: float = 0.02        # sampler re-noising sigma
    default_steps: int = 1

    @property
    def tile_multiple(self) -> int:
        return self.stem * 2 ** (len(self.widths) - 1)

    @property
    def n_gates(self) -> int:
        return len(self.degradations) * self.subexperts

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @staticmethod
    def from_dict(d: dict) -> "ModelConfig":
        d = dict(d)
        for k in ("degradations", "widths", "enc_blocks", "dec_blocks", "heads"):
            if k in d:
                d[k] = tuple(d[k])
        return ModelConfig(**d)
