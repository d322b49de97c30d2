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
    Runtime's CPU EP runs that strided reduction slowly while the convolution stays in its
    blocked NCHWc layout. The per-pixel 1/std is taken on the one-channel variance and
    multiplied in (not a Div of the full tensor), and a block passes its adaLN modulation in,
    so the norm's own affine and `* (1 + scale) + shift` are one per-channel affine applied
    once (docs/PERFORMANCE.md)."""

    def __init__(self, c: int):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(1, c, 1, 1))
        self.bias = nn.Parameter(torch.zeros(1, c, 1, 1))
        # a constant of the graph (an initializer), not a checkpoint entry
        self.register_buffer("mean_weight", torch.full((1, c, 1, 1), 1.0 / c), persistent=False)

    def affine(self, scale=None, shift=None):
        """Per-channel (a, b) such that the norm, modulated, is normalised(x) * a + b."""
        if scale is None:
            return self.weight, self.bias
        return self.weight * (1 + scale), self.bias * (1 + scale) + shift

    def normalised(self, x):
        """(x - mean) / std over the channels of each pixel, before any affine."""
        mu = F.conv2d(x, self.mean_weight)
        d = x - mu
        var = F.conv2d(d * d, self.mean_weight)
        return d * torch.rsqrt(var + 1e-5)

    def forward(self, x, scale=None, shift=None, affine=True):
        """norm(x) * (1 + scale) + shift (the plain norm without them); with affine=False the
        normalised x alone, for a caller that folds `affine(scale, shift)` into its weights."""
        if not affine:
            return self.normalised(x)
        a, b = self.affine(scale, shift)
        return self.normalised(x) * a + b


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
        c = self.proj.in_channels  # static (not x.shape), so the weight slices fold into constants
        # q, k and v each through their own slice of the qkv weights: the function of one conv
        # and a chunk, without three Slice copies of the tile; the per-head temperature scales
        # q's depthwise weights (all constants of the graph, folded at export)
        temp = self.temperature.repeat_interleave(c // self.heads, dim=1).reshape(c)
        q, k, v = (self._projection(x, i, temp if i == 0 else None) for i in range(3))
        return self.proj(v * torch.sigmoid(q * k))

    def _projection(self, x, i, scale=None):
        """The i-th third of qkv_dw(qkv(x)), times `scale` per channel if given."""
        c = self.proj.in_channels
        part = slice(i * c, (i + 1) * c)
        w_dw, b_dw = self.qkv_dw.weight[part], self.qkv_dw.bias[part]
        if scale is not None:
            w_dw, b_dw = w_dw * scale.reshape(c, 1, 1, 1), b_dw * scale
        z = F.conv2d(x, self.qkv.weight[part], self.qkv.bias[part])
        return F.conv2d(z, w_dw, b_dw, padding=1, groups=c)


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

    def forward(self, x, gates, affine=None, out_scale=None):
        """FFN(x * a + b) * out_scale for affine = (a, b) and out_scale per sample and channel
        ([B, c, 1, 1] each; the block's norm and adaLN modulation, and its gate), all folded
        into the mixed weights, which are per image anyway: the full-size tensors see none of
        those three per-channel passes."""
        b, _, hh, ww = x.shape
        c = self.c
        if torch.onnx.is_in_onnx_export():
            b = 1  # the restore graph runs one tile at a time; constant shapes let Conv take the mixed weights
        h = self.h
        w_in, b_in = self._mix(self.w_in, gates), self._mix(self.b_in, gates)  # [b, 2h, c], [b, 2h]
        if affine is not None:
            scale, shift = (t.reshape(-1, 1, c) for t in affine)
            b_in = b_in + (w_in * shift).sum(-1)
            w_in = w_in * scale
        w_dw, b_dw = self._mix(self.w_dw, gates), self._mix(self.b_dw, gates)
        w_out, b_out = self._mix(self.w_out, gates), self._mix(self.b_out, gates)  # [b, c, h], [b, c]
        if out_scale is not None:
            g = out_scale.reshape(-1, c)
            w_out, b_out = w_out * g[:, :, None], b_out * g
        # Per-sample mixed weights applied as grouped convolutions over the batch; the GELU half
        # and the gate half of the 2h channels as two convolution pairs (one pair and a channel
        # split copied both halves of the tile in the graph). One sample (the exported graph)
        # needs no reshape: a Reshape node, even an identity, is where ONNX Runtime leaves its
        # blocked layout.
        if b != 1:
            x = x.reshape(1, b * c, hh, ww)
        # ONNX Runtime blocks a depthwise convolution only when its channels are a multiple of
        # 4, so the exported graph pads each half with zero channels (46 -> 48 at the top level):
        # they add gelu(0) * 0 through zero output weights, the same function. It pays where
        # the weights are constants: a per-image session (src/engine/image_session.rs).
        hp = -(-h // 4) * 4 if torch.onnx.is_in_onnx_export() else h

        def pad(w, dim):
            """w with zeros appended along its hidden-channel axis `dim` up to hp."""
            if hp == h:
                return w
            shape = list(w.shape)
            shape[dim] = hp - h
            return torch.cat([w, w.new_zeros(shape)], dim=dim)

        def half(i):
            rows = slice(i * h, (i + 1) * h)
            wi, bi = pad(w_in[:, rows], 1), pad(b_in[:, rows], 1)
            wd, bd = pad(w_dw[:, rows], 1), pad(b_dw[:, rows], 1)
            z = F.conv2d(x, wi.reshape(b * hp, c, 1, 1), bi.reshape(b * hp), groups=b)
            return F.conv2d(z, wd.reshape(b * hp, 1, 3, 3), bd.reshape(b * hp), padding=1, groups=b * hp)

        z = F.gelu(half(0)) * half(1)
        z = F.conv2d(z, pad(w_out, 2).reshape(b * c, hp, 1, 1), b_out.reshape(b * c), groups=b)
        return z if b == 1 else z.reshape(b, c, hh, ww)


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
        x = x + g1 * self.attn(self.norm1(x, s1, b1))
        # the FFN takes norm2's affine, the modulation and the gate g2 into its mixed weights
        return x + self.ffn(self.norm2(x, affine=False), gates, self.norm2.affine(s2, b2), g2)


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
        # the hinge convolution: channel c, knot k -> output c * knots + k = y_c - edge_k
        self.register_buffer("hinge_weight", torch.ones(3 * knots, 1, 1, 1), persistent=False)
        self.register_buffer("hinge_bias", -self.edges[:knots].repeat(3), persistent=False)

    def forward(self, y, cond, gates):
        b, _, hh, ww = y.shape
        if torch.onnx.is_in_onnx_export():
            b = 1  # one tile at a time: constant shapes let Conv take the per-image coefficients
        k = self.knots
        raw = self.mlp(torch.cat([cond, gates], dim=1)).reshape(-1, 3, k + 1)
        slope = torch.exp(raw[:, :, :k].clamp(-4.0, 4.0))
        offset = raw[:, :, k] * 0.25
        # The same curve written as hinges: offset + sum_k c_k relu(y - edge_k), with c_0 the
        # first slope and c_k the change of slope at edge k. The hinges of all channels and
        # knots are one grouped convolution with a fused Relu, their weighted sum a second one,
        # so the full-size image is read once and written twice, where the segment sums made
        # some forty passes over it (docs/PERFORMANCE.md).
        coef = slope - F.pad(slope[:, :, :-1], (1, 0))
        hinges = F.relu(F.conv2d(y, self.hinge_weight, self.hinge_bias, groups=3))
        out = F.conv2d(hinges.reshape(1, b * 3 * k, hh, ww), coef.reshape(b * 3, k, 1, 1), offset.reshape(b * 3),
                       groups=b * 3)
        return out.reshape(b, 3, hh, ww)


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

    def stem_conv(self, z):
        """self.stem (a 3x3 conv over the pixel-unshuffled input) as one 3s x 3s conv of stride s
        over the full-resolution input z, with the same weights rearranged: the same function
        without the 6-D transpose of pixel_unshuffle, which ONNX Runtime ran as a full copy of
        the input (docs/PERFORMANCE.md)."""
        s = self.cfg.stem
        w = self.stem.weight  # [out, C * s * s, 3, 3]; unshuffled channel = c * s * s + i * s + j
        o, c = w.shape[0], w.shape[1] // (s * s)
        w = w.reshape(o, c, s, s, 3, 3).permute(0, 1, 4, 2, 5, 3).reshape(o, c, 3 * s, 3 * s)
        return F.conv2d(z, w, self.stem.bias, stride=s, padding=s)

    def up_fuse(self, lvl, h, skip):
        """fuse(cat(up(h), skip)) with the fuse conv's first half folded into the transposed conv
        (both linear): the same function without the concatenated copy and one convolution."""
        up, fuse = self.up[lvl], self.fuse[lvl]
        c = fuse.out_channels  # static, so the folded weights are constants of the graph
        w_up, w_skip = fuse.weight[:, :c, 0, 0], fuse.weight[:, c:]
        w = torch.einsum("imyx,om->ioyx", up.weight, w_up)
        return F.conv_transpose2d(h, w, w_up @ up.bias + fuse.bias, stride=2) + F.conv2d(skip, w_skip)

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
        h = self.stem_conv(torch.cat([x_t, y, y_tone], dim=1))
        skips = []
        for lvl, blocks in enumerate(self.enc):
            for b in blocks:
                h = b(h, temb, gates)
            skips.append(h)
            h = self.down[lvl](h)
        for b in self.mid:
            h = b(h, temb, gates)
        for lvl in reversed(range(len(self.dec))):
            h = self.up_fuse(lvl, h, skips[lvl])
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
