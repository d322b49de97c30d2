"""The wheel against the CLI built by cargo, errors, cancel, threads (make test-python)."""

import json
import re
import tempfile
import threading
import unittest
from pathlib import Path

import numpy as np

import autorestore
from helpers import REPO, cli, read_png, sample, write_png

SETTINGS = ["--device", "cpu", "--threads", "1", "--quiet"]


def layouts(rgb8, dtype):
    """The sample as gray, gray+alpha, RGB and RGBA of `dtype` (HxWxC)."""
    px = rgb8.astype(np.uint16) * 257 if dtype == np.uint16 else rgb8
    gray = px.mean(axis=2).astype(dtype)[:, :, None]
    alpha = np.linspace(0, np.iinfo(dtype).max, px.shape[1]).astype(dtype)
    alpha = np.broadcast_to(alpha, px.shape[:2])[:, :, None]
    return {1: gray, 2: np.concatenate([gray, alpha], 2), 3: px.astype(dtype),
            4: np.concatenate([px.astype(dtype), alpha], 2)}


class EngineTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.engine = autorestore.Engine(device="cpu", threads=1)
        cls.tmp = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.engine.close()
        cls.tmp.cleanup()

    def cli_restore(self, pixels, *args):
        src, dst = Path(self.tmp.name, "in.png"), Path(self.tmp.name, "out.png")
        write_png(src, pixels)
        cli("restore", src, dst, *SETTINGS, *args)
        return read_png(dst)

    def test_version_is_cargo_toml(self):
        cargo = re.search(r'^version = "(.*)"', (REPO / "Cargo.toml").read_text(), re.M)[1]
        self.assertEqual(autorestore.__version__, cargo)

    def test_onnxruntime_comes_from_the_pypi_package(self):
        maps = Path("/proc/self/maps").read_text()
        libs = {l.split()[-1] for l in maps.splitlines() if "libonnxruntime.so" in l}
        self.assertTrue(libs and all("site-packages/onnxruntime/capi/" in p for p in libs), libs)

    def test_info(self):
        info = self.engine.info
        self.assertEqual(info["device"], "cpu")
        self.assertTrue(info["model"].startswith("mimdit-s"))
        self.assertEqual(info["degradations"], ["noise", "blur", "haze", "lowlight", "rain"])

    def test_every_dtype_and_channel_count_equals_the_cli(self):
        rgb = sample()
        for dtype in (np.uint8, np.uint16):
            for c, px in layouts(rgb, dtype).items():
                with self.subTest(dtype=dtype.__name__, channels=c):
                    before = px.copy()
                    ours = self.engine.restore(px, seed=3)
                    self.assertEqual((ours.dtype, ours.shape), (px.dtype, px.shape))
                    np.testing.assert_array_equal(px, before)  # input untouched
                    np.testing.assert_array_equal(ours, self.cli_restore(px, "--seed", "3"))
                    if c in (2, 4):
                        np.testing.assert_array_equal(ours[..., -1], px[..., -1])
        # HxW gray: same as HxWx1, shape kept
        gray = layouts(rgb, np.uint8)[1]
        flat = self.engine.restore(gray[:, :, 0], mode="denoise", strength=0.7)
        self.assertEqual(flat.shape, gray.shape[:2])
        np.testing.assert_array_equal(
            flat, self.cli_restore(gray, "--mode", "denoise", "--strength", "0.7")[:, :, 0])

    def test_float32_matches_the_cli_16_bit(self):
        # The CLI has no float files: f32 in = u16 / 65535, its result quantised to 16 bits
        # equals the CLI's 16-bit result within one step of rounding.
        for c, px16 in layouts(sample(), np.uint16).items():
            with self.subTest(channels=c):
                ours = self.engine.restore((px16 / 65535).astype(np.float32))
                self.assertEqual(ours.dtype, np.float32)
                theirs = self.cli_restore(px16).astype(np.int64)
                diff = np.abs(np.round(ours * 65535).astype(np.int64) - theirs)
                self.assertLessEqual(int(diff.max()), 1)

    def test_float16_is_close_to_float32(self):
        px = (sample() / 255).astype(np.float32)
        half = self.engine.restore(px.astype(np.float16), mode="denoise")
        self.assertEqual(half.dtype, np.float16)
        full = self.engine.restore(px.astype(np.float16).astype(np.float32), mode="denoise")
        self.assertLessEqual(float(np.abs(half.astype(np.float32) - full).max()), 2e-3)

    def test_analyze_equals_the_cli_json(self):
        px = sample()
        src = Path(self.tmp.name, "an.png")
        write_png(src, px)
        theirs = json.loads(cli("analyze", src, "--json", "--device", "cpu", "--threads", "1").stdout)
        ours = self.engine.analyze(px)
        for key in ("scores", "detected", "amount", "nothing_to_repair", "gates"):
            self.assertEqual(ours[key], theirs[key], key)

    def test_errors_are_typed_and_leave_the_input_untouched(self):
        px = sample()
        before = px.copy()
        bad = {
            "int32": (px.astype(np.int32), {}),
            "5 channels": (np.zeros((8, 8, 5), np.uint8), {}),
            "empty": (np.zeros((0, 8, 3), np.uint8), {}),
            "big-endian": (px.astype(">u2"), {}),
            "not an array": ([[1, 2], [3, 4]], {}),
            "bad mode": (px, {"mode": "sharpen"}),
            "strength": (px, {"strength": 2.0}),
            "steps": (px, {"steps": 0}),
        }
        for what, (arr, kw) in bad.items():
            with self.subTest(what):
                with self.assertRaises(autorestore.InvalidArgumentError) as e:
                    self.engine.restore(arr, **kw)
                self.assertTrue(str(e.exception))
        with self.assertRaisesRegex(autorestore.InvalidArgumentError, "sharpen"):
            self.engine.restore(px, mode="sharpen")
        nan = np.full((16, 16, 3), np.nan, np.float32)
        with self.assertRaises(autorestore.InvalidArgumentError):
            self.engine.restore(nan, mode="denoise")
        np.testing.assert_array_equal(px, before)
        with self.assertRaises(autorestore.ProviderUnavailableError):
            autorestore.Engine(device="cuda")
        with self.assertRaises(autorestore.ModelError):
            autorestore.Engine(device="cpu", model_dir=self.tmp.name)

    def test_non_contiguous_views_are_copied(self):
        px = sample(96, 120)
        view = px.transpose(1, 0, 2)[::-1]  # neither row- nor pixel-packed
        np.testing.assert_array_equal(
            self.engine.restore(view), self.engine.restore(np.ascontiguousarray(view)))
        strided = np.zeros((96, 130, 3), np.uint8)
        strided[:, :120] = px
        np.testing.assert_array_equal(  # rows with padding: passed as a row stride
            self.engine.restore(strided[:, :120]), self.engine.restore(px))

    def test_cancel(self):
        px = np.tile(sample(), (5, 6, 1))  # 600 x 576: several tiles of 264
        before = px.copy()
        with autorestore.Engine(device="cpu", threads=1, tile_size=264) as e:
            seen = []
            with self.assertRaises(autorestore.CancelledError):
                e.restore(px, mode="denoise", progress=lambda f: seen.append(f) or False)
            self.assertEqual(len(seen), 1)
            calls = []
            e.restore(px, mode="denoise", progress=calls.append)  # None = go on
            self.assertGreater(len(calls), 2)

            def boom(f):
                raise KeyError("from the callback")

            with self.assertRaises(KeyError):
                e.restore(px, mode="denoise", progress=boom)
        np.testing.assert_array_equal(px, before)

    def test_two_threads_share_one_engine_and_the_gil_is_released(self):
        imgs = [sample(), np.ascontiguousarray(sample()[::-1])]
        serial = [self.engine.restore(i, mode="denoise") for i in imgs]
        results, ticks, stop = [None, None], [0], threading.Event()

        def work(k):
            results[k] = self.engine.restore(imgs[k], mode="denoise")

        def count():
            while not stop.is_set():
                ticks[0] += 1

        counter = threading.Thread(target=count)
        counter.start()
        workers = [threading.Thread(target=work, args=(k,)) for k in (0, 1)]
        for t in workers:
            t.start()
        for t in workers:
            t.join()
        stop.set()
        counter.join()
        for a, b in zip(results, serial):
            np.testing.assert_array_equal(a, b)
        self.assertGreater(ticks[0], 1000)  # Python ran while the library worked

    def test_help_reads(self):
        self.assertIn("Engine", autorestore.__doc__)
        for f in (autorestore.Engine, autorestore.Engine.restore, autorestore.Engine.analyze):
            self.assertTrue(f.__doc__ and len(f.__doc__) > 80, f)


if __name__ == "__main__":
    unittest.main()
