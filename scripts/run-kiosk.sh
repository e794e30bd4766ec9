#!/usr/bin/env bash
# make run: start the reference CRM on 127.0.0.1 (when it is built) and the
# kiosk pointed at it, on their embedded defaults. Extra arguments go to the kiosk.
set -euo pipefail
build=${1:-build}; shift || true
bin="$build/bin"
state="${XDG_STATE_HOME:-$HOME/.local/state}/lobby-kiosk"
mkdir -p "$state"

crm_pid=""
cleanup() { [ -n "$crm_pid" ] && kill "$crm_pid" 2>/dev/null || true; }
trap cleanup EXIT INT TERM

kiosk_args=()
if [ -x "$bin/crm-server" ]; then
  crm_db="$state/demo-crm.sqlite"
  # Secrets by files readable by their owner alone, never on a command line
  # (anyone can read /proc/*/cmdline). --seed-demo adds lobby-1=demo-secret.
  (umask 077 && echo demo-admin > "$state/demo-admin-token")
  "$bin/crm-server" --listen 127.0.0.1:8787 --db "$crm_db" --seed-demo \
    --admin-token-file "$state/demo-admin-token" >>"$state/crm-server.log" 2>&1 &
  crm_pid=$!
  echo "run-kiosk: reference CRM on http://127.0.0.1:8787 (log: $state/crm-server.log)"
  kiosk_args+=(--crm-url http://127.0.0.1:8787)
fi

# A kiosk boots into its own display. On a machine with no display at all
# (a build server, a container) run it in a virtual one so `make run` still works.
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ ! -e /dev/dri/card0 ]; then
  echo "run-kiosk: no display here; running the kiosk under Xvfb (try --headless --screenshot FILE.png to see it)"
  exec_prefix=(xvfb-run -a -s "-screen 0 1920x1080x24")
else
  exec_prefix=()
fi
# --demo: the demo secret and the demo staff PIN (2468) are allowed here only.
"${exec_prefix[@]}" "$bin/kiosk" --demo --data-dir "$state/data" "${kiosk_args[@]}" "$@"
