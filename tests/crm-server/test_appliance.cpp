// The CRM's side of the appliance (issue 16): one kiosk revoked without
// touching the others, each kiosk's health in its heartbeat, and kiosks that
// stopped beating marked stale.
#include "crm_fixture.h"

TEST_CASE("Staff revoke one kiosk: its signed requests are refused, the other kiosks go on", "[crm][admin][appliance]") {
    CrmFixture f;
    json beat{{"version", "0.2.0"}};
    REQUIRE(f.kiosk("POST", "/api/v1/heartbeat", beat.dump())->status == 204);
    REQUIRE(f.kiosk("POST", "/api/v1/heartbeat", beat.dump(), {"lobby-2", "other"})->status == 204);

    CHECK(error_code(f.staff("POST", "/api/v1/admin/kiosks/lobby-2/revoke", "", "wrong")) == "bad_admin_token");
    REQUIRE(f.staff("POST", "/api/v1/admin/kiosks/lobby-2/revoke")->status == 204);
    CHECK(error_code(f.kiosk("POST", "/api/v1/heartbeat", beat.dump(), {"lobby-2", "other"})) == "revoked_kiosk");
    CHECK(error_code(f.kiosk("GET", "/api/v1/content/flows", "", {"lobby-2", "other"})) == "revoked_kiosk");
    CHECK(f.kiosk("POST", "/api/v1/heartbeat", beat.dump())->status == 204);  // lobby-1 untouched

    json kiosks = f.admin_kiosks();
    for (const json& k : kiosks) CHECK(k["revoked"] == (k["kiosk_id"] == "lobby-2"));

    // Survives a restart of the CRM (kept in its database).
    f.start();
    CHECK(error_code(f.kiosk("POST", "/api/v1/heartbeat", beat.dump(), {"lobby-2", "other"})) == "revoked_kiosk");
    // Reinstated (e.g. after a new secret was set for it).
    auto c = f.client();
    REQUIRE(c.Delete("/api/v1/admin/kiosks/lobby-2/revoke", {{"Authorization", "Bearer staff-token"}})->status == 204);
    CHECK(f.kiosk("POST", "/api/v1/heartbeat", beat.dump(), {"lobby-2", "other"})->status == 204);
}

TEST_CASE("The heartbeat carries the kiosk's health, each field bounded", "[crm][admin][appliance]") {
    CrmFixture f;
    json beat{{"version", "0.2.0"},        {"uptime_s", 3600},           {"restarts_since_boot", 2},
              {"disk_free_mb", 5120},      {"oldest_pending_age_s", 90}, {"watchdog", "on"}};
    REQUIRE(f.kiosk("POST", "/api/v1/heartbeat", beat.dump())->status == 204);
    json k = f.admin_kiosks()[0];
    CHECK(k["uptime_s"] == 3600);
    CHECK(k["restarts_since_boot"] == 2);
    CHECK(k["disk_free_mb"] == 5120);
    CHECK(k["oldest_pending_age_s"] == 90);
    CHECK(k["watchdog"] == "on");
    CHECK(k["out_of_service"] == false);

    beat["watchdog"] = "out_of_service";
    REQUIRE(f.kiosk("POST", "/api/v1/heartbeat", beat.dump())->status == 204);
    CHECK(f.admin_kiosks()[0]["out_of_service"] == true);

    for (const char* bad : {R"({"uptime_s": -1})", R"({"uptime_s": 9999999999})", R"({"restarts_since_boot": 1e3})",
                            R"({"disk_free_mb": -2})", R"({"oldest_pending_age_s": "90"})", R"({"watchdog": "maybe"})",
                            R"({"watchdog": 1})"}) {
        INFO(bad);
        CHECK(error_code(f.kiosk("POST", "/api/v1/heartbeat", bad)) == "invalid_field");
    }
}

TEST_CASE("A kiosk that missed three heartbeats is marked stale", "[crm][admin][appliance]") {
    CrmFixture f;  // heartbeat_interval_ms: 60 s, so stale after 180 s
    REQUIRE(f.kiosk("POST", "/api/v1/heartbeat", "{}")->status == 204);
    CHECK(f.admin_kiosks()[0]["stale"] == false);
    f.clock.advance(179'000);
    CHECK(f.admin_kiosks()[0]["stale"] == false);
    f.clock.advance(2'000);
    CHECK(f.admin_kiosks()[0]["stale"] == true);
    REQUIRE(f.kiosk("POST", "/api/v1/heartbeat", "{}")->status == 204);
    CHECK(f.admin_kiosks()[0]["stale"] == false);
}
