# Offers & events (docs/promotions.md): the attract screen with an offer, the
# list and one offer's page in each language, and the staff view of them.
# Sourced by scripts/screenshots.sh; the demo CRM supplies the offers and pictures.
shoot_online promotions-attract "sync" "wait 9 s" "screenshot $out/promotions-attract.png"
for lang in zh-Hans zh-Hant en es; do
  shoot_online "promotions-$lang" "sync" "tap start" "tap lang.$lang" "tap home.promotions" \
    "screenshot $out/promotions-list-$lang.png" \
    "tap promotions.card.checkup-card" "screenshot $out/promotions-detail-$lang.png"
done
shoot_online promotions-home "tap start" "tap lang.en" "screenshot $out/promotions-home-en.png"
shoot_online promotions-admin "sync" "tap start" "tap lang.en" "tap home.promotions" "hold_at 20 20 3000" \
  "tap pin.2" "tap pin.4" "tap pin.6" "tap pin.8" "tap pin.ok" "screenshot $out/promotions-admin.png"
