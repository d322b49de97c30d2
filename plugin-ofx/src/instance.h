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
  std::mutex messageMutex;
  bool hasPersistentMessage = false;
};

Instance *instanceOf(OfxImageEffectHandle effect);

// Posts msg as the node's error (persistent where the host can) and remembers to clear it.
void fail(OfxImageEffectHandle effect, Instance *inst, const std::string &msg);
// Clears the message of an earlier failure once an action succeeds.
void clearMessage(OfxImageEffectHandle effect, Instance *inst);

// Fetches the whole source picture at t; throws RenderError with a message for the user.
void fetchWholeSource(Instance *inst, OfxTime t, ImageRef &ref);

}  // namespace autorestore_ofx
