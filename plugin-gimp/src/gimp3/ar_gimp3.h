/* GIMP 3 front end of the AutoRestore plug-in: dialog part (GTK 3 / libgimpui-3.0). */
#ifndef AR_GIMP3_H
#define AR_GIMP3_H

#include <libgimp/gimp.h>

#include "ar_common.h"
#include "ar_ui.h"

/* Shows the analysis above the procedure's own arguments (GimpProcedureDialog); returns TRUE
 * on OK with config updated. engine and analysis may be NULL (then analysis_error says why
 * there are no scores). */
gboolean ar_dialog_run (GimpProcedure             *procedure,
                        GimpProcedureConfig       *config,
                        AutorestoreEngine         *engine,
                        const AutorestoreAnalysis *analysis,
                        const gchar               *analysis_error);

/* The progress window (ar_progress_dialog_*) is shared: ar_ui.h. */

#endif /* AR_GIMP3_H */
