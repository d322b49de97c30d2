"""Wheel metadata that pyproject.toml cannot state: the version and the platform tag.

- The version is read from the staged C header (`AUTORESTORE_VERSION`, which cbindgen writes
  from Cargo.toml), so Cargo.toml stays its one owner.
- The wheel holds a native library but no extension module (cffi ABI mode), so it fits every
  Python 3 on this platform: tag py3-none-<platform> instead of setuptools' pure-Python one.
"""

import re
import sysconfig
from pathlib import Path

from setuptools import setup
from setuptools.dist import Distribution
from setuptools.command.bdist_wheel import bdist_wheel

HEADER = Path(__file__).parent / "autorestore" / "_native" / "autorestore.h"


def version() -> str:
    if not HEADER.is_file():
        raise SystemExit(f"{HEADER} is missing: build the wheel with `make wheel`")
    m = re.search(r'^#define AUTORESTORE_VERSION "([^"]+)"', HEADER.read_text(), re.M)
    if not m:
        raise SystemExit(f"no AUTORESTORE_VERSION in {HEADER}")
    return m.group(1)


class BinaryDistribution(Distribution):
    def has_ext_modules(self) -> bool:
        return True


class PlatformWheel(bdist_wheel):
    def get_tag(self):
        return "py3", "none", sysconfig.get_platform().replace("-", "_").replace(".", "_")


setup(version=version(), distclass=BinaryDistribution, cmdclass={"bdist_wheel": PlatformWheel})
