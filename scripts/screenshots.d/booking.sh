# Follow-up booking (docs/booking.md): every step in four languages, against the demo CRM;
# then an offline request and the cancel question in English.
# (The refused-with-alternatives screen needs two kiosks racing: tests/kiosk/with-crm/test_booking.cpp
# writes it as booking-refused-test.png into $KIOSK_SCREENSHOT_DIR; docs/screenshots/booking-refused-en.png is that.)
declare -A booking_dept=([zh-Hans]="内科" [zh-Hant]="內科" [en]="Internal medicine" [es]="Medicina interna")
declare -A booking_name=([zh-Hans]="李秀英" [zh-Hant]="陳大文" [en]="Ana Lopez" [es]="José García")
declare -A booking_phone=([zh-Hans]="13812345678" [zh-Hant]="91234567" [en]="13700002222" [es]="600123456")
for lang in zh-Hans zh-Hant en es; do
  shoot_online "booking-$lang" "sync" "tap start" "tap lang.$lang" "tap home.booking" \
    "screenshot $out/booking-department-$lang.png" \
    "tap ${booking_dept[$lang]}" "screenshot $out/booking-doctor-$lang.png" \
    "tap book.doctor.0" "screenshot $out/booking-day-$lang.png" \
    "tap book.day.1" "screenshot $out/booking-time-$lang.png" \
    "tap book.slot.0" "tap book.name" "type ${booking_name[$lang]}" "tap book.phone" "type ${booking_phone[$lang]}" \
    "screenshot $out/booking-guest-$lang.png" \
    "tap book.next" "screenshot $out/booking-confirm-$lang.png" \
    "tap book.confirm" "sync" "wait 1 s" "screenshot $out/booking-booked-$lang.png" \
    "tap nav.home" "tap home.booking_manage" "tap book.find_code" "type B-7KQ4-M2XD" "tap book.find_phone" \
    "type ${booking_phone[$lang]:(-4)}" "screenshot $out/booking-find-$lang.png"
done
shoot_online "booking-cancel" "tap start" "tap lang.en" "tap home.booking" "tap Internal medicine" "tap book.doctor.0" \
  "tap book.day.2" "tap book.slot.0" "tap book.name" "type Wang Fang" "tap book.phone" "type 13900001234" \
  "tap book.next" "tap book.confirm" "sync" "wait 1 s" "tap book.cancel" "screenshot $out/booking-cancel-en.png"
# Offline: the same kiosk, its CRM unreachable — a request that waits for confirmation.
sed 's|^crm_url = .*|crm_url = http://127.0.0.1:1|' "$data/online.conf" > "$data/offline.conf"
printf '%s\n' "tap start" "tap lang.en" "tap home.booking" "tap Internal medicine" "tap book.doctor.0" "tap book.day.1" \
  "screenshot $out/booking-time-offline-en.png" "tap book.slot.0" "tap book.name" "type Li Na" "tap book.phone" \
  "type 13600003333" "tap book.next" "screenshot $out/booking-confirm-offline-en.png" "tap book.confirm" \
  "screenshot $out/booking-waiting-en.png" > "$data/booking-offline.script"
"$bin/kiosk" --demo --config "$data/offline.conf" --headless --data-dir "$data/kiosk-online" \
  --script "$data/booking-offline.script" 2>"$data/booking-offline.log" || { cat "$data/booking-offline.log" >&2; exit 1; }
