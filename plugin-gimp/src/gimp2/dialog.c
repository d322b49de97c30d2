/* AutoRestore for GIMP 2.10: the dialog (live preview, analysis, settings). The analysis
 * frame, score bars, steps display, help and preview machinery are shared with GIMP 3
 * (src/ui/ar_ui.c). */
#include <string.h>

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>

#include "ar_common.h"
#include "ar_gimp2.h"

typedef struct
{
  ArParams    edited;
  ArUiPreview *preview;
} DialogState;

static void
settings_changed (DialogState *state)
{
  ar_ui_preview_update (state->preview);
}

static void
mode_changed (GtkWidget   *combo,
              DialogState *state)
{
  gint index;

  if (gimp_int_combo_box_get_active (GIMP_INT_COMBO_BOX (combo), &index) && index >= 0)
    g_strlcpy (state->edited.mode, ar_modes[index].name, sizeof (state->edited.mode));
  settings_changed (state);
}

static void
device_changed (GtkWidget   *combo,
                DialogState *state)
{
  gint index;

  /* The preview keeps the engine the dialog opened; the device changes no pixel. */
  if (gimp_int_combo_box_get_active (GIMP_INT_COMBO_BOX (combo), &index) && index >= 0)
    g_strlcpy (state->edited.device, ar_devices[index].name, sizeof (state->edited.device));
}

static void
strength_changed (GtkAdjustment *adj,
                  DialogState   *state)
{
  state->edited.strength = gtk_adjustment_get_value (adj);
  settings_changed (state);
}

static void
steps_changed (GtkSpinButton *spin,
               DialogState   *state)
{
  state->edited.steps = gtk_spin_button_get_value_as_int (spin);
  settings_changed (state);
}

static gboolean
current_params (gpointer  data,
                ArParams *params)
{
  *params = ((DialogState *) data)->edited;
  return TRUE;
}

static GtkWidget *
choice_combo (const ArChoice *choices,
              const gchar    *active,
              GCallback       callback,
              DialogState    *state)
{
  GtkWidget *combo = g_object_new (GIMP_TYPE_INT_COMBO_BOX, NULL);
  gint       index = ar_choice_index (choices, active);
  gint       i;

  for (i = 0; choices[i].name; i++)
    gimp_int_combo_box_append (GIMP_INT_COMBO_BOX (combo),
                               GIMP_INT_STORE_VALUE, i,
                               GIMP_INT_STORE_LABEL, choices[i].label,
                               -1);

  gimp_int_combo_box_connect (GIMP_INT_COMBO_BOX (combo), index >= 0 ? index : 0,
                              callback, state);
  return combo;
}

/* The 8-bit layout GimpPreview draws for the drawable (gimp_drawable_type), in its space. */
static const Babl *
preview_u8_format (const ArGimp2Drawable *d)
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
  ArGimp2Drawable *drawable = host_data;
  DialogState      state = { *input->params, NULL };
  GtkWidget       *dialog;
  GtkWidget       *hbox;
  GtkWidget       *vbox;
  GtkWidget       *preview = NULL;
  GtkWidget       *table;
  GtkWidget       *combo;
  GtkWidget       *spin;
  GtkObject       *adj;
  gboolean         run;

  gimp_ui_init (AR_PLUG_IN_BINARY, FALSE);

  dialog = gimp_dialog_new ("Auto Restore", AR_PLUG_IN_ROLE,
                            NULL, 0,
                            ar_help_show, AR_PLUG_IN_PROC,

                            "_Cancel", GTK_RESPONSE_CANCEL,
                            "_OK",     GTK_RESPONSE_OK,

                            NULL);
  ar_help_set_uri (dialog, input->help_uri);
  gtk_dialog_set_alternative_button_order (GTK_DIALOG (dialog),
                                           GTK_RESPONSE_OK, GTK_RESPONSE_CANCEL, -1);
  gimp_window_set_transient (GTK_WINDOW (dialog));

  hbox = gtk_hbox_new (FALSE, 12);
  gtk_container_set_border_width (GTK_CONTAINER (hbox), 12);
  gtk_box_pack_start (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog))),
                      hbox, TRUE, TRUE, 0);

  /* The preview: libgimpui's drawable preview, with its own "Preview" check box. */
  if (input->engine)
    {
      preview = gimp_drawable_preview_new_from_drawable_id (drawable->id);
      gimp_preview_set_update (GIMP_PREVIEW (preview), state.edited.preview);
      gtk_box_pack_start (GTK_BOX (hbox), preview, TRUE, TRUE, 0);
      state.preview = ar_ui_preview_new (GIMP_PREVIEW (preview), input->engine, input->analysis,
                                         input->region, &ar_gimp2_host, drawable,
                                         drawable->format, preview_u8_format (drawable),
                                         current_params, &state);
    }

  vbox = gtk_vbox_new (FALSE, 12);
  gtk_box_pack_start (GTK_BOX (hbox), vbox, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (vbox),
                      ar_analysis_frame_new (input->engine, input->analysis, input->analysis_error),
                      FALSE, FALSE, 0);

  table = gtk_table_new (4, 3, FALSE);
  gtk_table_set_col_spacings (GTK_TABLE (table), 6);
  gtk_table_set_row_spacings (GTK_TABLE (table), 6);
  gtk_box_pack_start (GTK_BOX (vbox), table, FALSE, FALSE, 0);

  combo = choice_combo (ar_modes, state.edited.mode, G_CALLBACK (mode_changed), &state);
  gimp_table_attach_aligned (GTK_TABLE (table), 0, 0, "_Repair:", 0.0, 0.5, combo, 2, FALSE);

  adj = gimp_scale_entry_new (GTK_TABLE (table), 0, 1, "_Strength:", 200, 0,
                              state.edited.strength, 0.0, 1.0, 0.01, 0.1, 2,
                              TRUE, 0, 0,
                              "How much of the restoration to apply (1 = all of it)", NULL);
  g_signal_connect (adj, "value-changed", G_CALLBACK (strength_changed), &state);

  spin = gtk_spin_button_new_with_range (0, AR_MAX_STEPS, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), state.edited.steps);
  if (input->engine)
    ar_steps_spin_setup (GTK_SPIN_BUTTON (spin), autorestore_engine_default_steps (input->engine));
  g_signal_connect (spin, "value-changed", G_CALLBACK (steps_changed), &state);
  gimp_table_attach_aligned (GTK_TABLE (table), 0, 2, "S_teps:", 0.0, 0.5, spin, 1, TRUE);
  gimp_help_set_help_data (spin, "Sampler steps. More steps add detail and take longer; "
                           "1 step gives the smoothest, most faithful result.", NULL);

  combo = choice_combo (ar_devices, state.edited.device, G_CALLBACK (device_changed), &state);
  gimp_table_attach_aligned (GTK_TABLE (table), 0, 3, "_Device:", 0.0, 0.5, combo, 2, FALSE);

  gtk_widget_show_all (dialog);
  run = (gimp_dialog_run (GIMP_DIALOG (dialog)) == GTK_RESPONSE_OK);

  if (preview)
    state.edited.preview = gimp_preview_get_update (GIMP_PREVIEW (preview));
  ar_ui_preview_free (state.preview);
  gtk_widget_destroy (dialog);

  if (run)
    *input->params = state.edited;
  return run;
}
