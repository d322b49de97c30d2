#include "params.h"

#include <algorithm>
#include <cmath>

namespace autorestore_ofx {

namespace {

void defineChoice(OfxParamSetHandle params, const char *name, const char *label, const char *hint,
                  const ChoiceOption *options, int count) {
  OfxPropertySetHandle p = nullptr;
  gParam->paramDefine(params, kOfxParamTypeChoice, name, &p);
  gProp->propSetString(p, kOfxPropLabel, 0, label);
  gProp->propSetString(p, kOfxParamPropHint, 0, hint);
  for (int i = 0; i < count; ++i) gProp->propSetString(p, kOfxParamPropChoiceOption, i, options[i].label);
  gProp->propSetInt(p, kOfxParamPropDefault, 0, 0);
  gProp->propSetInt(p, kOfxParamPropAnimates, 0, 0);
}

}  // namespace

void defineParams(OfxParamSetHandle params) {
  OfxPropertySetHandle p = nullptr;

  defineChoice(params, kParamMode, kParamModeLabel, kParamModeHint, kModeOptions, kModeCount);

  gParam->paramDefine(params, kOfxParamTypeDouble, kParamStrength, &p);
  gProp->propSetString(p, kOfxPropLabel, 0, kParamStrengthLabel);
  gProp->propSetString(p, kOfxParamPropHint, 0, kParamStrengthHint);
  gProp->propSetString(p, kOfxParamPropDoubleType, 0, kOfxParamDoubleTypeScale);
  gProp->propSetDouble(p, kOfxParamPropDefault, 0, 1.0);
  gProp->propSetDouble(p, kOfxParamPropMin, 0, 0.0);
  gProp->propSetDouble(p, kOfxParamPropMax, 0, 1.0);
  gProp->propSetDouble(p, kOfxParamPropDisplayMin, 0, 0.0);
  gProp->propSetDouble(p, kOfxParamPropDisplayMax, 0, 1.0);
  gProp->propSetDouble(p, kOfxParamPropIncrement, 0, 0.05);
  gProp->propSetInt(p, kOfxParamPropDigits, 0, 2);

  gParam->paramDefine(params, kOfxParamTypeInteger, kParamSteps, &p);
  gProp->propSetString(p, kOfxPropLabel, 0, kParamStepsLabel);
  gProp->propSetString(p, kOfxParamPropHint, 0, kParamStepsHint);
  gProp->propSetInt(p, kOfxParamPropDefault, 0, 0);
  gProp->propSetInt(p, kOfxParamPropMin, 0, 0);
  gProp->propSetInt(p, kOfxParamPropMax, 0, 64);
  gProp->propSetInt(p, kOfxParamPropDisplayMin, 0, 0);
  gProp->propSetInt(p, kOfxParamPropDisplayMax, 0, 8);
  gProp->propSetInt(p, kOfxParamPropAnimates, 0, 0);

  gParam->paramDefine(params, kOfxParamTypeInteger, kParamSeed, &p);
  gProp->propSetString(p, kOfxPropLabel, 0, kParamSeedLabel);
  gProp->propSetString(p, kOfxParamPropHint, 0, kParamSeedHint);
  gProp->propSetInt(p, kOfxParamPropDefault, 0, 0);
  gProp->propSetInt(p, kOfxParamPropMin, 0, 0);
  gProp->propSetInt(p, kOfxParamPropAnimates, 0, 0);

  defineChoice(params, kParamDevice, kParamDeviceLabel, kParamDeviceHint, kDeviceOptions, kDeviceCount);

  gParam->paramDefine(params, kOfxParamTypePushButton, kParamAnalyze, &p);
  gProp->propSetString(p, kOfxPropLabel, 0, kParamAnalyzeLabel);
  gProp->propSetString(p, kOfxParamPropHint, 0, kParamAnalyzeHint);

  gParam->paramDefine(params, kOfxParamTypeString, kParamAnalysis, &p);
  gProp->propSetString(p, kOfxPropLabel, 0, kParamAnalysisLabel);
  gProp->propSetString(p, kOfxParamPropHint, 0, kParamAnalysisHint);
  gProp->propSetString(p, kOfxParamPropStringMode, 0, kOfxParamStringIsLabel);
  gProp->propSetString(p, kOfxParamPropDefault, 0, "");
  gProp->propSetInt(p, kOfxParamPropEnabled, 0, 0);
  gProp->propSetInt(p, kOfxParamPropAnimates, 0, 0);
  gProp->propSetInt(p, kOfxParamPropEvaluateOnChange, 0, 0);
  gProp->propSetInt(p, kOfxParamPropPersistant, 0, 0);
}

bool fetchParamHandles(OfxImageEffectHandle effect, ParamHandles &h) {
  OfxParamSetHandle params = nullptr;
  gEffect->getParamSet(effect, &params);
  gParam->paramGetHandle(params, kParamMode, &h.mode, nullptr);
  gParam->paramGetHandle(params, kParamStrength, &h.strength, nullptr);
  gParam->paramGetHandle(params, kParamSteps, &h.steps, nullptr);
  gParam->paramGetHandle(params, kParamSeed, &h.seed, nullptr);
  gParam->paramGetHandle(params, kParamDevice, &h.device, nullptr);
  gParam->paramGetHandle(params, kParamAnalysis, &h.analysis, nullptr);
  return h.mode && h.strength && h.steps && h.seed && h.device && h.analysis;
}

Settings readSettings(const ParamHandles &h, OfxTime t) {
  Settings s;
  gParam->paramGetValueAtTime(h.mode, t, &s.mode);
  gParam->paramGetValueAtTime(h.strength, t, &s.strength);
  gParam->paramGetValueAtTime(h.steps, t, &s.steps);
  gParam->paramGetValueAtTime(h.seed, t, &s.seed);
  gParam->paramGetValueAtTime(h.device, t, &s.device);
  s.mode = std::min(std::max(s.mode, 0), kModeCount - 1);
  s.device = std::min(std::max(s.device, 0), kDeviceCount - 1);
  s.strength = std::min(1.0, std::max(0.0, std::isfinite(s.strength) ? s.strength : 1.0));
  s.steps = std::max(0, s.steps);
  return s;
}

}  // namespace autorestore_ofx
