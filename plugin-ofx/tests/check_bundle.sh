#!/bin/sh
# Checks the OFX bundle is laid out as hosts expect (make test-ofx):
#   - the binary exports only the two OFX entry points (nm -D): no weak libstdc++ template or
#     other C++ symbol that could bind to a host's own runtime;
#   - Contents/Info.plist names the binary and carries the version of Cargo.toml;
#   - Contents/Resources/<plug-in id>.png is a PNG (the node icon);
#   - the model and ONNX Runtime sit beside the binary.
# Usage: check_bundle.sh BUNDLE VERSION
set -eu
bundle=$1
version=$2
bin="$bundle/Contents/Linux-x86-64/AutoRestore.ofx"
fail=0
say() { echo "  $*"; }
bad() { echo "  FAIL: $*"; fail=1; }

echo "bundle layout and exports ($bundle)"
[ -f "$bin" ] || { bad "no $bin"; exit 1; }
exports=$(nm -D --defined-only "$bin" | awk '$2 != "A" { sub(/@.*/, "", $3); print $2, $3 }' | sort)
expected=$(printf 'T OfxGetNumberOfPlugins\nT OfxGetPlugin\n')
if [ "$exports" = "$expected" ]; then
  say "exports: $(echo "$exports" | awk '{print $2}' | tr '\n' ' ')"
else
  bad "exports are not exactly the two OFX entry points:"
  echo "$exports" | sed 's/^/      /'
fi

plist="$bundle/Contents/Info.plist"
if [ -f "$plist" ] && grep -q '<string>AutoRestore.ofx</string>' "$plist" &&
   grep -q "<string>$version</string>" "$plist"; then
  say "Info.plist: executable AutoRestore.ofx, version $version"
else
  bad "$plist missing, or without the executable name and version $version"
fi

icon="$bundle/Contents/Resources/org.autorestore.AutoRestore.png"
if [ -f "$icon" ] && [ "$(head -c 8 "$icon" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; then
  say "icon: $(basename "$icon") ($(wc -c < "$icon") bytes)"
else
  bad "$icon missing or not a PNG"
fi

for f in libautorestore.so libonnxruntime.so model/manifest.json model/analyze.onnx model/restore.onnx; do
  [ -f "$bundle/Contents/Linux-x86-64/$f" ] || bad "no Contents/Linux-x86-64/$f"
done
if [ -f "$bundle/Contents/Linux-x86-64/libonnxruntime_providers_cuda.so" ]; then
  say "CUDA provider carried"
else
  say "no CUDA provider in the bundle (CPU only; the Device choice says so)"
fi
[ $fail -eq 0 ] && echo "  OK"
exit $fail
