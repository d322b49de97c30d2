/* imgcheck: small image tool for the GIMP plug-in tests (GEGL only, so 16-bit PNGs work and CI
 * needs neither Python nor PyTorch).
 *
 *   imgcheck make W H CLEAN.png DEGRADED.png DEGRADED_RGBA16.png
 *       synthetic clean photo-like pattern, the same with Gaussian noise (8-bit RGB), and a
 *       16-bit RGBA copy of the noisy one with an alpha gradient (alpha >= 0.25)
 *   imgcheck info FILE            prints "W H CHANNELS BITS"
 *   imgcheck psnr A B             prints the PSNR of the colour channels in dB
 *   imgcheck same A B             exit 0 if the pixels are identical (native sample values)
 *   imgcheck alpha-same A B       exit 0 if the alpha channels are identical
 *   imgcheck region A B X Y W H   prints "inside=<max diff> outside=<max diff> changed=<count>"
 *                                 where inside is the ellipse inscribed in the rectangle grown
 *                                 by 2 px, outside everything else (colour channels, 0..1)
 *   imgcheck xwd IN.xwd OUT.png [X Y W H]
 *                                 an X window dump (xwd -root: ZPixmap, TrueColor, 24/32 bits
 *                                 per pixel) as an 8-bit RGB PNG, or the part X Y W H of it:
 *                                 screenshots for review, and screen regions to compare
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gegl.h>

typedef struct
{
  GeglBuffer  *buffer;
  const Babl  *format;   /* as loaded */
  int          width, height, channels, has_alpha, bits;
} Image;

static int
load (const char *path, Image *im)
{
  GeglNode      *graph = gegl_node_new ();
  GeglNode      *load, *sink;
  GeglBuffer    *buffer = NULL;
  const GeglRectangle *extent;
  const Babl    *type;

  memset (im, 0, sizeof *im);
  load = gegl_node_new_child (graph, "operation", "gegl:load", "path", path, NULL);
  sink = gegl_node_new_child (graph, "operation", "gegl:buffer-sink", "buffer", &buffer, NULL);
  gegl_node_link (load, sink);
  gegl_node_process (sink);
  g_object_unref (graph);

  if (buffer == NULL)
    {
      fprintf (stderr, "imgcheck: cannot load %s\n", path);
      return 0;
    }
  extent = gegl_buffer_get_extent (buffer);
  if (extent->width <= 0 || extent->height <= 0)
    {
      fprintf (stderr, "imgcheck: %s is empty or unreadable\n", path);
      g_object_unref (buffer);
      return 0;
    }
  im->buffer    = buffer;
  im->format    = gegl_buffer_get_format (buffer);
  im->width     = extent->width;
  im->height    = extent->height;
  im->channels  = babl_format_get_n_components (im->format);
  im->has_alpha = babl_format_has_alpha (im->format);
  type          = babl_format_get_type (im->format, 0);
  im->bits      = babl_format_get_bytes_per_pixel (im->format) * 8 / im->channels;
  (void) type;
  return 1;
}

/* Float RGBA (gray expanded), non-linear values in 0..1. */
static float *
pixels (const Image *im)
{
  float *data = g_new (float, (size_t) im->width * im->height * 4);

  gegl_buffer_get (im->buffer, NULL, 1.0, babl_format ("R'G'B'A float"), data,
                   GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  return data;
}

static int
same_size (const Image *a, const Image *b)
{
  if (a->width != b->width || a->height != b->height)
    {
      fprintf (stderr, "imgcheck: sizes differ: %dx%d vs %dx%d\n",
               a->width, a->height, b->width, b->height);
      return 0;
    }
  return 1;
}

static double
psnr (const Image *a, const Image *b)
{
  float  *pa = pixels (a), *pb = pixels (b);
  size_t  n = (size_t) a->width * a->height, i;
  double  se = 0;

  for (i = 0; i < n; i++)
    for (int k = 0; k < 3; k++)
      {
        double d = (double) pa[i * 4 + k] - pb[i * 4 + k];
        se += d * d;
      }
  g_free (pa);
  g_free (pb);
  se /= n * 3.0;
  return se <= 0 ? 99.0 : 10.0 * log10 (1.0 / se);
}

/* ---- synthetic test images -------------------------------------------------------------- */

static guint64 rng_state = 0x9e3779b97f4a7c15ull;

static double
uniform (void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return ((rng_state >> 11) + 0.5) / 9007199254740992.0;
}

static double
gaussian (void)
{
  return sqrt (-2.0 * log (uniform ())) * cos (2.0 * G_PI * uniform ());
}

static void
save (float *rgba, int w, int h, const char *format, int bitdepth, const char *path)
{
  GeglRectangle rect = { 0, 0, w, h };
  GeglBuffer   *buffer = gegl_buffer_new (&rect, babl_format (format));
  GeglNode     *graph = gegl_node_new ();
  GeglNode     *src, *save;

  gegl_buffer_set (buffer, &rect, 0, babl_format ("R'G'B'A float"), rgba, GEGL_AUTO_ROWSTRIDE);
  src  = gegl_node_new_child (graph, "operation", "gegl:buffer-source", "buffer", buffer, NULL);
  save = gegl_node_new_child (graph, "operation", "gegl:png-save", "path", path,
                              "bitdepth", bitdepth, NULL);
  gegl_node_link (src, save);
  gegl_node_process (save);
  g_object_unref (graph);
  g_object_unref (buffer);
}

static int
make (int w, int h, const char *clean_path, const char *degraded_path, const char *rgba16_path)
{
  float *clean = g_new (float, (size_t) w * h * 4);
  float *noisy = g_new (float, (size_t) w * h * 4);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        double u = (double) x / w, v = (double) y / h;
        double r = hypot (u - 0.6, v - 0.4);
        double base[3] = {
          0.25 + 0.5 * u + 0.1 * sin (9 * v),
          0.3 + 0.35 * v + 0.1 * cos (7 * u + 3 * v),
          0.55 - 0.3 * u * v,
        };
        float *c = clean + ((size_t) y * w + x) * 4;

        for (int k = 0; k < 3; k++)
          {
            double val = base[k];
            if (r < 0.22)
              val = 0.85 - 0.2 * k + 0.05 * sin (20 * r);     /* a disc with a soft ring */
            if ((x / 24 + y / 24) % 7 == 0)
              val *= 0.6;                                    /* a few darker squares */
            c[k] = (float) CLAMP (val, 0.0, 1.0);
          }
        c[3] = 1.0f;
      }

  for (size_t i = 0; i < (size_t) w * h; i++)
    {
      for (int k = 0; k < 3; k++)
        noisy[i * 4 + k] = (float) CLAMP (clean[i * 4 + k] + 0.08 * gaussian (), 0.0, 1.0);
      noisy[i * 4 + 3] = 1.0f;
    }

  save (clean, w, h, "R'G'B' u8", 8, clean_path);
  save (noisy, w, h, "R'G'B' u8", 8, degraded_path);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      noisy[((size_t) y * w + x) * 4 + 3] = (float) (0.25 + 0.75 * x / (w - 1));
  save (noisy, w, h, "R'G'B'A u16", 16, rgba16_path);

  g_free (clean);
  g_free (noisy);
  return 0;
}

/* ---- xwd ------------------------------------------------------------------------------------ */

static guint32
be32 (const guchar *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* The colour of `mask` in a pixel value, as 0..255. */
static guchar
channel (guint32 v, guint32 mask)
{
  int shift = 0;

  if (mask == 0)
    return 0;
  while (! (mask & 1))
    {
      mask >>= 1;
      shift++;
    }
  return (guchar) (((v >> shift) & mask) * 255 / mask);
}

static int
xwd_to_png (const char *in, const char *out, int cx, int cy, int cw, int ch)
{
  gchar   *data;
  gsize    len;
  guint32  header_size, format, width, height, byte_order, bpp, stride, ncolors;
  guint32  rmask, gmask, bmask;
  guchar  *rgb;
  const guchar *pix;

  if (! g_file_get_contents (in, &data, &len, NULL) || len < 100)
    {
      fprintf (stderr, "imgcheck: cannot read %s\n", in);
      return 2;
    }
  header_size = be32 ((guchar *) data);
  format      = be32 ((guchar *) data + 8);
  width       = be32 ((guchar *) data + 16);
  height      = be32 ((guchar *) data + 20);
  byte_order  = be32 ((guchar *) data + 28);
  bpp         = be32 ((guchar *) data + 44);
  stride      = be32 ((guchar *) data + 48);
  rmask       = be32 ((guchar *) data + 56);
  gmask       = be32 ((guchar *) data + 60);
  bmask       = be32 ((guchar *) data + 64);
  ncolors     = be32 ((guchar *) data + 76);
  if (format != 2 || (bpp != 32 && bpp != 24) ||
      (gsize) header_size + ncolors * 12 + (gsize) stride * height > len)
    {
      fprintf (stderr, "imgcheck: %s: not a 24/32-bit ZPixmap dump\n", in);
      g_free (data);
      return 2;
    }
  if (cw <= 0)
    {
      cx = cy = 0;
      cw = width;
      ch = height;
    }
  if (cx < 0 || cy < 0 || cx + cw > (int) width || cy + ch > (int) height)
    {
      fprintf (stderr, "imgcheck: crop %d %d %d %d outside %ux%u\n", cx, cy, cw, ch, width, height);
      g_free (data);
      return 2;
    }
  pix = (guchar *) data + header_size + ncolors * 12;
  rgb = g_new (guchar, (gsize) cw * ch * 3);
  for (int y = 0; y < ch; y++)
    for (int x = 0; x < cw; x++)
      {
        const guchar *p = pix + (gsize) (cy + y) * stride + (gsize) (cx + x) * (bpp / 8);
        guint32 v = 0;

        for (guint k = 0; k < bpp / 8; k++)   /* byte_order 0: LSB first */
          v |= (guint32) p[k] << (8 * (byte_order == 0 ? k : bpp / 8 - 1 - k));
        rgb[((gsize) y * cw + x) * 3 + 0] = channel (v, rmask);
        rgb[((gsize) y * cw + x) * 3 + 1] = channel (v, gmask);
        rgb[((gsize) y * cw + x) * 3 + 2] = channel (v, bmask);
      }
  {
    GeglRectangle r = { 0, 0, cw, ch };
    GeglBuffer   *buffer = gegl_buffer_new (&r, babl_format ("R'G'B' u8"));
    GeglNode     *graph = gegl_node_new ();
    GeglNode     *src, *save;

    gegl_buffer_set (buffer, &r, 0, babl_format ("R'G'B' u8"), rgb, GEGL_AUTO_ROWSTRIDE);
    src  = gegl_node_new_child (graph, "operation", "gegl:buffer-source", "buffer", buffer, NULL);
    save = gegl_node_new_child (graph, "operation", "gegl:png-save", "path", out, "bitdepth", 8, NULL);
    gegl_node_link (src, save);
    gegl_node_process (save);
    g_object_unref (graph);
    g_object_unref (buffer);
  }
  g_free (rgb);
  g_free (data);
  return 0;
}

/* ---- main --------------------------------------------------------------------------------- */

int
main (int argc, char **argv)
{
  Image a, b;
  int   rc = 0;

  gegl_init (&argc, &argv);

  if (argc == 7 && strcmp (argv[1], "make") == 0)
    return make (atoi (argv[2]), atoi (argv[3]), argv[4], argv[5], argv[6]);

  if ((argc == 4 || argc == 8) && strcmp (argv[1], "xwd") == 0)
    return argc == 8 ? xwd_to_png (argv[2], argv[3], atoi (argv[4]), atoi (argv[5]),
                                   atoi (argv[6]), atoi (argv[7]))
                     : xwd_to_png (argv[2], argv[3], 0, 0, 0, 0);

  if (argc == 3 && strcmp (argv[1], "info") == 0)
    {
      if (! load (argv[2], &a))
        return 2;
      printf ("%d %d %d %d\n", a.width, a.height, a.channels, a.bits);
      return 0;
    }

  if (argc < 4 || ! load (argv[2], &a) || ! load (argv[3], &b))
    {
      fprintf (stderr, "usage: see the comment at the top of imgcheck.c\n");
      return 2;
    }
  if (! same_size (&a, &b))
    return 1;

  if (strcmp (argv[1], "psnr") == 0)
    {
      printf ("%.3f\n", psnr (&a, &b));
    }
  else if (strcmp (argv[1], "same") == 0 || strcmp (argv[1], "alpha-same") == 0)
    {
      int          alpha_only = strcmp (argv[1], "alpha-same") == 0;
      const Babl  *fmt = a.format;
      size_t       bpp, n = (size_t) a.width * a.height;
      guchar      *pa, *pb;

      if (alpha_only)
        {
          if (! a.has_alpha || ! b.has_alpha)
            {
              fprintf (stderr, "imgcheck: alpha-same: an image has no alpha\n");
              return 1;
            }
          /* Alpha is the 4th component; compared at the file's own depth. */
          fmt = babl_format (a.bits <= 8 ? "RGBA u8" : a.bits <= 16 ? "RGBA u16" : "RGBA float");
        }
      else if (a.format != b.format)
        {
          fprintf (stderr, "imgcheck: formats differ: %s vs %s\n",
                   babl_get_name (a.format), babl_get_name (b.format));
          return 1;
        }
      bpp = babl_format_get_bytes_per_pixel (fmt);
      pa = g_malloc (n * bpp);
      pb = g_malloc (n * bpp);
      gegl_buffer_get (a.buffer, NULL, 1.0, fmt, pa, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
      gegl_buffer_get (b.buffer, NULL, 1.0, fmt, pb, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
      if (alpha_only)
        {
          /* Blank the colour components: only alpha is compared. */
          size_t cs = bpp / 4;
          for (size_t i = 0; i < n; i++)
            {
              memset (pa + i * bpp, 0, 3 * cs);
              memset (pb + i * bpp, 0, 3 * cs);
            }
        }
      if (memcmp (pa, pb, n * bpp) != 0)
        {
          size_t diff = 0;
          for (size_t i = 0; i < n * bpp; i++)
            diff += pa[i] != pb[i];
          fprintf (stderr, "imgcheck: %s: %zu bytes differ\n", argv[1], diff);
          rc = 1;
        }
      g_free (pa);
      g_free (pb);
    }
  else if (strcmp (argv[1], "region") == 0 && argc == 8)
    {
      double rx = atof (argv[4]), ry = atof (argv[5]), rw = atof (argv[6]), rh = atof (argv[7]);
      double cx = rx + rw / 2, cy = ry + rh / 2, ax = rw / 2 + 2, ay = rh / 2 + 2;
      float *pa = pixels (&a), *pb = pixels (&b);
      double inside = 0, outside = 0;
      size_t changed = 0;

      for (int y = 0; y < a.height; y++)
        for (int x = 0; x < a.width; x++)
          {
            double dx = (x + 0.5 - cx) / ax, dy = (y + 0.5 - cy) / ay;
            int    in = dx * dx + dy * dy <= 1.0;
            for (int k = 0; k < 3; k++)
              {
                size_t i = ((size_t) y * a.width + x) * 4 + k;
                double d = fabs ((double) pa[i] - pb[i]);
                if (in)
                  inside = MAX (inside, d);
                else
                  outside = MAX (outside, d);
                changed += d > 0;
              }
          }
      printf ("inside=%g outside=%g changed=%zu\n", inside, outside, changed);
      g_free (pa);
      g_free (pb);
    }
  else
    {
      fprintf (stderr, "imgcheck: unknown command %s\n", argv[1]);
      rc = 2;
    }

  g_object_unref (a.buffer);
  g_object_unref (b.buffer);
  gegl_exit ();
  return rc;
}
