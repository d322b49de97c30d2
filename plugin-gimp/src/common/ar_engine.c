/* Locating the library's files, opening an engine and running it off the UI thread. */
#include <math.h>
#include <string.h>

#include "ar_common.h"

/* ------------------------------------------------------------------------------------------ */
/* Paths                                                                                       */
/* ------------------------------------------------------------------------------------------ */

static gchar *
own_directory (void)
{
  gchar *exe = g_file_read_link ("/proc/self/exe", NULL);
  gchar *dir;

  if (exe == NULL)
    return NULL;
  dir = g_path_get_dirname (exe);
  g_free (exe);
  return dir;
}

/* The model and ONNX Runtime are the library's to find (src/model.rs search_dirs): the install
 * layout puts them in lib/ and model/ beside this binary, which it finds as ../model/ beside
 * itself, and AUTORESTORE_MODEL_DIR / AUTORESTORE_ORT_LIB override both. */
void
ar_paths_locate (ArPaths *paths)
{
  memset (paths, 0, sizeof (*paths));
  paths->plugin_dir = own_directory ();
}

void
ar_paths_clear (ArPaths *paths)
{
  g_clear_pointer (&paths->plugin_dir, g_free);
}

AutorestoreEngine *
ar_engine_open (AutorestoreDevice  device,
                GError           **error)
{
  AutorestoreEngineOptions  options;
  AutorestoreEngine        *engine = NULL;
  AutorestoreStatus         status;

  autorestore_engine_options_init (&options);
  options.device = device;

  status = autorestore_engine_create (&options, &engine);
  if (status != AUTORESTORE_OK)
    {
      ar_set_status_error (error, status, autorestore_last_error (),
                           "Loading the AutoRestore model");
      autorestore_engine_destroy (engine);
      return NULL;
    }
  return engine;
}

/* ------------------------------------------------------------------------------------------ */
/* Pixels                                                                                      */
/* ------------------------------------------------------------------------------------------ */

ArPixelFormat
ar_pixel_format_for (gboolean is_gray,
                     gboolean has_alpha)
{
  ArPixelFormat f;

  if (is_gray)
    {
      f.babl_format = has_alpha ? "Y'A float" : "Y' float";
      f.channels    = has_alpha ? 2 : 1;
    }
  else
    {
      f.babl_format = has_alpha ? "R'G'B'A float" : "R'G'B' float";
      f.channels    = has_alpha ? 4 : 3;
    }
  return f;
}

gboolean
ar_float_image_alloc (ArFloatImage *image,
                      guint         width,
                      guint         height,
                      guint         channels,
                      GError      **error)
{
  gsize n = (gsize) width * height * channels;

  memset (image, 0, sizeof (*image));
  if (width == 0 || height == 0 || channels == 0 || n / width / height != channels ||
      n > G_MAXSIZE / sizeof (gfloat))
    {
      g_set_error (error, AR_ERROR, AUTORESTORE_ERR_TOO_LARGE,
                   "Invalid image size %u x %u x %u", width, height, channels);
      return FALSE;
    }
  image->data = g_try_malloc (n * sizeof (gfloat));
  if (image->data == NULL)
    {
      g_set_error (error, AR_ERROR, AUTORESTORE_ERR_TOO_LARGE,
                   "Not enough memory for a %u x %u region (%.0f MiB). "
                   "Select a smaller part of the image. The image was not changed.",
                   width, height, n * sizeof (gfloat) / 1048576.0);
      return FALSE;
    }
  image->width    = width;
  image->height   = height;
  image->channels = channels;
  return TRUE;
}

void
ar_float_image_free (ArFloatImage *image)
{
  g_clear_pointer (&image->data, g_free);
}

void
ar_float_image_sanitize (ArFloatImage *image)
{
  gsize n = (gsize) image->width * image->height * image->channels;
  gsize i;

  for (i = 0; i < n; i++)
    if (! isfinite (image->data[i]))
      image->data[i] = (isinf (image->data[i]) && image->data[i] > 0) ? 1.0f : 0.0f;
}

AutorestoreImage
ar_float_image_view (const ArFloatImage *image)
{
  AutorestoreImage view;

  memset (&view, 0, sizeof (view));
  view.data        = image->data;
  view.width       = image->width;
  view.height      = image->height;
  view.row_stride  = (size_t) image->width * image->channels * sizeof (gfloat);
  view.sample_type = AUTORESTORE_SAMPLE_F32;
  view.channels    = image->channels;
  return view;
}

/* ------------------------------------------------------------------------------------------ */
/* Jobs: the library runs on a worker thread; the UI thread polls, draws progress and cancels  */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  AutorestoreEngine         *engine;
  gboolean                   analyze_only;
  AutorestoreImage           image;
  AutorestoreRestoreParams   params;
  AutorestoreAnalysis        analysis;

  gint                       progress_ppm;  /* atomic: fraction done x 1e6 */
  gint                       cancel;        /* atomic: set by the UI thread */

  GMutex                     lock;
  GCond                      cond;
  gboolean                   done;
  AutorestoreStatus          status;
  gchar                     *message;       /* autorestore_last_error() of the worker thread */
} ArJob;

/* Called by the library on whatever thread it works on: only atomics here. */
static bool
job_progress (float    fraction,
              void    *user_data)
{
  ArJob *job = user_data;
  gint   ppm = (gint) (CLAMP (fraction, 0.0f, 1.0f) * 1e6f);

  g_atomic_int_set (&job->progress_ppm, ppm);
  return ! g_atomic_int_get (&job->cancel);
}

static gpointer
job_thread (gpointer data)
{
  ArJob             *job = data;
  AutorestoreStatus  status;

  if (job->analyze_only)
    status = autorestore_analyze (job->engine, &job->image, &job->analysis);
  else
    status = autorestore_restore (job->engine, &job->image, &job->image, &job->params);

  g_mutex_lock (&job->lock);
  job->status = status;
  /* The last error is thread-local: fetch it here, not on the UI thread. */
  if (status != AUTORESTORE_OK)
    job->message = g_strdup (autorestore_last_error ());
  job->done = TRUE;
  g_cond_signal (&job->cond);
  g_mutex_unlock (&job->lock);
  return NULL;
}

/* Runs the job and ticks until it is done; returns its status. */
static AutorestoreStatus
job_run (ArJob      *job,
         ArTickFunc  tick,
         gpointer    tick_data)
{
  GThread *thread;
  gboolean done = FALSE;

  g_mutex_init (&job->lock);
  g_cond_init (&job->cond);

  thread = g_thread_new ("autorestore", job_thread, job);

  while (! done)
    {
      gint64 deadline = g_get_monotonic_time () + 50 * G_TIME_SPAN_MILLISECOND;

      g_mutex_lock (&job->lock);
      while (! job->done)
        if (! g_cond_wait_until (&job->cond, &job->lock, deadline))
          break;
      done = job->done;
      g_mutex_unlock (&job->lock);

      /* Keep ticking after a cancel so that the UI stays alive until the library stops. */
      if (tick)
        {
          gdouble fraction = g_atomic_int_get (&job->progress_ppm) / 1e6;

          if (! tick (done ? 1.0 : fraction, tick_data) && ! done)
            g_atomic_int_set (&job->cancel, TRUE);
        }
    }

  g_thread_join (thread);
  g_mutex_clear (&job->lock);
  g_cond_clear (&job->cond);
  return job->status;
}

gboolean
ar_analyze (AutorestoreEngine   *engine,
            const ArFloatImage  *image,
            AutorestoreAnalysis *analysis,
            ArTickFunc           tick,
            gpointer             tick_data,
            GError             **error)
{
  ArJob             job;
  AutorestoreStatus status;

  memset (&job, 0, sizeof (job));
  job.engine       = engine;
  job.analyze_only = TRUE;
  job.image        = ar_float_image_view (image);

  status = job_run (&job, tick, tick_data);
  if (status != AUTORESTORE_OK)
    {
      ar_set_status_error (error, status, job.message, "Analysis");
      g_free (job.message);
      return FALSE;
    }
  *analysis = job.analysis;
  return TRUE;
}

gboolean
ar_restore_params_fill (AutorestoreRestoreParams  *out,
                        const ArParams            *params,
                        const AutorestoreAnalysis *analysis,
                        GError                   **error)
{
  AutorestoreMode mode;

  if (! ar_params_resolve (params, &mode, NULL, error))
    return FALSE;
  autorestore_restore_params_init (out);
  out->mode     = mode;
  out->strength = (float) params->strength;
  out->steps    = (uint32_t) params->steps;
  out->analysis = analysis;
  return TRUE;
}

gboolean
ar_restore (AutorestoreEngine         *engine,
            ArFloatImage              *image,
            const ArParams            *params,
            const AutorestoreAnalysis *analysis,
            ArTickFunc                 tick,
            gpointer                   tick_data,
            GError                   **error)
{
  ArJob             job;
  AutorestoreStatus status;

  memset (&job, 0, sizeof (job));
  if (! ar_restore_params_fill (&job.params, params, analysis, error))
    return FALSE;
  job.engine = engine;
  job.image  = ar_float_image_view (image);
  job.params.progress           = job_progress;
  job.params.progress_user_data = &job;

  status = job_run (&job, tick, tick_data);
  if (status != AUTORESTORE_OK)
    {
      ar_set_status_error (error, status, job.message, "Auto Restore");
      g_free (job.message);
      return FALSE;
    }
  return TRUE;
}

gchar *
ar_analysis_verdict (AutorestoreEngine         *engine,
                     const AutorestoreAnalysis *analysis)
{
  guint        n    = MIN (analysis->degradation_count, AUTORESTORE_MAX_DEGRADATIONS);
  guint        best = 0;
  const gchar *name;

  for (guint i = 1; i < n; i++)
    if (analysis->scores[i] > analysis->scores[best])
      best = i;
  name = n > 0 ? autorestore_engine_degradation_name (engine, best) : NULL;
  name = name ? ar_kind_label (name) : "?";
  /* contract 2: amount 0 = no score reaches the detection threshold */
  if (analysis->amount <= 0.0f)
    {
      if (n == 0)
        return g_strdup ("Nothing to repair found.");
      return g_strdup_printf ("Nothing to repair found (highest: %s, %.0f %%); "
                              "Automatic leaves the image as it is.",
                              name, analysis->scores[best] * 100.0);
    }
  if (analysis->amount < 1.0f)
    return g_strdup_printf ("Mostly: %s (repaired at %.0f %% in Automatic).",
                            name, analysis->amount * 100.0);
  return g_strdup_printf ("Mostly: %s.", name);
}

gchar *
ar_device_summary (AutorestoreEngine *engine)
{
  const gchar *note = autorestore_engine_device_note (engine);

  switch (autorestore_engine_device (engine))
    {
    case AUTORESTORE_DEVICE_CUDA:
      return g_strdup ("Running on the NVIDIA GPU.");
    case AUTORESTORE_DEVICE_CPU:
      /* A note means Automatic looked for a GPU and fell back (its reason: the tooltip). */
      if (note && note[0])
        return g_strdup ("Running on the CPU. NVIDIA GPU: not set up, see Help.");
      return g_strdup ("Running on the CPU.");
    default:
      return g_strdup_printf ("Running on %s.",
                              autorestore_device_name (autorestore_engine_device (engine)));
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Regions                                                                                     */
/* ------------------------------------------------------------------------------------------ */

ArRect
ar_rect_with_context (const ArRect *view,
                      const ArRect *region,
                      guint         context,
                      guint         multiple)
{
  gint   m  = MAX ((gint) multiple, 1);
  gint   x0 = MAX (view->x - (gint) context, region->x);
  gint   y0 = MAX (view->y - (gint) context, region->y);
  gint   x1 = MIN (view->x + view->width + (gint) context, region->x + region->width);
  gint   y1 = MIN (view->y + view->height + (gint) context, region->y + region->height);
  ArRect r;

  /* Down to the grid the library tiles the whole region on (its origin is the region's). */
  x0 = region->x + (x0 - region->x) / m * m;
  y0 = region->y + (y0 - region->y) / m * m;
  r.x = x0;
  r.y = y0;
  r.width  = x1 - x0;
  r.height = y1 - y0;
  return r;
}

void
ar_float_image_crop (const ArFloatImage *src,
                     const ArRect       *src_rect,
                     ArFloatImage       *dest,
                     const ArRect       *dest_rect)
{
  gsize row = (gsize) dest_rect->width * src->channels;

  for (gint y = 0; y < dest_rect->height; y++)
    memcpy (dest->data + (gsize) y * row,
            src->data + ((gsize) (dest_rect->y - src_rect->y + y) * src->width +
                         (gsize) (dest_rect->x - src_rect->x)) * src->channels,
            row * sizeof (gfloat));
}
