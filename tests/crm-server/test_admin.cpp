// Staff endpoints: record lists newest first with paging, complaint stages
// with the time each was reached, and every kiosk's last heartbeat.
#include "crm_fixture.h"

TEST_CASE("Staff lists are newest first, with paging", "[crm][admin]") {
    CrmFixture f;
    // Named records (anonymous ones have no order: test_anonymity.cpp).
    for (int i = 0; i < 5; ++i) {
        f.batch({record("cs-" + std::to_string(i), "complaint_satisfaction", {{"n", i}})});
        f.clock.advance(1000);
    }
    f.batch({record("fb-1", "feedback", {{"face", 1}})});
    auto page = [&](int n) {
        auto res = f.staff("GET", "/api/v1/admin/complaints?per_page=2&page=" + std::to_string(n));
        REQUIRE(res->status == 200);
        return json::parse(res->body);
    };
    json first = page(1);
    CHECK(first["total"] == 5);
    CHECK(first["page"] == 1);
    CHECK(first["per_page"] == 2);
    REQUIRE(first["items"].size() == 2);
    CHECK(first["items"][0]["payload"]["n"] == 4);
    CHECK(first["items"][1]["payload"]["n"] == 3);
    CHECK(first["items"][0]["kiosk_id"] == "lobby-1");
    CHECK(first["items"][0]["received_at_ms"] > first["items"][1]["received_at_ms"]);
    CHECK(page(2)["items"][0]["payload"]["n"] == 2);
    CHECK(page(3)["items"].size() == 1);
    CHECK(page(4)["items"].empty());
    CHECK(json::parse(f.staff("GET", "/api/v1/admin/feedback")->body)["items"].size() == 1);
    CHECK(json::parse(f.staff("GET", "/api/v1/admin/redemptions")->body)["items"].empty());
    for (const char* bad : {"?page=0", "?per_page=501", "?page=x", "?per_page=-1", "?page=1e3"}) {
        INFO(bad);
        CHECK(error_code(f.staff("GET", std::string("/api/v1/admin/feedback") + bad)) == "invalid_field");
    }
}

TEST_CASE("A complaint moves submitted → acknowledged → assigned → resolved → return_visit → closed", "[crm][admin][complaints]") {
    CrmFixture f;
    f.batch({record("c", "complaint", {{"ticket", "K-lobby-1-000042"}, {"text", "候诊两小时"}, {"contact_phone", "13812345678"}})});
    auto lookup = [&](const std::string& query) {
        return f.kiosk("GET", "/api/v1/complaints/K-lobby-1-000042" + query);
    };
    json status = json::parse(lookup("?phone_last4=5678")->body);
    CHECK(status["stage"] == "submitted");
    CHECK(status["next_stage"] == "acknowledged");
    CHECK(lookup("?phone_last4=0000")->status == 404);  // a wrong guess looks like no ticket
    CHECK(error_code(lookup("")) == "no_such_ticket");

    int64_t hour = 3'600'000;
    const char* stages[] = {"acknowledged", "assigned", "resolved", "return_visit", "closed"};
    for (const char* stage : stages) {
        f.clock.advance(hour);
        auto moved = f.staff("POST", "/api/v1/admin/complaints/K-lobby-1-000042/advance");
        REQUIRE(moved->status == 200);
        CHECK(json::parse(moved->body)["stage"] == stage);
    }
    json done = json::parse(lookup("?phone_last4=5678")->body);
    CHECK(done["stage"] == "closed");
    CHECK_FALSE(done.contains("next_stage"));
    REQUIRE(done["stages"].size() == 6);
    for (size_t i = 1; i < 6; ++i)  // each stage with the time it was reached, an hour apart
        CHECK(done["stages"][i]["reached_at_ms"].get<int64_t>() - done["stages"][i - 1]["reached_at_ms"].get<int64_t>() == hour);
    auto again = f.staff("POST", "/api/v1/admin/complaints/K-lobby-1-000042/advance");
    CHECK(again->status == 409);
    CHECK(error_code(again) == "already_closed");
    CHECK(error_code(f.staff("POST", "/api/v1/admin/complaints/K-none/advance")) == "no_such_ticket");
}

TEST_CASE("Ticket numbers are made on the kiosk and unique across kiosks", "[crm][complaints]") {
    CrmFixture f;
    CHECK(f.batch({record("a", "complaint", {{"ticket", "K-lobby-1-000009"}, {"text", "a"}})})[0]["status"] == "accepted");
    json second = f.batch({record("b", "complaint", {{"ticket", "K-lobby-1-000009"}, {"text", "b"}})}, {"lobby-2", "other"});
    CHECK(second[0]["reason"] == "duplicate_ticket");
    CHECK(f.batch({record("c", "complaint", {{"ticket", "K lobby/1"}, {"text", "c"}})})[0]["reason"] == "invalid_ticket");
    // A complaint without contact details is looked up by ticket alone.
    CHECK(f.kiosk("GET", "/api/v1/complaints/K-lobby-1-000009")->status == 200);
}

TEST_CASE("Heartbeats: each kiosk's latest state, most recently seen first — wrong types refused", "[crm][admin]") {
    CrmFixture f;
    json beat{{"version", "0.1.0"}, {"queue_depth", 3}, {"oldest_pending_ms", 1795000000000}, {"last_success_ms", 1795000001000},
              {"last_error", ""}, {"rejected", 1}, {"printer", "paper_out: roll end"}};
    CHECK(f.kiosk("POST", "/api/v1/heartbeat", beat.dump())->status == 204);
    f.clock.advance(1000);
    beat["queue_depth"] = 0;
    CHECK(f.kiosk("POST", "/api/v1/heartbeat", beat.dump(), {"lobby-2", "other"})->status == 204);
    json kiosks = json::parse(f.staff("GET", "/api/v1/admin/kiosks")->body);
    REQUIRE(kiosks["items"].size() == 2);
    CHECK(kiosks["items"][0]["kiosk_id"] == "lobby-2");
    CHECK(kiosks["items"][1]["queue_depth"] == 3);
    CHECK(kiosks["items"][1]["rejected"] == 1);
    CHECK(kiosks["items"][1]["oldest_pending_ms"] == 1795000000000);
    CHECK(kiosks["items"][1]["printer"] == "paper_out: roll end");

    for (const char* bad : {R"({"queue_depth": "3"})", R"({"version": 1})", R"({"queue_depth": -1})", R"([])",
                            R"({"printer": false})"}) {
        INFO(bad);
        CHECK(error_code(f.kiosk("POST", "/api/v1/heartbeat", bad)) == "invalid_field");
    }
    CHECK(error_code(f.kiosk("POST", "/api/v1/heartbeat", "{\"last_error\": \"\xC0\"}")) == "invalid_utf8");
    CHECK(json::parse(f.staff("GET", "/api/v1/admin/kiosks")->body)["items"][1]["queue_depth"] == 3);  // unchanged
}

TEST_CASE("Unknown endpoints answer a JSON not_found", "[crm]") {
    CrmFixture f;
    auto res = f.client().Get("/api/v1/nothing");
    CHECK(res->status == 404);
    CHECK(error_code(res) == "not_found");
}
