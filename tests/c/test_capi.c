/* C API test: compiled against include/autorestore.h and linked to libautorestore.so
 * (`make test-c`). Uses the real model (models/shipped) and the real ONNX Runtime (.setup/).
 * Prints one line per check and "N passed, N failed" at the end; exits non-zero on failure. */
#include "ar_test.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *pattern_u8(uint32_t w, uint32_t h, uint32_t ch, size_t stride) {
  unsigned char *p = malloc(stride * h);
  for (uint32_t y = 0; y < h; y++)
    for (size_t i = 0; i < stride; i++)
      p[y * stride + i] = (unsigned char)((i < (size_t)w * ch) ? ((i * 7 + y * 13) ^ (i / ch * y)) & 0xff : 0xAB);
  return p;
}

static int progress_calls;
static float last_fraction;
static bool count_progress(float f, void *user) {
  (void)user;
  progress_calls++;
  last_fraction = f;
  return true;
}
static bool cancel_at_first(float f, void *user) {
  (void)f;
  (*(int *)user)++;
  return false;
}

struct job {
  AutorestoreEngine *engine;
  unsigned char *in, *out;
  uint32_t w, h;
  AutorestoreStatus status;
};
static void *run_job(void *arg) {
  struct job *j = arg;
  AutorestoreImage in = image(j->in, j->w, j->h, 3, AUTORESTORE_SAMPLE_U8, (size_t)j->w * 3);
  AutorestoreImage out = image(j->out, j->w, j->h, 3, AUTORESTORE_SAMPLE_U8, (size_t)j->w * 3);
  j->status = autorestore_restore(j->engine, &in, &out, NULL);
  return NULL;
}

int main(void) {
  /* --- version, names ------------------------------------------------------------------ */
  CHECK(strcmp(autorestore_version(), AUTORESTORE_VERSION) == 0, "version %s vs header %s",
        autorestore_version(), AUTORESTORE_VERSION);
  CHECK(strcmp(autorestore_status_name(AUTORESTORE_ERR_MODEL), "AUTORESTORE_ERR_MODEL") == 0, "status name");
  CHECK(strcmp(autorestore_status_name(999), "unknown status") == 0, "unknown status name");
  AutorestoreMode mode;
  EXPECT_STATUS(autorestore_mode_from_name("dehaze", &mode), AUTORESTORE_OK);
  CHECK(mode == AUTORESTORE_MODE_DEHAZE, "mode from name");
  /* the C names are the Rust API's (one table): group names are accepted too */
  EXPECT_STATUS(autorestore_mode_from_name("noise", &mode), AUTORESTORE_OK);
  CHECK(mode == AUTORESTORE_MODE_DENOISE, "group name \"noise\" is DENOISE");
  for (int st = AUTORESTORE_OK; st <= AUTORESTORE_ERR_INTERNAL; st++)
    CHECK(strncmp(autorestore_status_name((uint32_t)st), "AUTORESTORE_", 12) == 0, "status %d has a name", st);
  CHECK(strcmp(autorestore_status_name(AUTORESTORE_ERR_INTERNAL), "AUTORESTORE_ERR_INTERNAL") == 0, "last status name");
  EXPECT_STATUS(autorestore_mode_from_name("sharpen", &mode), AUTORESTORE_ERR_INVALID_ARGUMENT);
  EXPECT_STATUS(autorestore_mode_from_name(NULL, &mode), AUTORESTORE_ERR_NULL_ARGUMENT);
  AutorestoreDevice dev;
  EXPECT_STATUS(autorestore_device_from_name("cpu", &dev), AUTORESTORE_OK);
  CHECK(dev == AUTORESTORE_DEVICE_CPU, "device from name");

  /* --- engine creation failures (before any runtime is loaded) --------------------------- */
  AutorestoreEngineOptions opts;
  AutorestoreEngine *engine = (AutorestoreEngine *)1;
  EXPECT_STATUS(autorestore_engine_create(NULL, NULL), AUTORESTORE_ERR_NULL_ARGUMENT);
  autorestore_engine_options_init(&opts);
  opts.ort_library_path = "/nonexistent/libonnxruntime.so";
  EXPECT_STATUS(autorestore_engine_create(&opts, &engine), AUTORESTORE_ERR_RUNTIME_NOT_FOUND);
  CHECK(engine == NULL, "engine NULL after failure");
  CHECK(strstr(autorestore_last_error(), "/nonexistent") != NULL, "message names the path");
  opts.ort_library_path = "tests/c/test_capi.c"; /* not a shared library */
  EXPECT_STATUS(autorestore_engine_create(&opts, &engine), AUTORESTORE_ERR_RUNTIME_NOT_FOUND);
  opts.ort_library_path = NULL;
  opts.model_dir = "/nonexistent/model";
  EXPECT_STATUS(autorestore_engine_create(&opts, &engine), AUTORESTORE_ERR_MODEL);
  opts.model_dir = NULL;
  memset(&opts.device, 0x7f, sizeof opts.device); /* garbage enum value from C */
  EXPECT_STATUS(autorestore_engine_create(&opts, &engine), AUTORESTORE_ERR_INVALID_ARGUMENT);

  /* a tile below the model's minimum (two margins and a core) is refused, naming the size */
  autorestore_engine_options_init(&opts);
  opts.device = AUTORESTORE_DEVICE_CPU;
  opts.tile_size = 1;
  EXPECT_STATUS(autorestore_engine_create(&opts, &engine), AUTORESTORE_ERR_INVALID_ARGUMENT);
  CHECK(strstr(autorestore_last_error(), "tile size 1 is below the minimum") != NULL, "tile message: %s",
        autorestore_last_error());

  /* --- a working engine ------------------------------------------------------------------ */
  autorestore_engine_options_init(&opts);
  opts.device = AUTORESTORE_DEVICE_CPU;
  opts.threads = 2;
  opts.tile_overlap = 8;
  opts.max_pixels = 4000000;
  EXPECT_STATUS(autorestore_engine_create(&opts, &engine), AUTORESTORE_OK);
  if (engine == NULL) {
    printf("%d passed, %d failed\n", passed, failed + 1);
    return 1;
  }
  CHECK(autorestore_engine_device(engine) == AUTORESTORE_DEVICE_CPU, "runs on CPU");
  uint32_t d = autorestore_engine_degradation_count(engine);
  CHECK(d >= 1 && d <= AUTORESTORE_MAX_DEGRADATIONS, "degradation count %u", d);
  CHECK(autorestore_engine_degradation_name(engine, 0) != NULL, "name 0");
  CHECK(autorestore_engine_degradation_name(engine, d) == NULL, "name out of range is NULL");
  CHECK(autorestore_engine_default_steps(engine) >= 1, "default steps");
  uint32_t mult = autorestore_engine_tile_multiple(engine);
  uint32_t rf = autorestore_engine_receptive_field(engine);
  uint32_t margin = autorestore_engine_tile_margin(engine);
  CHECK(mult >= 1, "tile multiple");
  CHECK(rf >= 1 && margin >= rf && margin % mult == 0 && margin < rf + mult, "margin %u for receptive field %u",
        margin, rf);
  CHECK(autorestore_engine_min_tile_size(engine) >= 2 * margin + 8, "min tile %u",
        autorestore_engine_min_tile_size(engine));
  CHECK(autorestore_engine_receptive_field(NULL) == 0 && autorestore_engine_min_tile_size(NULL) == 0, "NULL");
  CHECK(autorestore_engine_degradation_count(NULL) == 0, "NULL engine count");
  CHECK(autorestore_engine_model_dir(engine)[0] == '/' && autorestore_engine_runtime_path(engine)[0] == '/',
        "model dir %s, runtime %s", autorestore_engine_model_dir(engine), autorestore_engine_runtime_path(engine));
  CHECK(autorestore_engine_model_dir(NULL)[0] == '\0' && autorestore_engine_runtime_path(NULL)[0] == '\0',
        "NULL engine paths");
  autorestore_engine_destroy(NULL);

  /* --- analyze --------------------------------------------------------------------------- */
  const uint32_t W = 150, H = 100;
  size_t stride = W * 4 + 12;
  unsigned char *rgba = pattern_u8(W, H, 4, stride);
  AutorestoreImage in = image(rgba, W, H, 4, AUTORESTORE_SAMPLE_U8, stride);
  AutorestoreAnalysis an;
  EXPECT_STATUS(autorestore_analyze(engine, &in, &an), AUTORESTORE_OK);
  CHECK(an.degradation_count == d, "analysis count");
  float gsum = 0;
  for (uint32_t i = 0; i < an.gate_count; i++) gsum += an.gates[i];
  CHECK(fabsf(gsum - 1.0f) < 1e-3f, "gates sum to 1 (%f)", gsum);
  for (uint32_t i = 0; i < d; i++) CHECK(an.scores[i] >= 0 && an.scores[i] <= 1, "score %u in [0,1]", i);
  CHECK(an.amount >= 0 && an.amount <= 1, "amount %f in [0,1]", an.amount);
  CHECK(an.cond_count >= 1 && an.cond_count <= AUTORESTORE_MAX_COND, "cond count %u", an.cond_count);
  for (uint32_t i = 0; i < an.cond_count; i++) CHECK(isfinite(an.cond[i]), "cond %u finite", i);
  EXPECT_STATUS(autorestore_analyze(NULL, &in, &an), AUTORESTORE_ERR_NULL_ARGUMENT);
  EXPECT_STATUS(autorestore_analyze(engine, NULL, &an), AUTORESTORE_ERR_NULL_ARGUMENT);
  EXPECT_STATUS(autorestore_analyze(engine, &in, NULL), AUTORESTORE_ERR_NULL_ARGUMENT);

  /* --- restore RGBA u8 with padded strides into a separate buffer ------------------------ */
  size_t ostride = W * 4 + 20;
  unsigned char *out = malloc(ostride * H);
  memset(out, 0xCD, ostride * H);
  AutorestoreImage outim = image(out, W, H, 4, AUTORESTORE_SAMPLE_U8, ostride);
  AutorestoreRestoreParams params;
  autorestore_restore_params_init(&params);
  params.progress = count_progress;
  EXPECT_STATUS(autorestore_restore(engine, &in, &outim, &params), AUTORESTORE_OK);
  CHECK(progress_calls > 0 && fabsf(last_fraction - 1.0f) < 1e-6f, "progress %d calls, last %f", progress_calls,
        last_fraction);
  int alpha_ok = 1, pad_ok = 1;
  for (uint32_t y = 0; y < H; y++) {
    for (uint32_t x = 0; x < W; x++) alpha_ok &= out[y * ostride + x * 4 + 3] == rgba[y * stride + x * 4 + 3];
    for (size_t i = W * 4; i < ostride; i++) pad_ok &= out[y * ostride + i] == 0xCD;
  }
  CHECK(alpha_ok, "alpha passes through");
  CHECK(pad_ok, "bytes between rows untouched");

  /* --- amount 0 = nothing to repair: AUTO returns the input bit for bit ------------------ */
  {
    AutorestoreAnalysis none = an;
    none.amount = 0;
    unsigned char *same = malloc(ostride * H);
    memset(same, 0xCD, ostride * H);
    AutorestoreImage sameim = image(same, W, H, 4, AUTORESTORE_SAMPLE_U8, ostride);
    AutorestoreRestoreParams p;
    autorestore_restore_params_init(&p);
    p.analysis = &none;
    EXPECT_STATUS(autorestore_restore(engine, &in, &sameim, &p), AUTORESTORE_OK);
    int same_ok = 1;
    for (uint32_t y = 0; y < H; y++) same_ok &= memcmp(same + y * ostride, rgba + y * stride, W * 4) == 0;
    CHECK(same_ok, "nothing to repair: the output is the input");
    p.mode = AUTORESTORE_MODE_DENOISE; /* manual modes ignore the amount */
    EXPECT_STATUS(autorestore_restore(engine, &in, &sameim, &p), AUTORESTORE_OK);
    same_ok = 1;
    for (uint32_t y = 0; y < H; y++) same_ok &= memcmp(same + y * ostride, rgba + y * stride, W * 4) == 0;
    CHECK(!same_ok, "a manual mode restores even when the amount is 0");
    none.cond_count = AUTORESTORE_MAX_COND + 1;
    EXPECT_STATUS(autorestore_restore(engine, &in, &sameim, &p), AUTORESTORE_ERR_INVALID_ARGUMENT);
    none.cond_count = an.cond_count - 1; /* does not fit the model */
    EXPECT_STATUS(autorestore_restore(engine, &in, &sameim, &p), AUTORESTORE_ERR_INVALID_ARGUMENT);
    free(same);
  }

  /* --- failures leave the output untouched ----------------------------------------------- */
  unsigned char *snapshot = malloc(ostride * H);
  memcpy(snapshot, out, ostride * H);
  int cancel_calls = 0;
  params.progress = cancel_at_first;
  params.progress_user_data = &cancel_calls;
  EXPECT_STATUS(autorestore_restore(engine, &in, &outim, &params), AUTORESTORE_ERR_CANCELLED);
  CHECK(cancel_calls == 1, "cancel stops at the first callback");
  params.progress = NULL;
  AutorestoreImage bad = in;
  bad.row_stride = W * 4 - 1;
  EXPECT_STATUS(autorestore_restore(engine, &bad, &outim, &params), AUTORESTORE_ERR_INVALID_ARGUMENT);
  bad = in;
  bad.width = 0;
  EXPECT_STATUS(autorestore_restore(engine, &bad, &outim, &params), AUTORESTORE_ERR_INVALID_ARGUMENT);
  bad = in;
  bad.channels = 5;
  EXPECT_STATUS(autorestore_restore(engine, &bad, &outim, &params), AUTORESTORE_ERR_INVALID_ARGUMENT);
  bad = in;
  memset(&bad.sample_type, 0x55, sizeof bad.sample_type);
  EXPECT_STATUS(autorestore_restore(engine, &bad, &outim, &params), AUTORESTORE_ERR_INVALID_ARGUMENT);
  bad = in;
  bad.data = NULL;
  EXPECT_STATUS(autorestore_restore(engine, &bad, &outim, &params), AUTORESTORE_ERR_NULL_ARGUMENT);
  bad = in;
  bad.width = 100000;
  bad.height = 100000; /* huge declared size, small stride */
  EXPECT_STATUS(autorestore_restore(engine, &bad, &outim, &params), AUTORESTORE_ERR_INVALID_ARGUMENT);
  bad.row_stride = (size_t)100000 * 4;
  EXPECT_STATUS(autorestore_restore(engine, &bad, &bad, &params), AUTORESTORE_ERR_TOO_LARGE); /* over max_pixels */
  bad = outim;
  bad.width = W - 1;
  EXPECT_STATUS(autorestore_restore(engine, &in, &bad, &params), AUTORESTORE_ERR_INVALID_ARGUMENT);
  EXPECT_STATUS(autorestore_restore(engine, &in, NULL, &params), AUTORESTORE_ERR_NULL_ARGUMENT);
  params.strength = NAN;
  EXPECT_STATUS(autorestore_restore(engine, &in, &outim, &params), AUTORESTORE_ERR_INVALID_ARGUMENT);
  params.strength = 1;
  params.mode = AUTORESTORE_MODE_CUSTOM; /* all-zero mix */
  EXPECT_STATUS(autorestore_restore(engine, &in, &outim, &params), AUTORESTORE_ERR_INVALID_ARGUMENT);
  params.mode = AUTORESTORE_MODE_AUTO;
  CHECK(memcmp(snapshot, out, ostride * H) == 0, "output untouched by every failure");

  /* NaN pixel in f32 input */
  float *f = calloc((size_t)W * H * 3, sizeof(float));
  f[1234] = NAN;
  AutorestoreImage fin = image(f, W, H, 3, AUTORESTORE_SAMPLE_F32, (size_t)W * 3 * sizeof(float));
  float *fout = calloc((size_t)W * H * 3, sizeof(float));
  AutorestoreImage foutim = image(fout, W, H, 3, AUTORESTORE_SAMPLE_F32, (size_t)W * 3 * sizeof(float));
  EXPECT_STATUS(autorestore_restore(engine, &fin, &foutim, NULL), AUTORESTORE_ERR_INVALID_ARGUMENT);
  f[1234] = INFINITY;
  EXPECT_STATUS(autorestore_analyze(engine, &fin, &an), AUTORESTORE_ERR_INVALID_ARGUMENT);
  f[1234] = 0.5f;
  int untouched = 1;
  for (size_t i = 0; i < (size_t)W * H * 3; i++) untouched &= fout[i] == 0.0f;
  CHECK(untouched, "f32 output untouched after NaN error");

  /* --- in place, gray f32; strength 0 is the identity ------------------------------------ */
  for (size_t i = 0; i < (size_t)W * H; i++) f[i] = (float)(i % 97) / 96.0f;
  AutorestoreImage gray = image(f, W, H, 1, AUTORESTORE_SAMPLE_F32, (size_t)W * sizeof(float));
  float *copy = malloc((size_t)W * H * sizeof(float));
  memcpy(copy, f, (size_t)W * H * sizeof(float));
  autorestore_restore_params_init(&params);
  params.strength = 0;
  EXPECT_STATUS(autorestore_restore(engine, &gray, &gray, &params), AUTORESTORE_OK);
  float maxd = 0;
  for (size_t i = 0; i < (size_t)W * H; i++) maxd = fmaxf(maxd, fabsf(copy[i] - f[i]));
  CHECK(maxd < 1e-6f, "strength 0 in place is the identity (max diff %g)", maxd);
  params.strength = 1;
  params.mode = AUTORESTORE_MODE_DENOISE;
  EXPECT_STATUS(autorestore_restore(engine, &gray, &gray, &params), AUTORESTORE_OK);

  /* --- u8 in, u16 out; manual mix reusing the analysis; same seed, same bytes ------------- */
  uint16_t *o16 = malloc((size_t)W * H * 4 * 2);
  AutorestoreImage out16 = image(o16, W, H, 4, AUTORESTORE_SAMPLE_U16, (size_t)W * 8);
  autorestore_restore_params_init(&params);
  params.mode = AUTORESTORE_MODE_CUSTOM;
  params.mix[0] = 0.7f;
  params.mix[d - 1] = 0.3f;
  params.analysis = &an;
  EXPECT_STATUS(autorestore_restore(engine, &in, &out16, &params), AUTORESTORE_OK);
  CHECK(o16[3] == rgba[3] * 257, "alpha u8 -> u16 (%u vs %u)", o16[3], rgba[3] * 257u);
  autorestore_restore_params_init(&params);
  params.steps = 2;
  params.seed = 7;
  unsigned char *a1 = malloc(ostride * H), *a2 = malloc(ostride * H);
  AutorestoreImage o1 = image(a1, W, H, 4, AUTORESTORE_SAMPLE_U8, ostride);
  AutorestoreImage o2 = image(a2, W, H, 4, AUTORESTORE_SAMPLE_U8, ostride);
  memset(a1, 0, ostride * H);
  memset(a2, 0, ostride * H);
  EXPECT_STATUS(autorestore_restore(engine, &in, &o1, &params), AUTORESTORE_OK);
  EXPECT_STATUS(autorestore_restore(engine, &in, &o2, &params), AUTORESTORE_OK);
  CHECK(memcmp(a1, a2, ostride * H) == 0, "same seed, same bytes");

  /* --- f16 samples (OpenFX "half"): converted by the library both ways, restored like f32;
   *     NaN and Inf refused with the output untouched ---------------------------------------- */
  {
    const size_t n = (size_t)W * H * 4, hstride = (size_t)W * 4 * 2, fstride = (size_t)W * 4 * 4;
    uint16_t *h_in = malloc(n * 2), *h_out = malloc(n * 2), *h_snap = malloc(n * 2);
    float *f_ref = malloc(n * 4), *f_back = malloc(n * 4);
    AutorestoreImage hin = image(h_in, W, H, 4, AUTORESTORE_SAMPLE_F16, hstride);
    AutorestoreImage hout = image(h_out, W, H, 4, AUTORESTORE_SAMPLE_F16, hstride);
    AutorestoreImage fref = image(f_ref, W, H, 4, AUTORESTORE_SAMPLE_F32, fstride);
    AutorestoreImage fback = image(f_back, W, H, 4, AUTORESTORE_SAMPLE_F32, fstride);
    autorestore_restore_params_init(&params);
    params.mode = AUTORESTORE_MODE_DENOISE;
    params.strength = 0; /* the input as it is: u8 -> f16 -> f32 by the library */
    EXPECT_STATUS(autorestore_restore(engine, &in, &hin, &params), AUTORESTORE_OK);
    EXPECT_STATUS(autorestore_restore(engine, &hin, &fback, &params), AUTORESTORE_OK);
    float maxd = 0;
    long ones = 0, ones_exact = 0;
    for (uint32_t y = 0; y < H; y++)
      for (uint32_t i = 0; i < W * 4; i++) {
        const unsigned char v = rgba[y * stride + i];
        maxd = fmaxf(maxd, fabsf(f_back[y * W * 4 + i] - v / 255.0f));
        if (v == 255) {
          ones++;
          ones_exact += h_in[y * W * 4 + i] == 0x3C00; /* binary16 1.0 */
        }
      }
    CHECK(maxd <= 2.5e-4f, "u8 -> f16 -> f32 within half a binary16 ulp (max %g)", maxd);
    CHECK(ones > 0 && ones_exact == ones, "255 -> 0x3C00 (%ld of %ld)", ones_exact, ones);

    params.strength = 1;
    EXPECT_STATUS(autorestore_restore(engine, &in, &fref, &params), AUTORESTORE_OK);
    EXPECT_STATUS(autorestore_restore(engine, &in, &hout, &params), AUTORESTORE_OK);
    params.strength = 0;
    EXPECT_STATUS(autorestore_restore(engine, &hout, &fback, &params), AUTORESTORE_OK);
    maxd = 0;
    for (size_t i = 0; i < n; i++) maxd = fmaxf(maxd, fabsf(f_back[i] - f_ref[i]));
    CHECK(maxd <= 2.5e-4f, "f16 output is the f32 result rounded (max %g)", maxd);
    params.strength = 1;
    EXPECT_STATUS(autorestore_restore(engine, &hin, &fback, &params), AUTORESTORE_OK);
    maxd = 0;
    for (size_t i = 0; i < n; i++) maxd = fmaxf(maxd, fabsf(f_back[i] - f_ref[i]));
    CHECK(maxd <= 0.01f, "f16 input restores like u8 input (max %g)", maxd);

    memcpy(h_snap, h_out, n * 2);
    h_in[1234] = 0x7E00; /* NaN */
    EXPECT_STATUS(autorestore_restore(engine, &hin, &hout, &params), AUTORESTORE_ERR_INVALID_ARGUMENT);
    CHECK(strstr(autorestore_last_error(), "f16") != NULL, "message names f16: %s", autorestore_last_error());
    h_in[1234] = 0x7C00; /* +Inf */
    EXPECT_STATUS(autorestore_analyze(engine, &hin, &an), AUTORESTORE_ERR_INVALID_ARGUMENT);
    CHECK(memcmp(h_snap, h_out, n * 2) == 0, "f16 output untouched after NaN error");
    EXPECT_STATUS(autorestore_analyze(engine, &in, &an), AUTORESTORE_OK);
    free(h_in); free(h_out); free(h_snap); free(f_ref); free(f_back);
  }

  /* --- one engine, two threads at once --------------------------------------------------- */
  const uint32_t TW = 96, TH = 80;
  unsigned char *src = pattern_u8(TW, TH, 3, (size_t)TW * 3);
  struct job jobs[2];
  pthread_t th[2];
  for (int i = 0; i < 2; i++) {
    jobs[i].engine = engine;
    jobs[i].in = src;
    jobs[i].out = calloc((size_t)TW * TH * 3, 1);
    jobs[i].w = TW;
    jobs[i].h = TH;
    pthread_create(&th[i], NULL, run_job, &jobs[i]);
  }
  for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
  CHECK(jobs[0].status == AUTORESTORE_OK && jobs[1].status == AUTORESTORE_OK, "concurrent restores");
  CHECK(memcmp(jobs[0].out, jobs[1].out, (size_t)TW * TH * 3) == 0, "concurrent results agree");

  autorestore_engine_destroy(engine);
  free(rgba); free(out); free(snapshot); free(f); free(fout); free(copy); free(o16); free(a1); free(a2);
  free(src); free(jobs[0].out); free(jobs[1].out);
  return report();
}
