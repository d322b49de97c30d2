/* Half-resolution copies for the preview's quick first view (ar_preview.c): a 2x2 box
 * downscale before the restore and a bilinear upscale of the restored copy back to the view.
 * Only for display: the exact preview that follows is restored at full resolution. */
#include <math.h>

#include "ar_common.h"

gboolean
ar_float_image_half (const ArFloatImage *src,
                     ArFloatImage       *half,
                     GError            **error)
{
  guint w = (src->width + 1) / 2;
  guint h = (src->height + 1) / 2;
  guint c = src->channels;

  if (! ar_float_image_alloc (half, w, h, c, error))
    return FALSE;
  for (guint y = 0; y < h; y++)
    {
      /* an odd last row or column averages with itself */
      guint y0 = 2 * y, y1 = MIN (2 * y + 1, src->height - 1);

      for (guint x = 0; x < w; x++)
        {
          guint x0 = 2 * x, x1 = MIN (2 * x + 1, src->width - 1);

          for (guint k = 0; k < c; k++)
            {
              const gfloat *d = src->data;
              gfloat        v = d[((gsize) y0 * src->width + x0) * c + k] +
                                d[((gsize) y0 * src->width + x1) * c + k] +
                                d[((gsize) y1 * src->width + x0) * c + k] +
                                d[((gsize) y1 * src->width + x1) * c + k];

              half->data[((gsize) y * w + x) * c + k] = 0.25f * v;
            }
        }
    }
  return TRUE;
}

void
ar_float_image_double_crop (const ArFloatImage *half,
                            const ArRect       *src_rect,
                            ArFloatImage       *dest,
                            const ArRect       *dest_rect)
{
  guint c = half->channels;

  for (gint y = 0; y < dest_rect->height; y++)
    {
      /* centre of the full-resolution pixel in half-resolution coordinates */
      gfloat fy = (dest_rect->y - src_rect->y + y + 0.5f) / 2.0f - 0.5f;
      gint   y0 = CLAMP ((gint) floorf (fy), 0, (gint) half->height - 1);
      gint   y1 = MIN (y0 + 1, (gint) half->height - 1);
      gfloat wy = CLAMP (fy - y0, 0.0f, 1.0f);

      for (gint x = 0; x < dest_rect->width; x++)
        {
          gfloat fx = (dest_rect->x - src_rect->x + x + 0.5f) / 2.0f - 0.5f;
          gint   x0 = CLAMP ((gint) floorf (fx), 0, (gint) half->width - 1);
          gint   x1 = MIN (x0 + 1, (gint) half->width - 1);
          gfloat wx = CLAMP (fx - x0, 0.0f, 1.0f);

          for (guint k = 0; k < c; k++)
            {
              const gfloat *d   = half->data;
              gfloat        top = d[((gsize) y0 * half->width + x0) * c + k] * (1 - wx) +
                                  d[((gsize) y0 * half->width + x1) * c + k] * wx;
              gfloat        bot = d[((gsize) y1 * half->width + x0) * c + k] * (1 - wx) +
                                  d[((gsize) y1 * half->width + x1) * c + k] * wx;

              dest->data[((gsize) y * dest_rect->width + x) * c + k] = top * (1 - wy) + bot * wy;
            }
        }
    }
}
