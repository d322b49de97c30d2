/* The analysis verdict shared by the GIMP 2.10 and GIMP 3 dialogs (ar_analysis_verdict in
 * src/common/ar_engine.c), against the real library and model: "Nothing to repair found" when
 * the analysis amount is 0, the most likely damage otherwise. Run by `make test-gimp`. */
#include <stdio.h>
#include <string.h>

#include "ar_common.h"

static int failed = 0;

static void
expect (const gchar *what, gchar *text, const gchar *needle, gboolean present)
{
  gboolean found = strstr (text, needle) != NULL;

  printf ("  %s   %s: \"%s\"\n", found == present ? "ok" : "FAIL", what, text);
  if (found != present)
    failed++;
  g_free (text);
}

int
main (void)
{
  AutorestoreEngineOptions opts;
  AutorestoreEngine       *engine = NULL;
  AutorestoreAnalysis      a;

  autorestore_engine_options_init (&opts);
  opts.device = AUTORESTORE_DEVICE_CPU;
  if (autorestore_engine_create (&opts, &engine) != AUTORESTORE_OK)
    {
      printf ("  FAIL engine: %s\n", autorestore_last_error ());
      return 1;
    }
  memset (&a, 0, sizeof a);
  a.degradation_count = autorestore_engine_degradation_count (engine);
  a.scores[0] = 0.3f; /* noise, below the detection threshold */
  a.scores[1] = 0.1f;
  a.amount = 0.0f;
  expect ("amount 0", ar_analysis_verdict (engine, &a), "Nothing to repair found", TRUE);
  a.scores[0] = 0.9f;
  a.amount = 1.0f;
  expect ("amount 1", ar_analysis_verdict (engine, &a), "Mostly: noise.", TRUE);
  expect ("amount 1", ar_analysis_verdict (engine, &a), "Nothing to repair", FALSE);
  a.scores[0] = 0.6f;
  a.amount = 0.4f;
  expect ("amount 0.4", ar_analysis_verdict (engine, &a), "repaired at 40 %", TRUE);
  autorestore_engine_destroy (engine);
  printf ("verdict: %s\n", failed ? "FAILED" : "ok");
  return failed ? 1 : 0;
}
