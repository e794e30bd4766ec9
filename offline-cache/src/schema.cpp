#include "schema.h"

#include "sqlite_statement.h"

namespace offline_cache {

const std::vector<const char*>& schema_migrations() {
    static const std::vector<const char*> migrations = {
        // 1: the outbox. `seq` orders records (never the kiosk's clock);
        // `key` is the idempotency key the CRM de-duplicates by.
        R"sql(
        CREATE TABLE outbox (
            seq              INTEGER PRIMARY KEY AUTOINCREMENT,
            key              TEXT NOT NULL UNIQUE,
            type             TEXT NOT NULL,
            payload          TEXT NOT NULL,
            created_wall_ms  INTEGER NOT NULL,
            attempts         INTEGER NOT NULL DEFAULT 0,
            next_attempt_ms  INTEGER NOT NULL DEFAULT 0,
            state            TEXT NOT NULL DEFAULT 'pending'
                             CHECK (state IN ('pending', 'in_flight', 'delivered', 'rejected')),
            reject_reason    TEXT
        );
        CREATE INDEX outbox_due ON outbox (state, next_attempt_ms, seq);
        )sql",
        // 2: the content cache.
        R"sql(
        CREATE TABLE content (
            name             TEXT PRIMARY KEY,
            body             BLOB NOT NULL,
            etag             TEXT NOT NULL DEFAULT '',
            fetched_wall_ms  INTEGER NOT NULL,
            bytes            INTEGER NOT NULL
        );
        )sql",
        // 3: delivery bookkeeping for staff, and the member cache of the offline rules.
        R"sql(
        ALTER TABLE outbox ADD COLUMN last_error TEXT;
        ALTER TABLE outbox ADD COLUMN delivered_wall_ms INTEGER;
        CREATE TABLE member_cache (
            member_key       TEXT PRIMARY KEY,
            data             TEXT NOT NULL,
            expires_wall_ms  INTEGER NOT NULL
        );
        CREATE INDEX member_cache_expiry ON member_cache (expires_wall_ms);
        )sql",
        // 4: durable counters for numbers the kiosk hands out itself (complaint
        // tickets K-<kiosk>-<n>): a number is taken in the same transaction as
        // the record that carries it, so it is used once or not at all.
        R"sql(
        CREATE TABLE counters (
            name        TEXT PRIMARY KEY,
            last_value  INTEGER NOT NULL CHECK (last_value >= 0)
        );
        )sql",
        // 5: codes the kiosk hands out itself are random now (tickets "K-7KQ4-M2XD",
        // booking codes): each is claimed here in the transaction of the record
        // that carries it, and kept after the record is pruned, so this store
        // never hands one out twice (a clash is retried with a new code).
        R"sql(
        CREATE TABLE issued_codes (
            code            TEXT PRIMARY KEY,
            issued_wall_ms  INTEGER NOT NULL
        );
        )sql",
        // 6: the priority lane. A call for help (priority 1) is claimed ahead of
        // every ordinary record (priority 0), even ones queued long before it.
        R"sql(
        ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 0 CHECK (priority IN (0, 1));
        CREATE INDEX outbox_urgent_first ON outbox (state, priority DESC, seq);
        )sql",
    };
    return migrations;
}

namespace {
int user_version(sqlite3* db) {
    Statement s(db, "PRAGMA user_version");
    return s.step() == SQLITE_ROW ? int(s.int_at(0)) : -1;
}
}  // namespace

bool migrate_to(sqlite3* db, int version, std::string* error) {
    const auto& migrations = schema_migrations();
    int current = user_version(db);
    if (current < 0) {
        *error = std::string("cannot read the schema version: ") + sqlite3_errmsg(db);
        return false;
    }
    if (current > int(migrations.size())) {
        *error = "the database is at schema version " + std::to_string(current) + ", newer than this kiosk (" +
                 std::to_string(migrations.size()) + ")";
        return false;
    }
    for (int next = current + 1; next <= version; ++next) {
        Transaction txn(db);
        if (!txn.begun() || exec(db, migrations[size_t(next - 1)]) != SQLITE_OK) {
            *error = "migration " + std::to_string(next) + ": " + sqlite3_errmsg(db);
            return false;
        }
        // PRAGMA takes no bound values; the version is our own integer.
        std::string set_version = "PRAGMA user_version = " + std::to_string(next);
        if (exec(db, set_version.c_str()) != SQLITE_OK || txn.commit() != SQLITE_OK) {
            *error = "migration " + std::to_string(next) + ": " + sqlite3_errmsg(db);
            return false;
        }
    }
    return true;
}

bool migrate(sqlite3* db, int* from_version, std::string* error) {
    *from_version = user_version(db);
    return migrate_to(db, int(schema_migrations().size()), error);
}

}  // namespace offline_cache
