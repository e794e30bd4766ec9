// The kiosk's health reaches the real CRM in its heartbeat (issue 16):
// uptime, restarts since boot, disk free for the data directory, the oldest
// pending record's age and the watchdog's state; staff see them in
// /api/v1/admin/kiosks.
#include "kiosk_with_crm.h"

TEST_CASE("The heartbeat tells the CRM the kiosk's uptime, disk free, oldest pending record and watchdog",
          "[with-crm][appliance]") {
    KioskWithCrm k;
    // Offline first: one answer waits in the outbox.
    REQUIRE_SCRIPT_PASSES(k.run_script("tap start\ntap home.feedback\ntap feedback.face.1\nexpect outbox 1\n",
                                       ScriptRun::offline()));
    // Then a sync round: the records go, and the heartbeat after them.
    REQUIRE_SCRIPT_PASSES(k.run_script("sync\nexpect outbox 0\n"));
    json kiosks = k.admin_list("kiosks");
    REQUIRE(kiosks.size() == 1);
    const json& beat = kiosks[0];
    INFO(beat.dump());
    CHECK(beat["kiosk_id"] == "lobby-1");
    CHECK(beat["uptime_s"].get<int64_t>() >= 0);
    CHECK(beat["restarts_since_boot"] == 0);                // a scripted run is not a service start
    CHECK(beat["disk_free_mb"].get<int64_t>() > 0);         // the data directory's file system answered
    CHECK(beat["oldest_pending_age_s"] == 0);               // delivered before the heartbeat
    CHECK(beat["watchdog"] == "off");                       // no systemd watchdog around a script
    CHECK(beat["out_of_service"] == false);
    CHECK(beat["stale"] == false);
    CHECK(beat["revoked"] == false);
}
