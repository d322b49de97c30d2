// Render: one render window restored from the source with the frame's analysis, plus the
// region-of-interest and identity actions that tell the host what a render needs.
//
// Per render call (window W, render scale s, time t):
//   1. snapshot the parameters at t into a plain struct;
//   2. fetch the whole source image (the declared region of interest is the source's region of
//      definition: the analysis needs the whole frame);
//   3. look up the analysis for (t, s, source bounds, a sampled fingerprint of the pixels) in the
//      instance's cache, or analyse the whole image once: every tile of a frame, whatever
//      thread renders it, restores with the same gates;
//   4. restore W grown by the engine's exact margin (contextRegion()) with that analysis,
//      passing a progress callback that answers the host's abort(); the result in W is then
//      the whole-frame result;
//   5. copy W out (pixels outside the source become transparent black).
// Pixels are handed to the library top-down (row 0 = top of the picture), as every other front
// end does, so the plug-in gives the library's own result for the same picture. The output is
// written only after the library succeeded. No exception leaves an action.

#include <algorithm>
#include <climits>
#include <cstdint>
#include <new>

#include "actions.h"
#include "engines.h"
#include "errors.h"
#include "instance.h"

namespace autorestore_ofx {

namespace {

// The region restored for render window `win`: `win` grown by the exact margin on each side
// (the receptive field rounded up to the tile multiple, once per sampler step, since each step
// widens what a pixel depends on), clipped to the source, with its top-left corner in the
// frame's top-down coordinates (those the library sees) on the tile-multiple grid. The
// library's result in `win` is then the whole-frame result (models/README.md, contract 2).
OfxRectI contextRegion(AutorestoreEngine *engine, const OfxRectI &win, const OfxRectI &bounds, uint32_t steps) {
  const int mult = std::max<int>(1, int(autorestore_engine_tile_multiple(engine)));
  if (steps == 0) steps = std::max<uint32_t>(1, autorestore_engine_default_steps(engine));
  const long long margin = (long long)autorestore_engine_tile_margin(engine) * steps;
  auto clampToInt = [](long long v) { return int(std::max<long long>(INT32_MIN, std::min<long long>(INT32_MAX, v))); };
  OfxRectI r = intersect(OfxRectI{clampToInt(win.x1 - margin), clampToInt(win.y1 - margin),
                                  clampToInt(win.x2 + margin), clampToInt(win.y2 + margin)},
                         bounds);
  if (isEmpty(r)) return r;
  // left column and top row (top-down) rounded outwards onto the grid, still inside the source
  const long long left = (long long)r.x1 - bounds.x1;
  const long long top = (long long)bounds.y2 - r.y2;
  r.x1 = int(bounds.x1 + left / mult * mult);
  r.y2 = int(bounds.y2 - top / mult * mult);
  return r;
}

struct AbortContext {
  OfxImageEffectHandle effect;
};

bool progressAnswersAbort(float /*fraction*/, void *user) {
  const AbortContext *ctx = static_cast<const AbortContext *>(user);
  return gEffect->abort(ctx->effect) == 0;
}

}  // namespace

OfxStatus onRender(OfxImageEffectHandle effect, OfxPropertySetHandle inArgs) {
  Instance *inst = instanceOf(effect);
  if (!inst) return kOfxStatErrBadHandle;
  OfxTime time = 0;
  OfxRectI window;
  OfxPointD scale = {1.0, 1.0};
  gProp->propGetDouble(inArgs, kOfxPropTime, 0, &time);
  gProp->propGetIntN(inArgs, kOfxImageEffectPropRenderWindow, 4, &window.x1);
  gProp->propGetDoubleN(inArgs, kOfxImageEffectPropRenderScale, 2, &scale.x);

  try {
    AbortContext abortCtx{effect};
    if (!progressAnswersAbort(0.0f, &abortCtx)) throw RenderAborted{};
    const Settings s = readSettings(inst->params, time);

    ImageRef out;
    OfxPropertySetHandle outHandle = nullptr;
    if (gEffect->clipGetImage(inst->output, time, nullptr, &outHandle) != kOfxStatOK || !outHandle) {
      throw RenderError{"Auto Restore: the host gave no Output image to render into"};
    }
    std::string why;
    if (!describeImage(outHandle, out.get(), why)) throw RenderError{"Auto Restore: Output: " + why};
    const OfxRectI win = intersect(window, out.get().bounds);
    if (isEmpty(win)) return kOfxStatOK;

    ImageRef src;
    fetchWholeSource(inst, time, src);
    const HostImage &in = src.get();

    AutorestoreEngine *engine = engineFor(s.device);
    const OfxRectI region = contextRegion(engine, win, in.bounds, uint32_t(s.steps));
    Buffer buf;
    if (isEmpty(intersect(win, in.bounds))) {  // nothing of the source under this window
      copyOut(buf, OfxRectI{0, 0, 0, 0}, out.get(), win);
      clearMessage(effect, inst);
      return kOfxStatOK;
    }

    AnalysisKey key;
    key.time = time;
    key.scaleX = scale.x;
    key.scaleY = scale.y;
    key.bounds = in.bounds;
    key.fingerprint = fingerprint(in);
    key.device = s.device;
    const AutorestoreAnalysis analysis = inst->cache.lookupOrAnalyse(engine, in, key);
    if (!progressAnswersAbort(0.0f, &abortCtx)) throw RenderAborted{};

    copyIn(in, region, buf);
    AutorestoreRestoreParams rp;
    autorestore_restore_params_init(&rp);
    AutorestoreMode mode = AUTORESTORE_MODE_AUTO;
    AutorestoreStatus st = autorestore_mode_from_name(kModeOptions[s.mode].name, &mode);
    if (st != AUTORESTORE_OK) throw RenderError{libraryError("choosing the mode", st)};
    rp.mode = mode;
    rp.strength = float(s.strength);
    rp.steps = uint32_t(s.steps);
    rp.seed = uint64_t(s.seed);
    // The buffer's rows are top-down from the region's top: key the sampler noise on the
    // frame's top-down coordinates so tiles draw the noise of a whole-frame render.
    rp.noise_origin_x = uint32_t(region.x1 - in.bounds.x1);
    rp.noise_origin_y = uint32_t(in.bounds.y2 - region.y2);
    rp.analysis = &analysis;
    rp.progress = &progressAnswersAbort;
    rp.progress_user_data = &abortCtx;
    AutorestoreImage view = buf.view();
    st = autorestore_restore(engine, &view, &view, &rp);
    if (st == AUTORESTORE_ERR_CANCELLED) throw RenderAborted{};
    if (st != AUTORESTORE_OK) throw RenderError{libraryError("restoring", st)};
    if (!progressAnswersAbort(1.0f, &abortCtx)) throw RenderAborted{};

    copyOut(buf, region, out.get(), win);
    clearMessage(effect, inst);
    return kOfxStatOK;
  } catch (const RenderAborted &) {
    return kOfxStatFailed;
  } catch (const RenderError &e) {
    fail(effect, inst, e.message);
    return kOfxStatFailed;
  } catch (const std::bad_alloc &) {
    fail(effect, inst, "Auto Restore: out of memory for this frame");
    return kOfxStatErrMemory;
  } catch (...) {
    fail(effect, inst, "Auto Restore: internal error while rendering");
    return kOfxStatFailed;
  }
}

OfxStatus onRegionsOfInterest(OfxImageEffectHandle effect, OfxPropertySetHandle inArgs,
                              OfxPropertySetHandle outArgs) {
  // The analysis reads the whole source picture: ask for its region of definition.
  Instance *inst = instanceOf(effect);
  if (!inst || !inst->source) return kOfxStatReplyDefault;
  OfxTime time = 0;
  gProp->propGetDouble(inArgs, kOfxPropTime, 0, &time);
  OfxRectD rod;
  if (gEffect->clipGetRegionOfDefinition(inst->source, time, &rod) != kOfxStatOK)
    return kOfxStatReplyDefault;
  gProp->propSetDoubleN(outArgs, "OfxImageClipPropRoI_Source", 4, &rod.x1);
  return kOfxStatOK;
}

OfxStatus onIsIdentity(OfxImageEffectHandle effect, OfxPropertySetHandle inArgs,
                       OfxPropertySetHandle outArgs) {
  Instance *inst = instanceOf(effect);
  if (!inst) return kOfxStatReplyDefault;
  OfxTime time = 0;
  gProp->propGetDouble(inArgs, kOfxPropTime, 0, &time);
  double strength = 1.0;
  gParam->paramGetValueAtTime(inst->params.strength, time, &strength);
  if (strength <= 0.0) {
    gProp->propSetString(outArgs, kOfxPropName, 0, kOfxImageEffectSimpleSourceClipName);
    return kOfxStatOK;
  }
  return kOfxStatReplyDefault;
}

}  // namespace autorestore_ofx
