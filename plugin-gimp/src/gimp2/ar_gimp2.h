/* GIMP 2.10 front end of the AutoRestore plug-in: the host table of src/common's flow and the
 * dialog (GTK 2 / libgimpui). */
#ifndef AR_GIMP2_H
#define AR_GIMP2_H

#include <libgimp/gimp.h>

#include "ar_common.h"
#include "ar_ui.h"

/* The host data of ar_gimp2_host: the drawable and the float format it is read in (set by
 * the host's region function). */
typedef struct
{
  gint32       id;
  const Babl  *format;
  guint        channels;
} ArGimp2Drawable;

extern const ArHost ar_gimp2_host;

/* ArHost.dialog: shows the analysis, the live preview and the settings; TRUE on OK with
 * input->params updated. */
gboolean ar_dialog_run (gpointer             host_data,
                        const ArDialogInput *input);

#endif /* AR_GIMP2_H */
