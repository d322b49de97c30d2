// The OFX actions the plug-in answers (plugin.cpp dispatches to them).
#pragma once

#include "host.h"

namespace autorestore_ofx {

OfxStatus onDescribe(OfxImageEffectHandle effect);
OfxStatus onDescribeInContext(OfxImageEffectHandle effect, OfxPropertySetHandle inArgs);
OfxStatus onCreateInstance(OfxImageEffectHandle effect);
OfxStatus onDestroyInstance(OfxImageEffectHandle effect);
OfxStatus onInstanceChanged(OfxImageEffectHandle effect, OfxPropertySetHandle inArgs);
OfxStatus onPurgeCaches(OfxImageEffectHandle effect);
OfxStatus onRender(OfxImageEffectHandle effect, OfxPropertySetHandle inArgs);
OfxStatus onRegionsOfInterest(OfxImageEffectHandle effect, OfxPropertySetHandle inArgs,
                              OfxPropertySetHandle outArgs);
OfxStatus onFramesNeeded(OfxImageEffectHandle effect, OfxPropertySetHandle inArgs,
                         OfxPropertySetHandle outArgs);
OfxStatus onIsIdentity(OfxImageEffectHandle effect, OfxPropertySetHandle inArgs,
                       OfxPropertySetHandle outArgs);

}  // namespace autorestore_ofx
