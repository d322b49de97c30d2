#!/bin/sh
# Builds an application folder outside the source tree in each layout include/autorestore.h
# documents for the model (model/, ../model/, autorestore/model/, ../share/autorestore/model/
# beside the library), with ONNX Runtime beside the library, and runs tests/c/app_folder.c in
# it with no AUTORESTORE_* / ORT_* variables, from /, so nothing points back to the tree.
#
# Usage: tests/c/app_folder.sh LIBAUTORESTORE_SO LIBONNXRUNTIME_SO MODEL_DIR [CC]
set -eu
lib=$1 ort=$2 model=$3 cc=${4:-cc}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/autorestore-app.XXXXXX")
trap 'rm -rf "$work"' EXIT

# layout: library folder (relative to the app) and model folder (relative to the app)
for layout in "lib model" "lib lib/model" "lib lib/autorestore/model" "lib share/autorestore/model"; do
  set -- $layout
  app="$work/app-$(echo "$2" | tr / -)"
  mkdir -p "$app/$1" "$app/$2"
  cp "$lib" "$app/$1/libautorestore.so"
  cp -L "$ort" "$app/$1/libonnxruntime.so.1"
  cp "$model/manifest.json" "$model/analyze.onnx" "$model/restore.onnx" "$app/$2/"
  "$cc" -std=c99 -Wall -Wextra -Werror -pedantic -I"$root/include" -I"$root/tests/c" \
    "$root/tests/c/app_folder.c" -L"$app/$1" -lautorestore -Wl,-rpath,"\$ORIGIN/$1" -o "$app/run"
  (cd / && env -u AUTORESTORE_MODEL_DIR -u AUTORESTORE_ORT_LIB -u ORT_DYLIB_PATH \
     "$app/run" "$app/$2" "$app/$1/libonnxruntime.so.1")
done
