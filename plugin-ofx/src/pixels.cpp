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
  return type == AUTORESTORE_SAMPLE_U8 ? 1 : type == AUTORESTORE_SAMPLE_U16 ? 2 : 4;
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

namespace {

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

}  // namespace

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

namespace {

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

}  // namespace

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

}  // namespace autorestore_ofx
