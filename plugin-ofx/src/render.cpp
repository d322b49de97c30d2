// Render: one render window restored from the source with the frame's analysis, plus the
// actions that tell the host what a render needs (regions of interest, frames, identity).
//
// Per render call (window W, render scale s, time t):
//   1. snapshot the parameters at t into a plain struct;
//   2. the analysis: with Lock Analysis, the reference frame's (analysed whole once per clip);
//      else that of the whole source frame at t, from the instance's cache (every tile of a
//      frame, whatever thread renders it, restores with the same gates);
//   3. fetch the source: with the lock, only W plus the model's margin (what the declared region
//      of interest asked the host for); else the whole frame, which the analysis needed;
//   4. restore W grown by the engine's exact margin (contextRegion()) with that analysis,
//      passing a progress callback that answers the host's abort(); the result in W is then
//      the whole-frame result;
//   5. copy W out (pixels outside the source become transparent black).
// Pixels are handed to the library top-down (row 0 = top of the picture), as every other front
// end does, so the plug-in gives the library's own result for the same picture. The output is
// written only after the library succeeded. No exception leaves an action.

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <new>

#include "actions.h"
#include "engines.h"
#include "errors.h"
#include "instance.h"

namespace autorestore_ofx {

namespace {

uint32_t effectiveSteps(AutorestoreEngine *engine, int steps) {
  return steps > 0 ? uint32_t(steps) : std::max<uint32_t>(1, autorestore_engine_default_steps(engine));
}

// How far beyond a render window, in pixels, the restored region reaches: the exact margin (the
// model's receptive field rounded up to its tile multiple, from the model's metadata) once per
// sampler step, since each step widens what a pixel depends on, plus up to one tile multiple
// to put the region's corner on the grid.
long long contextPadding(AutorestoreEngine *engine, int steps) {
  const long long mult = std::max<long long>(1, autorestore_engine_tile_multiple(engine));
  return (long long)autorestore_engine_tile_margin(engine) * effectiveSteps(engine, steps) + mult - 1;
}

// The region restored for render window `win`: `win` grown by the exact margin on each side,
// clipped to the frame, with its top-left corner in the frame's top-down coordinates (those the
// library sees) on the tile-multiple grid. The library's result in `win` is then the
// whole-frame result (models/README.md, contract 2).
OfxRectI contextRegion(AutorestoreEngine *engine, const OfxRectI &win, const OfxRectI &frame, int steps) {
  const int mult = std::max<int>(1, int(autorestore_engine_tile_multiple(engine)));
  const long long margin = (long long)autorestore_engine_tile_margin(engine) * effectiveSteps(engine, steps);
  auto clampToInt = [](long long v) { return int(std::max<long long>(INT32_MIN, std::min<long long>(INT32_MAX, v))); };
  OfxRectI r = intersect(OfxRectI{clampToInt(win.x1 - margin), clampToInt(win.y1 - margin),
                                  clampToInt(win.x2 + margin), clampToInt(win.y2 + margin)},
                         frame);
  if (isEmpty(r)) return r;
  // left column and top row (top-down) rounded outwards onto the grid, still inside the frame
  const long long left = (long long)r.x1 - frame.x1;
  const long long top = (long long)frame.y2 - r.y2;
  r.x1 = int(frame.x1 + left / mult * mult);
  r.y2 = int(frame.y2 - top / mult * mult);
  return r;
}

double sourcePixelAspect(Instance *inst) {
  OfxPropertySetHandle props = nullptr;
  double par = 1.0;
  if (inst->source && gEffect->clipGetPropertySet(inst->source, &props) == kOfxStatOK)
    gProp->propGetDouble(props, kOfxImagePropPixelAspectRatio, 0, &par);
  return par > 0 && std::isfinite(par) ? par : 1.0;
}

// The source frame in pixels at render scale `scale`: the image's own region of definition, or
// (a host without that property that gave a part of the frame) the clip's, converted.
OfxRectI framePixels(Instance *inst, const HostImage &in, OfxTime t, OfxPointD scale, double par) {
  OfxRectD rod;
  if (in.hasRod || gEffect->clipGetRegionOfDefinition(inst->source, t, &rod) != kOfxStatOK) return in.rod;
  const double sx = scale.x > 0 ? scale.x : 1.0, sy = scale.y > 0 ? scale.y : 1.0;
  return OfxRectI{int(std::floor(rod.x1 * sx / par)), int(std::floor(rod.y1 * sy)),
                  int(std::ceil(rod.x2 * sx / par)), int(std::ceil(rod.y2 * sy))};
}

// A rectangle in pixels at render scale `scale` as canonical coordinates, grown by `pad` pixels.
OfxRectD canonicalGrown(const OfxRectI &r, long long pad, OfxPointD scale, double par) {
  const double sx = scale.x > 0 ? scale.x : 1.0, sy = scale.y > 0 ? scale.y : 1.0;
  return OfxRectD{(r.x1 - pad) * par / sx, (r.y1 - pad) / sy, (r.x2 + pad) * par / sx, (r.y2 + pad) / sy};
}

struct AbortContext {
  OfxImageEffectHandle effect;
};

bool progressAnswersAbort(float /*fraction*/, void *user) {
  const AbortContext *ctx = static_cast<const AbortContext *>(user);
  return gEffect->abort(ctx->effect) == 0;
}

AutorestoreRestoreParams restoreParams(const Settings &s, const AutorestoreAnalysis &analysis,
                                       AbortContext &abortCtx) {
  AutorestoreRestoreParams rp;
  autorestore_restore_params_init(&rp);
  AutorestoreMode mode = AUTORESTORE_MODE_AUTO;
  AutorestoreStatus st = autorestore_mode_from_name(kModeOptions[s.mode].name, &mode);
  if (st != AUTORESTORE_OK) throw RenderError{libraryError("choosing the mode", st)};
  rp.mode = mode;
  rp.strength = float(s.strength);
  rp.steps = uint32_t(s.steps);
  rp.seed = uint64_t(s.seed);
  rp.analysis = &analysis;
  rp.progress = &progressAnswersAbort;
  rp.progress_user_data = &abortCtx;
  return rp;
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

    AutorestoreEngine *engine = engineFor(s.device);
    ImageRef src;
    AutorestoreAnalysis analysis;
    if (s.lock) {
      analysis = frameAnalysis(inst, engine, s, time, scale, nullptr);
      const OfxRectD need = canonicalGrown(win, contextPadding(engine, s.steps), scale, sourcePixelAspect(inst));
      fetchSource(inst, time, &need, src);
    } else {
      fetchWholeSource(inst, time, src);
      analysis = frameAnalysis(inst, engine, s, time, scale, &src.get());
    }
    const HostImage &in = src.get();
    Buffer buf;
    if (isEmpty(intersect(win, in.bounds))) {  // nothing of the source under this window
      copyOut(buf, OfxRectI{0, 0, 0, 0}, out.get(), win);
      clearMessage(effect, inst);
      return kOfxStatOK;
    }
    if (!progressAnswersAbort(0.0f, &abortCtx)) throw RenderAborted{};

    const OfxRectI frame = framePixels(inst, in, time, scale, sourcePixelAspect(inst));
    const OfxRectI region = intersect(contextRegion(engine, win, frame, s.steps), in.bounds);
    copyIn(in, region, buf);
    AutorestoreRestoreParams rp = restoreParams(s, analysis, abortCtx);
    // The buffer's rows are top-down from the region's top: key the sampler noise on the
    // frame's top-down coordinates so tiles draw the noise of a whole-frame render.
    rp.noise_origin_x = uint32_t(region.x1 - frame.x1);
    rp.noise_origin_y = uint32_t(frame.y2 - region.y2);
    // In place when the output has the source's depth (hosts keep them equal: we declare no
    // multiple clip depths); else the library writes the output's sample type itself.
    Buffer converted;
    const bool inPlace = libraryType(out.get().depth) == buf.type;
    if (!inPlace) converted = resultBuffer(buf, out.get().depth);
    Buffer &result = inPlace ? buf : converted;
    AutorestoreImage inView = buf.view(), outView = result.view();
    const AutorestoreStatus st = autorestore_restore(engine, &inView, &outView, &rp);
    if (st == AUTORESTORE_ERR_CANCELLED) throw RenderAborted{};
    if (st != AUTORESTORE_OK) throw RenderError{libraryError("restoring", st)};
    if (!progressAnswersAbort(1.0f, &abortCtx)) throw RenderAborted{};

    copyOut(result, region, out.get(), win);
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

// Without the lock the analysis reads the whole source frame: ask for its region of definition.
// With it, the render window (given here in canonical coordinates) plus the model's margin.
OfxStatus onRegionsOfInterest(OfxImageEffectHandle effect, OfxPropertySetHandle inArgs,
                              OfxPropertySetHandle outArgs) {
  Instance *inst = instanceOf(effect);
  if (!inst || !inst->source) return kOfxStatReplyDefault;
  OfxTime time = 0;
  OfxPointD scale = {1.0, 1.0};
  OfxRectD roi;
  gProp->propGetDouble(inArgs, kOfxPropTime, 0, &time);
  gProp->propGetDoubleN(inArgs, kOfxImageEffectPropRenderScale, 2, &scale.x);
  if (gProp->propGetDoubleN(inArgs, kOfxImageEffectPropRegionOfInterest, 4, &roi.x1) != kOfxStatOK)
    return kOfxStatReplyDefault;
  OfxRectD rod;
  if (gEffect->clipGetRegionOfDefinition(inst->source, time, &rod) != kOfxStatOK)
    return kOfxStatReplyDefault;
  const Settings s = readSettings(inst->params, time);
  OfxRectD need = rod;
  if (s.lock) {
    try {
      AutorestoreEngine *engine = engineFor(s.device);
      const double pad = double(contextPadding(engine, s.steps));
      const double par = sourcePixelAspect(inst);
      const double sx = scale.x > 0 ? scale.x : 1.0, sy = scale.y > 0 ? scale.y : 1.0;
      need = OfxRectD{std::max(rod.x1, roi.x1 - pad * par / sx), std::max(rod.y1, roi.y1 - pad / sy),
                      std::min(rod.x2, roi.x2 + pad * par / sx), std::min(rod.y2, roi.y2 + pad / sy)};
    } catch (const RenderError &) {
      need = rod;  // no engine yet: the render will say why; ask for the whole frame
    }
  }
  gProp->propSetDoubleN(outArgs, "OfxImageClipPropRoI_Source", 4, &need.x1);
  return kOfxStatOK;
}

// With the lock, a frame also needs the reference frame (analysed whole the first time).
OfxStatus onFramesNeeded(OfxImageEffectHandle effect, OfxPropertySetHandle inArgs,
                         OfxPropertySetHandle outArgs) {
  Instance *inst = instanceOf(effect);
  if (!inst) return kOfxStatReplyDefault;
  OfxTime time = 0;
  gProp->propGetDouble(inArgs, kOfxPropTime, 0, &time);
  const Settings s = readSettings(inst->params, time);
  if (!s.lock || double(s.lockFrame) == time) return kOfxStatReplyDefault;
  const double ranges[4] = {time, time, double(s.lockFrame), double(s.lockFrame)};
  gProp->propSetDoubleN(outArgs, "OfxImageClipPropFrameRange_Source", 4, ranges);
  return kOfxStatOK;
}

OfxStatus onIsIdentity(OfxImageEffectHandle effect, OfxPropertySetHandle inArgs,
                       OfxPropertySetHandle outArgs) {
  Instance *inst = instanceOf(effect);
  if (!inst) return kOfxStatReplyDefault;
  OfxTime time = 0;
  gProp->propGetDouble(inArgs, kOfxPropTime, 0, &time);
  if (readSettings(inst->params, time).strength <= 0.0) {
    gProp->propSetString(outArgs, kOfxPropName, 0, kOfxImageEffectSimpleSourceClipName);
    return kOfxStatOK;
  }
  return kOfxStatReplyDefault;
}

}  // namespace autorestore_ofx
