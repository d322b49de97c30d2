// The test host: a small OFX host on the OpenFX SDK's HostSupport library (pictures in every
// OFX pixel format, clips that hand them out, plain parameters, a host with threads and
// messages), the reference (libautorestore called directly) and helpers that drive the plug-in.
// Used by ofx_host_test.cpp and lock_test.cpp.
#pragma once

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


namespace OH = OFX::Host;
namespace IE = OFX::Host::ImageEffect;

// ---------------------------------------------------------------------------------------------
// test bookkeeping
extern int gFailures;
extern int gChecks;
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

double seconds();

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

Picture makePicture(int w, int h, int channels, const std::string &depth);
// A noisy synthetic photo-like picture: gradients, discs, stripes, Gaussian noise; alpha 1
// except a half-transparent band (alpha must pass through untouched).
Picture syntheticPicture(int w, int h, int channels, const std::string &depth, unsigned seed);
Picture downscale2(const Picture &src);  // box filter, same format
// An 8-bit RGBA picture from a PNG file (libpng); false when it cannot be read.
bool readPng(const std::string &path, Picture &pic);

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
AutorestoreSampleType libType(const std::string &depth);
// The library's result for a picture (top-down), in the picture's own sample type (half is the
// library's f16, as the plug-in hands it over). With `given`, that analysis is used instead of
// the picture's own (Lock Analysis).
Picture libraryRestore(AutorestoreEngine *engine, const Picture &in, int mode, float strength, uint32_t steps,
                       uint64_t seed, AutorestoreAnalysis *analysisOut, const AutorestoreAnalysis *given = nullptr);

struct Diff {
  double maxAbs = 0, meanAbs = 0;
  long count = 0;
};
// Compares the plug-in's output (window, in output pixel coordinates, y up) with a reference
// picture (top-down) of the same size.
Diff compare(const Picture &output, const Picture &ref, const OfxRectI &window, int channels);
// Counts output samples in window still equal to the sentinel.
long untouched(const Picture &output, const OfxRectI &window, float sentinel);

// ---------------------------------------------------------------------------------------------
// driving the plug-in
extern IE::ImageEffectPlugin *gPlugin;
extern const float kSentinel;  // representable as float; quantised for byte/short/half

std::unique_ptr<TestHost::Effect> newEffect(const char *context, TestHost::SourceConfig source,
                                            const std::string &outDepth, int outChannels);
void setChoice(TestHost::Effect &e, const char *name, int v);
void setDouble(TestHost::Effect &e, const char *name, double v);
void setInt(TestHost::Effect &e, const char *name, int v);
void setBool(TestHost::Effect &e, const char *name, bool v);
OfxStatus render(TestHost::Effect &e, const OfxRectI &window, OfxTime t = 0);
// Renders the whole frame as tiles from several threads at once; returns the statuses.
std::vector<OfxStatus> renderTiles(TestHost::Effect &e, int tilesX, int tilesY, OfxTime t = 0);

// the tests outside ofx_host_test.cpp
void testLockedSequence(AutorestoreEngine *ref, const std::string &photoPath);
