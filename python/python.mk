# Python package (python/): wheel and tests. Included from the top-level Makefile
# (`-include python/python.mk`); every path is relative to the repository root.
#
#   make wheel        dist/autorestore-<version>-py3-none-<platform>.whl: the package with
#                     libautorestore.so, the C header its cffi binding reads, and the model
#   make test-python  build the wheel, install it into a fresh venv (with python/requirements-
#                     test.txt: numpy, cffi, onnxruntime, pypng, Pillow, ray[data]) and run
#                     python/tests: every dtype/channel count against the CLI byte for byte,
#                     errors, cancel, threads, and examples/ray_batch.py on a local Ray cluster
#
# PyPI is read once into build/python/wheelhouse (pip download; later runs install from there
# with --no-index), so a CI rerun does not download again; delete the folder to refresh it.

PY_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

PY_BUILD      := build/python
PY_STAGE      := $(PY_BUILD)/stage
PY_WHEELHOUSE := $(PY_BUILD)/wheelhouse
PY_TOOLS      := $(PY_BUILD)/tools-venv
PY_TEST_VENV  := $(PY_BUILD)/test-venv
PY_REQS       := python/requirements-test.txt
PY_SOURCES    := $(wildcard python/autorestore/*.py) python/autorestore/py.typed \
                 python/pyproject.toml python/setup.py python/README.md
PY_MODEL      := $(addprefix models/shipped/,manifest.json analyze.onnx restore.onnx)
WHEEL         := dist/autorestore-$(VERSION)-py3-none-linux_x86_64.whl
PIP_OFFLINE   := --no-index --find-links $(abspath $(PY_WHEELHOUSE)) -q

.PHONY: wheel test-python

$(PY_WHEELHOUSE)/.stamp: $(PY_REQS)
	mkdir -p $(PY_WHEELHOUSE)
	$(PYTHON) -m pip download -q -d $(PY_WHEELHOUSE) -r $(PY_REQS)
	touch $@

$(PY_TOOLS)/.stamp: $(PY_WHEELHOUSE)/.stamp
	rm -rf $(PY_TOOLS)
	$(PYTHON) -m venv $(PY_TOOLS)
	$(PY_TOOLS)/bin/pip install $(PIP_OFFLINE) $$(grep '^setuptools==' $(PY_REQS))
	touch $@

# The stage is made afresh each time, so a file removed from python/ leaves the wheel too.
$(WHEEL): $(PY_SOURCES) $(LIB_SO) include/autorestore.h $(PY_MODEL) $(PY_TOOLS)/.stamp
	rm -rf $(PY_STAGE) && mkdir -p $(PY_STAGE)/autorestore/_native/model dist
	cp python/pyproject.toml python/setup.py python/README.md $(PY_STAGE)/
	cp python/autorestore/*.py python/autorestore/py.typed $(PY_STAGE)/autorestore/
	cp $(LIB_SO) include/autorestore.h $(PY_STAGE)/autorestore/_native/
	cp $(PY_MODEL) $(PY_STAGE)/autorestore/_native/model/
	rm -f dist/autorestore-*.whl
	cd $(PY_STAGE) && $(abspath $(PY_TOOLS))/bin/pip wheel -q --no-deps --no-build-isolation \
	    -w $(abspath dist) .
	@test -f $@ && echo "wheel: $@"

wheel: $(WHEEL)

# A fresh venv per run: what the tests import is what `pip install` of the wheel gives.
test-python: $(WHEEL) $(CLI) $(PY_WHEELHOUSE)/.stamp
	rm -rf $(PY_TEST_VENV)
	$(PYTHON) -m venv $(PY_TEST_VENV)
	$(PY_TEST_VENV)/bin/pip install $(PIP_OFFLINE) $(WHEEL) -r $(PY_REQS)
	cd $(PY_BUILD) && AUTORESTORE_CLI=$(abspath $(CLI)) AUTORESTORE_REPO=$(CURDIR) \
	    $(abspath $(PY_TEST_VENV))/bin/python -m unittest discover -v \
	    -s $(CURDIR)/python/tests -t $(CURDIR)/python/tests

TEST_TARGETS += test-python

.DEFAULT_GOAL := $(PY_SAVED_DEFAULT_GOAL)
