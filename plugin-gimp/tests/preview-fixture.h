/* What the preview test (preview.c) and the preview benchmark (preview-bench.c) share: the
 * drawable (an in-memory photo-like image), the host's read and a show callback that records
 * what was shown and when. */
#ifndef PREVIEW_FIXTURE_H
#define PREVIEW_FIXTURE_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ar_common.h"

#define W 1000
#define H 760

typedef struct
{
  ArFloatImage  whole;      /* the drawable */
  GMainLoop    *loop;
  gint          shown;      /* exact previews and errors shown */
  gint          quick;      /* quick views shown */
  gint          reads;
  gint64        t0;         /* when the request was made (g_get_monotonic_time) */
  gint64        first_us;   /* t0 to the first pixels shown (quick or exact), 0 = none yet */
  gint64        exact_us;   /* t0 to the exact preview */
  gboolean      quick_before_exact;  /* a quick view came before the exact one */
  ArRect        last_view;
  ArFloatImage  last;       /* copy of the last exact pixels shown */
  ArFloatImage  last_quick; /* copy of the last quick view shown */
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
copy_image (ArFloatImage *dest, const ArFloatImage *src)
{
  ar_float_image_free (dest);
  ar_float_image_alloc (dest, src->width, src->height, src->channels, NULL);
  memcpy (dest->data, src->data,
          (gsize) src->width * src->height * src->channels * sizeof (gfloat));
}

/* The main loop ends at the exact preview (or an error); a quick view is recorded. */
static void
show (const ArRect *view, const ArFloatImage *image, gboolean exact, const GError *error,
      gpointer data)
{
  Fixture *f   = data;
  gint64   now = g_get_monotonic_time () - f->t0;

  if (f->first_us == 0)
    f->first_us = now;
  f->last_view = *view;
  if (! exact)
    {
      f->quick++;
      copy_image (&f->last_quick, image);
      return;
    }
  f->shown++;
  f->exact_us = now;
  f->quick_before_exact = f->quick > 0;
  ar_float_image_free (&f->last);
  if (image)
    copy_image (&f->last, image);
  else
    printf ("  (preview error: %s)\n", error->message);
  g_main_loop_quit (f->loop);
}

/* Starts the clock and the counters for a request. */
static void
fixture_start (Fixture *f)
{
  f->shown = f->quick = 0;
  f->first_us = f->exact_us = 0;
  f->quick_before_exact = FALSE;
  f->t0 = g_get_monotonic_time ();
}

static G_GNUC_UNUSED gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
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

#endif /* PREVIEW_FIXTURE_H */
