// Describe and describe-in-context: what the plug-in is, its clips and parameters.
#include <cstring>

#include "actions.h"
#include "params.h"

namespace autorestore_ofx {

namespace {

// ---- capabilities, declared once -----------------------------------------------------------
constexpr const char *kPluginLabel = "Auto Restore";
constexpr const char *kPluginGrouping = "Filter/Restore";
constexpr const char *kPluginDescription =
    "All-in-one image restoration (noise, blur, haze, low light, rain) with a small "
    "MoE-in-MoE diffusion transformer. Auto mode analyses each frame and says what is wrong.";
constexpr bool kSupportsTiles = true;
constexpr bool kSupportsMultiResolution = true;
constexpr const char *kRenderThreadSafety = kOfxImageEffectRenderFullySafe;

}  // namespace

OfxStatus onDescribe(OfxImageEffectHandle effect) {
  OfxPropertySetHandle p = nullptr;
  gEffect->getPropertySet(effect, &p);
  gProp->propSetString(p, kOfxPropLabel, 0, kPluginLabel);
  gProp->propSetString(p, kOfxPropShortLabel, 0, kPluginLabel);
  gProp->propSetString(p, kOfxPropLongLabel, 0, kPluginLabel);
  gProp->propSetString(p, kOfxImageEffectPluginPropGrouping, 0, kPluginGrouping);
  gProp->propSetString(p, kOfxPropPluginDescription, 0, kPluginDescription);
  gProp->propSetString(p, kOfxImageEffectPropSupportedContexts, 0, kOfxImageEffectContextFilter);
  gProp->propSetString(p, kOfxImageEffectPropSupportedContexts, 1, kOfxImageEffectContextGeneral);
  const char *depths[] = {kOfxBitDepthFloat, kOfxBitDepthByte, kOfxBitDepthShort, kOfxBitDepthHalf};
  for (int i = 0; i < 4; ++i) gProp->propSetString(p, kOfxImageEffectPropSupportedPixelDepths, i, depths[i]);
  gProp->propSetInt(p, kOfxImageEffectPropSupportsTiles, 0, kSupportsTiles);
  gProp->propSetInt(p, kOfxImageEffectPropSupportsMultiResolution, 0, kSupportsMultiResolution);
  gProp->propSetInt(p, kOfxImageEffectPropSupportsMultipleClipDepths, 0, 0);
  gProp->propSetInt(p, kOfxImageEffectPropSupportsMultipleClipPARs, 0, 0);
  // Lock Analysis reads the reference frame while rendering another one.
  gProp->propSetInt(p, kOfxImageEffectPropTemporalClipAccess, 0, 1);
  gProp->propSetInt(p, kOfxImageEffectPluginPropSingleInstance, 0, 0);
  // The engine spreads each tile over the CPU cores itself; host threads are still safe.
  gProp->propSetInt(p, kOfxImageEffectPluginPropHostFrameThreading, 0, 0);
  gProp->propSetString(p, kOfxImageEffectPluginRenderThreadSafety, 0, kRenderThreadSafety);
  return kOfxStatOK;
}

OfxStatus onDescribeInContext(OfxImageEffectHandle effect, OfxPropertySetHandle inArgs) {
  char *context = nullptr;
  gProp->propGetString(inArgs, kOfxImageEffectPropContext, 0, &context);
  if (!context || (std::strcmp(context, kOfxImageEffectContextFilter) != 0 &&
                   std::strcmp(context, kOfxImageEffectContextGeneral) != 0)) {
    return kOfxStatErrMissingHostFeature;
  }
  const bool general = std::strcmp(context, kOfxImageEffectContextGeneral) == 0;

  OfxPropertySetHandle clip = nullptr;
  if (gEffect->clipDefine(effect, kOfxImageEffectSimpleSourceClipName, &clip) != kOfxStatOK || !clip) {
    postError(effect, "Auto Restore: the host refused the Source clip");
    return kOfxStatFailed;
  }
  gProp->propSetString(clip, kOfxImageEffectPropSupportedComponents, 0, kOfxImageComponentRGBA);
  gProp->propSetString(clip, kOfxImageEffectPropSupportedComponents, 1, kOfxImageComponentRGB);
  gProp->propSetInt(clip, kOfxImageEffectPropSupportsTiles, 0, kSupportsTiles);
  gProp->propSetInt(clip, kOfxImageClipPropIsMask, 0, 0);
  gProp->propSetInt(clip, kOfxImageEffectPropTemporalClipAccess, 0, 1);
  if (general) gProp->propSetInt(clip, kOfxImageClipPropOptional, 0, 0);

  if (gEffect->clipDefine(effect, kOfxImageEffectOutputClipName, &clip) != kOfxStatOK || !clip) {
    postError(effect, "Auto Restore: the host refused the Output clip");
    return kOfxStatFailed;
  }
  gProp->propSetString(clip, kOfxImageEffectPropSupportedComponents, 0, kOfxImageComponentRGBA);
  gProp->propSetString(clip, kOfxImageEffectPropSupportedComponents, 1, kOfxImageComponentRGB);
  gProp->propSetInt(clip, kOfxImageEffectPropSupportsTiles, 0, kSupportsTiles);

  OfxParamSetHandle params = nullptr;
  if (gEffect->getParamSet(effect, &params) != kOfxStatOK || !params) {
    postError(effect, "Auto Restore: the host gave no parameter set to describe");
    return kOfxStatFailed;
  }
  defineParams(params);
  return kOfxStatOK;
}

}  // namespace autorestore_ofx
