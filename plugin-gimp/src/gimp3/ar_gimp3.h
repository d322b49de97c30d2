/* GIMP 3 front end of the AutoRestore plug-in: the host table of src/common's flow and the
 * dialog (GTK 3 / libgimpui-3.0). */
#ifndef AR_GIMP3_H
#define AR_GIMP3_H

#include <libgimp/gimp.h>

#include "ar_common.h"
#include "ar_ui.h"

/* The host data of ar_gimp3_host: the drawable, the float format it is read in (set by the
 * host's region function), and the procedure and config the dialog edits. */
typedef struct
{
  GimpDrawable        *drawable;
  const Babl          *format;
  guint                channels;
  GimpProcedure       *procedure;
  GimpProcedureConfig *config;
} ArGimp3Drawable;

extern const ArHost ar_gimp3_host;

/* The config's arguments (and the aux argument "preview") as the common ArParams. */
gboolean ar_gimp3_params_from_config (GimpProcedureConfig  *config,
                                      ArParams             *params,
                                      GError              **error);

/* ArHost.dialog: the analysis and the live preview beside the procedure's own arguments
 * (GimpProcedureDialog); TRUE on OK with the config and input->params updated. */
gboolean ar_dialog_run (gpointer             host_data,
                        const ArDialogInput *input);

#endif /* AR_GIMP3_H */
