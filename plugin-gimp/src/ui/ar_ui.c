/* GTK pieces both GIMP front ends share: see ar_ui.h. */
#include "ar_common.h"
#include "ar_ui.h"

GtkWidget *
ar_left_label_new (const gchar *text)
{
  GtkWidget *label = gtk_label_new (text);

#if GTK_CHECK_VERSION (3, 16, 0)
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
#else
  gtk_misc_set_alignment (GTK_MISC (label), 0.0, 0.5);
#endif
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  return label;
}

/* GTK 2 draws a progress bar's text whenever it is set; GTK 3 only when asked to. */
static GtkWidget *
progress_bar_with_text (void)
{
  GtkWidget *bar = gtk_progress_bar_new ();

#if GTK_CHECK_VERSION (3, 0, 0)
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (bar), TRUE);
#endif
  return bar;
}

static void
progress_bar_show (GtkWidget *bar,
                   gdouble    fraction)
{
  gchar *text = g_strdup_printf ("%.0f %%", fraction * 100.0);

  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), fraction);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (bar), text);
  g_free (text);
}

GtkWidget *
ar_score_bar_new (gfloat score)
{
  GtkWidget *bar = progress_bar_with_text ();

  progress_bar_show (bar, CLAMP (score, 0.0f, 1.0f));
  return bar;
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

#if GTK_CHECK_VERSION (3, 0, 0)
  vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
#else
  vbox = gtk_vbox_new (FALSE, 6);
#endif
  gtk_container_set_border_width (GTK_CONTAINER (vbox), 12);
  gtk_box_pack_start (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog->window))),
                      vbox, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (vbox), ar_left_label_new (text), FALSE, FALSE, 0);

  dialog->bar = progress_bar_with_text ();
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

  /* Redraw at most every half percent: the library ticks per tile row, often thousands. */
  if (! dialog->cancelled && (fraction >= 1.0 || fraction - dialog->last >= 0.005))
    {
      progress_bar_show (dialog->bar, fraction);
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
