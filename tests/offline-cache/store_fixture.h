// tests/offline-cache/store_fixture.h — what the offline-cache tests share:
// a fresh directory per test, a store opened in it on a manual clock, and
// read-only probes of the file with plain SQLite (not through the Store).
#pragma once

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "offline_cache/store.h"

struct TempDir {
    TempDir() {
        static std::atomic<int> counter{0};
        path = std::filesystem::temp_directory_path() /
               ("offline-cache-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string str() const { return path.string(); }
    std::filesystem::path path;
};

// A store in its own directory, on a manual clock.
struct StoreFixture {
    TempDir dir;
    platform::ManualClock clock;
    offline_cache::SelfCheckReport report;
    std::string error;
    std::unique_ptr<offline_cache::Store> store;
    explicit StoreFixture(offline_cache::StoreOptions options = {}) {
        options.directory = dir.str();
        store = offline_cache::Store::open(options, clock, &report, &error);
        INFO(error);
        REQUIRE(store);
    }
};

// Runs one query returning one value on a read-only connection of its own.
inline std::string probe(const std::string& path, const char* sql) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
    std::string value = "?";
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        value = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return value;
}

inline std::string integrity_check(const std::string& path) { return probe(path, "PRAGMA integrity_check"); }
