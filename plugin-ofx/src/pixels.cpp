#include "pixels.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace autorestore_ofx {

size_t depthBytes(Depth d) {
  switch (d) {
    case Depth::U8: return 1;
    case Depth::U16: case Depth::F16: return 2;
    case Depth::F32: return 4;
  }
  return 4;
}

size_t Buffer::sampleBytes() const {
  switch (type) {
    case AUTORESTORE_SAMPLE_U8: return 1;
    case AUTORESTORE_SAMPLE_U16: case AUTORESTORE_SAMPLE_F16: return 2;
    default: return 4;
  }
}

AutorestoreImage Buffer::view() {
  AutorestoreImage im;
  im.data = bytes.data();
  im.width = width;
  im.height = height;
  im.row_stride = rowStride();
  im.sample_type = type;
  im.channels = channels;
  return im;
}

// Reads the image properties; false with a message when the format is not one we handle.
bool describeImage(OfxPropertySetHandle h, HostImage &img, std::string &why) {
  img.handle = h;
  void *data = nullptr;
  char *depth = nullptr, *comps = nullptr, *uid = nullptr;
  gProp->propGetPointer(h, kOfxImagePropData, 0, &data);
  gProp->propGetIntN(h, kOfxImagePropBounds, 4, &img.bounds.x1);
  img.hasRod = gProp->propGetIntN(h, kOfxImagePropRegionOfDefinition, 4, &img.rod.x1) == kOfxStatOK &&
               !isEmpty(img.rod);
  if (!img.hasRod) img.rod = img.bounds;
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

namespace {

// The value 1 in each depth: alpha for an RGB source written to an RGBA output.
void storeOne(char *p, Depth d) {
  switch (d) {
    case Depth::U8: *reinterpret_cast<uint8_t *>(p) = 255; break;
    case Depth::U16: { const uint16_t v = 65535; std::memcpy(p, &v, 2); break; }
    case Depth::F16: { const uint16_t v = 0x3C00; std::memcpy(p, &v, 2); break; }  // binary16 1.0
    case Depth::F32: { const float v = 1.0f; std::memcpy(p, &v, 4); break; }
  }
}

// The library refuses NaN/Inf: one bad pixel must not fail a frame. NaN and -Inf become 0,
// +Inf becomes 1.
void sanitizeFloats(float *v, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (std::isnan(v[i])) v[i] = 0.0f;
    else if (std::isinf(v[i])) v[i] = v[i] > 0 ? 1.0f : 0.0f;
  }
}

void sanitizeHalves(uint16_t *v, size_t n) {  // the same on binary16 bit patterns
  for (size_t i = 0; i < n; ++i) {
    if ((v[i] & 0x7C00u) != 0x7C00u) continue;                     // finite
    v[i] = (v[i] & 0x03FFu) || (v[i] & 0x8000u) ? 0x0000u : 0x3C00u;  // NaN, -Inf: 0; +Inf: 1
  }
}

}  // namespace

AutorestoreSampleType libraryType(Depth d) {
  switch (d) {
    case Depth::U8: return AUTORESTORE_SAMPLE_U8;
    case Depth::U16: return AUTORESTORE_SAMPLE_U16;
    case Depth::F16: return AUTORESTORE_SAMPLE_F16;
    case Depth::F32: return AUTORESTORE_SAMPLE_F32;
  }
  return AUTORESTORE_SAMPLE_F32;
}

void copyIn(const HostImage &src, const OfxRectI &rect, Buffer &buf) {
  buf.width = uint32_t(rect.x2 - rect.x1);
  buf.height = uint32_t(rect.y2 - rect.y1);
  buf.channels = uint32_t(src.channels);
  buf.type = libraryType(src.depth);
  buf.bytes.resize(buf.rowStride() * buf.height);
  const size_t n = size_t(buf.width) * buf.channels;
  for (uint32_t r = 0; r < buf.height; ++r) {
    const int y = rect.y2 - 1 - int(r);
    unsigned char *out = buf.bytes.data() + r * buf.rowStride();
    std::memcpy(out, src.pixel(rect.x1, y), n * depthBytes(src.depth));
    if (src.depth == Depth::F32) sanitizeFloats(reinterpret_cast<float *>(out), n);
    if (src.depth == Depth::F16) sanitizeHalves(reinterpret_cast<uint16_t *>(out), n);
  }
}

Buffer resultBuffer(const Buffer &in, Depth outDepth) {
  Buffer out;
  out.width = in.width;
  out.height = in.height;
  out.channels = in.channels;
  out.type = libraryType(outDepth);
  out.bytes.resize(out.rowStride() * out.height);
  return out;
}

void copyOut(const Buffer &buf, const OfxRectI &rect, const HostImage &dst, const OfxRectI &window) {
  const size_t sb = depthBytes(dst.depth);  // buf holds dst's depth (resultBuffer)
  const bool sameChannels = buf.channels == uint32_t(dst.channels);
  const int common = std::min(int(buf.channels), dst.channels);
  for (int y = window.y1; y < window.y2; ++y) {
    char *out = const_cast<char *>(dst.pixel(window.x1, y));
    const bool rowInside = y >= rect.y1 && y < rect.y2;
    const unsigned char *row =
        rowInside ? buf.bytes.data() + size_t(rect.y2 - 1 - y) * buf.rowStride() : nullptr;
    int x = window.x1;
    // left of rect, then inside, then right of rect
    const int insideX1 = rowInside ? std::max(window.x1, rect.x1) : window.x2;
    const int insideX2 = rowInside ? std::min(window.x2, rect.x2) : window.x2;
    const size_t dstPixel = size_t(dst.channels) * sb;
    for (; x < insideX1; ++x, out += dstPixel) std::memset(out, 0, dstPixel);
    if (insideX2 > insideX1) {
      const unsigned char *in = row + size_t(insideX1 - rect.x1) * buf.channels * sb;
      const int count = insideX2 - insideX1;
      if (sameChannels) {
        std::memcpy(out, in, size_t(count) * dstPixel);
        out += size_t(count) * dstPixel;
      } else {
        for (int i = 0; i < count; ++i, in += buf.channels * sb, out += dstPixel) {
          std::memcpy(out, in, size_t(common) * sb);
          for (int c = common; c < dst.channels; ++c) storeOne(out + c * sb, dst.depth);
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

}  // namespace autorestore_ofx
