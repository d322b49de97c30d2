"""The network: degradation encoder + two-level router (the `analyze` graph) and the
U-shaped diffusion transformer with MoE-in-MoE feed-forward layers (the `restore` graph).

Paper parts (MiM-DiT, arXiv 2603.02710) and where they live here:
  * Inter-MoE: one expert group per degradation type, weighted by `inter` (from the router scores).
  * Intra-MoE: K sub-experts per group, top-k chosen by `intra` (from the router).
  * The two levels are merged into one gate vector `gates[d*K+k] = inter[d] * intra[d,k]`; the
    experts' weights are mixed by those gates once per image, so an MoE layer costs one FFN.
  * Diffusion transformer: adaLN timestep conditioning, attention linear in pixels (channel
    attention as in Restormer), conditioned on the degraded image y.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .config import ModelConfig


# --------------------------------------------------------------------------- basic layers
class ChannelNorm(nn.Module):
    """LayerNorm over channels of an NCHW tensor, written in plain ops so training and the ONNX
    graph are the same computation.

    The channel means are 1x1 convolutions with weights 1/C, not ReduceMean over axis 1: ONNX
    Runtime's CPU EP runs that strided reduction slowly (~22 % of the restore graph's time)
    while the convolution stays in its blocked NCHWc layout; the same mean, ~0.76-0.83x the
    graph's time, outputs equal to 2.4e-7 (docs/PERFORMANCE.md)."""

    def __init__(self, c: int):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(1, c, 1, 1))
        self.bias = nn.Parameter(torch.zeros(1, c, 1, 1))
        # a constant of the graph (an initializer), not a checkpoint entry
        self.register_buffer("mean_weight", torch.full((1, c, 1, 1), 1.0 / c), persistent=False)

    def forward(self, x):
        mu = F.conv2d(x, self.mean_weight)
        d = x - mu
        var = F.conv2d(d * d, self.mean_weight)
        return d / torch.sqrt(var + 1e-5) * self.weight + self.bias


def timestep_embedding(t: torch.Tensor, dim: int) -> torch.Tensor:
    """Sinusoidal embedding of t in [0, 1] (scaled to 0..1000 as in DDPM)."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32 if t.dtype != torch.float64 else t.dtype, device=t.device) / half)
    args = (t.reshape(-1, 1).to(freqs.dtype) * 1000.0) * freqs.reshape(1, -1)
    return torch.cat([torch.cos(args), torch.sin(args)], dim=1)


# --------------------------------------------------------------------------- attention
class LocalAttention(nn.Module):
    """Query-key gated attention over a 3x3 neighbourhood: q, k, v come from a pointwise and a
    depthwise 3x3 projection (as in Restormer), and each head's values are gated by the local
    agreement of query and key, `v * sigmoid(temperature * q * k)`. Nothing pools over the tile,
    so the receptive field is bounded and a tile gives exactly the whole-image result (contract
    2); what Restormer's tile-global channel attention knew about the image (exposure, veil,
    colour) now arrives through `cond`, the global condition of the analysis (adaLN)."""

    def __init__(self, c: int, heads: int):
        super().__init__()
        self.heads = heads
        self.temperature = nn.Parameter(torch.ones(1, heads, 1, 1))
        self.qkv = nn.Conv2d(c, 3 * c, 1)
        self.qkv_dw = nn.Conv2d(3 * c, 3 * c, 3, padding=1, groups=3 * c)
        self.proj = nn.Conv2d(c, c, 1)

    def forward(self, x):
        b, c, h, w = x.shape
        q, k, v = self.qkv_dw(self.qkv(x)).chunk(3, dim=1)
        temp = self.temperature.repeat_interleave(c // self.heads, dim=1)
        return self.proj(v * torch.sigmoid(temp * q * k))


# --------------------------------------------------------------------------- MoE-in-MoE FFN
class MoEFeedForward(nn.Module):
    """Gated depthwise-conv FFN whose weights are a gate-weighted mix of E experts.

    With E == 1 it is the plain FFN of the pretrained backbone. `upcycle(E)` copies that FFN
    into E experts (Inter x Intra), so the MoE model starts exactly where the prior ended.
    Mixing weights per image keeps the compute of one FFN (docs/DESIGN.md, Model design: dense experts ~10x).
    """

    def __init__(self, c: int, mult: float, n_experts: int = 1):
        super().__init__()
        h = int(round(c * mult))
        self.c, self.h = c, h
        self.w_in = nn.Parameter(torch.empty(n_experts, 2 * h, c))
        self.b_in = nn.Parameter(torch.zeros(n_experts, 2 * h))
        self.w_dw = nn.Parameter(torch.empty(n_experts, 2 * h, 9))
        self.b_dw = nn.Parameter(torch.zeros(n_experts, 2 * h))
        self.w_out = nn.Parameter(torch.empty(n_experts, c, h))
        self.b_out = nn.Parameter(torch.zeros(n_experts, c))
        nn.init.normal_(self.w_in, std=c ** -0.5)
        nn.init.normal_(self.w_dw, std=1 / 3)
        nn.init.normal_(self.w_out, std=h ** -0.5)

    @property
    def n_experts(self) -> int:
        return self.w_in.shape[0]

    @torch.no_grad()
    def upcycle(self, n: int, jitter: float = 0.0):
        for name in ("w_in", "b_in", "w_dw", "b_dw", "w_out", "b_out"):
            p = getattr(self, name)
            assert p.shape[0] == 1, "upcycle from a single FFN"
            rep = p.data.repeat(n, *([1] * (p.dim() - 1)))
            if jitter:
                rep = rep + jitter * rep.std() * torch.randn_like(rep)
            setattr(self, name, nn.Parameter(rep))

    def _mix(self, p: torch.Tensor, gates: torch.Tensor) -> torch.Tensor:
        # gates [B, E], p [E, ...] -> [B, ...]
        e = p.shape[0]
        return (gates @ p.reshape(e, -1)).reshape(gates.shape[0], *p.shape[1:])

    def forward(self, x, gates):
        b, c, hh, ww = x.shape
        if torch.onnx.is_in_onnx_export():
            b = 1  # the restore graph runs one tile at a time; constant shapes let Conv take the mixed weights
        h = self.h
        # Per-sample mixed weights applied as one grouped convolution over the batch.
        w_in = self._mix(self.w_in, gates).reshape(b * 2 * h, c, 1, 1)
        b_in = self._mix(self.b_in, gates).reshape(b * 2 * h)
        w_dw = self._mix(self.w_dw, gates).reshape(b * 2 * h, 1, 3, 3)
        b_dw = self._mix(self.b_dw, gates).reshape(b * 2 * h)
        w_out = self._mix(self.w_out, gates).reshape(b * c, h, 1, 1)
        b_out = self._mix(self.b_out, gates).reshape(b * c)
        z = F.conv2d(x.reshape(1, b * c, hh, ww), w_in, b_in, groups=b)
        z = F.conv2d(z, w_dw, b_dw, padding=1, groups=b * 2 * h)
        # the two halves of each sample's 2h channels: a channel Split in the graph (a Reshape +
        # Gather copied both halves and cost ORT a layout change around the convs)
        a, g = z.reshape(b, 2 * h, hh, ww).chunk(2, dim=1)
        z = F.gelu(a) * g
        z = F.conv2d(z.reshape(1, b * h, hh, ww), w_out, b_out, groups=b)
        return z.reshape(b, c, hh, ww)


# --------------------------------------------------------------------------- adaLN block
class DiTBlock(nn.Module):
    """Pre-norm transformer block with adaLN-Zero modulation by timestep and global condition
    (as a DiT conditions on timestep and class): starts as identity."""

    def __init__(self, c: int, heads: int, mult: float, temb_dim: int, n_experts: int = 1):
        super().__init__()
        self.norm1 = ChannelNorm(c)
        self.attn = LocalAttention(c, heads)
        self.norm2 = ChannelNorm(c)
        self.ffn = MoEFeedForward(c, mult, n_experts)
        self.ada = nn.Linear(temb_dim, 6 * c)
        nn.init.zeros_(self.ada.weight)
        nn.init.zeros_(self.ada.bias)

    def forward(self, x, temb, gates):
        # temb carries the timestep and the image's global condition (RestoreNet.forward)
        s1, b1, g1, s2, b2, g2 = self.ada(temb)[:, :, None, None].chunk(6, dim=1)
        x = x + g1 * self.attn(self.norm1(x) * (1 + s1) + b1)
        x = x + g2 * self.ffn(self.norm2(x) * (1 + s2) + b2, gates)
        return x


# --------------------------------------------------------------------------- global tone
class ToneCurve(nn.Module):
    """Per-image, per-channel monotone tone curve predicted from the global condition and the
    gates: the global part of a repair (exposure gain and gamma for low light, veil and cast
    removal for haze and fog, a contrast stretch) that a bounded receptive field cannot infer
    from a tile. It is pointwise, so the receptive field and tile exactness are unchanged.

    The curve is piecewise linear over knots spaced as (k/K)^2 (fine steps in the shadows,
    where low light needs gains of 10 and more): y' = offset + sum_k slope_k * (the part of y in
    segment k). Zero-initialised, slope 1 and offset 0: the identity, so a net warm-started
    from one without it begins exactly where that one was."""

    def __init__(self, cfg: ModelConfig, n_experts: int, knots: int = 8):
        super().__init__()
        self.knots = knots
        self.mlp = nn.Sequential(nn.Linear(cfg.cond_dim + n_experts, 64), nn.SiLU(), nn.Linear(64, 3 * (knots + 1)))
        nn.init.zeros_(self.mlp[2].weight)
        nn.init.zeros_(self.mlp[2].bias)
        self.register_buffer("edges", (torch.arange(knots + 1, dtype=torch.float32) / knots) ** 2, persistent=False)

    def forward(self, y, cond, gates):
        raw = self.mlp(torch.cat([cond, gates], dim=1)).reshape(-1, 3, self.knots + 1, 1, 1)
        slope = torch.exp(raw[:, :, : self.knots].clamp(-4.0, 4.0))
        out = raw[:, :, self.knots] * 0.25
        for k in range(self.knots):
            lo, hi = self.edges[k], self.edges[k + 1]
            # the part of y inside [lo, hi]; above 1 the last segment keeps rising
            part = F.relu(y - lo) - (F.relu(y - hi) if k < self.knots - 1 else 0.0)
            out = out + slope[:, :, k] * part
        return out


# --------------------------------------------------------------------------- restore net
class RestoreNet(nn.Module):
    """U-shaped diffusion transformer: predicts the clean image x0 from (x_t, y, t, gates, cond)."""

    def __init__(self, cfg: ModelConfig, n_experts: int = 1):
        super().__init__()
        self.cfg = cfg
        s, W = cfg.stem, cfg.widths
        self.temb = nn.Sequential(nn.Linear(cfg.temb_dim, cfg.temb_dim), nn.SiLU(), nn.Linear(cfg.temb_dim, cfg.temb_dim))
        # Global condition -> the adaLN embedding; zero-initialised, so a net warm-started from
        # one without it begins exactly where that one was.
        self.cond = nn.Sequential(nn.Linear(cfg.cond_dim, cfg.temb_dim), nn.SiLU(), nn.Linear(cfg.temb_dim, cfg.temb_dim))
        nn.init.zeros_(self.cond[2].weight)
        nn.init.zeros_(self.cond[2].bias)
        self.tone = ToneCurve(cfg, n_experts)
        # stem input: x_t, y and the tone-mapped y (the last zero-initialised: warm_stem_weight)
        self.stem = nn.Conv2d(9 * s * s, W[0], 3, padding=1)
        blk = lambda lvl: DiTBlock(W[lvl], cfg.heads[lvl], cfg.ffn_mult, cfg.temb_dim, n_experts)
        n_lv = len(W)
        self.enc = nn.ModuleList([nn.ModuleList([blk(l) for _ in range(cfg.enc_blocks[l])]) for l in range(n_lv - 1)])
        self.down = nn.ModuleList([nn.Conv2d(W[l], W[l + 1], 2, stride=2) for l in range(n_lv - 1)])
        self.mid = nn.ModuleList([blk(n_lv - 1) for _ in range(cfg.mid_blocks)])
        self.up = nn.ModuleList([nn.ConvTranspose2d(W[l + 1], W[l], 2, stride=2) for l in range(n_lv - 1)])
        self.fuse = nn.ModuleList([nn.Conv2d(2 * W[l], W[l], 1) for l in range(n_lv - 1)])
        self.dec = nn.ModuleList([nn.ModuleList([blk(l) for _ in range(cfg.dec_blocks[l])]) for l in range(n_lv - 1)])
        self.head = nn.Conv2d(W[0], 3 * s * s, 3, padding=1)
        nn.init.zeros_(self.head.weight)
        nn.init.zeros_(self.head.bias)

    def moe_layers(self):
        return [m for m in self.modules() if isinstance(m, MoEFeedForward)]

    def upcycle(self, n_experts: int, jitter: float = 0.01):
        for m in self.moe_layers():
            m.upcycle(n_experts, jitter)

    def forward(self, x_t, y, t, gates, cond):
        s = self.cfg.stem
        temb = self.temb(timestep_embedding(t, self.cfg.temb_dim))
        if temb.shape[0] != x_t.shape[0]:
            temb = temb.expand(x_t.shape[0], -1)
        temb = temb + self.cond(cond)
        y_tone = self.tone(y, cond, gates)
        h = self.stem(F.pixel_unshuffle(torch.cat([x_t, y, y_tone], dim=1), s))
        skips = []
        for lvl, blocks in enumerate(self.enc):
            for b in blocks:
                h = b(h, temb, gates)
            skips.append(h)
            h = self.down[lvl](h)
        for b in self.mid:
            h = b(h, temb, gates)
        for lvl in reversed(range(len(self.dec))):
            h = self.fuse[lvl](torch.cat([self.up[lvl](h), skips[lvl]], dim=1))
            for b in self.dec[lvl]:
                h = b(h, temb, gates)
        # Residual on the tone-mapped y: the curve does the global part of the repair, the
        # net the local correction that turns it clean.
        return y_tone + F.pixel_shuffle(self.head(h), s)


# --------------------------------------------------------------------------- router
class DegradationRouter(nn.Module):
    """Degradation encoder + two-level router. Each view gives a descriptor (learned CNN features
    and hand-made statistics that name the degradations directly); the views of one image are
    pooled by mean and max, so local evidence (noise in one crop) is not averaged away."""

    N_STATS = 20

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        c = cfg.router_width
        D, K = len(cfg.degradations), cfg.subexperts
        chans = [3, c // 3, c // 2, c, c]
        layers = []
        for i in range(4):
            layers += [nn.Conv2d(chans[i], chans[i + 1], 3, stride=2, padding=1), nn.GELU()]
        self.features = nn.Sequential(*layers)
        self.desc_dim = 2 * c + self.N_STATS
        self.mlp = nn.Sequential(nn.Linear(2 * self.desc_dim, 160), nn.GELU(), nn.Linear(160, D + D * K))
        # Learned degradation embedding, the first part of the global condition `cond`.
        self.embed = nn.Sequential(nn.Linear(2 * self.desc_dim, 96), nn.GELU(), nn.Linear(96, cfg.cond_embed))
        self.D, self.K = D, K
        assert cfg.cond_dim == cfg.cond_embed + 2 * self.N_STATS, "cond_dim = embedding + whole-view and crop statistics"

    @staticmethod
    def _stats(v):
        """20 statistics per view: level and spread (low light, haze), fine-scale energy (noise,
        blur), its direction (rain streaks are near-vertical), dark channel and saturation (haze),
        share of dark pixels (low light), sharpness across scales (blur vs noise)."""
        lg = lambda z: torch.log(z + 1e-4)
        lum = v.mean(1, keepdim=True)
        lap = v[:, :, 1:-1, 1:-1] * 4 - v[:, :, :-2, 1:-1] - v[:, :, 2:, 1:-1] - v[:, :, 1:-1, :-2] - v[:, :, 1:-1, 2:]
        gx = (v[:, :, :, 1:] - v[:, :, :, :-1]).abs().mean((2, 3))
        gy = (v[:, :, 1:, :] - v[:, :, :-1, :]).abs().mean((2, 3))
        half = F.avg_pool2d(lum, 2)
        lap2 = (half[:, :, 1:-1, 1:-1] * 4 - half[:, :, :-2, 1:-1] - half[:, :, 2:, 1:-1]
                - half[:, :, 1:-1, :-2] - half[:, :, 1:-1, 2:]).abs().mean((1, 2, 3))
        lap1 = lap.mean(1).abs().mean((1, 2))
        dark = -F.max_pool2d(-v.min(1, keepdim=True).values, 7, 1, 3)
        mx, mn = v.max(1).values, v.min(1).values
        sat = ((mx - mn) / (mx + 1e-3)).mean((1, 2))
        dark_share = torch.sigmoid((0.12 - lum) * 40).mean((1, 2, 3))
        local = F.avg_pool2d(lum, 15, 1, 7, count_include_pad=False)
        contrast = (lum - local).abs().mean((1, 2, 3))
        return torch.cat([
            v.mean((2, 3)), v.std((2, 3)), lg(lap.abs().mean((2, 3))), lg(gx), lg(gy),
            dark.mean((1, 2, 3))[:, None], sat[:, None], dark_share[:, None],
            (lg(lap2) - lg(lap1))[:, None], lg(contrast)[:, None],
        ], dim=1)

    def descriptor(self, views):
        """[N,3,S,S] -> [N, desc_dim], one descriptor per view."""
        f = self.features(views * 2 - 1)
        return torch.cat([f.mean((2, 3)), f.std((2, 3)), self._stats(views)], dim=1)

    @staticmethod
    def pool(desc):
        """[n, V, F] (V views of each of n images) -> [n, 2F]: mean and max over the views."""
        return torch.cat([desc.mean(1), desc.amax(1)], dim=1)

    def condition(self, desc, pooled):
        """Global condition [n, cond_dim] from the per-view descriptors desc [n, V, F] and their
        pooling: the learned embedding, then the explicit statistics of the whole-image view
        (exposure, colour cast, veil) and the mean of the native crops' (noise level per
        channel at the pixel scale the restorer sees). V = 1 + analyze_crops views."""
        st = desc[:, :, -self.N_STATS:]
        return torch.cat([self.embed(pooled), st[:, 0], st[:, 1:].mean(1)], dim=1)

    def analyse(self, views):
        """views [n, V, 3, S, S] -> (score_logits, intra_logits, cond)."""
        n, v = views.shape[:2]
        return self.from_descriptors(self.descriptor(views.flatten(0, 1)).reshape(n, v, -1))

    def from_descriptors(self, desc):
        """desc [n, V, F] (the views' descriptors) -> (score_logits, intra_logits, cond)."""
        pooled = self.pool(desc)
        score_logits, intra_logits = self.heads(pooled)
        return score_logits, intra_logits, self.condition(desc, pooled)

    @staticmethod
    def amount(scores):
        """How much one click restores, from the presence scores (contract 2): 0 when no score
        reaches the detection threshold 0.5 ("nothing to repair"), rising to 1 at 0.75, so an
        uncertain guess is blended in, not applied in full."""
        return ((scores.amax(1) - 0.5) / 0.25).clamp(0, 1)

    def heads(self, desc):
        out = self.mlp(desc)
        score_logits = out[:, : self.D]
        intra_logits = out[:, self.D:].reshape(-1, self.D, self.K)
        return score_logits, intra_logits

    def intra_gates(self, intra_logits):
        """Softmax over each group's sub-experts, keep the top-k, renormalise (Intra-MoE)."""
        p = torch.softmax(intra_logits, dim=-1)
        kth = torch.topk(p, self.cfg.top_k, dim=-1).values[..., -1:]
        p = p * (p >= kth).to(p.dtype)
        return p / p.sum(-1, keepdim=True)

    @staticmethod
    def merge(inter, intra):
        """gates[d*K+k] = inter[d] * intra[d,k] (Inter-MoE x Intra-MoE)."""
        return (inter[:, :, None] * intra).reshape(inter.shape[0], -1)

    def inter_from_scores(self, scores):
        """Inter-MoE weights from the presence scores: inter ~ scores ** p, normalised (computed
        as a softmax of p * log(scores) so that tiny scores cannot underflow to 0/0). A high p
        gives the group the router is surest of most of the weight, while a composite (two
        groups both near 1) stays evenly mixed. The experts' weights are merged, not their
        outputs, so a blend of unrelated groups restores worse than either group. p = 5 in
        mimdit-s 1.1.0: on held-out photos p = 4..8 measured +0.2 to +0.4 dB mean over the 1.0.0
        rule (scores + 0.05) ** 2; p = 5 is the sharpest value under which every shipped sample
        still gains (a higher p lets the router's rain-for-thick-haze mistake win outright on
        the haze sample); models/MODEL_CARD.md."""
        return torch.softmax(self.cfg.inter_power * torch.log(scores + 1e-6), dim=-1)


class AnalyzeGraph(nn.Module):
    """The exported `analyze` graph: all views of one image -> scores, intra, gates, amount, cond."""

    def __init__(self, router: DegradationRouter):
        super().__init__()
        self.router = router

    def forward(self, views):
        score_logits, intra_logits, cond = self.router.analyse(views[None])
        scores = torch.sigmoid(score_logits)
        intra = self.router.intra_gates(intra_logits)
        gates = self.router.merge(self.router.inter_from_scores(scores), intra)
        return scores, intra, gates, self.router.amount(scores), cond


@torch.no_grad()
def receptive_field(cfg: ModelConfig, size: int = 512) -> int:
    """Pixels of context each side that determine an output pixel of RestoreNet (contract 2),
    measured on the graph itself: the gradient of an aligned block of outputs in the middle
    of a large input, with random weights (a trained net's zero-initialised or small weights
    could hide a dependency), in float64 so that no dependency underflows."""
    net = RestoreNet(cfg, 1).double()
    for p in net.parameters():
        p.normal_(0, 0.5)
    m = cfg.tile_multiple
    x = torch.rand(1, 3, size, size, dtype=torch.float64)
    c0 = size // 2 // m * m
    with torch.enable_grad():
        x.requires_grad_(True)
        out = net(x, x, torch.ones(1, dtype=torch.float64), torch.ones(1, 1, dtype=torch.float64),
                  torch.zeros(1, cfg.cond_dim, dtype=torch.float64))
        out[:, :, c0:c0 + m, c0:c0 + m].sum().backward()
    dep = x.grad.abs().sum((0, 1)) > 0
    rows = dep.any(1).nonzero().flatten()
    cols = dep.any(0).nonzero().flatten()
    lo, hi = int(min(rows.min(), cols.min())), int(max(rows.max(), cols.max()))
    if lo == 0 or hi == size - 1:
        raise ValueError(f"receptive field reaches the border of a {size} px probe: use a larger one")
    return max(c0 + m - 1 - lo, hi - c0)
