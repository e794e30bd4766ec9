#!/usr/bin/env bash
# make screenshots: render every screen headless to docs/screenshots/, in each
# language and accessibility mode, through the kiosk's own --script driver.
set -euo pipefail
build=${1:-build}
bin="$build/bin"
out=docs/screenshots
mkdir -p "$out"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

shoot() {  # shoot NAME SCRIPT-LINES...
  local name=$1; shift
  printf '%s\n' "$@" > "$data/$name.script"
  "$bin/kiosk" --headless --data-dir "$data/kiosk" --script "$data/$name.script" 2>/dev/null
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
echo "screenshots: $(ls "$out" | wc -l) files in $out"
