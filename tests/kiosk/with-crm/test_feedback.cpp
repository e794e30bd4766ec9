// Feedback, surveys and complaints through the real kiosk and the real
// reference CRM: one tap counts at once, online and offline; what is queued
// offline arrives exactly once; nothing in a feedback record names a person or
// an exact moment; tickets are random and never repeat across kiosks,
// restarts or a rebuilt store; a complaint's status can be followed through
// every stage, and only with its guard (phone digits or look-up code).
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "kiosk_with_crm.h"

namespace {

// Every outbox row of a kiosk's own SQLite file: type, payload, created time.
struct StoredRecord {
    std::string type, payload;
    int64_t created_wall_ms;
};
std::vector<StoredRecord> kiosk_outbox(const std::filesystem::path& data_dir) {
    std::vector<StoredRecord> rows;
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2((data_dir / "kiosk.sqlite").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT type, payload, created_wall_ms FROM outbox ORDER BY seq", -1, &s, nullptr) ==
            SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW)
        rows.push_back({reinterpret_cast<const char*>(sqlite3_column_text(s, 0)),
                        reinterpret_cast<const char*>(sqlite3_column_text(s, 1)), sqlite3_column_int64(s, 2)});
    sqlite3_finalize(s);
    sqlite3_close(db);
    return rows;
}

// The ticket (and look-up code) of the newest complaint in a kiosk's outbox.
json newest_complaint(const std::filesystem::path& data_dir) {
    json found;
    for (const StoredRecord& r : kiosk_outbox(data_dir))
        if (r.type == "complaint") found = json::parse(r.payload);
    REQUIRE(found.is_object());
    return found;
}

// The status screen: type a ticket and its guard, look it up.
std::string look_up_script(const std::string& ticket, const std::string& guard) {
    return "tap start\ntap lang.en\ntap home.complaint_status\ntap status.ticket\ntype " + ticket +
           "\ntap key.OK\ntap status.last4\ntype " + guard + "\ntap key.OK\ntap status.look_up\n";
}

size_t count_type(const json& items, const std::string& type) {
    size_t n = 0;
    for (const json& item : items) n += item["type"] == type;
    return n;
}

// Runs a script once and requires it to pass (REQUIRE_SCRIPT_PASSES names its
// argument twice: given a run_script() call it would run the kiosk twice).
void run_passing(KioskWithCrm& k, const std::string& script, const ScriptRun& run = {}) {
    ScriptResult result = k.run_script(script, run);
    REQUIRE_SCRIPT_PASSES(result);
}

constexpr const char* kFileComplaint = R"(
tap start
tap lang.en
tap home.complaint
tap complaint.start
tap complaint.what
type The nurse was rude
tap key.OK
tap complaint.where.surgery
tap complaint.when.yesterday
tap complaint.phone
type 13812345678
tap key.OK
tap complaint.consent
tap complaint.submit
expect visible ticket.qr
)";

}  // namespace

TEST_CASE("One tap on a face is a whole answer, saved at once, and the follow-up joins it by its receipt",
          "[with-crm][feedback]") {
    KioskWithCrm k;
    ScriptResult run = k.run_script(R"(
tap start
tap lang.en
tap home.feedback
tap feedback.face.0
expect outbox 1
expect visible feedback.saved
tap feedback.topic.waiting
tap feedback.topic.pharmacy
tap feedback.comment
type Two hours, nobody told us why
tap key.OK
tap feedback.send
expect outbox 2
expect visible receipt.code
expect visible Thank you for telling us. We will work on it.
sync
expect outbox 0
tap feedback.done
expect screen home
)");
    REQUIRE_SCRIPT_PASSES(run);
    json items = k.admin_list("feedback");
    REQUIRE(items.size() == 2);
    REQUIRE(count_type(items, "feedback") == 1);
    json follow_up = items[0]["type"] == "feedback_follow_up" ? items[0]["payload"] : items[1]["payload"];
    json answer = items[0]["type"] == "feedback" ? items[0]["payload"] : items[1]["payload"];
    CHECK(answer["face"] == 0);
    CHECK(follow_up["receipt"] == answer["receipt"]);
    CHECK(follow_up["topics"] == json::array({"waiting", "pharmacy"}));
    CHECK(follow_up["comment"] == "Two hours, nobody told us why");
    // The receipt shown to the guest is the one the CRM holds.
    CHECK(run.output.find("no widget") == std::string::npos);
}

TEST_CASE("A follow-up the guest began is saved when the idle timeout ends the session", "[with-crm][feedback]") {
    KioskWithCrm k;
    ScriptResult run = k.run_script(R"(
tap start
tap lang.es
tap home.feedback
tap feedback.face.1
tap feedback.topic.payment
wait 61 s
expect countdown
wait 10 s
expect screen attract
expect outbox 2
sync
expect outbox 0
)");
    REQUIRE_SCRIPT_PASSES(run);
    json items = k.admin_list("feedback");
    REQUIRE(count_type(items, "feedback_follow_up") == 1);
    REQUIRE(count_type(items, "feedback") == 1);
}

TEST_CASE("Faces tapped again and again count once per interval", "[with-crm][feedback]") {
    KioskWithCrm k;
    ScriptResult run = k.run_script(R"(
tap start
tap lang.en
tap home.feedback
tap feedback.face.3
expect outbox 1
tap nav.back
tap home.feedback
tap feedback.face.3
expect screen feedback
expect visible feedback.face.3
tap feedback.face.2
tap feedback.face.0
expect outbox 1
wait 5 s
tap feedback.face.0
expect outbox 2
expect visible feedback.saved
)", ScriptRun::offline());
    REQUIRE_SCRIPT_PASSES(run);
    CHECK(kiosk_outbox(k.data_dir("lobby-1")).size() == 2);

    // The interval comes from the kiosk's configuration.
    ScriptRun unlimited = ScriptRun::offline();
    unlimited.config_lines = {"feedback_min_interval_s = 0"};
    ScriptResult again = k.run_script(R"(
tap start
tap home.feedback
tap feedback.face.3
tap nav.back
tap home.feedback
tap feedback.face.3
expect outbox 4
)", unlimited);
    REQUIRE_SCRIPT_PASSES(again);
}

TEST_CASE("Offline, answers, surveys and complaints wait in the outbox and arrive exactly once", "[with-crm][feedback]") {
    KioskWithCrm k;
    ScriptResult offline = k.run_script(std::string(R"(
tap start
tap lang.zh-Hans
tap home.feedback
tap feedback.face.2
tap feedback.skip
expect visible receipt.code
tap feedback.to_survey
expect screen survey
tap survey.face.3
tap survey.face.2
tap survey.skip
tap survey.face.3
tap survey.score.9
expect visible receipt.code
expect outbox 2
tap receipt.done
tap lang.en
)") + std::string(kFileComplaint).substr(std::string(kFileComplaint).find("tap home.complaint")) + R"(
expect outbox 3
tap ticket.to_status
# The ticket is carried over from the ticket screen (issue 14, fault 7): not typed again.
tap status.last4
type 5678
tap key.OK
tap status.look_up
expect visible status.waiting
)", ScriptRun::offline());
    REQUIRE_SCRIPT_PASSES(offline);
    const std::string ticket = newest_complaint(k.data_dir("lobby-1"))["ticket"];
    // Still offline, the status screen finds it waiting here (typed in small letters, without dashes).
    std::string typed = ticket;
    typed.erase(std::remove(typed.begin(), typed.end(), '-'), typed.end());
    std::transform(typed.begin(), typed.end(), typed.begin(), [](char c) { return char(std::tolower(c)); });
    run_passing(k, look_up_script(typed, "5678") + "expect visible status.waiting\n", ScriptRun::offline());
    CHECK(k.admin_list("feedback").empty());

    ScriptResult online = k.run_script("sync\nexpect outbox 0\n");
    REQUIRE_SCRIPT_PASSES(online);
    ScriptResult again = k.run_script("sync\nexpect outbox 0\n");
    REQUIRE_SCRIPT_PASSES(again);

    CHECK(k.admin_list("feedback").size() == 1);
    json surveys = k.admin_list("surveys");
    REQUIRE(surveys.size() == 1);
    json answer = surveys[0]["payload"];
    CHECK(answer["survey"] == "visit");
    CHECK(answer["version"] == 1);
    CHECK(answer["answers"] == json{{"reception", 3}, {"waiting", 2}, {"nurses", 3}, {"recommend", 9}});  // doctor skipped
    json complaints = k.admin_list("complaints");
    REQUIRE(complaints.size() == 1);
    CHECK(complaints[0]["payload"]["ticket"] == ticket);
    CHECK(complaints[0]["payload"]["category"] == "surgery");
    CHECK(complaints[0]["payload"]["when"] == "yesterday");
    CHECK(k.server->store().count_records("") == 3);
}

TEST_CASE("Nothing in a feedback record names a person or an exact moment, at the kiosk or at the CRM",
          "[with-crm][feedback][privacy]") {
    KioskWithCrm k;
    ScriptResult run = k.run_script(R"(
tap start
tap lang.en
tap home.feedback
tap feedback.face.0
tap feedback.comment
type awful
tap key.OK
tap feedback.send
tap feedback.to_survey
tap survey.face.0
tap survey.skip
tap survey.skip
tap survey.skip
tap survey.score.2
expect outbox 3
)", ScriptRun::offline());
    REQUIRE_SCRIPT_PASSES(run);
    const std::set<std::string> allowed = {"face", "face_name", "receipt", "hour_ms", "topics", "comment",
                                           "survey", "version", "answers"};
    for (const StoredRecord& r : kiosk_outbox(k.data_dir("lobby-1"))) {
        INFO(r.type << " " << r.payload);
        CHECK(r.created_wall_ms % 3'600'000 == 0);
        json p = json::parse(r.payload);
        for (const auto& [field, value] : p.items()) CHECK(allowed.count(field) == 1);
        CHECK(p["hour_ms"].get<int64_t>() % 3'600'000 == 0);
    }
    run_passing(k, "sync\nexpect outbox 0\n");
    for (const char* list : {"feedback", "surveys"})
        for (const json& item : k.admin_list(list)) {
            INFO(item.dump());
            CHECK(item["created_at_ms"].get<int64_t>() % 3'600'000 == 0);
            CHECK(item["received_at_ms"].get<int64_t>() % 3'600'000 == 0);
            CHECK_FALSE(item["payload"].contains("member_card"));
            CHECK_FALSE(item["payload"].contains("session"));
        }
}

TEST_CASE("Tickets are random and never repeat across kiosks, restarts or a rebuilt store", "[with-crm][complaint]") {
    KioskWithCrm k;
    std::vector<std::string> filed;
    auto file = [&](const ScriptRun& run) {
        run_passing(k, std::string(kFileComplaint) + "expect visible ticket.number\n", run);
        filed.push_back(newest_complaint(k.data_dir(run.kiosk_id))["ticket"]);
    };
    file(ScriptRun::offline());
    file(ScriptRun::offline());
    ScriptRun lobby2 = ScriptRun::as_kiosk("lobby-2");
    lobby2.online = false;
    file(lobby2);
    run_passing(k, "sync\nexpect outbox 0\n");
    run_passing(k, "sync\nexpect outbox 0\n", ScriptRun::as_kiosk("lobby-2"));
    // The kiosk's store is lost and rebuilt empty: its next ticket must not
    // collide with one it gave before (a sequence would start again at 1).
    std::filesystem::remove_all(k.data_dir("lobby-1"));
    file(ScriptRun{});
    run_passing(k, "sync\nexpect outbox 0\n");

    std::set<std::string> distinct(filed.begin(), filed.end());
    CHECK(distinct.size() == 4);
    for (const std::string& ticket : filed) {
        INFO(ticket);
        CHECK(ticket.size() == 11);  // K-XXXX-XXXX: 40 random bits, nothing sequential
        CHECK(ticket.rfind("K-", 0) == 0);
        CHECK(ticket.find("lobby") == std::string::npos);
    }
    std::set<std::string> at_crm;
    for (const json& item : k.admin_list("complaints")) at_crm.insert(item["payload"]["ticket"].get<std::string>());
    CHECK(at_crm == distinct);  // all four arrived: none refused as duplicate_ticket
}

TEST_CASE("A complaint filed without a phone opens only with the look-up code shown with it, and guessing is slowed",
          "[with-crm][complaint]") {
    KioskWithCrm k;
    run_passing(k, R"(
tap start
tap lang.en
tap home.complaint
tap complaint.start
tap complaint.what
type Nobody told me why
tap key.OK
tap complaint.submit
expect visible ticket.lookup_code
sync
expect outbox 0
)");
    json filed = newest_complaint(k.data_dir("lobby-1"));
    const std::string ticket = filed["ticket"], code = filed["lookup_code"];
    REQUIRE(code.size() == 6);
    // The CRM keeps the code's hash only: staff lists never show it.
    CHECK(k.admin_list("complaints")[0]["payload"].dump().find(code) == std::string::npos);

    run_passing(k, look_up_script(ticket, code) + "expect visible status.current.submitted\n");
    // The ticket alone is not enough, and wrong codes are slowed: three are free,
    // the fourth makes this ticket wait, and the guest is told how long.
    run_passing(k, "tap start\ntap lang.en\ntap home.complaint_status\ntap status.ticket\ntype " + ticket +
                       "\ntap key.OK\ntap status.look_up\nexpect visible Enter the last 4 digits of the phone, or "
                       "the 6-digit look-up code.\n");
    for (int i = 0; i < 4; ++i)
        run_passing(k, look_up_script(ticket, "00000" + std::to_string(i)) +
                           "expect visible We could not find that ticket. Please check the number and the phone digits "
                           "or look-up code.\n");
    run_passing(k, look_up_script(ticket, code) + "expect visible Too many tries. Please wait 5 seconds, then try again.\n");
    k.clock.advance(5'000);
    run_passing(k, look_up_script(ticket, code) + "expect visible status.current.submitted\n");
}

TEST_CASE("A complaint's status is followed through every stage, and a resolution can be rated",
          "[with-crm][complaint]") {
    KioskWithCrm k;
    run_passing(k, std::string(kFileComplaint) + "sync\nexpect outbox 0\n");
    const std::string ticket = newest_complaint(k.data_dir("lobby-1"))["ticket"];
    const std::string look_up = look_up_script(ticket, "5678");
    run_passing(k, look_up + "expect visible status.current.submitted\nexpect hidden status.satisfied\n");

    // The last four digits guard the look-up: a wrong guess reads as an unknown ticket.
    run_passing(k, look_up_script(ticket, "0000") + "expect visible We could not find that ticket. Please check the "
                                                     "number and the phone digits or look-up code.\n");

    for (const char* stage : {"acknowledged", "assigned", "resolved"}) {
        auto moved = k.staff("POST", "/api/v1/admin/complaints/" + ticket + "/advance");
        REQUIRE(moved);
        REQUIRE(moved->status == 200);
        run_passing(k, look_up + "expect visible status.current." + stage + "\n");
    }
    run_passing(k, look_up + R"(
expect visible status.current.resolved
tap status.not_satisfied
expect outbox 1
expect visible Thank you. We have passed your answer to the complaints team.
sync
expect outbox 0
)");
    for (const char* stage : {"return_visit", "closed"}) {
        REQUIRE(k.staff("POST", "/api/v1/admin/complaints/" + ticket + "/advance")->status == 200);
        run_passing(k, look_up + "expect visible status.current." + stage + "\n");
    }
    json complaints = k.admin_list("complaints");
    REQUIRE(count_type(complaints, "complaint_satisfaction") == 1);
    for (const json& item : complaints)
        if (item["type"] == "complaint_satisfaction") {
            CHECK(item["payload"]["ticket"] == ticket);
            CHECK(item["payload"]["satisfied"] == false);
        }

    // The CRM out of reach: the guest is told plainly.
    run_passing(k, look_up + "expect visible We can't reach the hospital system right now. Please "
                             "try again later or ask at the reception desk.\n",
                ScriptRun::offline());
}

TEST_CASE("A complaint form with bad input is refused with a message and keeps what was typed",
          "[with-crm][complaint]") {
    KioskWithCrm k;
    ScriptResult run = k.run_script(R"(
tap start
tap lang.en
tap home.complaint
tap complaint.start
tap complaint.submit
expect visible Please write what happened.
expect outbox 0
tap complaint.what
type Lost my X-ray
tap key.OK
tap complaint.phone
type 13812345678
tap key.OK
tap complaint.submit
expect visible With a phone number, please agree to be contacted, or remove the number.
expect outbox 0
tap complaint.consent
tap complaint.submit
expect outbox 1
expect visible ticket.number
)", ScriptRun::offline());
    REQUIRE_SCRIPT_PASSES(run);
    auto rows = kiosk_outbox(k.data_dir("lobby-1"));
    REQUIRE(rows.size() == 1);
    CHECK(json::parse(rows[0].payload)["text"] == "Lost my X-ray");  // what was typed survived both refusals
}

// Issue 14, fault 7: right after filing online the ticket said "saved, will
// send when connected" while the top bar said online. Online it says nothing
// of the kind; offline it does. (How fast the record leaves: tests/sync,
// "A new record wakes the idle worker…".)
TEST_CASE("Right after filing online the ticket does not say it will be sent later", "[with-crm][complaint]") {
    KioskWithCrm k;
    run_passing(k, "sync\n" + std::string(kFileComplaint) + "expect hidden ticket.offline_note\nsync\nexpect outbox 0\n");
    run_passing(k, std::string(kFileComplaint) + "expect visible ticket.offline_note\n", ScriptRun::offline());
}
