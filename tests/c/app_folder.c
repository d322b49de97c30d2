/* An application folder: this program, its copy of libautorestore.so and ONNX Runtime, and the
 * model, all in one folder outside the source tree (tests/c/app_folder.sh builds it in each
 * layout the header documents). With no model_dir, no ort_library_path and no environment the
 * engine must find both there, not in the source tree the library was built from.
 *
 * Usage: app_folder EXPECTED_MODEL_DIR EXPECTED_RUNTIME */
#define _XOPEN_SOURCE 700 /* realpath */
#include "ar_test.h"

#include <stdlib.h>
#include <string.h>

/* Both sides through realpath: the library reports e.g. <lib>/../model as it found it. */
static int same_file(const char *a, const char *b) {
  char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
  int same = ra && rb && strcmp(ra, rb) == 0;
  free(ra);
  free(rb);
  return same;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: app_folder EXPECTED_MODEL_DIR EXPECTED_RUNTIME\n");
    return 2;
  }
  AutorestoreEngineOptions opts;
  autorestore_engine_options_init(&opts);
  opts.device = AUTORESTORE_DEVICE_CPU;
  opts.threads = 1;
  opts.max_sessions = 1;
  AutorestoreEngine *engine = NULL;
  EXPECT_STATUS(autorestore_engine_create(&opts, &engine), AUTORESTORE_OK);
  if (engine == NULL) return report();
  const char *model = autorestore_engine_model_dir(engine);
  const char *runtime = autorestore_engine_runtime_path(engine);
  CHECK(same_file(model, argv[1]), "model found in %s, want %s", model, argv[1]);
  CHECK(same_file(runtime, argv[2]), "runtime found at %s, want %s", runtime, argv[2]);

  /* and it restores with what it found */
  unsigned char in[16 * 16 * 3], out[16 * 16 * 3];
  fill_pattern(in, sizeof in);
  AutorestoreImage src = image(in, 16, 16, 3, AUTORESTORE_SAMPLE_U8, 16 * 3);
  AutorestoreImage dst = image(out, 16, 16, 3, AUTORESTORE_SAMPLE_U8, 16 * 3);
  EXPECT_STATUS(autorestore_restore(engine, &src, &dst, NULL), AUTORESTORE_OK);
  printf("app folder: model %s, runtime %s: ", model, runtime);
  autorestore_engine_destroy(engine);
  return report();
}
