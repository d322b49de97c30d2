"""Tests of the evaluations: the shipping rule's clean-photo check, the clean-photo and
corruption summaries on fake numbers, the ImageNet-C corruption wrapper, and 64 px end-to-end
runs of evaluate.py and eval_external.py on one photo (the shipped model through ONNX Runtime).

  python -m unittest discover -s models/tests -t .
"""
import json
import os
import tempfile
import unittest

import numpy as np

from models.autorestore_model import DEGRADATIONS, baselines, compare, eval_external, evaluate

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = os.path.join(ROOT, "models", "shipped")
PHOTOS = os.path.join(ROOT, "data", "photos", "eval")
HAVE_MODEL = os.path.exists(os.path.join(MODEL, "restore.onnx")) and os.path.isdir(PHOTOS)


def load(path):
    with open(path) as f:
        return json.load(f)


def summary(gains, clean=None):
    table = {t: {"input": {"psnr": 20.0}, "ours_auto_1": {"psnr": 20.0 + g}, "router_acc": 0.9}
             for t, g in zip(DEGRADATIONS, gains)}
    s = {"table": table, "best_steps": 1, "gain_db": dict(zip(DEGRADATIONS, gains)),
         "mean_gain_db": float(np.mean(gains)), "router_acc_single": 0.9}
    if clean is not None:
        s["clean"] = {v: {"n": 4, "mean": m, "min": mn, "nothing_to_repair_share": 0.5} for v, (m, mn) in clean.items()}
    return s


class CleanShippingRule(unittest.TestCase):
    before = dict(colour=(40.0, 30.0), gray=(42.0, 31.0))

    def test_within_tolerance_ships(self):
        after = dict(colour=(39.96, 29.96), gray=(42.5, 31.0))
        ship, reasons = compare.decide(summary([4, 0, 4, 8, 3], self.before), summary([5, 1, 4, 8, 3], after))
        self.assertTrue(ship, reasons)
        self.assertIn("**ship**", compare.markdown(summary([4, 0, 4, 8, 3], self.before), summary([5, 1, 4, 8, 3], after)))

    def test_lower_mean_or_min_keeps_the_shipped_model(self):
        b = summary([4, 0, 4, 8, 3], self.before)
        for after, what in ((dict(colour=(39.9, 30.0), gray=(42.0, 31.0)), "clean colour photos: mean"),
                            (dict(colour=(40.0, 30.0), gray=(43.0, 30.9)), "clean gray photos: min")):
            a = summary([5, 1, 4, 8, 3], after)
            ship, reasons = compare.decide(b, a)
            self.assertFalse(ship)
            self.assertEqual(len(reasons), 1, reasons)
            self.assertIn(what, reasons[0])
            text = compare.markdown(b, a)
            self.assertIn("**keep the shipped model**", text)
            self.assertIn(what, text)
            self.assertIn("| clean colour: mean PSNR |", text)

    def test_missing_clean_results(self):
        # candidate without its gray photos, reference without clean results: not shipped
        ship, reasons = compare.decide(summary([4, 0, 4, 8, 3], self.before),
                                       summary([5, 1, 4, 8, 3], dict(colour=(41.0, 31.0))))
        self.assertFalse(ship)
        self.assertIn("gray", reasons[0])
        ship, reasons = compare.decide(summary([4, 0, 4, 8, 3]), summary([5, 1, 4, 8, 3], self.before))
        self.assertFalse(ship)
        self.assertIn("reference", reasons[0])
        # two evaluations of the older format: the check is not possible, and the verdict says so
        ship, _ = compare.decide(summary([4, 0, 4, 8, 3]), summary([5, 1, 4, 8, 3]))
        self.assertTrue(ship)
        self.assertIn("not measured", compare.markdown(summary([4, 0, 4, 8, 3]), summary([5, 1, 4, 8, 3])))


class CleanStats(unittest.TestCase):
    def test_per_photo_mean_min_and_share(self):
        rows = []
        for p, (c, g) in {"a": (99.0, 40.0), "b": (35.0, 99.0), "c": (45.0, 38.0)}.items():
            for variant, v in (("colour", c), ("gray", g)):
                rows.append({"photo": p, "type": "clean", "subtype": variant, "router_clean_ok": v == 99.0,
                             "nothing_to_repair": v == 99.0, "amount": 0.0 if v == 99.0 else 0.7,
                             "ours_auto_1": {"psnr": v, "ssim": 1.0}})
        st = evaluate.clean_stats(rows, 1)
        self.assertAlmostEqual(st["colour"]["mean"], (99 + 35 + 45) / 3)
        self.assertEqual(st["colour"]["min"], 35.0)
        self.assertEqual(st["gray"]["min"], 38.0)
        self.assertAlmostEqual(st["colour"]["nothing_to_repair_share"], 1 / 3)
        self.assertEqual(st["all"]["n"], 6)
        self.assertEqual(st["gray"]["per_photo"]["b"]["nothing_to_repair"], True)
        text = evaluate.render_clean(st, 1)
        self.assertIn("| a | unchanged | 0.00 | 40.00 | 0.70 |", text)
        self.assertIn("| **min** | 35.00 |  | 38.00 |  |", text)

    def test_gray_is_8bit_luma_in_three_channels(self):
        img = np.random.default_rng(0).random((8, 8, 3)).astype(np.float32)
        g = evaluate.to_gray(img)
        self.assertEqual(g.shape, img.shape)
        self.assertTrue(np.array_equal(g[..., 0], g[..., 2]))
        self.assertTrue(np.allclose(g * 255, np.round(g * 255), atol=1e-4))

    def test_alternatives_take_cached_results(self):
        y = np.full((16, 16, 3), 0.5, np.float32)
        cached = {"base_dark_channel": {"psnr": 1.0, "ssim": 0.1}}
        out = evaluate.alternatives(y, y, "haze", cached, cli=False)
        self.assertEqual(out, cached)


def fake_external_rows():
    rows = []
    for p in ("a", "b"):
        for c, t in eval_external.CORRUPTIONS.items():
            for s in (1, 2):
                base = 20.0 - s
                rows.append({"photo": p, "corruption": c, "severity": s, "type": t, "router_top1": t,
                             "router_ok": not (c == "fog" and p == "a"), "nothing_to_repair": c == "motion_blur",
                             "amount": 1.0, "input": {"psnr": base, "ssim": 0.5},
                             "ours_auto": {"psnr": base + 3, "ssim": 0.7}, "ours_forced": {"psnr": base + 4, "ssim": 0.7},
                             "gegl_x": {"psnr": base + 1, "ssim": 0.6}, "gmic_y": {"psnr": base + 2 + s, "ssim": 0.6},
                             "base_z": {"psnr": base + 2.5, "ssim": 0.6}})
    return rows


class CorruptionSummary(unittest.TestCase):
    def test_means_bests_and_margins(self):
        sm = eval_external.summarise(fake_external_rows())
        self.assertEqual(list(sm["corruptions"]), list(eval_external.CORRUPTIONS))
        g = sm["corruptions"]["gaussian_noise"]
        self.assertEqual(g["all"]["n"], 4)
        self.assertAlmostEqual(g["all"]["input"]["psnr"], 18.5)
        self.assertAlmostEqual(g["all"]["gain_db"], 3.0)
        self.assertEqual(g["all"]["best_filter"]["method"], "gmic_y")   # 18.5 + 2 + 1.5
        self.assertEqual(g["all"]["best_classical"]["method"], "base_z")
        self.assertAlmostEqual(g["all"]["margin_db"], 3.0 - 3.5)
        self.assertAlmostEqual(g["severity"]["1"]["margin_db"], 0.0)     # gmic_y = base + 3 = ours
        self.assertAlmostEqual(g["severity"]["2"]["margin_db"], -1.0)
        self.assertAlmostEqual(sm["corruptions"]["fog"]["all"]["router_acc"], 0.5)
        self.assertAlmostEqual(sm["corruptions"]["motion_blur"]["all"]["nothing_to_repair_share"], 1.0)
        self.assertAlmostEqual(sm["mean_gain_db"], 3.0)
        self.assertAlmostEqual(sm["router_acc"], 18 / 20)
        text = eval_external.render(sm)
        self.assertIn("#### fog (type haze; 4 images)", text)
        self.assertIn("| all | 18.50 / 0.500 | 21.50 / 0.700 | 22.50 / 0.700 | gmic_y 22.00 | z 21.00 | -0.50 | 100% | 0% |", text)
        self.assertIn("| 2 |", text)

    def test_corrupt_is_seeded_8bit_and_leaves_numpy_alone(self):
        img = np.asarray(np.random.default_rng(1).integers(0, 256, (48, 40, 3)), np.float32) / 255
        np.random.seed(123)
        before = np.random.get_state()[1].copy()
        for name in eval_external.CORRUPTIONS:
            a = eval_external.corrupt(img, name, 2, seed=5)
            b = eval_external.corrupt(img, name, 2, seed=5)
            self.assertEqual(a.shape, img.shape, name)
            self.assertTrue(np.array_equal(a, b), name)
            self.assertTrue(np.allclose(a * 255, np.round(a * 255), atol=1e-4), name)
            self.assertGreater(float(np.abs(a - img).mean()), 1e-3, f"{name} left the image unchanged")
        self.assertTrue(np.array_equal(before, np.random.get_state()[1]))
        with self.assertRaises(ValueError):
            eval_external.corrupt(img[:20], "fog", 1, seed=0)


@unittest.skipUnless(HAVE_MODEL, "needs models/shipped and data/photos/eval")
class EndToEnd64(unittest.TestCase):
    def test_external_on_one_photo_and_reuse(self):
        cli = baselines.cli_available()
        with tempfile.TemporaryDirectory() as d:
            args = ["--model", MODEL, "--photo-dir", PHOTOS, "--photos", "1", "--crop", "64", "--severities", "1",
                    "--corruptions", "gaussian_noise,fog", "--no-bm3d"] + ([] if cli else ["--no-cli"])
            self.assertEqual(eval_external.main(args + ["--json", f"{d}/a.json"]), 0)
            first = load(f"{d}/a.json")
            rows = first["rows"]
            self.assertEqual(len(rows), 2)
            for r in rows:
                for m in ("input", "ours_auto", "ours_forced"):
                    self.assertTrue(0 < r[m]["psnr"] <= 99 and -1 <= r[m]["ssim"] <= 1, (m, r[m]))
                self.assertTrue(any(k.startswith("base_") for k in r))
                if cli:
                    self.assertTrue(any(k.startswith(("gegl_", "gmic_")) for k in r))
                if r["nothing_to_repair"]:
                    self.assertEqual(r["ours_auto"]["psnr"], 99.0)
            self.assertIn("gaussian_noise", first["summary"]["corruptions"])
            self.assertEqual(eval_external.main(args + ["--json", f"{d}/b.json", "--reuse-baselines", f"{d}/a.json"]), 0)
            second = load(f"{d}/b.json")
            self.assertEqual(second["summary"]["reused_rows"], 2)
            for r1, r2 in zip(rows, second["rows"]):
                self.assertEqual(r1["input"], r2["input"])
                for k in r1:
                    if baselines.is_alternative(k):
                        self.assertEqual(r1[k], r2[k])

    def test_evaluate_on_one_photo(self):
        with tempfile.TemporaryDirectory() as d:
            evaluate.main(["--model", MODEL, "--photos", PHOTOS, "--max-photos", "1", "--crop", "64", "--steps", "1",
                           "--no-bm3d", "--no-cli", "--json", f"{d}/e.json"])
            doc = load(f"{d}/e.json")
            s = doc["summary"]
            self.assertEqual(set(s["gain_db"]), set(DEGRADATIONS))
            self.assertEqual(set(s["clean"]), {"colour", "gray", "all"})
            for v in ("colour", "gray"):
                self.assertEqual(len(s["clean"][v]["per_photo"]), 1)
            clean = [r for r in doc["rows"] if r["type"] == "clean"]
            self.assertEqual(len(clean), 2)
            for r in clean:
                if r["nothing_to_repair"]:
                    self.assertEqual(r["ours_auto_1"]["psnr"], 99.0)
            self.assertIn(DEGRADATIONS[0], s["best_baseline"])
            self.assertIn("Clean photos through one click", evaluate.render_table(s))
            ship, _ = compare.decide(s, s)
            self.assertFalse(ship)  # same mean gain is not higher


if __name__ == "__main__":
    unittest.main()
