#include "analysis_cache.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "errors.h"

namespace autorestore_ofx {

bool AnalysisKey::operator==(const AnalysisKey &o) const {
  return time == o.time && scaleX == o.scaleX && scaleY == o.scaleY && bounds.x1 == o.bounds.x1 &&
         bounds.y1 == o.bounds.y1 && bounds.x2 == o.bounds.x2 && bounds.y2 == o.bounds.y2 &&
         fingerprint == o.fingerprint && device == o.device;
}

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

AutorestoreAnalysis AnalysisCache::lookupOrAnalyse(AutorestoreEngine *engine, const HostImage &src,
                                                   const AnalysisKey &key) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->first == key) {
      entries_.splice(entries_.begin(), entries_, it);
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
  entries_.emplace_front(key, analysis);
  while (entries_.size() > kEntries) entries_.pop_back();
  return analysis;
}

void AnalysisCache::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.clear();
}

AutorestoreAnalysis LockedAnalysis::get(const LockKey &key,
                                        const std::function<AutorestoreAnalysis()> &analyse) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!valid_ || !(key_ == key)) {
    analysis_ = analyse();  // throws: nothing kept
    key_ = key;
    valid_ = true;
  }
  return analysis_;
}

bool LockedAnalysis::peek(const LockKey &key, AutorestoreAnalysis *a) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!valid_ || !(key_ == key)) return false;
  if (a) *a = analysis_;
  return true;
}

void LockedAnalysis::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  valid_ = false;
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
  s += std::string("  [") + (model ? model : "model") + " on " + (device ? device : "?");
  // Auto that did not get the GPU says why (e.g. no CUDA provider, no driver).
  const char *note = autorestore_engine_device_note(engine);
  if (note && *note) s += std::string(": ") + note;
  s += "]";
  return s;
}

}  // namespace autorestore_ofx
