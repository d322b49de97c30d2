// A small OFX host on the OpenFX SDK's HostSupport library that loads AutoRestore.ofx.bundle and
// drives it like a compositing application: load, describe, describe-in-context, create instance,
// clip preferences, regions of interest, renders of whole frames and of tiles from several
// threads at several render scales and pixel depths, abort, bad input, the Analyze button, and
// destroy/unload. The plug-in's pixels are compared with libautorestore called directly on the
// same picture with the same settings.
//
// Usage: OFX_PLUGIN_PATH=<dir holding AutoRestore.ofx.bundle> ofx_host_test <bundle binary dir>
//        <degraded photo, PNG: the Lock Analysis sequence is cut from it>
//   (the binary dir holds model/ and libonnxruntime.so, which the reference engine also uses).

#include <dlfcn.h>

#include <cassert>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <atomic>
#include <set>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "ofxCore.h"
#include "ofxImageEffect.h"
#include "ofxMessage.h"
#include "ofxPixels.h"
// HostSupport headers, in the order they depend on each other
#include "ofxhBinary.h"
#include "ofxhPropertySuite.h"
#include "ofxhClip.h"
#include "ofxhParam.h"
#include "ofxhMemory.h"
#include "ofxhImageEffect.h"
#include "ofxhPluginAPICache.h"
#include "ofxhPluginCache.h"
#include "ofxhHost.h"
#include "ofxhImageEffectAPI.h"

extern "C" {  // harmless if the header already declares C linkage
#include "autorestore.h"
}
#include <png.h>

namespace OH = OFX::Host;
namespace IE = OFX::Host::ImageEffect;

static const char *kPluginId = "org.autorestore.AutoRestore";

// ---------------------------------------------------------------------------------------------
// test bookkeeping
static int gFailures = 0;
static int gChecks = 0;
#define CHECK(cond, ...)                                                   \
  do {                                                                     \
    ++gChecks;                                                             \
    if (!(cond)) {                                                         \
      ++gFailures;                                                         \
      std::printf("  FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);        \
      std::printf(__VA_ARGS__);                                            \
      std::printf("\n");                                                   \
    }                                                                      \
  } while (0)

static double seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// ---------------------------------------------------------------------------------------------
// pictures
// Half samples are the compiler's IEEE binary16 type (GCC/Clang _Float16): no converter here.
typedef _Float16 Half;

// A picture stored top-down, tightly packed, in one OFX pixel format.
struct Picture {
  int w = 0, h = 0, channels = 4;
  std::string depth = kOfxBitDepthFloat;
  std::vector<unsigned char> bytes;
  size_t sampleBytes() const {
    return depth == kOfxBitDepthByte ? 1 : (depth == kOfxBitDepthFloat ? 4 : 2);
  }
  size_t row() const { return size_t(w) * channels * sampleBytes(); }
  float get(int x, int yTop, int c) const {
    const unsigned char *p = bytes.data() + size_t(yTop) * row() + (size_t(x) * channels + c) * sampleBytes();
    if (depth == kOfxBitDepthByte) return *p / 255.0f;
    if (depth == kOfxBitDepthShort) { uint16_t v; std::memcpy(&v, p, 2); return v / 65535.0f; }
    if (depth == kOfxBitDepthHalf) { Half v; std::memcpy(&v, p, 2); return float(v); }
    float v; std::memcpy(&v, p, 4); return v;
  }
  void set(int x, int yTop, int c, float v) {
    unsigned char *p = bytes.data() + size_t(yTop) * row() + (size_t(x) * channels + c) * sampleBytes();
    const float cl = std::fmin(1.0f, std::fmax(0.0f, v));
    if (depth == kOfxBitDepthByte) *p = (unsigned char)std::lround(cl * 255.0f);
    else if (depth == kOfxBitDepthShort) { uint16_t s = (uint16_t)std::lround(cl * 65535.0f); std::memcpy(p, &s, 2); }
    else if (depth == kOfxBitDepthHalf) { const Half s = Half(cl); std::memcpy(p, &s, 2); }
    else std::memcpy(p, &v, 4);
  }
};

static Picture makePicture(int w, int h, int channels, const std::string &depth) {
  Picture p;
  p.w = w; p.h = h; p.channels = channels; p.depth = depth;
  p.bytes.assign(p.row() * h, 0);
  return p;
}

// A noisy synthetic photo-like picture: gradients, discs, stripes, Gaussian noise; alpha 1
// except a half-transparent band (alpha must pass through untouched).
static Picture syntheticPicture(int w, int h, int channels, const std::string &depth, unsigned seed) {
  Picture p = makePicture(w, h, channels, depth);
  uint64_t s = 0x9E3779B97F4A7C15ull ^ seed;
  auto uniform = [&s]() {
    s ^= s << 13; s ^= s >> 7; s ^= s << 17;
    return ((s >> 11) + 0.5) / 9007199254740992.0;
  };
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const double u = double(x) / w, v = double(y) / h;
      double r = 0.2 + 0.6 * u, g = 0.3 + 0.4 * v, b = 0.5 + 0.3 * std::sin(6.0 * u + 3.0 * v);
      const double dx = x - 0.35 * w, dy = y - 0.5 * h;
      if (dx * dx + dy * dy < 0.04 * w * w) { r = 0.9; g = 0.8; b = 0.2; }
      if ((x / 8) % 2 == 0 && y > h * 3 / 4) { r *= 0.3; g *= 0.3; b *= 0.3; }
      double rgb[3] = {r, g, b};
      for (int c = 0; c < 3; ++c) {
        const double n = std::sqrt(-2.0 * std::log(uniform())) * std::cos(6.283185307 * uniform());
        rgb[c] += 0.06 * n;
        p.set(x, y, c, float(std::fmin(1.0, std::fmax(0.0, rgb[c]))));
      }
      if (channels == 4) p.set(x, y, 3, (y < h / 8) ? 0.5f : 1.0f);
    }
  }
  return p;
}

static Picture downscale2(const Picture &src) {  // box filter, same format
  Picture d = makePicture(src.w / 2, src.h / 2, src.channels, src.depth);
  for (int y = 0; y < d.h; ++y)
    for (int x = 0; x < d.w; ++x)
      for (int c = 0; c < src.channels; ++c)
        d.set(x, y, c, 0.25f * (src.get(2 * x, 2 * y, c) + src.get(2 * x + 1, 2 * y, c) +
                                src.get(2 * x, 2 * y + 1, c) + src.get(2 * x + 1, 2 * y + 1, c)));
  return d;
}

// ---------------------------------------------------------------------------------------------
// the host
namespace TestHost {

class Effect;

// An image over memory we own elsewhere (the plug-in only borrows it).
class Image : public IE::Image {
 public:
  Image(IE::ClipInstance &clip, double scale, void *data, const OfxRectI &bounds, const OfxRectI &rod,
        int rowBytes, const std::string &uid)
      : IE::Image(clip, scale, scale, data, bounds, rod, rowBytes, kOfxImageFieldNone, uid) {}
};

struct SourceConfig {
  Picture full;           // at render scale 1
  Picture half;           // at render scale 0.5
  bool connected = true;
  bool negativeRowBytes = false;  // expose top-down memory with negative row bytes
  std::string reportDepth;        // if set, images claim this depth (a broken host)
  std::string reportComponents;   // if set, images claim these components
  std::vector<Picture> frames;    // if set, frame t (at scale 1) is frames[t]: a sequence
};

class Clip : public IE::ClipInstance {
 public:
  Clip(Effect *effect, IE::ClipDescriptor *desc);
  const std::string &getUnmappedBitDepth() const override;
  const std::string &getUnmappedComponents() const override;
  const std::string &getPremult() const override {
    static const std::string v(kOfxImageUnPreMultiplied);
    return v;
  }
  double getAspectRatio() const override { return 1.0; }
  double getFrameRate() const override { return 25.0; }
  void getFrameRange(double &a, double &b) const override { a = 0; b = 10; }
  const std::string &getFieldOrder() const override {
    static const std::string v(kOfxImageFieldNone);
    return v;
  }
  bool getConnected() const override;
  double getUnmappedFrameRate() const override { return 25.0; }
  void getUnmappedFrameRange(double &a, double &b) const override { a = 0; b = 10; }
  bool getContinuousSamples() const override { return false; }
  IE::Image *getImage(OfxTime time, const OfxRectD *optionalBounds) override;
  OfxRectD getRegionOfDefinition(OfxTime time) const override;

 private:
  Effect *_effect;
  std::string _name;
};

class Effect : public IE::Instance {
 public:
  Effect(IE::ImageEffectPlugin *plugin, IE::Descriptor &desc, const std::string &context)
      : IE::Instance(plugin, desc, context, false) {}

  // what this test sets up
  SourceConfig source;
  std::string outputDepth = kOfxBitDepthFloat;
  int outputChannels = 4;
  double scale = 1.0;        // the render scale of the current renders
  Picture output;            // at the current scale, top-down; bottom-up via negative stride
  std::atomic<int> abortAfter{-1};  // abort() returns 1 after this many calls (-1: never)
  std::atomic<int> abortCalls{0};
  std::atomic<int> imagesOut{0};    // images handed out and not yet released
  std::mutex fetchMutex;
  std::vector<std::pair<int, long>> sourceFetches;  // (frame, pixels) of each Source image
  std::mutex messageMutex;
  std::vector<std::string> messages;

  int canonicalW() const { return source.full.w; }
  int canonicalH() const { return source.full.h; }
  const Picture &sourceAtScale() const { return scale == 1.0 ? source.full : source.half; }

  void resetOutput(float sentinel) {
    const int w = int(canonicalW() * scale), h = int(canonicalH() * scale);
    output = makePicture(w, h, outputChannels, outputDepth);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        for (int c = 0; c < outputChannels; ++c) output.set(x, y, c, sentinel);
  }
  std::string lastMessage() {
    std::lock_guard<std::mutex> l(messageMutex);
    return messages.empty() ? std::string() : messages.back();
  }

  // ---- Instance pure virtuals
  const std::string &getDefaultOutputFielding() const override {
    static const std::string v(kOfxImageFieldNone);
    return v;
  }
  IE::ClipInstance *newClipInstance(IE::Instance *, IE::ClipDescriptor *descriptor, int) override {
    return new Clip(this, descriptor);
  }
  OfxStatus vmessage(const char *type, const char *, const char *format, va_list args) override {
    char buf[2048];
    std::vsnprintf(buf, sizeof buf, format, args);
    std::lock_guard<std::mutex> l(messageMutex);
    messages.push_back(std::string(type) + ": " + buf);
    return kOfxStatOK;
  }
  OfxStatus setPersistentMessage(const char *type, const char *id, const char *format, va_list args) override {
    return vmessage(type, id, format, args);
  }
  OfxStatus clearPersistentMessage() override { return kOfxStatOK; }
  void getProjectSize(double &x, double &y) const override { x = canonicalW(); y = canonicalH(); }
  void getProjectOffset(double &x, double &y) const override { x = 0; y = 0; }
  void getProjectExtent(double &x, double &y) const override { x = canonicalW(); y = canonicalH(); }
  double getProjectPixelAspectRatio() const override { return 1.0; }
  double getEffectDuration() const override { return 10.0; }
  double getFrameRate() const override { return 25.0; }
  double getFrameRecursive() const override { return 0.0; }
  void getRenderScaleRecursive(double &x, double &y) const override { x = y = scale; }
  OH::Param::Instance *newParam(const std::string &name, OH::Param::Descriptor &d) override;
  OfxStatus editBegin(const std::string &) override { return kOfxStatOK; }
  OfxStatus editEnd() override { return kOfxStatOK; }
  void progressStart(const std::string &, const std::string &) override {}
  void progressEnd() override {}
  bool progressUpdate(double) override { return true; }
  double timeLineGetTime() override { return 0; }
  void timeLineGotoTime(double) override {}
  void timeLineGetBounds(double &a, double &b) override { a = 0; b = 10; }
  int abort() override {
    const int n = abortCalls.fetch_add(1);
    const int limit = abortAfter.load();
    return (limit >= 0 && n >= limit) ? 1 : 0;
  }
};

// ---- parameters: plain values, no animation
template <class Base, class T>
class Value : public Base {
 public:
  Value(OH::Param::Descriptor &d, OH::Param::SetInstance *set, T v) : Base(d, set), value(v) {}
  OfxStatus get(T &v) override { std::lock_guard<std::mutex> l(m); v = value; return kOfxStatOK; }
  OfxStatus get(OfxTime, T &v) override { return get(v); }
  OfxStatus set(T v) override { std::lock_guard<std::mutex> l(m); value = v; return kOfxStatOK; }
  OfxStatus set(OfxTime, T v) override { return set(v); }
  std::mutex m;
  T value;
};
class IntParam : public Value<OH::Param::IntegerInstance, int> {
 public:
  using Value::Value;
};
class ChoiceParam : public Value<OH::Param::ChoiceInstance, int> {
 public:
  using Value::Value;
};
class BoolParam : public Value<OH::Param::BooleanInstance, bool> {
 public:
  using Value::Value;
};
class DoubleParam : public Value<OH::Param::DoubleInstance, double> {
 public:
  using Value::Value;
  OfxStatus derive(OfxTime, double &d) override { d = 0; return kOfxStatOK; }
  OfxStatus integrate(OfxTime a, OfxTime b, double &d) override { d = value * (b - a); return kOfxStatOK; }
};
class StringParam : public OH::Param::StringInstance {
 public:
  StringParam(OH::Param::Descriptor &d, OH::Param::SetInstance *set, const std::string &v)
      : OH::Param::StringInstance(d, set), value(v) {}
  OfxStatus get(std::string &v) override { std::lock_guard<std::mutex> l(m); v = value; return kOfxStatOK; }
  OfxStatus get(OfxTime, std::string &v) override { return get(v); }
  OfxStatus set(const char *v) override { std::lock_guard<std::mutex> l(m); value = v; return kOfxStatOK; }
  OfxStatus set(OfxTime, const char *v) override { return set(v); }
  std::mutex m;
  std::string value;
};
class ButtonParam : public OH::Param::PushbuttonInstance {
 public:
  ButtonParam(OH::Param::Descriptor &d, OH::Param::SetInstance *set) : OH::Param::PushbuttonInstance(d, set) {}
};

OH::Param::Instance *Effect::newParam(const std::string &, OH::Param::Descriptor &d) {
  const OH::Property::Set &p = d.getProperties();
  const std::string &type = d.getType();
  if (type == kOfxParamTypeInteger) return new IntParam(d, this, p.getIntProperty(kOfxParamPropDefault));
  if (type == kOfxParamTypeChoice) return new ChoiceParam(d, this, p.getIntProperty(kOfxParamPropDefault));
  if (type == kOfxParamTypeBoolean) return new BoolParam(d, this, p.getIntProperty(kOfxParamPropDefault) != 0);
  if (type == kOfxParamTypeDouble) return new DoubleParam(d, this, p.getDoubleProperty(kOfxParamPropDefault));
  if (type == kOfxParamTypeString) return new StringParam(d, this, p.getStringProperty(kOfxParamPropDefault));
  if (type == kOfxParamTypePushButton) return new ButtonParam(d, this);
  if (type == kOfxParamTypeGroup) return new OH::Param::GroupInstance(d, this);
  if (type == kOfxParamTypePage) return new OH::Param::PageInstance(d, this);
  std::printf("  host: unsupported parameter type %s\n", type.c_str());
  return nullptr;
}

// ---- clips
Clip::Clip(Effect *effect, IE::ClipDescriptor *desc)
    : IE::ClipInstance(effect, *desc), _effect(effect), _name(desc->getName()) {}

const std::string &Clip::getUnmappedBitDepth() const {
  return _name == kOfxImageEffectOutputClipName ? _effect->outputDepth : _effect->source.full.depth;
}
const std::string &Clip::getUnmappedComponents() const {
  static const std::string rgba(kOfxImageComponentRGBA), rgb(kOfxImageComponentRGB);
  const int n = _name == kOfxImageEffectOutputClipName ? _effect->outputChannels : _effect->source.full.channels;
  return n == 4 ? rgba : rgb;
}
bool Clip::getConnected() const {
  return _name == kOfxImageEffectOutputClipName ? true : _effect->source.connected;
}
OfxRectD Clip::getRegionOfDefinition(OfxTime) const {
  OfxRectD r = {0, 0, double(_effect->canonicalW()), double(_effect->canonicalH())};
  return r;
}

// A view of a top-down picture as an OFX image (y up) over bounds, with negative row bytes:
// pixel (x, y) is picture row h-1-y.
static IE::Image *imageOver(IE::ClipInstance &clip, double scale, Picture &pic, OfxRectI bounds,
                            const std::string &uid) {
  const OfxRectI rod = {0, 0, pic.w, pic.h};
  const size_t px = size_t(pic.channels) * pic.sampleBytes();
  unsigned char *origin = pic.bytes.data() + size_t(pic.h - 1 - bounds.y1) * pic.row() + size_t(bounds.x1) * px;
  return new Image(clip, scale, origin, bounds, rod, -int(pic.row()), uid);
}

// A bottom-up copy (positive row bytes) that the image owns.
class OwningImage : public Image {
 public:
  OwningImage(IE::ClipInstance &clip, double scale, std::vector<unsigned char> &&bytes,
              const OfxRectI &bounds, const OfxRectI &rod, int rowBytes, const std::string &uid)
      : Image(clip, scale, nullptr, bounds, rod, rowBytes, uid), _bytes(std::move(bytes)) {
    setPointerProperty(kOfxImagePropData, _bytes.data());
  }

 private:
  std::vector<unsigned char> _bytes;
};

IE::Image *Clip::getImage(OfxTime time, const OfxRectD *optionalBounds) {
  const double s = _effect->scale;
  if (_name == kOfxImageEffectOutputClipName) {
    Picture &out = _effect->output;
    const OfxRectI b = {0, 0, out.w, out.h};
    ++_effect->imagesOut;
    return imageOver(*this, s, out, b, "output");
  }
  if (!_effect->source.connected) return nullptr;
  const std::vector<Picture> &frames = _effect->source.frames;
  const int f = std::max(0, std::min(int(frames.size()) - 1, int(std::lround(time))));
  Picture &pic = const_cast<Picture &>(frames.empty() ? _effect->sourceAtScale() : frames[size_t(f)]);
  OfxRectI b = {0, 0, pic.w, pic.h};
  if (optionalBounds) {
    b.x1 = std::max(b.x1, int(std::floor(optionalBounds->x1 * s)));
    b.y1 = std::max(b.y1, int(std::floor(optionalBounds->y1 * s)));
    b.x2 = std::min(b.x2, int(std::ceil(optionalBounds->x2 * s)));
    b.y2 = std::min(b.y2, int(std::ceil(optionalBounds->y2 * s)));
  }
  IE::Image *img;
  const OfxRectI rod = {0, 0, pic.w, pic.h};
  if (_effect->source.negativeRowBytes) {
    img = imageOver(*this, s, pic, b, "source");
  } else {
    const size_t px = size_t(pic.channels) * pic.sampleBytes();
    const size_t row = size_t(b.x2 - b.x1) * px;
    std::vector<unsigned char> bytes(row * size_t(b.y2 - b.y1));
    for (int y = b.y1; y < b.y2; ++y)
      std::memcpy(bytes.data() + size_t(y - b.y1) * row,
                  pic.bytes.data() + size_t(pic.h - 1 - y) * pic.row() + size_t(b.x1) * px, row);
    img = new OwningImage(*this, s, std::move(bytes), b, rod, int(row), "source");
  }
  {
    std::lock_guard<std::mutex> l(_effect->fetchMutex);
    _effect->sourceFetches.emplace_back(f, long(b.x2 - b.x1) * (b.y2 - b.y1));
  }
  if (!_effect->source.reportDepth.empty())
    img->setStringProperty(kOfxImageEffectPropPixelDepth, _effect->source.reportDepth);
  if (!_effect->source.reportComponents.empty())
    img->setStringProperty(kOfxImageEffectPropComponents, _effect->source.reportComponents);
  ++_effect->imagesOut;
  return img;
}

// ---- the host application
class Host : public IE::Host {
 public:
  Host() {
    _properties.setStringProperty(kOfxPropName, "org.autorestore.TestHost");
    _properties.setStringProperty(kOfxPropLabel, "AutoRestore test host");
    _properties.setIntProperty(kOfxImageEffectHostPropIsBackground, 1);
    _properties.setIntProperty(kOfxImageEffectPropSupportsOverlays, 0);
    _properties.setIntProperty(kOfxImageEffectPropSupportsMultiResolution, 1);
    _properties.setIntProperty(kOfxImageEffectPropSupportsTiles, 1);
    _properties.setIntProperty(kOfxImageEffectPropTemporalClipAccess, 0);
    _properties.setStringProperty(kOfxImageEffectPropSupportedComponents, kOfxImageComponentRGBA, 0);
    _properties.setStringProperty(kOfxImageEffectPropSupportedComponents, kOfxImageComponentRGB, 1);
    _properties.setStringProperty(kOfxImageEffectPropSupportedContexts, kOfxImageEffectContextFilter, 0);
    _properties.setStringProperty(kOfxImageEffectPropSupportedContexts, kOfxImageEffectContextGeneral, 1);
    _properties.setIntProperty(kOfxImageEffectPropSupportsMultipleClipDepths, 0);
    _properties.setIntProperty(kOfxImageEffectPropSupportsMultipleClipPARs, 0);
    _properties.setIntProperty(kOfxImageEffectPropSetableFrameRate, 0);
    _properties.setIntProperty(kOfxImageEffectPropSetableFielding, 0);
    _properties.setIntProperty(kOfxParamHostPropSupportsCustomInteract, 0);
    _properties.setIntProperty(kOfxParamHostPropSupportsStringAnimation, 0);
    _properties.setIntProperty(kOfxParamHostPropSupportsChoiceAnimation, 0);
    _properties.setIntProperty(kOfxParamHostPropSupportsBooleanAnimation, 0);
    _properties.setIntProperty(kOfxParamHostPropSupportsCustomAnimation, 0);
    _properties.setIntProperty(kOfxParamHostPropMaxParameters, -1);
    _properties.setIntProperty(kOfxParamHostPropMaxPages, 0);
    _properties.setIntProperty(kOfxParamHostPropPageRowColumnCount, 0, 0);
    _properties.setIntProperty(kOfxParamHostPropPageRowColumnCount, 0, 1);
  }
  IE::Instance *newInstance(void *, IE::ImageEffectPlugin *plugin, IE::Descriptor &desc,
                            const std::string &context) override {
    return new Effect(plugin, desc, context);
  }
  IE::Descriptor *makeDescriptor(IE::ImageEffectPlugin *plugin) override { return new IE::Descriptor(plugin); }
  IE::Descriptor *makeDescriptor(const IE::Descriptor &root, IE::ImageEffectPlugin *plugin) override {
    return new IE::Descriptor(root, plugin);
  }
  IE::Descriptor *makeDescriptor(const std::string &bundlePath, IE::ImageEffectPlugin *plugin) override {
    return new IE::Descriptor(bundlePath, plugin);
  }
  OfxStatus vmessage(const char *type, const char *, const char *format, va_list args) override {
    std::printf("  host message (%s): ", type);
    std::vprintf(format, args);
    std::printf("\n");
    return kOfxStatOK;
  }
  OfxStatus setPersistentMessage(const char *type, const char *id, const char *format, va_list args) override {
    return vmessage(type, id, format, args);
  }
  OfxStatus clearPersistentMessage() override { return kOfxStatOK; }
  OfxStatus multiThread(OfxThreadFunctionV1 func, unsigned int n, void *arg) override {
    std::vector<std::thread> threads;
    for (unsigned i = 0; i < n; ++i) threads.emplace_back([=] { func(i, n, arg); });
    for (auto &t : threads) t.join();
    return kOfxStatOK;
  }
  OfxStatus multiThreadNumCPUS(unsigned int *n) const override { *n = std::thread::hardware_concurrency(); return kOfxStatOK; }
  OfxStatus multiThreadIndex(unsigned int *i) const override { *i = 0; return kOfxStatOK; }
  int multiThreadIsSpawnedThread() const override { return 0; }
  OfxStatus mutexCreate(OfxMutexHandle *m, int) override { *m = (OfxMutexHandle) new std::recursive_mutex; return kOfxStatOK; }
  OfxStatus mutexDestroy(const OfxMutexHandle m) override { delete (std::recursive_mutex *)m; return kOfxStatOK; }
  OfxStatus mutexLock(const OfxMutexHandle m) override { ((std::recursive_mutex *)m)->lock(); return kOfxStatOK; }
  OfxStatus mutexUnLock(const OfxMutexHandle m) override { ((std::recursive_mutex *)m)->unlock(); return kOfxStatOK; }
  OfxStatus mutexTryLock(const OfxMutexHandle m) override {
    return ((std::recursive_mutex *)m)->try_lock() ? kOfxStatOK : kOfxStatFailed;
  }
#ifdef OFX_SUPPORTS_OPENGLRENDER
  OfxStatus flushOpenGLResources() const override { return kOfxStatFailed; }
#endif
};

}  // namespace TestHost

// ---------------------------------------------------------------------------------------------
// the reference: libautorestore called directly

struct Reference {
  AutorestoreEngine *engine = nullptr;
};

static AutorestoreSampleType libType(const std::string &depth) {
  if (depth == kOfxBitDepthByte) return AUTORESTORE_SAMPLE_U8;
  if (depth == kOfxBitDepthShort) return AUTORESTORE_SAMPLE_U16;
  if (depth == kOfxBitDepthHalf) return AUTORESTORE_SAMPLE_F16;
  return AUTORESTORE_SAMPLE_F32;
}

// The library's result for a picture (top-down), in the picture's own sample type (half is the
// library's f16, as the plug-in hands it over). With `given`, that analysis is used instead of
// the picture's own (Lock Analysis).
static Picture libraryRestore(AutorestoreEngine *engine, const Picture &in, int mode, float strength,
                              uint32_t steps, uint64_t seed, AutorestoreAnalysis *analysisOut,
                              const AutorestoreAnalysis *given = nullptr) {
  const Picture &src = in;
  AutorestoreImage im;
  im.data = const_cast<unsigned char *>(src.bytes.data());
  im.width = uint32_t(src.w);
  im.height = uint32_t(src.h);
  im.row_stride = src.row();
  im.sample_type = libType(src.depth);
  im.channels = uint32_t(src.channels);
  AutorestoreAnalysis a;
  std::memset(&a, 0, sizeof a);
  AutorestoreStatus st = AUTORESTORE_OK;
  if (given) a = *given;
  else st = autorestore_analyze(engine, &im, &a);
  CHECK(st == AUTORESTORE_OK, "reference analyse: %s", autorestore_last_error());
  if (analysisOut) *analysisOut = a;
  AutorestoreRestoreParams p;
  autorestore_restore_params_init(&p);
  p.mode = (AutorestoreMode)mode;
  p.strength = strength;
  p.steps = steps;
  p.seed = seed;
  p.analysis = &a;
  Picture out = src;
  AutorestoreImage om = im;
  om.data = out.bytes.data();
  st = autorestore_restore(engine, &im, &om, &p);
  CHECK(st == AUTORESTORE_OK, "reference restore: %s", autorestore_last_error());
  return out;
}

struct Diff {
  double maxAbs = 0, meanAbs = 0;
  long count = 0;
};

// Compares the plug-in's output (window, in output pixel coordinates, y up) with a reference
// picture (top-down) of the same size.
static Diff compare(const Picture &output, const Picture &ref, const OfxRectI &window, int channels) {
  Diff d;
  double sum = 0;
  for (int y = window.y1; y < window.y2; ++y) {
    const int top = output.h - 1 - y;
    for (int x = window.x1; x < window.x2; ++x)
      for (int c = 0; c < channels; ++c) {
        const double e = std::fabs(double(output.get(x, top, c)) - double(ref.get(x, top, c)));
        d.maxAbs = std::max(d.maxAbs, e);
        sum += e;
        ++d.count;
      }
  }
  d.meanAbs = d.count ? sum / d.count : 0;
  return d;
}

// Counts output samples in window still equal to the sentinel.
static long untouched(const Picture &output, const OfxRectI &window, float sentinel) {
  long n = 0;
  for (int y = window.y1; y < window.y2; ++y)
    for (int x = window.x1; x < window.x2; ++x)
      for (int c = 0; c < output.channels; ++c)
        if (output.get(x, output.h - 1 - y, c) == sentinel) ++n;
  return n;
}

// ---------------------------------------------------------------------------------------------
// driving the plug-in

static IE::ImageEffectPlugin *gPlugin = nullptr;
static const float kSentinel = 0.123f;  // representable as float; quantised for byte/short/half

static void setChoice(TestHost::Effect &e, const char *name, int v);

static std::unique_ptr<TestHost::Effect> newEffect(const char *context, TestHost::SourceConfig source,
                                                   const std::string &outDepth, int outChannels) {
  std::unique_ptr<IE::Instance> raw(gPlugin->createInstance(context, nullptr));
  CHECK(raw.get() != nullptr, "createInstance(%s)", context);
  if (!raw) return nullptr;
  std::unique_ptr<TestHost::Effect> e(dynamic_cast<TestHost::Effect *>(raw.release()));
  e->source = std::move(source);
  e->outputDepth = outDepth;
  e->outputChannels = outChannels;
  setChoice(*e, "device", 1);  // CPU, as the reference engine
  OfxStatus st = e->createInstanceAction();
  CHECK(st == kOfxStatOK || st == kOfxStatReplyDefault, "createInstanceAction -> %d", st);
  e->setDefaultClipPreferences();
  CHECK(e->getClipPreferences(), "getClipPreferences");
  return e;
}

static void setChoice(TestHost::Effect &e, const char *name, int v) {
  auto *p = dynamic_cast<TestHost::ChoiceParam *>(e.getParam(name));
  CHECK(p != nullptr, "param %s", name);
  if (p) p->set(v);
}
static void setDouble(TestHost::Effect &e, const char *name, double v) {
  auto *p = dynamic_cast<TestHost::DoubleParam *>(e.getParam(name));
  CHECK(p != nullptr, "param %s", name);
  if (p) p->set(v);
}
static void setInt(TestHost::Effect &e, const char *name, int v) {
  auto *p = dynamic_cast<TestHost::IntParam *>(e.getParam(name));
  CHECK(p != nullptr, "param %s", name);
  if (p) p->set(v);
}

static OfxStatus render(TestHost::Effect &e, const OfxRectI &window, OfxTime t = 0) {
  OfxPointD rs = {e.scale, e.scale};
  return e.renderAction(t, kOfxImageFieldNone, window, rs, false, true, false);
}

// Renders the whole frame as tiles from several threads at once; returns the statuses.
static std::vector<OfxStatus> renderTiles(TestHost::Effect &e, int tilesX, int tilesY, OfxTime t = 0) {
  const int w = e.output.w, h = e.output.h;
  std::vector<OfxRectI> tiles;
  for (int j = 0; j < tilesY; ++j)
    for (int i = 0; i < tilesX; ++i)
      tiles.push_back(OfxRectI{w * i / tilesX, h * j / tilesY, w * (i + 1) / tilesX, h * (j + 1) / tilesY});
  std::vector<OfxStatus> status(tiles.size(), kOfxStatFailed);
  OfxPointD rs = {e.scale, e.scale};
  e.beginRenderAction(t, t, 1, false, rs, false, true);
  std::vector<std::thread> threads;
  for (size_t k = 0; k < tiles.size(); ++k)
    threads.emplace_back([&, k] { status[k] = render(e, tiles[k], t); });
  for (auto &th : threads) th.join();
  e.endRenderAction(t, t, 1, false, rs, false, true);
  return status;
}

// ---------------------------------------------------------------------------------------------
static void testDescription() {
  std::printf("describe\n");
  IE::Descriptor &d = gPlugin->getDescriptor();
  const OH::Property::Set &p = d.getProps();
  CHECK(p.getStringProperty(kOfxPropLabel) == "Auto Restore", "label '%s'", p.getStringProperty(kOfxPropLabel).c_str());
  CHECK(p.getStringProperty(kOfxImageEffectPluginPropGrouping) == "Filter/Restore", "grouping");
  CHECK(p.getIntProperty(kOfxImageEffectPropSupportsTiles) == 1, "tiles");
  CHECK(p.getIntProperty(kOfxImageEffectPropSupportsMultiResolution) == 1, "multires");
  const std::string safety = p.getStringProperty(kOfxImageEffectPluginRenderThreadSafety);
  CHECK(safety == kOfxImageEffectRenderFullySafe || safety == kOfxImageEffectRenderInstanceSafe, "thread safety %s", safety.c_str());
  std::vector<std::string> depths;
  for (int i = 0; i < p.getDimension(kOfxImageEffectPropSupportedPixelDepths); ++i)
    depths.push_back(p.getStringProperty(kOfxImageEffectPropSupportedPixelDepths, i));
  auto has = [&](const char *s) { return std::find(depths.begin(), depths.end(), s) != depths.end(); };
  CHECK(has(kOfxBitDepthFloat) && has(kOfxBitDepthByte), "depths");
  const std::set<std::string> &contexts = gPlugin->getContexts();
  CHECK(contexts.count(kOfxImageEffectContextFilter) == 1, "filter context");
  CHECK(contexts.count(kOfxImageEffectContextGeneral) == 1, "general context");
  // describe in context: clips and params
  IE::Descriptor *fd = gPlugin->getContext(kOfxImageEffectContextFilter);
  CHECK(fd != nullptr, "describe in filter context");
  if (fd) {
    CHECK(fd->getClips().count(kOfxImageEffectSimpleSourceClipName) == 1, "Source clip");
    CHECK(fd->getClips().count(kOfxImageEffectOutputClipName) == 1, "Output clip");
    const auto &params = fd->getParams();
    for (const char *n : {"mode", "strength", "steps", "seed", "device", "lockAnalysis", "lockFrame", "analyzeFrame", "analysis"})
      CHECK(params.count(n) == 1, "param %s", n);
    if (params.count("mode")) {
      const OH::Property::Set &mp = params.at("mode")->getProperties();
      CHECK(mp.getDimension(kOfxParamPropChoiceOption) == 6, "6 modes");
    }
  }
}

static void testMatchesLibrary(AutorestoreEngine *ref) {
  std::printf("render == library (float RGBA, whole frame, then 2x2 tiles from 4 threads)\n");
  TestHost::SourceConfig sc;
  sc.full = syntheticPicture(240, 176, 4, kOfxBitDepthFloat, 1);
  sc.half = downscale2(sc.full);
  auto e = newEffect(kOfxImageEffectContextFilter, sc, kOfxBitDepthFloat, 4);
  if (!e) return;
  AutorestoreAnalysis a;
  const Picture expect = libraryRestore(ref, e->source.full, AUTORESTORE_MODE_AUTO, 1.0f, 0, 0, &a);
  const OfxRectI frame = {0, 0, 240, 176};

  // region of interest: the whole source (the analysis needs it)
  std::map<IE::ClipInstance *, OfxRectD> rois;
  OfxRectD roi = {60, 40, 120, 80};
  OfxPointD rs = {1, 1};
  CHECK(e->getRegionOfInterestAction(0, rs, roi, rois) == kOfxStatOK, "RoI action");
  IE::ClipInstance *src = e->getClip(kOfxImageEffectSimpleSourceClipName);
  CHECK(rois.count(src) && rois[src].x2 >= 240 && rois[src].y2 >= 176, "RoI covers the source");

  e->resetOutput(kSentinel);
  OfxStatus st = render(*e, frame);
  CHECK(st == kOfxStatOK, "whole-frame render -> %d (%s)", st, e->lastMessage().c_str());
  Diff d = compare(e->output, expect, frame, 4);
  std::printf("  whole frame vs library: max %.3g mean %.3g\n", d.maxAbs, d.meanAbs);
  CHECK(d.maxAbs <= 1e-6, "whole frame must equal the library's result (max %.3g)", d.maxAbs);

  e->resetOutput(kSentinel);
  std::vector<OfxStatus> sts = renderTiles(*e, 2, 2);
  for (OfxStatus s : sts) CHECK(s == kOfxStatOK, "tile render -> %d (%s)", s, e->lastMessage().c_str());
  CHECK(untouched(e->output, frame, kSentinel) == 0, "tiles cover the frame");
  d = compare(e->output, expect, frame, 4);
  std::printf("  2x2 tiles (4 threads) vs library: max %.3g mean %.3g\n", d.maxAbs, d.meanAbs);
  // Each tile is restored from its window plus the engine's exact margin (the receptive field
  // rounded up to the tile multiple) at an origin on the tile-multiple grid, and contract 2
  // models are tile-exact, so tiles give the whole-frame result (contract 1 models with
  // global channel attention differed by up to 0.024).
  CHECK(d.maxAbs <= 1e-3, "tiles equal the library's result (max %.3g mean %.3g)", d.maxAbs, d.meanAbs);
  // alpha passes through untouched
  Diff da;
  double amax = 0;
  for (int y = 0; y < 176; ++y)
    for (int x = 0; x < 240; ++x)
      amax = std::max(amax, std::fabs(double(e->output.get(x, y, 3)) - e->source.full.get(x, y, 3)));
  CHECK(amax == 0.0, "alpha untouched (max diff %.3g)", amax);

  // tiles rendered one by one on this thread give the same bytes as the threaded run
  Picture threaded = e->output;
  e->resetOutput(kSentinel);
  for (int j = 0; j < 2; ++j)
    for (int i = 0; i < 2; ++i)
      CHECK(render(*e, OfxRectI{120 * i, 88 * j, 120 * (i + 1), 88 * (j + 1)}) == kOfxStatOK, "serial tile");
  d = compare(e->output, threaded, frame, 4);
  CHECK(d.maxAbs == 0.0, "threaded tiles == serial tiles (max %.3g)", d.maxAbs);

  // a render window is honoured: nothing outside it is written
  e->resetOutput(kSentinel);
  const OfxRectI win = {37, 21, 101, 77};
  CHECK(render(*e, win) == kOfxStatOK, "window render");
  CHECK(untouched(e->output, win, kSentinel) == 0, "window written");
  const long outside = untouched(e->output, frame, kSentinel);
  CHECK(outside == long(240 * 176 - 64 * 56) * 4, "outside the window untouched (%ld)", outside);

  // the Analyze button shows the analysis
  OfxPointD one = {1, 1};
  e->beginInstanceChangedAction(kOfxChangeUserEdited);
  st = e->paramInstanceChangedAction("analyzeFrame", kOfxChangeUserEdited, 0, one);
  e->endInstanceChangedAction(kOfxChangeUserEdited);
  CHECK(st == kOfxStatOK, "analyze button -> %d (%s)", st, e->lastMessage().c_str());
  auto *sp = dynamic_cast<TestHost::StringParam *>(e->getParam("analysis"));
  std::string text;
  if (sp) sp->get(text);
  std::printf("  analysis read-out: %s\n", text.c_str());
  const char *first = autorestore_engine_degradation_name(ref, 0);
  CHECK(!text.empty() && first && text.find(first) != std::string::npos, "analysis read-out '%s'", text.c_str());

  // strength 0 is an identity
  setDouble(*e, "strength", 0.0);
  OfxTime idTime = 0;
  std::string idClip;
  OfxRectI all = frame;
  bool identity = e->isIdentityAction(idTime, kOfxImageFieldNone, all, one, idClip) == kOfxStatOK;
  CHECK(identity && idClip == kOfxImageEffectSimpleSourceClipName, "strength 0 is identity");

  // another mode and strength: still the library's result
  setDouble(*e, "strength", 0.6);
  setChoice(*e, "mode", AUTORESTORE_MODE_DENOISE);
  const Picture expect2 = libraryRestore(ref, e->source.full, AUTORESTORE_MODE_DENOISE, 0.6f, 0, 0, nullptr);
  e->resetOutput(kSentinel);
  CHECK(render(*e, frame) == kOfxStatOK, "denoise render");
  d = compare(e->output, expect2, frame, 4);
  CHECK(d.maxAbs <= 1e-6, "denoise 0.6 equals the library (max %.3g)", d.maxAbs);

  // two sampler steps with a seed: the whole frame is still the library's result
  setDouble(*e, "strength", 1.0);
  setChoice(*e, "mode", AUTORESTORE_MODE_AUTO);
  setInt(*e, "steps", 2);
  setInt(*e, "seed", 7);
  const Picture expect3 = libraryRestore(ref, e->source.full, AUTORESTORE_MODE_AUTO, 1.0f, 2, 7, nullptr);
  e->resetOutput(kSentinel);
  CHECK(render(*e, frame) == kOfxStatOK, "2-step render");
  d = compare(e->output, expect3, frame, 4);
  CHECK(d.maxAbs <= 1e-6, "2 steps, seed 7 equals the library (max %.3g)", d.maxAbs);
  e->resetOutput(kSentinel);
  sts = renderTiles(*e, 2, 2);
  for (OfxStatus s : sts) CHECK(s == kOfxStatOK, "2-step tile -> %d", s);
  d = compare(e->output, expect3, frame, 4);
  std::printf("  2 steps, 2x2 tiles vs library: max %.3g mean %.3g\n", d.maxAbs, d.meanAbs);
  // The sampler's noise is keyed on frame coordinates (noise_origin_x/y) and the margin grows
  // with the steps, so 2-step tiles meet the same bound.
  CHECK(d.maxAbs <= 1e-3, "2-step tiles equal the library (max %.3g mean %.3g)", d.maxAbs, d.meanAbs);
  CHECK(e->imagesOut.load() >= 0, "images");
}

static void testDepthsAndScale(AutorestoreEngine *ref) {
  struct Case {
    const char *depth;
    int channels;
    bool negative;
    double tolerance;
  } cases[] = {
      {kOfxBitDepthByte, 3, false, 0.0},
      {kOfxBitDepthShort, 4, true, 0.0},
      {kOfxBitDepthHalf, 4, false, 0.0},
  };
  for (const Case &c : cases) {
    std::printf("render == library (%s, %d channels%s)\n", c.depth, c.channels, c.negative ? ", negative row bytes" : "");
    TestHost::SourceConfig sc;
    sc.full = syntheticPicture(160, 120, c.channels, c.depth, 7);
    sc.half = downscale2(sc.full);
    sc.negativeRowBytes = c.negative;
    auto e = newEffect(kOfxImageEffectContextGeneral, sc, c.depth, c.channels);
    if (!e) continue;
    const Picture expect = libraryRestore(ref, e->source.full, AUTORESTORE_MODE_AUTO, 1.0f, 0, 0, nullptr);
    e->resetOutput(kSentinel);
    const OfxRectI frame = {0, 0, 160, 120};
    OfxStatus st = render(*e, frame);
    CHECK(st == kOfxStatOK, "render -> %d (%s)", st, e->lastMessage().c_str());
    // half: the library reads and writes f16 itself, so every depth is exact
    Diff d = compare(e->output, expect, frame, c.channels);
    std::printf("  vs library: max %.3g mean %.3g\n", d.maxAbs, d.meanAbs);
    CHECK(d.maxAbs <= c.tolerance, "%s equals the library (max %.3g)", c.depth, d.maxAbs);
  }

  std::printf("render scale 0.5 (float RGBA, 2 tiles from 2 threads)\n");
  TestHost::SourceConfig sc;
  sc.full = syntheticPicture(240, 176, 4, kOfxBitDepthFloat, 3);
  sc.half = downscale2(sc.full);
  auto e = newEffect(kOfxImageEffectContextFilter, sc, kOfxBitDepthFloat, 4);
  if (!e) return;
  e->scale = 0.5;
  const Picture expect = libraryRestore(ref, e->source.half, AUTORESTORE_MODE_AUTO, 1.0f, 0, 0, nullptr);
  e->resetOutput(kSentinel);
  CHECK(e->output.w == 120 && e->output.h == 88, "scaled output");
  OfxStatus st = render(*e, OfxRectI{0, 0, 120, 88});
  CHECK(st == kOfxStatOK, "scaled render -> %d (%s)", st, e->lastMessage().c_str());
  Diff d = compare(e->output, expect, OfxRectI{0, 0, 120, 88}, 4);
  std::printf("  scale 0.5 vs library on the half-size picture: max %.3g\n", d.maxAbs);
  CHECK(d.maxAbs <= 1e-6, "scaled render equals the library (max %.3g)", d.maxAbs);
  std::vector<OfxStatus> sts = renderTiles(*e, 1, 2);
  for (OfxStatus s : sts) CHECK(s == kOfxStatOK, "scaled tile -> %d", s);
}

static void testAbort() {
  std::printf("abort\n");
  TestHost::SourceConfig sc;
  sc.full = syntheticPicture(1100, 560, 4, kOfxBitDepthFloat, 5);  // several engine tiles
  sc.half = downscale2(sc.full);
  auto e = newEffect(kOfxImageEffectContextFilter, sc, kOfxBitDepthFloat, 4);
  if (!e) return;
  const OfxRectI frame = {0, 0, 1100, 560};

  // abort already raised: nothing is computed, nothing is written
  e->abortAfter = 0;
  e->resetOutput(kSentinel);
  double t0 = seconds();
  OfxStatus st = render(*e, frame);
  const double tAbortNow = seconds() - t0;
  CHECK(st != kOfxStatOK, "render with abort raised must not succeed (%d)", st);
  CHECK(untouched(e->output, frame, kSentinel) == long(1100) * 560 * 4, "aborted render writes nothing");

  // a full render, timed
  e->abortAfter = -1;
  e->abortCalls = 0;
  e->resetOutput(kSentinel);
  t0 = seconds();
  st = render(*e, frame);
  const double tFull = seconds() - t0;
  const int callsFull = e->abortCalls.load();
  CHECK(st == kOfxStatOK, "full render -> %d (%s)", st, e->lastMessage().c_str());

  // abort raised at the first check inside the engine (its progress after the first of the
  // frame's two 768 px tiles; the plug-in polls twice before): stops early
  e->abortCalls = 0;
  e->abortAfter = 2;
  e->resetOutput(kSentinel);
  t0 = seconds();
  st = render(*e, frame);
  const double tAbort = seconds() - t0;
  std::printf("  full %.2fs (%d abort checks), abort raised at once %.3fs, abort mid-way %.2fs\n", tFull,
              callsFull, tAbortNow, tAbort);
  CHECK(st != kOfxStatOK, "aborted render must not succeed (%d)", st);
  CHECK(callsFull > 4, "the plug-in polls abort during a render (%d checks)", callsFull);
  // abort() answered 1 on its 3rd call: the engine must stop at that progress callback and the
  // plug-in return without asking again
  CHECK(e->abortCalls.load() == 3, "render stops at the first abort (%d abort checks)", e->abortCalls.load());
  CHECK(tAbort < 0.9 * tFull, "abort stops the render early (%.2fs vs %.2fs)", tAbort, tFull);
  CHECK(untouched(e->output, frame, kSentinel) == long(1100) * 560 * 4, "aborted render writes nothing");
  e->abortAfter = -1;
}

// A storm of renders, as a compositing host makes when it renders several nodes and tiles at
// once: three instances, each frame cut into 12 random windows, 36 windows taken from one queue
// by 16 threads. Every window renders, and each frame equals the same windows rendered one at a
// time. Then abort is raised part-way through a storm: each window either finishes or fails and
// writes nothing, and the instance renders normally afterwards.
static void testRenderStorm() {
  std::printf("render storm (16 threads, 3 instances, random windows; abort part-way)\n");
  const int W = 200, H = 136, kThreads = 16;
  TestHost::SourceConfig sc;
  sc.full = syntheticPicture(W, H, 4, kOfxBitDepthFloat, 11);
  sc.half = downscale2(sc.full);
  const OfxRectI frame = {0, 0, W, H};
  std::vector<std::unique_ptr<TestHost::Effect>> effects;
  for (int i = 0; i < 3; ++i) {
    effects.push_back(newEffect(kOfxImageEffectContextFilter, sc, kOfxBitDepthFloat, 4));
    if (!effects.back()) return;
  }
  std::mt19937 rng(20240611);
  auto cuts = [&](int n, int parts) {
    std::vector<int> c = {0, n};
    while (int(c.size()) < parts + 1) {
      const int v = 1 + int(rng() % unsigned(n - 1));
      if (std::find(c.begin(), c.end(), v) == c.end()) c.push_back(v);
    }
    std::sort(c.begin(), c.end());
    return c;
  };
  struct Job {
    TestHost::Effect *e;
    OfxRectI w;
  };
  auto storm = [&](const std::vector<TestHost::Effect *> &which, std::vector<OfxStatus> &status) {
    std::vector<Job> jobs;
    for (TestHost::Effect *e : which) {
      e->resetOutput(kSentinel);
      const std::vector<int> xs = cuts(W, 4), ys = cuts(H, 3);
      for (size_t j = 0; j + 1 < ys.size(); ++j)
        for (size_t i = 0; i + 1 < xs.size(); ++i) jobs.push_back({e, OfxRectI{xs[i], ys[j], xs[i + 1], ys[j + 1]}});
    }
    std::shuffle(jobs.begin(), jobs.end(), rng);
    status.assign(jobs.size(), kOfxStatFailed);
    OfxPointD rs = {1, 1};
    for (TestHost::Effect *e : which) e->beginRenderAction(0, 0, 1, false, rs, false, true);
    std::atomic<size_t> next{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&] {
        for (size_t k; (k = next.fetch_add(1)) < jobs.size();) status[k] = render(*jobs[k].e, jobs[k].w);
      });
    for (auto &th : threads) th.join();
    for (TestHost::Effect *e : which) e->endRenderAction(0, 0, 1, false, rs, false, true);
    return jobs;
  };

  std::vector<TestHost::Effect *> all;
  for (auto &e : effects) all.push_back(e.get());
  std::vector<OfxStatus> status;
  double t0 = seconds();
  std::vector<Job> jobs = storm(all, status);
  const double tStorm = seconds() - t0;
  int ok = 0;
  for (size_t k = 0; k < jobs.size(); ++k) {
    ok += status[k] == kOfxStatOK;
    CHECK(status[k] == kOfxStatOK, "storm window %zu -> %d (%s)", k, status[k], jobs[k].e->lastMessage().c_str());
  }
  // each instance's windows rendered again one after another on this thread: the same bytes
  for (TestHost::Effect *e : all) {
    CHECK(untouched(e->output, frame, kSentinel) == 0, "storm covers every instance's frame");
    const Picture stormed = e->output;
    e->resetOutput(kSentinel);
    for (const Job &j : jobs)
      if (j.e == e) CHECK(render(*e, j.w) == kOfxStatOK, "serial window (%s)", e->lastMessage().c_str());
    const Diff d = compare(e->output, stormed, frame, 4);
    CHECK(d.maxAbs == 0.0, "storm == the same windows rendered serially (max %.3g)", d.maxAbs);
  }
  std::printf("  %d/%zu windows from %d threads in %.2fs\n", ok, jobs.size(), kThreads, tStorm);

  // abort raised after 6 checks, shared by all threads of a storm on one instance: every window
  // checks at least once, so at least 6 of the 12 windows see it
  TestHost::Effect *e = all[0];
  e->abortCalls = 0;
  e->abortAfter = 6;
  jobs = storm({e}, status);
  int done = 0, aborted = 0;
  for (size_t k = 0; k < jobs.size(); ++k) {
    const OfxRectI &w = jobs[k].w;
    const long area = long(w.x2 - w.x1) * (w.y2 - w.y1) * 4;
    const long left = untouched(e->output, w, kSentinel);
    if (status[k] == kOfxStatOK) {
      ++done;
      CHECK(left == 0, "finished window written (%ld sentinel samples left)", left);
    } else {
      ++aborted;
      CHECK(left == area, "aborted window writes nothing (%ld of %ld sentinel samples)", left, area);
    }
  }
  std::printf("  abort part-way: %d windows finished, %d stopped\n", done, aborted);
  CHECK(aborted > 0, "abort stopped some windows");
  e->abortAfter = -1;
  e->resetOutput(kSentinel);
  CHECK(render(*e, frame) == kOfxStatOK, "renders normally after the aborted storm (%s)", e->lastMessage().c_str());
  CHECK(untouched(e->output, frame, kSentinel) == 0, "frame written after the aborted storm");
}

static void testBadInput() {
  std::printf("bad input fails cleanly\n");
  const OfxRectI frame = {0, 0, 64, 48};
  {
    TestHost::SourceConfig sc;
    sc.full = syntheticPicture(64, 48, 4, kOfxBitDepthFloat, 9);
    sc.half = downscale2(sc.full);
    sc.connected = false;
    auto e = newEffect(kOfxImageEffectContextGeneral, sc, kOfxBitDepthFloat, 4);
    if (e) {
      e->resetOutput(kSentinel);
      OfxStatus st = render(*e, frame);
      CHECK(st == kOfxStatFailed, "missing source -> %d", st);
      CHECK(e->lastMessage().find("not connected") != std::string::npos, "message '%s'", e->lastMessage().c_str());
      CHECK(untouched(e->output, frame, kSentinel) == 64 * 48 * 4, "no garbage written");
      std::printf("  missing clip: %s\n", e->lastMessage().c_str());
    }
  }
  const char *badDepths[] = {kOfxBitDepthNone, "OfxBitDepthTwelve"};
  for (const char *bad : badDepths) {
    TestHost::SourceConfig sc;
    sc.full = syntheticPicture(64, 48, 4, kOfxBitDepthFloat, 9);
    sc.half = downscale2(sc.full);
    sc.reportDepth = bad;
    auto e = newEffect(kOfxImageEffectContextFilter, sc, kOfxBitDepthFloat, 4);
    if (!e) continue;
    e->resetOutput(kSentinel);
    OfxStatus st = render(*e, frame);
    CHECK(st == kOfxStatFailed, "unsupported depth %s -> %d", bad, st);
    CHECK(e->lastMessage().find("depth") != std::string::npos, "message '%s'", e->lastMessage().c_str());
    CHECK(untouched(e->output, frame, kSentinel) == 64 * 48 * 4, "no garbage written");
    std::printf("  depth %s: %s\n", bad, e->lastMessage().c_str());
  }
  {
    TestHost::SourceConfig sc;
    sc.full = syntheticPicture(64, 48, 4, kOfxBitDepthFloat, 9);
    sc.half = downscale2(sc.full);
    sc.reportComponents = kOfxImageComponentAlpha;
    auto e = newEffect(kOfxImageEffectContextFilter, sc, kOfxBitDepthFloat, 4);
    if (e) {
      e->resetOutput(kSentinel);
      OfxStatus st = render(*e, frame);
      CHECK(st == kOfxStatFailed, "alpha-only source -> %d", st);
      CHECK(untouched(e->output, frame, kSentinel) == 64 * 48 * 4, "no garbage written");
      std::printf("  components Alpha: %s\n", e->lastMessage().c_str());
    }
  }
  {
    // NaN and Inf in a float picture: sanitised, the frame renders
    TestHost::SourceConfig sc;
    sc.full = syntheticPicture(64, 48, 4, kOfxBitDepthFloat, 9);
    sc.full.set(3, 3, 0, std::nanf(""));
    sc.full.set(4, 3, 1, INFINITY);
    sc.half = downscale2(sc.full);
    auto e = newEffect(kOfxImageEffectContextFilter, sc, kOfxBitDepthFloat, 4);
    if (e) {
      e->resetOutput(kSentinel);
      OfxStatus st = render(*e, frame);
      CHECK(st == kOfxStatOK, "NaN/Inf pixels -> %d (%s)", st, e->lastMessage().c_str());
      bool finite = true;
      for (int y = 0; y < 48; ++y)
        for (int x = 0; x < 64; ++x)
          for (int c = 0; c < 4; ++c) finite = finite && std::isfinite(e->output.get(x, y, c));
      CHECK(finite, "output finite");
    }
  }
}


// ---------------------------------------------------------------------------------------------
// Lock Analysis on a sequence: 24 frames made here, a crop of a degraded photo panning 8 px per
// frame (the model's tile multiple, so a frame's pixels meet the same tile grid as the last
// frame's and any change comes from the analysis). Rendered without the lock (each frame its
// own analysis) and with it (the reference frame's), each frame as two host tiles. Reported:
// the largest change of an expert gate between consecutive frames and the per-frame mean change
// of the result on the pixels the two frames share (moved by the pan; away from the borders by
// the receptive field). With the lock the gates do not change and the mean change stays under
// 1e-4; the tiles fetch only their window plus the model's margin; the result equals the library
// with the reference frame's analysis.
static bool readPng(const std::string &path, Picture &pic) {
  png_image img;
  std::memset(&img, 0, sizeof img);
  img.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&img, path.c_str())) return false;
  img.format = PNG_FORMAT_RGBA;
  pic = makePicture(int(img.width), int(img.height), 4, kOfxBitDepthByte);
  const bool ok = png_image_finish_read(&img, nullptr, pic.bytes.data(), 0, nullptr) != 0;
  png_image_free(&img);
  return ok;
}

static void setBool(TestHost::Effect &e, const char *name, bool v) {
  auto *p = dynamic_cast<TestHost::BoolParam *>(e.getParam(name));
  CHECK(p != nullptr, "param %s", name);
  if (p) p->set(v);
}

static void testLockedSequence(AutorestoreEngine *ref, const std::string &photoPath) {
  std::printf("Lock Analysis: 24-frame pan over %s\n", photoPath.c_str());
  Picture photo;
  if (!readPng(photoPath, photo)) {
    CHECK(false, "read %s", photoPath.c_str());
    return;
  }
  const int W = 320, H = 240, kFrames = 24, kPan = 8, kRef = 12;
  CHECK(photo.w >= W + kPan * (kFrames - 1) && photo.h >= H, "photo %dx%d large enough", photo.w, photo.h);
  if (photo.w < W + kPan * (kFrames - 1) || photo.h < H) return;
  TestHost::SourceConfig sc;
  for (int t = 0; t < kFrames; ++t) {
    Picture f = makePicture(W, H, 4, kOfxBitDepthByte);
    for (int y = 0; y < H; ++y)
      std::memcpy(f.bytes.data() + size_t(y) * f.row(), photo.bytes.data() + size_t(y) * photo.row() + size_t(t * kPan) * 4, f.row());
    sc.frames.push_back(std::move(f));
  }
  sc.full = sc.frames[0];
  sc.half = downscale2(sc.full);
  auto e = newEffect(kOfxImageEffectContextFilter, sc, kOfxBitDepthByte, 4);
  if (!e) return;
  const OfxRectI frame = {0, 0, W, H};
  const int margin = int(autorestore_engine_tile_margin(ref));
  // the pixels of frame t that frame t-1 also shows (at x + kPan), away from both borders
  const OfxRectI shared = {margin, margin, W - kPan - margin, H - margin};

  auto renderSequence = [&](std::vector<Picture> &outs) {
    outs.clear();
    for (int t = 0; t < kFrames; ++t) {
      e->resetOutput(kSentinel);
      const std::vector<OfxStatus> sts = renderTiles(*e, 2, 1, t);
      for (OfxStatus st : sts) CHECK(st == kOfxStatOK, "frame %d tile -> %d (%s)", t, st, e->lastMessage().c_str());
      outs.push_back(e->output);
    }
  };
  auto meanChange = [&](const Picture &prev, const Picture &cur) {
    double sum = 0;
    long n = 0;
    for (int y = shared.y1; y < shared.y2; ++y)
      for (int x = shared.x1; x < shared.x2; ++x)
        for (int c = 0; c < 3; ++c, ++n) sum += std::fabs(double(cur.get(x, y, c)) - prev.get(x + kPan, y, c));
    return n ? sum / n : 0.0;
  };
  auto report = [&](const char *what, const std::vector<Picture> &outs, double &worstMean) {
    worstMean = 0;
    double total = 0;
    for (int t = 1; t < kFrames; ++t) {
      const double m = meanChange(outs[size_t(t - 1)], outs[size_t(t)]);
      worstMean = std::max(worstMean, m);
      total += m;
    }
    std::printf("  %s: per-frame mean change of the result, mean %.3g, worst %.3g (of 1)\n", what,
                total / (kFrames - 1), worstMean);
  };

  // the inputs: the shared pixels of consecutive frames are the same photo pixels
  double inputWorst = 0;
  for (int t = 1; t < kFrames; ++t) inputWorst = std::max(inputWorst, meanChange(sc.frames[size_t(t - 1)], sc.frames[size_t(t)]));
  CHECK(inputWorst == 0.0, "the pan moves whole pixels (input change %.3g)", inputWorst);

  // the analysis of each frame on its own: how much its gates move from frame to frame
  std::vector<AutorestoreAnalysis> own(kFrames);
  double gateWorst = 0, amountWorst = 0;
  for (int t = 0; t < kFrames; ++t) {
    Picture &f = sc.frames[size_t(t)];
    AutorestoreImage im = {f.bytes.data(), uint32_t(W), uint32_t(H), f.row(), AUTORESTORE_SAMPLE_U8, 4};
    CHECK(autorestore_analyze(ref, &im, &own[size_t(t)]) == AUTORESTORE_OK, "%s", autorestore_last_error());
    if (t == 0) continue;
    for (uint32_t g = 0; g < own[size_t(t)].gate_count; ++g)
      gateWorst = std::max(gateWorst, double(std::fabs(own[size_t(t)].gates[g] - own[size_t(t - 1)].gates[g])));
    amountWorst = std::max(amountWorst, double(std::fabs(own[size_t(t)].amount - own[size_t(t - 1)].amount)));
  }
  std::printf("  without the lock: largest gate change between frames %.3g, amount change %.3g\n", gateWorst, amountWorst);

  // the largest Source image fetched for a frame other than the reference, and how many
  // whole frames were fetched
  auto fetches = [&](long &largest, int &whole) {
    std::lock_guard<std::mutex> l(e->fetchMutex);
    largest = 0;
    whole = 0;
    for (const auto &f : e->sourceFetches) {
      if (f.first != kRef) largest = std::max(largest, f.second);
      whole += f.second == long(W) * H;
    }
    e->sourceFetches.clear();
  };
  std::vector<Picture> unlocked, locked;
  long fetchUnlocked = 0, fetchLocked = 0;
  int wholeUnlocked = 0, wholeLocked = 0;
  fetches(fetchUnlocked, wholeUnlocked);
  double t0 = seconds();
  renderSequence(unlocked);
  const double tUnlocked = seconds() - t0;
  fetches(fetchUnlocked, wholeUnlocked);
  double worstUnlocked = 0, worstLocked = 0;
  report("without the lock", unlocked, worstUnlocked);

  // Turning the lock on at frame kRef (a user edit) takes that frame as the reference.
  setBool(*e, "lockAnalysis", true);
  OfxPointD one = {1, 1};
  e->beginInstanceChangedAction(kOfxChangeUserEdited);
  CHECK(e->paramInstanceChangedAction("lockAnalysis", kOfxChangeUserEdited, kRef, one) == kOfxStatOK, "lock toggled");
  e->endInstanceChangedAction(kOfxChangeUserEdited);
  int refFrame = -1;
  if (auto *p = dynamic_cast<TestHost::IntParam *>(e->getParam("lockFrame"))) p->get(refFrame);
  CHECK(refFrame == kRef, "turning the lock on at frame %d makes it the reference (%d)", kRef, refFrame);

  // region of interest: a window plus the model's margin, not the whole frame
  std::map<IE::ClipInstance *, OfxRectD> rois;
  const OfxRectD win = {0, 0, 160, 240};
  CHECK(e->getRegionOfInterestAction(0, one, win, rois) == kOfxStatOK, "RoI action with the lock");
  IE::ClipInstance *srcClip = e->getClip(kOfxImageEffectSimpleSourceClipName);
  const OfxRectD roi = rois.count(srcClip) ? rois[srcClip] : OfxRectD{0, 0, 0, 0};
  std::printf("  locked RoI of window 0..160 x 0..240: %.0f..%.0f x %.0f..%.0f (frame %dx%d, margin %d)\n",
              roi.x1, roi.x2, roi.y1, roi.y2, W, H, margin);
  CHECK(roi.x2 >= 160 + margin && roi.x2 < W && roi.x1 == 0, "locked RoI is the window plus the margin");

  t0 = seconds();
  renderSequence(locked);
  const double tLocked = seconds() - t0;
  fetches(fetchLocked, wholeLocked);
  report("with the lock", locked, worstLocked);
  std::printf("  source fetched by 48 tiles: without the lock %d whole frames; with it %d whole frame "
              "(the reference, analysed once) and tiles of at most %ld px (frame %d px); "
              "24 frames in %.1fs / %.1fs\n", wholeUnlocked, wholeLocked, fetchLocked, W * H, tUnlocked, tLocked);
  CHECK(wholeUnlocked == 2 * kFrames, "without the lock every tile fetches the whole frame (%d)", wholeUnlocked);
  CHECK(wholeLocked == 1, "with the lock only the reference frame is fetched whole, once (%d)", wholeLocked);
  CHECK(fetchLocked <= long(160 + margin + 8) * H, "with the lock a tile fetches its window plus the margin (%ld px)", fetchLocked);
  CHECK(worstLocked <= 1e-4, "locked sequence is stable (worst mean change %.3g)", worstLocked);

  // the locked frames are the library's result with the reference frame's analysis
  for (int t : {0, kFrames - 1}) {
    const Picture expect = libraryRestore(ref, sc.frames[size_t(t)], AUTORESTORE_MODE_AUTO, 1.0f, 0, 0, nullptr, &own[kRef]);
    const Diff d = compare(locked[size_t(t)], expect, frame, 4);
    std::printf("  locked frame %d vs library with frame %d's analysis: max %.3g\n", t, kRef, d.maxAbs);
    CHECK(d.maxAbs <= 1.0 / 255 + 1e-6, "locked frame %d equals the library (max %.3g)", t, d.maxAbs);
  }
  setBool(*e, "lockAnalysis", false);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: OFX_PLUGIN_PATH=DIR %s BUNDLE_BINARY_DIR\n", argv[0]);
    return 2;
  }
  const std::string binDir = argv[1];
  const std::string modelDir = binDir + "/model", ortLib = binDir + "/libonnxruntime.so";

  OH::PluginCache::getPluginCache()->setCacheVersion("AutoRestoreTestHostV1");
  TestHost::Host host;
  IE::PluginCache effects(host);
  effects.registerInCache(*OH::PluginCache::getPluginCache());
  std::printf("load (scan OFX_PLUGIN_PATH=%s)\n", getenv("OFX_PLUGIN_PATH") ? getenv("OFX_PLUGIN_PATH") : "");
  OH::PluginCache::getPluginCache()->scanPluginFiles();
  gPlugin = effects.getPluginById(kPluginId);
  CHECK(gPlugin != nullptr, "plug-in %s found", kPluginId);
  if (!gPlugin) {
    std::printf("FAILED: plug-in not loaded\n");
    return 1;
  }

  // The library in use is the bundle's copy (the plug-in and this host share it).
  Dl_info info;
  const bool found = dladdr(reinterpret_cast<void *>(&autorestore_version), &info) != 0 && info.dli_fname;
  const std::string libPath = found ? info.dli_fname : "";
  std::printf("  libautorestore %s from %s\n", autorestore_version(), libPath.c_str());
  CHECK(libPath.find("AutoRestore.ofx.bundle/Contents/Linux-x86-64/libautorestore.so") != std::string::npos,
        "the bundle's libautorestore is loaded (%s)", libPath.c_str());

  AutorestoreEngineOptions opts;
  autorestore_engine_options_init(&opts);
  opts.model_dir = modelDir.c_str();
  opts.ort_library_path = ortLib.c_str();
  opts.device = AUTORESTORE_DEVICE_CPU;
  AutorestoreEngine *ref = nullptr;
  AutorestoreStatus st = autorestore_engine_create(&opts, &ref);
  if (st != AUTORESTORE_OK) {
    std::printf("FAILED: reference engine: %s\n", autorestore_last_error());
    return 1;
  }

  testDescription();
  testMatchesLibrary(ref);
  testDepthsAndScale(ref);
  testBadInput();
  testAbort();
  testRenderStorm();
  if (argc > 2) testLockedSequence(ref, argv[2]);
  else CHECK(false, "no photo for the Lock Analysis test (second argument)");

  autorestore_engine_destroy(ref);
  std::printf("destroy + unload\n");
  OH::PluginCache::clearPluginCache();
  std::printf("%d checks, %d failures\n", gChecks, gFailures);
  std::printf(gFailures ? "FAILED\n" : "OK\n");
  return gFailures ? 1 : 0;
}
