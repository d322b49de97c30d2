// A small OFX host on the OpenFX SDK's HostSupport library that loads AutoRestore.ofx.bundle and
// drives it like a compositing application: load, describe, describe-in-context, create instance,
// clip preferences, regions of interest, renders of whole frames and of tiles from several
// threads at several render scales and pixel depths, abort, bad input, the Analyze button, and
// destroy/unload. The plug-in's pixels are compared with libautorestore called directly on the
// same picture with the same settings. The host itself is in test_host.*, the Lock Analysis
// sequence in lock_test.cpp.
//
// Usage: OFX_PLUGIN_PATH=<dir holding AutoRestore.ofx.bundle> ofx_host_test <bundle binary dir>
//        <degraded photo, PNG: the Lock Analysis sequence is cut from it>
//   (the binary dir holds model/ and libonnxruntime.so, which the reference engine also uses).

#include "test_host.h"

static const char *kPluginId = "org.autorestore.AutoRestore";

// ---------------------------------------------------------------------------------------------
static void testDescription() {
  std::printf("describe\n");
  IE::Descriptor &d = gPlugin->getDescriptor();
  const OH::Property::Set &p = d.getProps();
  CHECK(p.getStringProperty(kOfxPropLabel) == "Auto Restore", "label '%s'", p.getStringProperty(kOfxPropLabel).c_str());
  CHECK(p.getStringProperty(kOfxImageEffectPluginPropGrouping) == "Filter/Restore", "grouping");
  CHECK(p.getIntProperty(kOfxImageEffectPropSupportsTiles) == 1, "tiles");
  CHECK(p.getIntProperty(kOfxImageEffectPropSupportsMultiResolution) == 1, "multires");
  const std::string safety = p.getStringProperty(kOfxImageEffectPluginRenderThreadSafety);
  CHECK(safety == kOfxImageEffectRenderFullySafe || safety == kOfxImageEffectRenderInstanceSafe, "thread safety %s", safety.c_str());
  std::vector<std::string> depths;
  for (int i = 0; i < p.getDimension(kOfxImageEffectPropSupportedPixelDepths); ++i)
    depths.push_back(p.getStringProperty(kOfxImageEffectPropSupportedPixelDepths, i));
  auto has = [&](const char *s) { return std::find(depths.begin(), depths.end(), s) != depths.end(); };
  CHECK(has(kOfxBitDepthFloat) && has(kOfxBitDepthByte), "depths");
  const std::set<std::string> &contexts = gPlugin->getContexts();
  CHECK(contexts.count(kOfxImageEffectContextFilter) == 1, "filter context");
  CHECK(contexts.count(kOfxImageEffectContextGeneral) == 1, "general context");
  // describe in context: clips and params
  IE::Descriptor *fd = gPlugin->getContext(kOfxImageEffectContextFilter);
  CHECK(fd != nullptr, "describe in filter context");
  if (fd) {
    CHECK(fd->getClips().count(kOfxImageEffectSimpleSourceClipName) == 1, "Source clip");
    CHECK(fd->getClips().count(kOfxImageEffectOutputClipName) == 1, "Output clip");
    const auto &params = fd->getParams();
    for (const char *n : {"mode", "strength", "steps", "seed", "device", "lockAnalysis", "lockFrame", "analyzeFrame", "analysis"})
      CHECK(params.count(n) == 1, "param %s", n);
    if (params.count("mode")) {
      const OH::Property::Set &mp = params.at("mode")->getProperties();
      CHECK(mp.getDimension(kOfxParamPropChoiceOption) == 6, "6 modes");
    }
  }
}

static void testMatchesLibrary(AutorestoreEngine *ref) {
  std::printf("render == library (float RGBA, whole frame, then 2x2 tiles from 4 threads)\n");
  TestHost::SourceConfig sc;
  sc.full = syntheticPicture(240, 176, 4, kOfxBitDepthFloat, 1);
  sc.half = downscale2(sc.full);
  auto e = newEffect(kOfxImageEffectContextFilter, sc, kOfxBitDepthFloat, 4);
  if (!e) return;
  AutorestoreAnalysis a;
  const Picture expect = libraryRestore(ref, e->source.full, AUTORESTORE_MODE_AUTO, 1.0f, 0, 0, &a);
  const OfxRectI frame = {0, 0, 240, 176};

  // region of interest: the whole source (the analysis needs it)
  std::map<IE::ClipInstance *, OfxRectD> rois;
  OfxRectD roi = {60, 40, 120, 80};
  OfxPointD rs = {1, 1};
  CHECK(e->getRegionOfInterestAction(0, rs, roi, rois) == kOfxStatOK, "RoI action");
  IE::ClipInstance *src = e->getClip(kOfxImageEffectSimpleSourceClipName);
  CHECK(rois.count(src) && rois[src].x2 >= 240 && rois[src].y2 >= 176, "RoI covers the source");

  e->resetOutput(kSentinel);
  OfxStatus st = render(*e, frame);
  CHECK(st == kOfxStatOK, "whole-frame render -> %d (%s)", st, e->lastMessage().c_str());
  Diff d = compare(e->output, expect, frame, 4);
  std::printf("  whole frame vs library: max %.3g mean %.3g\n", d.maxAbs, d.meanAbs);
  CHECK(d.maxAbs <= 1e-6, "whole frame must equal the library's result (max %.3g)", d.maxAbs);

  e->resetOutput(kSentinel);
  std::vector<OfxStatus> sts = renderTiles(*e, 2, 2);
  for (OfxStatus s : sts) CHECK(s == kOfxStatOK, "tile render -> %d (%s)", s, e->lastMessage().c_str());
  CHECK(untouched(e->output, frame, kSentinel) == 0, "tiles cover the frame");
  d = compare(e->output, expect, frame, 4);
  std::printf("  2x2 tiles (4 threads) vs library: max %.3g mean %.3g\n", d.maxAbs, d.meanAbs);
  // Each tile is restored from its window plus the engine's exact margin (the receptive field
  // rounded up to the tile multiple) at an origin on the tile-multiple grid, and contract 2
  // models are tile-exact, so tiles give the whole-frame result (contract 1 models with
  // global channel attention differed by up to 0.024).
  CHECK(d.maxAbs <= 1e-3, "tiles equal the library's result (max %.3g mean %.3g)", d.maxAbs, d.meanAbs);
  // alpha passes through untouched
  Diff da;
  double amax = 0;
  for (int y = 0; y < 176; ++y)
    for (int x = 0; x < 240; ++x)
      amax = std::max(amax, std::fabs(double(e->output.get(x, y, 3)) - e->source.full.get(x, y, 3)));
  CHECK(amax == 0.0, "alpha untouched (max diff %.3g)", amax);

  // tiles rendered one by one on this thread give the same bytes as the threaded run
  Picture threaded = e->output;
  e->resetOutput(kSentinel);
  for (int j = 0; j < 2; ++j)
    for (int i = 0; i < 2; ++i)
      CHECK(render(*e, OfxRectI{120 * i, 88 * j, 120 * (i + 1), 88 * (j + 1)}) == kOfxStatOK, "serial tile");
  d = compare(e->output, threaded, frame, 4);
  CHECK(d.maxAbs == 0.0, "threaded tiles == serial tiles (max %.3g)", d.maxAbs);

  // a render window is honoured: nothing outside it is written
  e->resetOutput(kSentinel);
  const OfxRectI win = {37, 21, 101, 77};
  CHECK(render(*e, win) == kOfxStatOK, "window render");
  CHECK(untouched(e->output, win, kSentinel) == 0, "window written");
  const long outside = untouched(e->output, frame, kSentinel);
  CHECK(outside == long(240 * 176 - 64 * 56) * 4, "outside the window untouched (%ld)", outside);

  // the Analyze button shows the analysis
  OfxPointD one = {1, 1};
  e->beginInstanceChangedAction(kOfxChangeUserEdited);
  st = e->paramInstanceChangedAction("analyzeFrame", kOfxChangeUserEdited, 0, one);
  e->endInstanceChangedAction(kOfxChangeUserEdited);
  CHECK(st == kOfxStatOK, "analyze button -> %d (%s)", st, e->lastMessage().c_str());
  auto *sp = dynamic_cast<TestHost::StringParam *>(e->getParam("analysis"));
  std::string text;
  if (sp) sp->get(text);
  std::printf("  analysis read-out: %s\n", text.c_str());
  const char *first = autorestore_engine_degradation_name(ref, 0);
  CHECK(!text.empty() && first && text.find(first) != std::string::npos, "analysis read-out '%s'", text.c_str());

  // strength 0 is an identity
  setDouble(*e, "strength", 0.0);
  OfxTime idTime = 0;
  std::string idClip;
  OfxRectI all = frame;
  bool identity = e->isIdentityAction(idTime, kOfxImageFieldNone, all, one, idClip) == kOfxStatOK;
  CHECK(identity && idClip == kOfxImageEffectSimpleSourceClipName, "strength 0 is identity");

  // another mode and strength: still the library's result
  setDouble(*e, "strength", 0.6);
  setChoice(*e, "mode", AUTORESTORE_MODE_DENOISE);
  const Picture expect2 = libraryRestore(ref, e->source.full, AUTORESTORE_MODE_DENOISE, 0.6f, 0, 0, nullptr);
  e->resetOutput(kSentinel);
  CHECK(render(*e, frame) == kOfxStatOK, "denoise render");
  d = compare(e->output, expect2, frame, 4);
  CHECK(d.maxAbs <= 1e-6, "denoise 0.6 equals the library (max %.3g)", d.maxAbs);

  // two sampler steps with a seed: the whole frame is still the library's result
  setDouble(*e, "strength", 1.0);
  setChoice(*e, "mode", AUTORESTORE_MODE_AUTO);
  setInt(*e, "steps", 2);
  setInt(*e, "seed", 7);
  const Picture expect3 = libraryRestore(ref, e->source.full, AUTORESTORE_MODE_AUTO, 1.0f, 2, 7, nullptr);
  e->resetOutput(kSentinel);
  CHECK(render(*e, frame) == kOfxStatOK, "2-step render");
  d = compare(e->output, expect3, frame, 4);
  CHECK(d.maxAbs <= 1e-6, "2 steps, seed 7 equals the library (max %.3g)", d.maxAbs);
  e->resetOutput(kSentinel);
  sts = renderTiles(*e, 2, 2);
  for (OfxStatus s : sts) CHECK(s == kOfxStatOK, "2-step tile -> %d", s);
  d = compare(e->output, expect3, frame, 4);
  std::printf("  2 steps, 2x2 tiles vs library: max %.3g mean %.3g\n", d.maxAbs, d.meanAbs);
  // The sampler's noise is keyed on frame coordinates (noise_origin_x/y) and the margin grows
  // with the steps, so 2-step tiles meet the same bound.
  CHECK(d.maxAbs <= 1e-3, "2-step tiles equal the library (max %.3g mean %.3g)", d.maxAbs, d.meanAbs);
  CHECK(e->imagesOut.load() >= 0, "images");
}

static void testDepthsAndScale(AutorestoreEngine *ref) {
  struct Case {
    const char *depth;
    int channels;
    bool negative;
    double tolerance;
  } cases[] = {
      {kOfxBitDepthByte, 3, false, 0.0},
      {kOfxBitDepthShort, 4, true, 0.0},
      {kOfxBitDepthHalf, 4, false, 0.0},
  };
  for (const Case &c : cases) {
    std::printf("render == library (%s, %d channels%s)\n", c.depth, c.channels, c.negative ? ", negative row bytes" : "");
    TestHost::SourceConfig sc;
    sc.full = syntheticPicture(160, 120, c.channels, c.depth, 7);
    sc.half = downscale2(sc.full);
    sc.negativeRowBytes = c.negative;
    auto e = newEffect(kOfxImageEffectContextGeneral, sc, c.depth, c.channels);
    if (!e) continue;
    const Picture expect = libraryRestore(ref, e->source.full, AUTORESTORE_MODE_AUTO, 1.0f, 0, 0, nullptr);
    e->resetOutput(kSentinel);
    const OfxRectI frame = {0, 0, 160, 120};
    OfxStatus st = render(*e, frame);
    CHECK(st == kOfxStatOK, "render -> %d (%s)", st, e->lastMessage().c_str());
    // half: the library reads and writes f16 itself, so every depth is exact
    Diff d = compare(e->output, expect, frame, c.channels);
    std::printf("  vs library: max %.3g mean %.3g\n", d.maxAbs, d.meanAbs);
    CHECK(d.maxAbs <= c.tolerance, "%s equals the library (max %.3g)", c.depth, d.maxAbs);
  }

  std::printf("render scale 0.5 (float RGBA, 2 tiles from 2 threads)\n");
  TestHost::SourceConfig sc;
  sc.full = syntheticPicture(240, 176, 4, kOfxBitDepthFloat, 3);
  sc.half = downscale2(sc.full);
  auto e = newEffect(kOfxImageEffectContextFilter, sc, kOfxBitDepthFloat, 4);
  if (!e) return;
  e->scale = 0.5;
  const Picture expect = libraryRestore(ref, e->source.half, AUTORESTORE_MODE_AUTO, 1.0f, 0, 0, nullptr);
  e->resetOutput(kSentinel);
  CHECK(e->output.w == 120 && e->output.h == 88, "scaled output");
  OfxStatus st = render(*e, OfxRectI{0, 0, 120, 88});
  CHECK(st == kOfxStatOK, "scaled render -> %d (%s)", st, e->lastMessage().c_str());
  Diff d = compare(e->output, expect, OfxRectI{0, 0, 120, 88}, 4);
  std::printf("  scale 0.5 vs library on the half-size picture: max %.3g\n", d.maxAbs);
  CHECK(d.maxAbs <= 1e-6, "scaled render equals the library (max %.3g)", d.maxAbs);
  std::vector<OfxStatus> sts = renderTiles(*e, 1, 2);
  for (OfxStatus s : sts) CHECK(s == kOfxStatOK, "scaled tile -> %d", s);
}

static void testAbort() {
  std::printf("abort\n");
  TestHost::SourceConfig sc;
  sc.full = syntheticPicture(1100, 560, 4, kOfxBitDepthFloat, 5);  // several engine tiles
  sc.half = downscale2(sc.full);
  auto e = newEffect(kOfxImageEffectContextFilter, sc, kOfxBitDepthFloat, 4);
  if (!e) return;
  const OfxRectI frame = {0, 0, 1100, 560};

  // abort already raised: nothing is computed, nothing is written
  e->abortAfter = 0;
  e->resetOutput(kSentinel);
  double t0 = seconds();
  OfxStatus st = render(*e, frame);
  const double tAbortNow = seconds() - t0;
  CHECK(st != kOfxStatOK, "render with abort raised must not succeed (%d)", st);
  CHECK(untouched(e->output, frame, kSentinel) == long(1100) * 560 * 4, "aborted render writes nothing");

  // a full render, timed
  e->abortAfter = -1;
  e->abortCalls = 0;
  e->resetOutput(kSentinel);
  t0 = seconds();
  st = render(*e, frame);
  const double tFull = seconds() - t0;
  const int callsFull = e->abortCalls.load();
  CHECK(st == kOfxStatOK, "full render -> %d (%s)", st, e->lastMessage().c_str());

  // abort raised at the first check inside the engine (its progress after the first of the
  // frame's two engine tiles; the plug-in polls twice before): stops early
  e->abortCalls = 0;
  e->abortAfter = 2;
  e->resetOutput(kSentinel);
  t0 = seconds();
  st = render(*e, frame);
  const double tAbort = seconds() - t0;
  std::printf("  full %.2fs (%d abort checks), abort raised at once %.3fs, abort mid-way %.2fs\n", tFull,
              callsFull, tAbortNow, tAbort);
  CHECK(st != kOfxStatOK, "aborted render must not succeed (%d)", st);
  CHECK(callsFull > 4, "the plug-in polls abort during a render (%d checks)", callsFull);
  // abort() answered 1 on its 3rd call: the engine must stop at that progress callback and the
  // plug-in return without asking again
  CHECK(e->abortCalls.load() == 3, "render stops at the first abort (%d abort checks)", e->abortCalls.load());
  CHECK(tAbort < 0.9 * tFull, "abort stops the render early (%.2fs vs %.2fs)", tAbort, tFull);
  CHECK(untouched(e->output, frame, kSentinel) == long(1100) * 560 * 4, "aborted render writes nothing");
  e->abortAfter = -1;
}

// A storm of renders, as a compositing host makes when it renders several nodes and tiles at
// once: three instances, each frame cut into 12 random windows, 36 windows taken from one queue
// by 16 threads. Every window renders, and each frame equals the same windows rendered one at a
// time. Then abort is raised part-way through a storm: each window either finishes or fails and
// writes nothing, and the instance renders normally afterwards.
static void testRenderStorm() {
  std::printf("render storm (16 threads, 3 instances, random windows; abort part-way)\n");
  const int W = 200, H = 136, kThreads = 16;
  TestHost::SourceConfig sc;
  sc.full = syntheticPicture(W, H, 4, kOfxBitDepthFloat, 11);
  sc.half = downscale2(sc.full);
  const OfxRectI frame = {0, 0, W, H};
  std::vector<std::unique_ptr<TestHost::Effect>> effects;
  for (int i = 0; i < 3; ++i) {
    effects.push_back(newEffect(kOfxImageEffectContextFilter, sc, kOfxBitDepthFloat, 4));
    if (!effects.back()) return;
  }
  std::mt19937 rng(20240611);
  auto cuts = [&](int n, int parts) {
    std::vector<int> c = {0, n};
    while (int(c.size()) < parts + 1) {
      const int v = 1 + int(rng() % unsigned(n - 1));
      if (std::find(c.begin(), c.end(), v) == c.end()) c.push_back(v);
    }
    std::sort(c.begin(), c.end());
    return c;
  };
  struct Job {
    TestHost::Effect *e;
    OfxRectI w;
  };
  auto storm = [&](const std::vector<TestHost::Effect *> &which, std::vector<OfxStatus> &status) {
    std::vector<Job> jobs;
    for (TestHost::Effect *e : which) {
      e->resetOutput(kSentinel);
      const std::vector<int> xs = cuts(W, 4), ys = cuts(H, 3);
      for (size_t j = 0; j + 1 < ys.size(); ++j)
        for (size_t i = 0; i + 1 < xs.size(); ++i) jobs.push_back({e, OfxRectI{xs[i], ys[j], xs[i + 1], ys[j + 1]}});
    }
    std::shuffle(jobs.begin(), jobs.end(), rng);
    status.assign(jobs.size(), kOfxStatFailed);
    OfxPointD rs = {1, 1};
    for (TestHost::Effect *e : which) e->beginRenderAction(0, 0, 1, false, rs, false, true);
    std::atomic<size_t> next{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&] {
        for (size_t k; (k = next.fetch_add(1)) < jobs.size();) status[k] = render(*jobs[k].e, jobs[k].w);
      });
    for (auto &th : threads) th.join();
    for (TestHost::Effect *e : which) e->endRenderAction(0, 0, 1, false, rs, false, true);
    return jobs;
  };

  std::vector<TestHost::Effect *> all;
  for (auto &e : effects) all.push_back(e.get());
  std::vector<OfxStatus> status;
  double t0 = seconds();
  std::vector<Job> jobs = storm(all, status);
  const double tStorm = seconds() - t0;
  int ok = 0;
  for (size_t k = 0; k < jobs.size(); ++k) {
    ok += status[k] == kOfxStatOK;
    CHECK(status[k] == kOfxStatOK, "storm window %zu -> %d (%s)", k, status[k], jobs[k].e->lastMessage().c_str());
  }
  // each instance's windows rendered again one after another on this thread: the same bytes
  for (TestHost::Effect *e : all) {
    CHECK(untouched(e->output, frame, kSentinel) == 0, "storm covers every instance's frame");
    const Picture stormed = e->output;
    e->resetOutput(kSentinel);
    for (const Job &j : jobs)
      if (j.e == e) CHECK(render(*e, j.w) == kOfxStatOK, "serial window (%s)", e->lastMessage().c_str());
    const Diff d = compare(e->output, stormed, frame, 4);
    CHECK(d.maxAbs == 0.0, "storm == the same windows rendered serially (max %.3g)", d.maxAbs);
  }
  std::printf("  %d/%zu windows from %d threads in %.2fs\n", ok, jobs.size(), kThreads, tStorm);

  // abort raised after 6 checks, shared by all threads of a storm on one instance: every window
  // checks at least once, so at least 6 of the 12 windows see it
  TestHost::Effect *e = all[0];
  e->abortCalls = 0;
  e->abortAfter = 6;
  jobs = storm({e}, status);
  int done = 0, aborted = 0;
  for (size_t k = 0; k < jobs.size(); ++k) {
    const OfxRectI &w = jobs[k].w;
    const long area = long(w.x2 - w.x1) * (w.y2 - w.y1) * 4;
    const long left = untouched(e->output, w, kSentinel);
    if (status[k] == kOfxStatOK) {
      ++done;
      CHECK(left == 0, "finished window written (%ld sentinel samples left)", left);
    } else {
      ++aborted;
      CHECK(left == area, "aborted window writes nothing (%ld of %ld sentinel samples)", left, area);
    }
  }
  std::printf("  abort part-way: %d windows finished, %d stopped\n", done, aborted);
  CHECK(aborted > 0, "abort stopped some windows");
  e->abortAfter = -1;
  e->resetOutput(kSentinel);
  CHECK(render(*e, frame) == kOfxStatOK, "renders normally after the aborted storm (%s)", e->lastMessage().c_str());
  CHECK(untouched(e->output, frame, kSentinel) == 0, "frame written after the aborted storm");
}

static void testBadInput() {
  std::printf("bad input fails cleanly\n");
  const OfxRectI frame = {0, 0, 64, 48};
  {
    TestHost::SourceConfig sc;
    sc.full = syntheticPicture(64, 48, 4, kOfxBitDepthFloat, 9);
    sc.half = downscale2(sc.full);
    sc.connected = false;
    auto e = newEffect(kOfxImageEffectContextGeneral, sc, kOfxBitDepthFloat, 4);
    if (e) {
      e->resetOutput(kSentinel);
      OfxStatus st = render(*e, frame);
      CHECK(st == kOfxStatFailed, "missing source -> %d", st);
      CHECK(e->lastMessage().find("not connected") != std::string::npos, "message '%s'", e->lastMessage().c_str());
      CHECK(untouched(e->output, frame, kSentinel) == 64 * 48 * 4, "no garbage written");
      std::printf("  missing clip: %s\n", e->lastMessage().c_str());
    }
  }
  const char *badDepths[] = {kOfxBitDepthNone, "OfxBitDepthTwelve"};
  for (const char *bad : badDepths) {
    TestHost::SourceConfig sc;
    sc.full = syntheticPicture(64, 48, 4, kOfxBitDepthFloat, 9);
    sc.half = downscale2(sc.full);
    sc.reportDepth = bad;
    auto e = newEffect(kOfxImageEffectContextFilter, sc, kOfxBitDepthFloat, 4);
    if (!e) continue;
    e->resetOutput(kSentinel);
    OfxStatus st = render(*e, frame);
    CHECK(st == kOfxStatFailed, "unsupported depth %s -> %d", bad, st);
    CHECK(e->lastMessage().find("depth") != std::string::npos, "message '%s'", e->lastMessage().c_str());
    CHECK(untouched(e->output, frame, kSentinel) == 64 * 48 * 4, "no garbage written");
    std::printf("  depth %s: %s\n", bad, e->lastMessage().c_str());
  }
  {
    TestHost::SourceConfig sc;
    sc.full = syntheticPicture(64, 48, 4, kOfxBitDepthFloat, 9);
    sc.half = downscale2(sc.full);
    sc.reportComponents = kOfxImageComponentAlpha;
    auto e = newEffect(kOfxImageEffectContextFilter, sc, kOfxBitDepthFloat, 4);
    if (e) {
      e->resetOutput(kSentinel);
      OfxStatus st = render(*e, frame);
      CHECK(st == kOfxStatFailed, "alpha-only source -> %d", st);
      CHECK(untouched(e->output, frame, kSentinel) == 64 * 48 * 4, "no garbage written");
      std::printf("  components Alpha: %s\n", e->lastMessage().c_str());
    }
  }
  {
    // NaN and Inf in a float and a half picture: sanitised, the frame renders
    for (const char *depth : {kOfxBitDepthFloat, kOfxBitDepthHalf}) {
      TestHost::SourceConfig sc;
      sc.full = syntheticPicture(64, 48, 4, depth, 9);
      if (std::string(depth) == kOfxBitDepthFloat) {
        sc.full.set(3, 3, 0, std::nanf(""));
        sc.full.set(4, 3, 1, INFINITY);
      } else {  // binary16 NaN, +Inf and -Inf bit patterns (Picture::set clamps)
        const uint16_t bad[3] = {0x7E00, 0x7C00, 0xFC00};
        for (int i = 0; i < 3; ++i) std::memcpy(sc.full.bytes.data() + size_t(3 * 64 + 3 + i) * 4 * 2, &bad[i], 2);
      }
      sc.half = downscale2(sc.full);
      auto e = newEffect(kOfxImageEffectContextFilter, sc, depth, 4);
      if (!e) continue;
      e->resetOutput(kSentinel);
      OfxStatus st = render(*e, frame);
      CHECK(st == kOfxStatOK, "NaN/Inf %s pixels -> %d (%s)", depth, st, e->lastMessage().c_str());
      bool finite = true;
      for (int y = 0; y < 48; ++y)
        for (int x = 0; x < 64; ++x)
          for (int c = 0; c < 4; ++c) finite = finite && std::isfinite(e->output.get(x, y, c));
      CHECK(finite, "%s output finite", depth);
    }
  }
}


int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: OFX_PLUGIN_PATH=DIR %s BUNDLE_BINARY_DIR\n", argv[0]);
    return 2;
  }
  const std::string binDir = argv[1];
  const std::string modelDir = binDir + "/model", ortLib = binDir + "/libonnxruntime.so";

  OH::PluginCache::getPluginCache()->setCacheVersion("AutoRestoreTestHostV1");
  TestHost::Host host;
  IE::PluginCache effects(host);
  effects.registerInCache(*OH::PluginCache::getPluginCache());
  std::printf("load (scan OFX_PLUGIN_PATH=%s)\n", getenv("OFX_PLUGIN_PATH") ? getenv("OFX_PLUGIN_PATH") : "");
  OH::PluginCache::getPluginCache()->scanPluginFiles();
  gPlugin = effects.getPluginById(kPluginId);
  CHECK(gPlugin != nullptr, "plug-in %s found", kPluginId);
  if (!gPlugin) {
    std::printf("FAILED: plug-in not loaded\n");
    return 1;
  }

  // The library in use is the bundle's copy (the plug-in and this host share it).
  Dl_info info;
  const bool found = dladdr(reinterpret_cast<void *>(&autorestore_version), &info) != 0 && info.dli_fname;
  const std::string libPath = found ? info.dli_fname : "";
  std::printf("  libautorestore %s from %s\n", autorestore_version(), libPath.c_str());
  CHECK(libPath.find("AutoRestore.ofx.bundle/Contents/Linux-x86-64/libautorestore.so") != std::string::npos,
        "the bundle's libautorestore is loaded (%s)", libPath.c_str());

  AutorestoreEngineOptions opts;
  autorestore_engine_options_init(&opts);
  opts.model_dir = modelDir.c_str();
  opts.ort_library_path = ortLib.c_str();
  opts.device = AUTORESTORE_DEVICE_CPU;
  AutorestoreEngine *ref = nullptr;
  AutorestoreStatus st = autorestore_engine_create(&opts, &ref);
  if (st != AUTORESTORE_OK) {
    std::printf("FAILED: reference engine: %s\n", autorestore_last_error());
    return 1;
  }

  testDescription();
  testMatchesLibrary(ref);
  testDepthsAndScale(ref);
  testBadInput();
  testAbort();
  testRenderStorm();
  if (argc > 2) testLockedSequence(ref, argv[2]);
  else CHECK(false, "no photo for the Lock Analysis test (second argument)");

  autorestore_engine_destroy(ref);
  std::printf("destroy + unload\n");
  OH::PluginCache::clearPluginCache();
  std::printf("%d checks, %d failures\n", gChecks, gFailures);
  std::printf(gFailures ? "FAILED\n" : "OK\n");
  return gFailures ? 1 : 0;
}
