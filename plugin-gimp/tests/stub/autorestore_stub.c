/* Test double of libautorestore for the GIMP plug-in's plumbing tests (make test-gimp-stub).
 *
 * Implements the C API of include/autorestore.h with a 5x5 box filter as "restoration", so the
 * GIMP side (PDB, selection, alpha, precisions, errors, undo) can be tested without ONNX Runtime
 * or a trained model. It is never installed with the plug-in. Environment knobs:
 *   AUTORESTORE_STUB_DELAY_MS        sleep per progress step (to try cancel by hand)
 *   AUTORESTORE_STUB_FIRST_DELAY_MS  sleep before the process's first restore starts: a dialog's
 *                                    preview then shows the original for that long, which the
 *                                    UI tests read off the screen before the quick view replaces
 *                                    it (one screen read takes about a second there)
 * A model_dir without analyze.onnx fails with AUTORESTORE_ERR_MODEL, like the real library.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "autorestore.h"

static __thread char last_error[512];

static AutorestoreStatus
fail (AutorestoreStatus status, const char *message)
{
  snprintf (last_error, sizeof last_error, "%s", message);
  return status;
}

struct AutorestoreEngine
{
  AutorestoreDevice device;
  int               fell_back;  /* AUTO ran on the CPU (there is no CUDA here) */
};

const char *autorestore_version (void) { return "0.0.0-stub"; }
const char *autorestore_last_error (void) { return last_error; }

const char *
autorestore_status_name (uint32_t s)
{
  switch (s)
    {
    case AUTORESTORE_OK: return "AUTORESTORE_OK";
    case AUTORESTORE_ERR_MODEL: return "AUTORESTORE_ERR_MODEL";
    case AUTORESTORE_ERR_CANCELLED: return "AUTORESTORE_ERR_CANCELLED";
    case AUTORESTORE_ERR_INVALID_ARGUMENT: return "AUTORESTORE_ERR_INVALID_ARGUMENT";
    case AUTORESTORE_ERR_PROVIDER_UNAVAILABLE: return "AUTORESTORE_ERR_PROVIDER_UNAVAILABLE";
    default: return "AUTORESTORE_ERR_OTHER";
    }
}

void
autorestore_engine_options_init (AutorestoreEngineOptions *o)
{
  memset (o, 0, sizeof *o);
}

void
autorestore_restore_params_init (AutorestoreRestoreParams *p)
{
  memset (p, 0, sizeof *p);
  p->strength = 1.0f;
}

static const char *const mode_names[] = { "auto", "denoise", "deblur", "dehaze", "lowlight", "derain", "custom" };
static const char *const device_names[] = { "auto", "cpu", "cuda", "webgpu" };
static const char *const degradation_names[] = { "noise", "blur", "haze", "lowlight", "rain" };

AutorestoreStatus
autorestore_mode_from_name (const char *name, AutorestoreMode *out)
{
  if (!name || !out)
    return fail (AUTORESTORE_ERR_NULL_ARGUMENT, "null argument");
  for (int i = 0; i < 7; i++)
    if (strcmp (name, mode_names[i]) == 0)
      { *out = (AutorestoreMode) i; return AUTORESTORE_OK; }
  return fail (AUTORESTORE_ERR_INVALID_ARGUMENT, "unknown mode");
}

AutorestoreStatus
autorestore_device_from_name (const char *name, AutorestoreDevice *out)
{
  if (!name || !out)
    return fail (AUTORESTORE_ERR_NULL_ARGUMENT, "null argument");
  for (int i = 0; i < 4; i++)
    if (strcmp (name, device_names[i]) == 0)
      { *out = (AutorestoreDevice) i; return AUTORESTORE_OK; }
  return fail (AUTORESTORE_ERR_INVALID_ARGUMENT, "unknown device");
}

AutorestoreStatus
autorestore_engine_create (const AutorestoreEngineOptions *opts, AutorestoreEngine **out)
{
  const char *dir = opts && opts->model_dir ? opts->model_dir : getenv ("AUTORESTORE_MODEL_DIR");
  char path[4096];

  if (!out)
    return fail (AUTORESTORE_ERR_NULL_ARGUMENT, "out is NULL");
  *out = NULL;
  if (dir)
    {
      snprintf (path, sizeof path, "%s/analyze.onnx", dir);
      if (access (path, R_OK) != 0)
        {
          snprintf (last_error, sizeof last_error, "cannot read %.480s", path);
          return AUTORESTORE_ERR_MODEL;
        }
    }
  if (opts && opts->device == AUTORESTORE_DEVICE_CUDA)
    return fail (AUTORESTORE_ERR_PROVIDER_UNAVAILABLE, "the stub has no CUDA");
  *out = calloc (1, sizeof **out);
  (*out)->device = AUTORESTORE_DEVICE_CPU;
  (*out)->fell_back = !opts || opts->device == AUTORESTORE_DEVICE_AUTO;
  return AUTORESTORE_OK;
}

void autorestore_engine_destroy (AutorestoreEngine *e) { free (e); }
AutorestoreDevice autorestore_engine_device (const AutorestoreEngine *e) { return e ? e->device : AUTORESTORE_DEVICE_AUTO; }
uint32_t autorestore_engine_degradation_count (const AutorestoreEngine *e) { (void) e; return 5; }
uint32_t autorestore_engine_default_steps (const AutorestoreEngine *e) { (void) e; return 1; }
uint32_t autorestore_engine_tile_multiple (const AutorestoreEngine *e) { (void) e; return 8; }
/* the 5x5 box filter: an output pixel depends on 2 pixels of context each side */
uint32_t autorestore_engine_receptive_field (const AutorestoreEngine *e) { (void) e; return 2; }
const char *
autorestore_engine_device_note (const AutorestoreEngine *e)
{
  return e && e->fell_back ? "the stub has no CUDA; auto chose cpu" : "";
}
const char *autorestore_engine_model_name (const AutorestoreEngine *e) { (void) e; return "stub 0"; }

const char *
autorestore_device_name (uint32_t device)
{
  return device < 4 ? device_names[device] : "unknown";
}

const char *
autorestore_engine_degradation_name (const AutorestoreEngine *e, uint32_t i)
{
  (void) e;
  return i < 5 ? degradation_names[i] : NULL;
}

static AutorestoreStatus
check_image (const AutorestoreImage *im)
{
  if (!im || !im->data)
    return fail (AUTORESTORE_ERR_NULL_ARGUMENT, "image is NULL");
  if (im->sample_type != AUTORESTORE_SAMPLE_F32 || im->channels < 1 || im->channels > 4 ||
      im->width == 0 || im->height == 0 || im->row_stride < (size_t) im->width * im->channels * 4)
    return fail (AUTORESTORE_ERR_INVALID_ARGUMENT, "the stub takes f32 images only");
  return AUTORESTORE_OK;
}

AutorestoreStatus
autorestore_analyze (AutorestoreEngine *e, const AutorestoreImage *im, AutorestoreAnalysis *out)
{
  AutorestoreStatus s;

  if (!e || !out)
    return fail (AUTORESTORE_ERR_NULL_ARGUMENT, "null argument");
  if ((s = check_image (im)) != AUTORESTORE_OK)
    return s;
  memset (out, 0, sizeof *out);
  out->degradation_count = 5;
  out->scores[0] = 0.9f; out->scores[1] = 0.2f; out->scores[2] = 0.1f;
  out->scores[3] = 0.05f; out->scores[4] = 0.01f;
  out->gate_count = 5;
  for (int i = 0; i < 5; i++)
    out->gates[i] = 0.2f;
  /* contract 2: the top score 0.9 gives a full repair; AUTORESTORE_STUB_NOTHING=1 says there
   * is nothing to repair (amount 0) */
  out->amount = getenv ("AUTORESTORE_STUB_NOTHING") ? 0.0f : 1.0f;
  out->cond_count = 4;
  return AUTORESTORE_OK;
}

AutorestoreStatus
autorestore_restore (AutorestoreEngine *e, const AutorestoreImage *in,
                     const AutorestoreImage *out, const AutorestoreRestoreParams *p)
{
  AutorestoreStatus s;
  const char *delay = getenv ("AUTORESTORE_STUB_DELAY_MS");
  const char *first_delay = getenv ("AUTORESTORE_STUB_FIRST_DELAY_MS");
  static int started;  /* a restore has started in this process (any thread) */
  unsigned w, h, c, cc;
  float *tmp;

  if (!e || !p)
    return fail (AUTORESTORE_ERR_NULL_ARGUMENT, "null argument");
  if (first_delay && !__atomic_exchange_n (&started, 1, __ATOMIC_SEQ_CST))
    usleep (1000 * atoi (first_delay));
  if ((s = check_image (in)) != AUTORESTORE_OK || (s = check_image (out)) != AUTORESTORE_OK)
    return s;
  if (in->width != out->width || in->height != out->height || in->channels != out->channels)
    return fail (AUTORESTORE_ERR_INVALID_ARGUMENT, "size mismatch");
  w = in->width; h = in->height; c = in->channels;
  cc = (c == 2 || c == 4) ? c - 1 : c;  /* colour channels; alpha passes through */

  tmp = malloc ((size_t) w * h * c * sizeof (float));
  if (!tmp)
    return fail (AUTORESTORE_ERR_TOO_LARGE, "out of memory");

  for (unsigned y = 0; y < h; y++)
    {
      const float *row = (const float *) ((const char *) in->data + y * in->row_stride);

      for (unsigned x = 0; x < w; x++)
        for (unsigned k = 0; k < c; k++)
          {
            float v = row[x * c + k];

            if (k < cc)
              {
                float sum = 0; int n = 0;

                for (int dy = -2; dy <= 2; dy++)
                  for (int dx = -2; dx <= 2; dx++)
                    {
                      int yy = (int) y + dy, xx = (int) x + dx;

                      if (yy < 0 || xx < 0 || yy >= (int) h || xx >= (int) w)
                        continue;
                      sum += ((const float *) ((const char *) in->data + yy * in->row_stride))[xx * c + k];
                      n++;
                    }
                v = v + p->strength * (sum / n - v);
              }
            tmp[((size_t) y * w + x) * c + k] = v;
          }

      if (p->progress && (y % 16 == 15 || y == h - 1))
        {
          if (delay)
            usleep (1000 * atoi (delay));
          if (!p->progress ((float) (y + 1) / h, p->progress_user_data))
            {
              free (tmp);
              return fail (AUTORESTORE_ERR_CANCELLED, "cancelled by the caller");
            }
        }
    }

  for (unsigned y = 0; y < h; y++)
    memcpy ((char *) out->data + y * out->row_stride, tmp + (size_t) y * w * c,
            (size_t) w * c * sizeof (float));
  free (tmp);
  return AUTORESTORE_OK;
}
