/* The dialogs' live preview (ArPreview, src/common/ar_preview.c) against the real library and
 * model, without GIMP (the host's read is an in-memory image here). Run by `make test-gimp`:
 *   - a 512x512 view first shows a quick view (half resolution, close to the exact one),
 *     then the exact preview, which equals the same part of the whole region's restore
 *     (what the preview shows is what OK gives), in Automatic and in a named repair with 2
 *     sampler steps (the sampler's noise is keyed on the region's coordinates), both with the
 *     dialog's one analysis; prints the latency to the first pixels and to the exact preview
 *     on 2 ONNX Runtime threads (the dialog's analysis is done before, as in the dialog);
 *   - the same request again (Preview switched back on, the early request at the dialog's
 *     first layout followed by GimpPreview's own) is answered from the last result: no read,
 *     no restore, the same pixels (and ar_preview_restoring, the status line's "restoring",
 *     says so);
 *   - a newer request cancels an older one: only the newest view is shown (quick or exact).
 * make bench-gimp-preview compares the variants of the first preview (preview-bench.c). */
#include "preview-fixture.h"

static int failed = 0;

static void
check (const gchar *what, gboolean ok)
{
  printf ("  %s   %s\n", ok ? "ok" : "FAIL", what);
  if (! ok)
    failed++;
}

/* max |preview - crop of the whole restore| over the view */
static gdouble
max_diff (const ArFloatImage *restored, const ArFloatImage *view_pixels, const ArRect *view)
{
  gdouble d = 0;

  for (gint y = 0; y < view->height; y++)
    for (gint x = 0; x < view->width * (gint) restored->channels; x++)
      {
        gfloat a = restored->data[(gsize) (view->y + y) * W * restored->channels +
                                  (gsize) view->x * restored->channels + x];
        gfloat b = view_pixels->data[(gsize) y * view->width * restored->channels + x];

        d = MAX (d, fabs ((gdouble) a - b));
      }
  return d;
}

/* mean |quick - exact| over the view */
static gdouble
mean_diff (const ArFloatImage *a, const ArFloatImage *b)
{
  gsize   n = (gsize) a->width * a->height * a->channels;
  gdouble d = 0;

  for (gsize i = 0; i < n; i++)
    d += fabs ((gdouble) a->data[i] - b->data[i]);
  return d / n;
}

int
main (void)
{
  AutorestoreEngineOptions opts;
  AutorestoreEngine       *engine = NULL;
  AutorestoreAnalysis      analysis;
  Fixture                  f;
  ArRect                   region = { 0, 0, W, H };
  ArRect                   view   = { 232, 120, 512, 512 };
  const gchar             *modes[] = { "auto", "dehaze" };
  const gint32             steps[] = { 0, 2 };
  GError                  *error = NULL;

  memset (&f, 0, sizeof f);
  f.loop = g_main_loop_new (NULL, FALSE);
  make_image (&f.whole);

  autorestore_engine_options_init (&opts);
  opts.device  = AUTORESTORE_DEVICE_CPU;
  opts.threads = 2;
  if (autorestore_engine_create (&opts, &engine) != AUTORESTORE_OK)
    {
      printf ("  FAIL engine: %s\n", autorestore_last_error ());
      return 1;
    }
  if (! ar_analyze (engine, &f.whole, &analysis, NULL, NULL, &error))
    {
      printf ("  FAIL analysis: %s\n", error->message);
      return 1;
    }
  printf ("  analysis amount %.2f\n", analysis.amount);

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      ArParams      params;
      ArFloatImage  restored;
      ArPreview    *preview;
      gdouble       exact_diff, quick_diff, input_diff;
      ArFloatImage  input = { 0 };
      gchar        *what;

      ar_params_init (&params);
      ar_params_set (&params, modes[m], 1.0, steps[m], "cpu", NULL);
      ar_float_image_alloc (&restored, W, H, 3, NULL);
      memcpy (restored.data, f.whole.data, (gsize) W * H * 3 * sizeof (gfloat));
      if (! ar_restore (engine, &restored, &params, &analysis, NULL, NULL, &error))
        {
          printf ("  FAIL restore: %s\n", error->message);
          return 1;
        }

      preview = ar_preview_new (engine, &analysis, &region, read_region, &f, show, &f);
      fixture_start (&f);
      check ("preview request accepted, restoring", ar_preview_request (preview, &params, &view,
                                                                      &error) &&
                                                   ar_preview_restoring (preview));
      g_main_loop_run (f.loop);
      check ("not restoring once the exact preview is shown", ! ar_preview_restoring (preview));
      exact_diff = f.last.data ? max_diff (&restored, &f.last, &view) : -1.0;
      quick_diff = f.last.data && f.last_quick.data ? mean_diff (&f.last_quick, &f.last) : -1.0;
      /* The quick view shows the restoration of this view: nearer the exact preview than the
       * unrestored view is (a misplaced or unrestored quick view is not). */
      ar_float_image_alloc (&input, view.width, view.height, 3, NULL);
      ar_float_image_crop (&f.whole, &region, &input, &view);
      input_diff = f.last.data ? mean_diff (&input, &f.last) : -1.0;
      ar_float_image_free (&input);
      what = g_strdup_printf ("%s, %d step(s): a quick view first (mean diff to the exact one "
                              "%.3f < 0.75 x the unrestored view's %.3f) in %.0f ms, then the "
                              "exact one in %.0f ms on 2 threads", modes[m], MAX (steps[m], 1),
                              quick_diff, input_diff, f.first_us / 1000.0, f.exact_us / 1000.0);
      check (what, f.quick == 1 && f.quick_before_exact && quick_diff >= 0 &&
                   quick_diff < 0.75 * input_diff);
      g_free (what);
      what = g_strdup_printf ("%s: the exact 512x512 preview equals the whole restore there "
                              "(max diff %.2g <= 1e-3)", modes[m], exact_diff);
      check (what, f.shown == 1 && exact_diff >= 0 && exact_diff <= 1e-3);
      g_free (what);

      if (m == 0)
        {
          /* The same view and settings again: the last result, no read and no restore. */
          ArFloatImage first;
          gboolean     same;

          ar_float_image_alloc (&first, view.width, view.height, 3, NULL);
          memcpy (first.data, f.last.data, (gsize) view.width * view.height * 3 * sizeof (gfloat));
          f.reads = 0;
          fixture_start (&f);
          ar_preview_request (preview, &params, &view, NULL);
          ar_preview_request (preview, &params, &view, NULL);   /* already coming: nothing */
          check ("the last result again is no restore", ! ar_preview_restoring (preview));
          g_main_loop_run (f.loop);
          g_timeout_add (100, quit_loop, f.loop);
          g_main_loop_run (f.loop);
          same = f.last.data && memcmp (first.data, f.last.data,
                                        (gsize) view.width * view.height * 3 * sizeof (gfloat)) == 0;
          what = g_strdup_printf ("the same request again is the last result (no read, same "
                                  "pixels, shown once, no quick view) in %.0f ms",
                                  f.exact_us / 1000.0);
          check (what, f.reads == 0 && f.shown == 1 && f.quick == 0 && same);
          g_free (what);
          ar_float_image_free (&first);

          /* Another strength: a new restore (a read), not the last result. */
          params.strength = 0.5;
          f.reads = 0;
          fixture_start (&f);
          ar_preview_request (preview, &params, &view, NULL);
          g_main_loop_run (f.loop);
          check ("another strength restores again (quick view, then exact)",
                 f.reads == 1 && f.quick == 1 && f.shown == 1);
          params.strength = 1.0;

          /* Newer cancels older: two requests back to back; only the second is shown. */
          {
            ArRect older = { 0, 0, 512, 512 };
            ArRect seen  = { -1, -1, 0, 0 };

            fixture_start (&f);
            ar_preview_request (preview, &params, &older, NULL);
            ar_preview_request (preview, &params, &view, NULL);
            g_main_loop_run (f.loop);
            seen = f.last_view;
            /* give a late (wrongly shown) first result time to arrive */
            g_timeout_add (300, quit_loop, f.loop);
            g_main_loop_run (f.loop);
            check ("a newer request cancels the older one: only the newest view is shown",
                   f.shown == 1 && f.quick <= 1 && seen.x == view.x && seen.y == view.y &&
                   f.last_view.x == view.x && f.last_view.y == view.y);
          }
        }
      ar_preview_free (preview);
      ar_float_image_free (&restored);
    }

  ar_float_image_free (&f.last);
  ar_float_image_free (&f.last_quick);
  ar_float_image_free (&f.whole);
  g_main_loop_unref (f.loop);
  autorestore_engine_destroy (engine);
  printf ("preview: %s\n", failed ? "FAILED" : "ok");
  return failed ? 1 : 0;
}
