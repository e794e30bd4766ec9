#!/usr/bin/env bash
# make screenshots: render every screen headless to docs/screenshots/, in each
# language and accessibility mode, through the kiosk's own --script driver.
set -euo pipefail
build=${1:-build}
bin="$build/bin"
out=docs/screenshots
mkdir -p "$out"
data=$(mktemp -d)
crm_pid=""
cleanup() { [ -n "$crm_pid" ] && kill "$crm_pid" 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT

# The demo CRM, for the screens that talk to it (members, bookings, complaint
# status): a fresh database each time, on a port nothing else uses.
port=$((20000 + RANDOM % 20000))
# Secrets come from files only their owner reads, never from the command line.
(umask 077 && echo shots > "$data/admin-token")
"$bin/crm-server" --listen "127.0.0.1:$port" --db "$data/crm.sqlite" --seed-demo --admin-token-file "$data/admin-token" \
  --quiet >"$data/crm.log" 2>&1 &
crm_pid=$!
for _ in $(seq 1 100); do  # bounded: 10 s for the server to bind
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done
printf 'crm_url = http://127.0.0.1:%s\n' "$port" > "$data/online.conf"

shoot() {  # shoot NAME SCRIPT-LINES...
  local name=$1; shift
  printf '%s\n' "$@" > "$data/$name.script"
  "$bin/kiosk" --demo --headless --data-dir "$data/kiosk" --script "$data/$name.script" 2>/dev/null
}

shoot_online() {  # shoot_online NAME SCRIPT-LINES... — the same, with the demo CRM behind the kiosk
  local name=$1; shift
  # The first sync brings the CRM's content and shows the kiosk online, as in the lobby.
  printf '%s\n' sync "$@" > "$data/$name.script"
  "$bin/kiosk" --demo --config "$data/online.conf" --headless --data-dir "$data/kiosk-online" \
    --script "$data/$name.script" 2>"$data/$name.log" || { cat "$data/$name.log" >&2; return 1; }
}

shoot attract "screenshot $out/attract.png"
for lang in zh-Hans zh-Hant en es; do
  shoot "screens-$lang" "tap start" "tap lang.$lang" \
    "screenshot $out/home-$lang.png" \
    "tap home.visit_flow" "screenshot $out/visit_flow-$lang.png" "tap nav.back" \
    "tap home.complaint_flow" "screenshot $out/complaint_flow-$lang.png"
done
shoot large-text "tap start" "tap lang.en" "tap a11y.large_text" "screenshot $out/home-en-large-text.png" \
  "tap home.visit_flow" "screenshot $out/visit_flow-en-large-text.png"
shoot high-contrast "tap start" "tap a11y.high_contrast" "screenshot $out/home-zh-Hans-high-contrast.png" \
  "tap home.complaint_flow" "screenshot $out/complaint_flow-zh-Hans-high-contrast.png"
shoot idle "tap start" "tap home.visit_flow" "wait 63 s" "screenshot $out/idle-countdown.png"
shoot staff "tap start" "tap lang.en" "hold_at 20 20 3000" "tap pin.2" "tap pin.4" "screenshot $out/admin_pin.png" \
  "tap pin.6" "tap pin.8" "tap pin.ok" "screenshot $out/admin.png"
staff=("tap start" "hold_at 20 20 3000" "tap pin.2" "tap pin.4" "tap pin.6" "tap pin.8" "tap pin.ok" "tap admin.input_check")
shoot keyboard-pinyin "${staff[@]}" "tap check.text" "tap key.y" "tap key.i" "tap key.s" "tap key.h" "tap key.e" \
  "tap key.n" "tap key.g" "screenshot $out/keyboard-pinyin.png"
shoot keyboard-latin "tap start" "tap lang.es" "${staff[@]:1}" "tap check.text" "type Hola" "tap key.áñ¿" \
  "screenshot $out/keyboard-latin-es.png"
shoot keyboard-numpad "tap start" "tap lang.en" "${staff[@]:1}" "tap check.pin" "tap key.1" "tap key.2" \
  "screenshot $out/keyboard-number-pad.png"
shoot keyboard-elder "tap a11y.elder" "tap lang.en" "tap home.complaint" "tap complaint.start" "tap complaint.what" \
  "type My ring" "screenshot $out/keyboard-elder-en.png"
shoot input-check "${staff[@]}" "tap check.text" "tap key.y" "tap key.i" "tap key.s" "tap key.h" "tap key.e" \
  "tap key.n" "tap key.g" "tap 医生" "tap key.OK" "scan 6200123412341234" "drag 1500 900 1500 700" \
  "screenshot $out/admin_input.png"
# Each feature's screens: scripts/screenshots.d/<feature>.sh, using shoot / shoot_online and $out.
for part in scripts/screenshots.d/*.sh; do
  [ -e "$part" ] && . "$part"
done
echo "screenshots: $(ls "$out" | wc -l) files in $out"
