/* Where the dialog's first preview of a 512x512 view goes, on 2 ONNX Runtime threads (CPU),
 * against the real library and model (make bench-gimp-preview). Each round opens a fresh
 * engine per variant, as a dialog does, analyses the 1000x760 image and times the first
 * preview request (the session's first restore: "cold") and a second one with another
 * strength ("warm"). The variants run interleaved, in a rotating order, so a shared machine's
 * load falls on all of them alike; the ratios to the exact-only preview are printed with the
 * load average.
 *
 *   exact      only the exact preview (the view and the model's receptive field of context)
 *   quick      the quick half-resolution view first, then the exact one (the plug-in's way)
 *   warm-up    a 64x64 restore as soon as the engine is open, then only the exact preview
 *   warm+quick that warm-up, then the quick view and the exact one
 *   tile 512   only the exact preview, with 512 px tiles (the read then spans 2x2 tiles)
 */
#include <stdlib.h>

#include "preview-fixture.h"

enum { EXACT, QUICK, WARMUP, WARMUP_QUICK, TILE512, N_VARIANTS };
static const gchar *names[N_VARIANTS] = { "exact", "quick", "warm-up", "warm+quick",
                                          "tile 512" };

/* Per variant and round: engine, analysis, warm-up, then first pixels and exact (cold and
 * warm), all in ms. */
enum { T_ENGINE, T_ANALYSIS, T_WARMUP, T_FIRST, T_EXACT, T_FIRST_WARM, T_EXACT_WARM, N_T };

static gdouble
ms_since (gint64 t0)
{
  return (g_get_monotonic_time () - t0) / 1000.0;
}

static int
cmp_double (const void *a, const void *b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return (x > y) - (x < y);
}

static gdouble
median (gdouble *v, gint n)
{
  qsort (v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
print_load (const gchar *when)
{
  gchar *text = NULL;

  if (g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    printf ("load average %s: %.*s\n", when, 14, text);
  g_free (text);
}

/* One variant: returns FALSE (with a message) when the library failed. */
static gboolean
run_variant (Fixture *f, gint variant, gdouble *t)
{
  AutorestoreEngineOptions opts;
  AutorestoreEngine       *engine = NULL;
  AutorestoreAnalysis      analysis;
  ArRect                   region = { 0, 0, W, H };
  ArRect                   view   = { 232, 120, 512, 512 };
  ArParams                 params;
  ArPreview               *preview;
  GError                  *error = NULL;
  gint64                   t0;

  autorestore_engine_options_init (&opts);
  opts.device    = AUTORESTORE_DEVICE_CPU;
  opts.threads   = 2;
  opts.tile_size = variant == TILE512 ? 512 : 0;
  t0 = g_get_monotonic_time ();
  if (autorestore_engine_create (&opts, &engine) != AUTORESTORE_OK)
    {
      printf ("engine: %s\n", autorestore_last_error ());
      return FALSE;
    }
  t[T_ENGINE] = ms_since (t0);
  t0 = g_get_monotonic_time ();
  if (! ar_analyze (engine, &f->whole, &analysis, NULL, NULL, &error))
    {
      printf ("analysis: %s\n", error->message);
      return FALSE;
    }
  t[T_ANALYSIS] = ms_since (t0);
  t[T_WARMUP] = 0;
  ar_params_init (&params);
  ar_params_set (&params, "denoise", 1.0, 0, "cpu", NULL);
  if (variant == WARMUP || variant == WARMUP_QUICK)
    {
      ArFloatImage tiny;
      ArRect       corner = { 0, 0, 64, 64 };

      read_region (f, &corner, &tiny, NULL);
      t0 = g_get_monotonic_time ();
      ar_restore (engine, &tiny, &params, &analysis, NULL, NULL, NULL);
      t[T_WARMUP] = ms_since (t0);
      ar_float_image_free (&tiny);
    }

  preview = ar_preview_new (engine, &analysis, &region, read_region, f, show, f);
  ar_preview_set_quick (preview, variant == QUICK || variant == WARMUP_QUICK);
  for (gint pass = 0; pass < 2; pass++)
    {
      params.strength = pass == 0 ? 1.0 : 0.9;   /* another setting: a new restore */
      fixture_start (f);
      if (! ar_preview_request (preview, &params, &view, &error))
        {
          printf ("preview: %s\n", error->message);
          return FALSE;
        }
      g_main_loop_run (f->loop);
      if (f->last.data == NULL)
        return FALSE;
      t[pass == 0 ? T_FIRST : T_FIRST_WARM] = f->first_us / 1000.0;
      t[pass == 0 ? T_EXACT : T_EXACT_WARM] = f->exact_us / 1000.0;
    }
  ar_preview_free (preview);
  autorestore_engine_destroy (engine);
  return TRUE;
}

int
main (int argc, char **argv)
{
  gint     rounds = argc > 1 ? atoi (argv[1]) : 3;
  Fixture  f;
  gdouble  (*t)[N_VARIANTS][N_T];
  gdouble  med[N_VARIANTS][N_T];

  if (rounds < 1)
    rounds = 1;
  memset (&f, 0, sizeof f);
  f.loop = g_main_loop_new (NULL, FALSE);
  make_image (&f.whole);
  t = g_malloc0 (sizeof *t * rounds);

  print_load ("before");
  for (gint r = 0; r < rounds; r++)
    for (gint i = 0; i < N_VARIANTS; i++)
      {
        gint v = (i + r) % N_VARIANTS;   /* rotating order */

        if (! run_variant (&f, v, t[r][v]))
          return 1;
        printf ("round %d %-10s first pixels %6.0f ms, exact %6.0f ms (cold); "
                "%6.0f / %6.0f ms (warm)\n", r + 1, names[v], t[r][v][T_FIRST],
                t[r][v][T_EXACT], t[r][v][T_FIRST_WARM], t[r][v][T_EXACT_WARM]);
      }
  print_load ("after");

  for (gint v = 0; v < N_VARIANTS; v++)
    for (gint k = 0; k < N_T; k++)
      {
        gdouble col[rounds];

        for (gint r = 0; r < rounds; r++)
          col[r] = t[r][v][k];
        med[v][k] = median (col, rounds);
      }
  printf ("\nmedians of %d rounds (ms; ratio to the exact-only preview, cold)\n", rounds);
  printf ("%-10s %7s %9s %8s %14s %14s %11s %11s\n", "variant", "engine", "analysis", "warm-up",
          "first pixels", "exact", "first warm", "exact warm");
  for (gint v = 0; v < N_VARIANTS; v++)
    printf ("%-10s %7.0f %9.0f %8.0f %7.0f (%.2f) %7.0f (%.2f) %11.0f %11.0f\n", names[v],
            med[v][T_ENGINE], med[v][T_ANALYSIS], med[v][T_WARMUP],
            med[v][T_FIRST], med[v][T_FIRST] / med[EXACT][T_EXACT],
            med[v][T_EXACT], med[v][T_EXACT] / med[EXACT][T_EXACT],
            med[v][T_FIRST_WARM], med[v][T_EXACT_WARM]);
  g_free (t);
  ar_float_image_free (&f.whole);
  ar_float_image_free (&f.last);
  ar_float_image_free (&f.last_quick);
  g_main_loop_unref (f.loop);
  return 0;
}
