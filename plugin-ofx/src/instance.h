// One node in the host's graph: its clips, parameters, analysis cache and message state.
#pragma once

#include <mutex>
#include <string>

#include "analysis_cache.h"
#include "params.h"
#include "pixels.h"

namespace autorestore_ofx {

struct Instance {
  OfxImageClipHandle source = nullptr, output = nullptr;
  ParamHandles params;
  AnalysisCache cache;
  LockedAnalysis locked;
  std::mutex messageMutex;
  bool hasPersistentMessage = false;
};

Instance *instanceOf(OfxImageEffectHandle effect);

// Posts msg as the node's error (persistent where the host can) and remembers to clear it.
void fail(OfxImageEffectHandle effect, Instance *inst, const std::string &msg);
// Clears the message of an earlier failure once an action succeeds.
void clearMessage(OfxImageEffectHandle effect, Instance *inst);

// Fetches the source picture at t: the whole frame, or at least `region` (canonical
// coordinates) when given. Throws RenderError with a message for the user.
void fetchSource(Instance *inst, OfxTime t, const OfxRectD *region, ImageRef &ref);
inline void fetchWholeSource(Instance *inst, OfxTime t, ImageRef &ref) { fetchSource(inst, t, nullptr, ref); }

// The analysis the frame at t restores with: the locked reference frame's when Lock Analysis
// is on (fetching that frame whole the first time), else that of src (the whole frame at t),
// from the cache. Throws RenderError.
AutorestoreAnalysis frameAnalysis(Instance *inst, AutorestoreEngine *engine, const Settings &s,
                                  OfxTime t, OfxPointD scale, const HostImage *src);

}  // namespace autorestore_ofx
