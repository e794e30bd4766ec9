// crm-server/store.h — the CRM's SQLite database: numbered migrations and every
// operation the HTTP routes need, each one transaction.
//
// Invariants:
//   - Prepared statements only: request data is bound, never spliced into SQL.
//   - One mutex serialises callers, so each operation's transaction is whole.
//   - Every record passes crm_contract::check_record() (size, depth, text,
//     number bounds) before it is stored, and is re-read with the same bounds.
//   - Anonymous records (crm_contract::is_anonymous_type) are stored apart,
//     with a random id, no rowid and times to the hour: nothing stored or
//     listed orders them against a kiosk's other records.
//   - Each outbox record is applied inside its own savepoint: a rejected record
//     leaves nothing behind and does not affect the others in its batch.
//   - The rules live in the schema too: balances CHECK (>= 0), one live
//     booking per slot and one visit per person, department and day are
//     UNIQUE indexes, an idempotency key is UNIQUE and kept for ever.
//
// Index
//   Statement                                   a prepared statement: bind by position, step, read columns
//   Store::open(path, &error)                   open or create; apply the migrations up to kSchemaVersion
//   Store::schema_version()                     PRAGMA user_version
//   Store::ingest(kiosk_id, records, source)    a batch of outbox records → one result each, one transaction;
//                                               nullopt when the database failed (nothing kept: answer 503);
//                                               anonymous types go to their own unordered table (migration 10);
//                                               a queued redemption refused for a known member is kept as a void voucher
//   Store::content(name) / put_content(...)     content entries with their ETags; content_index()
//   Store::image(id) / put_image(id, type, bytes)   promotion images with their ETags
//   Store::sign_in(kiosk_id, card, pin)         PIN check, slowed per card and per kiosk (guessing.h); an unknown
//                                               card costs and answers exactly like a wrong PIN; the answer lists
//                                               void vouchers not shown before (and marks them shown)
//   Store::open_member_session(card, kiosk, daily_cap)   after a right PIN: a new session token (stored as a hash)
//                                               and the offline grant for that card at that kiosk (member_trust.cpp)
//   Store::session_card(token, kiosk)           the card of a live session at that kiosk (idle time restarts), or nullopt
//   Store::end_member_session(token, kiosk)     sign-out: the session ends now
//   Store::reward_price(reward)                 the catalogue's price ({"reward", "mode", "points", "cash_fen"})
//   Store::member(card)                         balance, tier, next tier, history, points by month, expiring
//   Store::recipient(card)                      a gift recipient: last four digits and masked name, nothing more
//   Store::record_purchase(card, fen, note)     points earned at billing, by points_rules.h
//   Store::complaint(ticket, &phone_last4)      a complaint's timeline, unguarded (staff); advance_complaint(ticket) moves it on
//   Store::look_up_complaint(kiosk, ticket, guard)   the kiosk look-up: phone digits or look-up code, throttled
//   Store::free_slots(department, day)          future slots with no live booking
//   Store::booking(code, &phone_last4, &person) a booking's status, unguarded (refusals and alternatives too)
//   Store::look_up_booking(kiosk, code, guard)  the kiosk look-up: phone digits or the member's person id, throttled
//   Store::batch_wait_ms(kiosk, records)        > 0: a guarded booking change in the batch must wait (429)
//   Store::guessing(page)                       staff: every guess counter, latest failure first
//   Store::record_page(kind, id, guard, client) the phone page behind a ticket's, slip's or voucher's QR code:
//                                               shown, or one not_available answer (unknown / wrong / not yet), throttled
//   Store::upcoming_bookings(person)            a person's live and refused future visits, earliest first
//   Store::help_request(id, kiosk_id)           one call for help, for the kiosk that made it only
//   Store::open_help_requests()                 calls for help no one has acknowledged, oldest first, with their age
//   Store::acknowledge_help(id, staff)          staff are on their way (the first acknowledgement stands); nullopt: no such call
//   Store::heartbeat(kiosk_id, beat)            a kiosk's latest state
//   Store::list_records(types, page)            staff lists, newest first (anonymous ones: by hour, then random);
//                                               stored payloads re-parsed with the contract's bounds; list_kiosks(page)
//   Store::count_records(type)                  stored records (tests and the bench)
//   Store::seed_demo(flows_path, time_zone)     the demo hospital (demo_seed.cpp), clinic hours local to the zone
//   Store::put_time_zone(zone)                  the hospital's zone, served as content "time_zone"
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "crm_contract/record_pages.h"
#include "guessing.h"
#include "platform/clock.h"

namespace crm {

using nlohmann::json;

constexpr int kSchemaVersion = 15;
constexpr size_t kMaxHelpScreenBytes = 32;  // a screen name: [a-z_]{1,32}
// Member sessions end after this long without a request (the CRM's clock), and
// in any case this long after the sign-in.
constexpr int64_t kSessionIdleMs = 5 * 60 * 1000;
constexpr int64_t kSessionMaxMs = 30 * 60 * 1000;
// An offline grant may be spent on the kiosk until it expires; records citing
// it are accepted until kGrantDeliveryGraceMs after that (a kiosk offline longer
// than a week has its queued spending refused: void vouchers).
constexpr int64_t kGrantLifetimeMs = 24 * 60 * 60 * 1000;
constexpr int64_t kGrantDeliveryGraceMs = 7 * 24 * 60 * 60 * 1000LL;

class Statement {
public:
    Statement(sqlite3* db, const char* sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement& text(int i, const std::string& v);
    Statement& integer(int i, int64_t v);
    Statement& blob(int i, const std::string& v);
    int step();
    bool done() { return step() == SQLITE_DONE; }  // for INSERT/UPDATE: ran without error
    std::string text_at(int column);
    std::string blob_at(int column);
    int64_t int_at(int column);

private:
    sqlite3_stmt* stmt_ = nullptr;
};

// One outbox record as the kiosk sent it (payload: the record's JSON as text).
struct OutboxRecord {
    std::string key, type, payload;
    int64_t created_at_ms = 0;
};

struct IngestResult {
    std::string key;
    std::string status;  // accepted | duplicate | rejected
    std::string reason;  // set when rejected
};

struct Content {
    std::string body, etag;
};

// A promotion's picture: bytes exactly as staff uploaded them (the CRM does not
// decode them; kiosks check type, size and dimensions before showing one).
struct Image {
    std::string content_type, body, etag;
};

// No field tells a wrong PIN from an unknown card: both are wrong_card_or_pin.
struct SignIn {
    enum class Outcome { ok, wrong_card_or_pin, wait } outcome = Outcome::wrong_card_or_pin;
    int64_t wait_ms = 0;  // wait: the card or the kiosk guessed too often; no PIN was checked
    json member;          // ok
};

// What a guarded look-up may give. The guard is what the guest typed: the
// phone's last four digits, or the look-up code shown with a ticket, or (for
// a member's booking) the person id — the hook a member session replaces.
struct LookUpGuard {
    std::string phone_last4, lookup_code, person;
};
struct LookUp {
    enum class Outcome { found, not_found, wait } outcome = Outcome::not_found;
    int64_t wait_ms = 0;  // wait: this code or this kiosk guessed too often; nothing was checked
    json status;          // found
};

struct Heartbeat {
    std::string version, last_error, printer;
    int64_t queue_depth = 0, oldest_pending_ms = 0, last_success_ms = 0, rejected = 0;
    // The appliance's health (docs/deployment.md); each bounded at the route.
    int64_t uptime_s = 0, restarts_since_boot = 0, disk_free_mb = -1, oldest_pending_age_s = 0;
    std::string watchdog;  // "on" | "off" | "out_of_service" ("" from kiosks before 0.2)
};

struct Page {
    int64_t page = 1;       // from 1
    int64_t per_page = 50;  // 1–500
};

enum class Advance { moved, no_such_ticket, already_closed };

// The page a guest's phone opens from a QR code (issue 14; crm_contract/record_pages.h).
struct RecordPage {
    enum class Outcome { shown, not_available, wait };
    Outcome outcome = Outcome::not_available;  // not_available: unknown, wrong guard or not yet received — one answer
    int64_t wait_ms = 0;                       // wait: this code or this client guessed too often; nothing was checked
    json record;                               // shown: what the page shows (never a name, card or phone), with "time_zone"
};

class Store {
public:
    explicit Store(platform::Clock& clock);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    bool open(const std::string& path, std::string* error);
    int schema_version();

    // outbox: records that waited in a kiosk's outbox; the member was told "done"
    // and must hear it if it was refused. direct: answered at once (the member sees it then).
    enum class Source { outbox, direct };
    // nullopt: the database failed (storage, not the records): nothing of the
    // batch is kept and the caller answers 503 so the kiosk sends it again.
    std::optional<std::vector<IngestResult>> ingest(const std::string& kiosk_id,
                                                    const std::vector<OutboxRecord>& records,
                                                    Source source = Source::outbox);

    std::optional<Content> content(const std::string& name);
    // Replaces a content entry; "" or why not (a survey version may not change once published).
    std::string put_content(const std::string& name, const std::string& body);
    Content content_index();  // {"items": [{"name", "etag"}]}, with an ETag of its own
    std::optional<Image> image(const std::string& id);
    // Stores or replaces an image; false on a storage error. The ETag is a hash of the bytes.
    bool put_image(const std::string& id, const std::string& content_type, const std::string& body);

    SignIn sign_in(const std::string& kiosk_id, const std::string& card, const std::string& pin);
    // The day's offline allowance per card across all kiosks (CrmOptions::offline_daily_cap_points).
    void set_offline_daily_cap(int64_t points) { offline_daily_cap_ = points; }
    json open_member_session(const std::string& card, const std::string& kiosk_id);
    std::optional<std::string> session_card(const std::string& token, const std::string& kiosk_id);
    void end_member_session(const std::string& token, const std::string& kiosk_id);
    std::optional<json> reward_price(const std::string& reward);
    std::optional<json> member(const std::string& card);
    std::optional<json> recipient(const std::string& card);
    std::optional<json> record_purchase(const std::string& card, int64_t amount_fen, const std::string& note);

    std::optional<json> complaint(const std::string& ticket, std::string* phone_last4);
    LookUp look_up_complaint(const std::string& kiosk_id, const std::string& ticket, const LookUpGuard& guard);
    Advance advance_complaint(const std::string& ticket, json* status);

    json free_slots(const std::string& department, const std::string& day);
    // The guard values come back for the route to compare (as for complaints).
    std::optional<json> booking(const std::string& code, std::string* phone_last4, std::string* person);
    json upcoming_bookings(const std::string& person);
    LookUp look_up_booking(const std::string& kiosk_id, const std::string& code, const LookUpGuard& guard);
    int64_t batch_wait_ms(const std::string& kiosk_id, const std::vector<OutboxRecord>& records);
    json guessing(Page page);
    // The phone page of a record, guarded by its random guard and counted like a
    // look-up: per code (shared with the kiosk look-ups) and per client address.
    RecordPage record_page(crm_contract::RecordPageKind kind, const std::string& id, const std::string& guard,
                           const std::string& client);

    std::optional<json> help_request(const std::string& id, const std::string& kiosk_id);
    json open_help_requests();
    std::optional<json> acknowledge_help(const std::string& id, const std::string& staff);

    void heartbeat(const std::string& kiosk_id, const Heartbeat& beat);
    json list_records(const std::vector<std::string>& types, Page page);
    // stale: no heartbeat for stale_after_ms (three missed beats); revoked: refused whatever it signs.
    json list_kiosks(Page page, int64_t stale_after_ms = 180'000);
    // One kiosk's secret withdrawn without touching the others (its requests get 401 revoked_kiosk).
    void revoke_kiosk(const std::string& kiosk_id, bool revoked);
    bool kiosk_revoked(const std::string& kiosk_id);
    // The watchdog thread's question: the database lock can be taken and a query runs.
    bool answers();
    int64_t count_records(const std::string& type);

    void seed_demo(const std::string& flows_path, const std::string& time_zone);
    // Content "time_zone": {"version": zone, "time_zone": zone}, replaced when the zone changed.
    void put_time_zone(const std::string& zone);

private:
    // All below run with mutex_ held, inside the caller's transaction.
    IngestResult ingest_one(const std::string& kiosk_id, const OutboxRecord& record, Source source);
    void keep_void_voucher(const std::string& kiosk_id, const OutboxRecord& record, const json& payload,
                           const std::string& reason);
    json take_void_vouchers(const std::string& card);
    std::string apply(const std::string& kiosk_id, const std::string& key, const std::string& type, const json& payload);
    std::string apply_complaint(const std::string& key, const json& payload);
    std::string keep_record_page(const std::string& key, const std::string& type, const json& payload);
    std::optional<json> void_voucher_page(const std::string& id, const std::string& guard_hash);
    std::optional<json> record_page_body(crm_contract::RecordPageKind kind, const std::string& id,
                                         const std::string& record_key);
    std::string apply_help(const std::string& kiosk_id, const std::string& key, const json& payload);
    std::string apply_booking(const std::string& kiosk_id, const std::string& type, const json& payload);
    std::string check_booking_guard(const std::string& kiosk_id, const std::string& code, const json& payload);
    std::optional<json> booking_locked(const std::string& code, std::string* phone_last4, std::string* person);
    // Guess counters (guessing.h), in the caller's transaction.
    int64_t guess_wait_ms(GuessScope scope, const std::string& subject, int64_t now_ms);
    void note_guess_failure(GuessScope scope, const std::string& subject, const std::string& label, int64_t now_ms);
    void forget_guesses(GuessScope scope, const std::string& subject);
    void note_booking_refusal(const std::string& key, const std::string& type, const json& payload,
                              const std::string& reason);
    json slot_json(const std::string& slot_id);
    json nearest_free_slots(const std::string& department, int64_t wanted_ms, int count);
    std::string move_points(const std::string& type, const json& payload);
    // member_trust.cpp: a queued (outbox) spending must cite a grant to that kiosk for that card, within caps.
    std::string spend_under_grant(const std::string& kiosk_id, const std::string& type, const json& payload);
    std::optional<json> reward_price_locked(const std::string& reward);
    std::string grant_key_locked();
    std::string check_survey_answer(const json& payload);
    void add_points(const std::string& card, int64_t delta, const char* kind, const std::string& note, int64_t at_ms);
    std::string put_content_locked(const std::string& name, const std::string& body);
    bool put_image_locked(const std::string& id, const std::string& content_type, const std::string& body);
    std::optional<json> member_locked(const std::string& card);
    std::optional<json> complaint_locked(const std::string& ticket, std::string* phone_last4);
    int current_year();
    void exec(const char* sql);
    void seed_demo_members();
    void seed_demo_schedule(const std::string& time_zone);
    void seed_demo_content(const std::string& flows_path);
    void seed_demo_images();

    platform::Clock& clock_;
    std::string time_zone_ = "Asia/Shanghai";  // the hospital's (put_time_zone): its years, months and birthdays
    platform::LocalTime local(int64_t wall_ms) const {
        return clock_.local_time(wall_ms, time_zone_).value_or(platform::LocalTime{});
    }
    int64_t offline_daily_cap_ = 2000;
    sqlite3* db_ = nullptr;
    std::mutex mutex_;
};

}  // namespace crm
