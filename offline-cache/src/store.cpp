#include "offline_cache/store.h"

#include <filesystem>

#include "database.h"
#include "offline_cache/content_cache.h"
#include "offline_cache/member_cache.h"
#include "offline_cache/outbox.h"
#include "platform/log.h"
#include "schema.h"
#include "sqlite_statement.h"

namespace offline_cache {

namespace fs = std::filesystem;

namespace {

bool is_corruption(int rc) {
    int primary = rc & 0xff;
    return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

int open_connection(const std::string& path, const std::string& vfs, int flags, sqlite3** db) {
    int rc = sqlite3_open_v2(path.c_str(), db, flags | SQLITE_OPEN_FULLMUTEX, vfs.empty() ? nullptr : vfs.c_str());
    if (rc == SQLITE_OK) sqlite3_extended_result_codes(*db, 1);
    return rc;
}

// Sets up one connection; returns the first failing SQLite code, or SQLITE_OK.
int configure(sqlite3* db, bool guest, int busy_timeout_ms) {
    sqlite3_busy_timeout(db, busy_timeout_ms);
    int rc = exec(db, "PRAGMA journal_mode = WAL");
    if (rc != SQLITE_OK) return rc;
    // Guest actions are durable when they return; the worker's bookkeeping
    // may be lost in a power cut (its records are then simply sent again).
    rc = exec(db, guest ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    if (rc != SQLITE_OK) return rc;
    // The guest connection never checkpoints, so a tap never waits for the
    // database file's fsync; the worker checkpoints (Store::checkpoint).
    if (guest) rc = exec(db, "PRAGMA wal_autocheckpoint = 0");
    if (rc != SQLITE_OK) return rc;
    return exec(db, "PRAGMA foreign_keys = ON");
}

// "ok", or the first problem quick_check names; the SQLite code when it cannot even run.
int quick_check(sqlite3* db, std::string* verdict) {
    Statement s(db, "PRAGMA quick_check(1)");
    if (s.step() == SQLITE_ROW) {
        *verdict = s.text_at(0);
        return SQLITE_OK;
    }
    *verdict = s.error();
    return s.rc();
}

// Copies what can be read of the damaged file's outbox into the fresh one,
// row by row: a bad page loses the rows on it, not the rest. Delivered rows
// are not carried over; in-flight ones become pending.
void salvage_outbox(const std::string& damaged_path, sqlite3* fresh, SelfCheckReport* report) {
    sqlite3* old = nullptr;
    if (sqlite3_open_v2(damaged_path.c_str(), &old, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close_v2(old);
        return;
    }
    int64_t max_seq = 0;
    {
        Statement s(old, "SELECT max(seq) FROM outbox");
        if (s.step() == SQLITE_ROW) max_seq = s.int_at(0);
        else {
            // The index or the table root is damaged: fall back to the sequence counter.
            Statement q(old, "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'");
            if (q.step() == SQLITE_ROW) max_seq = q.int_at(0);
        }
    }
    Statement read(old, "SELECT seq, key, type, payload, created_wall_ms, attempts, state, reject_reason "
                        "FROM outbox WHERE seq = ?");
    Statement write(fresh, "INSERT OR IGNORE INTO outbox (seq, key, type, payload, created_wall_ms, attempts, state, "
                           "reject_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    exec(fresh, "BEGIN IMMEDIATE");
    for (int64_t seq = 1; seq <= max_seq; ++seq) {
        read.reset();
        read.bind(1, seq);
        int rc = read.step();
        if (rc == SQLITE_DONE) continue;  // never existed, or pruned
        if (rc != SQLITE_ROW) {
            ++report->unreadable;
            continue;
        }
        std::string state = read.text_at(6);
        if (state == "delivered") continue;
        if (state == "in_flight") state = "pending";
        write.reset();
        write.bind(1, read.int_at(0)).bind(2, read.text_at(1)).bind(3, read.text_at(2)).bind(4, read.text_at(3));
        write.bind(5, read.int_at(4)).bind(6, read.int_at(5)).bind(7, state);
        if (read.is_null(7)) write.bind_null(8);
        else write.bind(8, read.text_at(7));
        if (write.step() == SQLITE_DONE) ++report->salvaged;
        else ++report->unreadable;
    }
    // Counters come along too: a ticket number handed out before the damage
    // must never be handed out again (a damaged counter page loses only itself).
    Statement counters(old, "SELECT name, last_value FROM counters");
    Statement keep(fresh, "INSERT OR REPLACE INTO counters (name, last_value) VALUES (?, ?)");
    while (counters.step() == SQLITE_ROW) {
        keep.reset();
        keep.bind(1, counters.text_at(0)).bind(2, counters.int_at(1));
        keep.step();
    }
    exec(fresh, "COMMIT");
    sqlite3_close_v2(old);
}

}  // namespace

std::string SelfCheckReport::summary() const {
    std::string line = corrupt ? "database was damaged: set aside as " + set_aside_path + ", " +
                                     std::to_string(salvaged) + " outbox records salvaged, " +
                                     std::to_string(unreadable) + " unreadable"
                               : std::string("database ok");
    if (from_version != latest_schema_version())
        line += ", migrated from schema " + std::to_string(from_version) + " to " +
                std::to_string(latest_schema_version());
    if (in_flight_reset) line += ", " + std::to_string(in_flight_reset) + " in-flight records pending again";
    if (pruned) line += ", " + std::to_string(pruned) + " delivered records pruned";
    return line;
}

int latest_schema_version() { return int(schema_migrations().size()); }

std::unique_ptr<Store> Store::open(const StoreOptions& options, platform::Clock& clock, SelfCheckReport* report,
                                   std::string* error) {
    *report = SelfCheckReport{};
    std::error_code ec;
    fs::create_directories(options.directory, ec);
    if (ec) {
        *error = "data directory " + options.directory + ": " + ec.message();
        return nullptr;
    }
    auto db = std::make_unique<Database>(clock);
    db->path = (fs::path(options.directory) / options.file_name).string();
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

    // 1. Open and check. Corruption anywhere here sends us to the salvage path.
    int rc = open_connection(db->path, options.vfs, flags, &db->guest);
    std::string verdict = "ok";
    if (rc == SQLITE_OK) rc = configure(db->guest, true, options.busy_timeout_ms);
    if (rc == SQLITE_OK) rc = quick_check(db->guest, &verdict);
    if (rc != SQLITE_OK && !is_corruption(rc)) {
        *error = db->path + ": " + sqlite3_errstr(rc);
        return nullptr;
    }
    if (is_corruption(rc) || verdict != "ok") {
        report->corrupt = true;
        sqlite3_close_v2(db->guest);
        db->guest = nullptr;
        report->set_aside_path = db->path + ".damaged-" + std::to_string(clock.wall_ms());
        log_error("offline cache: %s failed its check (%s); setting it aside as %s", db->path.c_str(),
                  verdict == "ok" ? sqlite3_errstr(rc) : verdict.c_str(), report->set_aside_path.c_str());
        // The WAL goes with its database: SQLite finds "<file>-wal" beside it.
        for (const char* suffix : {"", "-wal", "-shm"}) {
            fs::path from = db->path + suffix;
            if (fs::exists(from, ec)) fs::rename(from, report->set_aside_path + suffix, ec);
            if (ec) {
                *error = "cannot set aside the damaged database " + from.string() + ": " + ec.message();
                return nullptr;
            }
        }
        rc = open_connection(db->path, options.vfs, flags, &db->guest);
        if (rc == SQLITE_OK) rc = configure(db->guest, true, options.busy_timeout_ms);
        if (rc != SQLITE_OK) {
            *error = db->path + ": " + sqlite3_errstr(rc);
            return nullptr;
        }
    }

    // 2. Migrate (one transaction per migration), then salvage into the fresh file.
    if (!migrate(db->guest, &report->from_version, error)) return nullptr;
    if (report->corrupt) salvage_outbox(report->set_aside_path, db->guest, report);

    // 3. Read the settings back: the durability promise depends on them.
    std::unique_ptr<Store> store(new Store());
    store->db_ = std::move(db);
    if (store->journal_mode() != "wal" || store->synchronous_level() != 2) {
        *error = "the database does not run in WAL mode with synchronous=FULL (journal_mode=" + store->journal_mode() +
                 ", synchronous=" + std::to_string(store->synchronous_level()) +
                 "); refusing to accept records whose durability cannot be promised";
        return nullptr;
    }

    // 4. The worker's connection.
    Database& d = *store->db_;
    rc = open_connection(d.path, options.vfs, SQLITE_OPEN_READWRITE, &d.worker);
    if (rc == SQLITE_OK) rc = configure(d.worker, false, options.busy_timeout_ms);
    if (rc != SQLITE_OK) {
        *error = d.path + " (worker connection): " + sqlite3_errstr(rc);
        return nullptr;
    }

    store->outbox_ = std::make_unique<Outbox>(d, options.outbox_cap, options.delivered_retention_ms);
    store->content_ = std::make_unique<ContentCache>(d);
    store->members_ = std::make_unique<MemberCache>(d, clock);

    // 5. What a killed process left behind: in-flight records go back to the
    // queue (the CRM de-duplicates whatever it already had); old deliveries go.
    report->in_flight_reset = store->outbox_->release_in_flight();
    report->pruned = store->outbox_->prune_delivered();
    store->members_->wipe_expired();
    return store;
}

Store::~Store() = default;

int Store::schema_version() {
    std::lock_guard<std::mutex> lock(db_->guest_mutex);
    Statement s(db_->guest, "PRAGMA user_version");
    return s.step() == SQLITE_ROW ? int(s.int_at(0)) : -1;
}

std::string Store::journal_mode() {
    std::lock_guard<std::mutex> lock(db_->guest_mutex);
    Statement s(db_->guest, "PRAGMA journal_mode");
    return s.step() == SQLITE_ROW ? s.text_at(0) : std::string();
}

int Store::synchronous_level() {
    std::lock_guard<std::mutex> lock(db_->guest_mutex);
    Statement s(db_->guest, "PRAGMA synchronous");
    return s.step() == SQLITE_ROW ? int(s.int_at(0)) : -1;
}

bool Store::checkpoint() {
    std::lock_guard<std::mutex> lock(db_->worker_mutex);
    return sqlite3_wal_checkpoint_v2(db_->worker, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) == SQLITE_OK;
}

const std::string& Store::path() const { return db_->path; }

}  // namespace offline_cache
