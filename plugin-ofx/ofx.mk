# OpenFX plug-in: build, install and test rules. Included from the top-level Makefile
# (`include plugin-ofx/ofx.mk`); every path is relative to the repository root.
#
#   make ofx          AutoRestore.ofx.bundle under build/ofx/ (plug-in, libautorestore.so,
#                     libonnxruntime.so and the model under Contents/Linux-x86-64/, Info.plist,
#                     the node icon under Contents/Resources/; the CUDA provider when .setup/
#                     has one)
#   make install-ofx  copy the bundle to $(OFX_PLUGIN_PATH) or /usr/OFX/Plugins
#   make test-ofx     check the bundle's layout and exported symbols, then load it in two hosts
#                     built from the OpenFX SDK: our HostSupport host and the SDK's own hostDemo
#                     (see plugin-ofx/README.md)
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
OFX_PLIST      := $(OFX_BUNDLE)/Contents/Info.plist
OFX_ICON_NAME  := org.autorestore.AutoRestore.png
OFX_ICON       := $(OFX_BUNDLE)/Contents/Resources/$(OFX_ICON_NAME)
# One owner for the version: Cargo.toml (the top-level Makefile reads it into VERSION).
OFX_VERSION    ?= $(if $(VERSION),$(VERSION),$(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1))
OFX_VERSION_WORDS := $(subst ., ,$(OFX_VERSION))

# What the bundle carries. Override on the command line to build against another library.
AUTORESTORE_INCLUDE ?= include
AUTORESTORE_LIB     ?= target/release/libautorestore.so
# Included from the top-level Makefile, ORT_LIB names the file `make setup` makes (it has a rule,
# so a fresh clone gets it); a wildcard would be empty there, since prerequisites expand at parse time.
OFX_ORT_LIB         ?= $(if $(ORT_LIB),$(ORT_LIB),$(firstword $(wildcard .setup/libonnxruntime.so .setup/lib/libonnxruntime.so \
                         .setup/libonnxruntime.so.* .setup/lib/libonnxruntime.so.* \
                         .setup/*/libonnxruntime.so.* .setup/*/*/libonnxruntime.so.*)))
# The CUDA execution provider, when CUDA has been set up in .setup/ (the GPU issue's
# `make setup-cuda`): it goes into the bundle with the ONNX Runtime build beside it (the CPU
# build cannot load it), libonnxruntime_providers_shared.so and the CUDA 13 / cuDNN 9 libraries
# set up beside them (the library loads them from beside ONNX Runtime: src/cuda.rs). Without it
# the bundle is CPU-only and the Device choice says so.
OFX_CUDA_PROVIDER   ?= $(firstword $(wildcard .setup/libonnxruntime_providers_cuda.so .setup/*/libonnxruntime_providers_cuda.so \
                         .setup/*/*/libonnxruntime_providers_cuda.so))
OFX_CUDA_DIR        := $(if $(OFX_CUDA_PROVIDER),$(dir $(OFX_CUDA_PROVIDER)))
OFX_CUDA_ORT_LIB    := $(if $(OFX_CUDA_DIR),$(firstword $(wildcard $(OFX_CUDA_DIR)libonnxruntime.so.* $(OFX_CUDA_DIR)libonnxruntime.so)))
ifneq ($(OFX_CUDA_ORT_LIB),)
OFX_ORT_LIB := $(OFX_CUDA_ORT_LIB)
endif
OFX_CUDA_FILES      := $(if $(OFX_CUDA_PROVIDER),$(OFX_BIN_DIR)/libonnxruntime_providers_cuda.so $(OFX_BIN_DIR)/libonnxruntime_providers_shared.so \
                         $(OFX_BIN_DIR)/.cuda-libs)
OFX_MODEL_DIR       ?= models/shipped
OFX_MODEL_FILES     := manifest.json analyze.onnx restore.onnx

OFX_INSTALL_DIR ?= $(if $(OFX_PLUGIN_PATH),$(firstword $(subst :, ,$(OFX_PLUGIN_PATH))),/usr/OFX/Plugins)

OFX_SRC     := $(wildcard plugin-ofx/src/*.cpp)
OFX_HEADERS := $(wildcard plugin-ofx/include/ofx/*.h plugin-ofx/src/*.h)
OFX_EXPORTS := plugin-ofx/exports.map

.PHONY: ofx install-ofx test-ofx ofx-sdk test

# `make test` runs the OFX host test too.
test: test-ofx

ofx: $(OFX_PLUGIN_SO) $(OFX_BIN_DIR)/libautorestore.so $(OFX_BIN_DIR)/libonnxruntime.so \
     $(addprefix $(OFX_BIN_DIR)/model/,$(OFX_MODEL_FILES)) $(OFX_PLIST) $(OFX_ICON) $(OFX_CUDA_FILES)

# rpath $ORIGIN: the plug-in finds libautorestore.so beside itself, wherever the bundle lives.
# libstdc++ is linked statically and, with every symbol but the two entry points, kept local by
# the version script: hosts ship their own C++ runtimes.
$(OFX_PLUGIN_SO): $(OFX_SRC) $(OFX_HEADERS) $(OFX_EXPORTS) $(AUTORESTORE_LIB) $(AUTORESTORE_INCLUDE)/autorestore.h plugin-ofx/ofx.mk
	@mkdir -p $(@D)
	$(OFX_CXX) -std=c++17 $(OFX_CXXFLAGS) -fPIC -shared -fvisibility=hidden \
	  -DAR_OFX_VERSION_MAJOR=$(word 1,$(OFX_VERSION_WORDS)) -DAR_OFX_VERSION_MINOR=$(word 2,$(OFX_VERSION_WORDS)) \
	  -Iplugin-ofx/include -I$(AUTORESTORE_INCLUDE) $(OFX_SRC) -o $@ \
	  -L$(dir $(AUTORESTORE_LIB)) -lautorestore -ldl -lpthread \
	  -static-libstdc++ -static-libgcc -Wl,--exclude-libs,ALL -Wl,--version-script=$(OFX_EXPORTS) \
	  -Wl,--no-undefined -Wl,-rpath,'$$ORIGIN' -Wl,--enable-new-dtags

$(OFX_PLIST): plugin-ofx/resources/Info.plist.in Cargo.toml
	@mkdir -p $(@D)
	sed 's/@VERSION@/$(OFX_VERSION)/g' $< > $@

$(OFX_ICON): plugin-ofx/resources/$(OFX_ICON_NAME)
	@mkdir -p $(@D)
	cp $< $@

$(OFX_BIN_DIR)/libonnxruntime_providers_%.so: $(OFX_CUDA_DIR)libonnxruntime_providers_%.so
	@mkdir -p $(@D)
	cp -L $< $@

$(OFX_BIN_DIR)/.cuda-libs: $(wildcard $(OFX_CUDA_DIR)libcu*.so.* $(OFX_CUDA_DIR)libnvrtc*.so.*)
	@mkdir -p $(@D)
	cp -L $^ $(@D)/
	touch $@

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
# The SDK's hostDemo host (HostSupport/examples, compiled unmodified) has no multithread suite,
# so it needs HostSupport built without OFX_SUPPORTS_MULTITHREAD: a second copy of the library.
OFX_DEMO_SRCS  := hostDemoClipInstance hostDemoEffectInstance hostDemoHostDescriptor hostDemoParamInstance
OFX_DEMO_OBJS  := $(addprefix $(OFX_BUILD)/hostdemo/,$(addsuffix .o,$(OFX_DEMO_SRCS)))
OFX_DEMO_HS_OBJS := $(addprefix $(OFX_BUILD)/hostsupport-st/,$(addsuffix .o,$(OFX_HS_SRCS)))
OFX_DEMO_HOST  := $(OFX_BUILD)/hostdemo_test
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

$(OFX_BUILD)/hostsupport-st/%.o: | ofx-sdk
	@mkdir -p $(@D)
	$(OFX_CXX) -std=c++11 -O1 -g -w -I$(OFX_SDK_FIND)/include -I$(OFX_SDK_FIND)/HostSupport/include \
	  -c $(OFX_SDK_FIND)/HostSupport/src/$*.cpp -o $@

$(OFX_BUILD)/libofxHostST.a: $(OFX_DEMO_HS_OBJS)
	rm -f $@
	ar rcs $@ $^

# (-include cstring: hostDemoHostDescriptor.cpp calls strcmp without including it; the sources
# stay as the SDK ships them)
$(OFX_BUILD)/hostdemo/%.o: | ofx-sdk
	@mkdir -p $(@D)
	$(OFX_CXX) -std=c++11 -O1 -g -w -include cstring -I$(OFX_SDK_FIND)/include -I$(OFX_SDK_FIND)/HostSupport/include \
	  -c $(OFX_SDK_FIND)/HostSupport/examples/$*.cpp -o $@

$(OFX_DEMO_HOST): plugin-ofx/tests/hostdemo_test.cpp $(OFX_DEMO_OBJS) $(OFX_BUILD)/libofxHostST.a $(AUTORESTORE_LIB) $(AUTORESTORE_INCLUDE)/autorestore.h
	$(OFX_CXX) -std=c++11 -O2 -g -Wall -Wno-deprecated -I$(OFX_SDK_FIND)/include -I$(OFX_SDK_FIND)/HostSupport/include \
	  -I$(OFX_SDK_FIND)/HostSupport/examples -I$(AUTORESTORE_INCLUDE) $< $(OFX_DEMO_OBJS) -o $@ \
	  $(OFX_BUILD)/libofxHostST.a -lexpat -ldl -lpthread \
	  -L$(dir $(AUTORESTORE_LIB)) -lautorestore -Wl,-rpath,$(abspath $(OFX_TEST_BIN_DIR))

OFX_TEST_SRCS  := $(addprefix plugin-ofx/tests/,ofx_host_test.cpp test_host.cpp lock_test.cpp)
$(OFX_TEST_HOST): $(OFX_TEST_SRCS) plugin-ofx/tests/test_host.h $(OFX_BUILD)/libofxHost.a $(AUTORESTORE_LIB) $(AUTORESTORE_INCLUDE)/autorestore.h
	$(OFX_CXX) -std=c++11 -O2 -g -Wall -Wno-deprecated -DOFX_SUPPORTS_MULTITHREAD -I$(OFX_SDK_FIND)/include \
	  -I$(OFX_SDK_FIND)/HostSupport/include -I$(AUTORESTORE_INCLUDE) $(OFX_TEST_SRCS) -o $@ \
	  $(OFX_BUILD)/libofxHost.a -lexpat -lpng -ldl -lpthread \
	  -L$(dir $(AUTORESTORE_LIB)) -lautorestore -Wl,-rpath,$(abspath $(OFX_TEST_BIN_DIR))

# The hosts scan a plug-in directory that holds only our bundle. The temporal test reads a
# degraded photo from samples/.
test-ofx: ofx $(OFX_TEST_HOST) $(OFX_DEMO_HOST)
	plugin-ofx/tests/check_bundle.sh $(OFX_BUNDLE) $(OFX_VERSION)
	@mkdir -p $(OFX_BUILD)/plugins
	rm -rf $(OFX_BUILD)/plugins/AutoRestore.ofx.bundle
	cp -R $(OFX_BUNDLE) $(OFX_BUILD)/plugins/
	cd $(OFX_BUILD) && OFX_PLUGIN_PATH=$(abspath $(OFX_BUILD)/plugins) ./hostdemo_test \
	  $(abspath $(OFX_TEST_BIN_DIR))
	cd $(OFX_BUILD) && OFX_PLUGIN_PATH=$(abspath $(OFX_BUILD)/plugins) ./ofx_host_test \
	  $(abspath $(OFX_TEST_BIN_DIR)) $(abspath samples/demo_degraded.png)

.DEFAULT_GOAL := $(OFX_SAVED_DEFAULT_GOAL)
