/* GIMP 2.10 front end of the AutoRestore plug-in: dialog part (GTK 2 / libgimpui). */
#ifndef AR_GIMP2_H
#define AR_GIMP2_H

#include "ar_common.h"

/* Shows the analysis and the settings; returns TRUE on OK with params updated.
 * engine and analysis may be NULL (then analysis_error says why there are no scores). */
gboolean ar_dialog_run (ArParams                  *params,
                        AutorestoreEngine         *engine,
                        const AutorestoreAnalysis *analysis,
                        const gchar               *analysis_error);

/* A small window with a progress bar and a Cancel button, shown while the library runs.
 * GIMP 2.10's own progress bar (status bar) can only kill a plug-in, so this is the graceful
 * cancel; see README.md "Progress and cancel". */
typedef struct _ArProgressDialog ArProgressDialog;

ArProgressDialog *ar_progress_dialog_new     (const gchar *text);
/* ArTickFunc: updates the bar and GIMP's progress, runs pending GTK events; FALSE = cancelled. */
gboolean          ar_progress_dialog_tick    (gdouble      fraction,
                                              gpointer     dialog);
void              ar_progress_dialog_destroy (ArProgressDialog *dialog);

#endif /* AR_GIMP2_H */
