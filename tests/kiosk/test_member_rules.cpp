// The member screens' rules as plain functions: reading a card or QR code, the
// cache that never holds a card or PIN in clear, the offline PIN lockout, the
// offline daily limit and the hold that stops spending the same points twice,
// tiers, vouchers, and balances that never go below zero.
#include <catch2/catch.hpp>

#include "domain/member_rules.h"
#include "platform/clock.h"

using namespace kiosk;

namespace {
OfflineMember cached_member(int64_t balance) {
    OfflineMember m;
    m.card_last4 = "0002";
    m.masked_name = "李*英";
    m.tier = MemberTier::key;
    m.balance = balance;
    m.pin = make_pin_verifier("1234", "00112233445566778899aabbccddeeff", 1000);
    return m;
}
}  // namespace

TEST_CASE("A card is read from its barcode, the member QR code or typed digits", "[members]") {
    CHECK(card_from_scan("6200000000000002") == "6200000000000002");
    CHECK(card_from_scan("  6200000000000002\r\n") == "6200000000000002");
    CHECK(card_from_scan("KNMEMBER:6200000000000002") == "6200000000000002");
    CHECK(card_from_scan("knmember:6200000000000002") == "6200000000000002");
    CHECK_FALSE(card_from_scan("KNMEMBER:"));
    CHECK_FALSE(card_from_scan("https://example.com/6200000000000002"));  // someone else's QR code
    CHECK_FALSE(card_from_scan("KNVOUCHER:V-1234ABCD;cash_fen=0"));
    CHECK_FALSE(card_from_scan("6200 0000"));
    CHECK_FALSE(card_from_scan("1234567"));                 // too short
    CHECK_FALSE(card_from_scan("12345678901234567890"));    // too long
    CHECK(is_card_number("12345678"));
    CHECK_FALSE(is_card_number("１２３４５６７８"));           // full-width digits are not card digits
}

TEST_CASE("The member cache key is a keyed hash: no card number in clear, different per kiosk secret", "[members][privacy]") {
    std::string key = member_cache_key("s3cret", "6200000000000002");
    CHECK(key.rfind("member:", 0) == 0);
    CHECK(key.find("6200000000000002") == std::string::npos);
    CHECK(key.find("0002") == std::string::npos);
    CHECK(key == member_cache_key("s3cret", "6200000000000002"));
    CHECK(key != member_cache_key("s3cret", "6200000000000003"));
    CHECK(key != member_cache_key("other", "6200000000000002"));
}

TEST_CASE("The offline PIN verifier is salted and slow, and never holds the PIN", "[members][privacy]") {
    PinVerifier v = make_pin_verifier("1234", random_salt_hex());
    CHECK(v.iterations == kPinHashIterations);
    CHECK(v.salt_hex.size() == 32);
    CHECK(v.hash_hex.find("1234") == std::string::npos);
    CHECK(pin_matches(v, "1234"));
    CHECK_FALSE(pin_matches(v, "1235"));
    CHECK_FALSE(pin_matches(v, ""));
    PinVerifier other_salt = make_pin_verifier("1234", random_salt_hex());
    CHECK(other_salt.hash_hex != v.hash_hex);
    CHECK_FALSE(pin_matches(PinVerifier{}, "1234"));  // an empty verifier matches nothing
}

TEST_CASE("Offline, wrong PINs slow the card with growing waits, as the CRM does, never a lock-out", "[members]") {
    platform::ManualClock clock(0, 1'795'000'000'000);
    OfflineMember m = cached_member(1000);
    for (int i = 0; i < 3; ++i) {  // three slips are free
        PinCheck c = check_offline_pin(m, "0000", clock.wall_ms());
        REQUIRE(c.outcome == PinCheck::Outcome::wrong);
        CHECK(c.wait_ms == 0);
    }
    PinCheck fourth = check_offline_pin(m, "0000", clock.wall_ms());
    CHECK(fourth.outcome == PinCheck::Outcome::wrong);
    CHECK(fourth.wait_ms == 5'000);
    PinCheck waiting = check_offline_pin(m, "1234", clock.wall_ms());  // even the right PIN is not checked now
    CHECK(waiting.outcome == PinCheck::Outcome::wait);
    CHECK(waiting.wait_ms == 5'000);
    // A guesser who keeps going waits 10 s, 20 s, … and never more than 15 minutes.
    std::vector<int64_t> waits;
    for (int i = 0; i < 10; ++i) {
        clock.advance(m.locked_until_ms - clock.wall_ms());
        waits.push_back(check_offline_pin(m, "0000", clock.wall_ms()).wait_ms);
    }
    CHECK(waits == std::vector<int64_t>{10'000, 20'000, 40'000, 80'000, 160'000, 320'000, 640'000, 900'000, 900'000,
                                        900'000});
    // The member, after the wait, is in; the count starts again.
    clock.advance(15 * 60'000);
    CHECK(check_offline_pin(m, "1234", clock.wall_ms()).outcome == PinCheck::Outcome::ok);
    CHECK(check_offline_pin(m, "9999", clock.wall_ms()).wait_ms == 0);
    // A clock set back does not stretch a wait beyond the cap.
    for (int i = 0; i < 8; ++i) check_offline_pin(m, "0000", clock.wall_ms());
    CHECK(check_offline_pin(m, "1234", clock.wall_ms() - 86'400'000).wait_ms <= 15 * 60'000);
}

TEST_CASE("The wait survives a restart: the counter lives in the cache entry", "[members]") {
    OfflineMember m = cached_member(1000);
    for (int i = 0; i < 5; ++i) check_offline_pin(m, "0000", 1000);
    auto again = offline_member_from_json(m.to_json());
    REQUIRE(again);
    CHECK(check_offline_pin(*again, "1234", 1000).outcome == PinCheck::Outcome::wait);
}

OfflineGrant grant(int64_t cap, int64_t expires_ms) { return OfflineGrant{"G-1", "sig", cap, expires_ms, 0}; }

TEST_CASE("Offline spending needs the CRM's grant and stays within its cap, the kiosk's limit and the cached balance", "[members]") {
    OfflineMember m = cached_member(1000);
    const int64_t now = 1'000'000;
    CHECK(check_offline_redemption(m, 300, 5000, now).outcome == OfflineRedeem::Outcome::no_grant);
    m.grant = grant(500, now + 1000);
    CHECK(check_offline_redemption(m, 300, 5000, now).outcome == OfflineRedeem::Outcome::ok);
    hold_offline_redemption(m, "key-1", 300);
    OfflineRedeem over = check_offline_redemption(m, 300, 5000, now);
    CHECK(over.outcome == OfflineRedeem::Outcome::over_limit);
    CHECK(over.left == 200);
    CHECK(check_offline_redemption(m, 200, 5000, now).outcome == OfflineRedeem::Outcome::ok);
    // The kiosk's own limit is a ceiling on top of the grant; 0 refuses offline spending.
    CHECK(check_offline_redemption(m, 200, 100, now).outcome == OfflineRedeem::Outcome::over_limit);
    CHECK(check_offline_redemption(m, 50, 0, now).outcome == OfflineRedeem::Outcome::no_grant);
    CHECK(check_offline_redemption(m, 0, 500, now).outcome == OfflineRedeem::Outcome::invalid_points);
    CHECK(check_offline_redemption(m, -5, 500, now).outcome == OfflineRedeem::Outcome::invalid_points);
    m.grant->cap_points = 5000;
    OfflineRedeem short_of = check_offline_redemption(m, 800, 5000, now);
    CHECK(short_of.outcome == OfflineRedeem::Outcome::insufficient_points);
    CHECK(short_of.available == 700);
}

TEST_CASE("Moving the kiosk's clock neither renews a grant nor gives a fresh allowance", "[members]") {
    OfflineMember m = cached_member(10'000);
    const int64_t now = 1'000'000;
    m.grant = grant(500, now + 1000);
    hold_offline_redemption(m, "key-1", 500);
    // A day later, or a day earlier: the grant's cap is a total, not a day's count.
    CHECK(check_offline_redemption(m, 100, 5000, now - 86'400'000).outcome == OfflineRedeem::Outcome::over_limit);
    CHECK(check_offline_redemption(m, 100, 5000, now + 500).outcome == OfflineRedeem::Outcome::over_limit);
    // Past its expiry nothing more is spent on it.
    m.grant->spent = 0;
    CHECK(check_offline_redemption(m, 100, 5000, now + 1000).outcome == OfflineRedeem::Outcome::no_grant);
    auto restarted = offline_member_from_json(m.to_json());
    REQUIRE(restarted);
    REQUIRE(restarted->grant);
    CHECK(restarted->grant->id == "G-1");
    CHECK(restarted->grant->expires_ms == now + 1000);
}

TEST_CASE("Points held by queued redemptions cannot be spent twice at this kiosk, even after a restart", "[members]") {
    OfflineMember m = cached_member(400);
    m.grant = grant(10'000, 5'000'000);
    hold_offline_redemption(m, "key-1", 300);
    auto restarted = offline_member_from_json(m.to_json());
    REQUIRE(restarted);
    CHECK(available_points(*restarted) == 100);
    CHECK(restarted->grant->spent == 300);
    CHECK(check_offline_redemption(*restarted, 300, 10'000, 1).outcome == OfflineRedeem::Outcome::insufficient_points);
}

TEST_CASE("An online sign-in replaces the cached balance and grant and keeps holds only for records still queued", "[members]") {
    OfflineMember m = cached_member(1000);
    m.grant = grant(2000, 5'000'000);
    hold_offline_redemption(m, "delivered", 300);
    hold_offline_redemption(m, "queued", 200);
    for (int i = 0; i < 3; ++i) check_offline_pin(m, "0000", 1);
    refresh_from_crm(m, 700, 5000, [](const std::string& key) { return key == "queued"; }, grant(1500, 9'000'000));
    CHECK(m.balance == 700);
    CHECK(m.balance_as_of_ms == 5000);
    CHECK(available_points(m) == 500);
    CHECK(m.failed_pins == 0);
    REQUIRE(m.grant);
    CHECK(m.grant->cap_points == 1500);  // the CRM counted what was spent under the old one
    CHECK(m.grant->spent == 0);
    refresh_from_crm(m, 700, 6000, [](const std::string&) { return false; }, std::nullopt);
    CHECK_FALSE(m.grant);  // no grant this time: no offline spending here
}

TEST_CASE("A grant from the CRM is read within bounds", "[members]") {
    auto g = parse_offline_grant(R"({"id":"G-abc","cap_points":2000,"expires_ms":99,"signature":"ff"})");
    REQUIRE(g);
    CHECK(g->cap_points == 2000);
    CHECK_FALSE(parse_offline_grant(R"({"id":"G-abc","cap_points":-1,"expires_ms":99,"signature":"ff"})"));
    CHECK_FALSE(parse_offline_grant(R"({"id":"","cap_points":1,"expires_ms":99,"signature":"ff"})"));
    CHECK_FALSE(parse_offline_grant(R"({"id":"G","cap_points":"1","expires_ms":99,"signature":"ff"})"));
    CHECK_FALSE(parse_offline_grant("[]"));
}

TEST_CASE("A balance is never below zero, whatever the cache or the holds say", "[members]") {
    OfflineMember m = cached_member(100);
    hold_offline_redemption(m, "k", 300);  // more than the balance: only possible by a bug elsewhere
    CHECK(available_points(m) == 0);
    refresh_from_crm(m, -50, 1, [](const std::string&) { return true; }, std::nullopt);
    CHECK(m.balance == 0);
    CHECK(never_negative(-1) == 0);
    CHECK(never_negative(7) == 7);
    auto tampered = offline_member_from_json(R"({"v":2,"last4":"0002","masked_name":"x","tier":"vip","balance":-9,
        "balance_as_of_ms":0,"pin":{"salt":"","iterations":1,"hash":""},"failed_pins":0,"locked_until_ms":0,
        "grant":null,"holds":[]})");
    REQUIRE(tampered);
    CHECK(tampered->balance == 0);
}

TEST_CASE("A damaged cache entry is no entry", "[members]") {
    CHECK_FALSE(offline_member_from_json("not json"));
    CHECK_FALSE(offline_member_from_json(R"({"v":1})"));
    CHECK_FALSE(offline_member_from_json(R"({"v":2})"));
    OfflineMember m = cached_member(5);
    auto round = offline_member_from_json(m.to_json());
    REQUIRE(round);
    CHECK(round->masked_name == "李*英");
    CHECK(round->tier == MemberTier::key);
    CHECK(pin_matches(round->pin, "1234"));
}

TEST_CASE("Tiers: each names the next one up, VIP is the top", "[members]") {
    CHECK(next_tier(MemberTier::basic) == MemberTier::regular);
    CHECK(next_tier(MemberTier::regular) == MemberTier::key);
    CHECK(next_tier(MemberTier::key) == MemberTier::vip);
    CHECK_FALSE(next_tier(MemberTier::vip));
    CHECK(tier_name_key(MemberTier::vip) == "tier.vip");
    CHECK(tier_name_key(MemberTier::basic) == "tier.basic");
    CHECK(tier_benefit_key(MemberTier::key) == "members.benefit.key");
}

TEST_CASE("A voucher number comes from the record key, and its QR code carries the cash to pay", "[members]") {
    CHECK(voucher_from_key("6f1c2a4e-8d3b-4f7a-9c1e-2b5d8e0f3a71") == "V-6F1C2A4E");
    CHECK(voucher_qr_text("V-6F1C2A4E", 5000) == "KNVOUCHER:V-6F1C2A4E;cash_fen=5000");
    CHECK(utc_day(0) == "1970-01-01");
    CHECK(utc_day(1'795'000'000'000) == "2026-11-18");
}

TEST_CASE("The CRM's sign-in answer becomes the session's member, with the name masked", "[members][privacy]") {
    auto m = parse_sign_in_answer(R"({"card_last4":"0002","name":"李秀英","tier":"key","balance":12890,
        "year_spend_yuan":27000,"birthday_today":true,"next_tier":{"tier":"vip","spend_yuan_to_reach":3100},
        "expiring":{"points":99999,"on":"2026-12-31"},
        "earned_by_month":[{"month":"2026-11","points":120}],
        "history":[{"delta":-300,"kind":"redeemed","note":"registration-discount","at_ms":5}],
        "void_vouchers":[{"voucher":"V-ABCD1234","reward":"checkup-card","points":5000,"reason":"insufficient_points"}]})",
                                  "6200000000000002", 77);
    REQUIRE(m);
    CHECK(m->masked_name == "李*英");
    CHECK(m->card_last4 == "0002");
    CHECK(m->tier == MemberTier::key);
    CHECK(m->balance == 12890);
    CHECK(m->balance_as_of_wall_ms == 77);
    CHECK(m->birthday_today);
    REQUIRE(m->statement);
    CHECK(m->statement->next_tier == MemberTier::vip);
    CHECK(m->statement->spend_yuan_to_next_tier == 3100);
    CHECK(m->statement->expiring_points == 12890);  // never more than the balance
    CHECK(m->statement->history.size() == 1);
    CHECK(m->statement->void_vouchers.at(0).voucher == "V-ABCD1234");

    CHECK_FALSE(parse_sign_in_answer("<html>", "6200000000000002", 0));
    CHECK_FALSE(parse_sign_in_answer(R"({"name":"x","tier":"gold","balance":1})", "6200000000000002", 0));
    // A hostile or broken answer is refused within the contract's bounds, before a tree is built.
    CHECK_FALSE(parse_sign_in_answer(R"({"name":"x","tier":"key","balance":1,"history":)" + std::string(100'000, '[') +
                                         "}",
                                     "6200000000000002", 0));
    CHECK_FALSE(parse_sign_in_answer(R"({"name":"x","tier":"key","balance":9223372036854775807})", "6200000000000002", 0));
    CHECK_FALSE(parse_sign_in_answer(R"({"name":7,"tier":"vip","balance":1})", "6200000000000002", 0));
    auto negative = parse_sign_in_answer(R"({"name":"x","tier":"vip","balance":-5})", "6200000000000002", 0);
    REQUIRE(negative);
    CHECK(negative->balance == 0);
}
