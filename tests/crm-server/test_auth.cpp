// Every kiosk request is signed with the kiosk's own secret; a request that is
// forged, altered, late, early or replayed is refused and changes nothing.
#include "auth.h"
#include "crm_fixture.h"

TEST_CASE("The signature is the documented HMAC-SHA256 (test vector of docs/crm-api.md)", "[crm][auth]") {
    CHECK(crm::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(crm::sign_request("demo-secret", "POST", "/api/v1/outbox/batch", 1795000000, "n0nce", R"({"records":[]})") ==
          "8cafec7b009fe5eb94284a528bbce6281b478d6b40b7b5b6e65ac246bf8a8915");
    CHECK(crm::sign_request("demo-secret", "GET", "/api/v1/slots?department=internal&day=2026-11-23", 1795000000,
                            "3f2a9c1e-0b7d-4e11-9a55-2c8d1f6e7a90", "") ==
          "93e5f0df45077a007d27edac6aaedea266b3421751e6c8777e8d999673c59ea2");
}

TEST_CASE("verify_kiosk names what is wrong with a request", "[crm][auth]") {
    const std::map<std::string, std::string> secrets = {{"lobby-1", "s3cret"}};
    crm::InMemoryReplayMemory guard;
    const int64_t now = 1'795'000'000;
    auto headers = [&](int64_t t, const std::string& secret = "s3cret", const std::string& body = "{}") {
        return crm::KioskHeaders{"lobby-1", std::to_string(t), "n1",
                                 crm::sign_request(secret, "POST", "/api/v1/heartbeat", t, "n1", body)};
    };
    auto verify = [&](const crm::KioskHeaders& h, const std::string& body = "{}") {
        return crm::verify_kiosk(h, "POST", "/api/v1/heartbeat", body, secrets, now, 300, guard);
    };
    CHECK(verify(headers(now)) == "");
    CHECK(verify(headers(now)) == "replayed");
    CHECK(verify(headers(now + 1), "{\"changed\":1}") == "bad_signature");  // body altered in transit
    CHECK(verify(headers(now + 2, "guess")) == "bad_signature");
    CHECK(verify(headers(now - 301)) == "stale_timestamp");
    CHECK(verify(headers(now + 301)) == "stale_timestamp");
    CHECK(verify(headers(now - 300)) == "");  // the window's edges are inside it
    CHECK(verify(headers(now + 300)) == "");
    crm::KioskHeaders h = headers(now + 3);
    h.timestamp = "17950000x0";
    CHECK(verify(h) == "bad_timestamp");
    h = headers(now + 4);
    h.nonce = "";
    CHECK(verify(h) == "bad_nonce");
    h = headers(now + 5);
    h.kiosk_id = "lobby-9";
    CHECK(verify(h) == "unknown_kiosk");
}

TEST_CASE("Over HTTP: a signed request is accepted — bad signature, stale timestamp and replay are 401", "[crm][auth]") {
    CrmFixture f;
    const std::string body = json{{"records", json::array({record("k-1", "feedback", {{"face", 1}})})}}.dump();

    SECTION("a good signature") {
        auto res = f.kiosk("POST", "/api/v1/outbox/batch", body);
        REQUIRE(res);
        CHECK(res->status == 200);
        CHECK(f.server->count_records() == 1);
    }
    // Every refusal below stores nothing.
    SECTION("a wrong secret") {
        auto res = f.kiosk("POST", "/api/v1/outbox/batch", body, {"lobby-1", "guess"});
        CHECK(res->status == 401);
        CHECK(error_code(res) == "bad_signature");
        CHECK(f.server->count_records() == 0);
    }
    SECTION("another kiosk's secret under this kiosk's id") {
        CHECK(error_code(f.kiosk("POST", "/api/v1/outbox/batch", body, {"lobby-1", "other"})) == "bad_signature");
    }
    SECTION("an unknown kiosk") {
        CHECK(error_code(f.kiosk("POST", "/api/v1/outbox/batch", body, {"lobby-9", "s3cret"})) == "unknown_kiosk");
    }
    SECTION("a kiosk clock more than 300 s off, either way") {
        CHECK(error_code(f.kiosk("POST", "/api/v1/outbox/batch", body, {"lobby-1", "s3cret", -301})) == "stale_timestamp");
        CHECK(error_code(f.kiosk("POST", "/api/v1/outbox/batch", body, {"lobby-1", "s3cret", 301})) == "stale_timestamp");
        CHECK(f.server->count_records() == 0);
    }
    SECTION("a captured request sent again, at once or four minutes later (not an idempotent batch)") {
        const std::string beat = R"({"version":"0.1.0","queue_depth":0})";
        auto headers = f.signed_headers("POST", "/api/v1/heartbeat", beat, {});
        auto c = f.client();
        CHECK(c.Post("/api/v1/heartbeat", headers, beat, "application/json")->status == 204);
        auto again = c.Post("/api/v1/heartbeat", headers, beat, "application/json");
        CHECK(again->status == 401);
        CHECK(error_code(again) == "replayed");
        f.clock.advance(240'000);
        CHECK(error_code(c.Post("/api/v1/heartbeat", headers, beat, "application/json")) == "replayed");
        f.clock.advance(61'000);  // and once the window has passed, it is simply stale
        CHECK(error_code(c.Post("/api/v1/heartbeat", headers, beat, "application/json")) == "stale_timestamp");
    }
    SECTION("the query is signed too: a changed query is a bad signature") {
        auto headers = f.signed_headers("GET", "/api/v1/slots?department=internal&day=2026-11-23", "", {});
        auto res = f.client().Get("/api/v1/slots?department=surgery&day=2026-11-23", headers);
        CHECK(error_code(res) == "bad_signature");
    }
    SECTION("no headers at all") {
        auto res = f.client().Post("/api/v1/outbox/batch", body, "application/json");
        CHECK(res->status == 401);
        CHECK(error_code(res) == "unknown_kiosk");
        CHECK(f.server->count_records() == 0);
    }
}

TEST_CASE("Staff endpoints need the admin bearer token", "[crm][auth]") {
    CrmFixture f;
    for (const char* path : {"/api/v1/admin/feedback", "/api/v1/admin/surveys", "/api/v1/admin/complaints",
                             "/api/v1/admin/bookings", "/api/v1/admin/redemptions", "/api/v1/admin/kiosks"}) {
        INFO(path);
        CHECK(f.staff("GET", path)->status == 200);
        auto wrong = f.staff("GET", path, "", "nope");
        CHECK(wrong->status == 401);
        CHECK(error_code(wrong) == "bad_admin_token");
        CHECK(error_code(f.client().Get(path)) == "bad_admin_token");
    }
    // A kiosk signature is not a staff credential.
    CHECK(error_code(f.kiosk("GET", "/api/v1/admin/feedback")) == "bad_admin_token");
    CHECK(f.staff("PUT", "/api/v1/admin/content/promotions", R"({"promotions":[]})", "nope")->status == 401);
}
