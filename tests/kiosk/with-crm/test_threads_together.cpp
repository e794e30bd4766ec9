// The whole kiosk — UI thread, sync worker, CRM question worker — running
// together against the real CRM. Under `make test-tsan` this is the test that
// shows the threads share nothing they should not: the kiosk binary is built
// with ThreadSanitizer there and exits non-zero on the first race it sees.
#include "kiosk_with_crm.h"
#include "offline_cache/outbox.h"
#include "offline_cache/store.h"

TEST_CASE("The sync worker delivers a backlog while a guest uses the screens, every record exactly once",
          "[with-crm][threads]") {
    KioskWithCrm k;
    constexpr int kBacklog = 300;
    {
        // A kiosk that was offline for a while: its outbox holds a backlog.
        platform::ManualClock clock(platform::system_clock().monotonic_ms(), platform::system_clock().wall_ms());
        std::string why;
        offline_cache::SelfCheckReport report;
        auto store = offline_cache::Store::open({k.data_dir("lobby-1").string()}, clock, &report, &why);
        INFO(why);
        REQUIRE(store);
        for (int i = 0; i < kBacklog; ++i)
            REQUIRE(store->outbox().enqueue("feedback", R"({"face": 2, "topics": ["waiting"]})").ok());
    }
    auto translations = k.staff("PUT", "/api/v1/admin/content/translations",
                                R"({"version": "t-9", "strings": {"tile.visit_flow": {"en": "Seeing a doctor"}}})");
    REQUIRE(translations->status == 204);

    // --live-sync: the worker keeps its own schedule (it starts sending at
    // once) while the script walks the screens; content arrives mid-session.
    ScriptRun run;
    run.extra_args = {"--live-sync"};
    ScriptResult result = k.run_script(R"(
tap start
tap lang.en
tap home.visit_flow
drag 960 800 960 400
tap nav.back
tap home.complaint_flow
wait 2 s
tap nav.back
tap lang.zh-Hans
tap lang.es
tap lang.en
wait 30 frames
sync
expect outbox 0
expect visible Seeing a doctor
)", run);
    REQUIRE_SCRIPT_PASSES(result);
    CHECK(k.server->count_records("feedback") == kBacklog);
}
