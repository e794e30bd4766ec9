// offline_cache/outbox.h — every write the kiosk makes, kept until the CRM has it.
//
// A record (feedback, survey answer, complaint, booking and its changes,
// redemption, points gift, …) gets an idempotency key made here (UUID v4) and
// is durable before enqueue() returns, so the screen may say "saved". The sync
// worker sends records oldest first (by sequence number, never by the kiosk's
// clock), possibly more than once; the CRM de-duplicates by key. A record the
// CRM rejects is kept for staff and never blocks the ones behind it.
//
// Index — UI thread (guest connection)
//   enqueue(type, payload)                    save a record; SaveResult says ok (with its key) or why not
//   enqueue(type, payload, same_transaction)  also run the caller's statements in the same transaction
//                                             (given the connection, and the new record's key if it asks for it)
//   enqueue_anonymous(type, payload)          save with its creation time kept to the hour only (feedback, surveys)
//   enqueue_numbered(type, counter, payload_for)   take the next number of a durable counter and save the record carrying it
//   enqueue_urgent(type, payload)             save a record in the priority lane (a call for help): claimed before
//                                             every ordinary record, its retries never wait longer than kUrgentRetryMaxMs
//   enqueue_with_code(type, new_code, payload_for[, same_transaction])   save a record carrying a fresh random code
//                                             (ticket, booking code) this store never issued before; a clash is retried
//   claim_code(db, code)                      inside a transaction: mark a code issued; false if it was already
//   code_issued(code)                         this store issued the code (tests, and after a failed save)
//   enqueue_before_asking(key, type, payload, hold_back_ms, same_transaction)
//                                             one guest action also asked online at once: saved FIRST under the key
//                                             the online request carries, not due before now + hold_back_ms
//   settle_answered_online(key, applied)      the online answer came: a pending record becomes delivered
//                                             (applied) or is withdrawn (refused: it never applied); false when
//                                             the sync worker holds it (its delivery then settles it, once)
//   find_latest(type, field, value)           the newest record of a type whose payload field equals value (a ticket)
//   find(key)                                 one record, e.g. to show "waiting to be sent"
//   stats()                                   depth, oldest pending, rejected, last delivery (heartbeat, staff)
//   rejected(limit)                           rejected records with the CRM's reasons (staff)
//   enqueued_key(db)                          inside same_transaction: the key of the record being saved
//   set_on_saved(fn)                          fn runs on the saving thread after each record is durable, outside the
//                                             store's locks: how the sync worker hears of a new record at once
// Index — sync worker thread (worker connection)
//   claim_batch(max)                          due pending records, urgent ones first, then oldest first, marked in flight
//   mark_delivered(keys)                      the CRM has them (accepted or duplicate)
//   mark_rejected(key, reason)                the CRM refused it for good
//   mark_retry(keys, next_attempt, error)     back to pending, one more attempt counted (at most kMaxRetryDelayMs ahead)
//   release_in_flight()                       everything in flight back to pending (after a failed send)
//   next_due_wall_ms()                        when the earliest pending record is due (nullopt: none)
//   make_due_now()                            every pending record due at once ("sync now"); returns how many moved
//   prune_delivered()                         delete delivered records past retention; returns how many
//   worker_stats()                            stats() on the worker's connection (for the heartbeat)
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crm_contract/records.h"

struct sqlite3;

namespace offline_cache {

struct Database;

enum class RecordState { pending, in_flight, delivered, rejected };
const char* record_state_name(RecordState state);

struct OutboxRecord {
    int64_t seq = 0;
    std::string key;
    std::string type;
    std::string payload;
    int64_t created_wall_ms = 0;
    int attempts = 0;
    int64_t next_attempt_wall_ms = 0;
    RecordState state = RecordState::pending;
    std::string reject_reason;
    std::string last_error;
    bool urgent = false;  // the priority lane (enqueue_urgent)
};

enum class SaveError { none, queue_full, disk_full, io_error, invalid };

struct SaveResult {
    SaveError error = SaveError::none;
    std::string key;        // the record's idempotency key when saved
    int64_t seq = 0;
    int64_t number = 0;     // enqueue_numbered: the counter value the record carries
    std::string code;       // enqueue_with_code: the code the record carries
    std::string message;    // why not, in words for the log
    bool ok() const { return error == SaveError::none; }
};

struct OutboxStats {
    int64_t pending = 0;
    int64_t in_flight = 0;
    int64_t rejected = 0;
    int64_t delivered = 0;
    std::optional<int64_t> oldest_pending_wall_ms;
    std::optional<int64_t> last_delivered_wall_ms;
    int64_t depth() const { return pending + in_flight; }
};

inline constexpr size_t kMaxPayloadBytes = crm_contract::kMaxPayloadBytes;
// No retry is scheduled further ahead than this. A record due later than
// now + this can only mean the kiosk's clock went back: it is due at once,
// instead of being stuck until the clock catches up.
inline constexpr int64_t kMaxRetryDelayMs = 10 * 60 * 1000;
inline constexpr size_t kMaxTypeBytes = crm_contract::kMaxTypeBytes;
// A guest waiting for staff must not wait for a backoff meant for a lobby of
// kiosks: an urgent record is tried again at least this often.
inline constexpr int64_t kUrgentRetryMaxMs = 5'000;

class Outbox {
public:
    Outbox(Database& db, int64_t cap, int64_t retention_ms);

    SaveResult enqueue(std::string_view type, std::string_view payload);
    // same_transaction runs inside the enqueue's transaction on the guest
    // connection; returning false rolls everything back (SaveError::invalid).
    SaveResult enqueue(std::string_view type, std::string_view payload,
                       const std::function<bool(sqlite3*)>& same_transaction);
    // The same, for statements that must name the record (e.g. a member's hold on points it spends).
    SaveResult enqueue(std::string_view type, std::string_view payload,
                       const std::function<bool(sqlite3*, const std::string& key)>& same_transaction);
    // Anonymous records: the stored (and sent) creation time is truncated to
    // the hour, so neither this file nor the CRM can put the answer next to
    // a person's exact moment at the glass.
    SaveResult enqueue_anonymous(std::string_view type, std::string_view payload);
    // One key per guest action: a lost online reply and the later delivery of
    // this record apply once at the CRM (the key decides there).
    SaveResult enqueue_before_asking(std::string_view key, std::string_view type, std::string_view payload,
                                     int64_t hold_back_ms,
                                     const std::function<bool(sqlite3*, const std::string& key)>& same_transaction);
    bool settle_answered_online(std::string_view key, bool applied);
    // The counter moves in the record's own transaction: after a crash either
    // both happened or neither, and a restart never hands out a number again.
    SaveResult enqueue_numbered(std::string_view type, std::string_view counter,
                                const std::function<std::string(int64_t number)>& payload_for);
    // The priority lane: a call for help goes ahead of everything already queued.
    SaveResult enqueue_urgent(std::string_view type, std::string_view payload);
    // Codes are random (no counter to lose with a rebuilt store); each is
    // claimed in the record's own transaction, and a code this store issued
    // before — astronomically unlikely — is replaced by a fresh one, up to
    // kCodeAttempts times, so the record is never lost to a clash.
    static constexpr int kCodeAttempts = 8;
    SaveResult enqueue_with_code(std::string_view type, const std::function<std::string()>& new_code,
                                 const std::function<std::string(const std::string& code)>& payload_for,
                                 const std::function<bool(sqlite3*, const std::string& key, const std::string& code)>&
                                     same_transaction = nullptr);
    static bool claim_code(sqlite3* db, const std::string& code, int64_t wall_ms);
    bool code_issued(std::string_view code);
    std::optional<OutboxRecord> find(std::string_view key);
    std::optional<OutboxRecord> find_latest(std::string_view type, std::string_view field, std::string_view value);
    OutboxStats stats();
    std::vector<OutboxRecord> rejected(int limit);
    static std::string enqueued_key(sqlite3* db);

    std::vector<OutboxRecord> claim_batch(size_t max);
    bool mark_delivered(const std::vector<std::string>& keys);
    bool mark_rejected(const std::string& key, const std::string& reason);
    bool mark_retry(const std::vector<std::string>& keys, int64_t next_attempt_wall_ms, const std::string& error);
    int64_t release_in_flight();
    std::optional<int64_t> next_due_wall_ms();
    int64_t make_due_now();
    int64_t prune_delivered();
    OutboxStats worker_stats();

    void set_on_saved(std::function<void()> fn);

private:
    SaveResult save(std::string_view type, std::string_view counter,
                    const std::function<std::string(int64_t number)>& payload_for, int64_t created_granularity_ms,
                    const std::function<bool(sqlite3*, const std::string& key)>& same_transaction,
                    bool urgent = false, std::string_view given_key = {}, int64_t hold_back_ms = 0);
    SaveResult save_locked(std::string_view type, std::string_view counter,
                    const std::function<std::string(int64_t number)>& payload_for, int64_t created_granularity_ms,
                    const std::function<bool(sqlite3*, const std::string& key)>& same_transaction, bool urgent,
                    std::string_view given_key, int64_t hold_back_ms);

    Database& db_;
    int64_t cap_;
    int64_t retention_ms_;
    std::mutex on_saved_mutex_;  // held while on_saved_ runs, so clearing it waits for a call in progress
    std::function<void()> on_saved_;
};

// A fresh UUID v4 from the kernel's random source: unique across kiosks without asking anyone.
std::string make_idempotency_key();

}  // namespace offline_cache
