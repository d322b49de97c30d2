/* AutoRestore for GIMP 2.10: PDB registration, run modes and GEGL buffer I/O.
 *
 * Filters > Enhance > Auto Restore...  /  (plug-in-autorestore run-mode image drawable
 *                                          mode strength steps device)
 *
 * Pixel path: gimp_drawable_mask_intersect -> read the region as float (R'G'B'[A] / Y'[A], in
 * the drawable's own colour space) -> autorestore_restore on a worker thread -> shadow buffer
 * -> gimp_drawable_merge_shadow (one undo step; blends with the selection mask) -> update.
 * Nothing touches the drawable before the library has succeeded.
 */
#include <string.h>

#include <libgimp/gimp.h>

#include "ar_common.h"
#include "ar_gimp2.h"

static void query (void);
static void run   (const gchar      *name,
                   gint              nparams,
                   const GimpParam  *param,
                   gint             *nreturn_vals,
                   GimpParam       **return_vals);

const GimpPlugInInfo PLUG_IN_INFO =
{
  NULL,  /* init  */
  NULL,  /* quit  */
  query,
  run,
};

MAIN ()

#define AR_NPARAMS 7

static void
query (void)
{
  static const GimpParamDef args[AR_NPARAMS] =
  {
    { GIMP_PDB_INT32,    "run-mode", "The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1), RUN-WITH-LAST-VALS (2) }" },
    { GIMP_PDB_IMAGE,    "image",    "Input image" },
    { GIMP_PDB_DRAWABLE, "drawable", "Input drawable" },
    { GIMP_PDB_STRING,   "mode",     "What to repair: \"auto\" (analyse the image), \"denoise\", \"deblur\", \"dehaze\", \"lowlight\", \"derain\"" },
    { GIMP_PDB_FLOAT,    "strength", "Strength of the restoration in [0, 1] (1 = full)" },
    { GIMP_PDB_INT32,    "steps",    "Sampler steps, 0 = the model's default; more steps add detail and take longer" },
    { GIMP_PDB_STRING,   "device",   "Where to run: \"auto\", \"cpu\", \"cuda\"" },
  };

  gimp_install_procedure (AR_PLUG_IN_PROC,
                          "Repair noise, blur, haze, low light and rain with one learned model",
                          "Analyses the layer (or the selection) to find what is wrong with it "
                          "and restores it with the AutoRestore model (a small mixture-of-experts "
                          "diffusion transformer running in ONNX Runtime). Large images are "
                          "processed in tiles. Works on RGB and grayscale layers, with or "
                          "without alpha (alpha is kept), at any precision.",
                          "AutoRestore authors",
                          "AutoRestore authors",
                          "2025",
                          "_Auto Restore...",
                          "RGB*, GRAY*",
                          GIMP_PLUGIN,
                          G_N_ELEMENTS (args), 0,
                          args, NULL);

  gimp_plugin_menu_register (AR_PLUG_IN_PROC, "<Image>/Filters/Enhance");
}

/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  gdouble last;
} ArStatusProgress;

/* Non-interactive progress: GIMP's progress bar only. */
static gboolean
status_progress_tick (gdouble  fraction,
                      gpointer data)
{
  ArStatusProgress *p = data;

  if (fraction >= 1.0 || fraction - p->last >= 0.005)
    {
      gimp_progress_update (fraction);
      p->last = fraction;
    }
  return TRUE;
}

static gboolean
read_region (gint32                drawable_id,
             const GeglRectangle  *rect,
             const Babl           *format,
             ArFloatImage         *image,
             guint                 channels,
             GError              **error)
{
  GeglBuffer *buffer;

  if (! ar_float_image_alloc (image, rect->width, rect->height, channels, error))
    return FALSE;

  buffer = gimp_drawable_get_buffer (drawable_id);
  gegl_buffer_get (buffer, rect, 1.0, format, image->data,
                   GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  g_object_unref (buffer);

  ar_float_image_sanitize (image);
  return TRUE;
}

static void
write_region (gint32               drawable_id,
              const GeglRectangle *rect,
              const Babl          *format,
              const ArFloatImage  *image)
{
  GeglBuffer *shadow = gimp_drawable_get_shadow_buffer (drawable_id);

  gegl_buffer_set (shadow, rect, 0, format, image->data, GEGL_AUTO_ROWSTRIDE);
  g_object_unref (shadow);  /* flushes the tiles to the core */

  gimp_drawable_merge_shadow (drawable_id, TRUE);
  gimp_drawable_update (drawable_id, rect->x, rect->y, rect->width, rect->height);
}

/* Returns FALSE with error set on failure; *dialog_cancelled is set when the user closed the
 * dialog (not an error). */
static gboolean
process (gint32       drawable_id,
         ArParams    *params,
         GimpRunMode  run_mode,
         gboolean    *dialog_cancelled,
         GError     **error)
{
  gboolean             interactive = (run_mode == GIMP_RUN_INTERACTIVE);
  GeglRectangle        rect;
  ArPixelFormat        pf;
  const Babl          *format;
  ArFloatImage         image = { 0 };
  ArPaths              paths;
  AutorestoreEngine   *engine = NULL;
  AutorestoreDevice    device;
  AutorestoreAnalysis  analysis;
  gboolean             have_analysis = FALSE;
  gboolean             ok = FALSE;

  *dialog_cancelled = FALSE;

  if (! gimp_item_is_drawable (drawable_id) || gimp_drawable_is_indexed (drawable_id))
    {
      g_set_error (error, AR_ERROR, AUTORESTORE_ERR_INVALID_ARGUMENT,
                   "Auto Restore works on RGB and grayscale layers only. "
                   "The image was not changed.");
      return FALSE;
    }

  if (! gimp_drawable_mask_intersect (drawable_id, &rect.x, &rect.y,
                                      &rect.width, &rect.height))
    {
      /* As GIMP's filters: a selection outside the layer is nothing to do. */
      return TRUE;
    }

  pf = ar_pixel_format_for (gimp_drawable_is_gray (drawable_id),
                            gimp_drawable_has_alpha (drawable_id));
  /* Same component layout as asked, but in the drawable's own colour space: no conversion. */
  format = babl_format_with_space (pf.babl_format, gimp_drawable_get_format (drawable_id));

  if (! ar_params_resolve (params, NULL, &device, error))
    return FALSE;

  if (! read_region (drawable_id, &rect, format, &image, pf.channels, error))
    return FALSE;

  ar_paths_locate (&paths);

  if (interactive)
    {
      GError           *analysis_error = NULL;
      ArStatusProgress  sp = { 0 };
      gchar             old_device[AR_NAME_LEN];

      gimp_progress_init ("Auto Restore: analysing");
      engine = ar_engine_open (&paths, device, &analysis_error);
      if (engine)
        have_analysis = ar_analyze (engine, &image, &analysis, status_progress_tick, &sp,
                                    &analysis_error);
      gimp_progress_end ();

      g_strlcpy (old_device, params->device, sizeof (old_device));
      if (! ar_dialog_run (params, engine, have_analysis ? &analysis : NULL,
                           analysis_error ? analysis_error->message : NULL))
        {
          g_clear_error (&analysis_error);
          *dialog_cancelled = TRUE;
          goto out;
        }
      g_clear_error (&analysis_error);
      gimp_set_data (AR_PLUG_IN_PROC, params, sizeof (ArParams));

      if (! ar_params_resolve (params, NULL, &device, error))
        goto out;
      if (engine && strcmp (old_device, params->device) != 0)
        {
          autorestore_engine_destroy (engine);
          engine = NULL;
        }
    }

  if (engine == NULL)
    {
      engine = ar_engine_open (&paths, device, error);
      if (engine == NULL)
        goto out;
    }

  gimp_progress_init ("Auto Restore");
  if (interactive)
    {
      ArProgressDialog *dialog = ar_progress_dialog_new ("Restoring the image...");

      ok = ar_restore (engine, &image, params,
                       (have_analysis && strcmp (params->mode, "auto") == 0) ? &analysis : NULL,
                       ar_progress_dialog_tick, dialog, error);
      ar_progress_dialog_destroy (dialog);
    }
  else
    {
      ArStatusProgress sp = { 0 };

      ok = ar_restore (engine, &image, params, NULL, status_progress_tick, &sp, error);
    }

  if (ok)
    write_region (drawable_id, &rect, format, &image);
  gimp_progress_end ();

 out:
  autorestore_engine_destroy (engine);
  ar_paths_clear (&paths);
  ar_float_image_free (&image);
  return ok || *dialog_cancelled;
}

static void
load_last_values (ArParams *params)
{
  gint size = gimp_get_data_size (AR_PLUG_IN_PROC);

  if (size == (gint) sizeof (ArParams))
    {
      ArParams stored;

      if (gimp_get_data (AR_PLUG_IN_PROC, &stored))
        ar_params_restore (params, &stored, sizeof (stored));
    }
}

static void
run (const gchar      *name,
     gint              nparams,
     const GimpParam  *param,
     gint             *nreturn_vals,
     GimpParam       **return_vals)
{
  static GimpParam   values[2];
  static gchar      *message = NULL;
  GimpRunMode        run_mode;
  gint32             drawable_id;
  ArParams           params;
  GError            *error = NULL;
  GimpPDBStatusType  status = GIMP_PDB_SUCCESS;
  gboolean           dialog_cancelled = FALSE;

  *nreturn_vals = 1;
  *return_vals  = values;
  values[0].type          = GIMP_PDB_STATUS;
  values[0].data.d_status = GIMP_PDB_CALLING_ERROR;

  if (strcmp (name, AR_PLUG_IN_PROC) != 0 || nparams < 3)
    return;

  run_mode    = param[0].data.d_int32;
  drawable_id = param[2].data.d_drawable;

  gegl_init (NULL, NULL);
  ar_params_init (&params);

  switch (run_mode)
    {
    case GIMP_RUN_INTERACTIVE:
    case GIMP_RUN_WITH_LAST_VALS:
      load_last_values (&params);
      break;

    case GIMP_RUN_NONINTERACTIVE:
      if (nparams != AR_NPARAMS)
        {
          g_set_error (&error, AR_ERROR, AUTORESTORE_ERR_INVALID_ARGUMENT,
                       "%s takes %d arguments (run-mode image drawable mode strength steps "
                       "device), got %d", AR_PLUG_IN_PROC, AR_NPARAMS, nparams);
        }
      else
        {
          ar_params_set (&params, param[3].data.d_string, param[4].data.d_float,
                         param[5].data.d_int32, param[6].data.d_string, &error);
        }
      if (error)
        status = GIMP_PDB_CALLING_ERROR;
      break;

    default:
      g_set_error (&error, AR_ERROR, AUTORESTORE_ERR_INVALID_ARGUMENT,
                   "Unknown run mode %d", run_mode);
      status = GIMP_PDB_CALLING_ERROR;
      break;
    }

  if (status == GIMP_PDB_SUCCESS)
    {
      if (! process (drawable_id, &params, run_mode, &dialog_cancelled, &error))
        status = (error && error->code == AUTORESTORE_ERR_CANCELLED)
                 ? GIMP_PDB_CANCEL : GIMP_PDB_EXECUTION_ERROR;
      else if (dialog_cancelled)
        status = GIMP_PDB_CANCEL;
    }

  if (error)
    {
      /* The caller gets the text with the error status; for a non-interactive call GIMP itself
       * shows it ("Calling error for procedure 'plug-in-autorestore': ..."), so only the
       * interactive run modes add a message of their own. A dialog closed with Cancel is not
       * an error and says nothing. */
      if (run_mode != GIMP_RUN_NONINTERACTIVE)
        gimp_message (error->message);

      g_free (message);
      message = g_strdup (error->message);
      *nreturn_vals = 2;
      values[1].type          = GIMP_PDB_STRING;
      values[1].data.d_string = message;
      g_error_free (error);
    }
  else if (status == GIMP_PDB_SUCCESS && run_mode != GIMP_RUN_NONINTERACTIVE)
    {
      gimp_displays_flush ();
    }

  values[0].data.d_status = status;
}
