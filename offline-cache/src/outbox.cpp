#include "offline_cache/outbox.h"

#include <sys/random.h>

#include <algorithm>
#include <cstdio>

#include "database.h"
#include "platform/utf8.h"
#include "sqlite_statement.h"

namespace offline_cache {

namespace {

SaveResult failure(SaveError error, std::string message) {
    SaveResult r;
    r.error = error;
    r.message = std::move(message);
    return r;
}

SaveError classify(int rc) {
    switch (rc & 0xff) {
        case SQLITE_FULL: return SaveError::disk_full;
        case SQLITE_CONSTRAINT: return SaveError::invalid;
        default: return SaveError::io_error;
    }
}

RecordState parse_state(const std::string& s) {
    if (s == "in_flight") return RecordState::in_flight;
    if (s == "delivered") return RecordState::delivered;
    if (s == "rejected") return RecordState::rejected;
    return RecordState::pending;
}

constexpr const char* kRecordColumns =
    "seq, key, type, payload, created_wall_ms, attempts, next_attempt_ms, state, reject_reason, last_error, priority";

OutboxRecord read_record(const Statement& s) {
    OutboxRecord r;
    r.seq = s.int_at(0);
    r.key = s.text_at(1);
    r.type = s.text_at(2);
    r.payload = s.text_at(3);
    r.created_wall_ms = s.int_at(4);
    r.attempts = int(s.int_at(5));
    r.next_attempt_wall_ms = s.int_at(6);
    r.state = parse_state(s.text_at(7));
    r.reject_reason = s.text_at(8);
    r.last_error = s.text_at(9);
    r.urgent = s.int_at(10) > 0;
    return r;
}

// Runs `update` once per key inside one worker transaction.
bool update_each(sqlite3* db, const char* sql, const std::vector<std::string>& keys,
                 const std::function<void(Statement&, const std::string&)>& bind) {
    Transaction txn(db);
    if (!txn.begun()) return false;
    Statement s(db, sql);
    for (const auto& key : keys) {
        s.reset();
        bind(s, key);
        if (s.step() != SQLITE_DONE) return false;
    }
    return txn.commit() == SQLITE_OK;
}

}  // namespace

const char* record_state_name(RecordState state) {
    switch (state) {
        case RecordState::pending: return "pending";
        case RecordState::in_flight: return "in_flight";
        case RecordState::delivered: return "delivered";
        case RecordState::rejected: return "rejected";
    }
    return "pending";
}

std::string make_idempotency_key() {
    unsigned char b[16];
    size_t got = 0;
    while (got < sizeof b) {
        ssize_t n = getrandom(b + got, sizeof b - got, 0);
        if (n > 0) got += size_t(n);
    }
    b[6] = (b[6] & 0x0F) | 0x40;  // version 4
    b[8] = (b[8] & 0x3F) | 0x80;  // RFC 4122 variant
    char out[37];
    std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                  b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    return out;
}

Outbox::Outbox(Database& db, int64_t cap, int64_t retention_ms) : db_(db), cap_(cap), retention_ms_(retention_ms) {}

namespace {
// Refused whole, never truncated: the guest is told and nothing half-saved remains.
std::optional<SaveResult> refuse_payload(std::string_view payload) {
    if (payload.size() > kMaxPayloadBytes)
        return failure(SaveError::invalid, "payload of " + std::to_string(payload.size()) + " bytes is over the " +
                                               std::to_string(kMaxPayloadBytes) + "-byte limit");
    if (!platform::is_valid_utf8(payload)) return failure(SaveError::invalid, "payload is not valid UTF-8");
    return std::nullopt;
}
}  // namespace

SaveResult Outbox::enqueue(std::string_view type, std::string_view payload) {
    if (auto refused = refuse_payload(payload)) return *refused;
    return save(type, {}, [&](int64_t) { return std::string(payload); }, 1, nullptr);
}

SaveResult Outbox::enqueue(std::string_view type, std::string_view payload,
                           const std::function<bool(sqlite3*)>& same_transaction) {
    if (auto refused = refuse_payload(payload)) return *refused;
    return save(type, {}, [&](int64_t) { return std::string(payload); }, 1,
                [&](sqlite3* db, const std::string&) { return !same_transaction || same_transaction(db); });
}

SaveResult Outbox::enqueue(std::string_view type, std::string_view payload,
                           const std::function<bool(sqlite3*, const std::string& key)>& same_transaction) {
    if (auto refused = refuse_payload(payload)) return *refused;
    return save(type, {}, [&](int64_t) { return std::string(payload); }, 1, same_transaction);
}

SaveResult Outbox::enqueue_anonymous(std::string_view type, std::string_view payload) {
    if (auto refused = refuse_payload(payload)) return *refused;
    return save(type, {}, [&](int64_t) { return std::string(payload); }, crm_contract::kHourMs, nullptr);
}

SaveResult Outbox::enqueue_urgent(std::string_view type, std::string_view payload) {
    if (auto refused = refuse_payload(payload)) return *refused;
    return save(type, {}, [&](int64_t) { return std::string(payload); }, 1, nullptr, /*urgent=*/true);
}

SaveResult Outbox::enqueue_before_asking(std::string_view key, std::string_view type, std::string_view payload,
                                         int64_t hold_back_ms,
                                         const std::function<bool(sqlite3*, const std::string& key)>& same_transaction) {
    if (key.empty() || key.size() > 255 || !platform::is_valid_utf8(key))
        return failure(SaveError::invalid, "idempotency key missing, too long or not UTF-8");
    if (hold_back_ms < 0 || hold_back_ms > kMaxRetryDelayMs) return failure(SaveError::invalid, "hold-back out of range");
    if (auto refused = refuse_payload(payload)) return *refused;
    return save(type, {}, [&](int64_t) { return std::string(payload); }, 1, same_transaction, /*urgent=*/false, key, hold_back_ms);
}

bool Outbox::settle_answered_online(std::string_view key, bool applied) {
    std::lock_guard<std::mutex> lock(db_.guest_mutex);
    // Only a pending record: one the worker holds in flight is settled by its own delivery.
    Statement s(db_.guest, applied ? "UPDATE outbox SET state = 'delivered', delivered_wall_ms = ? "
                                     "WHERE key = ? AND state = 'pending'"
                                   : "DELETE FROM outbox WHERE ? >= 0 AND key = ? AND state = 'pending'");
    s.bind(1, db_.clock.wall_ms()).bind(2, key);
    return s.step() == SQLITE_DONE && sqlite3_changes(db_.guest) == 1;
}

SaveResult Outbox::enqueue_numbered(std::string_view type, std::string_view counter,
                                    const std::function<std::string(int64_t number)>& payload_for) {
    if (counter.empty()) return failure(SaveError::invalid, "counter name missing");
    return save(type, counter, payload_for, 1, nullptr);
}

void Outbox::set_on_saved(std::function<void()> fn) {
    std::lock_guard<std::mutex> lock(on_saved_mutex_);
    on_saved_ = std::move(fn);
}

SaveResult Outbox::save(std::string_view type, std::string_view counter,
                        const std::function<std::string(int64_t number)>& payload_for, int64_t created_granularity_ms,
                        const std::function<bool(sqlite3*, const std::string& key)>& same_transaction,
                        bool urgent, std::string_view given_key, int64_t hold_back_ms) {
    SaveResult result = save_locked(type, counter, payload_for, created_granularity_ms, same_transaction, urgent,
                                    given_key, hold_back_ms);
    if (result.ok()) {
        std::lock_guard<std::mutex> lock(on_saved_mutex_);
        if (on_saved_) on_saved_();
    }
    return result;
}

SaveResult Outbox::save_locked(std::string_view type, std::string_view counter,
                               const std::function<std::string(int64_t number)>& payload_for, int64_t created_granularity_ms,
                               const std::function<bool(sqlite3*, const std::string& key)>& same_transaction,
                               bool urgent, std::string_view given_key, int64_t hold_back_ms) {
    if (type.empty() || type.size() > kMaxTypeBytes) return failure(SaveError::invalid, "record type missing or too long");
    if (!platform::is_valid_utf8(type)) return failure(SaveError::invalid, "record type is not valid UTF-8");

    std::lock_guard<std::mutex> lock(db_.guest_mutex);
    sqlite3* db = db_.guest;
    Transaction txn(db);
    if (!txn.begun()) return failure(classify(txn.rc()), std::string("cannot begin: ") + sqlite3_errstr(txn.rc()));

    Statement depth(db, "SELECT count(*) FROM outbox WHERE state IN ('pending', 'in_flight')");
    if (depth.step() != SQLITE_ROW) return failure(classify(depth.rc()), depth.error());
    // A call for help is never refused for a full queue: it is one small row,
    // and a kiosk whose CRM has been gone for days is where staff are needed most.
    if (depth.int_at(0) >= cap_ && !urgent)
        return failure(SaveError::queue_full, "the outbox holds " + std::to_string(depth.int_at(0)) +
                                                  " undelivered records, its cap");

    SaveResult result;
    if (!counter.empty()) {
        Statement next(db, "INSERT INTO counters (name, last_value) VALUES (?, 1) "
                           "ON CONFLICT (name) DO UPDATE SET last_value = last_value + 1 RETURNING last_value");
        next.bind(1, counter);
        if (next.step() != SQLITE_ROW) return failure(classify(next.rc()), next.error());
        result.number = next.int_at(0);
    }
    std::string payload = payload_for(result.number);
    if (auto refused = refuse_payload(payload)) return *refused;  // rolls the counter back with it

    result.key = given_key.empty() ? make_idempotency_key() : std::string(given_key);
    int64_t now = db_.clock.wall_ms();
    int64_t created = created_granularity_ms > 1 ? now - now % created_granularity_ms : now;
    Statement insert(db, "INSERT INTO outbox (key, type, payload, created_wall_ms, next_attempt_ms, state, priority) "
                         "VALUES (?, ?, ?, ?, ?, 'pending', ?)");
    insert.bind(1, result.key).bind(2, type).bind(3, payload).bind(4, created).bind(5, now + hold_back_ms).bind(6, int64_t(urgent ? 1 : 0));
    if (insert.step() != SQLITE_DONE) return failure(classify(insert.rc()), insert.error());
    result.seq = sqlite3_last_insert_rowid(db);

    if (same_transaction && !same_transaction(db, result.key))
        return failure(SaveError::invalid, "the action's own statements failed; nothing was saved");

    // Durable once COMMIT returns: synchronous=FULL fsyncs the WAL here.
    int rc = txn.commit();
    if (rc != SQLITE_OK) return failure(classify(rc), std::string("commit failed: ") + sqlite3_errstr(rc));
    return result;
}

SaveResult Outbox::enqueue_with_code(
    std::string_view type, const std::function<std::string()>& new_code,
    const std::function<std::string(const std::string& code)>& payload_for,
    const std::function<bool(sqlite3*, const std::string& key, const std::string& code)>& same_transaction) {
    for (int attempt = 0; attempt < kCodeAttempts; ++attempt) {
        std::string code = new_code();
        if (code.empty()) return failure(SaveError::io_error, "no code: the random source failed");
        bool clash = false;
        int64_t now = db_.clock.wall_ms();
        SaveResult result = save(
            type, {}, [&](int64_t) { return payload_for(code); }, 1, [&](sqlite3* db, const std::string& key) {
                if (!claim_code(db, code, now)) {
                    clash = true;
                    return false;
                }
                return !same_transaction || same_transaction(db, key, code);
            });
        if (clash) continue;  // everything rolled back: try a fresh code
        result.code = result.ok() ? code : "";
        return result;
    }
    return failure(SaveError::invalid, "no unused code after " + std::to_string(kCodeAttempts) + " attempts");
}

bool Outbox::claim_code(sqlite3* db, const std::string& code, int64_t wall_ms) {
    Statement s(db, "INSERT OR IGNORE INTO issued_codes (code, issued_wall_ms) VALUES (?, ?)");
    s.bind(1, code).bind(2, wall_ms);
    return s.step() == SQLITE_DONE && sqlite3_changes(db) == 1;
}

bool Outbox::code_issued(std::string_view code) {
    std::lock_guard<std::mutex> lock(db_.guest_mutex);
    Statement s(db_.guest, "SELECT 1 FROM issued_codes WHERE code = ?");
    s.bind(1, code);
    return s.step() == SQLITE_ROW;
}

// Valid only inside same_transaction, before the caller inserts rows of its
// own: the outbox row is then the connection's last insert.
std::string Outbox::enqueued_key(sqlite3* db) {
    Statement s(db, "SELECT key FROM outbox WHERE seq = ?");
    s.bind(1, int64_t(sqlite3_last_insert_rowid(db)));
    return s.step() == SQLITE_ROW ? s.text_at(0) : "";
}

std::optional<OutboxRecord> Outbox::find(std::string_view key) {
    std::lock_guard<std::mutex> lock(db_.guest_mutex);
    std::string sql = std::string("SELECT ") + kRecordColumns + " FROM outbox WHERE key = ?";
    Statement s(db_.guest, sql.c_str());
    s.bind(1, key);
    if (s.step() != SQLITE_ROW) return std::nullopt;
    return read_record(s);
}

std::optional<OutboxRecord> Outbox::find_latest(std::string_view type, std::string_view field,
                                                std::string_view value) {
    std::lock_guard<std::mutex> lock(db_.guest_mutex);
    // json_extract on a payload that is not JSON is an error for that row only
    // when evaluated; json_valid() keeps such a row from failing the search.
    std::string sql = std::string("SELECT ") + kRecordColumns +
                      " FROM outbox WHERE type = ? AND json_valid(payload) AND json_extract(payload, ?) = ?"
                      " ORDER BY seq DESC LIMIT 1";
    Statement s(db_.guest, sql.c_str());
    s.bind(1, type).bind(2, "$." + std::string(field)).bind(3, value);
    if (s.step() != SQLITE_ROW) return std::nullopt;
    return read_record(s);
}

namespace {
OutboxStats read_stats(sqlite3* db) {
    OutboxStats stats;
    Statement counts(db, "SELECT state, count(*) FROM outbox GROUP BY state");
    while (counts.step() == SQLITE_ROW) {
        int64_t n = counts.int_at(1);
        switch (parse_state(counts.text_at(0))) {
            case RecordState::pending: stats.pending = n; break;
            case RecordState::in_flight: stats.in_flight = n; break;
            case RecordState::delivered: stats.delivered = n; break;
            case RecordState::rejected: stats.rejected = n; break;
        }
    }
    Statement oldest(db, "SELECT min(created_wall_ms) FROM outbox WHERE state IN ('pending', 'in_flight')");
    if (oldest.step() == SQLITE_ROW && !oldest.is_null(0)) stats.oldest_pending_wall_ms = oldest.int_at(0);
    Statement last(db, "SELECT max(delivered_wall_ms) FROM outbox WHERE state = 'delivered'");
    if (last.step() == SQLITE_ROW && !last.is_null(0)) stats.last_delivered_wall_ms = last.int_at(0);
    return stats;
}
}  // namespace

OutboxStats Outbox::stats() {
    std::lock_guard<std::mutex> lock(db_.guest_mutex);
    return read_stats(db_.guest);
}

OutboxStats Outbox::worker_stats() {
    std::lock_guard<std::mutex> lock(db_.worker_mutex);
    return read_stats(db_.worker);
}

std::vector<OutboxRecord> Outbox::rejected(int limit) {
    std::lock_guard<std::mutex> lock(db_.guest_mutex);
    std::string sql =
        std::string("SELECT ") + kRecordColumns + " FROM outbox WHERE state = 'rejected' ORDER BY seq DESC LIMIT ?";
    Statement s(db_.guest, sql.c_str());
    s.bind(1, int64_t(limit));
    std::vector<OutboxRecord> out;
    while (s.step() == SQLITE_ROW) out.push_back(read_record(s));
    return out;
}

std::vector<OutboxRecord> Outbox::claim_batch(size_t max) {
    std::lock_guard<std::mutex> lock(db_.worker_mutex);
    sqlite3* db = db_.worker;
    std::vector<OutboxRecord> batch;
    Transaction txn(db);
    if (!txn.begun()) return batch;
    std::string sql = std::string("SELECT ") + kRecordColumns +
                      " FROM outbox WHERE state = 'pending' AND (next_attempt_ms <= ? OR next_attempt_ms > ?)"
                      " ORDER BY priority DESC, seq LIMIT ?";
    Statement select(db, sql.c_str());
    int64_t now = db_.clock.wall_ms();
    select.bind(1, now).bind(2, now + kMaxRetryDelayMs).bind(3, int64_t(max));
    while (select.step() == SQLITE_ROW) batch.push_back(read_record(select));
    Statement mark(db, "UPDATE outbox SET state = 'in_flight' WHERE seq = ?");
    for (auto& record : batch) {
        mark.reset();
        mark.bind(1, record.seq);
        if (mark.step() != SQLITE_DONE) return {};
        record.state = RecordState::in_flight;
    }
    if (txn.commit() != SQLITE_OK) return {};
    return batch;
}

bool Outbox::mark_delivered(const std::vector<std::string>& keys) {
    std::lock_guard<std::mutex> lock(db_.worker_mutex);
    int64_t now = db_.clock.wall_ms();
    return update_each(db_.worker,
                       "UPDATE outbox SET state = 'delivered', delivered_wall_ms = ?, attempts = attempts + 1, "
                       "last_error = NULL WHERE key = ?",
                       keys, [now](Statement& s, const std::string& key) { s.bind(1, now).bind(2, key); });
}

bool Outbox::mark_rejected(const std::string& key, const std::string& reason) {
    std::lock_guard<std::mutex> lock(db_.worker_mutex);
    return update_each(db_.worker,
                       "UPDATE outbox SET state = 'rejected', reject_reason = ?, attempts = attempts + 1 WHERE key = ?",
                       {key}, [&reason](Statement& s, const std::string& k) { s.bind(1, reason).bind(2, k); });
}

bool Outbox::mark_retry(const std::vector<std::string>& keys, int64_t next_attempt_wall_ms, const std::string& error) {
    std::lock_guard<std::mutex> lock(db_.worker_mutex);
    int64_t now = db_.clock.wall_ms();
    next_attempt_wall_ms = std::min(next_attempt_wall_ms, now + kMaxRetryDelayMs);
    int64_t urgent_next = std::min(next_attempt_wall_ms, now + kUrgentRetryMaxMs);
    return update_each(db_.worker,
                       "UPDATE outbox SET state = 'pending', attempts = attempts + 1, "
                       "next_attempt_ms = CASE WHEN priority > 0 THEN ? ELSE ? END, "
                       "last_error = ? WHERE key = ? AND state = 'in_flight'",
                       keys, [&](Statement& s, const std::string& key) {
                           s.bind(1, urgent_next).bind(2, next_attempt_wall_ms).bind(3, error).bind(4, key);
                       });
}

int64_t Outbox::release_in_flight() {
    std::lock_guard<std::mutex> lock(db_.worker_mutex);
    Statement s(db_.worker, "UPDATE outbox SET state = 'pending' WHERE state = 'in_flight'");
    return s.step() == SQLITE_DONE ? sqlite3_changes(db_.worker) : 0;
}

std::optional<int64_t> Outbox::next_due_wall_ms() {
    std::lock_guard<std::mutex> lock(db_.worker_mutex);
    Statement s(db_.worker, "SELECT min(next_attempt_ms) FROM outbox WHERE state = 'pending'");
    if (s.step() != SQLITE_ROW || s.is_null(0)) return std::nullopt;
    int64_t now = db_.clock.wall_ms();
    return s.int_at(0) > now + kMaxRetryDelayMs ? now : s.int_at(0);  // the clock went back: due now
}

int64_t Outbox::make_due_now() {
    std::lock_guard<std::mutex> lock(db_.worker_mutex);
    Statement s(db_.worker, "UPDATE outbox SET next_attempt_ms = ? WHERE state = 'pending' AND next_attempt_ms > ?");
    int64_t now = db_.clock.wall_ms();
    s.bind(1, now);
    s.bind(2, now);
    return s.step() == SQLITE_DONE ? sqlite3_changes(db_.worker) : 0;
}

int64_t Outbox::prune_delivered() {
    std::lock_guard<std::mutex> lock(db_.worker_mutex);
    Statement s(db_.worker, "DELETE FROM outbox WHERE state = 'delivered' AND delivered_wall_ms < ?");
    s.bind(1, db_.clock.wall_ms() - retention_ms_);
    return s.step() == SQLITE_DONE ? sqlite3_changes(db_.worker) : 0;
}

}  // namespace offline_cache
