// The host's suites, fetched once at load, and messages to the user.
#pragma once

#include <string>

#include "ofx/ofxCore.h"
#include "ofx/ofxImageEffect.h"
#include "ofx/ofxMessage.h"
#include "ofx/ofxParam.h"
#include "ofx/ofxProperty.h"

namespace autorestore_ofx {

extern OfxHost *gHost;
extern const OfxPropertySuiteV1 *gProp;
extern const OfxImageEffectSuiteV1 *gEffect;
extern const OfxParameterSuiteV1 *gParam;
extern const OfxMessageSuiteV1 *gMessageV1;
extern const OfxMessageSuiteV2 *gMessageV2;

// Fetches the suites from gHost; false when a required one is missing.
bool fetchSuites();

// An error message on the node: persistent where the host has message suite V2, else a
// one-off message, else stderr.
void postError(OfxImageEffectHandle effect, const std::string &text);

}  // namespace autorestore_ofx
