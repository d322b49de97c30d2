// The analysis of whole source frames, computed once per frame and shared by every tile and
// thread that renders it, so all tiles of a frame restore with the same gates.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <utility>

#include "pixels.h"

namespace autorestore_ofx {

// What an analysis depends on: an upstream change at the same frame changes the fingerprint.
struct AnalysisKey {
  double time = 0, scaleX = 1, scaleY = 1;
  OfxRectI bounds = {0, 0, 0, 0};
  uint64_t fingerprint = 0;
  int device = 0;
  bool operator==(const AnalysisKey &o) const;
};

// FNV-1a over a sparse grid of the picture (up to 128 x 128 pixels) plus its geometry.
uint64_t fingerprint(const HostImage &img);

class AnalysisCache {
 public:
  // The analysis of the whole picture src for key: from the cache, or computed now while
  // other threads asking for the same instance wait. Throws RenderError.
  AutorestoreAnalysis lookupOrAnalyse(AutorestoreEngine *engine, const HostImage &src,
                                      const AnalysisKey &key);
  void clear();

 private:
  static constexpr size_t kEntries = 8;
  std::mutex mutex_;  // held while one thread analyses a frame
  std::list<std::pair<AnalysisKey, AutorestoreAnalysis>> entries_;  // most recent first
};

// What Lock Analysis keeps: the analysis of one reference frame, at one render scale and
// device, computed once and then given to every frame of the clip (no flicker, and renders
// need only their window of the source).
struct LockKey {
  double frame = 0, scaleX = 1, scaleY = 1;
  int device = 0;
  bool operator==(const LockKey &o) const {
    return frame == o.frame && scaleX == o.scaleX && scaleY == o.scaleY && device == o.device;
  }
};

class LockedAnalysis {
 public:
  // The analysis for key: the kept one, or analyse() now (other threads wait) and kept.
  AutorestoreAnalysis get(const LockKey &key, const std::function<AutorestoreAnalysis()> &analyse);
  // True (and a) when an analysis for key is kept.
  bool peek(const LockKey &key, AutorestoreAnalysis *a = nullptr);
  void clear();

 private:
  std::mutex mutex_;
  bool valid_ = false;
  LockKey key_;
  AutorestoreAnalysis analysis_;
};

// "noise 81%, blur 4%, ...; nothing to repair  [model on device]"
std::string describeAnalysis(AutorestoreEngine *engine, const AutorestoreAnalysis &a);

}  // namespace autorestore_ofx
