/* AutoRestore for GIMP 3: procedure registration (GimpPlugIn / GimpProcedure), run modes and
 * GEGL buffer I/O. The same procedure, arguments and pixel path as src/gimp2/plugin.c:
 *
 * Filters > Enhance > Auto Restore...  /  (plug-in-autorestore run-mode image drawables
 *                                          mode strength steps device)
 *
 * gimp_drawable_mask_intersect -> read the region as float (R'G'B'[A] / Y'[A], in the
 * drawable's own colour space) -> autorestore_restore on a worker thread -> shadow buffer ->
 * gimp_drawable_merge_shadow (one undo step; blends with the selection mask) -> update.
 * Nothing touches the drawable before the library has succeeded. Parameters, messages and the
 * library call come from src/common/.
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
   * mnemonics avoid those of GimpProcedureDialog's own buttons (_Reset, _Save Settings). */
  gimp_procedure_add_choice_argument (procedure, "mode", "Re_pair",
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
params_from_config (GimpProcedureConfig  *config,
                    ArParams             *params,
                    GError              **error)
{
  gchar   *mode   = NULL;
  gchar   *device = NULL;
  gdouble  strength;
  gint     steps;
  gboolean ok;

  g_object_get (config, "mode", &mode, "strength", &strength, "steps", &steps,
                "device", &device, NULL);
  ar_params_init (params);
  ok = ar_params_set (params, mode, strength, steps, device, error);
  g_free (mode);
  g_free (device);
  return ok;
}

/* Returns FALSE with error set on failure; *dialog_cancelled is set when the user closed the
 * dialog (not an error). */
static gboolean
process (GimpProcedure        *procedure,
         GimpProcedureConfig  *config,
         GimpDrawable         *drawable,
         GimpRunMode           run_mode,
         gboolean             *dialog_cancelled,
         GError              **error)
{
  gboolean             interactive = (run_mode == GIMP_RUN_INTERACTIVE);
  GeglRectangle        rect;
  ArParams             params;
  ArPixelFormat        pf;
  const Babl          *format;
  ArFloatImage         image = { 0 };
  ArPaths              paths = { 0 };
  AutorestoreEngine   *engine = NULL;
  AutorestoreDevice    device;
  AutorestoreAnalysis  analysis;
  gboolean             have_analysis = FALSE;
  gboolean             ok = FALSE;
  GeglBuffer          *buffer;

  *dialog_cancelled = FALSE;

  if (gimp_drawable_is_indexed (drawable))
    {
      g_set_error (error, AR_ERROR, AUTORESTORE_ERR_INVALID_ARGUMENT,
                   "Auto Restore works on RGB and grayscale layers only. "
                   "The image was not changed.");
      return FALSE;
    }

  /* As GIMP's filters: a selection outside the layer is nothing to do. */
  if (! gimp_drawable_mask_intersect (drawable, &rect.x, &rect.y, &rect.width, &rect.height))
    return TRUE;

  if (! params_from_config (config, &params, error) ||
      ! ar_params_resolve (&params, NULL, &device, error))
    return FALSE;

  pf = ar_pixel_format_for (gimp_drawable_is_gray (drawable), gimp_drawable_has_alpha (drawable));
  /* Same component layout as asked, but in the drawable's own colour space: no conversion. */
  format = babl_format_with_space (pf.babl_format, gimp_drawable_get_format (drawable));

  if (! ar_float_image_alloc (&image, rect.width, rect.height, pf.channels, error))
    return FALSE;
  buffer = gimp_drawable_get_buffer (drawable);
  gegl_buffer_get (buffer, &rect, 1.0, format, image.data, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  g_object_unref (buffer);
  ar_float_image_sanitize (&image);

  ar_paths_locate (&paths);

  if (interactive)
    {
      GError           *analysis_error = NULL;
      ArStatusProgress  sp = { 0 };
      gboolean          run;

      gimp_progress_init ("Auto Restore: analysing");
      engine = ar_engine_open (&paths, device, &analysis_error);
      if (engine)
        have_analysis = ar_analyze (engine, &image, &analysis, status_progress_tick, &sp,
                                    &analysis_error);
      gimp_progress_end ();

      run = ar_dialog_run (procedure, config, engine, have_analysis ? &analysis : NULL,
                           analysis_error ? analysis_error->message : NULL);
      g_clear_error (&analysis_error);
      if (! run)
        {
          *dialog_cancelled = TRUE;
          goto out;
        }

      {
        AutorestoreDevice old_device = device;

        if (! params_from_config (config, &params, error) ||
            ! ar_params_resolve (&params, NULL, &device, error))
          goto out;
        if (engine && device != old_device)
          g_clear_pointer (&engine, autorestore_engine_destroy);
      }
    }

  if (engine == NULL && (engine = ar_engine_open (&paths, device, error)) == NULL)
    goto out;

  gimp_progress_init ("Auto Restore");
  if (interactive)
    {
      ArProgressDialog *dialog = ar_progress_dialog_new ("Restoring the image...");

      ok = ar_restore (engine, &image, &params,
                       (have_analysis && strcmp (params.mode, "auto") == 0) ? &analysis : NULL,
                       ar_progress_dialog_tick, dialog, error);
      ar_progress_dialog_destroy (dialog);
    }
  else
    {
      ArStatusProgress sp = { 0 };

      ok = ar_restore (engine, &image, &params, NULL, status_progress_tick, &sp, error);
    }

  if (ok)
    {
      GeglBuffer *shadow = gimp_drawable_get_shadow_buffer (drawable);

      gegl_buffer_set (shadow, &rect, 0, format, image.data, GEGL_AUTO_ROWSTRIDE);
      g_object_unref (shadow);  /* flushes the tiles to the core */
      gimp_drawable_merge_shadow (drawable, TRUE);
      gimp_drawable_update (drawable, rect.x, rect.y, rect.width, rect.height);
    }
  gimp_progress_end ();

 out:
  autorestore_engine_destroy (engine);
  ar_paths_clear (&paths);
  ar_float_image_free (&image);
  return ok || *dialog_cancelled;
}

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
  else if (! process (procedure, config, drawables[0], run_mode, &dialog_cancelled, &error))
    {
      status = (error && error->code == AUTORESTORE_ERR_CANCELLED)
               ? GIMP_PDB_CANCEL : GIMP_PDB_EXECUTION_ERROR;
    }
  else if (dialog_cancelled)
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
