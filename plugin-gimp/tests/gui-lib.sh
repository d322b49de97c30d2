# Shared by the GIMP 2.10 and GIMP 3 UI tests (run-gui-tests.sh, run-gui-tests3.sh): the
# temporary folder's clean-up, the check counters and the window helpers. Source it after
# setting GUI_NAME (the make target, for messages), work (the temporary folder) and CHECK
# (imgcheck). No window manager runs: windows are found by title and read off the screen.

xvfb_pid=
gimp_pid=
cleanup() {
  [ -n "$gimp_pid" ] && kill "$gimp_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  if [ "${KEEP:-0}" = 1 ]; then echo "$GUI_NAME: keeping $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

pass=0 fail=0
ok()  { echo "  ok   $*"; pass=$((pass + 1)); }
bad() { echo "  FAIL $*"; fail=$((fail + 1)); }

# wait_window: id of the newest window titled "Auto Restore" (dialog or progress), or "" after
# 60 s (a first GIMP start on a busy 2-core machine is slow).
wait_window() {
  local i w
  for i in $(seq 1 300); do
    w=$(xdotool search --name '^Auto Restore$' 2>/dev/null | tail -1)
    [ -n "$w" ] && { echo "$w"; return; }
    sleep 0.2
  done
}
# geometry WINDOW: sets X, Y, WIDTH, HEIGHT (declare them local in the caller).
geometry() { eval "$(xdotool getwindowgeometry --shell "$1" | sed -n 's/^\(X\|Y\|WIDTH\|HEIGHT\)=/\1=/p')"; }
wait_file() { local i; for i in $(seq 1 150); do [ -f "$1" ] && return 0; sleep 0.2; done; return 1; }
# preview_crop WINDOW OUT.png: the preview's pixels on the screen (the preview sits at the
# dialog's top left, inside its 12 px border).
preview_crop() {
  local X Y WIDTH HEIGHT
  geometry "$1"
  xwd -root -out "$work/screen.xwd" && "$CHECK" xwd "$work/screen.xwd" "$2" $((X + 20)) $((Y + 20)) 160 160
}
# wait_crop WINDOW OUT.png same|differ REF.png: waits (20 s) until the preview equals / differs
# from REF.png (the slowed stub restores a row band at a time).
wait_crop() {
  local i
  for i in $(seq 1 40); do
    preview_crop "$1" "$2" || return 1
    if "$CHECK" same "$4" "$2" 2>/dev/null; then [ "$3" = same ] && return 0
    else [ "$3" = differ ] && return 0; fi
    sleep 0.5
  done
  return 1
}
# wait_quick_then_exact WINDOW: a new dialog's preview goes original -> quick view (the first
# pixels: half resolution) -> exact preview; saves p-original, p-quick and p-restored (the
# exact one) in $work, one check for each change.
wait_quick_then_exact() {
  preview_crop "$1" "$work/p-original.png"
  if wait_crop "$1" "$work/p-quick.png" differ "$work/p-original.png"; then
    ok "the preview's first pixels (the quick view) replace the original on the screen"
  else bad "the preview never changed"; return; fi
  if wait_crop "$1" "$work/p-restored.png" differ "$work/p-quick.png"; then
    ok "then the exact preview replaces the quick view"
  else bad "the quick view was never replaced by the exact one"; fi
}
