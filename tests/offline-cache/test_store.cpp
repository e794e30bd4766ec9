// The store itself: its settings, its migrations from every earlier version,
// and what it does with a damaged file.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <fstream>

#include "../../offline-cache/src/schema.h"
#include "fault_vfs.h"
#include "offline_cache/content_cache.h"
#include "offline_cache/member_cache.h"
#include "offline_cache/outbox.h"
#include "offline_cache/store.h"
#include "store_fixture.h"

using namespace offline_cache;
namespace fs = std::filesystem;

TEST_CASE("The store reads back WAL mode and synchronous=FULL", "[store]") {
    StoreFixture f;
    CHECK(f.store->journal_mode() == "wal");
    CHECK(f.store->synchronous_level() == 2);
    CHECK(f.store->schema_version() == latest_schema_version());
    CHECK_FALSE(f.report.corrupt);
    CHECK(f.report.summary() == "database ok, migrated from schema 0 to " + std::to_string(latest_schema_version()));
}

TEST_CASE("The store refuses to run where WAL cannot be used", "[store]") {
    fault_vfs::register_fault_vfs();
    TempDir dir;
    platform::ManualClock clock;
    SelfCheckReport report;
    std::string error;
    StoreOptions options{dir.str()};
    options.vfs = "faulty-noshm";  // no shared memory: SQLite stays in rollback-journal mode
    auto store = Store::open(options, clock, &report, &error);
    CHECK_FALSE(store);
    CHECK(error.find("does not run in WAL mode") != std::string::npos);
}

TEST_CASE("Files from every earlier schema version migrate with their data", "[store][migrations]") {
    for (int version = 0; version < latest_schema_version(); ++version) {
        DYNAMIC_SECTION("from version " << version) {
            TempDir dir;
            std::string path = (dir.path / "kiosk.sqlite").string();
            sqlite3* db = nullptr;
            REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
            std::string error;
            REQUIRE(migrate_to(db, version, &error));
            if (version >= 1)
                REQUIRE(sqlite3_exec(db,
                                     "INSERT INTO outbox (key, type, payload, created_wall_ms, state) "
                                     "VALUES ('k-old', 'feedback', '{\"face\":2}', 1000, 'pending')",
                                     nullptr, nullptr, nullptr) == SQLITE_OK);
            if (version >= 2)
                REQUIRE(sqlite3_exec(db,
                                     "INSERT INTO content (name, body, etag, fetched_wall_ms, bytes) "
                                     "VALUES ('flows', '{}', 'e1', 5, 2)",
                                     nullptr, nullptr, nullptr) == SQLITE_OK);
            sqlite3_close(db);

            platform::ManualClock clock;
            SelfCheckReport report;
            auto store = Store::open({dir.str()}, clock, &report, &error);
            REQUIRE(store);
            CHECK(report.from_version == version);
            CHECK(store->schema_version() == latest_schema_version());
            if (version >= 1) {
                auto old = store->outbox().find("k-old");
                REQUIRE(old);
                CHECK(old->payload == "{\"face\":2}");
                CHECK(old->last_error.empty());
                CHECK(store->outbox().claim_batch(10).size() == 1);
            }
            if (version >= 2) CHECK(store->content().get("flows")->etag == "e1");
            CHECK(store->members().put("m", "{}", clock.wall_ms() + 1000));
        }
    }
}

TEST_CASE("A file from a newer kiosk is not touched", "[store][migrations]") {
    TempDir dir;
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((dir.path / "kiosk.sqlite").c_str(), &db) == SQLITE_OK);
    sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    platform::ManualClock clock;
    SelfCheckReport report;
    std::string error;
    CHECK_FALSE(Store::open({dir.str()}, clock, &report, &error));
    CHECK(error.find("newer than this kiosk") != std::string::npos);
}

TEST_CASE("A damaged file is set aside and its outbox salvaged record by record", "[store][corruption]") {
    TempDir dir;
    platform::ManualClock clock;
    SelfCheckReport report;
    std::string error;
    std::vector<std::string> keys, payloads;
    {
        auto store = Store::open({dir.str()}, clock, &report, &error);
        REQUIRE(store);
        // Enough records to span many pages; some already delivered.
        for (int i = 0; i < 400; ++i) {
            payloads.push_back("{\"n\":" + std::to_string(i) + ",\"text\":\"" + std::string(200, char('a' + i % 26)) + "\"}");
            keys.push_back(store->outbox().enqueue("complaint", payloads.back()).key);
        }
        auto batch = store->outbox().claim_batch(50);
        std::vector<std::string> delivered;
        for (auto& r : batch) delivered.push_back(r.key);
        store->outbox().mark_delivered(delivered);
        store->content().put({"flows", "{}", "e1", clock.wall_ms()});
        REQUIRE(store->checkpoint());
    }
    fs::path file = dir.path / "kiosk.sqlite";
    fs::remove(dir.path / "kiosk.sqlite-wal");
    fs::remove(dir.path / "kiosk.sqlite-shm");

    SECTION("garbage over a few pages in the middle") {
        auto size = fs::file_size(file);
        REQUIRE(size > 40 * 4096);
        std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(std::streamoff(20 * 4096));
        std::string garbage(3 * 4096, '\xA5');
        f.write(garbage.data(), std::streamsize(garbage.size()));
        f.close();

        auto store = Store::open({dir.str()}, clock, &report, &error);
        REQUIRE(store);
        CHECK(report.corrupt);
        CHECK(fs::exists(report.set_aside_path));  // kept for staff, never deleted
        CHECK(report.salvaged > 250);
        CHECK(report.salvaged + report.unreadable >= 340);
        CHECK(report.summary().find("set aside") != std::string::npos);
        // What was salvaged is intact and pending; nothing is duplicated.
        CHECK(store->outbox().stats().pending == report.salvaged);
        int found = 0;
        for (size_t i = 50; i < keys.size(); ++i)
            if (auto r = store->outbox().find(keys[i])) {
                ++found;
                CHECK(r->payload == payloads[i]);
            }
        CHECK(found == report.salvaged);
        CHECK_FALSE(store->content().get("flows"));  // the cache is rebuilt from the CRM, not trusted
        CHECK(store->outbox().enqueue("feedback", "{}").ok());
    }
    SECTION("a file that is not a database at all") {
        std::ofstream(file, std::ios::binary | std::ios::trunc) << std::string(8192, 'x');
        auto store = Store::open({dir.str()}, clock, &report, &error);
        REQUIRE(store);
        CHECK(report.corrupt);
        CHECK(fs::exists(report.set_aside_path));
        CHECK(report.salvaged == 0);
        CHECK(store->outbox().enqueue("feedback", "{}").ok());
    }
}
