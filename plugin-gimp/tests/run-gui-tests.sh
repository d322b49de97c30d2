#!/usr/bin/env bash
# Interactive checks of the GIMP 2.10 plug-in: the real GIMP UI on a virtual X server.
# Needs: apt-get install -y xvfb xdotool x11-apps. Run by `make test-gimp-gui` (stub library,
# slowed down so that there is time to press Cancel).
#
#   1. RUN-INTERACTIVE shows the dialog with the analysis (screenshot saved); the strength is
#      set to 0.5 in it; OK restores.
#   2. The last values are remembered: RUN-WITH-LAST-VALS gives the same pixels as the dialog
#      run and as a non-interactive call with strength 0.5.
#   3. Cancel in the progress window stops the work; the image is unchanged and GIMP shows
#      "cancelled".
# KEEP=1 keeps the temporary folder (screenshots as .xwd, logs).
set -u

GIMP_BUILD=${GIMP_BUILD:-build/gimp-stub}
MAKE=${MAKE:-make}
CHECK=$(realpath "$GIMP_BUILD/imgcheck")
for tool in Xvfb xdotool xwd gimp-2.10; do
  command -v $tool >/dev/null || { echo "test-gimp-gui: $tool missing (apt-get install -y xvfb xdotool x11-apps)"; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/ar-gimp-gui.XXXXXX")
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config
unset AUTORESTORE_MODEL_DIR AUTORESTORE_ORT_LIB
mkdir -p "$HOME"

xvfb_pid=
gimp_pid=
cleanup() {
  [ -n "$gimp_pid" ] && kill "$gimp_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  if [ "${KEEP:-0}" = 1 ]; then echo "test-gimp-gui: keeping $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

pass=0 fail=0
ok()  { echo "  ok   $*"; pass=$((pass + 1)); }
bad() { echo "  FAIL $*"; fail=$((fail + 1)); }

gimp-console-2.10 -i -d -f -b '(gimp-quit 0)' >/dev/null 2>&1
$MAKE -s -f plugin-gimp/gimp.mk install-gimp >"$work/install.log" 2>&1 || { cat "$work/install.log"; exit 1; }

display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1280x900x24 >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
sleep 1

"$CHECK" make 384 256 "$work/clean.png" "$work/in.png" "$work/rgba16.png" || exit 1

# wait_window: id of the newest window titled "Auto Restore" (dialog or progress), or "".
wait_window() {
  local i w
  for i in $(seq 1 300); do  # 60 s: a first GIMP start on a busy 2-core machine is slow
    w=$(xdotool search --name '^Auto Restore$' 2>/dev/null | tail -1)
    [ -n "$w" ] && { echo "$w"; return; }
    sleep 0.2
  done
}
# click_bottom_right WINDOW DX DY: click DX/DY pixels left/up of the window's bottom-right corner
# (no window manager: buttons are found by position; OK/Cancel sit at the bottom right).
click_bottom_right() {
  local x y w h
  eval "$(xdotool getwindowgeometry --shell "$1" | sed -n 's/^\(X\|Y\|WIDTH\|HEIGHT\)=/\1=/p')"
  xdotool mousemove $((X + WIDTH - $2)) $((Y + HEIGHT - $3)) click 1
}

# One GIMP session runs the interactive calls in turn; this script drives the windows.
load() { echo "(car (gimp-file-load RUN-NONINTERACTIVE \"$work/in.png\" \"in.png\"))"; }
save() { echo "(gimp-file-save RUN-NONINTERACTIVE $1 (car (gimp-image-get-active-layer $1)) \"$work/$2\" \"$2\")"; }
run()  { echo "(catch #f (plug-in-autorestore $2 $1 (car (gimp-image-get-active-layer $1)) \"auto\" 0.5 0 \"cpu\"))"; }
script="(let* ((a $(load)) (b $(load)) (c $(load)))
          (gimp-display-new a)
          $(run a RUN-INTERACTIVE)       $(save a out1.png)
          $(run b RUN-WITH-LAST-VALS)    $(save b out2.png)
          $(run c RUN-NONINTERACTIVE)    $(save c ref.png)
          $(run a RUN-INTERACTIVE)       $(save a out3.png))"
AUTORESTORE_STUB_DELAY_MS=150 gimp-2.10 -d -f --console-messages -b "$script" -b '(gimp-quit 1)' \
  >"$work/gimp.log" 2>&1 &
gimp_pid=$!

wait_file() { local i; for i in $(seq 1 150); do [ -f "$1" ] && return 0; sleep 0.2; done; return 1; }

# 1. The dialog; set the strength to 0.5 in it (spin entry right of the slider), OK.
w=$(wait_window)
if [ -z "$w" ]; then bad "dialog did not appear ($(tail -3 "$work/gimp.log"))"; exit 1; fi
sleep 1
xwd -root -out "$work/dialog.xwd"
ok "dialog with the analysis appeared (screenshot dialog.xwd)"
# No window manager: keys go to the window under the pointer. Alt+S is the "_Strength:" mnemonic.
eval "$(xdotool getwindowgeometry --shell "$w")"
xdotool mousemove $((X + WIDTH / 2)) $((Y + 10))
xdotool key alt+s key ctrl+a type "0.5"
xdotool key Tab
sleep 0.3
click_bottom_right "$w" 45 20          # OK
if wait_file "$work/out1.png" && ! "$CHECK" same "$work/in.png" "$work/out1.png" 2>/dev/null; then
  ok "OK restored the image from the dialog"
else bad "OK: no change ($(tail -3 "$work/gimp.log"))"; fi

# 2. Last values: RUN-WITH-LAST-VALS gives the same pixels, and they are strength 0.5's.
if wait_file "$work/ref.png" && "$CHECK" same "$work/out1.png" "$work/out2.png" \
   && "$CHECK" same "$work/out1.png" "$work/ref.png"; then
  ok "the dialog's values (strength 0.5) are remembered: RUN-WITH-LAST-VALS repeats them"
else bad "last values: out1/out2/ref differ"; fi

# 3. Second dialog, OK, then Cancel in the progress window while the (slowed) library works.
w=$(wait_window)
if [ -z "$w" ]; then bad "second dialog did not appear"; exit 1; fi
sleep 0.5
click_bottom_right "$w" 45 20          # OK
sleep 1.5
p=$(wait_window)
if [ -n "$p" ] && [ "$p" != "$w" ]; then
  xwd -root -out "$work/progress.xwd"
  click_bottom_right "$p" 40 20        # Cancel
  ok "progress window appeared (screenshot progress.xwd), Cancel pressed"
else bad "no progress window"; fi
if wait_file "$work/out3.png" && "$CHECK" same "$work/out1.png" "$work/out3.png" \
   && grep -q "cancelled. The image was not changed" "$work/gimp.log"; then
  ok "Cancel: image unchanged; GIMP says: $(grep -o 'Auto Restore: cancelled.*' "$work/gimp.log" | head -1)"
else bad "Cancel: $(grep -i 'cancel\|error' "$work/gimp.log" | head -3)"; fi

wait "$gimp_pid" 2>/dev/null
gimp_pid=
echo "test-gimp-gui: $pass passed, $fail failed"
[ $fail -eq 0 ]
