// What the kiosk's member screens need from the CRM beyond the basics: the
// next tier and the spend that reaches it, points earned per month, points
// that expire this year, a gift recipient's masked name (and no more), and
// void vouchers — queued redemptions the CRM refused — told once at sign-in.
#include "crm_fixture.h"
#include "points_rules.h"

namespace {
json redemption(const std::string& card, const json& grant, const std::string& voucher) {
    return priced_redemption(card, "registration-discount", grant, voucher);
}
}  // namespace

TEST_CASE("Sign-in names the next tier and the year's spend that reaches it", "[crm][members]") {
    CrmFixture f;
    json vip = f.sign_in("6200000000000001");
    CHECK(vip["tier"] == "vip");
    CHECK(vip["next_tier"].is_null());  // nothing above VIP

    json basic = f.sign_in("6200000000000030");
    REQUIRE(basic["tier"] == "basic");
    REQUIRE(basic["next_tier"]["tier"] == "regular");
    int64_t gap = basic["next_tier"]["spend_yuan_to_reach"];
    CHECK(gap > 0);
    // Spending exactly that much makes the member regular.
    auto bought = f.staff("POST", "/api/v1/admin/members/6200000000000030/purchases",
                          json{{"amount_fen", gap * 100}, {"note", "surgery"}}.dump());
    REQUIRE(bought->status == 200);
    CHECK(f.sign_in("6200000000000030")["tier"] == "regular");
}

TEST_CASE("Sign-in lists the points earned in each of the last 12 months, oldest first", "[crm][members]") {
    CrmFixture f;
    json before = f.sign_in("6200000000000025");
    REQUIRE(before["earned_by_month"].size() == 12);
    int64_t this_month = before["earned_by_month"][11]["points"];
    auto bought = f.staff("POST", "/api/v1/admin/members/6200000000000025/purchases",
                          json{{"amount_fen", 12300}, {"note", "pharmacy"}}.dump());
    REQUIRE(bought->status == 200);
    json after = f.sign_in("6200000000000025");
    CHECK(after["earned_by_month"][11]["points"] == this_month + 123);
    std::string month = after["earned_by_month"][11]["month"];
    CHECK(month.size() == 7);
    CHECK(after["earned_by_month"][0]["month"] < month);
}

TEST_CASE("Points earned last year expire on 31 December, the oldest spent first", "[points]") {
    using crm::LedgerMove;
    CHECK(crm::points_expiring({{2025, 1000}, {2026, 500}}, 2026) == 1000);
    CHECK(crm::points_expiring({{2025, 1000}, {2026, 500}, {2026, -300}}, 2026) == 700);   // spending takes old points first
    CHECK(crm::points_expiring({{2025, 1000}, {2026, 500}, {2026, -1200}}, 2026) == 0);
    CHECK(crm::points_expiring({{2026, 500}}, 2026) == 0);
    CHECK(crm::points_expiring({{2025, 100}, {2025, -100}, {2026, 40}}, 2026) == 0);
}

TEST_CASE("Sign-in tells how many points expire at the end of this year", "[crm][members]") {
    CrmFixture f;
    const std::string card = "6200000000000033";
    // Earned today: good until the end of next year, so nothing of it lapses this year.
    REQUIRE(f.staff("POST", "/api/v1/admin/members/" + card + "/purchases", R"({"amount_fen": 50000})")->status == 200);
    json now = f.sign_in(card);
    CHECK(now["expiring"]["points"].get<int64_t>() <= now["balance"].get<int64_t>() - 500);
    // A year on, everything from the year before is due to lapse on 31 December.
    f.clock.advance(int64_t(400) * 86'400'000);
    json later = f.sign_in(card);
    CHECK(later["expiring"]["points"].get<int64_t>() == later["balance"].get<int64_t>());
    CHECK(later["expiring"]["on"].get<std::string>().substr(4) == "-12-31");
}

TEST_CASE("A gift recipient is looked up as last four digits and a masked name, a few times a minute", "[crm][members][privacy]") {
    CrmFixture f;
    std::string session = f.session("6200000000000020");
    auto look = [&](const std::string& card) {
        return f.kiosk("POST", "/api/v1/members/recipient", json{{"card", card}}.dump(), {}, session);
    };
    auto found = look("6200000000000002");  // 李秀英
    REQUIRE(found->status == 200);
    json body = json::parse(found->body);
    CHECK(body["card_last4"] == "0002");
    CHECK(body["masked_name"] == "李*英");
    CHECK(body.size() == 2);  // no tier, no balance, no clear name
    CHECK(json::parse(look("6200000000000011")->body)["masked_name"] == "A** L****");
    CHECK(error_code(look("6200000000009999")) == "unknown_member");
    CHECK(error_code(f.kiosk("POST", "/api/v1/members/recipient", R"({"card": 6200000000000002})", {}, session)) ==
          "invalid_field");
    CHECK(f.client().Post("/api/v1/members/recipient", R"({"card":"6200000000000002"})", "application/json")->status ==
          401);  // unsigned

    // Ten a minute per kiosk (three used above, the refused shapes do not count):
    for (int i = 0; i < 7; ++i) CHECK(look("6200000000000003")->status == 200);
    auto limited = look("6200000000000003");
    CHECK(limited->status == 429);
    CHECK(error_code(limited) == "rate_limited");
    CHECK(limited->has_header("Retry-After"));
    SignAs lobby2{"lobby-2", "other"};
    CHECK(f.kiosk("POST", "/api/v1/members/recipient", json{{"card", "6200000000000003"}}.dump(), lobby2,
                  f.session("6200000000000020", lobby2))
              ->status == 200);  // another kiosk has its own allowance
    f.clock.advance(60'000);
    CHECK(look("6200000000000003")->status == 200);
}

TEST_CASE("A queued redemption the CRM refuses becomes a void voucher, told once at the next sign-in", "[crm][members]") {
    CrmFixture f;
    const std::string card = "6200000000000026";
    // Signed in online at lobby-1 first: its grant lets the member spend there offline.
    json at_lobby1 = f.sign_in(card);
    int64_t balance = at_lobby1["balance"];
    REQUIRE(balance >= 300);
    CHECK(at_lobby1["void_vouchers"].empty());
    json grant = cited_grant(at_lobby1);

    // Meanwhile the member gives everything away at lobby-2; lobby-1's queued redemption arrives after.
    SignAs lobby2{"lobby-2", "other"};
    auto first = f.kiosk("POST", "/api/v1/redemptions",
                         record("k-1", "points_gift", {{"from_card", card}, {"to_card", "6200000000000027"}, {"points", balance}})
                             .dump(),
                         lobby2, f.session(card, lobby2));
    CHECK(json::parse(first->body)["status"] == "accepted");
    auto second = f.batch({record("k-2", "redemption", redemption(card, grant, "V-lobby-1-000004"))});
    CHECK(second[0]["status"] == "rejected");
    CHECK(second[0]["reason"] == "insufficient_points");
    // Sent again (a lost reply): still one void voucher.
    CHECK(f.batch({record("k-2", "redemption", redemption(card, grant, "V-lobby-1-000004"))})[0]["reason"] ==
          "insufficient_points");
    // A refusal answered at once is seen at once: it is not kept.
    auto direct = f.kiosk("POST", "/api/v1/redemptions", record("k-3", "redemption", redemption(card, nullptr, "V-x")).dump(),
                          {}, at_lobby1["session"]["token"].get<std::string>());
    CHECK(json::parse(direct->body)["reason"] == "insufficient_points");

    json signed_in = f.sign_in(card);
    CHECK(signed_in["balance"] == 0);
    REQUIRE(signed_in["void_vouchers"].size() == 1);
    json v = signed_in["void_vouchers"][0];
    CHECK(v["voucher"] == "V-lobby-1-000004");
    CHECK(v["points"] == 300);
    CHECK(v["reason"] == "insufficient_points");
    CHECK(v["reward"] == "registration-discount");
    CHECK(f.sign_in(card)["void_vouchers"].empty());  // told once
    CHECK(f.server->count_records("redemption") == 0);        // the refused records themselves are not stored
}

TEST_CASE("A refused redemption for an unknown card leaves nothing behind", "[crm][members]") {
    CrmFixture f;
    auto r = f.batch({record("u-1", "redemption", redemption("6200000000009999", nullptr, "V-1"))});
    CHECK(r[0]["reason"] == "no_offline_grant");
    CHECK(f.server->count_records("") == 0);
}
