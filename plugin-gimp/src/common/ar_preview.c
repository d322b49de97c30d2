/* The dialog's preview (ArPreview in ar_common.h): each request reads the visible part with
 * the context the model needs (on the UI thread: the drawable is read over GIMP's wire), then
 * restores it on a worker thread of its own. A newer request cancels the older ones through
 * the library's progress callback; only the newest result is shown. The main loop polls for
 * finished jobs, so no GTK or GIMP call is made off the UI thread.
 *
 * A request for what is already coming (the same view and settings as the newest job) starts
 * nothing, and one for what was last shown is answered from that result without a restore:
 * GimpPreview asks again when Preview is switched back on, when a setting returns to its
 * value, and the dialog asks early, at its first layout (ar_ui.c), ahead of GimpPreview's own
 * 200 ms timer, which then asks for the same view.
 *
 * A new restore first shows a quick view: the same read at half resolution (a quarter of the
 * pixels; the context does not shrink with the view, so this is what makes a first look fast)
 * restored on the same worker thread and session, upscaled; then the exact restore replaces
 * it. The first pixels come 3-5x sooner (0.19-0.33x the exact-only preview's time), the exact
 * preview later by the quick one's time (1.05-1.16x): make bench-gimp-preview. */
#include <string.h>

#include "ar_common.h"

#define POLL_MS 25

/* What decides a preview's pixels (the device changes none). */
typedef struct
{
  ArRect  view;
  gchar   mode[AR_NAME_LEN];
  gdouble strength;
  gint32  steps;
} PreviewKey;

typedef struct
{
  PreviewKey                key;
  ArRect                    view;     /* what is shown */
  ArRect                    read;     /* what is restored: view + context */
  ArFloatImage              image;
  gboolean                  quick;    /* make the quick view first */
  ArFloatImage              quick_image;  /* the quick view (the view's size) */
  gint                      quick_done;   /* atomic: quick_image is ready */
  gboolean                  quick_shown;
  AutorestoreRestoreParams  params;
  AutorestoreEngine        *engine;
  GThread                  *thread;
  gint                      cancel;   /* atomic */
  gint                      done;     /* atomic */
  AutorestoreStatus         status;
  gchar                    *message;  /* the worker thread's last error */
} PreviewJob;

struct _ArPreview
{
  AutorestoreEngine   *engine;
  AutorestoreAnalysis  analysis;
  gboolean             have_analysis;
  ArRect               region;
  ArReadFunc           read;
  gpointer             host;
  ArShowFunc           show;
  gpointer             show_data;
  GList               *jobs;      /* newest first */
  guint                poll_id;
  PreviewJob          *last;      /* the last result shown (restored), kept for a repeat */
  gboolean             quick;     /* a quick view before each new restore */
};

static bool
job_progress (float fraction, void *data)
{
  PreviewJob *job = data;

  return ! g_atomic_int_get (&job->cancel);
}

/* The quick view: the read at half resolution, restored with the same parameters and
 * upscaled to the view. Nothing is shown when it fails; the exact restore then says why. */
static void
quick_view (PreviewJob *job)
{
  ArFloatImage     half;
  AutorestoreImage im;

  if (! ar_float_image_half (&job->image, &half, NULL))
    return;
  im = ar_float_image_view (&half);
  if (autorestore_restore (job->engine, &im, &im, &job->params) == AUTORESTORE_OK &&
      ar_float_image_alloc (&job->quick_image, job->view.width, job->view.height,
                            half.channels, NULL))
    {
      ar_float_image_double_crop (&half, &job->read, &job->quick_image, &job->view);
      g_atomic_int_set (&job->quick_done, TRUE);
    }
  ar_float_image_free (&half);
}

static gpointer
job_thread (gpointer data)
{
  PreviewJob       *job  = data;
  AutorestoreImage  view = ar_float_image_view (&job->image);

  if (job->quick)
    quick_view (job);
  /* The library looks at the cancel after its first tile: do not start one for nothing. */
  if (g_atomic_int_get (&job->cancel))
    {
      job->status = AUTORESTORE_ERR_CANCELLED;
      g_atomic_int_set (&job->done, TRUE);
      return NULL;
    }
  job->status = autorestore_restore (job->engine, &view, &view, &job->params);
  if (job->status != AUTORESTORE_OK)
    job->message = g_strdup (autorestore_last_error ());
  g_atomic_int_set (&job->done, TRUE);
  return NULL;
}

static void
job_free (PreviewJob *job)
{
  if (job == NULL)
    return;
  g_atomic_int_set (&job->cancel, TRUE);
  if (job->thread)
    g_thread_join (job->thread);
  ar_float_image_free (&job->image);
  ar_float_image_free (&job->quick_image);
  g_free (job->message);
  g_free (job);
}

static void
deliver (ArPreview  *preview,
         PreviewJob *job)
{
  ArFloatImage shown;
  GError      *error = NULL;

  if (job->status != AUTORESTORE_OK)
    {
      ar_set_status_error (&error, job->status, job->message, "Preview");
      preview->show (&job->view, NULL, TRUE, error, preview->show_data);
      g_error_free (error);
      return;
    }
  if (! ar_float_image_alloc (&shown, job->view.width, job->view.height, job->image.channels,
                              &error))
    {
      preview->show (&job->view, NULL, TRUE, error, preview->show_data);
      g_error_free (error);
      return;
    }
  ar_float_image_crop (&job->image, &job->read, &shown, &job->view);
  preview->show (&job->view, &shown, TRUE, NULL, preview->show_data);
  ar_float_image_free (&shown);
}

static gboolean
poll_jobs (gpointer data)
{
  ArPreview *preview = data;
  GList     *l = preview->jobs;

  while (l)
    {
      GList      *next = l->next;
      PreviewJob *job  = l->data;

      /* The quick view of the newest job, unless the exact one is already there. */
      if (l == preview->jobs && ! job->quick_shown && ! g_atomic_int_get (&job->done) &&
          g_atomic_int_get (&job->quick_done) && ! g_atomic_int_get (&job->cancel))
        {
          job->quick_shown = TRUE;
          preview->show (&job->view, &job->quick_image, FALSE, NULL, preview->show_data);
        }
      if (g_atomic_int_get (&job->done))
        {
          gboolean newest = (l == preview->jobs);

          preview->jobs = g_list_delete_link (preview->jobs, l);
          /* A cancelled (superseded) job shows nothing. */
          if (newest && ! g_atomic_int_get (&job->cancel))
            {
              deliver (preview, job);
              /* Kept for a repeat of the same request. */
              if (job->status == AUTORESTORE_OK)
                {
                  job_free (preview->last);
                  preview->last = job;
                  job = NULL;
                }
            }
          job_free (job);
        }
      l = next;
    }
  if (preview->jobs == NULL)
    {
      preview->poll_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
queue_job (ArPreview  *preview,
           PreviewJob *job)
{
  GList *l;

  for (l = preview->jobs; l; l = l->next)
    g_atomic_int_set (&((PreviewJob *) l->data)->cancel, TRUE);
  preview->jobs = g_list_prepend (preview->jobs, job);
  if (preview->poll_id == 0)
    preview->poll_id = g_timeout_add (POLL_MS, poll_jobs, preview);
}

static gboolean
key_equal (const PreviewKey *a,
           const PreviewKey *b)
{
  return a->view.x == b->view.x && a->view.y == b->view.y &&
         a->view.width == b->view.width && a->view.height == b->view.height &&
         strcmp (a->mode, b->mode) == 0 && a->strength == b->strength && a->steps == b->steps;
}

ArPreview *
ar_preview_new (AutorestoreEngine         *engine,
                const AutorestoreAnalysis *analysis,
                const ArRect              *region,
                ArReadFunc                 read,
                gpointer                   host,
                ArShowFunc                 show,
                gpointer                   show_data)
{
  ArPreview *preview = g_new0 (ArPreview, 1);

  preview->engine        = engine;
  preview->have_analysis = analysis != NULL;
  if (analysis)
    preview->analysis = *analysis;
  preview->region    = *region;
  preview->read      = read;
  preview->host      = host;
  preview->show      = show;
  preview->show_data = show_data;
  preview->quick     = TRUE;
  return preview;
}

gboolean
ar_preview_request (ArPreview      *preview,
                    const ArParams *params,
                    const ArRect   *view,
                    GError        **error)
{
  PreviewJob *job;
  PreviewKey  key = { *view, "", params->strength, params->steps };
  guint       steps = params->steps > 0 ? (guint) params->steps
                                        : autorestore_engine_default_steps (preview->engine);

  g_strlcpy (key.mode, params->mode, sizeof key.mode);
  /* Already coming: the newest job is this request and nothing superseded it. */
  if (preview->jobs && key_equal (&((PreviewJob *) preview->jobs->data)->key, &key))
    return TRUE;
  /* Shown last: a finished copy of that result, shown from the main loop as any result. */
  if (preview->last && key_equal (&preview->last->key, &key))
    {
      const ArFloatImage *im = &preview->last->image;

      job = g_new0 (PreviewJob, 1);
      job->key    = key;
      job->view   = preview->last->view;
      job->read   = preview->last->read;
      job->status = AUTORESTORE_OK;
      job->done   = TRUE;
      if (! ar_float_image_alloc (&job->image, im->width, im->height, im->channels, error))
        {
          g_free (job);
          return FALSE;
        }
      memcpy (job->image.data, im->data,
              (gsize) im->width * im->height * im->channels * sizeof (gfloat));
      queue_job (preview, job);
      return TRUE;
    }

  job = g_new0 (PreviewJob, 1);
  job->key  = key;
  /* Each sampler step reads the previous one's receptive field again. */
  job->view = *view;
  job->read = ar_rect_with_context (view, &preview->region,
                                    autorestore_engine_receptive_field (preview->engine) *
                                    MAX (steps, 1),
                                    autorestore_engine_tile_multiple (preview->engine));
  job->engine = preview->engine;
  job->quick  = preview->quick &&
                (gsize) job->read.width * job->read.height >= AR_PREVIEW_QUICK_MIN;
  if (! ar_restore_params_fill (&job->params, params,
                                preview->have_analysis ? &preview->analysis : NULL, error) ||
      ! preview->read (preview->host, &job->read, &job->image, error))
    {
      ar_float_image_free (&job->image);
      g_free (job);
      return FALSE;
    }
  job->params.progress           = job_progress;
  job->params.progress_user_data = job;
  /* The final run restores the region from its origin: the multi-step sampler's noise is
   * keyed on those coordinates, so the read says where it lies in the region. */
  job->params.noise_origin_x = (uint32_t) (job->read.x - preview->region.x);
  job->params.noise_origin_y = (uint32_t) (job->read.y - preview->region.y);

  job->thread = g_thread_new ("autorestore-preview", job_thread, job);
  queue_job (preview, job);
  return TRUE;
}

gboolean
ar_preview_restoring (const ArPreview *preview)
{
  const PreviewJob *job = preview->jobs ? preview->jobs->data : NULL;

  return job && ! job->quick_shown && ! g_atomic_int_get (&job->done);
}

void
ar_preview_set_quick (ArPreview *preview,
                      gboolean   quick)
{
  preview->quick = quick;
}

void
ar_preview_free (ArPreview *preview)
{
  if (preview == NULL)
    return;
  if (preview->poll_id)
    g_source_remove (preview->poll_id);
  g_list_free_full (preview->jobs, (GDestroyNotify) job_free);
  job_free (preview->last);
  g_free (preview);
}
