/* One run of the filter, the same for GIMP 2.10 and GIMP 3 (ar_flow_run in ar_common.h): the
 * front ends only supply the host table of what differs (drawable I/O, dialog, progress). */
#include <string.h>

#include "ar_common.h"

/* The help page installed beside the plug-in (plug-ins/autorestore/help/index.html), as a
 * file: URI, or NULL when it is missing. */
static gchar *
help_uri (const ArPaths *paths)
{
  gchar *file;
  gchar *uri = NULL;

  if (paths->plugin_dir == NULL)
    return NULL;
  file = g_build_filename (paths->plugin_dir, "help", "index.html", NULL);
  if (g_file_test (file, G_FILE_TEST_IS_REGULAR))
    uri = g_filename_to_uri (file, NULL, NULL);
  g_free (file);
  return uri;
}

/* Analysis with the host's (non-cancellable) progress; FALSE with error when it failed. */
static gboolean
analyse (const ArHost        *host,
         AutorestoreEngine   *engine,
         const ArFloatImage  *image,
         AutorestoreAnalysis *analysis,
         GError             **error)
{
  gpointer progress = host->progress_begin ("Auto Restore: analysing", FALSE);
  gboolean ok       = ar_analyze (engine, image, analysis, host->progress_tick, progress, error);

  host->progress_end (progress);
  return ok;
}

gboolean
ar_flow_run (const ArHost *host,
             gpointer      host_data,
             ArParams     *params,
             gboolean      interactive,
             gboolean     *dialog_cancelled,
             GError      **error)
{
  ArRect               rect;
  ArFloatImage         image = { 0 };
  ArPaths              paths;
  AutorestoreEngine   *engine = NULL;
  AutorestoreDevice    device;
  AutorestoreAnalysis  analysis;
  gboolean             have_analysis = FALSE;
  gboolean             ok = FALSE;
  GError              *local = NULL;

  *dialog_cancelled = FALSE;

  if (! ar_params_resolve (params, NULL, &device, error))
    return FALSE;
  if (! host->region (host_data, &rect, &local))
    {
      /* As GIMP's filters: a selection outside the layer is nothing to do. */
      if (local == NULL)
        return TRUE;
      g_propagate_error (error, local);
      return FALSE;
    }
  if (! host->read_region (host_data, &rect, &image, error))
    return FALSE;

  ar_paths_locate (&paths);

  if (interactive)
    {
      GError        *analysis_error = NULL;
      ArDialogInput  input;
      gchar         *uri = help_uri (&paths);
      gboolean       run;

      engine = ar_engine_open (device, &analysis_error);
      if (engine)
        have_analysis = analyse (host, engine, &image, &analysis, &analysis_error);

      memset (&input, 0, sizeof (input));
      input.params         = params;
      input.engine         = engine;
      input.analysis       = have_analysis ? &analysis : NULL;
      input.analysis_error = analysis_error ? analysis_error->message : NULL;
      input.region         = &rect;
      input.help_uri       = uri;
      run = host->dialog (host_data, &input);
      g_clear_error (&analysis_error);
      g_free (uri);
      if (! run)
        {
          *dialog_cancelled = TRUE;
          goto out;
        }
      {
        AutorestoreDevice chosen;

        if (! ar_params_resolve (params, NULL, &chosen, error))
          goto out;
        /* Another device: another engine. The analysis stays valid: same model. */
        if (engine && chosen != device)
          g_clear_pointer (&engine, autorestore_engine_destroy);
        device = chosen;
      }
    }

  if (engine == NULL && (engine = ar_engine_open (device, error)) == NULL)
    goto out;

  {
    gpointer progress = host->progress_begin ("Restoring the image...", interactive);

    /* The dialog's analysis in every mode: the library analyses each image once. */
    ok = ar_restore (engine, &image, params, have_analysis ? &analysis : NULL,
                     host->progress_tick, progress, error);
    host->progress_end (progress);
  }
  if (ok)
    host->write_region (host_data, &rect, &image);

 out:
  autorestore_engine_destroy (engine);
  ar_paths_clear (&paths);
  ar_float_image_free (&image);
  return ok || *dialog_cancelled;
}
