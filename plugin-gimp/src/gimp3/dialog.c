/* AutoRestore for GIMP 3: the settings dialog (GimpProcedureDialog with the analysis above the
 * procedure's arguments); the progress window is shared (ui/ar_ui.c). */
#include <string.h>

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>

#include "ar_common.h"
#include "ar_gimp3.h"

/* "What the analysis found": one bar per degradation, then the verdict, model and device. */
static GtkWidget *
analysis_frame (AutorestoreEngine         *engine,
                const AutorestoreAnalysis *analysis,
                const gchar               *analysis_error)
{
  GtkWidget *frame = gimp_frame_new ("What the analysis found");
  GtkWidget *grid;
  guint      i, n;

  if (analysis == NULL || engine == NULL)
    {
      gtk_container_add (GTK_CONTAINER (frame),
                         ar_left_label_new (analysis_error ? analysis_error : "No analysis available."));
      return frame;
    }

  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_container_add (GTK_CONTAINER (frame), grid);

  n = MIN (analysis->degradation_count, AUTORESTORE_MAX_DEGRADATIONS);
  for (i = 0; i < n; i++)
    {
      const gchar *name = autorestore_engine_degradation_name (engine, i);
      GtkWidget   *bar  = ar_score_bar_new (analysis->scores[i]);

      gtk_widget_set_hexpand (bar, TRUE);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      gtk_grid_attach (GTK_GRID (grid), ar_left_label_new (name ? name : "?"), 0, i, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), bar, 1, i, 1, 1);
    }

  if (n > 0)
    {
      const gchar *note = autorestore_engine_device_note (engine);
      gchar       *found;
      gchar       *text;
      GtkWidget   *label;

      /* The analysis' amount says how much Automatic repairs; 0 = nothing to repair. */
      found = ar_analysis_verdict (engine, analysis);
      text = g_strdup_printf ("%s\nModel %s on %s, default steps: %u.", found,
                              autorestore_engine_model_name (engine),
                              autorestore_device_name (autorestore_engine_device (engine)),
                              autorestore_engine_default_steps (engine));
      label = ar_left_label_new (text);
      /* Why the automatic device choice did not get a GPU, if it did not. */
      if (note && note[0])
        gimp_help_set_help_data (label, note, NULL);
      gtk_grid_attach (GTK_GRID (grid), label, 0, n, 2, 1);
      g_free (found);
      g_free (text);
    }
  return frame;
}

gboolean
ar_dialog_run (GimpProcedure             *procedure,
               GimpProcedureConfig       *config,
               AutorestoreEngine         *engine,
               const AutorestoreAnalysis *analysis,
               const gchar               *analysis_error)
{
  GtkWidget *dialog;
  GtkWidget *frame;
  GtkWidget *content;
  gboolean   run;

  gimp_ui_init (AR_PLUG_IN_BINARY);

  dialog = gimp_procedure_dialog_new (procedure, config, "Auto Restore");
  /* The arguments (mode, strength, steps, device) as GIMP draws them from their definitions;
   * strength as a slider. */
  gimp_procedure_dialog_get_scale_entry (GIMP_PROCEDURE_DIALOG (dialog), "strength", 1.0);
  gimp_procedure_dialog_fill (GIMP_PROCEDURE_DIALOG (dialog),
                              "mode", "strength", "steps", "device", NULL);

  frame = analysis_frame (engine, analysis, analysis_error);
  content = gtk_dialog_get_content_area (GTK_DIALOG (dialog));
  gtk_box_pack_start (GTK_BOX (content), frame, FALSE, FALSE, 0);
  gtk_box_reorder_child (GTK_BOX (content), frame, 0);
  gtk_widget_show_all (frame);

  run = gimp_procedure_dialog_run (GIMP_PROCEDURE_DIALOG (dialog));
  gtk_widget_destroy (dialog);
  return run;
}
