/* AutoRestore for GIMP 3: the dialog, a GimpProcedureDialog with the live preview (bound to
 * the aux argument "preview", so GIMP remembers the check box) beside the analysis and the
 * procedure's arguments. The analysis frame, score bars, steps display, help and preview
 * machinery are shared with GIMP 2.10 (src/ui/ar_ui.c). */
#include <string.h>

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>

#include "ar_common.h"
#include "ar_gimp3.h"

static gboolean
current_params (gpointer  data,
                ArParams *params)
{
  return ar_gimp3_params_from_config (data, params, NULL);
}

static void
config_changed (GObject     *config,
                GParamSpec  *pspec,
                ArUiPreview *preview)
{
  /* The device changes no pixel, and the preview check box redraws by itself. */
  if (strcmp (pspec->name, "device") != 0 && strcmp (pspec->name, "preview") != 0)
    ar_ui_preview_update (preview);
}

/* The 8-bit layout GimpPreview draws for the drawable (gimp_drawable_type), in its space. */
static const Babl *
preview_u8_format (const ArGimp3Drawable *d)
{
  const gchar *name;

  switch (d->channels)
    {
    case 1:  name = "Y' u8"; break;
    case 2:  name = "Y'A u8"; break;
    case 3:  name = "R'G'B' u8"; break;
    default: name = "R'G'B'A u8"; break;
    }
  return babl_format_with_space (name, d->format);
}

gboolean
ar_dialog_run (gpointer             host_data,
               const ArDialogInput *input)
{
  ArGimp3Drawable *d = host_data;
  GtkWidget       *dialog;
  GtkWidget       *settings;
  GtkWidget       *main_box;
  GtkWidget       *steps;
  ArUiPreview     *preview = NULL;
  gulong           notify = 0;
  gboolean         run;
  gboolean         use_header_bar;

  gimp_ui_init (AR_PLUG_IN_BINARY);

  /* gimp_procedure_dialog_new with our own help function: the plug-in's installed page,
   * not GIMP's manual (which has no page for it). */
  g_object_get (gtk_settings_get_default (), "gtk-dialogs-use-header", &use_header_bar, NULL);
  dialog = g_object_new (GIMP_TYPE_PROCEDURE_DIALOG,
                         "procedure",      d->procedure,
                         "config",         d->config,
                         "title",          "Auto Restore",
                         "help-func",      ar_help_show,
                         "help-id",        AR_PLUG_IN_PROC,
                         "use-header-bar", use_header_bar,
                         NULL);
  ar_help_set_uri (dialog, input->help_uri);

  /* Strength as a slider; steps shows 0 as "1 (model default)". */
  gimp_procedure_dialog_get_scale_entry (GIMP_PROCEDURE_DIALOG (dialog), "strength", 1.0);
  steps = gimp_procedure_dialog_get_widget (GIMP_PROCEDURE_DIALOG (dialog), "steps",
                                            G_TYPE_NONE);
  if (input->engine && GIMP_IS_LABEL_SPIN (steps))
    ar_steps_spin_setup (GTK_SPIN_BUTTON (gimp_label_spin_get_spin_button (GIMP_LABEL_SPIN (steps))),
                         autorestore_engine_default_steps (input->engine));

  settings = gimp_procedure_dialog_fill_box (GIMP_PROCEDURE_DIALOG (dialog), "settings-box",
                                             "mode", "strength", "steps", "device", NULL);
  gtk_box_set_spacing (GTK_BOX (settings), 6);
  {
    GtkWidget *frame = ar_analysis_frame_new (input->engine, input->analysis,
                                              input->analysis_error);

    gtk_box_pack_start (GTK_BOX (settings), frame, FALSE, FALSE, 6);
    gtk_box_reorder_child (GTK_BOX (settings), frame, 0);
    gtk_widget_show_all (frame);
  }

  if (input->engine)
    {
      GtkWidget *widget = gimp_procedure_dialog_get_drawable_preview (GIMP_PROCEDURE_DIALOG (dialog),
                                                                      "preview", d->drawable);

      preview = ar_ui_preview_new (GIMP_PREVIEW (widget), input->engine, input->analysis,
                                   input->region, &ar_gimp3_host, d, d->format,
                                   preview_u8_format (d), current_params, d->config);
      notify = g_signal_connect (d->config, "notify", G_CALLBACK (config_changed), preview);
      main_box = gimp_procedure_dialog_fill_box (GIMP_PROCEDURE_DIALOG (dialog), "main-box",
                                                 "preview", "settings-box", NULL);
      gtk_orientable_set_orientation (GTK_ORIENTABLE (main_box), GTK_ORIENTATION_HORIZONTAL);
      gtk_box_set_spacing (GTK_BOX (main_box), 12);
      gimp_procedure_dialog_fill (GIMP_PROCEDURE_DIALOG (dialog), "main-box", NULL);
    }
  else
    {
      gimp_procedure_dialog_fill (GIMP_PROCEDURE_DIALOG (dialog), "settings-box", NULL);
    }

  run = gimp_procedure_dialog_run (GIMP_PROCEDURE_DIALOG (dialog));
  if (notify)
    g_signal_handler_disconnect (d->config, notify);
  ar_ui_preview_free (preview);
  gtk_widget_destroy (dialog);

  if (run && ! ar_gimp3_params_from_config (d->config, input->params, NULL))
    run = FALSE;
  return run;
}
