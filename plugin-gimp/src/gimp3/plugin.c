/* AutoRestore for GIMP 3: procedure registration (GimpPlugIn / GimpProcedure), run modes and
 * GEGL buffer I/O. The same procedure, arguments and pixel path as src/gimp2/plugin.c:
 *
 * Filters > Enhance > Auto Restore...  /  (plug-in-autorestore run-mode image drawables
 *                                          mode strength steps device)
 *
 * The run itself is src/common's ar_flow_run, as in GIMP 2.10; this file gives it the host
 * table (drawable I/O through GEGL buffers, the shadow buffer and gimp_drawable_merge_shadow:
 * one undo step blended with the selection mask). Nothing touches the drawable before the
 * library has succeeded. Parameters, messages and the library call come from src/common/.
 */
#include <string.h>

#include <libgimp/gimp.h>

#include "ar_common.h"
#include "ar_gimp3.h"

#define AR_TYPE_PLUG_IN (ar_plug_in_get_type ())
G_DECLARE_FINAL_TYPE (ArPlugIn, ar_plug_in, AR, PLUG_IN, GimpPlugIn)

struct _ArPlugIn
{
  GimpPlugIn parent_instance;
};

G_DEFINE_TYPE (ArPlugIn, ar_plug_in, GIMP_TYPE_PLUG_IN)

GIMP_MAIN (AR_TYPE_PLUG_IN)

static GimpValueArray *run (GimpProcedure        *procedure,
                            GimpRunMode           run_mode,
                            GimpImage            *image,
                            GimpDrawable        **drawables,
                            GimpProcedureConfig  *config,
                            gpointer              run_data);

static GList *
query_procedures (GimpPlugIn *plug_in)
{
  return g_list_append (NULL, g_strdup (AR_PLUG_IN_PROC));
}

/* A GimpChoice (a string argument that the PDB checks and the dialog shows as a combo box)
 * from one of the common choice lists. */
static GimpChoice *
choice_new (const ArChoice *choices)
{
  GimpChoice *choice = gimp_choice_new ();
  gint        i;

  for (i = 0; choices[i].name; i++)
    gimp_choice_add (choice, choices[i].name, i, choices[i].label, NULL);
  return choice;
}

static GimpProcedure *
create_procedure (GimpPlugIn  *plug_in,
                  const gchar *name)
{
  GimpProcedure *procedure;

  if (strcmp (name, AR_PLUG_IN_PROC) != 0)
    return NULL;

  procedure = gimp_image_procedure_new (plug_in, name, GIMP_PDB_PROC_TYPE_PLUGIN,
                                        run, NULL, NULL);
  gimp_procedure_set_image_types (procedure, "RGB*, GRAY*");
  gimp_procedure_set_sensitivity_mask (procedure, GIMP_PROCEDURE_SENSITIVE_DRAWABLE);
  gimp_procedure_set_menu_label (procedure, "_Auto Restore...");
  gimp_procedure_add_menu_path (procedure, "<Image>/Filters/Enhance");
  gimp_procedure_set_documentation (procedure,
                                    "Repair noise, blur, haze, low light and rain with one "
                                    "learned model",
                                    "Analyses the layer (or the selection) to find what is "
                                    "wrong with it and restores it with the AutoRestore model "
                                    "(a small mixture-of-experts diffusion transformer running "
                                    "in ONNX Runtime). Large images are processed in tiles. "
                                    "Works on RGB and grayscale layers, with or without alpha "
                                    "(alpha is kept), at any precision.",
                                    name);
  gimp_procedure_set_attribution (procedure, "AutoRestore authors", "AutoRestore authors",
                                  "2025");

  /* Same names, order and defaults as the GIMP 2.10 procedure (src/gimp2/plugin.c). The
   * mnemonics avoid those of GimpProcedureDialog's own buttons (_Reset, _Save Settings) and
   * of the preview's "_Preview" check box. */
  gimp_procedure_add_choice_argument (procedure, "mode", "Rep_air",
                                      "What to repair: \"auto\" (analyse the image), "
                                      "\"denoise\", \"deblur\", \"dehaze\", \"lowlight\", "
                                      "\"derain\"",
                                      choice_new (ar_modes), AR_DEFAULT_MODE,
                                      G_PARAM_READWRITE);
  gimp_procedure_add_double_argument (procedure, "strength", "Stre_ngth",
                                      "Strength of the restoration in [0, 1] (1 = full)",
                                      0.0, 1.0, AR_DEFAULT_STRENGTH, G_PARAM_READWRITE);
  gimp_procedure_add_int_argument (procedure, "steps", "S_teps",
                                   "Sampler steps, 0 = the model's default; more steps add "
                                   "detail and take longer",
                                   0, AR_MAX_STEPS, AR_DEFAULT_STEPS, G_PARAM_READWRITE);
  gimp_procedure_add_choice_argument (procedure, "device", "_Device",
                                      "Where to run: \"auto\", \"cpu\", \"cuda\"",
                                      choice_new (ar_devices), AR_DEFAULT_DEVICE,
                                      G_PARAM_READWRITE);
  /* The dialog's Preview check box, remembered with the other values (not a PDB argument). */
  gimp_procedure_add_boolean_aux_argument (procedure, "preview", "_Preview",
                                           "Show the restored image in the dialog",
                                           AR_DEFAULT_PREVIEW, G_PARAM_READWRITE);
  return procedure;
}

/* No translations yet (the texts are shared with the 2.10 plug-in): no locale/ to look for. */
static gboolean
set_i18n (GimpPlugIn   *plug_in,
          const gchar  *procedure_name,
          gchar       **gettext_domain,
          gchar       **catalog_dir)
{
  return FALSE;
}

static void
ar_plug_in_class_init (ArPlugInClass *klass)
{
  GimpPlugInClass *plug_in_class = GIMP_PLUG_IN_CLASS (klass);

  plug_in_class->query_procedures = query_procedures;
  plug_in_class->create_procedure = create_procedure;
  plug_in_class->set_i18n         = set_i18n;
}

static void
ar_plug_in_init (ArPlugIn *plug_in)
{
}

/* ------------------------------------------------------------------------------------------ */

gboolean
ar_gimp3_params_from_config (GimpProcedureConfig  *config,
                             ArParams             *params,
                             GError              **error)
{
  gchar   *mode   = NULL;
  gchar   *device = NULL;
  gdouble  strength;
  gint     steps;
  gboolean preview;
  gboolean ok;

  g_object_get (config, "mode", &mode, "strength", &strength, "steps", &steps,
                "device", &device, "preview", &preview, NULL);
  ar_params_init (params);
  ok = ar_params_set (params, mode, strength, steps, device, error);
  params->preview = preview;
  g_free (mode);
  g_free (device);
  return ok;
}

/* ------------------------------------------------------------------------------------------ */
/* The host table of src/common's flow: drawable I/O through GEGL buffers                     */
/* ------------------------------------------------------------------------------------------ */

static gboolean
host_region (gpointer  data,
             ArRect   *rect,
             GError  **error)
{
  ArGimp3Drawable *d = data;
  ArPixelFormat    pf;

  if (gimp_drawable_is_indexed (d->drawable))
    {
      g_set_error (error, AR_ERROR, AUTORESTORE_ERR_INVALID_ARGUMENT,
                   "Auto Restore works on RGB and grayscale layers only. "
                   "The image was not changed.");
      return FALSE;
    }
  pf = ar_pixel_format_for (gimp_drawable_is_gray (d->drawable),
                            gimp_drawable_has_alpha (d->drawable));
  /* Same component layout as asked, but in the drawable's own colour space: no conversion. */
  d->format   = babl_format_with_space (pf.babl_format, gimp_drawable_get_format (d->drawable));
  d->channels = pf.channels;
  return gimp_drawable_mask_intersect (d->drawable, &rect->x, &rect->y,
                                       &rect->width, &rect->height);
}

static gboolean
host_read (gpointer       data,
           const ArRect  *rect,
           ArFloatImage  *image,
           GError       **error)
{
  ArGimp3Drawable *d = data;
  GeglRectangle    r = { rect->x, rect->y, rect->width, rect->height };
  GeglBuffer      *buffer;

  if (! ar_float_image_alloc (image, r.width, r.height, d->channels, error))
    return FALSE;
  buffer = gimp_drawable_get_buffer (d->drawable);
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
  ArGimp3Drawable *d = data;
  GeglRectangle    r = { rect->x, rect->y, rect->width, rect->height };
  GeglBuffer      *shadow = gimp_drawable_get_shadow_buffer (d->drawable);

  gegl_buffer_set (shadow, &r, 0, d->format, image->data, GEGL_AUTO_ROWSTRIDE);
  g_object_unref (shadow);  /* flushes the tiles to the core */
  gimp_drawable_merge_shadow (d->drawable, TRUE);
  gimp_drawable_update (d->drawable, r.x, r.y, r.width, r.height);
}

const ArHost ar_gimp3_host =
{
  host_region,
  host_read,
  host_write,
  ar_dialog_run,
  ar_ui_progress_begin,
  ar_ui_progress_tick,
  ar_ui_progress_end,
};

static GimpValueArray *
run (GimpProcedure        *procedure,
     GimpRunMode           run_mode,
     GimpImage            *image,
     GimpDrawable        **drawables,
     GimpProcedureConfig  *config,
     gpointer              run_data)
{
  GError            *error = NULL;
  GimpPDBStatusType  status = GIMP_PDB_SUCCESS;
  gboolean           dialog_cancelled = FALSE;

  gegl_init (NULL, NULL);

  if (drawables == NULL || drawables[0] == NULL || drawables[1] != NULL)
    {
      g_set_error (&error, AR_ERROR, AUTORESTORE_ERR_INVALID_ARGUMENT,
                   "Auto Restore works on one layer at a time (%s). The image was not changed.",
                   (drawables && drawables[0]) ? "several are selected" : "none is selected");
      status = GIMP_PDB_CALLING_ERROR;
    }
  else
    {
      ArGimp3Drawable drawable = { drawables[0], NULL, 0, procedure, config };
      ArParams        params;

      if (! ar_gimp3_params_from_config (config, &params, &error) ||
          ! ar_flow_run (&ar_gimp3_host, &drawable, &params, run_mode == GIMP_RUN_INTERACTIVE,
                         &dialog_cancelled, &error))
        status = (error && error->code == AUTORESTORE_ERR_CANCELLED)
                 ? GIMP_PDB_CANCEL : GIMP_PDB_EXECUTION_ERROR;
    }
  if (status == GIMP_PDB_SUCCESS && dialog_cancelled)
    {
      status = GIMP_PDB_CANCEL;
    }

  if (error == NULL && status == GIMP_PDB_SUCCESS && run_mode != GIMP_RUN_NONINTERACTIVE)
    gimp_displays_flush ();
  /* As the 2.10 plug-in: a non-interactive caller gets the text with the error status (GIMP
   * prints it); the interactive run modes also show it. */
  if (error && run_mode != GIMP_RUN_NONINTERACTIVE)
    gimp_message (error->message);
  /* Only the error statuses carry a message. */
  if (status != GIMP_PDB_EXECUTION_ERROR && status != GIMP_PDB_CALLING_ERROR)
    g_clear_error (&error);

  return gimp_procedure_new_return_values (procedure, status, error);
}
