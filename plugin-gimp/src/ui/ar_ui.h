/* GTK pieces both GIMP front ends share (GIMP 2.10: GTK 2, GIMP 3: GTK 3): the cancellable
 * progress window and the score bar of the analysis. Built into each plug-in with its own
 * libgimpui; the few calls that differ between GTK 2 and 3 are chosen by GTK_CHECK_VERSION. */
#ifndef AR_UI_H
#define AR_UI_H

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>

/* A small window with a progress bar and a Cancel button, shown while the library runs.
 * GIMP's own progress bar (status bar) can only kill a plug-in, so this is the graceful
 * cancel; see README.md "Progress and cancel". Main thread only. */
typedef struct _ArProgressDialog ArProgressDialog;

ArProgressDialog *ar_progress_dialog_new     (const gchar *text);
/* ArTickFunc: updates the bar and GIMP's progress, runs pending GTK events; FALSE = cancelled. */
gboolean          ar_progress_dialog_tick    (gdouble      fraction,
                                              gpointer     dialog);
void              ar_progress_dialog_destroy (ArProgressDialog *dialog);

/* A progress bar showing a score in [0, 1] as a percentage (the analysis's presence scores). */
GtkWidget        *ar_score_bar_new           (gfloat       score);

/* A left-aligned, wrapping label. */
GtkWidget        *ar_left_label_new          (const gchar *text);

#endif /* AR_UI_H */
