/* AutoRestore for GIMP 3: the settings dialog (GimpProcedureDialog with the analysis above the
 * procedure's arguments) and the cancellable progress window (GTK 3). */
#include <string.h>

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>

#include "ar_common.h"
#include "ar_gimp3.h"

static GtkWidget *
left_label (const gchar *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  return label;
}

/* "What the analysis found": one bar per degradation, then the verdict, model and device. */
static GtkWidget *
analysis_frame (AutorestoreEngine         *engine,
                const AutorestoreAnalysis *analysis,
                const gchar               *analysis_error)
{
  GtkWidget *frame = gimp_frame_new ("What the analysis found");
  GtkWidget *grid;
  guint      i, n, best = 0;

  if (analysis == NULL || engine == NULL)
    {
      gtk_container_add (GTK_CONTAINER (frame),
                         left_label (analysis_error ? analysis_error : "No analysis available."));
      return frame;
    }

  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_container_add (GTK_CONTAINER (frame), grid);

  n = MIN (analysis->degradation_count, AUTORESTORE_MAX_DEGRADATIONS);
  for (i = 0; i < n; i++)
    {
      const gchar *name  = autorestore_engine_degradation_name (engine, i);
      gfloat       score = CLAMP (analysis->scores[i], 0.0f, 1.0f);
      GtkWidget   *bar   = gtk_progress_bar_new ();
      gchar       *text  = g_strdup_printf ("%.0f %%", score * 100.0);

      if (analysis->scores[i] > analysis->scores[best])
        best = i;

      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), score);
      gtk_progress_bar_set_text (GTK_PROGRESS_BAR (bar), text);
      gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (bar), TRUE);
      gtk_widget_set_hexpand (bar, TRUE);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      gtk_grid_attach (GTK_GRID (grid), left_label (name ? name : "?"), 0, i, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), bar, 1, i, 1, 1);
      g_free (text);
    }

  if (n > 0)
    {
      const gchar *name = autorestore_engine_degradation_name (engine, best);
      const gchar *note = autorestore_engine_device_note (engine);
      gchar       *found;
      gchar       *text;
      GtkWidget   *label;

      /* Scores are independent probabilities: below one half nothing is clearly wrong. */
      if (analysis->scores[best] >= 0.5f)
        found = g_strdup_printf ("Mostly: %s.", name ? name : "?");
      else
        found = g_strdup_printf ("Nothing clearly wrong (highest: %s, %.0f %%).",
                                 name ? name : "?", analysis->scores[best] * 100.0);
      text = g_strdup_printf ("%s\nModel %s on %s, default steps: %u.", found,
                              autorestore_engine_model_name (engine),
                              autorestore_device_name (autorestore_engine_device (engine)),
                              autorestore_engine_default_steps (engine));
      label = left_label (text);
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

/* ------------------------------------------------------------------------------------------ */
/* Progress window with a Cancel button                                                        */
/* ------------------------------------------------------------------------------------------ */

struct _ArProgressDialog
{
  GtkWidget *window;
  GtkWidget *bar;
  gboolean   cancelled;
  gdouble    last;
};

static void
progress_response (GtkDialog        *window,
                   gint              response,
                   ArProgressDialog *dialog)
{
  dialog->cancelled = TRUE;
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (dialog->bar), "Cancelling...");
  gtk_dialog_set_response_sensitive (window, GTK_RESPONSE_CANCEL, FALSE);
}

static gboolean
progress_delete (GtkWidget        *window,
                 GdkEvent         *event,
                 ArProgressDialog *dialog)
{
  progress_response (GTK_DIALOG (window), GTK_RESPONSE_CANCEL, dialog);
  return TRUE;  /* keep the window until the library has stopped */
}

ArProgressDialog *
ar_progress_dialog_new (const gchar *text)
{
  ArProgressDialog *dialog = g_new0 (ArProgressDialog, 1);
  GtkWidget        *vbox;

  dialog->window = gimp_dialog_new ("Auto Restore", AR_PLUG_IN_ROLE "-progress",
                                    NULL, 0, NULL, NULL,
                                    "_Cancel", GTK_RESPONSE_CANCEL,
                                    NULL);
  gimp_window_set_transient (GTK_WINDOW (dialog->window));

  vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_container_set_border_width (GTK_CONTAINER (vbox), 12);
  gtk_box_pack_start (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog->window))),
                      vbox, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (vbox), left_label (text), FALSE, FALSE, 0);

  dialog->bar = gtk_progress_bar_new ();
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (dialog->bar), TRUE);
  gtk_widget_set_size_request (dialog->bar, 300, -1);
  gtk_box_pack_start (GTK_BOX (vbox), dialog->bar, FALSE, FALSE, 0);

  g_signal_connect (dialog->window, "response", G_CALLBACK (progress_response), dialog);
  g_signal_connect (dialog->window, "delete-event", G_CALLBACK (progress_delete), dialog);

  gtk_widget_show_all (dialog->window);
  return dialog;
}

gboolean
ar_progress_dialog_tick (gdouble  fraction,
                         gpointer data)
{
  ArProgressDialog *dialog = data;

  if (! dialog->cancelled && (fraction >= 1.0 || fraction - dialog->last >= 0.005))
    {
      gchar *text = g_strdup_printf ("%.0f %%", fraction * 100.0);

      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (dialog->bar), fraction);
      gtk_progress_bar_set_text (GTK_PROGRESS_BAR (dialog->bar), text);
      g_free (text);
      gimp_progress_update (fraction);
      dialog->last = fraction;
    }

  while (gtk_events_pending ())
    gtk_main_iteration ();

  return ! dialog->cancelled;
}

void
ar_progress_dialog_destroy (ArProgressDialog *dialog)
{
  if (dialog == NULL)
    return;
  gtk_widget_destroy (dialog->window);
  while (gtk_events_pending ())
    gtk_main_iteration ();
  g_free (dialog);
}
