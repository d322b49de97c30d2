#include "params.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "engines.h"

namespace autorestore_ofx {

namespace {

// Defines one parameter with its label and hint; nullptr when the host refuses the type.
OfxPropertySetHandle defineParam(OfxParamSetHandle params, const char *type, const char *name,
                                 const char *label, const char *hint) {
  OfxPropertySetHandle p = nullptr;
  if (gParam->paramDefine(params, type, name, &p) != kOfxStatOK || !p) return nullptr;
  gProp->propSetString(p, kOfxPropLabel, 0, label);
  gProp->propSetString(p, kOfxParamPropHint, 0, hint);
  return p;
}

void defineChoice(OfxParamSetHandle params, const char *name, const char *label, const char *hint,
                  const ChoiceOption *options, int count) {
  OfxPropertySetHandle p = defineParam(params, kOfxParamTypeChoice, name, label, hint);
  if (!p) return;
  for (int i = 0; i < count; ++i) gProp->propSetString(p, kOfxParamPropChoiceOption, i, options[i].label);
  gProp->propSetInt(p, kOfxParamPropDefault, 0, 0);
  gProp->propSetInt(p, kOfxParamPropAnimates, 0, 0);
}

// The value of a parameter at t, or fallback when there is no handle or the host has no value.
template <class T>
T valueAt(OfxParamHandle h, OfxTime t, T fallback) {
  T v = fallback;
  if (h && gParam->paramGetValueAtTime(h, t, &v) == kOfxStatOK) return v;
  return fallback;
}

}  // namespace

void defineParams(OfxParamSetHandle params) {
  defineChoice(params, kParamMode, kParamModeLabel, kParamModeHint, kModeOptions, kModeCount);

  if (OfxPropertySetHandle p = defineParam(params, kOfxParamTypeDouble, kParamStrength,
                                           kParamStrengthLabel, kParamStrengthHint)) {
    gProp->propSetString(p, kOfxParamPropDoubleType, 0, kOfxParamDoubleTypeScale);
    gProp->propSetDouble(p, kOfxParamPropDefault, 0, 1.0);
    gProp->propSetDouble(p, kOfxParamPropMin, 0, 0.0);
    gProp->propSetDouble(p, kOfxParamPropMax, 0, 1.0);
    gProp->propSetDouble(p, kOfxParamPropDisplayMin, 0, 0.0);
    gProp->propSetDouble(p, kOfxParamPropDisplayMax, 0, 1.0);
    gProp->propSetDouble(p, kOfxParamPropIncrement, 0, 0.05);
    gProp->propSetInt(p, kOfxParamPropDigits, 0, 2);
  }

  if (OfxPropertySetHandle p = defineParam(params, kOfxParamTypeInteger, kParamSteps,
                                           kParamStepsLabel, kParamStepsHint)) {
    gProp->propSetInt(p, kOfxParamPropDefault, 0, 0);
    gProp->propSetInt(p, kOfxParamPropMin, 0, 0);
    gProp->propSetInt(p, kOfxParamPropMax, 0, 64);
    gProp->propSetInt(p, kOfxParamPropDisplayMin, 0, 0);
    gProp->propSetInt(p, kOfxParamPropDisplayMax, 0, 8);
    gProp->propSetInt(p, kOfxParamPropAnimates, 0, 0);
  }

  if (OfxPropertySetHandle p = defineParam(params, kOfxParamTypeInteger, kParamSeed,
                                           kParamSeedLabel, kParamSeedHint)) {
    gProp->propSetInt(p, kOfxParamPropDefault, 0, 0);
    gProp->propSetInt(p, kOfxParamPropMin, 0, 0);
    gProp->propSetInt(p, kOfxParamPropAnimates, 0, 0);
  }

  // Without the CUDA provider in the bundle the GPU choice says so, in the menu and the hint.
  const char *noGpu = gpuUnavailableReason();
  ChoiceOption devices[kDeviceCount];
  for (int i = 0; i < kDeviceCount; ++i) devices[i] = kDeviceOptions[i];
  std::string deviceHint = kParamDeviceHint;
  if (*noGpu) {
    for (ChoiceOption &d : devices)
      if (std::string(d.name) == "cuda") d.label = "CUDA (NVIDIA): not available in this bundle";
    deviceHint += std::string(" ") + noGpu;
  } else {
    deviceHint += " CUDA needs the NVIDIA driver and the CUDA and cuDNN libraries on this "
                  "machine; where they are missing, CUDA fails with the reason and Auto uses "
                  "the CPU.";
  }
  defineChoice(params, kParamDevice, kParamDeviceLabel, deviceHint.c_str(), devices, kDeviceCount);

  if (OfxPropertySetHandle p = defineParam(params, kOfxParamTypeBoolean, kParamLock,
                                           kParamLockLabel, kParamLockHint)) {
    gProp->propSetInt(p, kOfxParamPropDefault, 0, 0);
    gProp->propSetInt(p, kOfxParamPropAnimates, 0, 0);
  }

  if (OfxPropertySetHandle p = defineParam(params, kOfxParamTypeInteger, kParamLockFrame,
                                           kParamLockFrameLabel, kParamLockFrameHint)) {
    gProp->propSetInt(p, kOfxParamPropDefault, 0, 0);
    gProp->propSetInt(p, kOfxParamPropAnimates, 0, 0);
  }

  defineParam(params, kOfxParamTypePushButton, kParamAnalyze, kParamAnalyzeLabel, kParamAnalyzeHint);

  if (OfxPropertySetHandle p = defineParam(params, kOfxParamTypeString, kParamAnalysis,
                                           kParamAnalysisLabel, kParamAnalysisHint)) {
    gProp->propSetString(p, kOfxParamPropStringMode, 0, kOfxParamStringIsLabel);
    gProp->propSetString(p, kOfxParamPropDefault, 0, "");
    gProp->propSetInt(p, kOfxParamPropEnabled, 0, 0);
    gProp->propSetInt(p, kOfxParamPropAnimates, 0, 0);
    gProp->propSetInt(p, kOfxParamPropEvaluateOnChange, 0, 0);
    gProp->propSetInt(p, kOfxParamPropPersistant, 0, 0);
  }
}

void fetchParamHandles(OfxImageEffectHandle effect, ParamHandles &h) {
  OfxParamSetHandle params = nullptr;
  if (gEffect->getParamSet(effect, &params) != kOfxStatOK || !params) return;
  auto handle = [params](const char *name) {
    OfxParamHandle ph = nullptr;
    if (gParam->paramGetHandle(params, name, &ph, nullptr) != kOfxStatOK) return OfxParamHandle(nullptr);
    return ph;
  };
  h.mode = handle(kParamMode);
  h.strength = handle(kParamStrength);
  h.steps = handle(kParamSteps);
  h.seed = handle(kParamSeed);
  h.device = handle(kParamDevice);
  h.lock = handle(kParamLock);
  h.lockFrame = handle(kParamLockFrame);
  h.analysis = handle(kParamAnalysis);
}

Settings readSettings(const ParamHandles &h, OfxTime t) {
  Settings s;
  s.mode = std::min(std::max(valueAt(h.mode, t, 0), 0), kModeCount - 1);
  const double strength = valueAt(h.strength, t, 1.0);
  s.strength = std::min(1.0, std::max(0.0, std::isfinite(strength) ? strength : 1.0));
  s.steps = std::max(0, valueAt(h.steps, t, 0));
  s.seed = valueAt(h.seed, t, 0);
  s.device = std::min(std::max(valueAt(h.device, t, 0), 0), kDeviceCount - 1);
  s.lock = valueAt(h.lock, t, 0) != 0;
  s.lockFrame = valueAt(h.lockFrame, t, 0);
  return s;
}

}  // namespace autorestore_ofx
