# GIMP 2.10 plug-in (plugin-gimp/, issue 4). Included by the top-level Makefile; all paths are
# relative to the repository root. Standalone: make -f plugin-gimp/gimp.mk <target>.
#
#   gimp-plugin     build build/gimp/autorestore/ (the install layout: binary, lib/, model/)
#   install-gimp    install the plug-in for each GIMP found here (GIMP_VERSIONS, detected:
#                   2.10 -> install-gimp2, 3.0 -> install-gimp3 in plugin-gimp/gimp3.mk)
#   install-gimp2   copy build/gimp/autorestore/ to $(GIMP_PLUGIN_DIR)/autorestore/
#   uninstall-gimp  remove the plug-in(s) from there (and from $(GIMP3_PLUGIN_DIR))
#   test-gimp       headless tests in a real GIMP (gimp-console-2.10) with the real library
#   test-gimp-stub  the same tests with a stub library (plumbing only; no model, no ORT)
#   bench-gimp-preview  where the time to a first 512x512 preview goes (variants interleaved)
#   test-gimp-gui   dialog, preview, Help, remembered values and Cancel in the GIMP 2.10 UI on
#                   Xvfb (stub library; needs xvfb xdotool x11-apps, which .ci/run installs;
#                   about 1 min; part of `make test`)
#
# Needs `apt-get install -y gimp libgimp2.0-dev` and, for the real library, `make build`.

# Keep the including Makefile's default goal, wherever the include line sits.
GIMP_SAVED_DEFAULT_GOAL := $(or $(.DEFAULT_GOAL),gimp-plugin)

GIMP_PKGS        = gimp-2.0 gimpui-2.0
GIMP_CFLAGS      = $(shell pkg-config --cflags $(GIMP_PKGS))
GIMP_LDLIBS      = $(shell pkg-config --libs $(GIMP_PKGS)) -lm
GIMP_WARN        = -std=gnu11 -O2 -g -Wall -Wextra -Wno-unused-parameter -Wno-deprecated-declarations
GEGL_CFLAGS      = $(shell pkg-config --cflags gegl-0.4)
GEGL_LDLIBS      = $(shell pkg-config --libs gegl-0.4) -lm

# What the plug-in is built against and carries (same names and defaults as plugin-ofx/ofx.mk).
AUTORESTORE_INCLUDE ?= include
AUTORESTORE_LIB     ?= target/release/libautorestore.so
GIMP_ORT_LIB        ?= $(firstword $(wildcard .setup/libonnxruntime.so .setup/lib/libonnxruntime.so \
                         .setup/libonnxruntime.so.* .setup/lib/libonnxruntime.so.* \
                         .setup/*/libonnxruntime.so.* .setup/*/*/libonnxruntime.so.*))
GIMP_MODEL_DIR      ?= models/shipped
GIMP_MODEL_FILES     = analyze.onnx restore.onnx manifest.json

GIMP_BUILD      ?= build/gimp
GIMP_STAGE       = $(GIMP_BUILD)/autorestore
GIMP_PLUGIN_DIR ?= $(or $(XDG_CONFIG_HOME),$(HOME)/.config)/GIMP/2.10/plug-ins

GIMP_SRCS        = $(wildcard plugin-gimp/src/common/*.c plugin-gimp/src/ui/*.c plugin-gimp/src/gimp2/*.c)
GIMP_HDRS        = $(wildcard plugin-gimp/src/common/*.h plugin-gimp/src/ui/*.h plugin-gimp/src/gimp2/*.h)

.PHONY: gimp-plugin install-gimp install-gimp2 uninstall-gimp test-gimp test-gimp-stub test-gimp-gui clean-gimp \
        gimp-check-deps gimp-stub bench-gimp-preview

# `make test` (top-level Makefile) runs the GIMP tests too.
TEST_TARGETS += test-gimp test-gimp-gui

# Which GIMPs are installed here: 2.10 (gimptool-2.0, gimp-2.10 or libgimp2.0-dev) and/or 3.0
# (gimp-3.0, gimp-console-3.0 or libgimp-3.0-dev). `make install-gimp GIMP_VERSIONS=3.0` overrides.
gimp_found = $(shell for c in $(1); do command -v $$c; done 2>/dev/null; pkg-config --exists $(2) 2>/dev/null && echo yes)
ifeq ($(origin GIMP_VERSIONS),undefined)
GIMP_VERSIONS := $(strip $(if $(call gimp_found,gimptool-2.0 gimp-2.10 gimp-console-2.10,gimp-2.0),2.10) \
                         $(if $(call gimp_found,gimptool-3.0 gimp-3.0 gimp-console-3.0,gimp-3.0),3.0))
endif

# $(call gimp_stage_payload,STAGE): the binary finds STAGE/lib through its rpath ($ORIGIN/lib)
# and the library finds lib/libonnxruntime.so beside itself and STAGE/model as its ../model/
# (src/model.rs search_dirs); the dialogs' Help opens STAGE/help/index.html.
# Shared by the 2.10 and 3 builds.
define gimp_stage_payload
mkdir -p $(1)/lib $(1)/model $(1)/help
cp -f $(AUTORESTORE_LIB) $(1)/lib/libautorestore.so
cp -f plugin-gimp/help/index.html $(1)/help/index.html
@if [ -n "$(GIMP_ORT_LIB)" ] && [ -f "$(GIMP_ORT_LIB)" ]; then \
  echo "cp $(GIMP_ORT_LIB) -> $(1)/lib/libonnxruntime.so"; \
  cp -fL "$(GIMP_ORT_LIB)" $(1)/lib/libonnxruntime.so; \
else \
  echo "warning: no ONNX Runtime library (run make setup); the plug-in will search for one" >&2; \
fi
@if [ -f "$(GIMP_MODEL_DIR)/manifest.json" ]; then \
  for f in $(GIMP_MODEL_FILES); do cp -f "$(GIMP_MODEL_DIR)/$$f" $(1)/model/ || exit 1; done; \
  echo "cp $(GIMP_MODEL_DIR)/{$(GIMP_MODEL_FILES)} -> $(1)/model/"; \
else \
  rmdir $(1)/model 2>/dev/null || true; \
  echo "warning: no model in $(GIMP_MODEL_DIR); the plug-in will search for one" >&2; \
fi
endef

gimp-plugin: $(GIMP_STAGE)/autorestore
	$(call gimp_stage_payload,$(GIMP_STAGE))

$(GIMP_STAGE)/autorestore: $(GIMP_SRCS) $(GIMP_HDRS) \
    $(wildcard $(AUTORESTORE_INCLUDE)/autorestore.h $(AUTORESTORE_LIB)) | gimp-check-deps
	@mkdir -p $(@D)
	$(CC) $(GIMP_WARN) $(CFLAGS) $(GIMP_CFLAGS) -I$(AUTORESTORE_INCLUDE) \
	  -Iplugin-gimp/src/common -Iplugin-gimp/src/ui -Iplugin-gimp/src/gimp2 -o $@ $(GIMP_SRCS) \
	  -L$(dir $(AUTORESTORE_LIB)) -lautorestore -Wl,-rpath,'$$ORIGIN/lib' $(LDFLAGS) $(GIMP_LDLIBS)

gimp-check-deps:
	@pkg-config --exists $(GIMP_PKGS) || { echo "plugin-gimp: libgimp2.0-dev is missing" \
	  "(apt-get install -y gimp libgimp2.0-dev)" >&2; exit 1; }
	@test -f $(AUTORESTORE_LIB) || { echo "plugin-gimp: $(AUTORESTORE_LIB) is missing" \
	  "(run make build)" >&2; exit 1; }

install-gimp: $(if $(filter 2.10,$(GIMP_VERSIONS)),install-gimp2) $(if $(filter 3.0,$(GIMP_VERSIONS)),install-gimp3)
	@test -n "$(GIMP_VERSIONS)" || { echo "install-gimp: no GIMP found (neither gimp-2.10 nor" \
	  "gimp-3.0); set GIMP_VERSIONS=2.10 or 3.0 to build anyway" >&2; exit 1; }

# One install rule for both versions: each copies its stage folder to its plug-ins folder.
install-gimp2: gimp-plugin
install-gimp2: GIMP_INSTALL_FROM = $(GIMP_STAGE)
install-gimp2: GIMP_INSTALL_TO = $(GIMP_PLUGIN_DIR)
install-gimp2: GIMP_INSTALL_NAME = GIMP 2.10
install-gimp2 install-gimp3:
	@mkdir -p "$(GIMP_INSTALL_TO)"
	rm -rf "$(GIMP_INSTALL_TO)/autorestore"
	cp -a $(GIMP_INSTALL_FROM) "$(GIMP_INSTALL_TO)/autorestore"
	@# the GPU build (Makefile install_cuda_build); at install only: 1.9 GB would slow every test stage
	$(call install_cuda_build,$(GIMP_INSTALL_TO)/autorestore/lib)
	@echo "installed into $(GIMP_INSTALL_TO)/autorestore (restart $(GIMP_INSTALL_NAME): Filters > Enhance > Auto Restore...)"

uninstall-gimp: uninstall-gimp3
	rm -rf "$(GIMP_PLUGIN_DIR)/autorestore"

$(GIMP_BUILD)/imgcheck: plugin-gimp/tests/imgcheck.c
	@mkdir -p $(@D)
	$(CC) $(GIMP_WARN) $(GEGL_CFLAGS) -o $@ $< $(GEGL_LDLIBS)

# The dialogs' analysis verdict (src/common, shared by 2.10 and 3) against the real library.
GIMP_COMMON_SRCS = $(wildcard plugin-gimp/src/common/*.c)
$(GIMP_BUILD)/verdict: plugin-gimp/tests/verdict.c $(GIMP_COMMON_SRCS) plugin-gimp/src/common/ar_common.h \
                       $(AUTORESTORE_INCLUDE)/autorestore.h $(AUTORESTORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(GIMP_WARN) $(shell pkg-config --cflags glib-2.0) -I$(AUTORESTORE_INCLUDE) \
	  -Iplugin-gimp/src/common -o $@ plugin-gimp/tests/verdict.c $(GIMP_COMMON_SRCS) \
	  -L$(dir $(AUTORESTORE_LIB)) -lautorestore \
	  -Wl,-rpath,$(abspath $(dir $(AUTORESTORE_LIB))) $(shell pkg-config --libs glib-2.0) -lm

# The dialogs' preview (src/common/ar_preview.c) against the real library: quick view first,
# then exact, one analysis, newer cancels older, first-preview latency (preview); where the
# first preview's time goes, variants interleaved (preview-bench: make bench-gimp-preview).
$(GIMP_BUILD)/preview $(GIMP_BUILD)/preview-bench: $(GIMP_BUILD)/%: plugin-gimp/tests/%.c \
    plugin-gimp/tests/preview-fixture.h $(GIMP_COMMON_SRCS) plugin-gimp/src/common/ar_common.h \
    $(AUTORESTORE_INCLUDE)/autorestore.h $(AUTORESTORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(GIMP_WARN) $(shell pkg-config --cflags glib-2.0) -I$(AUTORESTORE_INCLUDE) \
	  -Iplugin-gimp/src/common -o $@ $< $(GIMP_COMMON_SRCS) \
	  -L$(dir $(AUTORESTORE_LIB)) -lautorestore \
	  -Wl,-rpath,$(abspath $(dir $(AUTORESTORE_LIB))) $(shell pkg-config --libs glib-2.0) -lm

# Not part of make test (about 1 min): BENCH_ROUNDS rounds of every variant.
BENCH_ROUNDS ?= 3
bench-gimp-preview: $(GIMP_BUILD)/preview-bench
	$(GIMP_BUILD)/preview-bench $(BENCH_ROUNDS)

test-gimp: gimp-plugin $(GIMP_BUILD)/imgcheck $(GIMP_BUILD)/verdict $(GIMP_BUILD)/preview
	$(GIMP_BUILD)/verdict
	$(GIMP_BUILD)/preview
	GIMP_BUILD=$(GIMP_BUILD) AUTORESTORE_LIB=$(AUTORESTORE_LIB) MAKE="$(MAKE)" \
	  plugin-gimp/tests/run-tests.sh real

# Plumbing tests against a stub library (a 5x5 box filter), independent of the model.
GIMP_STUB_BUILD  = build/gimp-stub
$(GIMP_STUB_BUILD)/stub/libautorestore.so: plugin-gimp/tests/stub/autorestore_stub.c $(AUTORESTORE_INCLUDE)/autorestore.h
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -g -Wall -shared -fPIC -I$(AUTORESTORE_INCLUDE) -o $@ $<

GIMP_STUB_VARS   = GIMP_BUILD=$(GIMP_STUB_BUILD) AUTORESTORE_LIB=$(GIMP_STUB_BUILD)/stub/libautorestore.so \
                   GIMP_ORT_LIB= GIMP_MODEL_DIR=/nonexistent

gimp-stub: $(GIMP_STUB_BUILD)/stub/libautorestore.so
	$(MAKE) -f plugin-gimp/gimp.mk $(GIMP_STUB_VARS) gimp-plugin $(GIMP_STUB_BUILD)/imgcheck

test-gimp-stub: gimp-stub
	$(GIMP_STUB_VARS) MAKE="$(MAKE)" plugin-gimp/tests/run-tests.sh stub

test-gimp-gui: gimp-stub
	$(GIMP_STUB_VARS) MAKE="$(MAKE)" plugin-gimp/tests/run-gui-tests.sh

clean-gimp:
	rm -rf $(GIMP_BUILD) $(GIMP_STUB_BUILD) $(GIMP3_BUILD)

include plugin-gimp/gimp3.mk

.DEFAULT_GOAL := $(GIMP_SAVED_DEFAULT_GOAL)
