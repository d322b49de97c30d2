"""examples/ray_batch.py on a local 2-CPU Ray cluster: outputs equal the CLI's; the run prints
its throughput against `autorestore restore` per file on the same photos (the benchmark)."""

import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

import numpy as np

from helpers import REPO, cli, read_png

PHOTOS = sorted((REPO / "bench" / "inputs").glob("*/*.png"))[:6]


class RayExampleTest(unittest.TestCase):
    def test_outputs_equal_the_cli_and_throughput(self):
        self.assertEqual(len(PHOTOS), 6)
        with tempfile.TemporaryDirectory() as tmp:
            src, out, ref = Path(tmp, "in"), Path(tmp, "out"), Path(tmp, "cli")
            src.mkdir(), ref.mkdir()
            for p in PHOTOS:
                shutil.copy(p, src / p.name)
            t0 = time.perf_counter()
            run = subprocess.run(
                [sys.executable, str(REPO / "examples" / "ray_batch.py"), str(src), str(out),
                 "--local-cpus", "2", "--concurrency", "2", "--num-cpus", "1"],
                capture_output=True, text=True, timeout=600)
            ray_wall = time.perf_counter() - t0
            self.assertEqual(run.returncode, 0, run.stderr[-3000:])
            line = [l for l in run.stdout.splitlines() if l.startswith("restored ")][-1]
            self.assertIn("restored 6 of 6", line)
            t0 = time.perf_counter()
            for p in PHOTOS:  # one process per photo, as a shell loop over the CLI would
                cli("restore", p, ref / p.name, "--device", "cpu", "--threads", "1", "--quiet")
            cli_wall = time.perf_counter() - t0
            for p in PHOTOS:
                np.testing.assert_array_equal(read_png(out / p.name), read_png(ref / p.name))
            ray_s = float(re.search(r"in ([\d.]+) s", line)[1])
            print(f"\nbench ({len(PHOTOS)} photos of 320 px): ray example {line}; "
                  f"whole ray process {ray_wall:.2f} s; CLI per file, 1 thread, serial "
                  f"{cli_wall:.2f} s = {len(PHOTOS) / cli_wall:.3f} photos/s; "
                  f"ray/CLI throughput ratio {cli_wall / ray_s:.2f}x "
                  f"(with Ray start-up {cli_wall / ray_wall:.2f}x)", file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
