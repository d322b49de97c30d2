#include "test_host.h"

#include <png.h>

int gFailures = 0;
int gChecks = 0;

double seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// ---------------------------------------------------------------------------------------------
// pictures
Picture makePicture(int w, int h, int channels, const std::string &depth) {
  Picture p;
  p.w = w; p.h = h; p.channels = channels; p.depth = depth;
  p.bytes.assign(p.row() * h, 0);
  return p;
}

// A noisy synthetic photo-like picture: gradients, discs, stripes, Gaussian noise; alpha 1
// except a half-transparent band (alpha must pass through untouched).
Picture syntheticPicture(int w, int h, int channels, const std::string &depth, unsigned seed) {
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

Picture downscale2(const Picture &src) {  // box filter, same format
  Picture d = makePicture(src.w / 2, src.h / 2, src.channels, src.depth);
  for (int y = 0; y < d.h; ++y)
    for (int x = 0; x < d.w; ++x)
      for (int c = 0; c < src.channels; ++c)
        d.set(x, y, c, 0.25f * (src.get(2 * x, 2 * y, c) + src.get(2 * x + 1, 2 * y, c) +
                                src.get(2 * x, 2 * y + 1, c) + src.get(2 * x + 1, 2 * y + 1, c)));
  return d;
}

bool readPng(const std::string &path, Picture &pic) {
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

// ---------------------------------------------------------------------------------------------
// the host
namespace TestHost {

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

}  // namespace TestHost

// ---------------------------------------------------------------------------------------------
// the reference: libautorestore called directly

AutorestoreSampleType libType(const std::string &depth) {
  if (depth == kOfxBitDepthByte) return AUTORESTORE_SAMPLE_U8;
  if (depth == kOfxBitDepthShort) return AUTORESTORE_SAMPLE_U16;
  if (depth == kOfxBitDepthHalf) return AUTORESTORE_SAMPLE_F16;
  return AUTORESTORE_SAMPLE_F32;
}

Picture libraryRestore(AutorestoreEngine *engine, const Picture &in, int mode, float strength,
                       uint32_t steps, uint64_t seed, AutorestoreAnalysis *analysisOut,
                       const AutorestoreAnalysis *given) {
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

// Compares the plug-in's output (window, in output pixel coordinates, y up) with a reference
// picture (top-down) of the same size.
Diff compare(const Picture &output, const Picture &ref, const OfxRectI &window, int channels) {
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
long untouched(const Picture &output, const OfxRectI &window, float sentinel) {
  long n = 0;
  for (int y = window.y1; y < window.y2; ++y)
    for (int x = window.x1; x < window.x2; ++x)
      for (int c = 0; c < output.channels; ++c)
        if (output.get(x, output.h - 1 - y, c) == sentinel) ++n;
  return n;
}

// ---------------------------------------------------------------------------------------------
// driving the plug-in

IE::ImageEffectPlugin *gPlugin = nullptr;
const float kSentinel = 0.123f;

std::unique_ptr<TestHost::Effect> newEffect(const char *context, TestHost::SourceConfig source,
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

void setChoice(TestHost::Effect &e, const char *name, int v) {
  auto *p = dynamic_cast<TestHost::ChoiceParam *>(e.getParam(name));
  CHECK(p != nullptr, "param %s", name);
  if (p) p->set(v);
}
void setDouble(TestHost::Effect &e, const char *name, double v) {
  auto *p = dynamic_cast<TestHost::DoubleParam *>(e.getParam(name));
  CHECK(p != nullptr, "param %s", name);
  if (p) p->set(v);
}
void setInt(TestHost::Effect &e, const char *name, int v) {
  auto *p = dynamic_cast<TestHost::IntParam *>(e.getParam(name));
  CHECK(p != nullptr, "param %s", name);
  if (p) p->set(v);
}

void setBool(TestHost::Effect &e, const char *name, bool v) {
  auto *p = dynamic_cast<TestHost::BoolParam *>(e.getParam(name));
  CHECK(p != nullptr, "param %s", name);
  if (p) p->set(v);
}

OfxStatus render(TestHost::Effect &e, const OfxRectI &window, OfxTime t) {
  OfxPointD rs = {e.scale, e.scale};
  return e.renderAction(t, kOfxImageFieldNone, window, rs, false, true, false);
}

// Renders the whole frame as tiles from several threads at once; returns the statuses.
std::vector<OfxStatus> renderTiles(TestHost::Effect &e, int tilesX, int tilesY, OfxTime t) {
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

