// The kiosk's real sync engine against the real CRM (issue 13): only final
// refusals are final, anonymous answers travel alone, batches fit the
// contract's byte limit.
#include <sqlite3.h>

#include "crm_contract/records.h"
#include "sync_fixture.h"

using nlohmann::json;

namespace {
void crm_sql(SyncFixture& f, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(f.crm_options.db_path.c_str(), &db) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
}
}  // namespace

TEST_CASE("A storage failure at the CRM keeps the guest's record, and it is delivered once the CRM recovers", "[sync][trust]") {
    SyncFixture f;
    std::string key = f.enqueue("complaint", R"({"ticket":"K-lobby-1-000001","text":"候诊太久"})");
    crm_sql(f, "CREATE TRIGGER fail_records BEFORE INSERT ON records BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
    offline_cache::SyncEngine engine(*f.store, f.clock, f.sync_options);
    CHECK(engine.run_once() == offline_cache::RoundResult::failed);
    auto kept = f.store->outbox().find(key);
    REQUIRE(kept);
    CHECK(kept->state == offline_cache::RecordState::pending);  // not rejected: the CRM said 503
    CHECK(kept->last_error.find("503") != std::string::npos);
    crm_sql(f, "DROP TRIGGER fail_records;");
    f.store->outbox().make_due_now();  // past its backoff (the CRM keeps the real clock)
    CHECK(f.drain(engine) >= 1);
    CHECK(f.store->outbox().find(key)->state == offline_cache::RecordState::delivered);
    CHECK(f.server->count_records("complaint") == 1);
}

TEST_CASE("A refusal for a reason the contract does not call final keeps the record and retries it", "[sync][trust]") {
    SyncFixture f;
    std::string key = f.enqueue("complaint_satisfaction", R"({"ticket":"K-lobby-1-000001","satisfied":true})");
    offline_cache::SyncEngine engine(*f.store, f.clock, f.sync_options);
    f.fault({{"mode", "reject"}, {"reason", "a_reason_from_a_newer_crm"}, {"count", 1}});
    engine.run_once();
    auto kept = f.store->outbox().find(key);
    REQUIRE(kept);
    CHECK(kept->state == offline_cache::RecordState::pending);
    CHECK(kept->last_error.find("a_reason_from_a_newer_crm") != std::string::npos);
    f.store->outbox().make_due_now();  // past its backoff (the CRM keeps the real clock)
    f.drain(engine);
    CHECK(f.store->outbox().find(key)->state == offline_cache::RecordState::delivered);

    // A documented final reason is final: kept for staff, not sent again.
    std::string refused = f.enqueue("complaint_satisfaction", R"({"n":1})");
    f.fault({{"mode", "reject"}, {"reason", "insufficient_points"}, {"count", 1}});
    f.store->outbox().make_due_now();
    engine.run_once();
    CHECK(f.store->outbox().find(refused)->state == offline_cache::RecordState::rejected);
    CHECK(f.store->outbox().find(refused)->reject_reason == "insufficient_points");
}

TEST_CASE("Anonymous answers are sent in batches of their own, never beside a redemption", "[sync][trust][anonymous]") {
    SyncFixture f;
    // A member redeems, then gives feedback a moment later at the same kiosk.
    std::string redemption = f.enqueue(
        "redemption", R"({"card":"6200000000000040","points":1,"reward":"registration-discount","mode":"points"})");
    auto feedback = f.store->outbox().enqueue_anonymous("feedback", R"({"face":3,"receipt":"P4X4KN"})");
    REQUIRE(feedback.ok());
    offline_cache::SyncEngine engine(*f.store, f.clock, f.sync_options);
    // The CRM refuses a mixed batch whole: both arrive only if the kiosk kept them apart.
    engine.run_once();
    // This redemption cites no offline grant, so the CRM refuses it for good —
    // which it can only do by reading it in a batch of its own (a mixed batch is
    // refused whole, 400 mixed_anonymous_batch, and both would still be pending).
    CHECK(f.store->outbox().find(redemption)->state == offline_cache::RecordState::rejected);
    CHECK(f.store->outbox().find(redemption)->reject_reason == "no_offline_grant");
    CHECK(f.store->outbox().find(feedback.key)->state == offline_cache::RecordState::delivered);
    CHECK(f.store->outbox().find(feedback.key)->created_wall_ms % crm_contract::kHourMs == 0);
    CHECK(f.server->count_records("feedback") == 1);
}

TEST_CASE("A batch is cut to the contract's byte limit, so large records still arrive", "[sync][trust][bounds]") {
    SyncFixture f;
    f.sync_options.batch_size = 50;
    // 20 records of 60 KB: 1.2 MB in one request would be refused 413.
    for (int i = 0; i < 20; ++i)
        f.enqueue("complaint_satisfaction", json{{"n", i}, {"text", std::string(4000, 'x')},
                                                 {"more", std::vector<std::string>(14, std::string(4000, 'y'))}}
                                                .dump());
    offline_cache::SyncEngine engine(*f.store, f.clock, f.sync_options);
    f.drain(engine);
    CHECK(f.server->count_records("complaint_satisfaction") == 20);
    CHECK(f.store->outbox().stats().depth() == 0);
}
