#!/usr/bin/env bash
# Interactive checks of the GIMP 2.10 plug-in: the real GIMP UI on a virtual X server.
# Needs: apt-get install -y xvfb xdotool x11-apps. Run by `make test-gimp-gui` (stub library,
# slowed down so that there is time to press Cancel).
#
#   1. RUN-INTERACTIVE shows the dialog with the analysis and the live preview (screenshot
#      saved as $GUI_OUT/dialog.png for review); the preview's pixels (read off the screen)
#      change to the quick view (half resolution), then to the exact restored view;
#      switching Preview off shows the original again, on the exact one; Help opens the plug-in's own page in the desktop's browser (a stand-in
#      registered for text/html); Cancel leaves the image byte-identical.
#   2. The strength is set to 0.5 and Preview switched off in the dialog; OK restores.
#   3. The last values are remembered: RUN-WITH-LAST-VALS gives the same pixels as the dialog
#      run and as a non-interactive call with strength 0.5; the next dialog's Preview is off.
#   4. Cancel in the progress window stops the work; the image is unchanged and GIMP shows
#      "cancelled".
# KEEP=1 keeps the temporary folder (screenshots as .xwd, logs).
set -u

GIMP_BUILD=${GIMP_BUILD:-build/gimp-stub}
GUI_OUT=${GUI_OUT:-build/gimp-gui}
mkdir -p "$GUI_OUT"
GUI_OUT=$(realpath "$GUI_OUT")
MAKE=${MAKE:-make}
CHECK=$(realpath "$GIMP_BUILD/imgcheck")
for tool in Xvfb xdotool xwd gimp-2.10; do
  command -v $tool >/dev/null || { echo "test-gimp-gui: $tool missing (apt-get install -y xvfb xdotool x11-apps)"; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/ar-gimp-gui.XXXXXX")
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config
unset AUTORESTORE_MODEL_DIR AUTORESTORE_ORT_LIB
mkdir -p "$HOME"

GUI_NAME=test-gimp-gui
. "$(dirname "$0")/gui-lib.sh"

gimp-console-2.10 -i -d -f -b '(gimp-quit 0)' >/dev/null 2>&1
$MAKE -s -f plugin-gimp/gimp.mk install-gimp >"$work/install.log" 2>&1 || { cat "$work/install.log"; exit 1; }

display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1280x900x24 >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
sleep 1

"$CHECK" make 384 256 "$work/clean.png" "$work/in.png" "$work/rgba16.png" || exit 1

# A stand-in web browser for text/html, so that Help's gtk_show_uri has somewhere to go: it
# writes the URI it was given to help-opened.
mkdir -p "$HOME/.local/share/applications" "$XDG_CONFIG_HOME"
cat >"$HOME/.local/share/applications/ar-test-browser.desktop" <<EOF_DESKTOP
[Desktop Entry]
Type=Application
Name=AutoRestore test browser
Exec=/bin/sh -c 'echo "\$1" > $work/help-opened' sh %u
MimeType=text/html;
EOF_DESKTOP
printf '[Default Applications]\ntext/html=ar-test-browser.desktop\n' >"$XDG_CONFIG_HOME/mimeapps.list"

# click_bottom_right WINDOW DX DY: click DX/DY pixels left/up of the window's bottom-right corner
# (no window manager: buttons are found by position; OK/Cancel sit at the bottom right).
click_bottom_right() {
  local x y w h
  geometry "$1"
  xdotool mousemove $((X + WIDTH - $2)) $((Y + HEIGHT - $3)) click 1
}

# One GIMP session runs the interactive calls in turn; this script drives the windows.
load() { echo "(car (gimp-file-load RUN-NONINTERACTIVE \"$work/in.png\" \"in.png\"))"; }
save() { echo "(gimp-file-save RUN-NONINTERACTIVE $1 (car (gimp-image-get-active-layer $1)) \"$work/$2\" \"$2\")"; }
run()  { echo "(catch #f (plug-in-autorestore $2 $1 (car (gimp-image-get-active-layer $1)) \"auto\" 0.5 0 \"cpu\"))"; }
script="(let* ((a $(load)) (b $(load)) (c $(load)) (d $(load)) (e $(load)))
          (gimp-display-new a)
          $(run d RUN-INTERACTIVE)       $(save d out0.png)
          $(run a RUN-INTERACTIVE)       $(save a out1.png)
          $(run b RUN-WITH-LAST-VALS)    $(save b out2.png)
          $(run c RUN-NONINTERACTIVE)    $(save c ref.png)
          $(run e RUN-INTERACTIVE)       $(save e out3.png))"
AUTORESTORE_STUB_DELAY_MS=150 AUTORESTORE_STUB_FIRST_DELAY_MS=2500 gimp-2.10 -d -f --console-messages -b "$script" -b '(gimp-quit 1)' \
  >"$work/gimp.log" 2>&1 &
gimp_pid=$!

focus() {  # no window manager: keys go to the window under the pointer
  local X Y WIDTH HEIGHT
  geometry "$1"
  xdotool mousemove $((X + WIDTH / 2)) $((Y + 10))
}

# 1. The dialog with the preview. The first view is the original (the stub waits 2.5 s before
#    its first restore, AUTORESTORE_STUB_FIRST_DELAY_MS: time to read the original off the screen);
#    then the quick view appears, then the exact one; Alt+P (the "_Preview" check box) toggles between them.
w=$(wait_window)
if [ -z "$w" ]; then bad "dialog did not appear ($(tail -3 "$work/gimp.log"))"; exit 1; fi
wait_quick_then_exact "$w"
eval "$(xdotool getwindowgeometry --shell "$w")"
xwd -root -out "$work/dialog.xwd"
"$CHECK" xwd "$work/dialog.xwd" "$GUI_OUT/dialog.png" "$X" "$Y" "$WIDTH" "$HEIGHT" \
  && ok "dialog screenshot: $GUI_OUT/dialog.png" || bad "dialog screenshot"
focus "$w"; xdotool key alt+p
if wait_crop "$w" "$work/p-off.png" same "$work/p-original.png"; then
  ok "Preview off: the preview shows the original again"
else bad "Preview off: the preview still differs from the original"; fi
xdotool key alt+p
if wait_crop "$w" "$work/p-on.png" same "$work/p-restored.png"; then
  ok "Preview on: the same restored view again"
else bad "Preview on: the restored view did not come back"; fi
xdotool key alt+h
for i in $(seq 1 50); do [ -s "$work/help-opened" ] && break; sleep 0.2; done
if grep -Eq "^(file://)?/.*/plug-ins/autorestore/help/index.html$" "$work/help-opened" 2>/dev/null; then
  ok "Help opens the plug-in's own page: $(cat "$work/help-opened")"
else bad "Help: $(cat "$work/help-opened" 2>/dev/null) $(grep -i help "$work/gimp.log" | head -2)"; fi
click_bottom_right "$w" 141 28         # Cancel
if wait_file "$work/out0.png" && "$CHECK" same "$work/in.png" "$work/out0.png"; then
  ok "Cancel after previewing: the image is byte-identical"
else bad "Cancel after previewing: the image changed"; fi

# 2. Strength 0.5 (spin entry right of the slider; Alt+S is "_Strength:"), Preview off, OK.
w=$(wait_window)
if [ -z "$w" ]; then bad "second dialog did not appear"; exit 1; fi
sleep 1
focus "$w"
xdotool key alt+p
xdotool key alt+s key ctrl+a type "0.5"
xdotool key Tab
sleep 0.3
click_bottom_right "$w" 45 20          # OK
if wait_file "$work/out1.png" && ! "$CHECK" same "$work/in.png" "$work/out1.png" 2>/dev/null; then
  ok "OK restored the image from the dialog"
else bad "OK: no change ($(tail -3 "$work/gimp.log"))"; fi

# 3. Last values: RUN-WITH-LAST-VALS gives the same pixels, and they are strength 0.5's.
if wait_file "$work/ref.png" && "$CHECK" same "$work/out1.png" "$work/out2.png" \
   && "$CHECK" same "$work/out1.png" "$work/ref.png"; then
  ok "the dialog's values (strength 0.5) are remembered: RUN-WITH-LAST-VALS repeats them"
else bad "last values: out1/out2/ref differ"; fi

# 4. The next dialog: Preview stays off (remembered); OK, then Cancel in the progress window
#    while the (slowed) library works.
w=$(wait_window)
if [ -z "$w" ]; then bad "last dialog did not appear"; exit 1; fi
sleep 3
preview_crop "$w" "$work/p-remembered.png"
if "$CHECK" same "$work/p-original.png" "$work/p-remembered.png"; then
  ok "the Preview check box is remembered (off: the preview shows the original after 3 s)"
else bad "Preview was switched off, but the next dialog shows a restored view"; fi
click_bottom_right "$w" 45 20          # OK
sleep 1.5
p=$(wait_window)
if [ -n "$p" ] && [ "$p" != "$w" ]; then
  xwd -root -out "$work/progress.xwd"
  click_bottom_right "$p" 40 20        # Cancel
  ok "progress window appeared (screenshot progress.xwd), Cancel pressed"
else bad "no progress window"; fi
if wait_file "$work/out3.png" && "$CHECK" same "$work/in.png" "$work/out3.png" \
   && grep -q "cancelled. The image was not changed" "$work/gimp.log"; then
  ok "Cancel: image unchanged; GIMP says: $(grep -o 'Auto Restore: cancelled.*' "$work/gimp.log" | head -1)"
else bad "Cancel: $(grep -i 'cancel\|error' "$work/gimp.log" | head -3)"; fi

wait "$gimp_pid" 2>/dev/null
gimp_pid=
echo "test-gimp-gui: $pass passed, $fail failed"
[ $fail -eq 0 ]
