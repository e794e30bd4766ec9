// Calls for help: a kiosk sends one as an outbox record (type "help", the
// screen it came from and nothing else); staff list the open ones with their
// age and acknowledge them; the calling kiosk — and only it — can ask whether
// someone is on the way.
#include "crm_fixture.h"

namespace {
const std::string kId = "0b7e51d2-6c1a-4f3e-9a55-1c2d3e4f5a6b";
json open_help(CrmFixture& f) {
    auto res = f.staff("GET", "/api/v1/admin/help");
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 200);
    return json::parse(res->body)["items"];
}
}  // namespace

TEST_CASE("Staff see an open call for help with its kiosk, screen and age, and acknowledge it", "[crm][help]") {
    CrmFixture f;
    json results = f.batch({record(kId, "help", {{"screen", "booking"}})});
    REQUIRE(results[0]["status"] == "accepted");
    f.clock.advance(95'000);

    json open = open_help(f);
    REQUIRE(open.size() == 1);
    CHECK(open[0]["id"] == kId);
    CHECK(open[0]["kiosk_id"] == "lobby-1");
    CHECK(open[0]["screen"] == "booking");
    CHECK(open[0]["state"] == "open");
    CHECK(open[0]["age_s"] == 95);

    // The kiosk asks: nobody yet.
    auto asked = f.kiosk("GET", "/api/v1/help/" + kId);
    REQUIRE(asked);
    REQUIRE(asked->status == 200);
    CHECK(json::parse(asked->body)["state"] == "open");

    auto ack = f.staff("POST", "/api/v1/admin/help/" + kId + "/ack", json{{"staff", "desk 2"}}.dump());
    REQUIRE(ack);
    REQUIRE(ack->status == 200);
    json acked = json::parse(ack->body);
    CHECK(acked["state"] == "acknowledged");
    CHECK(acked["acknowledged_at_ms"] == f.clock.wall_ms());
    CHECK(open_help(f).empty());

    asked = f.kiosk("GET", "/api/v1/help/" + kId);
    REQUIRE(asked);
    json seen = json::parse(asked->body);
    CHECK(seen["state"] == "acknowledged");
    CHECK(seen["acknowledged_at_ms"] == acked["acknowledged_at_ms"]);

    SECTION("a second acknowledgement changes nothing") {
        f.clock.advance(10'000);
        auto again = f.staff("POST", "/api/v1/admin/help/" + kId + "/ack");
        REQUIRE(again);
        CHECK(again->status == 200);
        CHECK(json::parse(again->body)["acknowledged_at_ms"] == acked["acknowledged_at_ms"]);
    }
}

TEST_CASE("Only the kiosk that called for help can ask about it", "[crm][help]") {
    CrmFixture f;
    REQUIRE(f.batch({record(kId, "help", {{"screen", "home"}})})[0]["status"] == "accepted");
    auto other = f.kiosk("GET", "/api/v1/help/" + kId, "", {"lobby-2", "other"});
    REQUIRE(other);
    CHECK(other->status == 404);
    CHECK(error_code(other) == "no_such_help_request");
    auto unknown = f.kiosk("GET", "/api/v1/help/00000000-0000-4000-8000-000000000000");
    REQUIRE(unknown);
    CHECK(unknown->status == 404);
    auto unsigned_ = f.client().Get(("/api/v1/help/" + kId).c_str());
    REQUIRE(unsigned_);
    CHECK(unsigned_->status == 401);
}

TEST_CASE("A call for help carries no one's data: any field but the screen is refused", "[crm][help]") {
    CrmFixture f;
    struct Case {
        const char* name;
        json payload;
        const char* reason;
    };
    const Case cases[] = {
        {"a phone number rides along", {{"screen", "members"}, {"phone", "13812345678"}}, "unexpected_field"},
        {"no screen", json::object(), "invalid_screen"},
        {"a screen that is not a screen name", {{"screen", "Members; DROP"}}, "invalid_screen"},
        {"a screen name too long", {{"screen", std::string(33, 'a')}}, "invalid_screen"},
        {"a screen that is a number", {{"screen", 7}}, "invalid_screen"},
    };
    int n = 0;
    for (const Case& c : cases) {
        INFO(c.name);
        json results = f.batch({record("bad-help-" + std::to_string(n++), "help", c.payload)});
        CHECK(results[0]["status"] == "rejected");
        CHECK(results[0]["reason"] == c.reason);
    }
    CHECK(open_help(f).empty());
}

TEST_CASE("Staff routes for help need the admin token", "[crm][help]") {
    CrmFixture f;
    auto list = f.staff("GET", "/api/v1/admin/help", "", "wrong");
    REQUIRE(list);
    CHECK(list->status == 401);
    auto ack = f.staff("POST", "/api/v1/admin/help/" + kId + "/ack", "", "wrong");
    REQUIRE(ack);
    CHECK(ack->status == 401);
    auto missing = f.staff("POST", "/api/v1/admin/help/" + kId + "/ack");
    REQUIRE(missing);
    CHECK(missing->status == 404);
    auto bad_body = f.staff("POST", "/api/v1/admin/help/" + kId + "/ack", json{{"staff", std::string(65, 'x')}}.dump());
    REQUIRE(bad_body);
    CHECK(bad_body->status == 400);
}
