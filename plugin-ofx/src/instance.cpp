#include "instance.h"

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

void fetchWholeSource(Instance *inst, OfxTime t, ImageRef &ref) {
  OfxPropertySetHandle clipProps = nullptr;
  int connected = 0;
  if (!inst->source || gEffect->clipGetPropertySet(inst->source, &clipProps) != kOfxStatOK ||
      gProp->propGetInt(clipProps, kOfxImageClipPropConnected, 0, &connected) != kOfxStatOK ||
      !connected) {
    throw RenderError{"Auto Restore: the Source input is not connected"};
  }
  OfxRectD rod;
  const OfxRectD *region = nullptr;
  if (gEffect->clipGetRegionOfDefinition(inst->source, t, &rod) == kOfxStatOK) region = &rod;
  OfxPropertySetHandle h = nullptr;
  if (gEffect->clipGetImage(inst->source, t, region, &h) != kOfxStatOK || !h) {
    throw RenderError{"Auto Restore: the host gave no Source image for this frame"};
  }
  std::string why;
  if (!describeImage(h, ref.get(), why)) throw RenderError{"Auto Restore: Source: " + why};
}

OfxStatus onCreateInstance(OfxImageEffectHandle effect) {
  std::unique_ptr<Instance> inst(new Instance);
  gEffect->clipGetHandle(effect, kOfxImageEffectSimpleSourceClipName, &inst->source, nullptr);
  gEffect->clipGetHandle(effect, kOfxImageEffectOutputClipName, &inst->output, nullptr);
  if (!inst->output || !fetchParamHandles(effect, inst->params)) return kOfxStatFailed;
  OfxPropertySetHandle props = nullptr;
  gEffect->getPropertySet(effect, &props);
  gProp->propSetPointer(props, kOfxPropInstanceData, 0, inst.release());
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

// "Analyze Frame": analyse the source at the given time and show the result.
OfxStatus analyzeForDisplay(OfxImageEffectHandle effect, Instance *inst, OfxTime time, OfxPointD scale) {
  try {
    const Settings s = readSettings(inst->params, time);
    ImageRef src;
    fetchWholeSource(inst, time, src);
    AutorestoreEngine *engine = engineFor(s.device);
    AnalysisKey key;
    key.time = time;
    key.scaleX = scale.x;
    key.scaleY = scale.y;
    key.bounds = src.get().bounds;
    key.fingerprint = fingerprint(src.get());
    key.device = s.device;
    const AutorestoreAnalysis a = inst->cache.lookupOrAnalyse(engine, src.get(), key);
    const std::string text = describeAnalysis(engine, a);
    gParam->paramSetValue(inst->params.analysis, text.c_str());
    clearMessage(effect, inst);
    return kOfxStatOK;
  } catch (const RenderError &e) {
    fail(effect, inst, e.message);
  } catch (...) {
    fail(effect, inst, "Auto Restore: internal error while analysing");
  }
  return kOfxStatFailed;
}

}  // namespace

OfxStatus onInstanceChanged(OfxImageEffectHandle effect, OfxPropertySetHandle inArgs) {
  Instance *inst = instanceOf(effect);
  if (!inst) return kOfxStatErrBadHandle;
  char *type = nullptr, *name = nullptr;
  gProp->propGetString(inArgs, kOfxPropType, 0, &type);
  gProp->propGetString(inArgs, kOfxPropName, 0, &name);
  if (type && std::strcmp(type, kOfxTypeParameter) == 0 && name &&
      std::strcmp(name, kParamAnalyze) == 0) {
    OfxTime time = 0;
    OfxPointD scale = {1.0, 1.0};
    gProp->propGetDouble(inArgs, kOfxPropTime, 0, &time);
    gProp->propGetDoubleN(inArgs, kOfxImageEffectPropRenderScale, 2, &scale.x);
    return analyzeForDisplay(effect, inst, time, scale);
  }
  if (type && std::strcmp(type, kOfxTypeClip) == 0) inst->cache.clear();
  return kOfxStatReplyDefault;
}

OfxStatus onPurgeCaches(OfxImageEffectHandle effect) {
  if (Instance *inst = instanceOf(effect)) inst->cache.clear();
  return kOfxStatOK;
}

}  // namespace autorestore_ofx
