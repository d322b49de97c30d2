/* Helpers shared by the C tests (the programs in tests/c): pass/fail counting with the library's own
 * status names and last-error message, and an image descriptor builder. Header-only: each test
 * program is one translation unit. */
#ifndef AR_TEST_H
#define AR_TEST_H

#include "autorestore.h"

#include <stdio.h>

static int passed, failed;

/* Counts a check; on failure prints where, why, and the library's last error. */
#define CHECK(cond, ...)                                   \
  do {                                                     \
    if (cond) {                                            \
      passed++;                                            \
    } else {                                               \
      failed++;                                            \
      printf("FAIL %s:%d: ", __FILE__, __LINE__);          \
      printf(__VA_ARGS__);                                 \
      printf(" [last error: %s]\n", autorestore_last_error()); \
    }                                                      \
  } while (0)

/* A call must return `want`; any failure status must come with a message. */
#define EXPECT_STATUS(call, want)                                                        \
  do {                                                                                   \
    AutorestoreStatus got_ = (call);                                                     \
    CHECK(got_ == (want), "%s: got %s, want %s", #call, autorestore_status_name(got_),   \
          autorestore_status_name(want));                                                \
    if (got_ != AUTORESTORE_OK) CHECK(autorestore_last_error()[0] != '\0', "%s: empty message", #call); \
  } while (0)

static inline AutorestoreImage image(void *data, uint32_t w, uint32_t h, uint32_t ch,
                                     AutorestoreSampleType t, size_t stride) {
  AutorestoreImage im;
  im.data = data;
  im.width = w;
  im.height = h;
  im.channels = ch;
  im.sample_type = t;
  im.row_stride = stride;
  return im;
}

/* A deterministic byte pattern with detail in every channel (small test images). */
static inline void fill_pattern(unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(i * 7 ^ i >> 3);
}

/* Prints the tally; the exit status of a test program. */
static inline int report(void) {
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

#endif
