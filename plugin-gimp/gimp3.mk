# GIMP 3 plug-in (plugin-gimp/src/gimp3 + src/common, issue 8). Included by plugin-gimp/gimp.mk;
# paths are relative to the repository root.
#
#   gimp3-plugin     build build/gimp3/autorestore/ (binary, lib/, model/), needs libgimp-3.0-dev
#   install-gimp3    copy it to $(GIMP3_PLUGIN_DIR)/autorestore/
#   uninstall-gimp3  remove it from there
#   test-gimp3       Debian 13 root (debootstrap, cached in $(GIMP3_ROOT)) with GIMP 3; builds
#                    the plug-in in it against the library built here and runs the headless
#                    tests (plugin-gimp/tests/run-tests.sh) in gimp-console-3.0. Needs root and
#                    debootstrap; part of `make test`.
#   test-gimp3-gui   the GIMP 3 dialog on Xvfb in that root (stub library, as test-gimp-gui):
#                    preview, Cancel and OK (plugin-gimp/tests/run-gui-tests3.sh; about 45 s
#                    with the root cached); part of `make test`, after test-gimp3
#
# `make install-gimp` (gimp.mk) installs this one when GIMP 3 is installed.

GIMP3_PKGS        = gimp-3.0 gimpui-3.0
GIMP3_BUILD      ?= build/gimp3
GIMP3_STAGE       = $(GIMP3_BUILD)/autorestore
GIMP3_PLUGIN_DIR ?= $(or $(XDG_CONFIG_HOME),$(HOME)/.config)/GIMP/3.0/plug-ins
GIMP3_SRCS        = $(wildcard plugin-gimp/src/common/*.c plugin-gimp/src/ui/*.c plugin-gimp/src/gimp3/*.c)
GIMP3_HDRS        = $(wildcard plugin-gimp/src/common/*.h plugin-gimp/src/ui/*.h plugin-gimp/src/gimp3/*.h)
GIMP3_ROOT       ?= build/trixie-root

.PHONY: gimp3-plugin install-gimp3 uninstall-gimp3 test-gimp3 gimp3-check-deps gimp3-test-in-root \
        test-gimp3-gui gimp3-gui-in-root

TEST_TARGETS += test-gimp3 test-gimp3-gui

gimp3-plugin: $(GIMP3_STAGE)/autorestore
	$(call gimp_stage_payload,$(GIMP3_STAGE))

$(GIMP3_STAGE)/autorestore: $(GIMP3_SRCS) $(GIMP3_HDRS) \
    $(wildcard $(AUTORESTORE_INCLUDE)/autorestore.h $(AUTORESTORE_LIB)) | gimp3-check-deps
	@mkdir -p $(@D)
	$(CC) $(GIMP_WARN) -Wno-ignored-qualifiers $(CFLAGS) $$(pkg-config --cflags $(GIMP3_PKGS)) -I$(AUTORESTORE_INCLUDE) \
	  -Iplugin-gimp/src/common -Iplugin-gimp/src/ui -Iplugin-gimp/src/gimp3 -o $@ $(GIMP3_SRCS) \
	  -L$(dir $(AUTORESTORE_LIB)) -lautorestore -Wl,-rpath,'$$ORIGIN/lib' $(LDFLAGS) \
	  $$(pkg-config --libs $(GIMP3_PKGS)) -lm

gimp3-check-deps:
	@pkg-config --exists $(GIMP3_PKGS) || { echo "plugin-gimp: libgimp-3.0-dev is missing" \
	  "(Debian 13: apt-get install -y gimp libgimp-3.0-dev)" >&2; exit 1; }
	@test -f $(AUTORESTORE_LIB) || { echo "plugin-gimp: $(AUTORESTORE_LIB) is missing" \
	  "(run make build)" >&2; exit 1; }

# The recipe is gimp.mk's one install rule for both versions.
install-gimp3: gimp3-plugin
install-gimp3: GIMP_INSTALL_FROM = $(GIMP3_STAGE)
install-gimp3: GIMP_INSTALL_TO = $(GIMP3_PLUGIN_DIR)
install-gimp3: GIMP_INSTALL_NAME = GIMP 3

uninstall-gimp3:
	rm -rf "$(GIMP3_PLUGIN_DIR)/autorestore"

$(GIMP3_BUILD)/imgcheck: plugin-gimp/tests/imgcheck.c
	@mkdir -p $(@D)
	$(CC) $(GIMP_WARN) $(GEGL_CFLAGS) -o $@ $< $(GEGL_LDLIBS)

# --- test-gimp3: GIMP 3 in a Debian 13 root ---------------------------------------------------
# What the root gets of this tree (a fresh copy each run, in $(GIMP3_ROOT)/autorestore): the
# sources, the header, and the library, CLI, ONNX Runtime and model built on this machine.
GIMP3_TEST_FILES = Makefile plugin-gimp include models/shipped samples $(AUTORESTORE_LIB) \
                   $(dir $(AUTORESTORE_LIB))autorestore

test-gimp3:
	@test -f $(AUTORESTORE_LIB) && test -x $(dir $(AUTORESTORE_LIB))autorestore || { \
	  echo "test-gimp3: $(AUTORESTORE_LIB) or the autorestore CLI is missing (run make build)" >&2; exit 1; }
	plugin-gimp/tests/gimp3-root.sh $(GIMP3_ROOT)
	rm -rf $(GIMP3_ROOT)/autorestore && mkdir -p $(GIMP3_ROOT)/autorestore
	# ONNX Runtime by a shell glob: `make setup` fills .setup/ during this run, after make's
	# $$(wildcard) cache has seen it missing (a parse-time lookup in ofx.mk reads it)
	cp -a --parents $(GIMP3_TEST_FILES) $$(ls -d .setup/libonnxruntime.so* 2>/dev/null) $(GIMP3_ROOT)/autorestore/
	unshare --mount --fork chroot $(GIMP3_ROOT) /bin/sh -c 'mount -t proc proc /proc && \
	  mount -t tmpfs tmpfs /dev/shm && cd /autorestore && \
	  PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 KEEP=$(KEEP) \
	  GIMP_TEST_PSNR_ALL=$(GIMP_TEST_PSNR_ALL) make -s -f plugin-gimp/gimp.mk gimp3-test-in-root'

# Inside the root: build the plug-in and imgcheck with Debian 13's toolchain, then the tests.
gimp3-test-in-root: gimp3-plugin $(GIMP3_BUILD)/imgcheck
	GIMP_API=3 GIMP_CONSOLE=gimp-console-3.0 IMGCHECK=$(GIMP3_BUILD)/imgcheck \
	  AUTORESTORE_LIB=$(AUTORESTORE_LIB) MAKE="$(MAKE)" plugin-gimp/tests/run-tests.sh real

# --- test-gimp3-gui: the GIMP 3 dialog on Xvfb, in the same root ------------------------------
# Only the sources travel: the stub library, plug-in and imgcheck are built in the root (no
# model, no ONNX Runtime). GUI_OUT (the dialog's screenshot) is copied back to build/.
GIMP3_GUI_FILES = Makefile plugin-gimp include
GIMP3_GUI_OUT   = build/gimp3-gui

test-gimp3-gui:
	plugin-gimp/tests/gimp3-root.sh $(GIMP3_ROOT)
	rm -rf $(GIMP3_ROOT)/autorestore-gui && mkdir -p $(GIMP3_ROOT)/autorestore-gui
	cp -a --parents $(GIMP3_GUI_FILES) $(GIMP3_ROOT)/autorestore-gui/
	unshare --mount --fork chroot $(GIMP3_ROOT) /bin/sh -c 'mount -t proc proc /proc && \
	  mount -t tmpfs tmpfs /dev/shm && cd /autorestore-gui && \
	  PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 KEEP=$(KEEP) \
	  make -s -f plugin-gimp/gimp.mk gimp3-gui-in-root'; rc=$$?; \
	  rm -rf $(GIMP3_GUI_OUT) && mkdir -p $(dir $(GIMP3_GUI_OUT)) && \
	  cp -a $(GIMP3_ROOT)/autorestore-gui/$(GIMP3_GUI_OUT) $(GIMP3_GUI_OUT) 2>/dev/null; exit $$rc

GIMP3_STUB_VARS = GIMP3_BUILD=build/gimp3-stub AUTORESTORE_LIB=$(GIMP_STUB_BUILD)/stub/libautorestore.so \
                  GIMP_ORT_LIB= GIMP_MODEL_DIR=/nonexistent

# Inside the root: the stub, the plug-in against it and imgcheck, then the UI test.
gimp3-gui-in-root: $(GIMP_STUB_BUILD)/stub/libautorestore.so
	$(MAKE) -f plugin-gimp/gimp.mk $(GIMP3_STUB_VARS) gimp3-plugin build/gimp3-stub/imgcheck
	GIMP_API=3 IMGCHECK=build/gimp3-stub/imgcheck GUI_OUT=$(GIMP3_GUI_OUT) $(GIMP3_STUB_VARS) MAKE="$(MAKE)" \
	  plugin-gimp/tests/run-gui-tests3.sh
