#include "engines.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include <mutex>
#include <new>
#include <string>

#include "errors.h"
#include "params.h"

namespace autorestore_ofx {

namespace {

bool fileExists(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// Contents/Linux-x86-64/ of our bundle: the directory of this shared object.
std::string binaryDirectory() {
  Dl_info info;
  if (dladdr(reinterpret_cast<void *>(&binaryDirectory), &info) == 0 || !info.dli_fname) {
    return std::string();
  }
  std::string path(info.dli_fname);
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

struct EngineRegistry {
  std::mutex mutex;
  AutorestoreEngine *engines[kDeviceCount] = {};
};
EngineRegistry *gEngines = nullptr;

}  // namespace

const char *gpuUnavailableReason() {
  const std::string dir = binaryDirectory();
  if (!dir.empty() && fileExists(dir + "/libonnxruntime_providers_cuda.so")) return "";
  return "GPU not available: this copy of Auto Restore carries the CPU-only ONNX Runtime (no "
         "CUDA provider library beside the plug-in), so it always runs on the CPU. A bundle "
         "built after CUDA was set up (make setup-cuda, then make install-ofx) can use an NVIDIA "
         "GPU.";
}

AutorestoreEngine *engineFor(int deviceIndex) {
  if (deviceIndex < 0 || deviceIndex >= kDeviceCount) deviceIndex = 0;
  std::lock_guard<std::mutex> lock(gEngines->mutex);
  if (gEngines->engines[deviceIndex]) return gEngines->engines[deviceIndex];

  AutorestoreEngineOptions opts;
  autorestore_engine_options_init(&opts);
  AutorestoreDevice device = AUTORESTORE_DEVICE_AUTO;
  AutorestoreStatus st = autorestore_device_from_name(kDeviceOptions[deviceIndex].name, &device);
  if (st != AUTORESTORE_OK) throw RenderError{libraryError("choosing the device", st)};
  opts.device = device;
  // The bundle carries the model and ONNX Runtime beside libautorestore.so, where the library
  // looks first (src/model.rs search_dirs), so no paths are passed.

  AutorestoreEngine *engine = nullptr;
  st = autorestore_engine_create(&opts, &engine);
  if (st == AUTORESTORE_ERR_PROVIDER_UNAVAILABLE) {
    const char *why = gpuUnavailableReason();
    throw RenderError{libraryError("starting the engine on the GPU", st) +
                      (*why ? std::string(". ") + why : std::string(". Choose Auto or CPU to render on the CPU."))};
  }
  if (st != AUTORESTORE_OK || !engine) {
    throw RenderError{libraryError("starting the engine", st)};
  }
  gEngines->engines[deviceIndex] = engine;
  return engine;
}

bool createEngineRegistry() {
  if (!gEngines) gEngines = new (std::nothrow) EngineRegistry;
  return gEngines != nullptr;
}

void destroyEngines() {
  if (!gEngines) return;
  {
    std::lock_guard<std::mutex> lock(gEngines->mutex);
    for (auto &e : gEngines->engines) {
      autorestore_engine_destroy(e);
      e = nullptr;
    }
  }
  delete gEngines;
  gEngines = nullptr;
}

}  // namespace autorestore_ofx
