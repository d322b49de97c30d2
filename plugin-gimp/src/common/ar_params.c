/* Parameters, choices and error messages of the AutoRestore plug-in (host independent). */
#include <math.h>
#include <string.h>

#include "ar_common.h"

/* The kinds of damage: the model's degradation name, the PDB mode that repairs it and the one
 * human name the dialogs show for both (score bar and Repair menu). The only place these are
 * spelled out; ar_modes and ar_kind_label are made from it. */
#define AR_KINDS(X)                        \
  X ("noise",    "denoise",  "Noise")      \
  X ("blur",     "deblur",   "Blur")       \
  X ("haze",     "dehaze",   "Haze")       \
  X ("lowlight", "lowlight", "Low light")  \
  X ("rain",     "derain",   "Rain")

#define AR_KIND_MODE(degradation, mode, label)  { mode, label },
#define AR_KIND_NAME(degradation, mode, label)  { degradation, label },

const ArChoice ar_modes[] =
{
  { "auto", "Automatic (what the analysis found)" },
  AR_KINDS (AR_KIND_MODE)
  { NULL, NULL }
};

/* name = the model's degradation name */
static const ArChoice ar_kinds[] =
{
  AR_KINDS (AR_KIND_NAME)
  { NULL, NULL }
};

const gchar *
ar_kind_label (const gchar *degradation)
{
  gint i = ar_choice_index (ar_kinds, degradation);

  return i >= 0 ? ar_kinds[i].label : degradation;
}

gchar *
ar_steps_text (gint32 steps,
               guint  default_steps)
{
  if (steps == 0)
    return g_strdup_printf ("%u (model default)", default_steps);
  return g_strdup_printf ("%d", steps);
}

const ArChoice ar_devices[] =
{
  { "auto", "Automatic (NVIDIA GPU when set up, else CPU)" },
  { "cpu",  "CPU" },
  { "cuda", "NVIDIA GPU (CUDA)" },
  { NULL, NULL }
};

G_DEFINE_QUARK (autorestore-plug-in-error-quark, ar_error)

void
ar_params_init (ArParams *params)
{
  memset (params, 0, sizeof (*params));
  params->version  = AR_PARAMS_VERSION;
  g_strlcpy (params->mode, AR_DEFAULT_MODE, sizeof (params->mode));
  params->strength = AR_DEFAULT_STRENGTH;
  params->steps    = AR_DEFAULT_STEPS;
  g_strlcpy (params->device, AR_DEFAULT_DEVICE, sizeof (params->device));
  params->preview  = AR_DEFAULT_PREVIEW;
}

static gboolean
copy_name (gchar       *dest,
           const gchar *src,
           const gchar *what,
           GError     **error)
{
  if (src == NULL || src[0] == '\0')
    return TRUE;

  if (strlen (src) >= AR_NAME_LEN)
    {
      g_set_error (error, AR_ERROR, AUTORESTORE_ERR_INVALID_ARGUMENT,
                   "Unknown %s \"%s\"", what, src);
      return FALSE;
    }
  g_strlcpy (dest, src, AR_NAME_LEN);
  return TRUE;
}

gboolean
ar_params_set (ArParams    *params,
               const gchar *mode,
               gdouble      strength,
               gint32       steps,
               const gchar *device,
               GError     **error)
{
  ArParams p = *params;

  if (! copy_name (p.mode, mode, "mode", error) ||
      ! copy_name (p.device, device, "device", error))
    return FALSE;

  p.strength = strength;
  p.steps    = steps;

  if (! ar_params_resolve (&p, NULL, NULL, error))
    return FALSE;

  *params = p;
  return TRUE;
}

gboolean
ar_params_resolve (const ArParams    *params,
                   AutorestoreMode   *mode,
                   AutorestoreDevice *device,
                   GError           **error)
{
  AutorestoreMode   m;
  AutorestoreDevice d;

  if (params->version != AR_PARAMS_VERSION)
    {
      g_set_error (error, AR_ERROR, AUTORESTORE_ERR_INVALID_ARGUMENT,
                   "Parameter block version %u, expected %u",
                   params->version, AR_PARAMS_VERSION);
      return FALSE;
    }
  /* The library's parser is the single source of truth for names (and accepts
   * "custom"/"webgpu", which the PDB may pass; the dialog only offers ar_modes/ar_devices). */
  if (memchr (params->mode, '\0', AR_NAME_LEN) == NULL ||
      autorestore_mode_from_name (params->mode, &m) != AUTORESTORE_OK ||
      m == AUTORESTORE_MODE_CUSTOM)
    {
      g_set_error (error, AR_ERROR, AUTORESTORE_ERR_INVALID_ARGUMENT,
                   "Unknown mode \"%.*s\" (use auto, denoise, deblur, dehaze, lowlight or derain)",
                   AR_NAME_LEN, params->mode);
      return FALSE;
    }
  if (memchr (params->device, '\0', AR_NAME_LEN) == NULL ||
      autorestore_device_from_name (params->device, &d) != AUTORESTORE_OK)
    {
      g_set_error (error, AR_ERROR, AUTORESTORE_ERR_INVALID_ARGUMENT,
                   "Unknown device \"%.*s\" (use auto, cpu or cuda)",
                   AR_NAME_LEN, params->device);
      return FALSE;
    }
  if (! (params->strength >= 0.0 && params->strength <= 1.0))
    {
      g_set_error (error, AR_ERROR, AUTORESTORE_ERR_INVALID_ARGUMENT,
                   "Strength %g is outside [0, 1]", params->strength);
      return FALSE;
    }
  if (params->steps < 0 || params->steps > AR_MAX_STEPS)
    {
      g_set_error (error, AR_ERROR, AUTORESTORE_ERR_INVALID_ARGUMENT,
                   "Steps %d is outside [0, %d] (0 = the model's default)",
                   params->steps, AR_MAX_STEPS);
      return FALSE;
    }

  if (mode)
    *mode = m;
  if (device)
    *device = d;
  return TRUE;
}

gboolean
ar_params_restore (ArParams      *params,
                   gconstpointer  data,
                   gsize          size)
{
  ArParams p;

  if (data == NULL || size != sizeof (ArParams))
    return FALSE;

  memcpy (&p, data, sizeof (p));
  if (! ar_params_resolve (&p, NULL, NULL, NULL) || (p.preview != FALSE && p.preview != TRUE))
    return FALSE;

  *params = p;
  return TRUE;
}

gint
ar_choice_index (const ArChoice *choices,
                 const gchar    *name)
{
  gint i;

  for (i = 0; choices[i].name; i++)
    if (g_strcmp0 (choices[i].name, name) == 0)
      return i;
  return -1;
}

void
ar_set_status_error (GError           **error,
                     AutorestoreStatus  status,
                     const gchar       *library_message,
                     const gchar       *what)
{
  const gchar *reason = (library_message && library_message[0])
                        ? library_message : autorestore_status_name (status);
  const gchar *hint;

  switch (status)
    {
    case AUTORESTORE_ERR_RUNTIME_NOT_FOUND:
      hint = "Reinstall the plug-in (make install-gimp puts libonnxruntime.so into its lib/ "
             "folder) or set AUTORESTORE_ORT_LIB to the library's path.";
      break;
    case AUTORESTORE_ERR_MODEL:
      hint = "Reinstall the plug-in (make install-gimp puts the model into its model/ folder) "
             "or set AUTORESTORE_MODEL_DIR to a folder with analyze.onnx, restore.onnx and "
             "manifest.json.";
      break;
    case AUTORESTORE_ERR_PROVIDER_UNAVAILABLE:
      hint = "Choose the device \"auto\" or \"cpu\".";
      break;
    case AUTORESTORE_ERR_TOO_LARGE:
      hint = "Select a smaller part of the image.";
      break;
    case AUTORESTORE_ERR_CANCELLED:
      hint = "";
      break;
    default:
      hint = "";
      break;
    }

  if (status == AUTORESTORE_ERR_CANCELLED)
    g_set_error (error, AR_ERROR, status,
                 "%s: cancelled. The image was not changed.", what);
  else
    g_set_error (error, AR_ERROR, status,
                 "%s failed (%s): %s. %s%sThe image was not changed.",
                 what, autorestore_status_name (status), reason,
                 hint, hint[0] ? " " : "");
}
