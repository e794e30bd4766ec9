// Members: sign-in with card + PIN and the server-enforced slow-down, tiers by
// the customer pyramid, points earned by the rules, and redemptions that never
// take a balance below zero.
#include <thread>

#include "crm_fixture.h"
#include "platform/log.h"
#include "points_rules.h"

namespace {
httplib::Result sign_in_raw(CrmFixture& f, const std::string& card, const std::string& pin) {
    return f.kiosk("POST", "/api/v1/members/sign-in", json{{"card", card}, {"pin", pin}}.dump());
}
}  // namespace

TEST_CASE("Wrong PINs slow the card down, enforced by the server, and never lock it", "[crm][members]") {
    CrmFixture f;  // the delays themselves: test_guessing.cpp
    const std::string card = "6200000000000007";
    CHECK(sign_in_raw(f, card, "1234")->status == 200);
    for (int i = 0; i < 4; ++i) {
        auto wrong = sign_in_raw(f, card, "0000");
        CHECK(wrong->status == 401);
        CHECK(error_code(wrong) == "wrong_card_or_pin");
        CHECK_FALSE(json::parse(wrong->body).contains("tries_left"));  // no count: it would tell a real card
    }
    auto wait = sign_in_raw(f, card, "1234");
    CHECK(wait->status == 429);  // even the right PIN, while the card waits
    CHECK(wait->get_header_value("Retry-After") == "5");
    f.clock.advance(5'000);
    CHECK(sign_in_raw(f, card, "1234")->status == 200);  // 5 s later, open again; the count is forgotten

    // Another card is not affected; an unknown card looks like a wrong PIN.
    CHECK(sign_in_raw(f, "6200000000000008", "1234")->status == 200);
    auto unknown = sign_in_raw(f, "6299999999999999", "1234");
    CHECK(error_code(unknown) == "wrong_card_or_pin");
    CHECK(error_code(f.kiosk("POST", "/api/v1/members/sign-in", R"({"card": 6200000000000007, "pin": "1234"})")) ==
          "invalid_field");
}

TEST_CASE("Sign-in shows the tier by spend rank, the balance and the history, newest first", "[crm][members]") {
    CrmFixture f;  // 40 demo members: 1 VIP (top 1 %), 1 key (to 5 %), 6 regular (to 20 %), 32 basic
    CHECK(f.sign_in("6200000000000001")["tier"] == "vip");
    CHECK(f.sign_in("6200000000000002")["tier"] == "key");
    CHECK(f.sign_in("6200000000000003")["tier"] == "regular");
    CHECK(f.sign_in("6200000000000008")["tier"] == "regular");
    CHECK(f.sign_in("6200000000000009")["tier"] == "basic");
    json member = f.sign_in("6200000000000012");
    CHECK(member["card_last4"] == "0012");
    CHECK_FALSE(member.contains("card"));
    CHECK(member["history"].size() >= 3);
    CHECK(member["history"][0]["kind"] == "redeemed");  // the demo's latest entry
    int64_t sum = 0;
    for (const json& h : member["history"]) sum += h["delta"].get<int64_t>();
    CHECK(member["balance"] == sum);
}

TEST_CASE("Points are earned at billing by the rules, on the calendar year's spend", "[crm][members]") {
    CrmFixture f;
    const std::string card = "6200000000000030";
    json before = f.sign_in(card);
    int64_t spend_yuan = before["year_spend_yuan"], balance = before["balance"];
    REQUIRE(spend_yuan < 10'000);
    // 12,000 yuan from below 10,000: the part above 10,000 earns 5 % more.
    auto res = f.staff("POST", "/api/v1/admin/members/" + card + "/purchases", R"({"amount_fen": 1200000, "note": "surgery"})");
    REQUIRE(res->status == 200);
    json earned = json::parse(res->body);
    int64_t expected = crm::points_for_purchase(spend_yuan * 100, 1'200'000);
    CHECK(earned["points"] == expected);
    CHECK(expected == 12'000 + (spend_yuan + 12'000 - 10'000) * 5 / 100);
    CHECK(f.sign_in(card)["balance"] == balance + expected);
    CHECK(f.sign_in(card)["history"][0]["note"] == "surgery");

    CHECK(error_code(f.staff("POST", "/api/v1/admin/members/6299999999999999/purchases", R"({"amount_fen": 100})")) ==
          "unknown_member");
    CHECK(error_code(f.staff("POST", "/api/v1/admin/members/" + card + "/purchases", R"({"amount_fen": -5})")) ==
          "invalid_field");
    CHECK(error_code(f.staff("POST", "/api/v1/admin/members/" + card + "/purchases", R"({"amount_fen": "5"})")) ==
          "invalid_field");

    SECTION("a new calendar year starts the spend, and its brackets, from zero") {
        f.clock.advance(366LL * 86'400'000);
        auto next_year = f.staff("POST", "/api/v1/admin/members/" + card + "/purchases", R"({"amount_fen": 100000})");
        CHECK(json::parse(next_year->body)["points"] == 1'000);
        CHECK(json::parse(next_year->body)["year_spend_yuan"] == 1'000);
    }
}

TEST_CASE("Redemptions online: points only, points + cash, gifts — the balance never goes below zero", "[crm][members]") {
    CrmFixture f;
    const std::string card = "6200000000000020", friend_card = "6200000000000021";
    int64_t friend_balance = f.sign_in(friend_card)["balance"];
    json signed_in = f.sign_in(card);
    int64_t balance = signed_in["balance"];
    std::string session = signed_in["session"]["token"];
    REQUIRE(balance >= 300 + 2000 + 50);
    auto redeem = [&](const json& r) {
        auto res = f.kiosk("POST", "/api/v1/redemptions", r.dump(), {}, session);
        REQUIRE(res);
        INFO(res->body);
        REQUIRE(res->status == 200);
        return json::parse(res->body);
    };
    json points_only = redeem(record("r1", "redemption", priced_redemption(card, "registration-discount")));
    CHECK(points_only["status"] == "accepted");
    CHECK(points_only["balance"] == balance - 300);
    json with_cash = redeem(record("r2", "redemption", priced_redemption(card, "rehab-session")));
    CHECK(with_cash["balance"] == balance - 2300);
    json gift = redeem(record("r3", "points_gift", {{"from_card", card}, {"to_card", friend_card}, {"points", 50}}));
    CHECK(gift["balance"] == balance - 2350);
    CHECK(f.sign_in(friend_card)["balance"] == friend_balance + 50);

    // The same record later through the outbox: a duplicate, nothing moves twice.
    CHECK(f.batch({record("r1", "redemption", priced_redemption(card, "registration-discount"))})[0]["status"] ==
          "duplicate");
    CHECK(redeem(record("r1", "redemption", priced_redemption(card, "registration-discount")))["balance"] == balance - 2350);

    json too_much = redeem(record("r4", "points_gift", {{"from_card", card}, {"to_card", friend_card}, {"points", balance}}));
    CHECK(too_much["status"] == "rejected");
    CHECK(too_much["reason"] == "insufficient_points");
    json cash_missing = priced_redemption(card, "rehab-session");
    cash_missing.erase("cash_fen");
    CHECK(redeem(record("r5", "redemption", cash_missing))["reason"] == "price_changed");
    CHECK(redeem(record("r6", "points_gift", {{"from_card", card}, {"to_card", card}, {"points", 1}}))["reason"] ==
          "gift_to_self");
    CHECK(error_code(f.kiosk("POST", "/api/v1/redemptions", record("r7", "feedback", {{"face", 1}}).dump(), {}, session)) ==
          "invalid_field");
    CHECK(error_code(f.kiosk("POST", "/api/v1/redemptions",
                             record("r8", "redemption", {{"card", 6200000000000020}, {"points", 1}}).dump(), {}, session)) ==
          "invalid_field");
    CHECK(f.sign_in(card)["balance"] == balance - 2350);
}

TEST_CASE("Kiosks racing to spend the same points: the balance never goes below zero", "[crm][members]") {
    CrmFixture f;
    const std::string card = "6200000000000033", friend_card = "6200000000000034";
    json signed_in = f.sign_in(card);
    int64_t balance = signed_in["balance"];
    std::string session = signed_in["session"]["token"];
    int64_t each = balance / 3 + 1;  // three fit only twice
    std::vector<std::thread> kiosks;
    std::atomic<int> accepted{0};
    for (int i = 0; i < 6; ++i)
        kiosks.emplace_back([&, i] {
            auto res = f.kiosk("POST", "/api/v1/redemptions",
                               record("race-" + std::to_string(i), "points_gift",
                                      {{"from_card", card}, {"to_card", friend_card}, {"points", each}})
                                   .dump(),
                               {}, session);
            if (res && json::parse(res->body)["status"] == "accepted") ++accepted;
        });
    for (auto& k : kiosks) k.join();
    CHECK(accepted == 2);
    CHECK(f.sign_in(card)["balance"] == balance - 2 * each);
}

TEST_CASE("Log lines never hold card numbers in clear", "[crm][members][privacy]") {
    CrmFixture f;
    f.options.access_log = true;
    f.start();
    std::vector<std::string> lines;
    std::mutex m;
    platform::set_log_sink([&](platform::LogLevel, const std::string& line) {
        std::lock_guard<std::mutex> lock(m);
        lines.push_back(line);
    });
    sign_in_raw(f, "6200000000000011", "1234");
    sign_in_raw(f, "6200000000000011", "0000");
    f.staff("POST", "/api/v1/admin/members/6200000000000011/purchases", R"({"amount_fen": 100})");
    f.server->stop();  // the access log line is written after the reply; stopping waits for it
    platform::set_log_sink(nullptr);
    REQUIRE(lines.size() >= 4);
    for (const std::string& line : lines) {
        INFO(line);
        CHECK(line.find("6200000000000011") == std::string::npos);
        CHECK(line.find("张") == std::string::npos);
    }
    bool masked = false;
    for (const std::string& line : lines) masked |= line.find("****0011") != std::string::npos;
    CHECK(masked);
}
