/* GIMP 2.10 front end of the AutoRestore plug-in: dialog part (GTK 2 / libgimpui). */
#ifndef AR_GIMP2_H
#define AR_GIMP2_H

#include "ar_common.h"
#include "ar_ui.h"

/* Shows the analysis and the settings; returns TRUE on OK with params updated.
 * engine and analysis may be NULL (then analysis_error says why there are no scores). */
gboolean ar_dialog_run (ArParams                  *params,
                        AutorestoreEngine         *engine,
                        const AutorestoreAnalysis *analysis,
                        const gchar               *analysis_error);

/* The progress window (ar_progress_dialog_*) is shared: ar_ui.h. */

#endif /* AR_GIMP2_H */
