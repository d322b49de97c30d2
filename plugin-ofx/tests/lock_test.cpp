// Lock Analysis on a sequence (part of ofx_host_test; make test-ofx): 24 frames made here, a
// crop of a degraded photo panning 8 px per frame (the model's tile multiple, so a frame's
// pixels meet the same tile grid as the last frame's and any change comes from the analysis). Rendered without the lock (each frame its
// own analysis) and with it (the reference frame's), each frame as two host tiles. Reported:
// the largest change of an expert gate between consecutive frames and the per-frame mean change
// of the result on the pixels the two frames share (moved by the pan; away from the borders by
// the receptive field). With the lock the gates do not change and the mean change stays under
// 1e-4; the tiles fetch only their window plus the model's margin; the result equals the library
// with the reference frame's analysis.

#include "test_host.h"

void testLockedSequence(AutorestoreEngine *ref, const std::string &photoPath) {
  std::printf("Lock Analysis: 24-frame pan over %s\n", photoPath.c_str());
  Picture photo;
  if (!readPng(photoPath, photo)) {
    CHECK(false, "read %s", photoPath.c_str());
    return;
  }
  const int W = 320, H = 240, kFrames = 24, kPan = 8, kRef = 12;
  CHECK(photo.w >= W + kPan * (kFrames - 1) && photo.h >= H, "photo %dx%d large enough", photo.w, photo.h);
  if (photo.w < W + kPan * (kFrames - 1) || photo.h < H) return;
  TestHost::SourceConfig sc;
  for (int t = 0; t < kFrames; ++t) {
    Picture f = makePicture(W, H, 4, kOfxBitDepthByte);
    for (int y = 0; y < H; ++y)
      std::memcpy(f.bytes.data() + size_t(y) * f.row(), photo.bytes.data() + size_t(y) * photo.row() + size_t(t * kPan) * 4, f.row());
    sc.frames.push_back(std::move(f));
  }
  sc.full = sc.frames[0];
  sc.half = downscale2(sc.full);
  auto e = newEffect(kOfxImageEffectContextFilter, sc, kOfxBitDepthByte, 4);
  if (!e) return;
  const OfxRectI frame = {0, 0, W, H};
  const int margin = int(autorestore_engine_tile_margin(ref));
  // the pixels of frame t that frame t-1 also shows (at x + kPan), away from both borders
  const OfxRectI shared = {margin, margin, W - kPan - margin, H - margin};

  auto renderSequence = [&](std::vector<Picture> &outs) {
    outs.clear();
    for (int t = 0; t < kFrames; ++t) {
      e->resetOutput(kSentinel);
      const std::vector<OfxStatus> sts = renderTiles(*e, 2, 1, t);
      for (OfxStatus st : sts) CHECK(st == kOfxStatOK, "frame %d tile -> %d (%s)", t, st, e->lastMessage().c_str());
      outs.push_back(e->output);
    }
  };
  auto meanChange = [&](const Picture &prev, const Picture &cur) {
    double sum = 0;
    long n = 0;
    for (int y = shared.y1; y < shared.y2; ++y)
      for (int x = shared.x1; x < shared.x2; ++x)
        for (int c = 0; c < 3; ++c, ++n) sum += std::fabs(double(cur.get(x, y, c)) - prev.get(x + kPan, y, c));
    return n ? sum / n : 0.0;
  };
  auto report = [&](const char *what, const std::vector<Picture> &outs, double &worstMean) {
    worstMean = 0;
    double total = 0;
    for (int t = 1; t < kFrames; ++t) {
      const double m = meanChange(outs[size_t(t - 1)], outs[size_t(t)]);
      worstMean = std::max(worstMean, m);
      total += m;
    }
    std::printf("  %s: per-frame mean change of the result, mean %.3g, worst %.3g (of 1)\n", what,
                total / (kFrames - 1), worstMean);
  };

  // the inputs: the shared pixels of consecutive frames are the same photo pixels
  double inputWorst = 0;
  for (int t = 1; t < kFrames; ++t) inputWorst = std::max(inputWorst, meanChange(sc.frames[size_t(t - 1)], sc.frames[size_t(t)]));
  CHECK(inputWorst == 0.0, "the pan moves whole pixels (input change %.3g)", inputWorst);

  // the analysis of each frame on its own: how much its gates move from frame to frame
  std::vector<AutorestoreAnalysis> own(kFrames);
  double gateWorst = 0, amountWorst = 0;
  for (int t = 0; t < kFrames; ++t) {
    Picture &f = sc.frames[size_t(t)];
    AutorestoreImage im = {f.bytes.data(), uint32_t(W), uint32_t(H), f.row(), AUTORESTORE_SAMPLE_U8, 4};
    CHECK(autorestore_analyze(ref, &im, &own[size_t(t)]) == AUTORESTORE_OK, "%s", autorestore_last_error());
    if (t == 0) continue;
    for (uint32_t g = 0; g < own[size_t(t)].gate_count; ++g)
      gateWorst = std::max(gateWorst, double(std::fabs(own[size_t(t)].gates[g] - own[size_t(t - 1)].gates[g])));
    amountWorst = std::max(amountWorst, double(std::fabs(own[size_t(t)].amount - own[size_t(t - 1)].amount)));
  }
  std::printf("  without the lock: largest gate change between frames %.3g, amount change %.3g\n", gateWorst, amountWorst);

  // the largest Source image fetched for a frame other than the reference, and how many
  // whole frames were fetched
  auto fetches = [&](long &largest, int &whole) {
    std::lock_guard<std::mutex> l(e->fetchMutex);
    largest = 0;
    whole = 0;
    for (const auto &f : e->sourceFetches) {
      if (f.first != kRef) largest = std::max(largest, f.second);
      whole += f.second == long(W) * H;
    }
    e->sourceFetches.clear();
  };
  std::vector<Picture> unlocked, locked;
  long fetchUnlocked = 0, fetchLocked = 0;
  int wholeUnlocked = 0, wholeLocked = 0;
  fetches(fetchUnlocked, wholeUnlocked);
  double t0 = seconds();
  renderSequence(unlocked);
  const double tUnlocked = seconds() - t0;
  fetches(fetchUnlocked, wholeUnlocked);
  double worstUnlocked = 0, worstLocked = 0;
  report("without the lock", unlocked, worstUnlocked);

  // Turning the lock on at frame kRef (a user edit) takes that frame as the reference.
  setBool(*e, "lockAnalysis", true);
  OfxPointD one = {1, 1};
  e->beginInstanceChangedAction(kOfxChangeUserEdited);
  CHECK(e->paramInstanceChangedAction("lockAnalysis", kOfxChangeUserEdited, kRef, one) == kOfxStatOK, "lock toggled");
  e->endInstanceChangedAction(kOfxChangeUserEdited);
  int refFrame = -1;
  if (auto *p = dynamic_cast<TestHost::IntParam *>(e->getParam("lockFrame"))) p->get(refFrame);
  CHECK(refFrame == kRef, "turning the lock on at frame %d makes it the reference (%d)", kRef, refFrame);

  // region of interest: a window plus the model's margin, not the whole frame
  std::map<IE::ClipInstance *, OfxRectD> rois;
  const OfxRectD win = {0, 0, 160, 240};
  CHECK(e->getRegionOfInterestAction(0, one, win, rois) == kOfxStatOK, "RoI action with the lock");
  IE::ClipInstance *srcClip = e->getClip(kOfxImageEffectSimpleSourceClipName);
  const OfxRectD roi = rois.count(srcClip) ? rois[srcClip] : OfxRectD{0, 0, 0, 0};
  std::printf("  locked RoI of window 0..160 x 0..240: %.0f..%.0f x %.0f..%.0f (frame %dx%d, margin %d)\n",
              roi.x1, roi.x2, roi.y1, roi.y2, W, H, margin);
  CHECK(roi.x2 >= 160 + margin && roi.x2 < W && roi.x1 == 0, "locked RoI is the window plus the margin");

  t0 = seconds();
  renderSequence(locked);
  const double tLocked = seconds() - t0;
  fetches(fetchLocked, wholeLocked);
  report("with the lock", locked, worstLocked);
  std::printf("  source fetched by 48 tiles: without the lock %d whole frames; with it %d whole frame "
              "(the reference, analysed once) and tiles of at most %ld px (frame %d px); "
              "24 frames in %.1fs / %.1fs\n", wholeUnlocked, wholeLocked, fetchLocked, W * H, tUnlocked, tLocked);
  CHECK(wholeUnlocked == 2 * kFrames, "without the lock every tile fetches the whole frame (%d)", wholeUnlocked);
  CHECK(wholeLocked == 1, "with the lock only the reference frame is fetched whole, once (%d)", wholeLocked);
  CHECK(fetchLocked <= long(160 + margin + 8) * H, "with the lock a tile fetches its window plus the margin (%ld px)", fetchLocked);
  CHECK(worstLocked <= 1e-4, "locked sequence is stable (worst mean change %.3g)", worstLocked);

  // the locked frames are the library's result with the reference frame's analysis
  for (int t : {0, kFrames - 1}) {
    const Picture expect = libraryRestore(ref, sc.frames[size_t(t)], AUTORESTORE_MODE_AUTO, 1.0f, 0, 0, nullptr, &own[kRef]);
    const Diff d = compare(locked[size_t(t)], expect, frame, 4);
    std::printf("  locked frame %d vs library with frame %d's analysis: max %.3g\n", t, kRef, d.maxAbs);
    CHECK(d.maxAbs <= 1.0 / 255 + 1e-6, "locked frame %d equals the library (max %.3g)", t, d.maxAbs);
  }
  setBool(*e, "lockAnalysis", false);
}

