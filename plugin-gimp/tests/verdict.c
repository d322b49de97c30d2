/* The dialog texts shared by the GIMP 2.10 and GIMP 3 dialogs (src/common), against the real
 * library and model: the verdict ("Nothing to repair found" when the analysis amount is 0, the
 * most likely damage by its human name otherwise), the human names of every degradation the
 * model reports (the same as the Repair menu's), the steps and device lines. Run by
 * `make test-gimp`. */
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
  expect ("amount 1", ar_analysis_verdict (engine, &a), "Mostly: Noise.", TRUE);
  expect ("amount 1", ar_analysis_verdict (engine, &a), "Nothing to repair", FALSE);
  a.scores[0] = 0.6f;
  a.amount = 0.4f;
  expect ("amount 0.4", ar_analysis_verdict (engine, &a), "repaired at 40 %", TRUE);
  a.scores[0] = 0.1f;
  a.scores[3] = 0.9f;
  a.amount = 1.0f;
  expect ("lowlight by its human name", ar_analysis_verdict (engine, &a), "Mostly: Low light.", TRUE);

  /* Every kind the model reports has a human name, and the Repair menu shows the same one. */
  for (guint i = 0; i < autorestore_engine_degradation_count (engine); i++)
    {
      const gchar *name  = autorestore_engine_degradation_name (engine, i);
      const gchar *label = ar_kind_label (name);
      gboolean     in_menu = FALSE;

      for (gint k = 0; ar_modes[k].name; k++)
        in_menu |= strcmp (ar_modes[k].label, label) == 0;
      expect (name, g_strdup_printf ("%s -> %s%s", name, label, in_menu ? " (Repair menu)" : ""),
              " (Repair menu)", strcmp (label, name) != 0 && in_menu);
    }
  expect ("steps 0", ar_steps_text (0, autorestore_engine_default_steps (engine)),
          "1 (model default)", TRUE);
  expect ("steps 4", ar_steps_text (4, 1), "default", FALSE);
  /* This machine has no CUDA: CPU, in plain words, with a pointer to Help. */
  expect ("device", ar_device_summary (engine), "Running on the CPU.", TRUE);
  autorestore_engine_destroy (engine);
  autorestore_engine_options_init (&opts);
  if (autorestore_engine_create (&opts, &engine) == AUTORESTORE_OK &&
      autorestore_engine_device (engine) == AUTORESTORE_DEVICE_CPU)
    expect ("automatic device fell back", ar_device_summary (engine),
            "Running on the CPU. NVIDIA GPU: not set up, see Help.", TRUE);
  autorestore_engine_destroy (engine);
  printf ("verdict: %s\n", failed ? "FAILED" : "ok");
  return failed ? 1 : 0;
}
