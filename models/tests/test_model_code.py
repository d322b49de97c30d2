"""Tests of the model code: synthesis, the Inter-MoE rule, the evaluation summary, and a short
train -> merge -> export round trip checked against ONNX Runtime.

  make test-model            # or: python -m unittest discover -s models/tests -t .

Needs the Python of models/requirements.txt (torch, onnx, onnxruntime, scipy); CI has no torch
wheel it can fetch cheaply (PyPI's brings the CUDA libraries), so this suite runs where the
model is trained.
"""
import json
import os
import tempfile
import unittest

import numpy as np
import torch
from PIL import Image

from models.autorestore_model import DEGRADATIONS, SUBTYPES, evaluate, synth
from models.autorestore_model.config import ModelConfig
from models.autorestore_model.net import DegradationRouter


def photo_batch(n=4, size=96, seed=0):
    """Smooth random 'photos' with edges: a low-frequency field plus a few rectangles."""
    g = torch.Generator().manual_seed(seed)
    x = synth.smooth_field(g, n, size, size, "cpu", cells=5).repeat(1, 3, 1, 1)
    x = x * torch.rand(n, 3, 1, 1, generator=g)
    for _ in range(6):
        y0, x0 = torch.randint(0, size - 20, (2,), generator=g).tolist()
        x[:, :, y0:y0 + 20, x0:x0 + 20] = torch.rand(n, 3, 1, 1, generator=g)
    return x.clamp(0, 1)


def laplacian_energy(x):
    lap = 4 * x[..., 1:-1, 1:-1] - x[..., :-2, 1:-1] - x[..., 2:, 1:-1] - x[..., 1:-1, :-2] - x[..., 1:-1, 2:]
    return float(lap.abs().mean())


class Synthesis(unittest.TestCase):
    def test_deterministic_for_a_seed(self):
        x = photo_batch(n=8)
        xa, xb = x.clone(), x.clone()
        a, pa = synth.degrade_batch(xa, seed=7)  # x is updated in place by the clean variants
        b, pb = synth.degrade_batch(xb, seed=7)
        c, _ = synth.degrade_batch(x.clone(), seed=8)
        self.assertTrue(torch.equal(a, b))
        self.assertTrue(torch.equal(xa, xb))
        self.assertTrue(torch.equal(pa.sub, pb.sub))
        self.assertTrue(torch.equal(pa.present, pb.present))
        self.assertFalse(torch.equal(a, c))

    def test_kernels_are_normalised_and_fit_their_window(self):
        g = torch.Generator().manual_seed(1)
        fams = {"motion": synth.motion_kernels(g, 32, "cpu"), "shake": synth.shake_kernels(g, 32, "cpu"),
                "defocus": synth.defocus_kernels(g, 32, "cpu"), "gaussian": synth.gaussian_kernels(g, 32, "cpu")}
        for name, k in fams.items():
            self.assertEqual(tuple(k.shape), (32, synth.KSIZE, synth.KSIZE), name)
            self.assertTrue(torch.allclose(k.sum((1, 2)), torch.ones(32), atol=1e-5), name)
            self.assertGreaterEqual(float(k.min()), 0.0, name)
            border = k[:, 0].sum() + k[:, -1].sum() + k[:, :, 0].sum() + k[:, :, -1].sum()
            self.assertLess(float(border) / 32, 0.01, f"{name} kernels spill out of the window")

    def test_shake_extent_follows_length(self):
        g = torch.Generator().manual_seed(2)
        short = synth.shake_kernels(g, 16, "cpu", length=(4, 4))
        long = synth.shake_kernels(g, 16, "cpu", length=(24, 24))
        support = lambda k: float((k > 1e-3).float().sum((1, 2)).mean())
        self.assertGreater(support(long), 2 * support(short))

    def test_every_type_and_subtype_degrades_as_named(self):
        x = photo_batch(n=3)
        for t, name in enumerate(DEGRADATIONS):
            for s in range(len(SUBTYPES[name])):
                y, plan = synth.degrade_batch(x, seed=10 * t + s, forced=(t, s))
                self.assertEqual(plan.present.sum().item(), 3, name)
                self.assertTrue(bool((plan.present[:, t] == 1).all()), name)
                self.assertGreaterEqual(float(y.min()), 0.0)
                self.assertLessEqual(float(y.max()), 1.0)
                self.assertGreater(float((y - x).abs().mean()), 1e-3, f"{name}/{s} left the image unchanged")
                if name == "blur":
                    self.assertLess(laplacian_energy(y), laplacian_energy(x), f"blur/{s} did not soften")
                if name == "noise":
                    self.assertGreater(laplacian_energy(y), laplacian_energy(x), f"noise/{s} added no fine detail")
                if name == "lowlight":
                    self.assertLess(float(y.mean()), float(x.mean()), f"lowlight/{s} did not darken")
                if name == "haze":
                    self.assertGreater(float(y.amin((1, 2, 3)).mean()), float(x.amin((1, 2, 3)).mean()),
                                       f"haze/{s} did not lift the blacks")

    def test_forced_composite_has_both_parts(self):
        x = photo_batch(n=2)
        y, plan = synth.degrade_batch(x, seed=3, forced=[(synth.LOWLIGHT, 0), (synth.NOISE, 0)])
        self.assertEqual(plan.present[0].tolist(), [1, 0, 0, 1, 0])
        single, _ = synth.degrade_batch(x, seed=3, forced=(synth.LOWLIGHT, 0))
        self.assertGreater(laplacian_energy(y), laplacian_energy(single))

    def test_depth_proxy_is_far_above_the_horizon(self):
        g = torch.Generator().manual_seed(4)
        d = synth.depth_proxy(g, torch.full((8, 3, 64, 64), 0.5), "cpu")
        self.assertEqual(tuple(d.shape), (8, 1, 64, 64))
        self.assertGreater(float(d[:, :, :8].mean()), float(d[:, :, -8:].mean()))


def dark_channel(x, r=3):
    """Mean of the per-pixel channel minimum over a (2r+1)^2 window (He et al.'s haze cue)."""
    return float(-torch.nn.functional.max_pool2d(-x.amin(1, keepdim=True), 2 * r + 1, 1, r).mean())


class WiderSynthesis(unittest.TestCase):
    """The camera and weather damage of synth.py: JPEG, correlated and chroma noise, fog, long
    blurs, rain, composites and the clean variants."""

    def test_jpeg_blocks_at_low_quality_and_is_faithful_at_high(self):
        x = photo_batch(n=2, size=64)
        lo = synth.jpeg(x, torch.tensor([8.0, 8.0]))
        gray = x.mean(1, keepdim=True).repeat(1, 3, 1, 1)  # no colour edges for 4:2:0 to smear
        hi = synth.jpeg(gray, torch.tensor([95.0, 95.0]))
        dx = (lo[..., :, 1:] - lo[..., :, :-1]).abs().mean((0, 1, 2))  # [W-1], index j: cols j, j+1
        at_edges = dx[7::8].mean()
        inside = torch.cat([dx[j::8] for j in range(7)]).mean()
        self.assertGreater(float(at_edges), 1.5 * float(inside), "no 8x8 blocking at quality 8")
        self.assertLess(float((hi - gray).pow(2).mean()), 1e-4)
        self.assertEqual(tuple(lo.shape), tuple(x.shape))

    def test_demosaiced_noise_is_spatially_correlated(self):
        g = torch.Generator().manual_seed(5)
        e = torch.randn(4, 3, 64, 64, generator=g)
        d = synth.demosaic_field(e)
        corr = lambda z: float((z[..., :, 1:] * z[..., :, :-1]).mean() / z.pow(2).mean())
        self.assertLess(abs(corr(e)), 0.05)
        self.assertGreater(corr(d), 0.2)
        self.assertAlmostEqual(float(d.std()), float(e.std()), delta=0.05)

    def test_chroma_blotches_are_colour_only_and_low_frequency(self):
        g = torch.Generator().manual_seed(6)
        c = synth.chroma_blotches(g, 4, 64, 64, "cpu")
        self.assertLess(float(c.mean(1).abs().max()), 1e-5, "blotches change luminance")
        white = torch.randn(4, 3, 64, 64, generator=g)
        self.assertLess(laplacian_energy(c) / float(c.abs().mean()), 0.1 * laplacian_energy(white) / float(white.abs().mean()))

    def test_poisson_sampler_has_poisson_moments(self):
        g = torch.Generator().manual_seed(7)
        for m in (0.5, 3.0, 40.0):
            s = synth.poisson(torch.full((100000,), m), g)
            self.assertAlmostEqual(float(s.mean()), m, delta=0.03 * m + 0.02)
            self.assertAlmostEqual(float(s.var()), m, delta=0.05 * m + 0.02)
            self.assertTrue(bool((s == s.round()).all()))

    def test_noise_spans_light_to_beyond_imagenet_c(self):
        g = torch.Generator().manual_seed(8)
        flat = torch.full((64, 3, 32, 32), 0.5)
        sd = (synth.gaussian_noise(g, flat) - flat).std((1, 2, 3))
        self.assertLess(float(sd.min()), 0.03)
        self.assertGreater(float(sd.max()), 0.3)
        sd = (synth.shot_noise(g, flat) - flat).std((1, 2, 3))  # ImageNet-C lambda 60..12: 0.09..0.2
        self.assertLess(float(sd.min()), 0.05)
        self.assertGreater(float(sd.max()), 0.2)

    def test_long_blurs_fit_the_window(self):
        g = torch.Generator().manual_seed(9)
        for k in (synth.motion_kernels(g, 16, "cpu", length=(35, 35)), synth.shake_kernels(g, 16, "cpu", length=(35, 35)),
                  synth.defocus_kernels(g, 16, "cpu", radius=(17, 17)), synth.gaussian_kernels(g, 16, "cpu", sigma=(5, 5))):
            self.assertTrue(torch.allclose(k.sum((1, 2)), torch.ones(16), atol=1e-5))
            border = k[:, 0].sum() + k[:, -1].sum() + k[:, :, 0].sum() + k[:, :, -1].sum()
            self.assertLess(float(border) / 16, 0.01)
            cols = (k.sum(1) > 1e-3).float().sum(1)
            rows = (k.sum(2) > 1e-3).float().sum(1)
            self.assertGreater(float(torch.maximum(cols, rows).min()), 28, "a 35 px blur came out short")

    def test_fft_convolution_matches_direct(self):
        g = torch.Generator().manual_seed(10)
        x, k = torch.rand(2, 3, 40, 50, generator=g), synth.shake_kernels(g, 2, "cpu")
        p = synth.KSIZE // 2
        xp = torch.nn.functional.pad(x.reshape(1, 6, 40, 50), (p, p, p, p), mode="reflect")
        ref = torch.nn.functional.conv2d(xp, k[:, None].repeat_interleave(3, 0).flip(-1, -2), groups=6)
        self.assertLess(float((synth.convolve(x, k) - ref.reshape(2, 3, 40, 50)).abs().max()), 1e-4)

    def test_haze_raises_the_dark_channel_and_lowers_contrast(self):
        x = photo_batch(n=4)
        for s in range(3):
            y, _ = synth.degrade_batch(x, seed=20 + s, forced=(synth.HAZE, s))
            self.assertGreater(dark_channel(y), dark_channel(x) + 0.03, f"haze/{s}")
            self.assertLess(float(y.std()), float(x.std()), f"haze/{s}")

    def test_lowlight_darkens_and_very_dark_is_darker(self):
        x = photo_batch(n=8)
        m = [float(luminance.mean()) for luminance in
             (synth.luminance(synth.degrade_batch(x, seed=30 + s, forced=(synth.LOWLIGHT, s))[0]) for s in range(3))]
        self.assertLess(max(m), 0.8 * float(synth.luminance(x).mean()))
        self.assertLess(m[1], m[0])

    def test_rain_adds_bright_streaks(self):
        x = photo_batch(n=4) * 0.6
        y, _ = synth.degrade_batch(x, seed=40, forced=(synth.RAIN, 0))
        self.assertGreaterEqual(float((y - x).min()), -1e-6)  # screen blend only brightens
        self.assertGreater(float(((y - x) > 0.1).float().mean()), 0.002)

    def test_plans_hold_pairs_and_rare_triples(self):
        g = torch.Generator().manual_seed(11)
        plan = synth.draw_plan(g, 4000, "cpu", p_clean=0.1)
        k = plan.present.sum(1)
        self.assertAlmostEqual(float((k == 0).float().mean()), 0.1, delta=0.02)
        self.assertAlmostEqual(float((k == 3).float().mean()), 0.04 * 0.9 / 0.92, delta=0.01)
        self.assertGreater(float((k == 2).float().mean()), 0.15)

    def test_clean_variants_stay_plausible_photos(self):
        x = photo_batch(n=4)
        g = torch.Generator().manual_seed(12)
        for fn in synth.CLEAN_VARIANTS:
            y = fn(g, x)
            self.assertEqual(tuple(y.shape), tuple(x.shape), fn.__name__)
            self.assertGreaterEqual(float(y.min()), 0.0, fn.__name__)
            self.assertLessEqual(float(y.max()), 1.0, fn.__name__)
        gray = synth._grayscale(g, x)
        self.assertTrue(torch.equal(gray[:, 0], gray[:, 1]) and torch.equal(gray[:, 1], gray[:, 2]))
        low = synth._low_key(g, x)
        self.assertLess(float(low.mean()), float(x.mean()))
        self.assertGreater(float(low.amax((1, 2, 3)).min()), 0.9 * float(x.amax((1, 2, 3)).min()), "low-key lost its highlights")
        ill = synth._illustration(g, x)
        self.assertLessEqual(len(torch.unique(ill[0, 0])), 11 * 3)  # posterised (levels, some edge-darkened)
        self.assertTrue(torch.equal(synth.augment_clean(g, x, p=0.0), x))
        xb = x.clone()
        synth.degrade_batch(xb, seed=1, p_augment=1.0, p_clean=1.0)
        self.assertFalse(torch.equal(xb, x), "degrade_batch did not update the clean target in place")
        xf = x.clone()
        synth.degrade_batch(xf, seed=1, forced=(synth.NOISE, 0))
        self.assertTrue(torch.equal(xf, x), "a forced (evaluation) plan changed the clean image")

class InterRule(unittest.TestCase):
    def setUp(self):
        self.router = DegradationRouter(ModelConfig())

    def test_sums_to_one_and_keeps_composites_even(self):
        s = torch.tensor([[0.95, 0.02, 0.03, 0.95, 0.01]])
        w = self.router.inter_from_scores(s)
        self.assertAlmostEqual(float(w.sum()), 1.0, places=5)
        self.assertAlmostEqual(float(w[0, 0]), float(w[0, 3]), places=5)

    def test_sharpens_towards_the_surest_group(self):
        w = self.router.inter_from_scores(torch.tensor([[0.9, 0.4, 0.1, 0.1, 0.1]]))
        self.assertGreater(float(w[0, 0]), 0.98)

    def test_tiny_scores_give_finite_weights(self):
        w = self.router.inter_from_scores(torch.full((1, 5), 1e-12))
        self.assertTrue(bool(torch.isfinite(w).all()))
        self.assertTrue(torch.allclose(w, torch.full((1, 5), 0.2)))


class EvaluationSummary(unittest.TestCase):
    def rows(self):
        rows = []
        for t in DEGRADATIONS:
            for s in SUBTYPES[t]:
                rows.append({"photo": "p", "type": t, "subtype": s, "router_top1": t,
                             "input": {"psnr": 20.0, "ssim": 0.5}, "ours_auto_1": {"psnr": 23.0, "ssim": 0.6},
                             "ours_forced_1": {"psnr": 24.0, "ssim": 0.7}, "base_x": {"psnr": 22.0, "ssim": 0.6}})
        rows[0]["router_top1"] = "rain"
        for name, _, _ in evaluate.composites():
            rows.append({"photo": "p", "type": "composite", "subtype": name, "router_top2_ok": False,
                         "input": {"psnr": 15.0, "ssim": 0.4}, "ours_auto_1": {"psnr": 16.0, "ssim": 0.5},
                         "ours_forced_1": {"psnr": 17.0, "ssim": 0.5}})
        rows.append({"photo": "p", "type": "clean", "subtype": "clean", "router_clean_ok": True,
                     "ours_auto_1": {"psnr": 35.0, "ssim": 0.95}})
        return rows

    def test_gains_router_and_composites(self):
        summ = evaluate.summarise(self.rows(), [1])
        self.assertAlmostEqual(summ["mean_gain_db"], 3.0)
        self.assertAlmostEqual(summ["router_acc_single"], 14 / 15)
        self.assertAlmostEqual(summ["composite_gain_db"], 1.0)
        self.assertEqual(summ["router_acc_composite"], 0.0)
        text = evaluate.render_table(summ)
        self.assertIn("| composite |", text)
        self.assertIn("Composites", text)
        self.assertAlmostEqual(summ["clean_fidelity_db"], 35.0)
        self.assertEqual(summ["router_clean_acc"], 1.0)
        self.assertIn("| clean | - | 35.00 / 0.950 |", text)

    def test_baselines_are_reused_only_for_identical_inputs(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "r.json")
            with open(p, "w") as f:
                json.dump({"rows": self.rows()}, f)
            reuse = evaluate.reusable_baselines(p)
            first = SUBTYPES["noise"][0]
            self.assertIn(("p", "noise", first, 20.0), reuse)
            self.assertNotIn(("p", "noise", first, 20.5), reuse)
            self.assertEqual(reuse[("p", "noise", first, 20.0)], {"base_x": {"psnr": 22.0, "ssim": 0.6}})


class ShippingRule(unittest.TestCase):
    def summary(self, gains):
        table = {t: {"input": {"psnr": 20.0}, "ours_auto_1": {"psnr": 20.0 + g}, "router_acc": 0.9}
                 for t, g in zip(DEGRADATIONS, gains)}
        return {"table": table, "best_steps": 1, "gain_db": dict(zip(DEGRADATIONS, gains)),
                "mean_gain_db": float(np.mean(gains)), "router_acc_single": 0.9}

    def test_better_on_average_and_no_type_much_worse_ships(self):
        from models.autorestore_model import compare

        before = self.summary([4, 0, 4, 8, 3])
        ship, _ = compare.decide(before, self.summary([4.5, 0.5, 4, 7.8, 3]))
        self.assertTrue(ship)
        ship, reasons = compare.decide(before, self.summary([5, 2, 4, 7.5, 3]))
        self.assertFalse(ship)
        self.assertIn("lowlight", reasons[0])
        ship, reasons = compare.decide(before, before)
        self.assertFalse(ship)
        self.assertIn("mean gain", reasons[0])
        self.assertIn("**keep the shipped model**", compare.markdown(before, before))


class TrainExportRoundTrip(unittest.TestCase):
    """A few steps of each stage on generated photos, merged, exported and checked against
    ONNX Runtime: the pipeline that produced models/shipped still runs end to end."""

    def test_round_trip(self):
        from models.autorestore_model import export, merge, train

        with tempfile.TemporaryDirectory() as d:
            data = os.path.join(d, "photos")
            os.makedirs(data)
            for i, im in enumerate(photo_batch(n=3, size=160, seed=5)):
                Image.fromarray((im.permute(1, 2, 0).numpy() * 255).astype(np.uint8)).save(os.path.join(data, f"{i}.jpg"))
            common = ["--data", data, "--batch", "2", "--crop", "64", "--threads", "2"]
            train.main(["--stage", "prior", "--steps", "3", "--out", f"{d}/prior.pt", *common])
            train.main(["--stage", "restore", "--init", f"{d}/prior.pt", "--steps", "3", "--out", f"{d}/restore.pt", *common])
            train.main(["--stage", "router", "--init", f"{d}/restore.pt", "--steps", "2", "--router-sizes", "128",
                        "--out", f"{d}/router.pt", *common])
            train.main(["--stage", "restore", "--resume", f"{d}/restore.pt", "--freeze-router", "--steps", "2",
                        "--out", f"{d}/restore2.pt", *common])
            merge.main(["--restore", f"{d}/restore2.pt", "--router", f"{d}/router.pt", "--version", "9.9.9", "--half",
                        "--out", f"{d}/final.pt"])
            merge.main(["--restore", f"{d}/restore2.pt", "--router", f"{d}/router.pt", "--blend", f"{d}/restore.pt",
                        "--blend-weight", "1", "--out", f"{d}/blend.pt"])
            blended = torch.load(f"{d}/blend.pt", weights_only=False)["net"]
            first = torch.load(f"{d}/restore.pt", weights_only=False)["net"]
            self.assertTrue(all(torch.equal(blended[k], first[k]) for k in first), "blend weight 1 is the blended net")
            manifest = export.export(f"{d}/final.pt", f"{d}/out", check=True, trained=False)
            self.assertEqual(manifest["version"], "9.9.9")
            for f in ("analyze.onnx", "restore.onnx"):
                self.assertLess(os.path.getsize(os.path.join(d, "out", f)), 16 << 20)
            with open(os.path.join(d, "out", "manifest.json")) as f:
                self.assertEqual(json.load(f)["files"], manifest["files"])


REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Contract2(unittest.TestCase):
    """What contract 2 promises of the graphs (models/README.md): the repair amount and a bounded
    receptive field, so a tile with that much context gives the whole-image result."""

    def test_amount_is_zero_below_the_detection_threshold(self):
        from models.autorestore_model.net import DegradationRouter

        a = DegradationRouter.amount(torch.tensor([[0.49, 0.1, 0.0, 0.0, 0.2], [0.6, 0.0, 0.0, 0.0, 0.0],
                                                   [0.1, 0.0, 0.9, 0.0, 0.0]]))
        self.assertEqual(a[0].item(), 0.0)
        self.assertAlmostEqual(a[1].item(), 0.4, places=5)
        self.assertEqual(a[2].item(), 1.0)

    @torch.no_grad()
    def test_a_tile_with_the_receptive_field_as_margin_is_exact(self):
        """With the shipped checkpoint's weights (random ones overflow float32 in 6 blocks)."""
        from models.autorestore_model.config import ModelConfig
        from models.autorestore_model.net import RestoreNet, receptive_field

        st = torch.load(os.path.join(REPO_ROOT, "models", "checkpoints", "mimdit-s.pt"), weights_only=False)
        cfg = ModelConfig.from_dict(st["cfg"])
        m = cfg.tile_multiple
        margin = -(-receptive_field(cfg, size=320) // m) * m
        from models.autorestore_model.train import _load_warm

        net = RestoreNet(cfg, cfg.n_gates).eval()
        _load_warm(net, {k: v.float() for k, v in st["net"].items()}, "restorer")
        x = torch.rand(1, 3, 2 * margin + 64, 2 * margin + 96, generator=torch.Generator().manual_seed(2))
        gates = torch.full((1, cfg.n_gates), 1.0 / cfg.n_gates)
        cond = torch.rand(1, cfg.cond_dim, generator=torch.Generator().manual_seed(1))
        args = lambda v: (v, v, torch.ones(1), gates, cond)
        whole = net(*args(x))
        y0, x0 = margin, margin  # multiples of the tile multiple
        tile = x[:, :, y0 - margin:y0 + 32 + margin, x0 - margin:x0 + 32 + margin]
        got = net(*args(tile))[:, :, margin:margin + 32, margin:margin + 32]
        self.assertLess((got - whole[:, :, y0:y0 + 32, x0:x0 + 32]).abs().max().item(), 1e-4)

        # and the margin is needed. How much a short context changes the result depends on the
        # weights (2.1.0: 4e-3 at 16 px, 3e-4 at 40 px, 6e-8 at 72 px, 0 from 80 px), so check a
        # short context changes it visibly and one just under the receptive field still at all.
        def error(h):
            tile = x[:, :, y0 - h:y0 + 32 + h, x0 - h:x0 + 32 + h]
            got = net(*args(tile))[:, :, h:h + 32, h:h + 32]
            return (got - whole[:, :, y0:y0 + 32, x0:x0 + 32]).abs().max().item()

        self.assertGreater(error(margin // 4 // m * m), 1e-3)
        self.assertGreater(error(margin - 2 * m), 0.0)


if __name__ == "__main__":
    unittest.main()
