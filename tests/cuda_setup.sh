#!/usr/bin/env bash
# make test-cuda-setup: the CUDA set-up (make setup-cuda) as a user meets it.
#   tests/cuda_setup.sh CLI CUDA_SETUP_DIR CPU_ONLY_ORT_LIB
# Checks: the GPU build is the runtime that loads; `--device cuda` either runs (a machine with an
# NVIDIA GPU) or fails with a plain reason (no driver / no device), never a loader message about
# a missing CUDA library; `auto` falls back to the CPU and says why; and the GPU build's result
# on the CPU equals the CPU-only runtime's byte for byte.
set -euo pipefail
cli=$1 cuda_dir=$2 cpu_ort=$3
out=build/tests/cuda-setup
rm -rf "$out" && mkdir -p "$out"
fail() { echo "FAIL: $*"; exit 1; }

info=$("$cli" info)
echo "$info" | grep -q "onnxruntime .*autorestore-cuda/libonnxruntime" ||
  fail "the GPU build in $cuda_dir is not the runtime that loads: $info"
echo "ok: GPU build of ONNX Runtime loads ($(echo "$info" | sed -n 's/^onnxruntime *//p'))"

if "$cli" info --device cuda > "$out/cuda.txt" 2>&1; then
  echo "ok: CUDA runs: $(grep '^model' "$out/cuda.txt")"
  gpu=1
else
  grep -Eq "no NVIDIA driver: libcuda.so.1 not found|no CUDA device|NVIDIA driver did not start" "$out/cuda.txt" ||
    fail "--device cuda failed without a plain reason: $(cat "$out/cuda.txt")"
  echo "ok: --device cuda refuses in plain words: $(sed 's/^autorestore: error: //' "$out/cuda.txt")"
  gpu=0
fi

auto=$("$cli" info --device auto)
if [ "$gpu" = 0 ]; then
  echo "$auto" | grep -q "on cpu (.*\(NVIDIA\|CUDA device\).*auto chose cpu" ||
    fail "auto did not fall back to the CPU with the reason: $auto"
  echo "ok: auto falls back to the CPU and says why"
fi

in=samples/noise_degraded.png
"$cli" restore "$in" "$out/gpu_build_cpu.png" --device cpu
AUTORESTORE_ORT_LIB="$cpu_ort" "$cli" restore "$in" "$out/cpu_build.png" --device cpu
cmp "$out/gpu_build_cpu.png" "$out/cpu_build.png" ||
  fail "the GPU build on the CPU differs from the CPU-only build"
echo "ok: GPU build on the CPU == CPU-only build, byte for byte"
echo "cuda set-up: all checks passed"
