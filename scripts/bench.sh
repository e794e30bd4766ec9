#!/usr/bin/env bash
# make bench: the kiosk's --bench figures, measured as docs/PERFORMANCE.md says:
# under Xvfb at 1920x1080 with SDL's OpenGL renderer (Mesa llvmpipe), and
# headless (offscreen driver, software renderer) for comparison; then the
# memory of a kiosk at rest on its attract screen, in a fresh process.
set -euo pipefail
build=${1:-build}
bin="$(cd "$build/bin" && pwd)"
data=$(mktemp -d)
xvfb_pid=""
kiosk_pid=""
cleanup() {
  [ -n "$kiosk_pid" ] && kill "$kiosk_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

# The voice's figures (voice_*) need an audio device: SDL's disk driver plays
# into a file in real time, as a sound card would (docs/PERFORMANCE.md).
export SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE="$data/voice.raw"

echo "# kiosk --bench under Xvfb 1920x1080 (SDL OpenGL renderer, Mesa llvmpipe)"
xvfb-run -a -s "-screen 0 1920x1080x24" "$bin/kiosk" --demo --bench --data-dir "$data/xvfb" 2>/dev/null
echo
echo "# kiosk --bench headless (offscreen driver, software renderer)"
"$bin/kiosk" --demo --bench --headless --data-dir "$data/headless" 2>/dev/null
echo

# A kiosk at rest: start it full-screen on its own display, let it settle on
# the attract screen, read its proportional set size.
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
DISPLAY=$display "$bin/kiosk" --demo --data-dir "$data/rest" 2>/dev/null &
kiosk_pid=$!
sleep 5
echo "# a kiosk at rest on the attract screen (fresh process, 5 s after start)"
awk '/^Pss:/ {print "pss_kb.at_rest: " $2} /^Rss:/ {print "rss_kb.at_rest: " $2}' "/proc/$kiosk_pid/smaps_rollup"
echo
echo "# sync: the outbox drained to the reference CRM on 127.0.0.1"
"$bin/sync-bench" 2>/dev/null
