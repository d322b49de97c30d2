/* The dialogs' live preview (ArPreview, src/common/ar_preview.c) against the real library and
 * model, without GIMP (the host's read is an in-memory image here). Run by `make test-gimp`:
 *   - a 512x512 view restored by the preview equals the same part of the whole region's
 *     restore (what the preview shows is what OK gives), in Automatic and in a named repair,
 *     both with the dialog's one analysis; prints the latency to that first preview on 2
 *     ONNX Runtime threads (the dialog's analysis is done before, as in the dialog);
 *   - the same request again (Preview switched back on, the early request at the dialog's
 *     first layout followed by GimpPreview's own) is answered from the last result: no read,
 *     no restore, the same pixels;
 *   - a newer request cancels an older one: only the newest view is shown. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ar_common.h"

#define W 1000
#define H 760

static int failed = 0;

typedef struct
{
  ArFloatImage  whole;      /* the drawable */
  GMainLoop    *loop;
  gint          shown;
  gint          reads;
  ArRect        last_view;
  ArFloatImage  last;       /* copy of the last shown pixels */
} Fixture;

static gboolean
read_region (gpointer host, const ArRect *rect, ArFloatImage *image, GError **error)
{
  Fixture *f    = host;
  ArRect   full = { 0, 0, W, H };

  f->reads++;
  if (! ar_float_image_alloc (image, rect->width, rect->height, f->whole.channels, error))
    return FALSE;
  ar_float_image_crop (&f->whole, &full, image, rect);
  return TRUE;
}

static void
show (const ArRect *view, const ArFloatImage *image, const GError *error, gpointer data)
{
  Fixture *f = data;

  f->shown++;
  f->last_view = *view;
  ar_float_image_free (&f->last);
  if (image)
    {
      ar_float_image_alloc (&f->last, image->width, image->height, image->channels, NULL);
      memcpy (f->last.data, image->data,
              (gsize) image->width * image->height * image->channels * sizeof (gfloat));
    }
  else
    printf ("  (preview error: %s)\n", error->message);
  g_main_loop_quit (f->loop);
}

static gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

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

/* A photo-like test image: smooth shapes, edges and noise (fixed seed). */
static void
make_image (ArFloatImage *im)
{
  guint32 s = 12345;

  ar_float_image_alloc (im, W, H, 3, NULL);
  for (gint y = 0; y < H; y++)
    for (gint x = 0; x < W; x++)
      for (gint c = 0; c < 3; c++)
        {
          gdouble v = 0.5 + 0.3 * sin (x * 0.02 + c) * cos (y * 0.015) +
                      (((x / 40 + y / 40) % 2) ? 0.1 : -0.1);

          s = s * 1664525u + 1013904223u;
          v += ((s >> 8) / 16777216.0 - 0.5) * 0.25;
          im->data[((gsize) y * W + x) * 3 + c] = CLAMP (v, 0.0, 1.0);
        }
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
      gint64        t0;
      gdouble       ms;
      gchar        *what;

      ar_params_init (&params);
      ar_params_set (&params, modes[m], 1.0, 0, "cpu", NULL);
      /* strength 1 in Automatic with an amount of 0 would be the input: force a repair */
      ar_float_image_alloc (&restored, W, H, 3, NULL);
      memcpy (restored.data, f.whole.data, (gsize) W * H * 3 * sizeof (gfloat));
      if (! ar_restore (engine, &restored, &params, &analysis, NULL, NULL, &error))
        {
          printf ("  FAIL restore: %s\n", error->message);
          return 1;
        }

      preview = ar_preview_new (engine, &analysis, &region, read_region, &f, show, &f);
      f.shown = 0;
      t0 = g_get_monotonic_time ();
      check ("preview request accepted", ar_preview_request (preview, &params, &view, &error));
      g_main_loop_run (f.loop);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      what = g_strdup_printf ("%s: the 512x512 preview equals the whole restore there "
                              "(max diff %.2g <= 1e-3); first preview in %.0f ms on 2 threads",
                              modes[m], f.last.data ? max_diff (&restored, &f.last, &view) : -1.0,
                              ms);
      check (what, f.shown == 1 && f.last.data && max_diff (&restored, &f.last, &view) <= 1e-3);
      g_free (what);

      if (m == 0)
        {
          /* The same view and settings again: the last result, no read and no restore. */
          ArFloatImage first;
          gboolean     same;

          ar_float_image_alloc (&first, view.width, view.height, 3, NULL);
          memcpy (first.data, f.last.data, (gsize) view.width * view.height * 3 * sizeof (gfloat));
          f.reads = 0;
          f.shown = 0;
          t0 = g_get_monotonic_time ();
          ar_preview_request (preview, &params, &view, NULL);
          ar_preview_request (preview, &params, &view, NULL);   /* already coming: nothing */
          g_main_loop_run (f.loop);
          ms = (g_get_monotonic_time () - t0) / 1000.0;
          g_timeout_add (100, quit_loop, f.loop);
          g_main_loop_run (f.loop);
          same = f.last.data && memcmp (first.data, f.last.data,
                                        (gsize) view.width * view.height * 3 * sizeof (gfloat)) == 0;
          what = g_strdup_printf ("the same request again is the last result (no read, same "
                                  "pixels, shown once) in %.0f ms", ms);
          check (what, f.reads == 0 && f.shown == 1 && same);
          g_free (what);
          ar_float_image_free (&first);

          /* Another strength: a new restore (a read), not the last result. */
          params.strength = 0.5;
          f.reads = 0;
          ar_preview_request (preview, &params, &view, NULL);
          g_main_loop_run (f.loop);
          check ("another strength restores again", f.reads == 1 && f.shown == 2);
          params.strength = 1.0;
        }
      if (m == 0)
        {
          /* Newer cancels older: two requests back to back; only the second is shown. */
          ArRect first = { 0, 0, 512, 512 };

          f.shown = 0;
          ar_preview_request (preview, &params, &first, NULL);
          ar_preview_request (preview, &params, &view, NULL);
          g_main_loop_run (f.loop);
          /* give a late (wrongly shown) first result time to arrive */
          g_timeout_add (300, quit_loop, f.loop);
          g_main_loop_run (f.loop);
          check ("a newer request cancels the older one: only the newest view is shown",
                 f.shown == 1 && f.last_view.x == view.x && f.last_view.y == view.y);
        }
      ar_preview_free (preview);
      ar_float_image_free (&restored);
    }

  ar_float_image_free (&f.last);
  ar_float_image_free (&f.whole);
  g_main_loop_unref (f.loop);
  autorestore_engine_destroy (engine);
  printf ("preview: %s\n", failed ? "FAILED" : "ok");
  return failed ? 1 : 0;
}
