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

/* A bar and its percentage for a score in [0, 1] (the analysis's presence scores), drawn in
 * the theme's text colour over a faint trough of it, so it reads in dark and light themes. */
GtkWidget        *ar_score_bar_new           (gfloat       score);

/* Progress for the host table (ArHost): GIMP's progress bar, plus the Cancel window when
 * cancellable. */
gpointer          ar_ui_progress_begin       (const gchar *text,
                                              gboolean     cancellable);
gboolean          ar_ui_progress_tick        (gdouble      fraction,
                                              gpointer     progress);
void              ar_ui_progress_end         (gpointer     progress);

/* Shows 0 in a steps spin button as "1 (model default)" (ar_steps_text). */
void              ar_steps_spin_setup        (GtkSpinButton *spin,
                                              guint          default_steps);

/* The dialogs' help function (GimpHelpFunc; GimpDialog passes itself as help_data): opens the
 * URI set with ar_help_set_uri (the help page installed with the plug-in) in the desktop's
 * browser, else says where the page is. */
void              ar_help_set_uri            (GtkWidget   *dialog,
                                              const gchar *uri);
void              ar_help_show               (const gchar *help_id,
                                              gpointer     help_data);

/* The "What the analysis found" frame both dialogs show: a score bar per kind of damage
 * (human names), the verdict and the device line; or why there is no analysis. */
GtkWidget        *ar_analysis_frame_new      (AutorestoreEngine         *engine,
                                              const AutorestoreAnalysis *analysis,
                                              const gchar               *analysis_error);

/* The live preview of a dialog on a libgimpui GimpPreview (drawable preview of the layer):
 * restores the visible part with the dialog's current settings (get_params) whenever the
 * preview is invalidated (scrolled, Preview switched on, ar_ui_preview_update). float_format
 * is what host->read_region reads, u8_format the drawable's 8-bit layout for drawing. */
typedef gboolean (*ArParamsFunc) (gpointer data, ArParams *params);
typedef struct _ArUiPreview ArUiPreview;

ArUiPreview      *ar_ui_preview_new          (GimpPreview               *widget,
                                              AutorestoreEngine         *engine,
                                              const AutorestoreAnalysis *analysis,
                                              const ArRect              *region,
                                              const ArHost              *host,
                                              gpointer                   host_data,
                                              const Babl                *float_format,
                                              const Babl                *u8_format,
                                              ArParamsFunc               get_params,
                                              gpointer                   params_data);
/* A setting changed: compute again (cancels what runs). */
void              ar_ui_preview_update       (ArUiPreview *preview);
void              ar_ui_preview_free         (ArUiPreview *preview);

/* A left-aligned, wrapping label. */
GtkWidget        *ar_left_label_new          (const gchar *text);

#endif /* AR_UI_H */
