/* AutoRestore plug-in core shared by the GIMP 2.10 and GIMP 3 front ends.
 *
 * Nothing in src/common/ includes a GIMP header: it depends on GLib and on the C API of
 * libautorestore (include/autorestore.h) only. The flow of one run (region, analysis, dialog,
 * restore, write back) is ar_flow_run; a front end gives it a host table (ArHost) of the few
 * things that differ between GIMP versions, so src/gimp2/ and src/gimp3/ stay thin.
 */
#ifndef AR_COMMON_H
#define AR_COMMON_H

#include <glib.h>

#include "autorestore.h"

G_BEGIN_DECLS

#define AR_PLUG_IN_PROC   "plug-in-autorestore"
#define AR_PLUG_IN_BINARY "autorestore"
#define AR_PLUG_IN_ROLE   "autorestore"

/* ------------------------------------------------------------------------------------------ */
/* Parameters                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/* Bump when ArParams changes layout or meaning: remembered values (gimp_set_data) of another
 * version are ignored instead of being misread. */
#define AR_PARAMS_VERSION 2
#define AR_NAME_LEN       16

typedef struct
{
  guint32 version;                /* AR_PARAMS_VERSION */
  gchar   mode[AR_NAME_LEN];      /* "auto", "denoise", "deblur", "dehaze", "lowlight", "derain" */
  gdouble strength;               /* [0, 1] */
  gint32  steps;                  /* >= 0; 0 = the model's default */
  gchar   device[AR_NAME_LEN];    /* "auto", "cpu", "cuda" */
  gboolean preview;               /* the dialog's Preview check box (2.10; GIMP 3 keeps it in
                                   * its config as the aux argument "preview") */
} ArParams;

#define AR_DEFAULT_MODE     "auto"
#define AR_DEFAULT_STRENGTH 1.0
#define AR_DEFAULT_STEPS    0
#define AR_DEFAULT_DEVICE   "auto"
#define AR_MAX_STEPS        64
#define AR_DEFAULT_PREVIEW  TRUE

typedef struct
{
  const gchar *name;   /* PDB / API spelling */
  const gchar *label;  /* UI label (translatable later) */
} ArChoice;

/* NULL-terminated lists of the choices offered in the dialog. The repairs of ar_modes come
 * from the same kinds table as the score bars' names (AR_KINDS in ar_params.c). */
extern const ArChoice ar_modes[];
extern const ArChoice ar_devices[];

/* The human name of a degradation the model reports ("lowlight" -> "Low light"), shared by the
 * score bars and the Repair menu; the model's own name for a kind the table does not know. */
const gchar *ar_kind_label       (const gchar *degradation);

void      ar_params_init     (ArParams *params);
/* Sets mode/device from strings (NULL or "" keep the current value); truncation is an error. */
gboolean  ar_params_set      (ArParams    *params,
                              const gchar *mode,
                              gdouble      strength,
                              gint32       steps,
                              const gchar *device,
                              GError     **error);
/* Validates every field and converts the strings with the library's own parsers. */
gboolean  ar_params_resolve  (const ArParams    *params,
                              AutorestoreMode   *mode,
                              AutorestoreDevice *device,
                              GError           **error);
/* Copies remembered values if they have the right size and version and are valid. */
gboolean  ar_params_restore  (ArParams      *params,
                              gconstpointer  data,
                              gsize          size);
gint      ar_choice_index    (const ArChoice *choices,
                              const gchar    *name);

/* ------------------------------------------------------------------------------------------ */
/* Errors and messages                                                                         */
/* ------------------------------------------------------------------------------------------ */

#define AR_ERROR (ar_error_quark ())
GQuark ar_error_quark (void);
/* GError codes are AutorestoreStatus values. */

/* Builds "<what>: <reason>. <hint>" from a status and the library's message for it. */
void  ar_set_status_error (GError           **error,
                           AutorestoreStatus  status,
                           const gchar       *library_message,
                           const gchar       *what);

/* ------------------------------------------------------------------------------------------ */
/* Finding the library's files, opening an engine                                              */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  gchar *plugin_dir;   /* directory of the running executable (/proc/self/exe), or NULL */
} ArPaths;

/* The plug-in's own folder (its help pages). The model and ONNX Runtime are not looked for
 * here: the library finds them beside itself (lib/ and model/ of the install layout). */
void  ar_paths_locate (ArPaths *paths);
void  ar_paths_clear  (ArPaths *paths);

AutorestoreEngine *ar_engine_open (AutorestoreDevice  device,
                                   GError           **error);

/* ------------------------------------------------------------------------------------------ */
/* Pixels                                                                                      */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  const gchar *babl_format;  /* e.g. "R'G'B'A float": non-linear (sRGB-encoded), as the model */
  guint        channels;     /* 1 Y', 2 Y'A, 3 R'G'B', 4 R'G'B'A */
} ArPixelFormat;

ArPixelFormat ar_pixel_format_for (gboolean is_gray,
                                   gboolean has_alpha);

/* A tightly packed float image of width x height x channels, allocated with g_try_malloc. */
typedef struct
{
  gfloat *data;
  guint   width;
  guint   height;
  guint   channels;
} ArFloatImage;

gboolean ar_float_image_alloc (ArFloatImage *image,
                               guint         width,
                               guint         height,
                               guint         channels,
                               GError      **error);
void     ar_float_image_free  (ArFloatImage *image);
/* The library refuses NaN/Inf: make them 0 (negative inf) or 1 (positive inf). */
void     ar_float_image_sanitize (ArFloatImage *image);
AutorestoreImage ar_float_image_view (const ArFloatImage *image);

/* ------------------------------------------------------------------------------------------ */
/* Running the library off the UI thread, with progress and cancellation                       */
/* ------------------------------------------------------------------------------------------ */

/* Called on the calling (UI) thread about every 50 ms while the job runs, with the fraction
 * done. Return FALSE to cancel: the library stops at its next tile/step boundary. */
typedef gboolean (*ArTickFunc) (gdouble fraction, gpointer user_data);

/* Analysis of a whole image. */
gboolean ar_analyze (AutorestoreEngine   *engine,
                     const ArFloatImage  *image,
                     AutorestoreAnalysis *analysis,
                     ArTickFunc           tick,
                     gpointer             tick_data,
                     GError             **error);

/* The verdict line of an analysis, for the dialogs of both GIMP front ends: "Nothing to
 * repair found." when the amount is 0 (Automatic then leaves the image as it is), else the
 * most likely damage, by its human name. Free with g_free. */
gchar   *ar_analysis_verdict (AutorestoreEngine         *engine,
                              const AutorestoreAnalysis *analysis);

/* Where the engine runs, in plain words: "Running on the CPU. NVIDIA GPU: not set up, see
 * Help." (Automatic fell back to the CPU; the library's technical reason is
 * autorestore_engine_device_note), "Running on the CPU." (chosen), "Running on the NVIDIA
 * GPU.". Free with g_free. */
gchar   *ar_device_summary   (AutorestoreEngine         *engine);

/* The sampler steps as the dialog shows them: "1 (model default)" for 0, else the number. */
gchar   *ar_steps_text       (gint32                     steps,
                              guint                      default_steps);

/* Restores `image` in place. On failure or cancel `image` is unchanged (the library writes its
 * output only at the end) and error says why (code AUTORESTORE_ERR_CANCELLED for a cancel).
 * analysis may be NULL (the library analyses the image itself); given, it is used in every
 * mode (gates and amount in Automatic, the image's condition in all), so an image that the
 * dialog has analysed is not analysed again. */
/* The library's parameters for `params` (mode, strength, steps) and `analysis` (may be NULL);
 * the mode is resolved with the library's parser. */
gboolean ar_restore_params_fill (AutorestoreRestoreParams  *out,
                                 const ArParams            *params,
                                 const AutorestoreAnalysis *analysis,
                                 GError                   **error);

gboolean ar_restore (AutorestoreEngine         *engine,
                     ArFloatImage              *image,
                     const ArParams            *params,
                     const AutorestoreAnalysis *analysis,
                     ArTickFunc                 tick,
                     gpointer                   tick_data,
                     GError                   **error);

/* ------------------------------------------------------------------------------------------ */
/* Regions                                                                                     */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  gint x, y, width, height;
} ArRect;

/* The part of `region` a restore of `view` (inside region) must read so that it equals the
 * whole region's restore there: `context` pixels (the model's receptive field) on each side,
 * clipped to region, with an origin on the `multiple` grid of the region's origin (the
 * library's tile grid). */
ArRect   ar_rect_with_context (const ArRect *view,
                               const ArRect *region,
                               guint         context,
                               guint         multiple);

/* Copies the `dest_rect` part of `src` (covering `src_rect`) into `dest`. */
void     ar_float_image_crop  (const ArFloatImage *src,
                               const ArRect       *src_rect,
                               ArFloatImage       *dest,
                               const ArRect       *dest_rect);

/* For the preview's quick first view (ar_scale.c): `half` (allocated here) is `src` at half
 * width and height (2x2 box average; an odd last row or column averages with itself). */
gboolean ar_float_image_half  (const ArFloatImage *src,
                               ArFloatImage       *half,
                               GError            **error);
/* The inverse for display: the `dest_rect` part of the full-resolution image that `half`
 * (ar_float_image_half of `src_rect`) stands for, upscaled bilinearly into `dest`. */
void     ar_float_image_double_crop (const ArFloatImage *half,
                                     const ArRect       *src_rect,
                                     ArFloatImage       *dest,
                                     const ArRect       *dest_rect);

/* ------------------------------------------------------------------------------------------ */
/* Preview: restores the visible part off the UI thread; a newer request cancels older ones    */
/* ------------------------------------------------------------------------------------------ */

typedef struct _ArPreview ArPreview;

/* Below this many pixels (view and context) the exact preview comes fast enough alone: under
 * 50 ms at the 2.5-3.3 s/MP measured on 2 busy threads. */
#define AR_PREVIEW_QUICK_MIN (128 * 128)

/* Reads `rect` of the drawable as float (UI thread): the host's read_region. */
typedef gboolean (*ArReadFunc)  (gpointer host, const ArRect *rect, ArFloatImage *image,
                                 GError **error);
/* Called on the UI thread with the restored view (`view` of the request), or with
 * image NULL and error set when it failed (not for a cancelled, superseded request).
 * exact is FALSE for the quick first view (restored at half resolution, upscaled: an
 * approximation, to be labelled so), TRUE for the preview that equals what OK gives, which
 * always follows a quick one. */
typedef void     (*ArShowFunc)  (const ArRect *view, const ArFloatImage *image,
                                 gboolean exact, const GError *error, gpointer show_data);

/* engine and analysis (may be NULL) are borrowed and must outlive the preview. The preview
 * restores with the same analysis as the final run, so what it shows is what OK gives. */
ArPreview *ar_preview_new     (AutorestoreEngine         *engine,
                               const AutorestoreAnalysis *analysis,
                               const ArRect              *region,
                               ArReadFunc                 read,
                               gpointer                   host,
                               ArShowFunc                 show,
                               gpointer                   show_data);
/* Reads the view with its context now, restores it on a worker thread and calls show from
 * the main loop when done; cancels the requests before it. A new restore of a view of at
 * least AR_PREVIEW_QUICK_MIN pixels with its context first shows a quick view (exact FALSE:
 * the same read restored at half resolution, about 4x fewer pixels), then the exact one.
 * FALSE with error if the read failed (nothing is started). */
gboolean   ar_preview_request (ArPreview      *preview,
                               const ArParams *params,
                               const ArRect   *view,
                               GError        **error);
/* TRUE while the newest request's restore runs and nothing of it (quick view or exact) has
 * been shown: what the dialog's status line says "restoring" for. A request that started
 * nothing (already coming, or the last result again) leaves it as it was. */
gboolean   ar_preview_restoring (const ArPreview *preview);
/* The quick first view is on by default; FALSE shows only the exact preview (to measure
 * one against the other: make bench-gimp-preview). */
void       ar_preview_set_quick (ArPreview    *preview,
                                 gboolean      quick);
/* Cancels what runs, waits for it and frees. */
void       ar_preview_free    (ArPreview      *preview);

/* ------------------------------------------------------------------------------------------ */
/* One run of the filter, the same for GIMP 2.10 and GIMP 3                                    */
/* ------------------------------------------------------------------------------------------ */

/* What the dialog gets from the flow. */
typedef struct
{
  ArParams                  *params;         /* edited in place on OK */
  AutorestoreEngine         *engine;         /* NULL when it could not be opened */
  const AutorestoreAnalysis *analysis;       /* NULL when there is none */
  const gchar               *analysis_error; /* why there is none, or NULL */
  const ArRect              *region;         /* what the run restores (the selection's box) */
  const gchar               *help_uri;       /* the plug-in's installed help page */
} ArDialogInput;

typedef struct
{
  /* The drawable's region to work on (the mask intersection); FALSE without error when the
   * selection does not touch the drawable (nothing to do), with error when it cannot be
   * worked on (indexed). */
  gboolean (*region)         (gpointer host, ArRect *rect, GError **error);
  /* Allocates `image` (ar_float_image_alloc) and reads rect into it, as float in the
   * drawable's own colour space, channels as the drawable has them. */
  ArReadFunc read_region;
  /* Writes through the shadow buffer and merges it (one undo step; the selection mask
   * blends), then updates the display. */
  void     (*write_region)   (gpointer host, const ArRect *rect, const ArFloatImage *image);
  /* Interactive runs: the dialog; TRUE on OK with input->params updated. */
  gboolean (*dialog)         (gpointer host, const ArDialogInput *input);
  /* Progress of a step; the tick returns FALSE to cancel. cancellable = show a Cancel
   * button (interactive). */
  gpointer (*progress_begin) (const gchar *text, gboolean cancellable);
  ArTickFunc progress_tick;
  void     (*progress_end)   (gpointer progress);
} ArHost;

/* Runs the filter on the host's drawable: region -> read -> (interactive: analysis, dialog)
 * -> restore (with the dialog's analysis in every mode) -> write. The drawable is written
 * only after the library has succeeded. Returns FALSE with error on failure;
 * *dialog_cancelled when the dialog was closed (not an error). */
gboolean ar_flow_run (const ArHost *host,
                      gpointer      host_data,
                      ArParams     *params,
                      gboolean      interactive,
                      gboolean     *dialog_cancelled,
                      GError      **error);

G_END_DECLS

#endif /* AR_COMMON_H */
