/* Create / analyze / restore / cancel / fail / destroy cycles for valgrind memcheck
 * (`make test-valgrind`): every cycle must give back what it took, so "definitely lost" stays 0
 * whatever the number of cycles. Tiny images and one session keep it quick under valgrind.
 *
 * Usage: leak_cycles [CYCLES]   (default 3) */
#include "ar_test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 20
#define H 12

static bool cancel_now(float fraction, void *user) {
  (void)fraction;
  (void)user;
  return false;
}

static int fail(const char *what, AutorestoreStatus s) {
  fprintf(stderr, "leak_cycles: %s: %s: %s\n", what, autorestore_status_name(s), autorestore_last_error());
  return 1;
}

int main(int argc, char **argv) {
  int cycles = argc > 1 ? atoi(argv[1]) : 3;
  unsigned char in[W * H * 4], out[W * H * 4];
  fill_pattern(in, sizeof in);
  AutorestoreImage src = {in, W, H, W * 4, AUTORESTORE_SAMPLE_U8, 4};
  AutorestoreImage dst = {out, W, H, W * 4, AUTORESTORE_SAMPLE_U8, 4};

  for (int c = 0; c < cycles; c++) {
    AutorestoreEngineOptions opts;
    autorestore_engine_options_init(&opts);
    opts.device = AUTORESTORE_DEVICE_CPU;
    opts.threads = 1;
    opts.max_sessions = 1;
    opts.max_pixels = 100000;
    AutorestoreEngine *engine = NULL;
    AutorestoreStatus s = autorestore_engine_create(&opts, &engine);
    if (s != AUTORESTORE_OK) return fail("create", s);

    AutorestoreAnalysis found;
    if ((s = autorestore_analyze(engine, &src, &found)) != AUTORESTORE_OK) return fail("analyze", s);
    AutorestoreRestoreParams params;
    autorestore_restore_params_init(&params);
    params.analysis = &found;
    if ((s = autorestore_restore(engine, &src, &dst, &params)) != AUTORESTORE_OK) return fail("restore", s);
    params.analysis = NULL;
    params.progress = cancel_now;
    if ((s = autorestore_restore(engine, &src, &dst, &params)) != AUTORESTORE_ERR_CANCELLED)
      return fail("cancel", s);
    /* failures allocate a message; they must not leak either */
    AutorestoreImage bad = src;
    bad.row_stride = 1;
    if ((s = autorestore_restore(engine, &bad, &dst, NULL)) != AUTORESTORE_ERR_INVALID_ARGUMENT)
      return fail("bad stride", s);
    bad = src;
    bad.width = 100000;
    bad.height = 100000;
    bad.row_stride = (size_t)100000 * 4;
    if ((s = autorestore_restore(engine, &bad, &bad, NULL)) != AUTORESTORE_ERR_TOO_LARGE) return fail("cap", s);
    AutorestoreEngine *none = NULL;
    AutorestoreEngineOptions missing = opts;
    missing.model_dir = "/nonexistent/model";
    if ((s = autorestore_engine_create(&missing, &none)) != AUTORESTORE_ERR_MODEL) return fail("no model", s);
    autorestore_engine_destroy(engine);
    autorestore_engine_destroy(NULL);
  }
  printf("leak_cycles: %d cycles done\n", cycles);
  return 0;
}
