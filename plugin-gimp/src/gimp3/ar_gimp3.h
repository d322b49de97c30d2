/* GIMP 3 front end of the AutoRestore plug-in: dialog part (GTK 3 / libgimpui-3.0). */
#ifndef AR_GIMP3_H
#define AR_GIMP3_H

#include <libgimp/gimp.h>

#include "ar_common.h"

/* Shows the analysis above the procedure's own arguments (GimpProcedureDialog); returns TRUE
 * on OK with config updated. engine and analysis may be NULL (then analysis_error says why
 * there are no scores). */
gboolean ar_dialog_run (GimpProcedure             *procedure,
                        GimpProcedureConfig       *config,
                        AutorestoreEngine         *engine,
                        const AutorestoreAnalysis *analysis,
                        const gchar               *analysis_error);

/* A small window with a progress bar and a Cancel button, shown while the library runs.
 * GIMP's own progress bar (status bar) can only kill a plug-in, so this is the graceful
 * cancel; see README.md "Progress and cancel". */
typedef struct _ArProgressDialog ArProgressDialog;

ArProgressDialog *ar_progress_dialog_new     (const gchar *text);
/* ArTickFunc: updates the bar and GIMP's progress, runs pending GTK events; FALSE = cancelled. */
gboolean          ar_progress_dialog_tick    (gdouble      fraction,
                                              gpointer     dialog);
void              ar_progress_dialog_destroy (ArProgressDialog *dialog);

#endif /* AR_GIMP3_H */
