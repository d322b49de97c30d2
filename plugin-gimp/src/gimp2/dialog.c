/* AutoRestore for GIMP 2.10: the settings dialog (the progress window is shared: ui/ar_ui.c). */
#include <string.h>

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>

#include "ar_common.h"
#include "ar_gimp2.h"

/* ------------------------------------------------------------------------------------------ */
/* Settings dialog                                                                             */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  ArParams *params;
} ArDialogState;

static void
mode_changed (GtkWidget *combo,
              gpointer   data)
{
  ArParams *params = data;
  gint      index;

  if (gimp_int_combo_box_get_active (GIMP_INT_COMBO_BOX (combo), &index) && index >= 0)
    g_strlcpy (params->mode, ar_modes[index].name, sizeof (params->mode));
}

static void
device_changed (GtkWidget *combo,
                gpointer   data)
{
  ArParams *params = data;
  gint      index;

  if (gimp_int_combo_box_get_active (GIMP_INT_COMBO_BOX (combo), &index) && index >= 0)
    g_strlcpy (params->device, ar_devices[index].name, sizeof (params->device));
}

static void
steps_changed (GtkSpinButton *spin,
               gpointer       data)
{
  ArParams *params = data;

  params->steps = gtk_spin_button_get_value_as_int (spin);
}

static GtkWidget *
choice_combo (const ArChoice *choices,
              const gchar    *active,
              GCallback       callback,
              ArParams       *params)
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
                              callback, params);
  return combo;
}

static GtkWidget *
analysis_frame (AutorestoreEngine         *engine,
                const AutorestoreAnalysis *analysis,
                const gchar               *analysis_error)
{
  GtkWidget *frame = gimp_frame_new ("What the analysis found");
  GtkWidget *table;
  guint      i, n;

  if (analysis == NULL || engine == NULL)
    {
      GtkWidget *label = ar_left_label_new (analysis_error
                                            ? analysis_error
                                            : "No analysis available.");

      gtk_container_add (GTK_CONTAINER (frame), label);
      gtk_widget_show (label);
      return frame;
    }

  n = MIN (analysis->degradation_count, AUTORESTORE_MAX_DEGRADATIONS);
  table = gtk_table_new (n + 1, 2, FALSE);
  gtk_table_set_col_spacings (GTK_TABLE (table), 6);
  gtk_table_set_row_spacings (GTK_TABLE (table), 4);
  gtk_container_add (GTK_CONTAINER (frame), table);
  gtk_widget_show (table);

  for (i = 0; i < n; i++)
    {
      const gchar *name = autorestore_engine_degradation_name (engine, i);
      GtkWidget   *bar  = ar_score_bar_new (analysis->scores[i]);

      gimp_table_attach_aligned (GTK_TABLE (table), 0, i,
                                 name ? name : "?", 0.0, 0.5, bar, 1, FALSE);
    }

  if (n > 0)
    {
      const gchar *note = autorestore_engine_device_note (engine);
      gchar       *found;
      gchar       *text;
      GtkWidget   *label;

      /* The analysis' amount says how much Automatic repairs; 0 = nothing to repair. */
      found = ar_analysis_verdict (engine, analysis);
      text = g_strdup_printf ("%s\nModel %s on %s.", found,
                              autorestore_engine_model_name (engine),
                              autorestore_device_name (autorestore_engine_device (engine)));
      label = ar_left_label_new (text);
      /* Why the automatic device choice did not get a GPU, if it did not. */
      if (note && note[0])
        gimp_help_set_help_data (label, note, NULL);
      gtk_table_attach (GTK_TABLE (table), label, 0, 2, n, n + 1,
                        GTK_FILL, GTK_FILL, 0, 0);
      gtk_widget_show (label);
      g_free (found);
      g_free (text);
    }
  return frame;
}

gboolean
ar_dialog_run (ArParams                  *params,
               AutorestoreEngine         *engine,
               const AutorestoreAnalysis *analysis,
               const gchar               *analysis_error)
{
  ArParams   edited = *params;
  GtkWidget *dialog;
  GtkWidget *vbox;
  GtkWidget *table;
  GtkWidget *combo;
  GtkWidget *spin;
  GtkObject *adj;
  gchar     *steps_label;
  gboolean   run;

  gimp_ui_init (AR_PLUG_IN_BINARY, FALSE);

  dialog = gimp_dialog_new ("Auto Restore", AR_PLUG_IN_ROLE,
                            NULL, 0,
                            gimp_standard_help_func, AR_PLUG_IN_PROC,

                            "_Cancel", GTK_RESPONSE_CANCEL,
                            "_OK",     GTK_RESPONSE_OK,

                            NULL);
  gtk_dialog_set_alternative_button_order (GTK_DIALOG (dialog),
                                           GTK_RESPONSE_OK, GTK_RESPONSE_CANCEL, -1);
  gimp_window_set_transient (GTK_WINDOW (dialog));

  vbox = gtk_vbox_new (FALSE, 12);
  gtk_container_set_border_width (GTK_CONTAINER (vbox), 12);
  gtk_box_pack_start (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog))),
                      vbox, TRUE, TRUE, 0);
  gtk_widget_show (vbox);

  {
    GtkWidget *frame = analysis_frame (engine, analysis, analysis_error);

    gtk_box_pack_start (GTK_BOX (vbox), frame, FALSE, FALSE, 0);
    gtk_widget_show (frame);
  }

  table = gtk_table_new (4, 3, FALSE);
  gtk_table_set_col_spacings (GTK_TABLE (table), 6);
  gtk_table_set_row_spacings (GTK_TABLE (table), 6);
  gtk_box_pack_start (GTK_BOX (vbox), table, FALSE, FALSE, 0);
  gtk_widget_show (table);

  combo = choice_combo (ar_modes, edited.mode, G_CALLBACK (mode_changed), &edited);
  gimp_table_attach_aligned (GTK_TABLE (table), 0, 0, "_Repair:", 0.0, 0.5,
                             combo, 2, FALSE);

  adj = gimp_scale_entry_new (GTK_TABLE (table), 0, 1, "_Strength:", 200, 0,
                              edited.strength, 0.0, 1.0, 0.01, 0.1, 2,
                              TRUE, 0, 0,
                              "How much of the restoration to apply (1 = all of it)", NULL);
  g_signal_connect (adj, "value-changed",
                    G_CALLBACK (gimp_double_adjustment_update), &edited.strength);

  spin = gtk_spin_button_new_with_range (0, AR_MAX_STEPS, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), edited.steps);
  g_signal_connect (spin, "value-changed", G_CALLBACK (steps_changed), &edited);
  if (engine)
    steps_label = g_strdup_printf ("S_teps (0 = model default, %u):",
                                   autorestore_engine_default_steps (engine));
  else
    steps_label = g_strdup ("S_teps (0 = model default):");
  gimp_table_attach_aligned (GTK_TABLE (table), 0, 2, steps_label, 0.0, 0.5,
                             spin, 1, TRUE);
  gimp_help_set_help_data (spin, "More steps add detail and take longer; "
                           "1 step gives the smoothest, most faithful result.", NULL);
  g_free (steps_label);

  combo = choice_combo (ar_devices, edited.device, G_CALLBACK (device_changed), &edited);
  gimp_table_attach_aligned (GTK_TABLE (table), 0, 3, "_Device:", 0.0, 0.5,
                             combo, 2, FALSE);

  gtk_widget_show (dialog);
  run = (gimp_dialog_run (GIMP_DIALOG (dialog)) == GTK_RESPONSE_OK);
  gtk_widget_destroy (dialog);

  if (run)
    *params = edited;
  return run;
}
