// The test-only fault mode: kiosk sync tests make the real server misbehave on
// loopback. Each fault applies to the next `count` batch requests, then the
// server behaves again.
#include "crm_fixture.h"

namespace {
void plan(CrmFixture& f, const json& fault) {
    auto res = f.staff("POST", "/api/v1/test/faults", fault.dump());
    REQUIRE(res);
    REQUIRE(res->status == 204);
}
const json kRecords = json::array({record("f-1", "feedback", {{"face", 1}}), record("f-2", "feedback", {{"face", 2}})});
std::string batch_body() { return json{{"records", kRecords}}.dump(); }
}  // namespace

TEST_CASE("Without --allow-faults there is no fault endpoint", "[crm][faults]") {
    CrmFixture f;
    f.options.allow_faults = false;
    f.start();
    auto res = f.staff("POST", "/api/v1/test/faults", R"({"mode":"status","status":503})");
    CHECK(res->status == 404);
    CHECK(error_code(res) == "not_found");
}

TEST_CASE("status: 503 with Retry-After, 429, 500 — nothing stored — then normal again", "[crm][faults]") {
    CrmFixture f;
    plan(f, {{"mode", "status"}, {"status", 503}, {"retry_after", "7"}, {"count", 2}});
    auto first = f.kiosk("POST", "/api/v1/outbox/batch", batch_body());
    CHECK(first->status == 503);
    CHECK(first->get_header_value("Retry-After") == "7");
    CHECK(error_code(first) == "unavailable");
    CHECK(f.kiosk("POST", "/api/v1/outbox/batch", batch_body())->status == 503);
    CHECK(f.server->count_records() == 0);
    CHECK(f.kiosk("POST", "/api/v1/outbox/batch", batch_body())->status == 200);  // count spent
    CHECK(f.server->count_records() == 2);

    plan(f, {{"mode", "status"}, {"status", 429}, {"retry_after", "1"}});
    auto limited = f.kiosk("POST", "/api/v1/outbox/batch", batch_body());
    CHECK(limited->status == 429);
    CHECK(error_code(limited) == "rate_limited");
    plan(f, {{"mode", "status"}, {"status", 500}});
    CHECK(f.kiosk("POST", "/api/v1/outbox/batch", batch_body())->status == 500);
}

TEST_CASE("drop_after_store and truncated: stored, the reply lost — the resend is a duplicate", "[crm][faults]") {
    CrmFixture f;
    for (const char* mode : {"drop_after_store", "truncated"}) {
        INFO(mode);
        json records = json::array({record(std::string("d-") + mode, "feedback", {{"face", 1}})});
        plan(f, {{"mode", mode}});
        int64_t before = f.server->count_records();
        auto lost = f.kiosk("POST", "/api/v1/outbox/batch", json{{"records", records}}.dump());
        CHECK_FALSE(lost);  // the client sees the connection cut before the promised body
        CHECK(f.server->count_records() == before + 1);  // …but the batch was committed
        json again = f.batch(records.get<std::vector<json>>());
        CHECK(again[0]["status"] == "duplicate");
    }
}

TEST_CASE("not_json and delay: stored, the reply spoiled or late", "[crm][faults]") {
    CrmFixture f;
    plan(f, {{"mode", "not_json"}});
    auto html = f.kiosk("POST", "/api/v1/outbox/batch", batch_body());
    REQUIRE(html);
    CHECK(html->status == 200);
    CHECK(json::parse(html->body, nullptr, false).is_discarded());
    CHECK(f.server->count_records() == 2);

    plan(f, {{"mode", "delay"}, {"delay_ms", 400}});
    auto headers = f.signed_headers("POST", "/api/v1/outbox/batch", batch_body(), {});
    httplib::Client impatient("127.0.0.1", f.server->port());
    impatient.set_read_timeout(0, 100'000);  // 100 ms: gives up before the 400 ms reply
    CHECK_FALSE(impatient.Post("/api/v1/outbox/batch", headers, batch_body(), "application/json"));
    CHECK(f.batch(kRecords.get<std::vector<json>>())[0]["status"] == "duplicate");
}

TEST_CASE("A fault plan is checked like any request", "[crm][faults]") {
    CrmFixture f;
    CHECK(error_code(f.staff("POST", "/api/v1/test/faults", R"({"mode":"explode"})")) == "invalid_field");
    CHECK(error_code(f.staff("POST", "/api/v1/test/faults", R"({"mode":"status","status":200})")) == "invalid_field");
    CHECK(error_code(f.staff("POST", "/api/v1/test/faults", R"({"mode":"status"})", "nope")) == "bad_admin_token");
}
