// A full disk or an I/O error at any point of a save — the k-th write, sync
// or truncate, for every k — leaves no half-written record, tells the guest,
// and the store works again once the fault clears (SQLite's own method).
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "fault_vfs.h"
#include "offline_cache/outbox.h"
#include "offline_cache/store.h"
#include "store_fixture.h"

using namespace offline_cache;
using fault_vfs::FaultPlan;

namespace {

void fail_every_operation_of_a_save(int error_code, bool persist, SaveError expected) {
    fault_vfs::register_fault_vfs();
    StoreOptions options;
    options.vfs = "faulty";
    StoreFixture f(options);
    auto& store = f.store;
    REQUIRE(store->outbox().enqueue("feedback", "{\"warm\":1}").ok());

    // How many write-ish operations one save takes when nothing fails.
    FaultPlan::disarm();
    REQUIRE(store->outbox().enqueue("feedback", "{\"count\":1}").ok());
    const int64_t operations = FaultPlan::operations();
    REQUIRE(operations >= 2);  // at least the WAL write and its fsync

    int64_t saved = 2;
    int64_t refused = 0;
    for (int64_t k = 1; k <= operations; ++k) {
        INFO("failing I/O operation " << k << " of " << operations);
        FaultPlan::arm(k, error_code, persist);
        SaveResult result = store->outbox().enqueue("complaint", "{\"k\":" + std::to_string(k) + "}");
        FaultPlan::disarm();
        if (result.ok()) {
            ++saved;  // the fault hit after the commit was durable (nothing to report)
        } else {
            ++refused;
            CHECK(FaultPlan::failures() >= 1);
            CHECK(result.error == expected);
            CHECK_FALSE(result.message.empty());
        }
        // No half-written record: what the outbox holds is exactly what was reported saved.
        CHECK(store->outbox().stats().pending == saved);
        // And once the fault is gone, saving works again.
        SaveResult again = store->outbox().enqueue("complaint", "{\"after\":" + std::to_string(k) + "}");
        REQUIRE(again.ok());
        ++saved;
    }
    CHECK(store->outbox().stats().pending == saved);
    // A fault before the commit's fsync must be reported: at least the first operations fail the save.
    CHECK(refused >= 2);
    std::string path = store->path();
    store.reset();
    CHECK(probe(path, "SELECT count(*) FROM outbox") == std::to_string(saved));
    CHECK(integrity_check(path) == "ok");
}

}  // namespace

TEST_CASE("Disk full at the k-th I/O operation of a save, for every k", "[outbox][faults]") {
    fail_every_operation_of_a_save(SQLITE_FULL, false, SaveError::disk_full);
}

TEST_CASE("A disk that stays full until it is cleared", "[outbox][faults]") {
    fail_every_operation_of_a_save(SQLITE_FULL, true, SaveError::disk_full);
}

TEST_CASE("An I/O error at the k-th operation of a save, for every k", "[outbox][faults]") {
    fail_every_operation_of_a_save(SQLITE_IOERR_WRITE, false, SaveError::io_error);
}
