// offline_cache/store.h — the kiosk's SQLite file: outbox, content cache, member cache.
//
// What it promises (docs/durability.md): a record the outbox accepted is on
// disk before enqueue() returns — it survives a killed process and a power cut
// (WAL + synchronous=FULL on the guest connection, read back and enforced at
// open). A damaged file is never deleted: it is set aside, the outbox is
// salvaged record by record into a fresh file, the caches are rebuilt from the
// CRM. No SDL, no ImGui: this library is tested on its own.
//
// Threads: two connections. The guest connection (UI thread: enqueue, reads,
// member cache) commits with synchronous=FULL and never checkpoints, so a guest
// action waits for its own fsync only. The worker connection (sync thread:
// claim, acknowledge, content writes, pruning, checkpoints) commits with
// synchronous=NORMAL: its acknowledgements may be lost in a power cut, and the
// records are then sent again and answered "duplicate" by the CRM.
//
// Index
//   StoreOptions                      directory, cap, retention, VFS (tests inject faults)
//   SelfCheckReport                   what the start-up check found and did
//   Store::open(opts, clock, &report, &error)   open or create, migrate, self-check; nullptr + reason on failure
//   Store::outbox() / content() / members()     the three parts (each header says which thread may call what)
//   Store::schema_version()           the migration the file is at (== latest_schema_version() after open)
//   Store::journal_mode() / synchronous_level()  read back from the guest connection ("wal", 2 = FULL)
//   Store::checkpoint()               worker thread: move the WAL into the database file (PASSIVE)
//   Store::path()                     the database file
//   latest_schema_version()           the newest migration this build knows
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "platform/clock.h"

namespace offline_cache {

class Outbox;
class ContentCache;
class MemberCache;
struct Database;

struct StoreOptions {
    StoreOptions(std::string directory = "") : directory(std::move(directory)) {}
    std::string directory;                                  // created when missing
    std::string file_name = "kiosk.sqlite";
    std::string vfs;                                        // "" = SQLite's default
    int64_t outbox_cap = 20'000;                            // undelivered records; beyond it enqueue says queue_full
    int64_t delivered_retention_ms = 7LL * 24 * 3600 * 1000;  // delivered records are pruned after this
    int busy_timeout_ms = 5'000;
};

struct SelfCheckReport {
    bool corrupt = false;            // the file failed its check (or would not open as a database)
    std::string set_aside_path;      // where the damaged file was moved, kept for staff
    int64_t salvaged = 0;            // outbox records carried into the fresh file
    int64_t unreadable = 0;          // outbox rows that could not be read back
    int64_t in_flight_reset = 0;     // records a previous run had in flight: pending again
    int64_t pruned = 0;              // delivered records past retention
    int from_version = 0;            // schema version found on disk
    std::string summary() const;     // one line for the log and the staff screen
};

class Store {
public:
    static std::unique_ptr<Store> open(const StoreOptions& options, platform::Clock& clock, SelfCheckReport* report,
                                       std::string* error);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    Outbox& outbox() { return *outbox_; }
    ContentCache& content() { return *content_; }
    MemberCache& members() { return *members_; }

    int schema_version();
    std::string journal_mode();
    int synchronous_level();
    bool checkpoint();
    const std::string& path() const;

private:
    Store() = default;
    std::unique_ptr<Database> db_;
    std::unique_ptr<Outbox> outbox_;
    std::unique_ptr<ContentCache> content_;
    std::unique_ptr<MemberCache> members_;
};

int latest_schema_version();

}  // namespace offline_cache
