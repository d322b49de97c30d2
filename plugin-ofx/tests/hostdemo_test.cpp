// AutoRestore in a second, minimal OFX host: the OpenFX SDK's own `hostDemo` host
// (HostSupport/examples/hostDemo*.cpp from the openfx-sys 0.1.0 crate, compiled unmodified).
// That host has no String parameters, integer and choice parameters that cannot be read, a
// double that always reads 2.0 and a boolean that always reads true, 8-bit RGBA PAL frames
// (720x576, pixel aspect 768/720) whose grey level follows the time, and no multithread suite.
//
// The SDK's hostDemo.cpp main() drives only the SDK's invert example (its plug-in id is written
// into it), so this file is that main() for AutoRestore, doing the same steps: scan the plug-in
// path, create a filter instance, create-instance action, clip preferences, begin render, then
// per frame the region-of-interest action and a render of the whole frame, end render. It checks
// every step succeeds, that the parameters the host cannot make are skipped while the others
// are there, and that each rendered frame equals libautorestore's own result for the same
// pixels byte for byte (with the analysis of frame 0: the host's boolean reads true, so Lock
// Analysis is on, and its integers read as defaults, so the reference frame is 0).
//
// Usage: OFX_PLUGIN_PATH=<dir holding AutoRestore.ofx.bundle> hostdemo_test <bundle binary dir>

#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ofxCore.h"
#include "ofxImageEffect.h"
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
// the SDK's demo host
#include "hostDemoHostDescriptor.h"
#include "hostDemoEffectInstance.h"
#include "hostDemoClipInstance.h"

extern "C" {  // harmless if the header already declares C linkage
#include "autorestore.h"
}

namespace IE = OFX::Host::ImageEffect;

static int gChecks = 0, gFailures = 0;
#define CHECK(cond, ...)                                            \
  do {                                                              \
    ++gChecks;                                                      \
    if (!(cond)) {                                                  \
      ++gFailures;                                                  \
      std::printf("  FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
      std::printf(__VA_ARGS__);                                     \
      std::printf("\n");                                            \
    }                                                               \
  } while (0)

// A demo-host image as a top-down, packed RGBA 8-bit buffer (the layout the plug-in hands the
// library: row 0 is the top of the picture, y = bounds.y2 - 1).
static std::vector<unsigned char> topDown(const MyHost::MyImage &im, int &w, int &h) {
  const OfxRectI b = im.getBounds();
  w = b.x2 - b.x1;
  h = b.y2 - b.y1;
  std::vector<unsigned char> out(size_t(w) * h * 4);
  for (int r = 0; r < h; ++r)
    std::memcpy(out.data() + size_t(r) * w * 4, im.pixel(b.x1, b.y2 - 1 - r), size_t(w) * 4);
  return out;
}

static AutorestoreImage view(std::vector<unsigned char> &px, int w, int h) {
  AutorestoreImage im;
  im.data = px.data();
  im.width = uint32_t(w);
  im.height = uint32_t(h);
  im.row_stride = size_t(w) * 4;
  im.sample_type = AUTORESTORE_SAMPLE_U8;
  im.channels = 4;
  return im;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: OFX_PLUGIN_PATH=DIR %s BUNDLE_BINARY_DIR\n", argv[0]);
    return 2;
  }
  const std::string binDir = argv[1];
  const std::string modelDir = binDir + "/model", ortLib = binDir + "/libonnxruntime.so";

  OFX::Host::PluginCache::getPluginCache()->setCacheVersion("hostDemoV1");
  MyHost::Host myHost;
  IE::PluginCache imageEffectPluginCache(myHost);
  imageEffectPluginCache.registerInCache(*OFX::Host::PluginCache::getPluginCache());
  OFX::Host::PluginCache::getPluginCache()->scanPluginFiles();
  IE::ImageEffectPlugin *plugin = imageEffectPluginCache.getPluginById("org.autorestore.AutoRestore");
  CHECK(plugin != nullptr, "hostDemo found the plug-in");
  if (!plugin) return 1;

  // The reference: the library on the same device choice as the node (its default, Auto).
  AutorestoreEngineOptions opts;
  autorestore_engine_options_init(&opts);
  opts.model_dir = modelDir.c_str();
  opts.ort_library_path = ortLib.c_str();
  AutorestoreEngine *ref = nullptr;
  if (autorestore_engine_create(&opts, &ref) != AUTORESTORE_OK) {
    std::printf("FAILED: reference engine: %s\n", autorestore_last_error());
    return 1;
  }

  std::printf("hostDemo: describe, describe in context, create instance\n");
  std::unique_ptr<IE::Instance> instance(plugin->createInstance(kOfxImageEffectContextFilter, nullptr));
  CHECK(instance.get() != nullptr, "createInstance(filter)");
  if (!instance) return 1;
  // The controls are there; the String read-out (a type this host lacks) was skipped, and with
  // it nothing else, because it is described last.
  for (const char *name : {"mode", "strength", "steps", "seed", "device", "lockAnalysis", "lockFrame", "analyzeFrame"})
    CHECK(instance->getParam(name) != nullptr, "parameter %s made by the host", name);
  CHECK(instance->getParam("analysis") == nullptr, "hostDemo has no String parameters");

  OfxStatus st = instance->createInstanceAction();
  CHECK(st == kOfxStatOK || st == kOfxStatReplyDefault, "createInstanceAction -> %d", st);
  CHECK(instance->getClipPreferences(), "getClipPreferences");

  OfxPointD renderScale = {1.0, 1.0};
  const OfxRectI renderWindow = {0, 0, 720, 576};
  const OfxRectD regionOfInterest = {0, 0, renderWindow.x2 * instance->getProjectPixelAspectRatio(), 576};
  const int numFramesToRender = int(OFXHOSTDEMOCLIPLENGTH);
  st = instance->beginRenderAction(0, numFramesToRender, 1.0, false, renderScale, true, false);
  CHECK(st == kOfxStatOK || st == kOfxStatReplyDefault, "beginRenderAction -> %d", st);
  auto *outputClip = dynamic_cast<MyHost::MyClipInstance *>(instance->getClip("Output"));
  auto *sourceClip = dynamic_cast<MyHost::MyClipInstance *>(instance->getClip("Source"));
  CHECK(outputClip && sourceClip, "clips");
  if (!outputClip || !sourceClip) return 1;

  AutorestoreAnalysis frame0;
  std::memset(&frame0, 0, sizeof frame0);
  for (int t = 0; t <= numFramesToRender; ++t) {
    std::map<IE::ClipInstance *, OfxRectD> rois;
    st = instance->getRegionOfInterestAction(t, renderScale, regionOfInterest, rois);
    CHECK(st == kOfxStatOK || st == kOfxStatReplyDefault, "getRegionOfInterestAction -> %d", st);
    st = instance->renderAction(t, kOfxImageFieldBoth, renderWindow, renderScale, true, false, false);
    CHECK(st == kOfxStatOK, "render frame %d -> %d", t, st);
    MyHost::MyImage *outputImage = outputClip->getOutputImage();
    CHECK(outputImage != nullptr, "output image");
    if (st != kOfxStatOK || !outputImage) continue;

    // The same pixels through the library: the source image the host makes for this frame,
    // restored in Auto mode at strength 1 (the host's 2.0 clamped) with frame 0's analysis.
    IE::Image *srcImage = sourceClip->getImage(t, nullptr);
    int w = 0, h = 0;
    std::vector<unsigned char> in = topDown(*dynamic_cast<MyHost::MyImage *>(srcImage), w, h);
    srcImage->releaseReference();
    AutorestoreImage inView = view(in, w, h);
    if (t == 0) CHECK(autorestore_analyze(ref, &inView, &frame0) == AUTORESTORE_OK, "%s", autorestore_last_error());
    AutorestoreRestoreParams p;
    autorestore_restore_params_init(&p);
    p.analysis = &frame0;
    std::vector<unsigned char> expect(in.size());
    AutorestoreImage outView = view(expect, w, h);
    CHECK(autorestore_restore(ref, &inView, &outView, &p) == AUTORESTORE_OK, "%s", autorestore_last_error());

    int ow = 0, oh = 0;
    const std::vector<unsigned char> got = topDown(*outputImage, ow, oh);
    long differ = 0;
    for (size_t i = 0; i < got.size() && i < expect.size(); ++i) differ += got[i] != expect[i];
    std::printf("  frame %d: %dx%d, amount %.2f, %ld of %zu bytes differ from the library\n", t, ow, oh,
                double(frame0.amount), differ, got.size());
    CHECK(ow == w && oh == h && differ == 0, "frame %d equals the library byte for byte", t);
  }
  st = instance->endRenderAction(0, numFramesToRender, 1.0, false, renderScale, true, false);
  CHECK(st == kOfxStatOK || st == kOfxStatReplyDefault, "endRenderAction -> %d", st);

  // Analyze Frame in a host without String parameters: the analysis comes as a message.
  OfxPointD one = {1, 1};
  instance->beginInstanceChangedAction(kOfxChangeUserEdited);
  st = instance->paramInstanceChangedAction("analyzeFrame", kOfxChangeUserEdited, 0, one);
  instance->endInstanceChangedAction(kOfxChangeUserEdited);
  CHECK(st == kOfxStatOK, "Analyze Frame -> %d", st);

  instance.reset();
  autorestore_engine_destroy(ref);
  OFX::Host::PluginCache::clearPluginCache();
  std::printf("%d checks, %d failures\n%s\n", gChecks, gFailures, gFailures ? "FAILED" : "OK");
  return gFailures ? 1 : 0;
}
