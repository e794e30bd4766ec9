#!/usr/bin/env bash
# The Debian packages, built and installed for real: `cpack -G DEB`, lintian
# (no errors), `dpkg -i` on this machine (CI runs as root), the files, owners
# and modes the brief names, the units verified, the kiosk started as the
# `kiosk` user under cage exactly as its unit says until it reports READY, then
# `dpkg --purge` and nothing left. Exit 77 (skipped) when not root.
# usage: package-install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(cd "$1" && pwd); src=$(cd "$2" && pwd)
if [ "$(id -u)" != 0 ]; then echo "package-install: needs root (dpkg -i); skipped"; exit 77; fi

work=$(mktemp -d /tmp/lobby-package-test.XXXXXX)
chmod 755 "$work"
cage_pid=""
cleanup() {
  [ -n "$cage_pid" ] && kill "$cage_pid" 2>/dev/null || true
  dpkg --purge lobby-kiosk lobby-kiosk-crm >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "package-install: FAIL: $*"; exit 1; }

echo "== cpack"
(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack"; }
kiosk_deb=$(ls "$work"/out/lobby-kiosk_*.deb); crm_deb=$(ls "$work"/out/lobby-kiosk-crm_*.deb)
echo "$kiosk_deb"; echo "$crm_deb"
dpkg-deb -f "$kiosk_deb" Depends | tee "$work/depends"
grep -q "libsdl2" "$work/depends" || fail "Depends lacks the shared libraries (dpkg-shlibdeps)"

echo "== lintian (errors fail; warnings listed)"
lintian --tag-display-limit 0 "$kiosk_deb" "$crm_deb" >"$work/lintian.log" 2>&1 || true
cat "$work/lintian.log"
if grep -q '^E:' "$work/lintian.log"; then fail "lintian reports errors"; fi

echo "== dpkg -i"
dpkg --purge lobby-kiosk lobby-kiosk-crm >/dev/null 2>&1 || true
for _ in $(seq 1 60); do  # bounded: another apt/dpkg may hold the lock for a while
  if dpkg -i "$kiosk_deb" "$crm_deb" >"$work/dpkg.log" 2>&1; then ok=1; break; fi
  ok=0
  grep -q "lock" "$work/dpkg.log" || break
  sleep 2
done
[ "$ok" = 1 ] || { cat "$work/dpkg.log"; fail "dpkg -i"; }

check() {  # check PATH OWNER:GROUP MODE
  local got; got=$(stat -c '%U:%G %a' "$1") || fail "$1 missing"
  [ "$got" = "$2 $3" ] || fail "$1 is $got, expected $2 $3"
  echo "ok $1 $got"
}
check /usr/bin/lobby-kiosk root:root 755
check /usr/bin/lobby-kiosk-crm root:root 755
check /usr/share/lobby-kiosk/i18n/en.json root:root 644
check /etc/lobby-kiosk/kiosk.conf root:root 644
check /etc/lobby-kiosk/kiosk.secret kiosk:kiosk 600
check /var/lib/lobby-kiosk kiosk:kiosk 700
check /lib/systemd/system/lobby-kiosk.service root:root 644
check /etc/lobby-kiosk-crm/admin-token lobby-kiosk-crm:lobby-kiosk-crm 600
check /etc/lobby-kiosk-crm/kiosk-secrets lobby-kiosk-crm:lobby-kiosk-crm 600
check /var/lib/lobby-kiosk-crm lobby-kiosk-crm:lobby-kiosk-crm 700
check /lib/systemd/system/lobby-kiosk-crm.service root:root 644
grep -qx /etc/lobby-kiosk/kiosk.conf /var/lib/dpkg/info/lobby-kiosk.conffiles || fail "kiosk.conf is not a conffile"
[ "$(wc -c < /etc/lobby-kiosk/kiosk.secret)" -ge 64 ] || fail "the kiosk secret is too short"
getent passwd kiosk >/dev/null || fail "no kiosk user"
[ "$(getent passwd kiosk | cut -d: -f7)" = /usr/sbin/nologin ] || fail "the kiosk user has a login shell"

echo "== systemd-analyze verify (installed units)"
systemd-analyze verify /lib/systemd/system/lobby-kiosk.service /lib/systemd/system/lobby-kiosk-console.service \
  /lib/systemd/system/lobby-kiosk-crm.service

echo "== the installed kiosk finds its assets and refuses the demo"
/usr/bin/lobby-kiosk --version
if runuser -u kiosk -- /usr/bin/lobby-kiosk --headless --data-dir "$work/nodemo" 2>"$work/nodemo.log"; then
  fail "started without a secret"; fi
grep -q kiosk_secret_file "$work/nodemo.log" || { cat "$work/nodemo.log"; fail "no clear refusal"; }

echo "== the unit's command, as the kiosk user, under cage (headless wlroots: no /dev/dri here)"
exec_start=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/lobby-kiosk.service)
video=$(sed -n 's/^Environment=SDL_VIDEODRIVER=//p' /lib/systemd/system/lobby-kiosk.service)
[ "$video" = wayland ] || fail "the cage unit does not choose SDL's wayland driver"
[[ "$exec_start" == "/usr/bin/cage "*"-- /usr/bin/lobby-kiosk --config /etc/lobby-kiosk/kiosk.conf" ]] || fail "unexpected ExecStart: $exec_start"
# The staff PIN as docs/deployment.md (section 2) sets it, then the installed
# configuration with it, pointed at nothing on loopback instead of the example CRM.
echo 73519 | lobby-kiosk --hash-pin > /etc/lobby-kiosk/staff-pin.hash
chown kiosk:kiosk /etc/lobby-kiosk/staff-pin.hash && chmod 600 /etc/lobby-kiosk/staff-pin.hash
grep -q '^pbkdf2-sha256\$' /etc/lobby-kiosk/staff-pin.hash || fail "--hash-pin wrote no hash"
sed -e 's|^crm_url = .*|crm_url = http://127.0.0.1:1|' -e 's|^# admin_pin_file = |admin_pin_file = |' \
  /etc/lobby-kiosk/kiosk.conf > "$work/kiosk.conf"
grep -q '^admin_pin_file = ' "$work/kiosk.conf" || fail "kiosk.conf has no admin_pin_file line to enable"
chmod 644 "$work/kiosk.conf"
command=${exec_start//\/etc\/lobby-kiosk\/kiosk.conf/$work/kiosk.conf}
runtime="$work/runtime"; install -d -m 0700 -o kiosk -g kiosk "$runtime"
python3 "$src/tests/appliance/wait-ready.py" "$work/notify.sock" 90 >"$work/notify.log" 2>&1 &
waiter=$!
for _ in $(seq 1 100); do [ -e "$work/notify.sock.bound" ] && break; sleep 0.1; done
# shellcheck disable=SC2086
runuser -u kiosk -- env XDG_RUNTIME_DIR="$runtime" SDL_VIDEODRIVER="$video" WLR_BACKENDS=headless \
  WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 NOTIFY_SOCKET="$work/notify.sock" WATCHDOG_USEC=30000000 \
  $command >"$work/cage.log" 2>&1 &
cage_pid=$!
# Whichever ends first: the waiter (READY, or its own 90 s bound) or cage (the kiosk failed).
wait -n "$waiter" "$cage_pid" || true
if kill -0 "$waiter" 2>/dev/null || ! grep -q "READY=1" "$work/notify.log"; then
  kill "$waiter" 2>/dev/null || true
  cat "$work/notify.log"; tail -30 "$work/cage.log"; fail "the kiosk under cage never said READY"
fi
cat "$work/notify.log"
ps -o user=,comm= --ppid "$cage_pid" | tee "$work/children" >/dev/null || true
pgrep -u kiosk -x lobby-kiosk >/dev/null || fail "the kiosk is not running as the kiosk user"
kill "$cage_pid"; wait "$cage_pid" 2>/dev/null || true; cage_pid=""

echo "== dpkg --purge"
dpkg --purge lobby-kiosk lobby-kiosk-crm >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "purge"; }
for gone in /usr/bin/lobby-kiosk /usr/bin/lobby-kiosk-crm /usr/share/lobby-kiosk /etc/lobby-kiosk \
            /var/lib/lobby-kiosk /etc/lobby-kiosk-crm /var/lib/lobby-kiosk-crm /lib/systemd/system/lobby-kiosk.service; do
  [ ! -e "$gone" ] || fail "$gone is still there after purge"
done
echo "package-install: all checks passed"
