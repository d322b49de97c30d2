// The plug-in's entry points, OfxGetNumberOfPlugins and OfxGetPlugin, and the action
// dispatcher. No exception crosses the C boundary.

#include <cstring>
#include <new>
#include <string>

#include "actions.h"
#include "engines.h"
#include "host.h"

#if defined(__GNUC__)
#define AR_EXPORT extern "C" __attribute__((visibility("default")))
#else
#define AR_EXPORT extern "C"
#endif

namespace autorestore_ofx {
namespace {

constexpr const char *kPluginIdentifier = "org.autorestore.AutoRestore";
#if !defined(AR_OFX_VERSION_MAJOR) || !defined(AR_OFX_VERSION_MINOR)
#error "build with -DAR_OFX_VERSION_MAJOR=.. -DAR_OFX_VERSION_MINOR=.. (plugin-ofx/ofx.mk reads Cargo.toml)"
#endif
constexpr unsigned kPluginVersionMajor = AR_OFX_VERSION_MAJOR;
constexpr unsigned kPluginVersionMinor = AR_OFX_VERSION_MINOR;

OfxStatus onLoad() {
  if (!fetchSuites()) return kOfxStatErrMissingHostFeature;
  return createEngineRegistry() ? kOfxStatOK : kOfxStatErrMemory;
}

OfxStatus onUnload() {
  destroyEngines();
  return kOfxStatOK;
}

OfxStatus mainEntry(const char *action, const void *handle, OfxPropertySetHandle inArgs,
                    OfxPropertySetHandle outArgs) {
  try {
    OfxImageEffectHandle effect = (OfxImageEffectHandle)handle;
    if (std::strcmp(action, kOfxActionLoad) == 0) return onLoad();
    if (std::strcmp(action, kOfxActionUnload) == 0) return onUnload();
    if (std::strcmp(action, kOfxActionDescribe) == 0) return onDescribe(effect);
    if (std::strcmp(action, kOfxImageEffectActionDescribeInContext) == 0)
      return onDescribeInContext(effect, inArgs);
    if (std::strcmp(action, kOfxActionCreateInstance) == 0) return onCreateInstance(effect);
    if (std::strcmp(action, kOfxActionDestroyInstance) == 0) return onDestroyInstance(effect);
    if (std::strcmp(action, kOfxImageEffectActionRender) == 0) return onRender(effect, inArgs);
    if (std::strcmp(action, kOfxImageEffectActionGetRegionsOfInterest) == 0)
      return onRegionsOfInterest(effect, inArgs, outArgs);
    if (std::strcmp(action, kOfxImageEffectActionGetFramesNeeded) == 0)
      return onFramesNeeded(effect, inArgs, outArgs);
    if (std::strcmp(action, kOfxImageEffectActionIsIdentity) == 0)
      return onIsIdentity(effect, inArgs, outArgs);
    if (std::strcmp(action, kOfxActionInstanceChanged) == 0) return onInstanceChanged(effect, inArgs);
    if (std::strcmp(action, kOfxActionPurgeCaches) == 0) return onPurgeCaches(effect);
    return kOfxStatReplyDefault;
  } catch (const std::bad_alloc &) {
    if (handle) postError((OfxImageEffectHandle)handle, std::string("Auto Restore: out of memory in ") + action);
    return kOfxStatErrMemory;
  } catch (...) {
    if (handle) postError((OfxImageEffectHandle)handle, std::string("Auto Restore: internal error in ") + action);
    return kOfxStatFailed;
  }
}

void setHost(OfxHost *host) { gHost = host; }

OfxPlugin gPlugin = {
    kOfxImageEffectPluginApi, 1, kPluginIdentifier, kPluginVersionMajor, kPluginVersionMinor,
    setHost, mainEntry,
};

}  // namespace
}  // namespace autorestore_ofx

AR_EXPORT int OfxGetNumberOfPlugins(void) { return 1; }

AR_EXPORT OfxPlugin *OfxGetPlugin(int nth) { return nth == 0 ? &autorestore_ofx::gPlugin : nullptr; }
