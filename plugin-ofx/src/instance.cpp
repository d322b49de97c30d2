#include "instance.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>

#include "actions.h"
#include "engines.h"
#include "errors.h"

namespace autorestore_ofx {

Instance *instanceOf(OfxImageEffectHandle effect) {
  OfxPropertySetHandle props = nullptr;
  if (gEffect->getPropertySet(effect, &props) != kOfxStatOK) return nullptr;
  void *p = nullptr;
  gProp->propGetPointer(props, kOfxPropInstanceData, 0, &p);
  return static_cast<Instance *>(p);
}

void fail(OfxImageEffectHandle effect, Instance *inst, const std::string &msg) {
  if (inst) {
    std::lock_guard<std::mutex> lock(inst->messageMutex);
    inst->hasPersistentMessage = true;
  }
  postError(effect, msg);
}

void clearMessage(OfxImageEffectHandle effect, Instance *inst) {
  {
    std::lock_guard<std::mutex> lock(inst->messageMutex);
    if (!inst->hasPersistentMessage) return;
    inst->hasPersistentMessage = false;
  }
  if (gMessageV2 && gMessageV2->clearPersistentMessage) gMessageV2->clearPersistentMessage(effect);
}

void fetchSource(Instance *inst, OfxTime t, const OfxRectD *region, ImageRef &ref) {
  OfxPropertySetHandle clipProps = nullptr;
  int connected = 0;
  if (!inst->source || gEffect->clipGetPropertySet(inst->source, &clipProps) != kOfxStatOK ||
      gProp->propGetInt(clipProps, kOfxImageClipPropConnected, 0, &connected) != kOfxStatOK ||
      !connected) {
    throw RenderError{"Auto Restore: the Source input is not connected"};
  }
  OfxRectD rod;
  if (!region && gEffect->clipGetRegionOfDefinition(inst->source, t, &rod) == kOfxStatOK) region = &rod;
  OfxPropertySetHandle h = nullptr;
  if (gEffect->clipGetImage(inst->source, t, region, &h) != kOfxStatOK || !h) {
    char frame[64];
    std::snprintf(frame, sizeof frame, "%g", t);
    throw RenderError{std::string("Auto Restore: the host gave no Source image for frame ") + frame};
  }
  std::string why;
  if (!describeImage(h, ref.get(), why)) throw RenderError{"Auto Restore: Source: " + why};
}

namespace {

AnalysisKey keyFor(OfxTime t, OfxPointD scale, const HostImage &src, int device) {
  AnalysisKey key;
  key.time = t;
  key.scaleX = scale.x;
  key.scaleY = scale.y;
  key.bounds = src.bounds;
  key.fingerprint = fingerprint(src);
  key.device = device;
  return key;
}

}  // namespace

AutorestoreAnalysis frameAnalysis(Instance *inst, AutorestoreEngine *engine, const Settings &s,
                                  OfxTime t, OfxPointD scale, const HostImage *src) {
  if (!s.lock) return inst->cache.lookupOrAnalyse(engine, *src, keyFor(t, scale, *src, s.device));
  LockKey lk;
  lk.frame = s.lockFrame;
  lk.scaleX = scale.x;
  lk.scaleY = scale.y;
  lk.device = s.device;
  return inst->locked.get(lk, [&]() {
    ImageRef ref;
    fetchWholeSource(inst, OfxTime(s.lockFrame), ref);
    return inst->cache.lookupOrAnalyse(engine, ref.get(),
                                       keyFor(OfxTime(s.lockFrame), scale, ref.get(), s.device));
  });
}

OfxStatus onCreateInstance(OfxImageEffectHandle effect) {
  std::unique_ptr<Instance> inst(new Instance);
  gEffect->clipGetHandle(effect, kOfxImageEffectSimpleSourceClipName, &inst->source, nullptr);
  gEffect->clipGetHandle(effect, kOfxImageEffectOutputClipName, &inst->output, nullptr);
  if (!inst->output) {
    fail(effect, nullptr, "Auto Restore: the host made no Output clip for the node");
    return kOfxStatFailed;
  }
  // Parameters the host could not make are left out and read as their defaults.
  fetchParamHandles(effect, inst->params);
  OfxPropertySetHandle props = nullptr;
  if (gEffect->getPropertySet(effect, &props) != kOfxStatOK ||
      gProp->propSetPointer(props, kOfxPropInstanceData, 0, inst.get()) != kOfxStatOK) {
    fail(effect, nullptr, "Auto Restore: the host could not store the node's data");
    return kOfxStatFailed;
  }
  inst.release();
  return kOfxStatOK;
}

OfxStatus onDestroyInstance(OfxImageEffectHandle effect) {
  Instance *inst = instanceOf(effect);
  OfxPropertySetHandle props = nullptr;
  gEffect->getPropertySet(effect, &props);
  gProp->propSetPointer(props, kOfxPropInstanceData, 0, nullptr);
  delete inst;
  return kOfxStatOK;
}

namespace {

// "Analyze Frame": analyse the source at the given time (or the locked reference frame) and
// show the result in the read-out, or as a message where the host has no String parameter.
OfxStatus analyzeForDisplay(OfxImageEffectHandle effect, Instance *inst, OfxTime time, OfxPointD scale) {
  try {
    const Settings s = readSettings(inst->params, time);
    AutorestoreEngine *engine = engineFor(s.device);
    AutorestoreAnalysis a;
    if (s.lock) {
      a = frameAnalysis(inst, engine, s, time, scale, nullptr);
    } else {
      ImageRef src;
      fetchWholeSource(inst, time, src);
      a = frameAnalysis(inst, engine, s, time, scale, &src.get());
    }
    std::string text = describeAnalysis(engine, a);
    if (s.lock) text = "locked to frame " + std::to_string(s.lockFrame) + ": " + text;
    if (!inst->params.analysis ||
        gParam->paramSetValue(inst->params.analysis, text.c_str()) != kOfxStatOK) {
      if (gMessageV1 && gMessageV1->message)
        gMessageV1->message(effect, kOfxMessageMessage, "", "Auto Restore: %s", text.c_str());
    }
    clearMessage(effect, inst);
    return kOfxStatOK;
  } catch (const RenderError &e) {
    fail(effect, inst, e.message);
  } catch (...) {
    fail(effect, inst, "Auto Restore: internal error while analysing");
  }
  return kOfxStatFailed;
}

bool isParam(const char *type, const char *name, const char *which) {
  return type && name && std::strcmp(type, kOfxTypeParameter) == 0 && std::strcmp(name, which) == 0;
}

}  // namespace

OfxStatus onInstanceChanged(OfxImageEffectHandle effect, OfxPropertySetHandle inArgs) {
  Instance *inst = instanceOf(effect);
  if (!inst) return kOfxStatErrBadHandle;
  char *type = nullptr, *name = nullptr, *reason = nullptr;
  OfxTime time = 0;
  OfxPointD scale = {1.0, 1.0};
  gProp->propGetString(inArgs, kOfxPropType, 0, &type);
  gProp->propGetString(inArgs, kOfxPropName, 0, &name);
  gProp->propGetString(inArgs, kOfxPropChangeReason, 0, &reason);
  gProp->propGetDouble(inArgs, kOfxPropTime, 0, &time);
  gProp->propGetDoubleN(inArgs, kOfxImageEffectPropRenderScale, 2, &scale.x);
  if (isParam(type, name, kParamAnalyze)) return analyzeForDisplay(effect, inst, time, scale);
  if (isParam(type, name, kParamLock)) {
    inst->locked.clear();
    // Turning the lock on by hand takes the current frame as the reference.
    int on = 0;
    if (reason && std::strcmp(reason, kOfxChangeUserEdited) == 0 && inst->params.lock &&
        inst->params.lockFrame && gParam->paramGetValueAtTime(inst->params.lock, time, &on) == kOfxStatOK &&
        on) {
      gParam->paramSetValue(inst->params.lockFrame, int(std::lround(time)));
    }
    return kOfxStatOK;
  }
  if (isParam(type, name, kParamLockFrame) || isParam(type, name, kParamDevice)) {
    inst->locked.clear();
    return kOfxStatOK;
  }
  if (type && std::strcmp(type, kOfxTypeClip) == 0) {
    inst->cache.clear();
    inst->locked.clear();
  }
  return kOfxStatReplyDefault;
}

OfxStatus onPurgeCaches(OfxImageEffectHandle effect) {
  if (Instance *inst = instanceOf(effect)) inst->cache.clear();
  return kOfxStatOK;
}

}  // namespace autorestore_ofx
