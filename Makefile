# AutoRestore: top-level entry points of the Rust core, the C API and the plug-ins.
#
#   make demo      set up, build, restore a shipped degraded sample, say what it found
#   make test      everything CI runs (.ci/run): test-core + the plug-ins' test-* targets
#   make lint      the fast tier CI runs first: fmt, clippy, ruff, -Werror C/C++, header (README "Contributing")
#   make fuzz-smoke  each cargo-fuzz target for FUZZ_SECONDS (default 60); CI runs it after test
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

TEST_TARGETS := lint test-core

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

# --- CUDA (NVIDIA GPUs): `make setup-cuda` -------------------------------------------------
# The GPU build of ONNX Runtime and the CUDA 13 / cuDNN 9 runtime it needs, from PyPI wheels
# (versions measured together on an H200, DESIGN notes in README "GPU"); only their shared
# libraries are kept, in $(CUDA_SETUP). The engine prefers that folder when it exists and loads
# the CUDA libraries from it by full path (src/runtime.rs CUDA_SUBDIR names the folder, src/cuda.rs
# LIBS the libraries), so no LD_LIBRARY_PATH is needed. About 1.3 GB downloaded, 1.9 GB kept.
CUDA_SUBDIR := autorestore-cuda
CUDA_SETUP  := $(SETUP)/$(CUDA_SUBDIR)
CUDA_WHEELS := onnxruntime-gpu==$(ORT_VERSION) nvidia-cuda-runtime==13.2.86 nvidia-cublas==13.4.1.3 \
               nvidia-curand==10.4.5.25 nvidia-cuda-nvrtc==13.2.86 nvidia-cudnn-cu13==9.26.0.51
PIP_PLATFORM := --only-binary=:all: --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 \
               --platform manylinux2014_x86_64 --python-version 3.11 --implementation cp

.PHONY: setup-cuda test-cuda-setup bench-gpu

# $(call install_cuda_build,LIBDIR): the GPU build, if `make setup-cuda` made one, into
# LIBDIR/$(CUDA_SUBDIR), beside libautorestore.so, where its runtime search looks first.
# Used by `make install` and `make install-gimp`.
define install_cuda_build
@if [ -f "$(CUDA_SETUP)/.complete" ]; then \
  install -d "$(1)/$(CUDA_SUBDIR)" && cp -P $(CUDA_SETUP)/*.so* "$(1)/$(CUDA_SUBDIR)/" && \
  echo "installed the GPU build of ONNX Runtime ($(CUDA_SETUP)) into $(1)/$(CUDA_SUBDIR)"; \
fi
endef
GPU_RUNS ?= 5
setup-cuda: $(CUDA_SETUP)/.complete

$(CUDA_SETUP)/.complete: setup
	rm -rf $(CUDA_SETUP) $(SETUP)/cuda-wheels
	mkdir -p $(CUDA_SETUP) $(SETUP)/cuda-wheels
	$(PYTHON) -m pip download -q --no-deps $(PIP_PLATFORM) -d $(SETUP)/cuda-wheels $(CUDA_WHEELS)
	set -e; for w in $(SETUP)/cuda-wheels/*.whl; do \
	  unzip -o -j -q "$$w" '*.so*' -x '*pybind*' '*tensorrt*' '*nvblas*' -d $(CUDA_SETUP); done
	ln -sf libonnxruntime.so.$(ORT_VERSION) $(CUDA_SETUP)/libonnxruntime.so
	rm -rf $(SETUP)/cuda-wheels
	touch $@
	@echo "CUDA set up in $(CUDA_SETUP): $$(du -sh $(CUDA_SETUP) | cut -f1)"

# The CUDA set-up on this machine: the GPU build is the runtime that loads, `--device cuda`
# runs or fails with a plain reason (no driver, no device), `auto` falls back to the CPU and
# says why, and the result equals the CPU-only runtime's byte for byte. Not in `make test`
# (1.3 GB of downloads); README "GPU".
test-cuda-setup: setup-cuda build
	tests/cuda_setup.sh $(CLI) $(CUDA_SETUP) $(SETUP)/libonnxruntime.so.$(ORT_VERSION)

# The GPU figures (README "GPU (NVIDIA)"): bench/gpu_check.c through the C API on a 4K frame,
# CUDA vs the CPU, into bench/gpu.json. Needs an NVIDIA GPU; elsewhere it writes why not and fails.
bench-gpu: setup-cuda build
	@mkdir -p build/bench
	$(CC) -std=c99 -O2 -Wall -Wextra -Werror -Iinclude bench/gpu_check.c -L$(RELEASE) -lautorestore \
	    -lm -Wl,-rpath,'$$ORIGIN/../../$(RELEASE)' -o build/bench/gpu_check
	build/bench/gpu_check build/bench/gpu.json $(GPU_RUNS)
	cp build/bench/gpu.json bench/gpu.json

# --- build ----------------------------------------------------------------------------------
build: setup
	$(CARGO) build --release --locked

# The plug-ins' rules depend on these files; cargo decides what is out of date.
$(LIB_SO) $(CLI): build
	@:

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
# program in tests/c against include/autorestore.h and the cdylib, also under ASan+UBSan, and
# create/restore/destroy cycles under valgrind.
test-core: build
	$(CARGO) test --release --locked
	$(MAKE) test-c test-sanitize test-valgrind

test-c: $(LIB_SO)
	@mkdir -p build/tests
	$(CC) -std=c99 -Wall -Wextra -Werror -pedantic -Iinclude tests/c/test_capi.c \
	    -L$(RELEASE) -lautorestore -lpthread -lm -Wl,-rpath,'$$ORIGIN/../../$(RELEASE)' -o build/tests/test_capi
	build/tests/test_capi
	tests/c/app_folder.sh $(LIB_SO) $(ORT_LIB) models/shipped $(CC)

# --- hardening: sanitizers, valgrind, fuzzing (README "Reliability") ------------------------
# The C test program under AddressSanitizer + UndefinedBehaviorSanitizer (the Rust cdylib and
# ONNX Runtime are not instrumented; the C side and its use of the ABI are).
SAN_CC         ?= clang
SAN_FLAGS      ?= -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
VALGRIND       ?= valgrind
VALGRIND_CYCLES ?= 2
FUZZ_SECONDS   ?= 60
FUZZ_TARGETS   ?= capi model_load cli_decode
# cargo fuzz needs -Z flags; the stable toolchain accepts them with RUSTC_BOOTSTRAP=1.
CARGO_FUZZ     ?= RUSTC_BOOTSTRAP=1 $(CARGO) fuzz

.PHONY: test-sanitize test-valgrind fuzz-build fuzz-smoke

test-sanitize: $(LIB_SO)
	@mkdir -p build/tests
	$(SAN_CC) -std=c99 -g -O1 $(SAN_FLAGS) -Wall -Wextra -Werror -Iinclude tests/c/test_capi.c \
	    -L$(RELEASE) -lautorestore -lpthread -lm -Wl,-rpath,'$$ORIGIN/../../$(RELEASE)' \
	    -o build/tests/test_capi_san
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	LSAN_OPTIONS=suppressions=tests/c/lsan.supp:print_suppressions=0 build/tests/test_capi_san

# Create/analyze/restore/cancel/destroy cycles under memcheck: no definite or indirect leak and
# no memory error of ours (tests/c/valgrind.supp: ONNX Runtime internals and one glibc loader
# false positive, nothing of ours; leaks are never suppressed).
test-valgrind: $(LIB_SO)
	@mkdir -p build/tests
	$(CC) -std=c99 -g -O1 -Wall -Wextra -Werror -Iinclude tests/c/leak_cycles.c \
	    -L$(RELEASE) -lautorestore -lpthread -lm -Wl,-rpath,'$$ORIGIN/../../$(RELEASE)' \
	    -o build/tests/leak_cycles
	$(VALGRIND) --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect \
	    --errors-for-leak-kinds=definite,indirect --suppressions=tests/c/valgrind.supp \
	    --error-exitcode=99 --log-file=build/tests/valgrind.log \
	    build/tests/leak_cycles $(VALGRIND_CYCLES) || { cat build/tests/valgrind.log; exit 1; }
	@sed -n '/HEAP SUMMARY/,$$p' build/tests/valgrind.log | sed 's/^==[0-9]*== //'
	@grep -Eq 'definitely lost: 0 bytes|no leaks are possible' build/tests/valgrind.log
	@grep -q 'ERROR SUMMARY: 0 errors' build/tests/valgrind.log

# Each fuzz target for FUZZ_SECONDS (seeds in fuzz/seeds/, new finds in build/fuzz/corpus/,
# crashes in fuzz/artifacts/). Needs `cargo install cargo-fuzz` (.ci/run does it).
fuzz-build: setup
	$(CARGO_FUZZ) build

fuzz-smoke: fuzz-build
	@rm -rf build/fuzz/tmp && mkdir -p build/fuzz/tmp
	@set -e; for t in $(FUZZ_TARGETS); do \
	  mkdir -p build/fuzz/corpus/$$t; echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
	  TMPDIR=$(CURDIR)/build/fuzz/tmp $(CARGO_FUZZ) run $$t build/fuzz/corpus/$$t fuzz/seeds/$$t -- \
	      -max_total_time=$(FUZZ_SECONDS) -timeout=60 -rss_limit_mb=4096 -print_final_stats=1 \
	      > build/fuzz/$$t.log 2>&1 || { tail -60 build/fuzz/$$t.log; exit 1; }; \
	  grep -E '^(#[0-9]+ +(INITED|DONE)|stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb))' \
	      build/fuzz/$$t.log; \
	done

# Regenerate include/autorestore.h with the pinned cbindgen (tests/header.rs checks it).
header:
	AUTORESTORE_BLESS=1 $(CARGO) test --release --test header

# --- benchmark (README "Benchmarks"): speed (examples/bench.rs) + quality vs alternatives ---
# bench/bench.py needs gegl and gmic (apt) and bench/requirements.txt (a venv in build/, made
# once; BENCH_PY=/path/to/python to use another). bench-quick is the CI sanity run.
BENCH_PY    ?= build/bench-venv/bin/python
BENCH_ARGS  ?=
BENCH_ONNX  ?= 1.23.2
BENCH_ONNXCC ?= 1.16.0
BENCH_ORT   := build/.bench-onnxruntime-$(ORT_VERSION)-onnxcc-$(BENCH_ONNXCC)

bench: build bench-graph | $(BENCH_PY)
	$(CARGO) run --release --locked --example bench -- --json build/bench/speed.json
	$(BENCH_PY) bench/bench.py --speed build/bench/speed.json $(BENCH_ARGS)
	$(MAKE) bench-batch

# The CLI on a batch (examples/bench_batch.rs): BATCH_PHOTOS photos of BATCH_MP megapixels
# through one process with --jobs 1, one with the default jobs, and as many separate processes;
# photos/min and the ratios. Smaller for a quick look: make bench-batch BATCH_PHOTOS=4 BATCH_MP=0.5
BATCH_PHOTOS ?= 20
BATCH_MP     ?= 2
.PHONY: bench-batch
bench-batch: build
	$(CARGO) run --release --locked --example bench_batch -- $(CLI) $(BATCH_PHOTOS) $(BATCH_MP)

# The restore graph on the CPU (docs/PERFORMANCE.md): ms/MP/step per session variant on 1 and
# 2 threads against a GEMM peak measured in the same run; expert mixing once per image (a baked
# per-image session) against the current graph at 128/512/768 px tiles; int8 / fp16 / bf16
# variants against fp32; then one click on 4 MP against GEGL noise-reduction in CPU time
# (interleaved). The Python ONNX Runtime is the engine's version; onnxconverter-common is the
# fp16 conversion.
.PHONY: bench-graph
bench-graph: build $(BENCH_ORT)
	@mkdir -p build/bench
	$(BENCH_PY) bench/graph_speed.py --json build/bench/graph_speed.json
	$(BENCH_PY) bench/mixing_variants.py --json build/bench/mixing_variants.json
	$(BENCH_PY) bench/precision_variants.py --json build/bench/precision_variants.json
	$(BENCH_PY) bench/one_click_vs_gegl.py --cli $(CLI) --json build/bench/one_click_vs_gegl.json

$(BENCH_ORT): | $(BENCH_PY)
	$(BENCH_PY) -m pip install -q onnxruntime==$(ORT_VERSION) onnx==$(BENCH_ONNX) onnxconverter-common==$(BENCH_ONNXCC)
	@mkdir -p build
	touch $@

bench-quick: build | $(BENCH_PY)
	$(CARGO) run --release --locked --example bench -- --quick --json build/bench/speed-quick.json
	$(BENCH_PY) bench/bench.py --quick --speed build/bench/speed-quick.json

build/bench-venv/bin/python:
	$(PYTHON) -m venv build/bench-venv
	build/bench-venv/bin/pip install -q -r bench/requirements.txt || { rm -rf build/bench-venv; exit 1; }

TEST_TARGETS += bench-quick

# --- model code (models/tests): synthesis, the Inter-MoE rule, evaluation, train->export ------
# Needs the Python of models/requirements.txt (torch): not in `make test`, since CI cannot fetch
# a CPU torch wheel (PyPI's brings the CUDA libraries); run it where the model is trained.
MODEL_PY    ?= $(PYTHON)
.PHONY: test-model
test-model:
	$(MODEL_PY) -m unittest discover -s models/tests -t .

# --- install --------------------------------------------------------------------------------
build/autorestore.pc: Makefile Cargo.toml
	@mkdir -p build
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCLUDEDIR)' \
	    'modeldir=$(MODELDIR)' '' 'Name: autorestore' \
	    'Description: All-in-one photo restoration (MoE-in-MoE diffusion transformer on ONNX Runtime)' \
	    'Version: $(VERSION)' 'Libs: -L$${libdir} -lautorestore' 'Cflags: -I$${includedir}' > $@

# The install build bakes MODELDIR into the library as the model's last search place before the
# source tree (src/model.rs INSTALL_DIR), so an installed library finds its model wherever LIBDIR is.
install: setup build/autorestore.pc
	AUTORESTORE_INSTALL_MODEL_DIR=$(MODELDIR) $(CARGO) build --release --locked
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(BINDIR) \
	    $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MODELDIR)
	install -m 755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/libautorestore.so
	install -m 755 $(ORT_LIB) $(DESTDIR)$(LIBDIR)/libonnxruntime.so.$(ORT_VERSION)
	$(call install_cuda_build,$(DESTDIR)$(LIBDIR))
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
	rm -rf $(DESTDIR)$(DATADIR)/autorestore $(DESTDIR)$(LIBDIR)/$(CUDA_SUBDIR)

clean:
	$(CARGO) clean
	rm -rf build

# --- lint: the fast tier, first in `make test` and in CI (README "Contributing") --------------
# Cheapest first, each part its own target: formatting and clippy as errors (policy: Cargo.toml
# [lints]), ruff (policy: ruff.toml), the C/C++ compiled with warnings as errors, then the
# header against cbindgen (tests/header.rs; the release build it needs is the one `make test`
# uses next, so CI builds it once).
RUFF_VERSION ?= 0.17.5
LINT_VENV    := build/lint-venv
RUFF         ?= $(LINT_VENV)/bin/ruff
# The pinned ruff in its own venv (made once per version); RUFF=/path/to/ruff to use another.
RUFF_STAMP   := $(if $(filter $(LINT_VENV)/bin/ruff,$(RUFF)),$(LINT_VENV)/.ruff-$(RUFF_VERSION))
# The builds' own -O2, so that flow-based warnings (-Wmaybe-uninitialized...) show too.
LINT_WARN    := -O2 -Wall -Wextra -Werror -pedantic
# Library headers as system headers: -pedantic judges our code, not GIMP's or GLib's.
lint_isystem  = $(patsubst -I%,-isystem %,$(shell pkg-config --cflags $(1)))
LINT_C_PKGS  := gimp-2.0 gimpui-2.0 gegl-0.4

.PHONY: lint lint-rust lint-python lint-c lint-header
lint: lint-rust lint-python lint-c lint-header

lint-rust:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --all-targets --release --locked -- -D warnings
	# the API docs build without a broken or private link (cbindgen's header has the same text)
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --lib --locked

lint-python: $(RUFF_STAMP)
	$(RUFF) check .

$(LINT_VENV)/.ruff-$(RUFF_VERSION):
	rm -rf $(LINT_VENV)
	$(PYTHON) -m venv $(LINT_VENV)
	$(LINT_VENV)/bin/pip install -q ruff==$(RUFF_VERSION) || { rm -rf $(LINT_VENV); exit 1; }
	touch $@

# Compile only, no link (a second or two a file): the GIMP 2.10 plug-in and its test programs,
# the OFX plug-in, the C tests and bench/gpu_check.c, with the sources and defines their own
# rules use. GIMP keeps its build's -Wno-unused-parameter (GTK callbacks have fixed signatures)
# and -Wno-deprecated-declarations (GIMP 2.10's own API). Not here: plugin-gimp/src/gimp3
# (libgimp-3.0-dev is not in Debian 12; make test-gimp3 builds it in a Debian 13 root) and the
# OFX test hosts (they build against the OpenFX SDK's sources, fetched by make test-ofx).
lint-c:
	@pkg-config --exists $(LINT_C_PKGS) && command -v $(OFX_CXX) >/dev/null || { echo "lint-c needs" \
	  "libgimp2.0-dev and g++ (apt-get install -y libgimp2.0-dev g++)" >&2; exit 1; }
	@set -e; for f in $(GIMP_SRCS); do echo "cc -Werror $$f"; \
	  $(CC) -std=gnu11 $(LINT_WARN) -Wno-unused-parameter -Wno-deprecated-declarations \
	    $(call lint_isystem,$(GIMP_PKGS)) -I$(AUTORESTORE_INCLUDE) -Iplugin-gimp/src/common \
	    -Iplugin-gimp/src/ui -Iplugin-gimp/src/gimp2 -c $$f -o /dev/null; done
	@set -e; for f in plugin-gimp/tests/verdict.c plugin-gimp/tests/preview.c plugin-gimp/tests/preview-bench.c; do echo "cc -Werror $$f"; \
	  $(CC) -std=gnu11 $(LINT_WARN) $(call lint_isystem,glib-2.0) -I$(AUTORESTORE_INCLUDE) \
	    -Iplugin-gimp/src/common -c $$f -o /dev/null; done
	@echo "cc -Werror plugin-gimp/tests/imgcheck.c plugin-gimp/tests/stub/autorestore_stub.c"
	@$(CC) -std=gnu11 $(LINT_WARN) $(call lint_isystem,gegl-0.4) -c plugin-gimp/tests/imgcheck.c -o /dev/null
	@$(CC) -std=gnu11 $(LINT_WARN) -fPIC -I$(AUTORESTORE_INCLUDE) -c plugin-gimp/tests/stub/autorestore_stub.c -o /dev/null
	@set -e; for f in $(OFX_SRC); do echo "c++ -Werror $$f"; \
	  $(OFX_CXX) -std=c++17 $(LINT_WARN) -fPIC -DAR_OFX_VERSION_MAJOR=$(word 1,$(OFX_VERSION_WORDS)) \
	    -DAR_OFX_VERSION_MINOR=$(word 2,$(OFX_VERSION_WORDS)) -Iplugin-ofx/include -I$(AUTORESTORE_INCLUDE) \
	    -c $$f -o /dev/null; done
	@set -e; for f in $(wildcard tests/c/*.c) bench/gpu_check.c; do echo "cc -Werror $$f"; \
	  $(CC) -std=c99 $(LINT_WARN) -Iinclude -c $$f -o /dev/null; done

lint-header:
	$(CARGO) test --release --locked --test header

# --- plug-ins and the Python package (each file adds its targets and appends to TEST_TARGETS)
-include plugin-gimp/gimp.mk
-include plugin-ofx/ofx.mk
-include python/python.mk

test: $(TEST_TARGETS)
