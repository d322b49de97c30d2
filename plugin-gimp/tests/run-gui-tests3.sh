#!/usr/bin/env bash
# Interactive checks of the GIMP 3 plug-in: the real GIMP 3 UI (GimpProcedureDialog) on a
# virtual X server, run by `make test-gimp3-gui` in the Debian 13 root (stub library, slowed
# down so that the preview's change can be watched). The GIMP 2.10 one is run-gui-tests.sh.
#
#   1. RUN-INTERACTIVE shows the dialog with the live preview (screenshot $GUI_OUT/dialog.png);
#      the preview's pixels (read off the screen) change to the quick view (half resolution),
#      then to the exact restored view; Preview off shows the original again, on the exact one; Cancel leaves the image byte-identical.
#   2. OK restores: the image changes, to the same pixels as a non-interactive call with the
#      dialog's values (the defaults: auto 1.0 0 cpu).
#
# No window manager runs, so keyboard focus is not given to the dialog: the buttons and the
# check box are clicked by position (an Escape key press is lost, and a test that "pressed
# Cancel" by key waits for ever). Every wait has a bound; GIMP is killed when the test ends.
# KEEP=1 keeps the temporary folder (screenshots as .xwd, logs).
set -u

GUI_OUT=${GUI_OUT:-build/gimp3-gui}
mkdir -p "$GUI_OUT"
GUI_OUT=$(realpath "$GUI_OUT")
MAKE=${MAKE:-make}
CHECK=$(realpath "${IMGCHECK:-build/gimp3-stub/imgcheck}")
for tool in Xvfb xdotool xwd gimp-3.0 gimp-console-3.0; do
  command -v $tool >/dev/null || { echo "test-gimp3-gui: $tool missing (apt-get install -y xvfb xdotool x11-apps gimp)"; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/ar-gimp3-gui.XXXXXX")
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config
unset AUTORESTORE_MODEL_DIR AUTORESTORE_ORT_LIB
mkdir -p "$HOME"

GUI_NAME=test-gimp3-gui
. "$(dirname "$0")/gui-lib.sh"
t0=$(date +%s)

timeout 120 gimp-console-3.0 -i -d -f --quit --batch-interpreter=plug-in-script-fu-eval \
  -b '(gimp-message "first start")' >/dev/null 2>&1
$MAKE -s -f plugin-gimp/gimp.mk install-gimp >"$work/install.log" 2>&1 || { cat "$work/install.log"; exit 1; }

display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1280x900x24 >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
sleep 1

"$CHECK" make 384 256 "$work/clean.png" "$work/in.png" "$work/rgba16.png" || exit 1

# One GIMP session runs the calls in turn; this script drives the windows. A call that fails
# or is cancelled is caught, so the image is saved either way.
layer() { echo "(vector-ref (car (gimp-image-get-layers $1)) 0)"; }
load()  { echo "(car (gimp-file-load RUN-NONINTERACTIVE \"$work/in.png\"))"; }
save()  { echo "(gimp-file-save RUN-NONINTERACTIVE $1 \"$work/$2\" -1)"; }
run()   { echo "(catch (gimp-message \"ar-test: call ended with an error\")
                  (plug-in-autorestore #:run-mode $2 #:image $1 #:drawables (vector $(layer $1))
                                       #:mode \"auto\" #:strength 1.0 #:steps 0 #:device \"cpu\"))"; }
script="(let* ((a $(load)) (b $(load)) (c $(load)))
          (gimp-display-new a)
          $(run a RUN-INTERACTIVE)    $(save a out0.png)
          $(run b RUN-INTERACTIVE)    $(save b out1.png)
          $(run c RUN-NONINTERACTIVE) $(save c ref.png))"
AUTORESTORE_STUB_DELAY_MS=150 AUTORESTORE_STUB_FIRST_DELAY_MS=2500 timeout 240 gimp-3.0 -d -f --console-messages \
  --batch-interpreter=plug-in-script-fu-eval -b "$script" -b '(gimp-quit 1)' >"$work/gimp.log" 2>&1 &
gimp_pid=$!

# click WINDOW DX DY: click at DX/DY from the window's top left (negative: from the bottom
# right). GIMP 3.0.4's procedure dialog for this image (384x256, so a 200 px preview):
# Preview check box (24, 241); Cancel (-162, -42); OK (-68, -42).
click() {
  local X Y WIDTH HEIGHT x y
  geometry "$1"
  x=$(( $2 < 0 ? X + WIDTH + $2 : X + $2 )); y=$(( $3 < 0 ? Y + HEIGHT + $3 : Y + $3 ))
  xdotool mousemove "$x" "$y" click 1
}

# 1. The dialog with the preview: first the original (the stub waits 2.5 s before its first
#    restore, AUTORESTORE_STUB_FIRST_DELAY_MS), then the restored view; the Preview check box
#    toggles between them; Cancel changes nothing.
w=$(wait_window)
if [ -z "$w" ]; then bad "dialog did not appear ($(tail -3 "$work/gimp.log"))"; exit 1; fi
wait_quick_then_exact "$w"
(geometry "$w"; xwd -root -out "$work/dialog.xwd" &&
  "$CHECK" xwd "$work/dialog.xwd" "$GUI_OUT/dialog.png" "$X" "$Y" "$WIDTH" "$HEIGHT") \
  && ok "dialog screenshot: $GUI_OUT/dialog.png" || bad "dialog screenshot"
click "$w" 24 241                      # Preview off
if wait_crop "$w" "$work/p-off.png" same "$work/p-original.png"; then
  ok "Preview off: the preview shows the original again"
else bad "Preview off: the preview still differs from the original"; fi
click "$w" 24 241                      # Preview on
if wait_crop "$w" "$work/p-on.png" same "$work/p-restored.png"; then
  ok "Preview on: the same restored view again"
else bad "Preview on: the restored view did not come back"; fi
click "$w" -162 -42                    # Cancel
if wait_file "$work/out0.png" && "$CHECK" same "$work/in.png" "$work/out0.png"; then
  ok "Cancel after previewing: the dialog closed, the image is byte-identical"
else bad "Cancel after previewing: $( [ -f "$work/out0.png" ] && echo "the image changed" || echo "no result within 30 s (the dialog did not close?)")"; fi

# 2. OK restores, with the dialog's values. (The first dialog is gone: its image was saved
#    after the plug-in ended. A new client may get the same window id.)
w=$(wait_window)
if [ -z "$w" ]; then bad "second dialog did not appear ($(grep -v WARNING "$work/gimp.log" | tail -3))"; exit 1; fi
sleep 1
click "$w" -68 -42                     # OK
if wait_file "$work/out1.png" && ! "$CHECK" same "$work/in.png" "$work/out1.png" 2>/dev/null; then
  ok "OK restored the image from the dialog"
else bad "OK: no change ($(tail -3 "$work/gimp.log"))"; fi
if wait_file "$work/ref.png" && "$CHECK" same "$work/out1.png" "$work/ref.png"; then
  ok "OK gives the same pixels as a non-interactive call with the same values"
else bad "OK and the non-interactive call differ"; fi

for i in $(seq 1 50); do kill -0 "$gimp_pid" 2>/dev/null || break; sleep 0.2; done
echo "test-gimp3-gui: $pass passed, $fail failed ($(( $(date +%s) - t0 )) s)"
[ $fail -eq 0 ]
