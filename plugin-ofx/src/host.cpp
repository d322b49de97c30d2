#include "host.h"

#include <cstdio>

namespace autorestore_ofx {

OfxHost *gHost = nullptr;
const OfxPropertySuiteV1 *gProp = nullptr;
const OfxImageEffectSuiteV1 *gEffect = nullptr;
const OfxParameterSuiteV1 *gParam = nullptr;
const OfxMessageSuiteV1 *gMessageV1 = nullptr;
const OfxMessageSuiteV2 *gMessageV2 = nullptr;

bool fetchSuites() {
  if (!gHost) return false;
  gProp = static_cast<const OfxPropertySuiteV1 *>(gHost->fetchSuite(gHost->host, kOfxPropertySuite, 1));
  gEffect = static_cast<const OfxImageEffectSuiteV1 *>(gHost->fetchSuite(gHost->host, kOfxImageEffectSuite, 1));
  gParam = static_cast<const OfxParameterSuiteV1 *>(gHost->fetchSuite(gHost->host, kOfxParameterSuite, 1));
  gMessageV2 = static_cast<const OfxMessageSuiteV2 *>(gHost->fetchSuite(gHost->host, kOfxMessageSuite, 2));
  gMessageV1 = static_cast<const OfxMessageSuiteV1 *>(gHost->fetchSuite(gHost->host, kOfxMessageSuite, 1));
  return gProp && gEffect && gParam;
}

void postError(OfxImageEffectHandle effect, const std::string &text) {
  if (gMessageV2 && gMessageV2->setPersistentMessage &&
      gMessageV2->setPersistentMessage(effect, kOfxMessageError, "", "%s", text.c_str()) ==
          kOfxStatOK) {
    return;
  }
  if (gMessageV1 && gMessageV1->message) {
    gMessageV1->message(effect, kOfxMessageError, "", "%s", text.c_str());
    return;
  }
  std::fprintf(stderr, "AutoRestore: %s\n", text.c_str());
}

}  // namespace autorestore_ofx
