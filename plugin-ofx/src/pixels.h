// Pixels: the host's images as the plug-in sees them, and the copies in and out of the
// library's top-down buffers. No image processing happens here, only copying.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

extern "C" {  // harmless if the header already declares C linkage
#include "autorestore.h"
}
#include "host.h"

namespace autorestore_ofx {

enum class Depth { U8, U16, F16, F32 };

size_t depthBytes(Depth d);

// An image as the host hands it to us: pixel (x, y) lives at
// data + (y - bounds.y1) * rowBytes + (x - bounds.x1) * channels * depthBytes; y grows upwards.
struct HostImage {
  OfxPropertySetHandle handle = nullptr;
  char *data = nullptr;
  OfxRectI bounds = {0, 0, 0, 0};
  OfxRectI rod = {0, 0, 0, 0};  // the whole frame in pixels (bounds where the host omits it)
  bool hasRod = false;          // the host gave kOfxImagePropRegionOfDefinition
  int rowBytes = 0;
  Depth depth = Depth::F32;
  int channels = 4;
  std::string uniqueId;

  const char *pixel(int x, int y) const {
    return data + ptrdiff_t(y - bounds.y1) * rowBytes +
           ptrdiff_t(x - bounds.x1) * channels * ptrdiff_t(depthBytes(depth));
  }
};

// Releases an image handle on every path out of an action.
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
bool describeImage(OfxPropertySetHandle h, HostImage &img, std::string &why);

// A top-down, tightly packed copy in the library's sample type.
struct Buffer {
  std::vector<unsigned char> bytes;
  uint32_t width = 0, height = 0, channels = 4;
  AutorestoreSampleType type = AUTORESTORE_SAMPLE_F32;
  size_t sampleBytes() const;
  size_t rowStride() const { return size_t(width) * channels * sampleBytes(); }
  AutorestoreImage view();
};

// Copies rect (inside src.bounds) into a new top-down buffer.
void copyIn(const HostImage &src, const OfxRectI &rect, Buffer &buf);

// The library's sample type for a host depth (half is the library's f16: no conversion here).
AutorestoreSampleType libraryType(Depth d);

// A buffer shaped like `in` in the sample type of outDepth, for the library to write the
// result into (it converts between sample types itself).
Buffer resultBuffer(const Buffer &in, Depth outDepth);

// Writes window into dst: from buf (which covers rect, top-down, in dst's depth) where they
// overlap, transparent black elsewhere. Channel counts may differ (alpha 1 where buf has none).
void copyOut(const Buffer &buf, const OfxRectI &rect, const HostImage &dst, const OfxRectI &window);

OfxRectI intersect(const OfxRectI &a, const OfxRectI &b);
inline bool isEmpty(const OfxRectI &r) { return r.x2 <= r.x1 || r.y2 <= r.y1; }

}  // namespace autorestore_ofx
