// Anonymous means unlinkable (issue 13): a feedback given right after a
// redemption at the same kiosk cannot be put next to it by anything the CRM
// stores or lists — its own table, a random id, no rowid, times to the hour.
#include <sqlite3.h>

#include <algorithm>

#include "crm_fixture.h"

namespace {

// Rows of a query on the CRM's database file, each column as text.
std::vector<std::vector<std::string>> rows(const std::string& db_path, const std::string& sql, bool* ok = nullptr) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    std::vector<std::vector<std::string>> out;
    bool prepared = sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK;
    if (ok) *ok = prepared;
    while (prepared && sqlite3_step(st) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int c = 0; c < sqlite3_column_count(st); ++c) {
            auto text = sqlite3_column_text(st, c);
            row.push_back(text ? reinterpret_cast<const char*>(text) : "");
        }
        out.push_back(row);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

}  // namespace

TEST_CASE("A feedback right after a redemption cannot be put next to it by what the CRM stores or lists", "[crm][trust][anonymous]") {
    CrmFixture f;
    const int64_t hour = 1'795'366'800'000;
    f.clock.set_wall_ms(hour + 17 * 60'000 + 23'456);  // 17 min 23.456 s past the hour
    const std::string card = "6200000000000040";
    // Twelve guests in the hour, each redeeming and then giving feedback a second later.
    std::vector<std::string> feedback_order;
    json grant = cited_grant(f.sign_in(card));  // queued spending cites the CRM's offline grant
    for (int i = 0; i < 12; ++i) {
        std::string n = std::to_string(i);
        CHECK(f.batch({record("red-" + n, "points_gift",
                              {{"from_card", card}, {"to_card", "6200000000000039"}, {"points", 1}, {"grant", grant}},
                              f.clock.wall_ms())})[0]["status"] == "accepted");
        f.clock.advance(1000);
        // An older kiosk might even send its exact time: the CRM keeps the hour only.
        CHECK(f.batch({record("fb-" + n, "feedback", {{"face", i % 4}, {"receipt", "R" + n}}, f.clock.wall_ms())})[0]
                  ["status"] == "accepted");
        feedback_order.push_back("fb-" + n);
        f.clock.advance(60'000);
    }

    SECTION("stored apart, without a sequence or rowid, to the hour") {
        CHECK(rows(f.options.db_path, "SELECT count(*) FROM records WHERE type = 'feedback'")[0][0] == "0");
        auto stored = rows(f.options.db_path, "SELECT id, key, kiosk_id, hour_ms, received_hour_ms FROM anonymous_records");
        REQUIRE(stored.size() == 12);
        for (const auto& row : stored) {
            CHECK(row[0].size() == 32);  // 128 random bits
            CHECK(row[2] == "lobby-1");  // the place may stay
            CHECK(std::stoll(row[3]) == hour);
            CHECK(std::stoll(row[4]) == hour);
        }
        bool has_rowid = true;
        rows(f.options.db_path, "SELECT rowid FROM anonymous_records", &has_rowid);
        CHECK_FALSE(has_rowid);
        // Nothing else in the database points at the anonymous records.
        CHECK(rows(f.options.db_path, "SELECT count(*) FROM sqlite_master WHERE sql LIKE '%anonymous_records%'")[0][0] ==
              "2");  // the table and its (type, hour, id) index
    }
    SECTION("listed by hour, then in random order, with hour-rounded times only") {
        json items = json::parse(f.staff("GET", "/api/v1/admin/feedback?per_page=100")->body)["items"];
        REQUIRE(items.size() == 12);
        std::vector<std::string> listed;
        for (const json& item : items) {
            listed.push_back(item["key"]);
            CHECK(item["created_at_ms"] == hour);
            CHECK(item["received_at_ms"] == hour);
            CHECK_FALSE(item.contains("seq"));
        }
        std::vector<std::string> reversed(feedback_order.rbegin(), feedback_order.rend());
        // 12! orders: arrival order (either way) by chance once in 2.4e8 runs.
        CHECK(listed != feedback_order);
        CHECK(listed != reversed);
        // The redemptions keep their exact times: it is only the feedback that is blurred.
        json redemptions = json::parse(f.staff("GET", "/api/v1/admin/redemptions?per_page=100")->body)["items"];
        REQUIRE(redemptions.size() == 12);
        CHECK(redemptions[0]["received_at_ms"].get<int64_t>() % 3'600'000 != 0);
    }
}

TEST_CASE("Anonymous records stored before migration 10 move to their own table, their sequence dropped", "[crm][trust][anonymous]") {
    CrmFixture f(false);
    f.batch({record("c-1", "complaint", {{"ticket", "K-lobby-1-000001"}})});
    f.server->stop();
    // As an older CRM stored it: in the ordered records table.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(f.options.db_path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db,
                         "DROP TABLE anonymous_records; DROP TABLE guess_counters;"
                         "ALTER TABLE complaints DROP COLUMN code_hash;"
                         // and without what the appliance's migration (12) added
                         "DROP TABLE revoked_kiosks; ALTER TABLE kiosks DROP COLUMN uptime_s;"
                         "ALTER TABLE kiosks DROP COLUMN restarts_since_boot; ALTER TABLE kiosks DROP COLUMN disk_free_mb;"
                         "ALTER TABLE kiosks DROP COLUMN oldest_pending_age_s; ALTER TABLE kiosks DROP COLUMN watchdog;"
                         // and without the calls for help (13)
                         "DROP TABLE help_requests;"
                         // and without member sessions, offline grants and the CRM's own key (14)
                         "DROP TABLE member_sessions; DROP TABLE offline_grants;"
                         "DROP TABLE offline_spending; DROP TABLE crm_keys;"
                         // and without the phone pages of tickets, slips and vouchers (15)
                         "DROP TABLE record_pages; ALTER TABLE void_vouchers DROP COLUMN page_guard_hash;"
                         "PRAGMA user_version = 9;"
                         "INSERT INTO records (key, kiosk_id, type, payload, payload_sha, created_ms, received_ms) "
                         "VALUES ('old-fb', 'lobby-1', 'feedback', '{\"face\":2}', 'x', 1795366800123, 1795366800456)",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    f.start();
    CHECK(f.server->store().schema_version() == crm::kSchemaVersion);
    CHECK(rows(f.options.db_path, "SELECT count(*) FROM records WHERE type = 'feedback'")[0][0] == "0");
    auto moved = rows(f.options.db_path, "SELECT key, hour_ms, received_hour_ms FROM anonymous_records");
    REQUIRE(moved.size() == 1);
    CHECK(moved[0] == std::vector<std::string>{"old-fb", "1795366800000", "1795366800000"});
    CHECK(f.server->count_records() == 2);
}
