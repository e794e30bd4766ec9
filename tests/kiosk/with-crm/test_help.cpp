// A call for help through the real kiosk and the real reference CRM: one tap
// on any screen, sent ahead of everything the outbox holds, with no one's data
// in it; the nearest staffed desk from the CRM's content; staff see it with its
// age and acknowledge it, and the guest sees that on the glass. Offline the
// call waits and the guest is sent to the desk. Three failed attempts offer
// help unasked.
#include <sqlite3.h>

#include <chrono>
#include <thread>

#include "kiosk_with_crm.h"

namespace {

// The types of the CRM's stored records, in the order it stored them.
std::vector<std::string> crm_record_types(const std::filesystem::path& crm_db) {
    std::vector<std::string> types;
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(crm_db.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT type FROM records ORDER BY seq", -1, &s, nullptr) == SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) types.push_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return types;
}

// Staff's list of open calls, once it holds one (bounded: 15 s of real time).
json wait_for_open_call(KioskWithCrm& k, const KioskWithCrm::Running& running) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
        json open = k.admin_list("help");
        if (!open.empty()) return open;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the next look, not a synchronisation
    }
    ScriptResult result = k.finish_script(running);
    INFO(result.output);
    FAIL("no call for help reached the CRM within 15 s");
    return {};
}

}  // namespace

TEST_CASE("A call for help leaves ahead of the queue and names no one and the guest sees staff acknowledge it",
          "[with-crm][help]") {
    KioskWithCrm k;
    // Two anonymous answers wait in the outbox first (offline: online, a new
    // record wakes the worker and would leave at once); then the guest calls for help.
    ScriptRun queue_offline = ScriptRun::offline();
    queue_offline.config_lines = {"feedback_min_interval_s = 0"};  // two answers in a row
    REQUIRE_SCRIPT_PASSES(k.run_script(R"(
tap start
tap home.feedback
tap feedback.face.0
tap nav.home
tap home.feedback
tap feedback.face.1
tap nav.home
expect outbox 2
)",
                                       queue_offline));
    auto running = k.start_script(R"(
tap start
tap lang.en
tap help.call
expect screen help
sync
expect visible Outpatient service desk, ground floor, 20 m to the left of this kiosk
await 20 s help.status.acknowledged
expect hidden help.status.sent
)",
                                  [] {
                                      ScriptRun run;
                                      run.config_lines = {"feedback_min_interval_s = 0"};
                                      return run;
                                  }());
    json open = wait_for_open_call(k, running);
    REQUIRE(open.size() == 1);
    CHECK(open[0]["kiosk_id"] == "lobby-1");
    CHECK(open[0]["screen"] == "home");
    CHECK(open[0]["state"] == "open");
    CHECK(open[0]["age_s"].get<int64_t>() >= 0);
    // A named record of its own (anonymous answers are stored apart, unordered;
    // the order of sending is proven by the outbox and sync tests, [priority]).
    std::vector<std::string> types = crm_record_types(k.dir / "crm.sqlite");
    REQUIRE(types.size() == 1);
    CHECK(types[0] == "help");
    json stored = k.admin_list("feedback");
    CHECK(stored.size() == 2);

    auto ack = k.staff("POST", "/api/v1/admin/help/" + open[0]["id"].get<std::string>() + "/ack",
                       json{{"staff", "desk 1"}}.dump());
    REQUIRE(ack);
    REQUIRE(ack->status == 200);
    ScriptResult result = k.finish_script(running);
    REQUIRE_SCRIPT_PASSES(result);
    CHECK(k.admin_list("help").empty());
}

TEST_CASE("Offline a call for help waits in the outbox and the guest is sent to the desk",
          "[with-crm][help]") {
    KioskWithCrm k;
    ScriptResult offline = k.run_script(R"(
tap help.call
expect screen help
sync
expect visible help.status.offline
expect visible The information desk, ground floor, right of the main entrance
expect outbox 1
tap nav.back
expect screen attract
expect visible Staff called
)",
                                        [] {
                                            ScriptRun run = ScriptRun::offline();
                                            run.lang = "en";
                                            return run;
                                        }());
    REQUIRE_SCRIPT_PASSES(offline);
    CHECK(k.admin_list("help").empty());

    ScriptResult online = k.run_script("sync\nexpect outbox 0\n");
    REQUIRE_SCRIPT_PASSES(online);
    json open = k.admin_list("help");
    REQUIRE(open.size() == 1);
    CHECK(open[0]["screen"] == "attract");
}

TEST_CASE("Three look-ups not found offer help that calls staff in one tap", "[with-crm][help]") {
    KioskWithCrm k;
    std::string look_up = R"(
tap status.ticket
type 999
tap key.OK
tap status.last4
type 1234
tap key.OK
tap status.look_up
expect visible We could not find that ticket. Please check the number and the phone digits or look-up code.
)";
    ScriptResult result = k.run_script("tap start\ntap lang.en\ntap home.complaint_status\n" + look_up + look_up +
                                       "expect hidden help.offer\n" + look_up +
                                       "expect visible help.offer\n"
                                       "tap help.offer.call\n"
                                       "expect screen help\n"
                                       "expect outbox 1\n"
                                       "sync\n"
                                       "expect visible help.status.sent\n");
    REQUIRE_SCRIPT_PASSES(result);
    json open = k.admin_list("help");
    REQUIRE(open.size() == 1);
    CHECK(open[0]["screen"] == "complaint_status");
}

TEST_CASE("Declining the offer of help hides it until three more failures", "[with-crm][help]") {
    KioskWithCrm k;
    std::string look_up = R"(
tap status.ticket
type 9
tap key.OK
tap status.last4
type 1234
tap key.OK
tap status.look_up
)";
    ScriptResult result = k.run_script("tap start\ntap lang.en\ntap home.complaint_status\n" + look_up + look_up +
                                       look_up +
                                       "expect visible help.offer\n"
                                       "tap help.offer.dismiss\n"
                                       "expect hidden help.offer\n"
                                       "expect outbox 0\n");
    REQUIRE_SCRIPT_PASSES(result);
}
