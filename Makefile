# AutoRestore: top-level entry points of the Rust core, the C API and the plug-ins.
#
#   make demo      set up, build, restore a shipped degraded sample, say what it found
#   make test      everything CI runs (.ci/run): test-core + the plug-ins' test-* targets
#   make bench     speed, memory and quality vs GEGL/G'MIC/OpenCV/BM3D... (bench/bench.py)
#   make install   library, header, pkg-config file, CLI, model (PREFIX=/usr/local, DESTDIR)
#
# Plug-ins add their own rules in plugin-*/ *.mk (included at the end) and hook their tests
# into `test` by appending to TEST_TARGETS (e.g. `TEST_TARGETS += test-gimp`).

PREFIX      ?= /usr/local
DESTDIR     ?=
LIBDIR      ?= $(PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include
BINDIR      ?= $(PREFIX)/bin
DATADIR     ?= $(PREFIX)/share
MODELDIR    ?= $(DATADIR)/autorestore/model
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

CARGO       ?= cargo
CC          ?= cc
PYTHON      ?= python3
ORT_VERSION ?= 1.31.1
SETUP       := .setup
ORT_LIB     := $(SETUP)/libonnxruntime.so.$(ORT_VERSION)
RELEASE     := target/release
LIB_SO      := $(RELEASE)/libautorestore.so
CLI         := $(RELEASE)/autorestore
VERSION     := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
DEMO_IN     ?= samples/demo_degraded.png
DEMO_OUT    ?= build/demo/demo_restored.png

TEST_TARGETS := test-core

.PHONY: all setup build demo test test-core test-c header bench bench-quick install uninstall clean

all: build

# --- set-up: ONNX Runtime from PyPI (Python only here, never at run time) -------------------
setup: $(ORT_LIB)

$(ORT_LIB):
	mkdir -p $(SETUP)
	$(PYTHON) -m pip download --no-deps --only-binary=:all: --platform manylinux_2_28_x86_64 \
	    --python-version 3.11 --implementation cp -d $(SETUP) onnxruntime==$(ORT_VERSION)
	cd $(SETUP) && unzip -o -j -q onnxruntime-$(ORT_VERSION)-*.whl \
	    'onnxruntime/capi/libonnxruntime.so*' 'onnxruntime/capi/libonnxruntime_providers_shared.so'
	ln -sf libonnxruntime.so.$(ORT_VERSION) $(SETUP)/libonnxruntime.so
	@test -f $@ && echo "ONNX Runtime $(ORT_VERSION): $@"

# --- build ----------------------------------------------------------------------------------
build: setup
	$(CARGO) build --release --locked

# --- demo -----------------------------------------------------------------------------------
demo: build
	@mkdir -p $(dir $(DEMO_OUT))
	@echo "== what is wrong with $(DEMO_IN)"
	$(CLI) analyze $(DEMO_IN)
	@echo "== restoring"
	$(CLI) restore $(DEMO_IN) $(DEMO_OUT)
	@echo "== result: $(DEMO_OUT) (clean reference: $(DEMO_IN:_degraded.png=_clean.png))"

# --- tests (`test: $(TEST_TARGETS)` is at the end, after the plug-ins' files) ---------------
# Rust unit + integration tests (real model, real ONNX Runtime), the header check, then the C
# program in tests/c against include/autorestore.h and the cdylib.
test-core: build
	$(CARGO) test --release --locked
	$(MAKE) test-c

test-c: $(LIB_SO)
	@mkdir -p build/tests
	$(CC) -std=c99 -Wall -Wextra -Werror -pedantic -Iinclude tests/c/test_capi.c \
	    -L$(RELEASE) -lautorestore -lpthread -lm -Wl,-rpath,'$$ORIGIN/../../$(RELEASE)' -o build/tests/test_capi
	build/tests/test_capi

# Regenerate include/autorestore.h with the pinned cbindgen (tests/header.rs checks it).
header:
	AUTORESTORE_BLESS=1 $(CARGO) test --release --test header

# --- benchmark (README "Benchmarks"): speed (examples/bench.rs) + quality vs alternatives ---
# bench/bench.py needs gegl and gmic (apt) and bench/requirements.txt (a venv in build/, made
# once; BENCH_PY=/path/to/python to use another). bench-quick is the CI sanity run.
BENCH_PY    ?= build/bench-venv/bin/python
BENCH_ARGS  ?=

bench: build | $(BENCH_PY)
	$(CARGO) run --release --locked --example bench -- --json build/bench/speed.json
	$(BENCH_PY) bench/bench.py --speed build/bench/speed.json $(BENCH_ARGS)

bench-quick: build | $(BENCH_PY)
	$(CARGO) run --release --locked --example bench -- --quick --json build/bench/speed-quick.json
	$(BENCH_PY) bench/bench.py --quick --speed build/bench/speed-quick.json

build/bench-venv/bin/python:
	$(PYTHON) -m venv build/bench-venv
	build/bench-venv/bin/pip install -q -r bench/requirements.txt || { rm -rf build/bench-venv; exit 1; }

TEST_TARGETS += bench-quick

# --- install --------------------------------------------------------------------------------
build/autorestore.pc: Makefile Cargo.toml
	@mkdir -p build
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCLUDEDIR)' \
	    'modeldir=$(MODELDIR)' '' 'Name: autorestore' \
	    'Description: All-in-one photo restoration (MoE-in-MoE diffusion transformer on ONNX Runtime)' \
	    'Version: $(VERSION)' 'Libs: -L$${libdir} -lautorestore' 'Cflags: -I$${includedir}' > $@

install: build build/autorestore.pc
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(BINDIR) \
	    $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MODELDIR)
	install -m 755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/libautorestore.so
	install -m 755 $(ORT_LIB) $(DESTDIR)$(LIBDIR)/libonnxruntime.so.$(ORT_VERSION)
	install -m 755 $(CLI) $(DESTDIR)$(BINDIR)/autorestore
	install -m 644 include/autorestore.h $(DESTDIR)$(INCLUDEDIR)/autorestore.h
	install -m 644 build/autorestore.pc $(DESTDIR)$(PKGCONFIGDIR)/autorestore.pc
	install -m 644 models/shipped/manifest.json models/shipped/analyze.onnx \
	    models/shipped/restore.onnx $(DESTDIR)$(MODELDIR)/
	@echo "installed under $(DESTDIR)$(PREFIX)"

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libautorestore.so $(DESTDIR)$(LIBDIR)/libonnxruntime.so.$(ORT_VERSION) \
	    $(DESTDIR)$(BINDIR)/autorestore $(DESTDIR)$(INCLUDEDIR)/autorestore.h \
	    $(DESTDIR)$(PKGCONFIGDIR)/autorestore.pc
	rm -rf $(DESTDIR)$(DATADIR)/autorestore

clean:
	$(CARGO) clean
	rm -rf build

# --- plug-ins (each file adds its targets and appends to TEST_TARGETS) ----------------------
-include plugin-gimp/gimp.mk
-include plugin-ofx/ofx.mk

test: $(TEST_TARGETS)
