// AutoRestore OpenFX image-effect plug-in: a thin adapter over libautorestore's C API.
//
// What it does per render call (window W, render scale s, time t):
//   1. snapshot the parameters at t into a plain struct;
//   2. fetch the whole source image (the declared region of interest is the source's region of
//      definition: the analysis needs the whole frame);
//   3. look up the analysis for (t, s, source bounds, a sampled fingerprint of the pixels) in the
//      instance's mutex-protected cache, or analyse the whole image once and store it: every tile
//      of a frame, whatever thread renders it, restores with the same gates;
//   4. restore W grown by the engine's exact margin (tileMargin(): the model's receptive field
//      rounded up to its tile multiple, once per sampler step; clipped to the source, its origin
//      on the frame's tile-multiple grid) with that analysis, passing a progress callback that
//      answers the host's abort(); the result in W is then the whole-frame result;
//   5. copy W out (pixels outside the source become transparent black).
// Pixels are handed to the library top-down (row 0 = top of the picture), as every other front
// end does, so the plug-in gives the library's own result for the same picture.
//
// Errors: a (persistent where the host has it) error message plus kOfxStatFailed; the output is
// written only after the library succeeded. No exception crosses the C boundary.

#include <dlfcn.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <list>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

extern "C" {  // harmless if the header already declares C linkage
#include "autorestore.h"
}
#include "ofx/ofxCore.h"
#include "ofx/ofxImageEffect.h"
#include "ofx/ofxMessage.h"
#include "ofx/ofxMultiThread.h"
#include "ofx/ofxParam.h"
#include "ofx/ofxProperty.h"

#if defined(__GNUC__)
#define AR_EXPORT extern "C" __attribute__((visibility("default")))
#else
#define AR_EXPORT extern "C"
#endif

namespace {

// ---- capabilities, declared once -----------------------------------------------------------
constexpr const char *kPluginIdentifier = "org.autorestore.AutoRestore";
constexpr const char *kPluginLabel = "Auto Restore";
constexpr const char *kPluginGrouping = "Filter/Restore";
constexpr const char *kPluginDescription =
    "All-in-one image restoration (noise, blur, haze, low light, rain) with a small "
    "MoE-in-MoE diffusion transformer. Auto mode analyses each frame and says what is wrong.";
constexpr unsigned kPluginVersionMajor = 0;
constexpr unsigned kPluginVersionMinor = 1;
constexpr bool kSupportsTiles = true;
constexpr bool kSupportsRenderScale = true;
constexpr bool kSupportsMultiResolution = true;
constexpr const char *kRenderThreadSafety = kOfxImageEffectRenderFullySafe;
constexpr size_t kAnalysisCacheEntries = 8;

constexpr const char *kClipSource = kOfxImageEffectSimpleSourceClipName;  // "Source"
constexpr const char *kClipOutput = kOfxImageEffectOutputClipName;        // "Output"

// ---- parameters: one block each ---------------------------------------------------------------
constexpr const char *kParamMode = "mode";
constexpr const char *kParamModeLabel = "Mode";
constexpr const char *kParamModeHint =
    "What to repair. Auto analyses the frame and mixes the experts for what it finds; the "
    "others force one kind of repair.";
struct ChoiceOption {
  const char *name;   // the library's name (autorestore_mode_from_name / _device_from_name)
  const char *label;  // what the user sees
};
constexpr ChoiceOption kModeOptions[] = {
    {"auto", "Auto"},         {"denoise", "Denoise"},    {"deblur", "Deblur"},
    {"dehaze", "Dehaze"},     {"lowlight", "Low light"}, {"derain", "Derain"},
};

constexpr const char *kParamStrength = "strength";
constexpr const char *kParamStrengthLabel = "Strength";
constexpr const char *kParamStrengthHint =
    "Blend between the input (0) and the full restoration (1).";

constexpr const char *kParamSteps = "steps";
constexpr const char *kParamStepsLabel = "Steps";
constexpr const char *kParamStepsHint =
    "Sampler steps per tile. 0 uses the model's default (the best measured); more steps add "
    "detail and cost time.";

constexpr const char *kParamSeed = "seed";
constexpr const char *kParamSeedLabel = "Seed";
constexpr const char *kParamSeedHint =
    "Seed of the sampler's noise (only used with more than one step).";

constexpr const char *kParamDevice = "device";
constexpr const char *kParamDeviceLabel = "Device";
constexpr const char *kParamDeviceHint =
    "Where the network runs. Auto picks a GPU when one is usable and falls back to the CPU.";
constexpr ChoiceOption kDeviceOptions[] = {
    {"auto", "Auto"}, {"cpu", "CPU"}, {"cuda", "CUDA (NVIDIA)"}, {"webgpu", "WebGPU (experimental)"},
};
constexpr int kDeviceCount = sizeof(kDeviceOptions) / sizeof(kDeviceOptions[0]);

constexpr const char *kParamAnalyze = "analyzeFrame";
constexpr const char *kParamAnalyzeLabel = "Analyze Frame";
constexpr const char *kParamAnalyzeHint =
    "Analyse the source at the current frame and show what is wrong with it below.";

constexpr const char *kParamAnalysis = "analysis";
constexpr const char *kParamAnalysisLabel = "Analysis";
constexpr const char *kParamAnalysisHint =
    "What the analysis found in the frame (probability of each degradation). Read-only.";

// ---- host suites --------------------------------------------------------------------------------
OfxHost *gHost = nullptr;
const OfxPropertySuiteV1 *gProp = nullptr;
const OfxImageEffectSuiteV1 *gEffect = nullptr;
const OfxParameterSuiteV1 *gParam = nullptr;
const OfxMessageSuiteV1 *gMessageV1 = nullptr;
const OfxMessageSuiteV2 *gMessageV2 = nullptr;

// ---- errors ---------------------------------------------------------------------------------
void postError(OfxImageEffectHandle effect, const std::string &text) {
  if (gMessageV2 && gMessageV2->setPersistentMessage &&
      gMessageV2->setPersistentMessage(effect, kOfxMessageError, "", "%s", text.c_str()) ==
          kOfxStatOK) {
    return;
  }
  if (gMessageV1 && gMessageV1->message) {
    gMessageV1->message(effect, kOfxMessageError, "", "%s", text.c_str());
    return;
  }
  std::fprintf(stderr, "AutoRestore: %s\n", text.c_str());
}

std::string libraryError(const char *what, AutorestoreStatus st) {
  std::string msg = std::string("Auto Restore: ") + what + " failed (" +
                    autorestore_status_name(st) + ")";
  const char *detail = autorestore_last_error();
  if (detail && *detail) msg += std::string(": ") + detail;
  return msg;
}

// A failure with a message for the user.
struct RenderError {
  std::string message;
};
// The host asked us to stop: fail quietly.
struct RenderAborted {};

// ---- where the bundle is --------------------------------------------------------------------
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

// ---- engines: one per device, shared by all instances -------------------------------------------
struct EngineRegistry {
  std::mutex mutex;
  AutorestoreEngine *engines[kDeviceCount] = {};
};
EngineRegistry *gEngines = nullptr;

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
  // The bundle carries the model and ONNX Runtime beside the plug-in; when they are missing
  // (a plug-in installed without them) the library searches its usual places.
  const std::string dir = binaryDirectory();
  const std::string modelDir = dir + "/model";
  const std::string ortLib = dir + "/libonnxruntime.so";
  if (!dir.empty() && fileExists(modelDir + "/manifest.json")) opts.model_dir = modelDir.c_str();
  if (!dir.empty() && fileExists(ortLib)) opts.ort_library_path = ortLib.c_str();

  AutorestoreEngine *engine = nullptr;
  st = autorestore_engine_create(&opts, &engine);
  if (st != AUTORESTORE_OK || !engine) {
    throw RenderError{libraryError("starting the engine", st)};
  }
  gEngines->engines[deviceIndex] = engine;
  return engine;
}

void destroyEngines() {
  if (!gEngines) return;
  std::lock_guard<std::mutex> lock(gEngines->mutex);
  for (auto &e : gEngines->engines) {
    autorestore_engine_destroy(e);
    e = nullptr;
  }
}

// ---- pixels -------------------------------------------------------------------------------------
enum class Depth { U8, U16, F16, F32 };

size_t depthBytes(Depth d) {
  switch (d) {
    case Depth::U8: return 1;
    case Depth::U16: case Depth::F16: return 2;
    case Depth::F32: return 4;
  }
  return 4;
}

float halfToFloat(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1Fu;
  uint32_t mant = h & 0x3FFu;
  uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal: normalise
      exp = 127 - 15 + 1;
      while ((mant & 0x400u) == 0) {
        mant <<= 1;
        --exp;
      }
      mant &= 0x3FFu;
      bits = sign | (exp << 23) | (mant << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7F800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

uint16_t floatToHalf(float f) {  // round to nearest even; values here are finite, in [0, 1]
  uint32_t x;
  std::memcpy(&x, &f, sizeof x);
  const uint16_t sign = uint16_t((x >> 16) & 0x8000u);
  const uint32_t absx = x & 0x7FFFFFFFu;
  if (absx >= 0x7F800000u) return uint16_t(sign | 0x7C00u | (absx > 0x7F800000u ? 0x200u : 0));
  if (absx >= 0x477FF000u) return uint16_t(sign | 0x7C00u);  // overflow -> inf
  if (absx < 0x38800000u) {                                 // subnormal or zero in half
    if (absx < 0x33000000u) return sign;
    const uint32_t e = absx >> 23;
    const uint32_t m = (absx & 0x7FFFFFu) | 0x800000u;
    const uint32_t shift = 126 - e;  // 14..24
    uint32_t r = m >> shift;
    const uint32_t rem = m & ((1u << shift) - 1);
    const uint32_t halfway = 1u << (shift - 1);
    if (rem > halfway || (rem == halfway && (r & 1))) ++r;
    return uint16_t(sign | r);
  }
  uint32_t r = ((absx >> 13) - ((127 - 15) << 10));
  const uint32_t rem = absx & 0x1FFFu;
  if (rem > 0x1000u || (rem == 0x1000u && (r & 1))) ++r;
  return uint16_t(sign | r);
}

// An image as the host hands it to us: pixel (x, y) lives at
// data + (y - bounds.y1) * rowBytes + (x - bounds.x1) * channels * depthBytes; y grows upwards.
struct HostImage {
  OfxPropertySetHandle handle = nullptr;
  char *data = nullptr;
  OfxRectI bounds = {0, 0, 0, 0};
  int rowBytes = 0;
  Depth depth = Depth::F32;
  int channels = 4;
  std::string uniqueId;

  const char *pixel(int x, int y) const {
    return data + ptrdiff_t(y - bounds.y1) * rowBytes +
           ptrdiff_t(x - bounds.x1) * channels * ptrdiff_t(depthBytes(depth));
  }
};

// Releases an image handle on every path out of a render.
class ImageRef {
 public:
  ImageRef() = default;
  ImageRef(const ImageRef &) = delete;
  ImageRef &operator=(const ImageRef &) = delete;
  ~ImageRef() {
    if (img_.handle) gEffect->clipReleaseImage(img_.handle);
  }
  HostImage &get() { return img_; }
  const HostImage &get() const { return img_; }

 private:
  HostImage img_;
};

// Reads the image properties; false with a message when the format is not one we handle.
bool describeImage(OfxPropertySetHandle h, HostImage &img, std::string &why) {
  img.handle = h;
  void *data = nullptr;
  char *depth = nullptr, *comps = nullptr, *uid = nullptr;
  gProp->propGetPointer(h, kOfxImagePropData, 0, &data);
  gProp->propGetIntN(h, kOfxImagePropBounds, 4, &img.bounds.x1);
  gProp->propGetInt(h, kOfxImagePropRowBytes, 0, &img.rowBytes);
  gProp->propGetString(h, kOfxImageEffectPropPixelDepth, 0, &depth);
  gProp->propGetString(h, kOfxImageEffectPropComponents, 0, &comps);
  if (gProp->propGetString(h, kOfxImagePropUniqueIdentifier, 0, &uid) == kOfxStatOK && uid) {
    img.uniqueId = uid;
  }
  img.data = static_cast<char *>(data);
  const std::string d = depth ? depth : "", c = comps ? comps : "";
  if (d == kOfxBitDepthByte) img.depth = Depth::U8;
  else if (d == kOfxBitDepthShort) img.depth = Depth::U16;
  else if (d == kOfxBitDepthHalf) img.depth = Depth::F16;
  else if (d == kOfxBitDepthFloat) img.depth = Depth::F32;
  else {
    why = "unsupported pixel depth '" + d + "' (byte, short, half and float are supported)";
    return false;
  }
  if (c == kOfxImageComponentRGBA) img.channels = 4;
  else if (c == kOfxImageComponentRGB) img.channels = 3;
  else {
    why = "unsupported components '" + c + "' (RGBA and RGB are supported)";
    return false;
  }
  if (!img.data) {
    why = "the host gave an image without pixels";
    return false;
  }
  if (img.bounds.x2 < img.bounds.x1 || img.bounds.y2 < img.bounds.y1) {
    why = "the host gave an image with invalid bounds";
    return false;
  }
  const long long minRow =
      (long long)(img.bounds.x2 - img.bounds.x1) * img.channels * (long long)depthBytes(img.depth);
  if (std::llabs((long long)img.rowBytes) < minRow) {
    why = "the host gave an image whose rows are shorter than its width";
    return false;
  }
  return true;
}

// A top-down, tightly packed copy in the library's sample type (half becomes float).
struct Buffer {
  std::vector<unsigned char> bytes;
  uint32_t width = 0, height = 0, channels = 4;
  AutorestoreSampleType type = AUTORESTORE_SAMPLE_F32;
  size_t sampleBytes() const { return type == AUTORESTORE_SAMPLE_U8 ? 1 : type == AUTORESTORE_SAMPLE_U16 ? 2 : 4; }
  size_t rowStride() const { return size_t(width) * channels * sampleBytes(); }
  AutorestoreImage view() {
    AutorestoreImage im;
    im.data = bytes.data();
    im.width = width;
    im.height = height;
    im.row_stride = rowStride();
    im.sample_type = type;
    im.channels = channels;
    return im;
  }
};

AutorestoreSampleType libraryType(Depth d) {
  switch (d) {
    case Depth::U8: return AUTORESTORE_SAMPLE_U8;
    case Depth::U16: return AUTORESTORE_SAMPLE_U16;
    default: return AUTORESTORE_SAMPLE_F32;
  }
}

float sanitize(float v) {  // the library refuses NaN/Inf: one bad pixel must not fail a frame
  if (std::isnan(v)) return 0.0f;
  if (std::isinf(v)) return v > 0 ? 1.0f : 0.0f;
  return v;
}

// Copies rect (inside src.bounds) into a new top-down buffer.
void copyIn(const HostImage &src, const OfxRectI &rect, Buffer &buf) {
  buf.width = uint32_t(rect.x2 - rect.x1);
  buf.height = uint32_t(rect.y2 - rect.y1);
  buf.channels = uint32_t(src.channels);
  buf.type = libraryType(src.depth);
  buf.bytes.resize(buf.rowStride() * buf.height);
  const size_t n = size_t(buf.width) * buf.channels;
  for (uint32_t r = 0; r < buf.height; ++r) {
    const int y = rect.y2 - 1 - int(r);
    const char *in = src.pixel(rect.x1, y);
    unsigned char *out = buf.bytes.data() + r * buf.rowStride();
    switch (src.depth) {
      case Depth::U8: case Depth::U16:
        std::memcpy(out, in, n * depthBytes(src.depth));
        break;
      case Depth::F32: {
        float *o = reinterpret_cast<float *>(out);
        std::memcpy(o, in, n * sizeof(float));
        for (size_t i = 0; i < n; ++i) o[i] = sanitize(o[i]);
        break;
      }
      case Depth::F16: {
        const uint16_t *h = reinterpret_cast<const uint16_t *>(in);
        float *o = reinterpret_cast<float *>(out);
        for (size_t i = 0; i < n; ++i) o[i] = sanitize(halfToFloat(h[i]));
        break;
      }
    }
  }
}

inline float readSample(const unsigned char *p, AutorestoreSampleType t) {
  switch (t) {
    case AUTORESTORE_SAMPLE_U8: return *p / 255.0f;
    case AUTORESTORE_SAMPLE_U16: { uint16_t v; std::memcpy(&v, p, 2); return v / 65535.0f; }
    default: { float v; std::memcpy(&v, p, 4); return v; }
  }
}

inline void writeSample(char *p, Depth d, float v) {
  switch (d) {
    case Depth::U8: {
      const float c = std::min(1.0f, std::max(0.0f, v));
      *reinterpret_cast<uint8_t *>(p) = uint8_t(std::lround(c * 255.0f));
      break;
    }
    case Depth::U16: {
      const float c = std::min(1.0f, std::max(0.0f, v));
      const uint16_t s = uint16_t(std::lround(c * 65535.0f));
      std::memcpy(p, &s, 2);
      break;
    }
    case Depth::F16: { const uint16_t s = floatToHalf(v); std::memcpy(p, &s, 2); break; }
    case Depth::F32: std::memcpy(p, &v, 4); break;
  }
}

// Writes window into dst: from buf (which covers rect, top-down) where they overlap, transparent
// black elsewhere. Channel counts and depths may differ between buf and dst.
void copyOut(const Buffer &buf, const OfxRectI &rect, const HostImage &dst, const OfxRectI &window) {
  const size_t sb = buf.sampleBytes();
  const size_t db = depthBytes(dst.depth);
  const bool sameFormat = buf.channels == uint32_t(dst.channels) &&
                          ((buf.type == AUTORESTORE_SAMPLE_U8 && dst.depth == Depth::U8) ||
                           (buf.type == AUTORESTORE_SAMPLE_U16 && dst.depth == Depth::U16) ||
                           (buf.type == AUTORESTORE_SAMPLE_F32 && dst.depth == Depth::F32));
  for (int y = window.y1; y < window.y2; ++y) {
    char *out = const_cast<char *>(dst.pixel(window.x1, y));
    const bool rowInside = y >= rect.y1 && y < rect.y2;
    const unsigned char *row =
        rowInside ? buf.bytes.data() + size_t(rect.y2 - 1 - y) * buf.rowStride() : nullptr;
    int x = window.x1;
    // left of rect, then inside, then right of rect
    const int insideX1 = rowInside ? std::max(window.x1, rect.x1) : window.x2;
    const int insideX2 = rowInside ? std::min(window.x2, rect.x2) : window.x2;
    const size_t dstPixel = size_t(dst.channels) * db;
    for (; x < insideX1; ++x, out += dstPixel) std::memset(out, 0, dstPixel);
    if (insideX2 > insideX1) {
      const unsigned char *in = row + size_t(insideX1 - rect.x1) * buf.channels * sb;
      const int count = insideX2 - insideX1;
      if (sameFormat) {
        std::memcpy(out, in, size_t(count) * dstPixel);
        out += size_t(count) * dstPixel;
      } else {
        for (int i = 0; i < count; ++i, in += buf.channels * sb, out += dstPixel) {
          for (int c = 0; c < dst.channels; ++c) {
            float v = c < int(buf.channels) ? readSample(in + c * sb, buf.type) : 1.0f;
            writeSample(out + c * db, dst.depth, v);
          }
        }
      }
      x = insideX2;
    }
    for (; x < window.x2; ++x, out += dstPixel) std::memset(out, 0, dstPixel);
  }
}

OfxRectI intersect(const OfxRectI &a, const OfxRectI &b) {
  OfxRectI r = {std::max(a.x1, b.x1), std::max(a.y1, b.y1), std::min(a.x2, b.x2), std::min(a.y2, b.y2)};
  if (r.x2 < r.x1) r.x2 = r.x1;
  if (r.y2 < r.y1) r.y2 = r.y1;
  return r;
}
bool isEmpty(const OfxRectI &r) { return r.x2 <= r.x1 || r.y2 <= r.y1; }

// FNV-1a over a sparse grid of the picture (up to 128 x 128 pixels) plus its geometry: an upstream
// change at the same frame gives a new key, so a stale analysis is not reused.
uint64_t fingerprint(const HostImage &img) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](const void *p, size_t n) {
    const unsigned char *b = static_cast<const unsigned char *>(p);
    for (size_t i = 0; i < n; ++i) { h ^= b[i]; h *= 1099511628211ull; }
  };
  mix(&img.bounds, sizeof img.bounds);
  const int w = img.bounds.x2 - img.bounds.x1, ht = img.bounds.y2 - img.bounds.y1;
  if (w <= 0 || ht <= 0) return h;
  const int nx = std::min(w, 128), ny = std::min(ht, 128);
  const size_t px = size_t(img.channels) * depthBytes(img.depth);
  for (int j = 0; j < ny; ++j) {
    const int y = img.bounds.y1 + int((long long)j * ht / ny);
    for (int i = 0; i < nx; ++i) {
      const int x = img.bounds.x1 + int((long long)i * w / nx);
      mix(img.pixel(x, y), px);
    }
  }
  return h;
}

// ---- per-instance state ---------------------------------------------------------------------
struct AnalysisKey {
  double time = 0, scaleX = 1, scaleY = 1;
  OfxRectI bounds = {0, 0, 0, 0};
  uint64_t fingerprint = 0;
  int device = 0;
  bool operator==(const AnalysisKey &o) const {
    return time == o.time && scaleX == o.scaleX && scaleY == o.scaleY &&
           bounds.x1 == o.bounds.x1 && bounds.y1 == o.bounds.y1 && bounds.x2 == o.bounds.x2 &&
           bounds.y2 == o.bounds.y2 && fingerprint == o.fingerprint && device == o.device;
  }
};

struct Instance {
  OfxImageClipHandle source = nullptr, output = nullptr;
  OfxParamHandle mode = nullptr, strength = nullptr, steps = nullptr, seed = nullptr,
                 device = nullptr, analysis = nullptr;
  std::mutex cacheMutex;  // guards cache; held while one thread analyses a frame
  std::list<std::pair<AnalysisKey, AutorestoreAnalysis>> cache;  // most recent first
  std::mutex messageMutex;
  bool hasPersistentMessage = false;
};

Instance *instanceOf(OfxImageEffectHandle effect) {
  OfxPropertySetHandle props = nullptr;
  if (gEffect->getPropertySet(effect, &props) != kOfxStatOK) return nullptr;
  void *p = nullptr;
  gProp->propGetPointer(props, kOfxPropInstanceData, 0, &p);
  return static_cast<Instance *>(p);
}

void clearCache(Instance *inst) {
  std::lock_guard<std::mutex> lock(inst->cacheMutex);
  inst->cache.clear();
}

void fail(OfxImageEffectHandle effect, Instance *inst, const std::string &msg) {
  if (inst) {
    std::lock_guard<std::mutex> lock(inst->messageMutex);
    inst->hasPersistentMessage = true;
  }
  postError(effect, msg);
}

void clearMessage(OfxImageEffectHandle effect, Instance *inst) {
  {
    std::lock_guard<std::mutex> lock(inst->messageMutex);
    if (!inst->hasPersistentMessage) return;
    inst->hasPersistentMessage = false;
  }
  if (gMessageV2 && gMessageV2->clearPersistentMessage) gMessageV2->clearPersistentMessage(effect);
}

// Parameters at one time, snapshot once per action.
struct Settings {
  int mode = 0;
  double strength = 1.0;
  int steps = 0;
  int seed = 0;
  int device = 0;
};

Settings readSettings(Instance *inst, OfxTime t) {
  Settings s;
  gParam->paramGetValueAtTime(inst->mode, t, &s.mode);
  gParam->paramGetValueAtTime(inst->strength, t, &s.strength);
  gParam->paramGetValueAtTime(inst->steps, t, &s.steps);
  gParam->paramGetValueAtTime(inst->seed, t, &s.seed);
  gParam->paramGetValueAtTime(inst->device, t, &s.device);
  const int modes = int(sizeof(kModeOptions) / sizeof(kModeOptions[0]));
  s.mode = std::min(std::max(s.mode, 0), modes - 1);
  s.device = std::min(std::max(s.device, 0), kDeviceCount - 1);
  s.strength = std::min(1.0, std::max(0.0, std::isfinite(s.strength) ? s.strength : 1.0));
  s.steps = std::max(0, s.steps);
  return s;
}

// Fetches the whole source picture at t; throws with a message for the user.
void fetchWholeSource(Instance *inst, OfxTime t, ImageRef &ref) {
  OfxPropertySetHandle clipProps = nullptr;
  int connected = 0;
  if (!inst->source || gEffect->clipGetPropertySet(inst->source, &clipProps) != kOfxStatOK ||
      gProp->propGetInt(clipProps, kOfxImageClipPropConnected, 0, &connected) != kOfxStatOK ||
      !connected) {
    throw RenderError{"Auto Restore: the Source input is not connected"};
  }
  OfxRectD rod;
  const OfxRectD *region = nullptr;
  if (gEffect->clipGetRegionOfDefinition(inst->source, t, &rod) == kOfxStatOK) region = &rod;
  OfxPropertySetHandle h = nullptr;
  if (gEffect->clipGetImage(inst->source, t, region, &h) != kOfxStatOK || !h) {
    throw RenderError{"Auto Restore: the host gave no Source image for this frame"};
  }
  std::string why;
  if (!describeImage(h, ref.get(), why)) throw RenderError{"Auto Restore: Source: " + why};
}

// The analysis of the whole source picture, computed once per key.
AutorestoreAnalysis analysisFor(Instance *inst, AutorestoreEngine *engine, const HostImage &src,
                                const AnalysisKey &key) {
  std::lock_guard<std::mutex> lock(inst->cacheMutex);
  for (auto it = inst->cache.begin(); it != inst->cache.end(); ++it) {
    if (it->first == key) {
      inst->cache.splice(inst->cache.begin(), inst->cache, it);
      return it->second;
    }
  }
  Buffer whole;
  copyIn(src, src.bounds, whole);
  AutorestoreImage view = whole.view();
  AutorestoreAnalysis analysis;
  std::memset(&analysis, 0, sizeof analysis);
  const AutorestoreStatus st = autorestore_analyze(engine, &view, &analysis);
  if (st != AUTORESTORE_OK) throw RenderError{libraryError("analysing the frame", st)};
  inst->cache.emplace_front(key, analysis);
  while (inst->cache.size() > kAnalysisCacheEntries) inst->cache.pop_back();
  return analysis;
}

std::string describeAnalysis(AutorestoreEngine *engine, const AutorestoreAnalysis &a) {
  std::string s;
  const uint32_t n = std::min<uint32_t>(a.degradation_count, AUTORESTORE_MAX_DEGRADATIONS);
  for (uint32_t i = 0; i < n; ++i) {
    const char *name = autorestore_engine_degradation_name(engine, i);
    char part[96];
    std::snprintf(part, sizeof part, "%s%s %.0f%%", s.empty() ? "" : ", ", name ? name : "?",
                  double(a.scores[i]) * 100.0);
    s += part;
  }
  if (s.empty()) s = "nothing found";
  // contract 2: amount 0 = nothing to repair (Auto then leaves the frame as it is)
  if (a.amount <= 0.0f) s += "; nothing to repair";
  const char *model = autorestore_engine_model_name(engine);
  const char *device = autorestore_device_name(uint32_t(autorestore_engine_device(engine)));
  s += std::string("  [") + (model ? model : "model") + " on " + (device ? device : "?") + "]";
  return s;
}

// The region restored for render window `win`: `win` grown by the exact margin on each side
// (the receptive field rounded up to the tile multiple, once per sampler step, since each step
// widens what a pixel depends on), clipped to the source, with its top-left corner in the
// frame's top-down coordinates (those the library sees) on the tile-multiple grid. The
// library's result in `win` is then the whole-frame result (models/README.md, contract 2).
OfxRectI contextRegion(AutorestoreEngine *engine, const OfxRectI &win, const OfxRectI &bounds, uint32_t steps) {
  const int mult = std::max<int>(1, int(autorestore_engine_tile_multiple(engine)));
  if (steps == 0) steps = std::max<uint32_t>(1, autorestore_engine_default_steps(engine));
  const long long margin = (long long)autorestore_engine_tile_margin(engine) * steps;
  auto clampToInt = [](long long v) { return int(std::max<long long>(INT32_MIN, std::min<long long>(INT32_MAX, v))); };
  OfxRectI r = intersect(OfxRectI{clampToInt(win.x1 - margin), clampToInt(win.y1 - margin),
                                  clampToInt(win.x2 + margin), clampToInt(win.y2 + margin)},
                         bounds);
  if (isEmpty(r)) return r;
  // left column and top row (top-down) rounded outwards onto the grid, still inside the source
  const long long left = (long long)r.x1 - bounds.x1;
  const long long top = (long long)bounds.y2 - r.y2;
  r.x1 = int(bounds.x1 + left / mult * mult);
  r.y2 = int(bounds.y2 - top / mult * mult);
  return r;
}

struct AbortContext {
  OfxImageEffectHandle effect;
};

bool progressAnswersAbort(float /*fraction*/, void *user) {
  const AbortContext *ctx = static_cast<const AbortContext *>(user);
  return gEffect->abort(ctx->effect) == 0;
}

// ---- actions -------------------------------------------------------------------------------
OfxStatus onLoad() {
  if (!gHost) return kOfxStatErrMissingHostFeature;
  gProp = static_cast<const OfxPropertySuiteV1 *>(gHost->fetchSuite(gHost->host, kOfxPropertySuite, 1));
  gEffect = static_cast<const OfxImageEffectSuiteV1 *>(gHost->fetchSuite(gHost->host, kOfxImageEffectSuite, 1));
  gParam = static_cast<const OfxParameterSuiteV1 *>(gHost->fetchSuite(gHost->host, kOfxParameterSuite, 1));
  gMessageV2 = static_cast<const OfxMessageSuiteV2 *>(gHost->fetchSuite(gHost->host, kOfxMessageSuite, 2));
  gMessageV1 = static_cast<const OfxMessageSuiteV1 *>(gHost->fetchSuite(gHost->host, kOfxMessageSuite, 1));
  if (!gProp || !gEffect || !gParam) return kOfxStatErrMissingHostFeature;
  if (!gEngines) gEngines = new (std::nothrow) EngineRegistry;
  return gEngines ? kOfxStatOK : kOfxStatErrMemory;
}

OfxStatus onUnload() {
  destroyEngines();
  delete gEngines;
  gEngines = nullptr;
  return kOfxStatOK;
}

OfxStatus onDescribe(OfxImageEffectHandle effect) {
  OfxPropertySetHandle p = nullptr;
  gEffect->getPropertySet(effect, &p);
  gProp->propSetString(p, kOfxPropLabel, 0, kPluginLabel);
  gProp->propSetString(p, kOfxPropShortLabel, 0, kPluginLabel);
  gProp->propSetString(p, kOfxPropLongLabel, 0, kPluginLabel);
  gProp->propSetString(p, kOfxImageEffectPluginPropGrouping, 0, kPluginGrouping);
  gProp->propSetString(p, kOfxPropPluginDescription, 0, kPluginDescription);
  gProp->propSetString(p, kOfxImageEffectPropSupportedContexts, 0, kOfxImageEffectContextFilter);
  gProp->propSetString(p, kOfxImageEffectPropSupportedContexts, 1, kOfxImageEffectContextGeneral);
  const char *depths[] = {kOfxBitDepthFloat, kOfxBitDepthByte, kOfxBitDepthShort, kOfxBitDepthHalf};
  for (int i = 0; i < 4; ++i) gProp->propSetString(p, kOfxImageEffectPropSupportedPixelDepths, i, depths[i]);
  gProp->propSetInt(p, kOfxImageEffectPropSupportsTiles, 0, kSupportsTiles);
  gProp->propSetInt(p, kOfxImageEffectPropSupportsMultiResolution, 0, kSupportsMultiResolution);
  gProp->propSetInt(p, kOfxImageEffectPropSupportsMultipleClipDepths, 0, 0);
  gProp->propSetInt(p, kOfxImageEffectPropSupportsMultipleClipPARs, 0, 0);
  gProp->propSetInt(p, kOfxImageEffectPropTemporalClipAccess, 0, 0);
  gProp->propSetInt(p, kOfxImageEffectPluginPropSingleInstance, 0, 0);
  // The engine spreads each tile over the CPU cores itself; host threads are still safe.
  gProp->propSetInt(p, kOfxImageEffectPluginPropHostFrameThreading, 0, 0);
  gProp->propSetString(p, kOfxImageEffectPluginRenderThreadSafety, 0, kRenderThreadSafety);
  return kOfxStatOK;
}

void defineChoice(OfxParamSetHandle params, const char *name, const char *label, const char *hint,
                  const ChoiceOption *options, int count) {
  OfxPropertySetHandle p = nullptr;
  gParam->paramDefine(params, kOfxParamTypeChoice, name, &p);
  gProp->propSetString(p, kOfxPropLabel, 0, label);
  gProp->propSetString(p, kOfxParamPropHint, 0, hint);
  for (int i = 0; i < count; ++i) gProp->propSetString(p, kOfxParamPropChoiceOption, i, options[i].label);
  gProp->propSetInt(p, kOfxParamPropDefault, 0, 0);
  gProp->propSetInt(p, kOfxParamPropAnimates, 0, 0);
}

OfxStatus onDescribeInContext(OfxImageEffectHandle effect, OfxPropertySetHandle inArgs) {
  char *context = nullptr;
  gProp->propGetString(inArgs, kOfxImageEffectPropContext, 0, &context);
  if (!context || (std::strcmp(context, kOfxImageEffectContextFilter) != 0 &&
                   std::strcmp(context, kOfxImageEffectContextGeneral) != 0)) {
    return kOfxStatErrMissingHostFeature;
  }
  const bool general = std::strcmp(context, kOfxImageEffectContextGeneral) == 0;

  OfxPropertySetHandle clip = nullptr;
  gEffect->clipDefine(effect, kClipSource, &clip);
  gProp->propSetString(clip, kOfxImageEffectPropSupportedComponents, 0, kOfxImageComponentRGBA);
  gProp->propSetString(clip, kOfxImageEffectPropSupportedComponents, 1, kOfxImageComponentRGB);
  gProp->propSetInt(clip, kOfxImageEffectPropSupportsTiles, 0, kSupportsTiles);
  gProp->propSetInt(clip, kOfxImageClipPropIsMask, 0, 0);
  if (general) gProp->propSetInt(clip, kOfxImageClipPropOptional, 0, 0);

  gEffect->clipDefine(effect, kClipOutput, &clip);
  gProp->propSetString(clip, kOfxImageEffectPropSupportedComponents, 0, kOfxImageComponentRGBA);
  gProp->propSetString(clip, kOfxImageEffectPropSupportedComponents, 1, kOfxImageComponentRGB);
  gProp->propSetInt(clip, kOfxImageEffectPropSupportsTiles, 0, kSupportsTiles);

  OfxParamSetHandle params = nullptr;
  gEffect->getParamSet(effect, &params);
  OfxPropertySetHandle p = nullptr;

  defineChoice(params, kParamMode, kParamModeLabel, kParamModeHint, kModeOptions,
               int(sizeof(kModeOptions) / sizeof(kModeOptions[0])));

  gParam->paramDefine(params, kOfxParamTypeDouble, kParamStrength, &p);
  gProp->propSetString(p, kOfxPropLabel, 0, kParamStrengthLabel);
  gProp->propSetString(p, kOfxParamPropHint, 0, kParamStrengthHint);
  gProp->propSetString(p, kOfxParamPropDoubleType, 0, kOfxParamDoubleTypeScale);
  gProp->propSetDouble(p, kOfxParamPropDefault, 0, 1.0);
  gProp->propSetDouble(p, kOfxParamPropMin, 0, 0.0);
  gProp->propSetDouble(p, kOfxParamPropMax, 0, 1.0);
  gProp->propSetDouble(p, kOfxParamPropDisplayMin, 0, 0.0);
  gProp->propSetDouble(p, kOfxParamPropDisplayMax, 0, 1.0);
  gProp->propSetDouble(p, kOfxParamPropIncrement, 0, 0.05);
  gProp->propSetInt(p, kOfxParamPropDigits, 0, 2);

  gParam->paramDefine(params, kOfxParamTypeInteger, kParamSteps, &p);
  gProp->propSetString(p, kOfxPropLabel, 0, kParamStepsLabel);
  gProp->propSetString(p, kOfxParamPropHint, 0, kParamStepsHint);
  gProp->propSetInt(p, kOfxParamPropDefault, 0, 0);
  gProp->propSetInt(p, kOfxParamPropMin, 0, 0);
  gProp->propSetInt(p, kOfxParamPropMax, 0, 64);
  gProp->propSetInt(p, kOfxParamPropDisplayMin, 0, 0);
  gProp->propSetInt(p, kOfxParamPropDisplayMax, 0, 8);
  gProp->propSetInt(p, kOfxParamPropAnimates, 0, 0);

  gParam->paramDefine(params, kOfxParamTypeInteger, kParamSeed, &p);
  gProp->propSetString(p, kOfxPropLabel, 0, kParamSeedLabel);
  gProp->propSetString(p, kOfxParamPropHint, 0, kParamSeedHint);
  gProp->propSetInt(p, kOfxParamPropDefault, 0, 0);
  gProp->propSetInt(p, kOfxParamPropMin, 0, 0);
  gProp->propSetInt(p, kOfxParamPropAnimates, 0, 0);

  defineChoice(params, kParamDevice, kParamDeviceLabel, kParamDeviceHint, kDeviceOptions, kDeviceCount);

  gParam->paramDefine(params, kOfxParamTypePushButton, kParamAnalyze, &p);
  gProp->propSetString(p, kOfxPropLabel, 0, kParamAnalyzeLabel);
  gProp->propSetString(p, kOfxParamPropHint, 0, kParamAnalyzeHint);

  gParam->paramDefine(params, kOfxParamTypeString, kParamAnalysis, &p);
  gProp->propSetString(p, kOfxPropLabel, 0, kParamAnalysisLabel);
  gProp->propSetString(p, kOfxParamPropHint, 0, kParamAnalysisHint);
  gProp->propSetString(p, kOfxParamPropStringMode, 0, kOfxParamStringIsLabel);
  gProp->propSetString(p, kOfxParamPropDefault, 0, "");
  gProp->propSetInt(p, kOfxParamPropEnabled, 0, 0);
  gProp->propSetInt(p, kOfxParamPropAnimates, 0, 0);
  gProp->propSetInt(p, kOfxParamPropEvaluateOnChange, 0, 0);
  gProp->propSetInt(p, kOfxParamPropPersistant, 0, 0);
  return kOfxStatOK;
}

OfxStatus onCreateInstance(OfxImageEffectHandle effect) {
  std::unique_ptr<Instance> inst(new Instance);
  gEffect->clipGetHandle(effect, kClipSource, &inst->source, nullptr);
  gEffect->clipGetHandle(effect, kClipOutput, &inst->output, nullptr);
  OfxParamSetHandle params = nullptr;
  gEffect->getParamSet(effect, &params);
  gParam->paramGetHandle(params, kParamMode, &inst->mode, nullptr);
  gParam->paramGetHandle(params, kParamStrength, &inst->strength, nullptr);
  gParam->paramGetHandle(params, kParamSteps, &inst->steps, nullptr);
  gParam->paramGetHandle(params, kParamSeed, &inst->seed, nullptr);
  gParam->paramGetHandle(params, kParamDevice, &inst->device, nullptr);
  gParam->paramGetHandle(params, kParamAnalysis, &inst->analysis, nullptr);
  if (!inst->output || !inst->mode || !inst->strength || !inst->steps || !inst->seed ||
      !inst->device || !inst->analysis) {
    return kOfxStatFailed;
  }
  OfxPropertySetHandle props = nullptr;
  gEffect->getPropertySet(effect, &props);
  gProp->propSetPointer(props, kOfxPropInstanceData, 0, inst.release());
  return kOfxStatOK;
}

OfxStatus onDestroyInstance(OfxImageEffectHandle effect) {
  Instance *inst = instanceOf(effect);
  OfxPropertySetHandle props = nullptr;
  gEffect->getPropertySet(effect, &props);
  gProp->propSetPointer(props, kOfxPropInstanceData, 0, nullptr);
  delete inst;
  return kOfxStatOK;
}

OfxStatus onRender(OfxImageEffectHandle effect, OfxPropertySetHandle inArgs) {
  Instance *inst = instanceOf(effect);
  if (!inst) return kOfxStatErrBadHandle;
  OfxTime time = 0;
  OfxRectI window;
  OfxPointD scale = {1.0, 1.0};
  gProp->propGetDouble(inArgs, kOfxPropTime, 0, &time);
  gProp->propGetIntN(inArgs, kOfxImageEffectPropRenderWindow, 4, &window.x1);
  gProp->propGetDoubleN(inArgs, kOfxImageEffectPropRenderScale, 2, &scale.x);

  try {
    AbortContext abortCtx{effect};
    if (!progressAnswersAbort(0.0f, &abortCtx)) throw RenderAborted{};
    const Settings s = readSettings(inst, time);

    ImageRef out;
    OfxPropertySetHandle outHandle = nullptr;
    if (gEffect->clipGetImage(inst->output, time, nullptr, &outHandle) != kOfxStatOK || !outHandle) {
      throw RenderError{"Auto Restore: the host gave no Output image to render into"};
    }
    std::string why;
    if (!describeImage(outHandle, out.get(), why)) throw RenderError{"Auto Restore: Output: " + why};
    const OfxRectI win = intersect(window, out.get().bounds);
    if (isEmpty(win)) return kOfxStatOK;

    ImageRef src;
    fetchWholeSource(inst, time, src);
    const HostImage &in = src.get();

    AutorestoreEngine *engine = engineFor(s.device);
    const OfxRectI region = contextRegion(engine, win, in.bounds, uint32_t(s.steps));
    Buffer buf;
    if (isEmpty(intersect(win, in.bounds))) {  // nothing of the source under this window
      copyOut(buf, OfxRectI{0, 0, 0, 0}, out.get(), win);
      clearMessage(effect, inst);
      return kOfxStatOK;
    }

    AnalysisKey key;
    key.time = time;
    key.scaleX = scale.x;
    key.scaleY = scale.y;
    key.bounds = in.bounds;
    key.fingerprint = fingerprint(in);
    key.device = s.device;
    const AutorestoreAnalysis analysis = analysisFor(inst, engine, in, key);
    if (!progressAnswersAbort(0.0f, &abortCtx)) throw RenderAborted{};

    copyIn(in, region, buf);
    AutorestoreRestoreParams rp;
    autorestore_restore_params_init(&rp);
    AutorestoreMode mode = AUTORESTORE_MODE_AUTO;
    AutorestoreStatus st = autorestore_mode_from_name(kModeOptions[s.mode].name, &mode);
    if (st != AUTORESTORE_OK) throw RenderError{libraryError("choosing the mode", st)};
    rp.mode = mode;
    rp.strength = float(s.strength);
    rp.steps = uint32_t(s.steps);
    rp.seed = uint64_t(s.seed);
    // The buffer's rows are top-down from the region's top: key the sampler noise on the
    // frame's top-down coordinates so tiles draw the noise of a whole-frame render.
    rp.noise_origin_x = uint32_t(region.x1 - in.bounds.x1);
    rp.noise_origin_y = uint32_t(in.bounds.y2 - region.y2);
    rp.analysis = &analysis;
    rp.progress = &progressAnswersAbort;
    rp.progress_user_data = &abortCtx;
    AutorestoreImage view = buf.view();
    st = autorestore_restore(engine, &view, &view, &rp);
    if (st == AUTORESTORE_ERR_CANCELLED) throw RenderAborted{};
    if (st != AUTORESTORE_OK) throw RenderError{libraryError("restoring", st)};
    if (!progressAnswersAbort(1.0f, &abortCtx)) throw RenderAborted{};

    copyOut(buf, region, out.get(), win);
    clearMessage(effect, inst);
    return kOfxStatOK;
  } catch (const RenderAborted &) {
    return kOfxStatFailed;
  } catch (const RenderError &e) {
    fail(effect, inst, e.message);
    return kOfxStatFailed;
  } catch (const std::bad_alloc &) {
    fail(effect, inst, "Auto Restore: out of memory for this frame");
    return kOfxStatErrMemory;
  } catch (...) {
    fail(effect, inst, "Auto Restore: internal error while rendering");
    return kOfxStatFailed;
  }
}

// "Analyze Frame": analyse the source at the given time and show the result.
OfxStatus analyzeForDisplay(OfxImageEffectHandle effect, Instance *inst, OfxTime time, OfxPointD scale) {
  try {
    const Settings s = readSettings(inst, time);
    ImageRef src;
    fetchWholeSource(inst, time, src);
    AutorestoreEngine *engine = engineFor(s.device);
    AnalysisKey key;
    key.time = time;
    key.scaleX = scale.x;
    key.scaleY = scale.y;
    key.bounds = src.get().bounds;
    key.fingerprint = fingerprint(src.get());
    key.device = s.device;
    const AutorestoreAnalysis a = analysisFor(inst, engine, src.get(), key);
    const std::string text = describeAnalysis(engine, a);
    gParam->paramSetValue(inst->analysis, text.c_str());
    clearMessage(effect, inst);
    return kOfxStatOK;
  } catch (const RenderError &e) {
    fail(effect, inst, e.message);
  } catch (...) {
    fail(effect, inst, "Auto Restore: internal error while analysing");
  }
  return kOfxStatFailed;
}

OfxStatus onInstanceChanged(OfxImageEffectHandle effect, OfxPropertySetHandle inArgs) {
  Instance *inst = instanceOf(effect);
  if (!inst) return kOfxStatErrBadHandle;
  char *type = nullptr, *name = nullptr;
  gProp->propGetString(inArgs, kOfxPropType, 0, &type);
  gProp->propGetString(inArgs, kOfxPropName, 0, &name);
  if (type && std::strcmp(type, kOfxTypeParameter) == 0 && name &&
      std::strcmp(name, kParamAnalyze) == 0) {
    OfxTime time = 0;
    OfxPointD scale = {1.0, 1.0};
    gProp->propGetDouble(inArgs, kOfxPropTime, 0, &time);
    gProp->propGetDoubleN(inArgs, kOfxImageEffectPropRenderScale, 2, &scale.x);
    return analyzeForDisplay(effect, inst, time, scale);
  }
  if (type && std::strcmp(type, kOfxTypeClip) == 0) clearCache(inst);
  return kOfxStatReplyDefault;
}

OfxStatus onIsIdentity(OfxImageEffectHandle effect, OfxPropertySetHandle inArgs,
                       OfxPropertySetHandle outArgs) {
  Instance *inst = instanceOf(effect);
  if (!inst) return kOfxStatReplyDefault;
  OfxTime time = 0;
  gProp->propGetDouble(inArgs, kOfxPropTime, 0, &time);
  double strength = 1.0;
  gParam->paramGetValueAtTime(inst->strength, time, &strength);
  if (strength <= 0.0) {
    gProp->propSetString(outArgs, kOfxPropName, 0, kClipSource);
    return kOfxStatOK;
  }
  return kOfxStatReplyDefault;
}

OfxStatus mainEntry(const char *action, const void *handle, OfxPropertySetHandle inArgs,
                    OfxPropertySetHandle outArgs) {
  try {
    OfxImageEffectHandle effect = (OfxImageEffectHandle)handle;
    if (std::strcmp(action, kOfxActionLoad) == 0) return onLoad();
    if (std::strcmp(action, kOfxActionUnload) == 0) return onUnload();
    if (std::strcmp(action, kOfxActionDescribe) == 0) return onDescribe(effect);
    if (std::strcmp(action, kOfxImageEffectActionDescribeInContext) == 0)
      return onDescribeInContext(effect, inArgs);
    if (std::strcmp(action, kOfxActionCreateInstance) == 0) return onCreateInstance(effect);
    if (std::strcmp(action, kOfxActionDestroyInstance) == 0) return onDestroyInstance(effect);
    if (std::strcmp(action, kOfxImageEffectActionRender) == 0) return onRender(effect, inArgs);
    if (std::strcmp(action, kOfxImageEffectActionGetRegionsOfInterest) == 0) {
      // The analysis reads the whole source picture: ask for its region of definition.
      Instance *inst = instanceOf(effect);
      if (!inst || !inst->source) return kOfxStatReplyDefault;
      OfxTime time = 0;
      gProp->propGetDouble(inArgs, kOfxPropTime, 0, &time);
      OfxRectD rod;
      if (gEffect->clipGetRegionOfDefinition(inst->source, time, &rod) != kOfxStatOK)
        return kOfxStatReplyDefault;
      gProp->propSetDoubleN(outArgs, "OfxImageClipPropRoI_Source", 4, &rod.x1);
      return kOfxStatOK;
    }
    if (std::strcmp(action, kOfxImageEffectActionIsIdentity) == 0)
      return onIsIdentity(effect, inArgs, outArgs);
    if (std::strcmp(action, kOfxActionInstanceChanged) == 0) return onInstanceChanged(effect, inArgs);
    if (std::strcmp(action, kOfxActionPurgeCaches) == 0) {
      if (Instance *inst = instanceOf(effect)) clearCache(inst);
      return kOfxStatOK;
    }
    return kOfxStatReplyDefault;
  } catch (const std::bad_alloc &) {
    return kOfxStatErrMemory;
  } catch (...) {
    return kOfxStatFailed;
  }
}

void setHost(OfxHost *host) { gHost = host; }

OfxPlugin gPlugin = {
    kOfxImageEffectPluginApi, 1, kPluginIdentifier, kPluginVersionMajor, kPluginVersionMinor,
    setHost, mainEntry,
};

}  // namespace

AR_EXPORT int OfxGetNumberOfPlugins(void) { return 1; }

AR_EXPORT OfxPlugin *OfxGetPlugin(int nth) { return nth == 0 ? &gPlugin : nullptr; }
