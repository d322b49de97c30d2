# OpenFX plug-in: build, install and test rules. Included from the top-level Makefile
# (`include plugin-ofx/ofx.mk`); every path is relative to the repository root.
#
#   make ofx          AutoRestore.ofx.bundle under build/ofx/ (plug-in, libautorestore.so,
#                     libonnxruntime.so and the model, all under Contents/Linux-x86-64/)
#   make install-ofx  copy the bundle to $(OFX_PLUGIN_PATH) or /usr/OFX/Plugins
#   make test-ofx     build the OpenFX SDK's HostSupport library and a host on it, load the
#                     bundle and check it against libautorestore (see plugin-ofx/README.md)
#
# The OFX C headers the plug-in needs are vendored in plugin-ofx/include/ofx (BSD-3, with their
# licence). The test host needs the SDK's C++ HostSupport sources, which are not committed: they
# come from the `openfx-sys` crate's source, fetched by cargo into ~/.cargo/registry.

# Keep the including Makefile's default goal, wherever the include line sits.
OFX_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

OFX_CXX        ?= g++
OFX_CXXFLAGS   ?= -O2 -g -Wall -Wextra
OFX_BUILD      ?= build/ofx
OFX_BUNDLE     := $(OFX_BUILD)/AutoRestore.ofx.bundle
OFX_BIN_DIR    := $(OFX_BUNDLE)/Contents/Linux-x86-64
OFX_PLUGIN_SO  := $(OFX_BIN_DIR)/AutoRestore.ofx

# What the bundle carries. Override on the command line to build against another library.
AUTORESTORE_INCLUDE ?= include
AUTORESTORE_LIB     ?= target/release/libautorestore.so
# Included from the top-level Makefile, ORT_LIB names the file `make setup` makes (it has a rule,
# so a fresh clone gets it); a wildcard would be empty there, since prerequisites expand at parse time.
OFX_ORT_LIB         ?= $(if $(ORT_LIB),$(ORT_LIB),$(firstword $(wildcard .setup/libonnxruntime.so .setup/lib/libonnxruntime.so \
                         .setup/libonnxruntime.so.* .setup/lib/libonnxruntime.so.* \
                         .setup/*/libonnxruntime.so.* .setup/*/*/libonnxruntime.so.*)))
OFX_MODEL_DIR       ?= models/shipped
OFX_MODEL_FILES     := manifest.json analyze.onnx restore.onnx

OFX_INSTALL_DIR ?= $(if $(OFX_PLUGIN_PATH),$(firstword $(subst :, ,$(OFX_PLUGIN_PATH))),/usr/OFX/Plugins)

OFX_SRC     := $(wildcard plugin-ofx/src/*.cpp)
OFX_HEADERS := $(wildcard plugin-ofx/include/ofx/*.h plugin-ofx/src/*.h)

.PHONY: ofx install-ofx test-ofx ofx-sdk test

# `make test` runs the OFX host test too.
test: test-ofx

ofx: $(OFX_PLUGIN_SO) $(OFX_BIN_DIR)/libautorestore.so $(OFX_BIN_DIR)/libonnxruntime.so \
     $(addprefix $(OFX_BIN_DIR)/model/,$(OFX_MODEL_FILES))

# rpath $ORIGIN: the plug-in finds libautorestore.so beside itself, wherever the bundle lives.
# libstdc++ is linked statically and its symbols hidden: hosts ship their own C++ runtimes.
$(OFX_PLUGIN_SO): $(OFX_SRC) $(OFX_HEADERS) $(AUTORESTORE_LIB) $(AUTORESTORE_INCLUDE)/autorestore.h plugin-ofx/ofx.mk
	@mkdir -p $(@D)
	$(OFX_CXX) -std=c++17 $(OFX_CXXFLAGS) -fPIC -shared -fvisibility=hidden \
	  -Iplugin-ofx/include -I$(AUTORESTORE_INCLUDE) $(OFX_SRC) -o $@ \
	  -L$(dir $(AUTORESTORE_LIB)) -lautorestore -ldl -lpthread \
	  -static-libstdc++ -static-libgcc -Wl,--exclude-libs,ALL \
	  -Wl,--no-undefined -Wl,-rpath,'$$ORIGIN' -Wl,--enable-new-dtags

$(OFX_BIN_DIR)/libautorestore.so: $(AUTORESTORE_LIB)
	@mkdir -p $(@D)
	cp $< $@

$(OFX_BIN_DIR)/libonnxruntime.so: $(OFX_ORT_LIB)
	@if [ -z "$(OFX_ORT_LIB)" ]; then echo "ofx: no libonnxruntime.so under .setup/ (run 'make setup' or set OFX_ORT_LIB=...)"; exit 1; fi
	@mkdir -p $(@D)
	cp -L $< $@

$(OFX_BIN_DIR)/model/%: $(OFX_MODEL_DIR)/%
	@mkdir -p $(@D)
	cp $< $@

install-ofx: ofx
	@mkdir -p "$(DESTDIR)$(OFX_INSTALL_DIR)"
	rm -rf "$(DESTDIR)$(OFX_INSTALL_DIR)/AutoRestore.ofx.bundle"
	cp -R $(OFX_BUNDLE) "$(DESTDIR)$(OFX_INSTALL_DIR)/"
	@echo "installed $(DESTDIR)$(OFX_INSTALL_DIR)/AutoRestore.ofx.bundle"

# ---- the test host ------------------------------------------------------------------------
OFX_CARGO_HOME ?= $(if $(CARGO_HOME),$(CARGO_HOME),$(HOME)/.cargo)
# (a shell lookup, evaluated when used: make's $(wildcard) cache would miss a fresh fetch)
OFX_SDK_FIND    = $(shell ls -d $(OFX_CARGO_HOME)/registry/src/*/openfx-sys-0.1.0/openfx 2>/dev/null | head -n 1)
OFX_HS_SRCS    := ofxhParam ofxhImageEffectAPI ofxhUtilities ofxhHost ofxhInteract ofxhBinary \
                  ofxhClip ofxhImageEffect ofxhMemory ofxhPluginAPICache ofxhPluginCache ofxhPropertySuite
OFX_HS_OBJS    := $(addprefix $(OFX_BUILD)/hostsupport/,$(addsuffix .o,$(OFX_HS_SRCS)))
OFX_TEST_HOST  := $(OFX_BUILD)/ofx_host_test
OFX_FETCH_DIR  := $(OFX_BUILD)/fetch-openfx-sys
# The host and the reference share the bundle's copy of the library (checked by the test).
OFX_TEST_BIN_DIR := $(OFX_BUILD)/plugins/AutoRestore.ofx.bundle/Contents/Linux-x86-64

# Fetch the openfx-sys crate's source (the OpenFX SDK, BSD-3) with cargo, if it is not there.
ofx-sdk:
	@if [ -z "$(OFX_SDK_FIND)" ]; then \
	  mkdir -p $(OFX_FETCH_DIR)/src && \
	  printf '[package]\nname = "fetch-openfx-sys"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[dependencies]\nopenfx-sys = "=0.1.0"\n\n[workspace]\n' > $(OFX_FETCH_DIR)/Cargo.toml && \
	  touch $(OFX_FETCH_DIR)/src/lib.rs && \
	  CARGO_HOME=$(OFX_CARGO_HOME) cargo fetch --manifest-path $(OFX_FETCH_DIR)/Cargo.toml; \
	fi

$(OFX_BUILD)/hostsupport/%.o: | ofx-sdk
	@mkdir -p $(@D)
	$(OFX_CXX) -std=c++11 -O1 -g -w -DOFX_SUPPORTS_MULTITHREAD -I$(OFX_SDK_FIND)/include -I$(OFX_SDK_FIND)/HostSupport/include \
	  -c $(OFX_SDK_FIND)/HostSupport/src/$*.cpp -o $@

$(OFX_BUILD)/libofxHost.a: $(OFX_HS_OBJS)
	rm -f $@
	ar rcs $@ $^

$(OFX_TEST_HOST): plugin-ofx/tests/ofx_host_test.cpp $(OFX_BUILD)/libofxHost.a $(AUTORESTORE_LIB) $(AUTORESTORE_INCLUDE)/autorestore.h
	$(OFX_CXX) -std=c++11 -O2 -g -Wall -Wno-deprecated -DOFX_SUPPORTS_MULTITHREAD -I$(OFX_SDK_FIND)/include \
	  -I$(OFX_SDK_FIND)/HostSupport/include -I$(AUTORESTORE_INCLUDE) $< -o $@ \
	  $(OFX_BUILD)/libofxHost.a -lexpat -ldl -lpthread \
	  -L$(dir $(AUTORESTORE_LIB)) -lautorestore -Wl,-rpath,$(abspath $(OFX_TEST_BIN_DIR))

# The host scans a plug-in directory that holds only our bundle.
test-ofx: ofx $(OFX_TEST_HOST)
	@mkdir -p $(OFX_BUILD)/plugins
	rm -rf $(OFX_BUILD)/plugins/AutoRestore.ofx.bundle
	cp -R $(OFX_BUNDLE) $(OFX_BUILD)/plugins/
	cd $(OFX_BUILD) && OFX_PLUGIN_PATH=$(abspath $(OFX_BUILD)/plugins) ./ofx_host_test \
	  $(abspath $(OFX_TEST_BIN_DIR))

.DEFAULT_GOAL := $(OFX_SAVED_DEFAULT_GOAL)
