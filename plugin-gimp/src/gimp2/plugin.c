/* AutoRestore for GIMP 2.10: PDB registration, run modes and GEGL buffer I/O.
 *
 * Filters > Enhance > Auto Restore...  /  (plug-in-autorestore run-mode image drawable
 *                                          mode strength steps device)
 *
 * The run itself is src/common's ar_flow_run; this file gives it the host table (drawable I/O:
 * read the region as float R'G'B'[A] / Y'[A] in the drawable's own colour space; write through
 * the shadow buffer and gimp_drawable_merge_shadow, one undo step blended with the selection
 * mask). Nothing touches the drawable before the library has succeeded.
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
/* The host table of src/common's flow: drawable I/O through GEGL buffers                     */
/* ------------------------------------------------------------------------------------------ */

static gboolean
host_region (gpointer  data,
             ArRect   *rect,
             GError  **error)
{
  ArGimp2Drawable *d = data;
  ArPixelFormat    pf;

  if (! gimp_item_is_drawable (d->id) || gimp_drawable_is_indexed (d->id))
    {
      g_set_error (error, AR_ERROR, AUTORESTORE_ERR_INVALID_ARGUMENT,
                   "Auto Restore works on RGB and grayscale layers only. "
                   "The image was not changed.");
      return FALSE;
    }
  pf = ar_pixel_format_for (gimp_drawable_is_gray (d->id), gimp_drawable_has_alpha (d->id));
  /* Same component layout as asked, but in the drawable's own colour space: no conversion. */
  d->format    = babl_format_with_space (pf.babl_format, gimp_drawable_get_format (d->id));
  d->channels  = pf.channels;
  return gimp_drawable_mask_intersect (d->id, &rect->x, &rect->y, &rect->width, &rect->height);
}

static gboolean
host_read (gpointer       data,
           const ArRect  *rect,
           ArFloatImage  *image,
           GError       **error)
{
  ArGimp2Drawable *d = data;
  GeglRectangle    r = { rect->x, rect->y, rect->width, rect->height };
  GeglBuffer      *buffer;

  if (! ar_float_image_alloc (image, r.width, r.height, d->channels, error))
    return FALSE;
  buffer = gimp_drawable_get_buffer (d->id);
  gegl_buffer_get (buffer, &r, 1.0, d->format, image->data, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  g_object_unref (buffer);
  ar_float_image_sanitize (image);
  return TRUE;
}

static void
host_write (gpointer            data,
            const ArRect       *rect,
            const ArFloatImage *image)
{
  ArGimp2Drawable *d = data;
  GeglRectangle    r = { rect->x, rect->y, rect->width, rect->height };
  GeglBuffer      *shadow = gimp_drawable_get_shadow_buffer (d->id);

  gegl_buffer_set (shadow, &r, 0, d->format, image->data, GEGL_AUTO_ROWSTRIDE);
  g_object_unref (shadow);  /* flushes the tiles to the core */
  gimp_drawable_merge_shadow (d->id, TRUE);
  gimp_drawable_update (d->id, r.x, r.y, r.width, r.height);
}

const ArHost ar_gimp2_host =
{
  host_region,
  host_read,
  host_write,
  ar_dialog_run,
  ar_ui_progress_begin,
  ar_ui_progress_tick,
  ar_ui_progress_end,
};

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
      ArGimp2Drawable drawable = { drawable_id, NULL, 0 };

      if (! ar_flow_run (&ar_gimp2_host, &drawable, &params, run_mode == GIMP_RUN_INTERACTIVE,
                         &dialog_cancelled, &error))
        status = (error && error->code == AUTORESTORE_ERR_CANCELLED)
                 ? GIMP_PDB_CANCEL : GIMP_PDB_EXECUTION_ERROR;
      else if (dialog_cancelled)
        status = GIMP_PDB_CANCEL;
      /* The dialog's values (and its Preview check box) for the next run and Repeat. */
      if (run_mode == GIMP_RUN_INTERACTIVE && ! dialog_cancelled)
        gimp_set_data (AR_PLUG_IN_PROC, &params, sizeof (ArParams));
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
