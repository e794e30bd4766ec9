# Members (docs/members.md): sign-in, My points (balance hidden, then shown),
# the rewards, a confirmation, a points + cash voucher with its QR code, a gift
# to a masked recipient — in each language, against the demo CRM. Card 01 is
# the demo VIP; the spending is done by card 20 so the VIP's shots stay the same.
for lang in zh-Hans zh-Hant en es; do
  shoot_online "members-$lang" "tap start" "tap lang.$lang" "tap home.members" \
    "screenshot $out/members-sign_in-$lang.png" \
    "scan KNMEMBER:6200000000000001" "type 1234" "screenshot $out/members-pin-$lang.png" \
    "tap member.sign_in" "screenshot $out/members-points-$lang.png" \
    "tap member.show_balance" "screenshot $out/members-points-shown-$lang.png" \
    "tap member.sign_out" \
    "tap home.members" "scan 6200000000000020" "type 1234" "tap member.sign_in" \
    "tap member.redeem" "screenshot $out/members-rewards-$lang.png" \
    "tap reward.teeth-cleaning" "screenshot $out/members-confirm-$lang.png" \
    "tap redeem.confirm" "screenshot $out/members-voucher-$lang.png" \
    "tap redeem.done" "tap member.redeem" "tap redeem.gift" "type 6200000000000002" "tap gift.find" "type 20" \
    "tap gift.next" "screenshot $out/members-gift-$lang.png" "tap gift.cancel"
done
