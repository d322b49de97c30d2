/* GPU check through the C API (make bench-gpu; README "GPU (NVIDIA)").
 *
 * On the shipped model, for a synthetic 3840x2160 RGB float frame, 1 sampler step (denoise, so
 * the restore graph always runs): the CPU provider's result as the reference, then the CUDA
 * provider at the default tile size and larger ones: first-run time (includes cuDNN's algorithm
 * search), warm time per frame (best and median of N runs), time per megapixel, max abs
 * difference against the CPU, and the GPU's memory in use (nvidia-smi). Writes the figures as
 * JSON. Where CUDA cannot run, the JSON says why and the program exits 2: nothing is invented.
 *
 *   gpu_check OUT.json [RUNS]
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, popen */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "autorestore.h"

#define W 3840
#define H 2160

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static AutorestoreImage image_of(float *px) {
  AutorestoreImage im = {px, W, H, (size_t)W * 3 * sizeof(float), AUTORESTORE_SAMPLE_F32, 3};
  return im;
}

/* A deterministic noisy gradient frame. */
static void fill(float *px) {
  unsigned s = 12345u;
  for (size_t y = 0; y < H; y++)
    for (size_t x = 0; x < W; x++)
      for (int c = 0; c < 3; c++) {
        s = s * 1664525u + 1013904223u;
        float base = c == 0 ? (float)x / W : c == 1 ? (float)y / H : (float)((x + y) % 512) / 512;
        float v = base + ((float)(s >> 8) / 16777216.0f - 0.5f) * 0.2f;
        px[(y * W + x) * 3 + c] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
}

static AutorestoreEngine *engine_on(AutorestoreDevice dev, uint32_t tile, char *why, size_t n) {
  AutorestoreEngineOptions o;
  autorestore_engine_options_init(&o);
  o.device = dev;
  o.tile_size = tile;
  AutorestoreEngine *e = NULL;
  if (autorestore_engine_create(&o, &e) != AUTORESTORE_OK) {
    snprintf(why, n, "%s", autorestore_last_error());
    return NULL;
  }
  return e;
}

static int run(AutorestoreEngine *e, const float *in, float *out, double *ms) {
  AutorestoreRestoreParams p;
  autorestore_restore_params_init(&p);
  p.mode = AUTORESTORE_MODE_DENOISE;
  p.steps = 1;
  AutorestoreImage i = image_of((float *)in), o = image_of(out);
  double t0 = now_ms();
  AutorestoreStatus st = autorestore_restore(e, &i, &o, &p);
  *ms = now_ms() - t0;
  return st == AUTORESTORE_OK;
}

static void json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') fputc('\\', f);
    if ((unsigned char)*s >= 0x20) fputc(*s, f);
  }
  fputc('"', f);
}

static void nvidia_smi(char *buf, size_t n) {
  buf[0] = 0;
  FILE *p = popen("nvidia-smi --query-gpu=name,driver_version,memory.used,memory.total "
                  "--format=csv,noheader 2>/dev/null", "r");
  if (!p) return;
  if (!fgets(buf, (int)n, p)) buf[0] = 0;
  pclose(p);
  buf[strcspn(buf, "\n")] = 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: gpu_check OUT.json [RUNS]\n");
    return 1;
  }
  int runs = argc > 2 ? atoi(argv[2]) : 5;
  if (runs < 1 || runs > 100) runs = 5;
  size_t n = (size_t)W * H * 3;
  float *in = malloc(n * sizeof(float)), *ref = malloc(n * sizeof(float)),
        *out = malloc(n * sizeof(float));
  if (!in || !ref || !out) return 1;
  fill(in);
  FILE *f = fopen(argv[1], "w");
  if (!f) {
    perror(argv[1]);
    return 1;
  }
  char why[1024];
  AutorestoreEngine *cpu = engine_on(AUTORESTORE_DEVICE_CPU, 0, why, sizeof why);
  if (!cpu) {
    fprintf(stderr, "CPU engine: %s\n", why);
    return 1;
  }
  double cpu_ms;
  if (!run(cpu, in, ref, &cpu_ms)) {
    fprintf(stderr, "CPU restore: %s\n", autorestore_last_error());
    return 1;
  }
  const double mp = (double)W * H / 1e6;
  printf("CPU: %.0f ms per 4K frame (%.0f ms/MP), model %s\n", cpu_ms, cpu_ms / mp,
         autorestore_engine_model_name(cpu));
  fprintf(f, "{\n  \"library\": \"%s\",\n  \"model\": ", autorestore_version());
  json_str(f, autorestore_engine_model_name(cpu));
  fprintf(f, ",\n  \"frame\": [%d, %d],\n  \"steps\": 1,\n  \"precision\": \"fp32 (the shipped "
             "model has no fp16 graph)\",\n  \"cpu_ms_per_frame\": %.1f,\n", W, H, cpu_ms);
  /* the CPU default, the CUDA default (0 = 1536) and larger */
  const uint32_t tiles[] = {768, 0, 2176};
  int ok = 0;
  fprintf(f, "  \"cuda\": [\n");
  for (size_t t = 0; t < sizeof tiles / sizeof *tiles; t++) {
    double t0 = now_ms();
    AutorestoreEngine *g = engine_on(AUTORESTORE_DEVICE_CUDA, tiles[t], why, sizeof why);
    double create_ms = now_ms() - t0;
    fprintf(f, "%s    {\"tile\": %u", t ? ",\n" : "", tiles[t]);
    if (!g) {
      fprintf(f, ", \"error\": ");
      json_str(f, why);
      fprintf(f, "}");
      printf("CUDA tile %u: not available: %s\n", tiles[t], why);
      continue;
    }
    double first, times[100];
    int good = run(g, in, out, &first);
    for (int r = 0; good && r < runs; r++) good = run(g, in, out, &times[r]);
    if (!good) {
      fprintf(f, ", \"error\": ");
      json_str(f, autorestore_last_error());
      fprintf(f, "}");
      autorestore_engine_destroy(g);
      continue;
    }
    double diff = 0;
    for (size_t i = 0; i < n; i++) diff = fmax(diff, fabs((double)out[i] - ref[i]));
    qsort(times, runs, sizeof *times, cmp_double);
    char smi[256];
    nvidia_smi(smi, sizeof smi);
    fprintf(f, ", \"engine_create_ms\": %.1f, \"first_run_ms\": %.1f, \"warm_best_ms\": %.2f, "
               "\"warm_median_ms\": %.2f, \"ms_per_mp\": %.2f, \"max_abs_diff_vs_cpu\": %.3g, "
               "\"speedup_vs_cpu\": %.1f, \"nvidia_smi\": ",
            create_ms, first, times[0], times[runs / 2], times[runs / 2] / mp, diff,
            cpu_ms / times[runs / 2]);
    json_str(f, smi);
    fprintf(f, "}");
    printf("CUDA tile %u: first %.0f ms, warm %.1f ms per 4K frame (%.2f ms/MP), %.1fx the CPU, "
           "max diff vs CPU %.2g; %s\n",
           tiles[t], first, times[runs / 2], times[runs / 2] / mp, cpu_ms / times[runs / 2], diff,
           smi);
    ok = 1;
    autorestore_engine_destroy(g);
  }
  fprintf(f, "\n  ]\n}\n");
  fclose(f);
  autorestore_engine_destroy(cpu);
  free(in);
  free(ref);
  free(out);
  return ok ? 0 : 2;
}
