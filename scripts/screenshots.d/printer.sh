# The receipt printer (staff): state, test print, and the slip as it will come out.
# A regular file stands in for the printer device.
: > "$data/lp0"
grep -q '^printer_path' "$data/online.conf" || printf 'printer_path = %s\n' "$data/lp0" >> "$data/online.conf"
for lang in zh-Hans en; do
  shoot_online "printer-$lang" "tap start" "tap lang.$lang" "hold_at 20 20 3000" "tap pin.2" "tap pin.4" "tap pin.6" \
    "tap pin.8" "tap pin.ok" "tap admin.printer" "tap printer.test_print" "screenshot $out/admin_printer-$lang.png"
done
