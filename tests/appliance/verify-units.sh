#!/usr/bin/env bash
# systemd-analyze verify on the units as shipped, with the installed paths
# pointed at this build's binaries (verify checks that each command exists).
# usage: verify-units.sh SOURCE_DIR BIN_DIR
set -euo pipefail
src=$1; bin=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for unit in "$src"/packaging/systemd/*.service; do
  sed -e "s|/usr/bin/lobby-kiosk-crm|$bin/crm-server|g" -e "s|/usr/bin/lobby-kiosk |$bin/kiosk |g" \
      -e "s|/usr/bin/lobby-kiosk$|$bin/kiosk|g" "$unit" > "$work/$(basename "$unit")"
done
systemd-analyze verify "$work"/*.service
grep -q '^Type=notify' "$work"/lobby-kiosk.service "$work"/lobby-kiosk-crm.service
grep -q '^WatchdogSec=' "$work"/lobby-kiosk.service
grep -q '^Restart=always' "$work"/lobby-kiosk.service
echo "verify-units: $(ls "$work" | wc -l) units verified"
