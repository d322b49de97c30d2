/* AutoRestore plug-in core shared by the GIMP front ends (GIMP 2.10 now, GIMP 3 later).
 *
 * Nothing in src/common/ includes a GIMP header: it depends on GLib and on the C API of
 * libautorestore (include/autorestore.h) only. The GIMP-facing code (PDB registration, dialog,
 * GEGL buffer I/O) lives in src/gimp2/ and should stay thin, so that a GIMP 3 port replaces that
 * directory and keeps this one.
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
#define AR_PARAMS_VERSION 1
#define AR_NAME_LEN       16

typedef struct
{
  guint32 version;                /* AR_PARAMS_VERSION */
  gchar   mode[AR_NAME_LEN];      /* "auto", "denoise", "deblur", "dehaze", "lowlight", "derain" */
  gdouble strength;               /* [0, 1] */
  gint32  steps;                  /* >= 0; 0 = the model's default */
  gchar   device[AR_NAME_LEN];    /* "auto", "cpu", "cuda" */
} ArParams;

#define AR_DEFAULT_MODE     "auto"
#define AR_DEFAULT_STRENGTH 1.0
#define AR_DEFAULT_STEPS    0
#define AR_DEFAULT_DEVICE   "auto"
#define AR_MAX_STEPS        64

typedef struct
{
  const gchar *name;   /* PDB / API spelling */
  const gchar *label;  /* UI label (translatable later) */
} ArChoice;

/* NULL-terminated lists of the choices offered in the dialog. */
extern const ArChoice ar_modes[];
extern const ArChoice ar_devices[];

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
  gchar *model_dir;    /* NULL: let the library search */
  gchar *ort_library;  /* NULL: let the library search */
} ArPaths;

/* Model: $AUTORESTORE_MODEL_DIR, else <plugin_dir>/model if it exists, else NULL.
 * ONNX Runtime: $AUTORESTORE_ORT_LIB, else <plugin_dir>/lib/libonnxruntime.so* if it exists,
 * else NULL (the library then searches ORT_DYLIB_PATH, beside itself, ...). */
void  ar_paths_locate (ArPaths *paths);
void  ar_paths_clear  (ArPaths *paths);

AutorestoreEngine *ar_engine_open (const ArPaths     *paths,
                                   AutorestoreDevice  device,
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
 * most likely damage. Free with g_free. */
gchar   *ar_analysis_verdict (AutorestoreEngine         *engine,
                              const AutorestoreAnalysis *analysis);

/* Restores `image` in place. On failure or cancel `image` is unchanged (the library writes its
 * output only at the end) and error says why (code AUTORESTORE_ERR_CANCELLED for a cancel).
 * analysis may be NULL (the library analyses the image itself). */
gboolean ar_restore (AutorestoreEngine         *engine,
                     ArFloatImage              *image,
                     const ArParams            *params,
                     const AutorestoreAnalysis *analysis,
                     ArTickFunc                 tick,
                     gpointer                   tick_data,
                     GError                   **error);

G_END_DECLS

#endif /* AR_COMMON_H */
