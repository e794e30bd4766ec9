// The CRM's database: numbered migrations from an empty file, applied once;
// a database from a newer server is refused rather than misread.
#include <sqlite3.h>

#include "crm_fixture.h"

TEST_CASE("Migrations are applied from an empty database, once", "[crm][store]") {
    CrmFixture f(/*seed_demo=*/false);
    f.server.reset();
    const std::string path = (f.dir / "fresh.sqlite").string();
    {
        crm::Store store(f.clock);
        std::string error;
        REQUIRE(store.open(path, &error));
        CHECK(store.schema_version() == crm::kSchemaVersion);
        CHECK(store.count_records("") == 0);
        CHECK((*store.ingest("lobby-1", {{"k", "feedback", "{}", 1}}))[0].status == "accepted");
    }
    {
        crm::Store again(f.clock);  // reopening applies nothing twice and keeps the data
        std::string error;
        REQUIRE(again.open(path, &error));
        CHECK(again.schema_version() == crm::kSchemaVersion);
        CHECK(again.count_records("feedback") == 1);
    }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    for (const char* table : {"records", "content", "kiosks", "complaints", "complaint_stages", "members", "ledger",
                              "departments", "doctors", "slots", "bookings", "survey_versions"}) {
        INFO(table);
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", -1, &s, nullptr);
        sqlite3_bind_text(s, 1, table, -1, SQLITE_STATIC);
        CHECK(sqlite3_step(s) == SQLITE_ROW);
        sqlite3_finalize(s);
    }
    sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    crm::Store newer(f.clock);
    std::string error;
    CHECK_FALSE(newer.open(path, &error));
    CHECK(error.find("newer") != std::string::npos);
}

TEST_CASE("A server without demo data serves an empty hospital", "[crm][store]") {
    CrmFixture f(/*seed_demo=*/false);
    CHECK(error_code(f.kiosk("GET", "/api/v1/content/flows")) == "no_such_content");
    CHECK(f.kiosk("POST", "/api/v1/members/sign-in", R"({"card":"6200000000000001","pin":"1234"})")->status == 401);
    CHECK(json::parse(f.kiosk("GET", "/api/v1/slots?department=internal&day=" + day_after(f.clock, 1))->body)["items"].empty());
}

TEST_CASE("Seeding the demo twice changes nothing", "[crm][store]") {
    CrmFixture f;
    // What the member is, without what each sign-in opens anew (its session and grant).
    auto member = [&] {
        json m = f.sign_in("6200000000000005");
        m.erase("session");
        m.erase("offline_grant");
        return m;
    };
    json before = member();
    f.start();  // the same database, --seed-demo again
    CHECK(member() == before);
}
