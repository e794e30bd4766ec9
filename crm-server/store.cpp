#include "store.h"

#include <cctype>
#include <ctime>
#include <iterator>
#include <map>
#include <set>
#include <vector>
#include <algorithm>

#include "auth.h"
#include "crm_contract/masking.h"
#include "crm_contract/record_pages.h"
#include "crm_contract/records.h"
#include "points_rules.h"

namespace crm {

namespace {

// The CRM's own migrations; migration N takes user_version from N-1 to N, in
// one transaction. Never edit a released one: add the next.
const char* const kMigrations[] = {
    // 1: outbox records under their idempotency keys, content, kiosk heartbeats.
    R"sql(
    CREATE TABLE records (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        key          TEXT NOT NULL UNIQUE,   -- the kiosk's idempotency key, kept for ever
        kiosk_id     TEXT NOT NULL,
        type         TEXT NOT NULL,
        payload      TEXT NOT NULL,
        payload_sha  TEXT NOT NULL,
        created_ms   INTEGER NOT NULL,       -- the kiosk's clock, for information only
        received_ms  INTEGER NOT NULL
    );
    CREATE INDEX records_by_type ON records (type, seq);
    CREATE TABLE content (name TEXT PRIMARY KEY, body TEXT NOT NULL, etag TEXT NOT NULL);
    CREATE TABLE kiosks (
        kiosk_id TEXT PRIMARY KEY, version TEXT, queue_depth INTEGER, oldest_pending_ms INTEGER,
        last_success_ms INTEGER, last_error TEXT, seen_ms INTEGER NOT NULL
    );
    )sql",
    // 2: complaints move through the stages of the complaint flow, each with the time it was reached.
    R"sql(
    CREATE TABLE complaints (
        ticket       TEXT PRIMARY KEY,      -- made on the kiosk, unique across kiosks
        record_key   TEXT NOT NULL UNIQUE REFERENCES records (key),
        phone_last4  TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE complaint_stages (
        ticket     TEXT NOT NULL REFERENCES complaints (ticket),
        stage      TEXT NOT NULL,
        reached_ms INTEGER NOT NULL,
        PRIMARY KEY (ticket, stage)
    );
    )sql",
    // 3: members, their points ledger, and the PIN lockout.
    R"sql(
    CREATE TABLE members (
        card            TEXT PRIMARY KEY,
        pin_salt        TEXT NOT NULL,
        pin_hash        TEXT NOT NULL,          -- sha256(salt + pin): never the PIN itself
        name            TEXT NOT NULL,
        birthday        TEXT NOT NULL DEFAULT '', -- MM-DD
        year_spend_fen  INTEGER NOT NULL DEFAULT 0,
        balance         INTEGER NOT NULL DEFAULT 0 CHECK (balance >= 0),
        failed_pins     INTEGER NOT NULL DEFAULT 0,
        locked_until_ms INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE ledger (
        seq    INTEGER PRIMARY KEY AUTOINCREMENT,
        card   TEXT NOT NULL REFERENCES members (card),
        delta  INTEGER NOT NULL,
        kind   TEXT NOT NULL CHECK (kind IN ('earned', 'redeemed', 'gifted', 'received')),
        note   TEXT NOT NULL DEFAULT '',
        at_ms  INTEGER NOT NULL
    );
    CREATE INDEX ledger_by_card ON ledger (card, seq);
    )sql",
    // 4: departments, doctors' schedules as slots, and bookings that cannot double-book a slot.
    R"sql(
    CREATE TABLE departments (id TEXT PRIMARY KEY, names TEXT NOT NULL);  -- names: JSON, language → name
    CREATE TABLE doctors (id TEXT PRIMARY KEY, department TEXT NOT NULL REFERENCES departments (id), name TEXT NOT NULL);
    CREATE TABLE slots (
        id         TEXT PRIMARY KEY,
        doctor     TEXT NOT NULL REFERENCES doctors (id),
        department TEXT NOT NULL REFERENCES departments (id),
        day        TEXT NOT NULL,                 -- YYYY-MM-DD
        starts_ms  INTEGER NOT NULL
    );
    CREATE TABLE bookings (
        code       TEXT PRIMARY KEY,              -- made on the kiosk
        slot       TEXT NOT NULL REFERENCES slots (id),
        person     TEXT NOT NULL,                 -- a member card, or a hash of name + phone
        department TEXT NOT NULL,
        day        TEXT NOT NULL,
        state      TEXT NOT NULL DEFAULT 'booked' CHECK (state IN ('booked', 'cancelled'))
    );
    -- The rules as constraints: a slot has one live booking; a person one visit per department per day.
    CREATE UNIQUE INDEX one_booking_per_slot ON bookings (slot) WHERE state = 'booked';
    CREATE UNIQUE INDEX one_visit_per_department_day ON bookings (person, department, day) WHERE state = 'booked';
    )sql",
    // 5: published survey versions (an answer names one), the year a member's
    //    spend belongs to (it restarts each calendar year), rejected counts in heartbeats.
    R"sql(
    CREATE TABLE survey_versions (
        survey     TEXT NOT NULL,
        version    INTEGER NOT NULL,
        definition TEXT NOT NULL,                 -- frozen once published
        PRIMARY KEY (survey, version)
    );
    ALTER TABLE members ADD COLUMN spend_year INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE kiosks ADD COLUMN rejected INTEGER NOT NULL DEFAULT 0;
    )sql",
    // 6: what a kiosk's receipt printer said in its last heartbeat ("paper_out: …").
    R"sql(
    ALTER TABLE kiosks ADD COLUMN printer TEXT NOT NULL DEFAULT '';
    )sql",
    // 7: redemptions a kiosk queued offline and the CRM refused (the points were
    //    spent elsewhere first): the voucher is void, and the member is told at
    //    their next sign-in. The refused record itself is still not stored.
    R"sql(
    CREATE TABLE void_vouchers (
        record_key  TEXT PRIMARY KEY,           -- the refused record's idempotency key: one entry however often it is sent
        card        TEXT NOT NULL REFERENCES members (card),
        voucher     TEXT NOT NULL DEFAULT '',   -- the number the kiosk printed on the voucher
        reward      TEXT NOT NULL DEFAULT '',
        points      INTEGER NOT NULL,
        reason      TEXT NOT NULL,
        kiosk_id    TEXT NOT NULL,
        refused_ms  INTEGER NOT NULL,
        shown_ms    INTEGER NOT NULL DEFAULT 0  -- 0: not yet in a sign-in answer
    );
    CREATE INDEX void_vouchers_to_show ON void_vouchers (card, shown_ms);
    )sql",
    // 8: promotion images, served to kiosks by id (GET /api/v1/images/{id}).
    R"sql(
    CREATE TABLE images (
        id           TEXT PRIMARY KEY,
        content_type TEXT NOT NULL,
        body         BLOB NOT NULL,
        etag         TEXT NOT NULL
    );
    )sql",
    // 9: what a guest looking a booking up needs: the guest's phone digits that
    //    guard the look-up, and the latest refused action of each code (a refused
    //    record stores nothing else, so without this a guest asking at another
    //    kiosk could not learn why their request failed).
    R"sql(
    ALTER TABLE bookings ADD COLUMN phone_last4 TEXT NOT NULL DEFAULT '';
    CREATE TABLE booking_refusals (
        code        TEXT PRIMARY KEY,             -- only the latest refusal of a code; cleared when an action succeeds
        record_key  TEXT NOT NULL,
        type        TEXT NOT NULL,                -- booking | booking_move
        reason      TEXT NOT NULL,
        slot        TEXT NOT NULL,
        person      TEXT NOT NULL DEFAULT '',
        phone_last4 TEXT NOT NULL DEFAULT '',
        at_ms       INTEGER NOT NULL
    );
    )sql",
    // 10: anonymous records (feedback, follow-ups, survey answers) apart from
    //     records that name a person, with nothing that orders them: a random
    //     id instead of a sequence, no rowid, times rounded down to the hour.
    //     Those stored before move here; their old sequence numbers are dropped.
    R"sql(
    CREATE TABLE anonymous_records (
        id                TEXT PRIMARY KEY,       -- 128 random bits: no order
        key               TEXT NOT NULL UNIQUE,   -- the kiosk's idempotency key (a random UUID)
        kiosk_id          TEXT NOT NULL,          -- the place, which staff may know
        type              TEXT NOT NULL,
        payload           TEXT NOT NULL,
        payload_sha       TEXT NOT NULL,
        hour_ms           INTEGER NOT NULL,       -- when it was given, to the hour
        received_hour_ms  INTEGER NOT NULL        -- when the CRM got it, to the hour
    ) WITHOUT ROWID;
    CREATE INDEX anonymous_by_type ON anonymous_records (type, hour_ms, id);
    INSERT INTO anonymous_records (id, key, kiosk_id, type, payload, payload_sha, hour_ms, received_hour_ms)
        SELECT lower(hex(randomblob(16))), key, kiosk_id, type, payload, payload_sha,
               created_ms - created_ms % 3600000, received_ms - received_ms % 3600000
        FROM records WHERE type IN ('feedback', 'feedback_follow_up', 'survey_answer');
    DELETE FROM records WHERE type IN ('feedback', 'feedback_follow_up', 'survey_answer');
    )sql",
    // 11: guessing is slowed (guessing.h): one counter per scope and subject,
    //     here and not in a process's memory, so every CRM process on this
    //     database sees the same counts. A complaint filed without a phone is
    //     guarded by a look-up code; only its hash is kept (code_hash).
    R"sql(
    CREATE TABLE guess_counters (
        scope           TEXT NOT NULL,            -- sign_in_card | sign_in_kiosk | look_up_code | look_up_kiosk
        subject         TEXT NOT NULL,            -- kiosk id, sha256 of a card number, a ticket or booking code
        label           TEXT NOT NULL,            -- what staff see: kiosk id, ****0002, the ticket
        failures        INTEGER NOT NULL,         -- as of last_failure_ms, before quiet time forgives any
        last_failure_ms INTEGER NOT NULL,
        total_failures  INTEGER NOT NULL,         -- never forgiven: for staff
        PRIMARY KEY (scope, subject)
    );
    CREATE INDEX guess_counters_by_time ON guess_counters (last_failure_ms);
    ALTER TABLE complaints ADD COLUMN code_hash TEXT NOT NULL DEFAULT '';
    )sql",
    // 12: the appliance (issue 16): kiosks revoked one by one, and each kiosk's
    //     health in its heartbeat (uptime, restarts since boot, disk free, the
    //     oldest pending record's age, the watchdog's state).
    R"sql(
    CREATE TABLE revoked_kiosks (kiosk_id TEXT PRIMARY KEY, revoked_ms INTEGER NOT NULL);
    ALTER TABLE kiosks ADD COLUMN uptime_s INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE kiosks ADD COLUMN restarts_since_boot INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE kiosks ADD COLUMN disk_free_mb INTEGER NOT NULL DEFAULT -1;
    ALTER TABLE kiosks ADD COLUMN oldest_pending_age_s INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE kiosks ADD COLUMN watchdog TEXT NOT NULL DEFAULT '';
    )sql",
    // 13: calls for help from the glass. The id is the record's idempotency key
    //     (a UUID only the calling kiosk knows); nothing in a row names a guest.
    R"sql(
    CREATE TABLE help_requests (
        id              TEXT PRIMARY KEY REFERENCES records (key),
        kiosk_id        TEXT NOT NULL,
        screen          TEXT NOT NULL,
        requested_ms    INTEGER NOT NULL,         -- the CRM's clock: the age staff see
        acknowledged_ms INTEGER NOT NULL DEFAULT 0,
        acknowledged_by TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX help_requests_open ON help_requests (acknowledged_ms, requested_ms);
    )sql",
    // 14: member sessions (a right PIN at a kiosk; only the token's hash is kept,
    //     in the database so several CRM processes can share them), offline
    //     grants (what a card may spend offline at one kiosk) and each card's
    //     offline spending per day (the CRM's day, across all kiosks), and the
    //     CRM's own signing key for grants (never leaves the CRM).
    R"sql(
    CREATE TABLE member_sessions (
        token_sha    TEXT PRIMARY KEY,             -- SHA-256 of the token: a copy of this table signs nobody in
        card         TEXT NOT NULL REFERENCES members (card),
        kiosk_id     TEXT NOT NULL,
        started_ms   INTEGER NOT NULL,
        last_used_ms INTEGER NOT NULL,
        ended_ms     INTEGER NOT NULL DEFAULT 0    -- 0: not signed out
    );
    CREATE TABLE offline_grants (
        id           TEXT PRIMARY KEY,
        card         TEXT NOT NULL REFERENCES members (card),
        kiosk_id     TEXT NOT NULL,
        cap_points   INTEGER NOT NULL CHECK (cap_points >= 0),
        issued_ms    INTEGER NOT NULL,
        expires_ms   INTEGER NOT NULL,
        spent_points INTEGER NOT NULL DEFAULT 0 CHECK (spent_points <= cap_points)
    );
    CREATE TABLE offline_spending (
        card   TEXT NOT NULL,
        day    TEXT NOT NULL,                      -- YYYY-MM-DD, the hospital's local day when the CRM took the record
        points INTEGER NOT NULL,
        PRIMARY KEY (card, day)
    );
    CREATE TABLE crm_keys (name TEXT PRIMARY KEY, secret TEXT NOT NULL);
    )sql",
    // 15 (issue 14, paper and phone): the page a guest's phone opens from the
    //     QR code on a ticket, booking slip or voucher (crm_contract/record_pages.h).
    //     Only a hash of the record's random guard is kept; the guard itself is
    //     stripped from the stored payload, so staff lists never show it.
    R"sql(
    CREATE TABLE record_pages (
        record_key  TEXT PRIMARY KEY REFERENCES records (key),
        kind        TEXT NOT NULL CHECK (kind IN ('c', 'b', 'v')),  -- complaint | booking | voucher
        id          TEXT NOT NULL,                                   -- the ticket, booking code or voucher number
        guard_hash  TEXT NOT NULL                                    -- record_page_guard_hash(kind, id, guard)
    );
    CREATE INDEX record_pages_by_id ON record_pages (kind, id);
    -- A voucher the kiosk issued offline and the CRM then refused: its page says it is void.
    ALTER TABLE void_vouchers ADD COLUMN page_guard_hash TEXT NOT NULL DEFAULT '';
    )sql",
};
static_assert(std::size(kMigrations) == kSchemaVersion);

// The complaint flow's stages, in order, and the days promised to reach each
// from the one before (docs/crm-api.md).
struct Stage {
    const char* name;
    int promised_days;
};
const Stage kStages[] = {{"submitted", 0}, {"acknowledged", 1}, {"assigned", 2},
                         {"resolved", 7},  {"return_visit", 3}, {"closed", 0}};

using crm_contract::last4;

bool is_ticket_text(const std::string& s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
    return true;
}

const std::string* string_field(const json& o, const char* name) {
    auto it = o.find(name);
    return it != o.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
}

// A complaint's look-up code (shown with the ticket when no phone was given):
// 4–12 letters or digits, compared without regard to case.
bool is_lookup_code(const std::string& code) {
    if (code.size() < 4 || code.size() > 12) return false;
    for (char c : code)
        if (!std::isalnum(static_cast<unsigned char>(c))) return false;
    return true;
}

// The phone page's guard (issue 14) is kept only as this hash; kind and id salt it.
std::string record_page_guard_hash(char kind, const std::string& id, const std::string& guard) {
    return sha256_hex(std::string("lobby-kiosk record page v1\n") + kind + "\n" + id + "\n" + guard);
}

// Only this hash of the code is kept; the ticket salts it, so one table of
// codes does not fit every complaint.
std::string lookup_code_hash(const std::string& ticket, const std::string& code) {
    std::string upper = code;
    for (char& c : upper) c = char(std::toupper(static_cast<unsigned char>(c)));
    return sha256_hex("lobby-kiosk look-up code v1\n" + ticket + "\n" + upper);
}

// A guarded booking change failed its guard; ingest_one counts it once the
// record's savepoint is rolled back (a count made inside it would vanish).
const char* const kGuardFailed = "guard_failed";

// Counters untouched for a week are dropped: they would make nobody wait.
constexpr int64_t kGuessCounterRetentionMs = 7 * 86'400'000LL;

}  // namespace

// ---- Statement ------------------------------------------------------------

Statement::Statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
Statement::~Statement() { sqlite3_finalize(stmt_); }
Statement& Statement::text(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), int(v.size()), SQLITE_TRANSIENT);
    return *this;
}
Statement& Statement::integer(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
}
int Statement::step() { return sqlite3_step(stmt_); }  // a statement that failed to prepare answers SQLITE_MISUSE
std::string Statement::text_at(int c) {
    auto p = sqlite3_column_text(stmt_, c);
    return p ? reinterpret_cast<const char*>(p) : "";
}
int64_t Statement::int_at(int c) { return sqlite3_column_int64(stmt_, c); }
Statement& Statement::blob(int i, const std::string& v) {
    sqlite3_bind_blob(stmt_, i, v.data(), int(v.size()), SQLITE_TRANSIENT);
    return *this;
}
std::string Statement::blob_at(int c) {
    auto p = static_cast<const char*>(sqlite3_column_blob(stmt_, c));
    return p ? std::string(p, size_t(sqlite3_column_bytes(stmt_, c))) : std::string();
}

// ---- Store ----------------------------------------------------------------

namespace {

// BEGIN IMMEDIATE … COMMIT, rolled back if not committed (an exception, an early return).
class Transaction {
public:
    explicit Transaction(sqlite3* db) : db_(db) {
        begun_ = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
    }
    ~Transaction() {
        if (!done_ && begun_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    bool begun() const { return begun_; }
    bool commit() {
        done_ = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
        return done_;
    }

private:
    sqlite3* db_;
    bool begun_ = false;
    bool done_ = false;
};

}  // namespace

Store::Store(platform::Clock& clock) : clock_(clock) {}
Store::~Store() { sqlite3_close_v2(db_); }

void Store::exec(const char* sql) { sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }

bool Store::open(const std::string& path, std::string* error) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
        *error = path + ": " + sqlite3_errmsg(db_);
        return false;
    }
    sqlite3_busy_timeout(db_, 5000);
    // WAL + FULL: a batch answered "accepted" survives a power cut.
    exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL");
    Statement v(db_, "PRAGMA user_version");
    int version = v.step() == SQLITE_ROW ? int(v.int_at(0)) : 0;
    if (version > kSchemaVersion) {
        *error = path + ": schema version " + std::to_string(version) + " is newer than this server (" +
                 std::to_string(kSchemaVersion) + ")";
        return false;
    }
    for (int next = version + 1; next <= kSchemaVersion; ++next) {
        std::string sql = std::string("BEGIN; ") + kMigrations[next - 1] + "; PRAGMA user_version = " +
                          std::to_string(next) + "; COMMIT;";
        if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
            *error = "migration " + std::to_string(next) + ": " + sqlite3_errmsg(db_);
            exec("ROLLBACK");
            return false;
        }
    }
    return true;
}

int Store::schema_version() {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement v(db_, "PRAGMA user_version");
    return v.step() == SQLITE_ROW ? int(v.int_at(0)) : -1;
}

int Store::current_year() { return local(clock_.wall_ms()).year; }

// ---- outbox records ---------------------------------------------------------

std::optional<std::vector<IngestResult>> Store::ingest(const std::string& kiosk_id,
                                                      const std::vector<OutboxRecord>& records, Source source) {
    std::vector<IngestResult> results;
    std::lock_guard<std::mutex> lock(mutex_);
    Transaction tx(db_);
    if (!tx.begun()) return std::nullopt;
    for (const OutboxRecord& r : records) {
        results.push_back(ingest_one(kiosk_id, r, source));
        // Not the record's fault: nothing of the batch is kept, the kiosk sends it again.
        if (results.back().reason == "storage_error") return std::nullopt;
    }
    if (!tx.commit()) return std::nullopt;
    return results;
}

IngestResult Store::ingest_one(const std::string& kiosk_id, const OutboxRecord& r, Source source) {
    auto rejected = [&](const std::string& reason) { return IngestResult{r.key, "rejected", reason}; };
    json payload;
    std::string invalid = crm_contract::check_record(r.key, r.type, r.payload, r.created_at_ms, &payload);
    if (!invalid.empty()) return rejected(invalid);

    // The key decides first: a record already stored is a duplicate even if
    // it would be refused today (its balance was spent since, say). Keys are
    // one space across named and anonymous records.
    std::string sha = sha256_hex(r.type + "\n" + r.payload);
    Statement existing(db_, "SELECT payload_sha FROM records WHERE key = ?1 "
                            "UNION ALL SELECT payload_sha FROM anonymous_records WHERE key = ?1");
    existing.text(1, r.key);
    int found = existing.step();
    if (found == SQLITE_ROW)
        return existing.text_at(0) == sha ? IngestResult{r.key, "duplicate", ""} : rejected("idempotency_conflict");
    if (found != SQLITE_DONE) return rejected("storage_error");

    // Everything this record does happens inside its savepoint, or not at all.
    exec("SAVEPOINT record");
    int64_t received = clock_.wall_ms();
    bool stored;
    if (crm_contract::is_anonymous_type(r.type)) {
        // Apart, unordered and to the hour, whatever an older kiosk sent as its time.
        Statement insert(db_, "INSERT INTO anonymous_records (id, key, kiosk_id, type, payload, payload_sha, hour_ms, "
                              "received_hour_ms) VALUES (lower(hex(randomblob(16))), ?, ?, ?, ?, ?, ?, ?)");
        insert.text(1, r.key).text(2, kiosk_id).text(3, r.type).text(4, r.payload).text(5, sha);
        insert.integer(6, crm_contract::hour_of(r.created_at_ms)).integer(7, crm_contract::hour_of(received));
        stored = insert.done();
    } else {
        Statement insert(db_, "INSERT INTO records (key, kiosk_id, type, payload, payload_sha, created_ms, received_ms) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?)");
        // A complaint's look-up code is a secret of the guest's: the stored record
        // (which staff lists show) never holds it; complaints.code_hash guards the look-up.
        std::string kept = r.payload;
        if ((r.type == "complaint" && payload.contains("lookup_code")) || payload.contains(crm_contract::kPageGuardField)) {
            json without = payload;
            without.erase("lookup_code");
            without.erase(crm_contract::kPageGuardField);  // the phone page's guard: only its hash, in record_pages
            kept = without.dump();
        }
        insert.text(1, r.key).text(2, kiosk_id).text(3, r.type).text(4, kept).text(5, sha);
        insert.integer(6, r.created_at_ms).integer(7, received);
        stored = insert.done();
    }
    std::string why = stored ? "" : "storage_error";
    bool spending = r.type == "redemption" || r.type == "points_gift";
    if (why.empty() && spending && source == Source::outbox) why = spend_under_grant(kiosk_id, r.type, payload);
    if (why.empty()) why = r.type == "help" ? apply_help(kiosk_id, r.key, payload) : apply(kiosk_id, r.key, r.type, payload);
    if (why.empty()) why = keep_record_page(r.key, r.type, payload);
    if (why.empty()) {
        exec("RELEASE record");
        return {r.key, "accepted", ""};
    }
    exec("ROLLBACK TO record; RELEASE record");
    if (why == "storage_error") return rejected(why);
    if (why == kGuardFailed) {
        // Told exactly like an unknown code, and counted like a wrong look-up.
        int64_t now = clock_.wall_ms();
        const std::string* code = string_field(payload, "code");
        note_guess_failure(GuessScope::look_up_code, code ? *code : "", code ? *code : "", now);
        note_guess_failure(GuessScope::look_up_kiosk, kiosk_id, kiosk_id, now);
        why = "no_such_booking";
    }
    // A void voucher only for a record a kiosk really issued to the member: one
    // without a valid grant has nobody behind it (or a thief) and tells no one.
    if (source == Source::outbox && r.type == "redemption" && why != "no_offline_grant" && why != "invalid_grant")
        keep_void_voucher(kiosk_id, r, payload, why);
    if (r.type == "booking" || r.type == "booking_move") note_booking_refusal(r.key, r.type, payload, why);
    return rejected(why);
}

// The member left the kiosk with a voucher in hand; now it is void. Keep why,
// so their next sign-in can say so. Only for a known member (an unknown card
// has nobody to tell), once per record key.
void Store::keep_void_voucher(const std::string& kiosk_id, const OutboxRecord& r, const json& payload,
                              const std::string& reason) {
    const std::string* card = string_field(payload, "card");
    if (!card) return;
    Statement known(db_, "SELECT 1 FROM members WHERE card = ?");
    if (known.text(1, *card).step() != SQLITE_ROW) return;
    const std::string* voucher = string_field(payload, "voucher");
    const std::string* reward = string_field(payload, "reward");
    auto points = payload.find("points");
    Statement v(db_, "INSERT OR IGNORE INTO void_vouchers (record_key, card, voucher, reward, points, reason, kiosk_id, "
                     "refused_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    v.text(1, r.key).text(2, *card).text(3, voucher ? voucher->substr(0, 64) : "").text(4, reward ? reward->substr(0, 64) : "");
    v.integer(5, points != payload.end() && points->is_number_integer() ? points->get<int64_t>() : 0);
    v.text(6, reason).text(7, kiosk_id).integer(8, clock_.wall_ms()).step();
    // Issue 14: the voucher's phone page (its record was refused, so record_pages has no row) says "void".
    auto guard = payload.find(crm_contract::kPageGuardField);
    if (voucher && crm_contract::is_page_id(*voucher) && guard != payload.end() && guard->is_string() &&
        crm_contract::is_page_guard(guard->get<std::string>())) {
        Statement g(db_, "UPDATE void_vouchers SET page_guard_hash = ? WHERE record_key = ?");
        g.text(1, record_page_guard_hash('v', *voucher, guard->get<std::string>())).text(2, r.key).step();
    }
}

// Void vouchers not yet shown to the member, oldest first; marked shown in the caller's transaction.
json Store::take_void_vouchers(const std::string& card) {
    json out = json::array();
    Statement s(db_, "SELECT voucher, reward, points, reason, refused_ms FROM void_vouchers "
                     "WHERE card = ? AND shown_ms = 0 ORDER BY refused_ms, record_key");
    s.text(1, card);
    while (s.step() == SQLITE_ROW)
        out.push_back({{"voucher", s.text_at(0)}, {"reward", s.text_at(1)}, {"points", s.int_at(2)},
                       {"reason", s.text_at(3)}, {"refused_at_ms", s.int_at(4)}});
    Statement mark(db_, "UPDATE void_vouchers SET shown_ms = ? WHERE card = ? AND shown_ms = 0");
    mark.integer(1, clock_.wall_ms()).text(2, card).step();
    return out;
}

// What a record does beyond being stored; "" or why it is refused.
std::string Store::apply(const std::string& kiosk_id, const std::string& key, const std::string& type,
                         const json& payload) {
    if (type == "complaint") return apply_complaint(key, payload);
    if (type == "booking" || type == "booking_move" || type == "booking_cancel")
        return apply_booking(kiosk_id, type, payload);
    if (type == "redemption" || type == "points_gift") return move_points(type, payload);
    if (type == "survey_answer") return check_survey_answer(payload);
    return "";
}

std::string Store::apply_complaint(const std::string& key, const json& body) {
    const std::string* ticket = string_field(body, "ticket");
    if (!ticket || ticket->empty()) return "missing_ticket";
    if (!is_ticket_text(*ticket)) return "invalid_ticket";
    Statement taken(db_, "SELECT 1 FROM complaints WHERE ticket = ?");
    taken.text(1, *ticket);
    if (taken.step() == SQLITE_ROW) return "duplicate_ticket";
    const std::string* phone = string_field(body, "contact_phone");
    std::string code_hash;
    if (body.contains("lookup_code")) {
        const std::string* code = string_field(body, "lookup_code");
        if (!code || !is_lookup_code(*code)) return "invalid_lookup_code";
        code_hash = lookup_code_hash(*ticket, *code);
    }
    // Only the last four digits are kept apart from the record, and the look-up
    // code's hash: they guard the kiosk look-up.
    Statement open(db_, "INSERT INTO complaints (ticket, record_key, phone_last4, code_hash) VALUES (?, ?, ?, ?)");
    open.text(1, *ticket).text(2, key).text(3, phone && phone->size() >= 4 ? last4(*phone) : "").text(4, code_hash);
    Statement stage(db_, "INSERT INTO complaint_stages (ticket, stage, reached_ms) VALUES (?, 'submitted', ?)");
    stage.text(1, *ticket).integer(2, clock_.wall_ms());
    return open.done() && stage.done() ? "" : "storage_error";
}

// A call for help names the screen it came from and nothing else: a payload
// with any other field is refused, so no guest's data can ride along.
std::string Store::apply_help(const std::string& kiosk_id, const std::string& key, const json& body) {
    const std::string* screen = string_field(body, "screen");
    if (!screen || screen->empty() || screen->size() > kMaxHelpScreenBytes) return "invalid_screen";
    for (char c : *screen)
        if (!(std::islower(static_cast<unsigned char>(c)) || c == '_')) return "invalid_screen";
    if (body.size() != 1) return "unexpected_field";
    Statement add(db_, "INSERT INTO help_requests (id, kiosk_id, screen, requested_ms) VALUES (?, ?, ?, ?)");
    return add.text(1, key).text(2, kiosk_id).text(3, *screen).integer(4, clock_.wall_ms()).done() ? ""
                                                                                                 : "storage_error";
}

// Books, moves or cancels. Checked first for a precise reason; the unique
// indexes are the final word, so two kiosks racing for a slot cannot both win.
std::string Store::apply_booking(const std::string& kiosk_id, const std::string& type, const json& body) {
    const std::string* code = string_field(body, "code");
    if (!code || code->empty() || code->size() > 64) return "missing_booking_code";
    if (type != "booking") {
        // Moving or cancelling someone's visit takes what looking it up takes.
        std::string why = check_booking_guard(kiosk_id, *code, body);
        if (!why.empty()) return why;
    }
    // Whatever succeeds below is now the code's latest word: an older refusal no longer applies.
    Statement forget(db_, "DELETE FROM booking_refusals WHERE code = ?");
    forget.text(1, *code);
    if (!forget.done()) return "storage_error";
    if (type == "booking_cancel") {
        Statement c(db_, "UPDATE bookings SET state = 'cancelled' WHERE code = ? AND state = 'booked'");
        c.text(1, *code);
        return c.done() && sqlite3_changes(db_) == 1 ? "" : "no_such_booking";
    }
    const std::string* slot_id = string_field(body, "slot");
    Statement slot(db_, "SELECT department, day, starts_ms FROM slots WHERE id = ?");
    slot.text(1, slot_id ? *slot_id : "");
    if (slot.step() != SQLITE_ROW) return "no_such_slot";
    if (slot.int_at(2) <= clock_.wall_ms()) return "slot_in_the_past";
    std::string department = slot.text_at(0), day = slot.text_at(1);

    std::string person;
    if (type == "booking_move") {
        Statement b(db_, "SELECT person FROM bookings WHERE code = ? AND state = 'booked'");
        b.text(1, *code);
        if (b.step() != SQLITE_ROW) return "no_such_booking";
        person = b.text_at(0);
    } else {
        const std::string* p = string_field(body, "person");
        if (!p || p->empty()) return "missing_person";
        person = *p;
        Statement used(db_, "SELECT 1 FROM bookings WHERE code = ?");
        used.text(1, *code);
        if (used.step() == SQLITE_ROW) return "duplicate_booking_code";
    }
    Statement taken(db_, "SELECT 1 FROM bookings WHERE slot = ? AND state = 'booked' AND code <> ?");
    taken.text(1, *slot_id).text(2, *code);
    if (taken.step() == SQLITE_ROW) return "slot_taken";
    Statement same_day(db_, "SELECT 1 FROM bookings WHERE person = ? AND department = ? AND day = ? "
                            "AND state = 'booked' AND code <> ?");
    same_day.text(1, person).text(2, department).text(3, day).text(4, *code);
    if (same_day.step() == SQLITE_ROW) return "already_booked_that_day";
    if (type == "booking_move") {
        Statement m(db_, "UPDATE bookings SET slot = ?, department = ?, day = ? WHERE code = ?");
        m.text(1, *slot_id).text(2, department).text(3, day).text(4, *code);
        return m.done() ? "" : "slot_taken";
    }
    const std::string* phone = string_field(body, "phone_last4");
    Statement b(db_, "INSERT INTO bookings (code, slot, person, department, day, phone_last4) VALUES (?, ?, ?, ?, ?, ?)");
    b.text(1, *code).text(2, *slot_id).text(3, person).text(4, department).text(5, day);
    b.text(6, phone ? last4(*phone) : "");
    return b.done() ? "" : "slot_taken";
}

// Runs after the record's savepoint was rolled back, still inside the batch's
// transaction: the refusal is kept so a look-up from any kiosk can explain it.
// Only refusals about the slot or the day are worth telling the guest; a
// malformed record (no code, no person) has nobody to tell.
void Store::note_booking_refusal(const std::string& key, const std::string& type, const json& body,
                                 const std::string& reason) {
    static const std::set<std::string> kTold = {"slot_taken", "already_booked_that_day", "slot_in_the_past",
                                                "no_such_slot"};
    const std::string* code = string_field(body, "code");
    const std::string* slot = string_field(body, "slot");
    if (!kTold.count(reason) || !code || code->empty() || code->size() > 64 || !slot) return;
    const std::string* person = string_field(body, "person");
    const std::string* phone = string_field(body, "phone_last4");
    Statement s(db_, "INSERT OR REPLACE INTO booking_refusals (code, record_key, type, reason, slot, person, "
                     "phone_last4, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    s.text(1, *code).text(2, key).text(3, type).text(4, reason).text(5, *slot).text(6, person ? *person : "");
    s.text(7, phone ? last4(*phone) : "").integer(8, clock_.wall_ms()).step();
}

void Store::add_points(const std::string& card, int64_t delta, const char* kind, const std::string& note,
                       int64_t at_ms) {
    Statement u(db_, "UPDATE members SET balance = balance + ? WHERE card = ?");
    u.integer(1, delta).text(2, card).step();
    Statement l(db_, "INSERT INTO ledger (card, delta, kind, note, at_ms) VALUES (?, ?, ?, ?, ?)");
    l.text(1, card).integer(2, delta).text(3, kind).text(4, note).integer(5, at_ms).step();
}

// A redemption (points only, or points + cash) or a gift; "" or why not.
std::string Store::move_points(const std::string& type, const json& body) {
    auto balance_of = [&](const std::string& card) -> std::optional<int64_t> {
        Statement b(db_, "SELECT balance FROM members WHERE card = ?");
        b.text(1, card);
        if (b.step() != SQLITE_ROW) return std::nullopt;
        return b.int_at(0);
    };
    auto points_it = body.find("points");
    if (points_it == body.end() || !points_it->is_number_integer()) return "invalid_points";
    int64_t points = points_it->get<int64_t>();
    if (points <= 0 || points > 10'000'000) return "invalid_points";
    std::string mode, reward;
    if (type == "redemption") {
        // The CRM prices: the kiosk names the reward and the mode, and the price
        // it showed; a price that is not the catalogue's is refused, never charged.
        const std::string* reward_id = string_field(body, "reward");
        auto price = reward_id ? reward_price_locked(*reward_id) : std::nullopt;
        if (!price) return "unknown_reward";
        reward = *reward_id;
        const std::string* m = string_field(body, "mode");
        mode = m ? *m : "";
        if (mode != (*price)["mode"].get<std::string>()) return "invalid_mode";
        auto cash_it = body.find("cash_fen");
        if (cash_it != body.end() && !cash_it->is_number_integer()) return "invalid_cash";
        int64_t cash = cash_it != body.end() ? cash_it->get<int64_t>() : 0;
        if (points != (*price)["points"].get<int64_t>() || cash != (*price)["cash_fen"].get<int64_t>())
            return "price_changed";
    }
    const std::string* from = string_field(body, type == "redemption" ? "card" : "from_card");
    auto balance = balance_of(from ? *from : "");
    if (!balance) return "unknown_member";
    if (*balance < points) return "insufficient_points";
    int64_t now = clock_.wall_ms();
    if (type == "redemption") {
        // Points only, or points + cash paid at the cashier against the kiosk's voucher.
        add_points(*from, -points, "redeemed", reward + (mode == "points_cash" ? " + cash" : ""), now);
        return "";
    }
    const std::string* to = string_field(body, "to_card");
    if (to && *to == *from) return "gift_to_self";
    if (!to || !balance_of(*to)) return "unknown_recipient";
    // The ledger names the other card by its last digits only: histories are shown on a public screen.
    add_points(*from, -points, "gifted", "to ••••" + last4(*to), now);
    add_points(*to, points, "received", "from ••••" + last4(*from), now);
    return "";
}

// An answer names the survey and the version it answered. An answer without
// a survey name is kept as an unversioned answer (kiosks before 0.2 sent
// {"nps": n} alone); one that names a survey must name a published version.
std::string Store::check_survey_answer(const json& body) {
    if (!body.contains("survey")) return "";
    const std::string* survey = string_field(body, "survey");
    auto version = body.find("version");
    if (!survey || version == body.end() || !version->is_number_integer()) return "unknown_survey_version";
    Statement s(db_, "SELECT 1 FROM survey_versions WHERE survey = ? AND version = ?");
    s.text(1, *survey).integer(2, version->get<int64_t>());
    if (s.step() != SQLITE_ROW) return "unknown_survey_version";
    auto answers = body.find("answers");
    if (answers == body.end() || !answers->is_object()) return "invalid_answers";
    return "";
}

// ---- content ----------------------------------------------------------------

std::optional<Content> Store::content(const std::string& name) {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement s(db_, "SELECT body, etag FROM content WHERE name = ?");
    s.text(1, name);
    if (s.step() != SQLITE_ROW) return std::nullopt;
    return Content{s.text_at(0), s.text_at(1)};
}

std::string Store::put_content(const std::string& name, const std::string& body) {
    std::lock_guard<std::mutex> lock(mutex_);
    Transaction tx(db_);
    std::string why = put_content_locked(name, body);
    if (!why.empty()) return why;
    return tx.commit() ? "" : "storage_error";
}

// The ETag is a hash of the body: an unchanged body keeps its ETag, so
// re-publishing the same content costs the kiosks nothing.
std::string Store::put_content_locked(const std::string& name, const std::string& body) {
    if (name == "surveys") {
        // Survey versions are frozen once published: answers name the version
        // they answered, so its questions must never change under them.
        json doc = json::parse(body, nullptr, false);
        if (!doc.is_object() || !doc.contains("surveys") || !doc["surveys"].is_array()) return "invalid_field";
        for (const json& survey : doc["surveys"]) {
            if (!survey.is_object() || !string_field(survey, "id") || !survey.contains("version") ||
                !survey["version"].is_number_integer())
                return "invalid_field";
            std::string definition = survey.dump();
            Statement old(db_, "SELECT definition FROM survey_versions WHERE survey = ? AND version = ?");
            old.text(1, survey["id"].get<std::string>()).integer(2, survey["version"].get<int64_t>());
            if (old.step() == SQLITE_ROW) {
                if (old.text_at(0) != definition) return "survey_version_changed";
                continue;
            }
            Statement add(db_, "INSERT INTO survey_versions (survey, version, definition) VALUES (?, ?, ?)");
            add.text(1, survey["id"].get<std::string>()).integer(2, survey["version"].get<int64_t>());
            if (!add.text(3, definition).done()) return "storage_error";
        }
    }
    std::string etag(1, '"');  // built by appending: GCC 12 warns falsely on "\"" + string
    etag.append(sha256_hex(body), 0, 16).push_back('"');
    Statement s(db_, "INSERT OR REPLACE INTO content (name, body, etag) VALUES (?, ?, ?)");
    return s.text(1, name).text(2, body).text(3, etag).done() ? "" : "storage_error";
}

Content Store::content_index() {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement s(db_, "SELECT name, etag FROM content ORDER BY name");
    json items = json::array();
    std::string all;
    while (s.step() == SQLITE_ROW) {
        items.push_back({{"name", s.text_at(0)}, {"etag", s.text_at(1)}});
        all += s.text_at(0) + " " + s.text_at(1) + "\n";
    }
    std::string etag(1, '"');
    etag.append(sha256_hex(all), 0, 16).push_back('"');
    return {json{{"items", items}}.dump(), etag};
}

// ---- images -----------------------------------------------------------------

std::optional<Image> Store::image(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement s(db_, "SELECT content_type, body, etag FROM images WHERE id = ?");
    s.text(1, id);
    if (s.step() != SQLITE_ROW) return std::nullopt;
    return Image{s.text_at(0), s.blob_at(1), s.text_at(2)};
}

bool Store::put_image(const std::string& id, const std::string& content_type, const std::string& body) {
    std::lock_guard<std::mutex> lock(mutex_);
    Transaction tx(db_);
    return put_image_locked(id, content_type, body) && tx.commit();
}

bool Store::put_image_locked(const std::string& id, const std::string& content_type, const std::string& body) {
    std::string etag(1, '"');
    etag.append(sha256_hex(body), 0, 16).push_back('"');
    Statement s(db_, "INSERT OR REPLACE INTO images (id, content_type, body, etag) VALUES (?, ?, ?, ?)");
    return s.text(1, id).text(2, content_type).blob(3, body).text(4, etag).done();
}

// ---- members ----------------------------------------------------------------

SignIn Store::sign_in(const std::string& kiosk_id, const std::string& card, const std::string& pin) {
    std::lock_guard<std::mutex> lock(mutex_);
    Transaction tx(db_);
    SignIn out;
    int64_t now = clock_.wall_ms();
    // Cards are counted by a hash: a mistyped number is not kept in clear.
    std::string card_subject = sha256_hex("card\n" + card);
    int64_t wait = std::max(guess_wait_ms(GuessScope::sign_in_card, card_subject, now),
                            guess_wait_ms(GuessScope::sign_in_kiosk, kiosk_id, now));
    if (wait > 0) {
        // No PIN is checked while the card or the kiosk waits: a guess made now would be free.
        out.outcome = SignIn::Outcome::wait;
        out.wait_ms = wait;
        return out;
    }
    Statement m(db_, "SELECT pin_salt, pin_hash FROM members WHERE card = ?");
    m.text(1, card);
    bool known = m.step() == SQLITE_ROW;
    // An unknown card gets the same work as a wrong PIN — a hash of a salt
    // as long as a member's, a constant-time compare, the same counter writes
    // and commit — so neither the answer nor its timing tells which cards exist.
    std::string salt = known ? m.text_at(0) : std::string(32, '0');
    std::string hash = known ? m.text_at(1) : std::string(64, '0');
    bool right = same_secret(sha256_hex(salt + pin), hash) && known;
    if (!right) {
        note_guess_failure(GuessScope::sign_in_card, card_subject, "****" + last4(card), now);
        note_guess_failure(GuessScope::sign_in_kiosk, kiosk_id, kiosk_id, now);
        tx.commit();
        return out;
    }
    // The member's own right PIN forgets the card's failures; the kiosk's stay
    // (else a guesser could clear them with a card of their own).
    forget_guesses(GuessScope::sign_in_card, card_subject);
    out.outcome = SignIn::Outcome::ok;
    out.member = *member_locked(card);
    out.member["void_vouchers"] = take_void_vouchers(card);
    tx.commit();
    return out;
}

// ---- guessing ---------------------------------------------------------------

int64_t Store::guess_wait_ms(GuessScope scope, const std::string& subject, int64_t now_ms) {
    Statement s(db_, "SELECT failures, last_failure_ms FROM guess_counters WHERE scope = ? AND subject = ?");
    s.text(1, scope_name(scope)).text(2, subject);
    if (s.step() != SQLITE_ROW) return 0;
    int64_t until = wait_until(policy_of(scope), GuessCount{s.int_at(0), s.int_at(1)});
    return until > now_ms ? until - now_ms : 0;
}

void Store::note_guess_failure(GuessScope scope, const std::string& subject, const std::string& label,
                               int64_t now_ms) {
    Statement s(db_, "SELECT failures, last_failure_ms FROM guess_counters WHERE scope = ? AND subject = ?");
    s.text(1, scope_name(scope)).text(2, subject);
    GuessCount before;
    if (s.step() == SQLITE_ROW) before = {s.int_at(0), s.int_at(1)};
    GuessCount after = after_failure(policy_of(scope), before, now_ms);
    Statement u(db_, "INSERT INTO guess_counters (scope, subject, label, failures, last_failure_ms, total_failures) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, 1) ON CONFLICT (scope, subject) DO UPDATE SET "
                     "failures = ?4, last_failure_ms = ?5, total_failures = total_failures + 1");
    u.text(1, scope_name(scope)).text(2, subject).text(3, label).integer(4, after.failures).integer(5, now_ms).step();
    Statement prune(db_, "DELETE FROM guess_counters WHERE last_failure_ms < ?");
    prune.integer(1, now_ms - kGuessCounterRetentionMs).step();
}

void Store::forget_guesses(GuessScope scope, const std::string& subject) {
    Statement u(db_, "UPDATE guess_counters SET failures = 0 WHERE scope = ? AND subject = ?");
    u.text(1, scope_name(scope)).text(2, subject).step();
}

json Store::guessing(Page page) {
    std::lock_guard<std::mutex> lock(mutex_);
    int64_t now = clock_.wall_ms();
    Statement s(db_, "SELECT scope, label, failures, last_failure_ms, total_failures FROM guess_counters "
                     "ORDER BY last_failure_ms DESC, scope, label LIMIT ? OFFSET ?");
    s.integer(1, page.per_page).integer(2, (page.page - 1) * page.per_page);
    json items = json::array();
    while (s.step() == SQLITE_ROW) {
        std::string scope = s.text_at(0);
        GuessScope which = GuessScope::sign_in_card;
        for (GuessScope g : {GuessScope::sign_in_card, GuessScope::sign_in_kiosk, GuessScope::look_up_code,
                             GuessScope::look_up_kiosk})
            if (scope == scope_name(g)) which = g;
        GuessCount count{s.int_at(2), s.int_at(3)};
        int64_t until = wait_until(policy_of(which), count);
        items.push_back({{"scope", scope},
                         {"subject", s.text_at(1)},
                         {"failures", failures_now(policy_of(which), count, now)},
                         {"total_failures", s.int_at(4)},
                         {"last_failure_ms", count.last_failure_ms},
                         {"waits_until_ms", until > now ? until : 0}});
    }
    Statement total(db_, "SELECT count(*) FROM guess_counters");
    total.step();
    return json{{"items", items}, {"page", page.page}, {"per_page", page.per_page}, {"total", total.int_at(0)}};
}

// ---- guarded look-ups -------------------------------------------------------

LookUp Store::look_up_complaint(const std::string& kiosk_id, const std::string& ticket, const LookUpGuard& guard) {
    std::lock_guard<std::mutex> lock(mutex_);
    Transaction tx(db_);
    LookUp out;
    int64_t now = clock_.wall_ms();
    out.wait_ms = std::max(guess_wait_ms(GuessScope::look_up_code, ticket, now),
                           guess_wait_ms(GuessScope::look_up_kiosk, kiosk_id, now));
    if (out.wait_ms > 0) {
        out.outcome = LookUp::Outcome::wait;
        return out;
    }
    Statement c(db_, "SELECT phone_last4, code_hash FROM complaints WHERE ticket = ?");
    c.text(1, ticket);
    bool open = false;
    if (c.step() == SQLITE_ROW) {
        std::string phone = c.text_at(0), code_hash = c.text_at(1);
        // A complaint with neither guard (filed by an old kiosk without a
        // phone) cannot be opened at a kiosk at all; staff still see it.
        bool by_phone = !phone.empty() && same_secret(guard.phone_last4, phone);
        bool by_code = !code_hash.empty() && !guard.lookup_code.empty() &&
                       same_secret(lookup_code_hash(ticket, guard.lookup_code), code_hash);
        open = by_phone || by_code;
    }
    if (!open) {
        note_guess_failure(GuessScope::look_up_code, ticket, ticket, now);
        note_guess_failure(GuessScope::look_up_kiosk, kiosk_id, kiosk_id, now);
        tx.commit();
        return out;
    }
    forget_guesses(GuessScope::look_up_code, ticket);
    std::string phone;
    out.status = *complaint_locked(ticket, &phone);
    out.outcome = LookUp::Outcome::found;
    tx.commit();
    return out;
}

LookUp Store::look_up_booking(const std::string& kiosk_id, const std::string& code, const LookUpGuard& guard) {
    std::lock_guard<std::mutex> lock(mutex_);
    Transaction tx(db_);
    LookUp out;
    int64_t now = clock_.wall_ms();
    out.wait_ms = std::max(guess_wait_ms(GuessScope::look_up_code, code, now),
                           guess_wait_ms(GuessScope::look_up_kiosk, kiosk_id, now));
    if (out.wait_ms > 0) {
        out.outcome = LookUp::Outcome::wait;
        return out;
    }
    std::string phone, person;
    auto status = booking_locked(code, &phone, &person);
    // A guest's booking opens with its phone digits, a member's with the
    // member's person id (the hook where a member session takes over).
    bool by_phone = !phone.empty() && same_secret(guard.phone_last4, phone);
    bool by_person = !person.empty() && same_secret(guard.person, person);
    bool open = status && (by_phone || by_person);
    if (!open) {
        note_guess_failure(GuessScope::look_up_code, code, code, now);
        note_guess_failure(GuessScope::look_up_kiosk, kiosk_id, kiosk_id, now);
        tx.commit();
        return out;
    }
    forget_guesses(GuessScope::look_up_code, code);
    out.status = *status;
    out.outcome = LookUp::Outcome::found;
    tx.commit();
    return out;
}

// A move or cancellation names its booking's guard like a look-up does. "" or
// why not: guard_required (an old kiosk's record without one: nothing was
// guessed), kGuardFailed (counted by the caller) or no_such_booking while the
// code or the kiosk waits (only a batch that guessed earlier in itself gets here:
// batch_wait_ms answers 429 to any batch that arrives while it must wait).
std::string Store::check_booking_guard(const std::string& kiosk_id, const std::string& code, const json& body) {
    const std::string* phone = string_field(body, "phone_last4");
    const std::string* person = string_field(body, "person");
    if (!phone && !person) return "guard_required";
    int64_t now = clock_.wall_ms();
    if (guess_wait_ms(GuessScope::look_up_code, code, now) > 0 ||
        guess_wait_ms(GuessScope::look_up_kiosk, kiosk_id, now) > 0)
        return "no_such_booking";
    Statement b(db_, "SELECT phone_last4, person FROM bookings WHERE code = ? AND state = 'booked'");
    b.text(1, code);
    bool open = false;
    if (b.step() == SQLITE_ROW) {
        std::string stored_phone = b.text_at(0), stored_person = b.text_at(1);
        bool by_phone = !stored_phone.empty() && phone && same_secret(*phone, stored_phone);
        bool by_person = !stored_person.empty() && person && same_secret(*person, stored_person);
        open = by_phone || by_person;
    }
    if (!open) return kGuardFailed;
    forget_guesses(GuessScope::look_up_code, code);
    return "";
}

int64_t Store::batch_wait_ms(const std::string& kiosk_id, const std::vector<OutboxRecord>& records) {
    std::lock_guard<std::mutex> lock(mutex_);
    int64_t now = clock_.wall_ms(), wait = 0;
    bool guarded = false;
    for (const OutboxRecord& r : records) {
        if (r.type != "booking_move" && r.type != "booking_cancel") continue;
        json payload = json::parse(r.payload, nullptr, false);
        const std::string* code = payload.is_object() ? string_field(payload, "code") : nullptr;
        if (!code) continue;
        guarded = true;
        wait = std::max(wait, guess_wait_ms(GuessScope::look_up_code, *code, now));
    }
    if (guarded) wait = std::max(wait, guess_wait_ms(GuessScope::look_up_kiosk, kiosk_id, now));
    return wait;
}

std::optional<json> Store::member(const std::string& card) {
    std::lock_guard<std::mutex> lock(mutex_);
    return member_locked(card);
}

std::optional<json> Store::member_locked(const std::string& card) {
    int year = current_year();
    // A spend from an earlier calendar year counts as nothing this year.
    Statement m(db_, "SELECT name, birthday, balance, CASE WHEN spend_year IN (0, ?) THEN year_spend_fen ELSE 0 END "
                     "FROM members WHERE card = ?");
    m.integer(1, year).text(2, card);
    if (m.step() != SQLITE_ROW) return std::nullopt;
    int64_t spend = m.int_at(3);
    Statement rank(db_, "SELECT (SELECT count(*) FROM members WHERE CASE WHEN spend_year IN (0, ?1) "
                        "THEN year_spend_fen ELSE 0 END > ?2), (SELECT count(*) FROM members)");
    rank.integer(1, year).integer(2, spend);
    rank.step();
    int64_t members = rank.int_at(1);
    Tier tier = tier_for_rank(rank.int_at(0), members);
    // The next tier up and, as of now, the year's spend that reaches it: the
    // spend of the member at that tier's last rank (ranks move as others spend).
    json next_tier = nullptr;
    if (tier != Tier::vip) {
        Tier up = *crm_contract::tier_above(tier);
        Statement edge(db_, "SELECT CASE WHEN spend_year IN (0, ?1) THEN year_spend_fen ELSE 0 END AS s FROM members "
                            "ORDER BY s DESC LIMIT 1 OFFSET ?2");
        edge.integer(1, year).integer(2, members_at_or_above(up, members) - 1);
        if (edge.step() == SQLITE_ROW) {
            int64_t gap_fen = std::max<int64_t>(0, edge.int_at(0) - spend);
            next_tier = {{"tier", tier_name(up)}, {"spend_yuan_to_reach", (gap_fen + 99) / 100}};
        }
    }
    // Points earned per month, the last 12 months oldest first (the hospital's
    // months), and the whole ledger oldest first for the expiry rule.
    platform::LocalTime now_local = local(clock_.wall_ms());
    int month_index_now = now_local.year * 12 + (now_local.month - 1);
    std::vector<int64_t> by_month(12, 0);
    std::vector<LedgerMove> moves;
    Statement all(db_, "SELECT delta, kind, at_ms FROM ledger WHERE card = ? ORDER BY seq");
    all.text(1, card);
    while (all.step() == SQLITE_ROW) {
        platform::LocalTime at = local(all.int_at(2));
        moves.push_back({at.year, all.int_at(0)});
        int ago = month_index_now - (at.year * 12 + (at.month - 1));
        if (all.text_at(1) == "earned" && ago >= 0 && ago < 12) by_month[size_t(11 - ago)] += all.int_at(0);
    }
    json earned_by_month = json::array();
    for (int i = 0; i < 12; ++i) {
        int index = month_index_now - 11 + i;
        char month[32];
        std::snprintf(month, sizeof month, "%04d-%02d", index / 12, index % 12 + 1);
        earned_by_month.push_back({{"month", month}, {"points", by_month[size_t(i)]}});
    }
    char year_end[32];
    std::snprintf(year_end, sizeof year_end, "%04d-12-31", year);
    int64_t expiring = std::min<int64_t>(points_expiring(moves, year), m.int_at(2));
    json history = json::array();
    Statement h(db_, "SELECT delta, kind, note, at_ms FROM ledger WHERE card = ? ORDER BY seq DESC LIMIT 50");
    h.text(1, card);
    while (h.step() == SQLITE_ROW)
        history.push_back({{"delta", h.int_at(0)}, {"kind", h.text_at(1)}, {"note", h.text_at(2)}, {"at_ms", h.int_at(3)}});
    platform::LocalTime local_now = local(clock_.wall_ms());
    char today[32];
    std::snprintf(today, sizeof today, "%02d-%02d", local_now.month, local_now.day);
    return json{{"card_last4", last4(card)},
                {"name", m.text_at(0)},
                {"tier", tier_name(tier)},
                {"balance", m.int_at(2)},
                {"year_spend_yuan", spend / 100},
                {"birthday_today", m.text_at(1) == today},
                {"next_tier", next_tier},
                {"earned_by_month", earned_by_month},
                {"expiring", {{"points", expiring}, {"on", year_end}}},
                {"history", history}};
}

std::optional<json> Store::recipient(const std::string& card) {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement m(db_, "SELECT name FROM members WHERE card = ?");
    m.text(1, card);
    if (m.step() != SQLITE_ROW) return std::nullopt;
    return json{{"card_last4", last4(card)}, {"masked_name", crm_contract::mask_name(m.text_at(0))}};
}

std::optional<json> Store::record_purchase(const std::string& card, int64_t amount_fen, const std::string& note) {
    std::lock_guard<std::mutex> lock(mutex_);
    Transaction tx(db_);
    int year = current_year();
    Statement m(db_, "SELECT CASE WHEN spend_year IN (0, ?) THEN year_spend_fen ELSE 0 END FROM members WHERE card = ?");
    m.integer(1, year).text(2, card);
    if (m.step() != SQLITE_ROW) return std::nullopt;
    int64_t before = m.int_at(0);
    int64_t points = points_for_purchase(before, amount_fen);
    Statement u(db_, "UPDATE members SET year_spend_fen = ?, spend_year = ? WHERE card = ?");
    u.integer(1, before + amount_fen).integer(2, year).text(3, card).step();
    add_points(card, points, "earned", note, clock_.wall_ms());
    if (!tx.commit()) return std::nullopt;
    Statement b(db_, "SELECT balance FROM members WHERE card = ?");
    b.text(1, card).step();
    return json{{"points", points}, {"balance", b.int_at(0)}, {"year_spend_yuan", (before + amount_fen) / 100}};
}

// ---- complaints -------------------------------------------------------------

std::optional<json> Store::complaint(const std::string& ticket, std::string* phone_last4) {
    std::lock_guard<std::mutex> lock(mutex_);
    return complaint_locked(ticket, phone_last4);
}

std::optional<json> Store::complaint_locked(const std::string& ticket, std::string* phone_last4) {
    Statement c(db_, "SELECT phone_last4 FROM complaints WHERE ticket = ?");
    c.text(1, ticket);
    if (c.step() != SQLITE_ROW) return std::nullopt;
    *phone_last4 = c.text_at(0);
    Statement st(db_, "SELECT stage, reached_ms FROM complaint_stages WHERE ticket = ?");
    st.text(1, ticket);
    std::map<std::string, int64_t> reached;
    while (st.step() == SQLITE_ROW) reached[st.text_at(0)] = st.int_at(1);
    json stages = json::array();
    std::string current;
    int64_t current_ms = 0;
    for (const Stage& stage : kStages) {
        auto it = reached.find(stage.name);
        stages.push_back({{"stage", stage.name}, {"reached_at_ms", it == reached.end() ? json(nullptr) : json(it->second)}});
        if (it != reached.end()) current = stage.name, current_ms = it->second;
    }
    json out{{"ticket", ticket}, {"stage", current}, {"stages", stages}};
    for (size_t i = 0; i + 1 < std::size(kStages); ++i)
        if (current == kStages[i].name) {
            out["next_stage"] = kStages[i + 1].name;
            out["next_due_ms"] = current_ms + int64_t(kStages[i + 1].promised_days) * 86'400'000;
        }
    return out;
}

Advance Store::advance_complaint(const std::string& ticket, json* status) {
    std::lock_guard<std::mutex> lock(mutex_);
    Transaction tx(db_);
    std::string phone;
    auto now = complaint_locked(ticket, &phone);
    if (!now) return Advance::no_such_ticket;
    if (!now->contains("next_stage")) return Advance::already_closed;
    Statement stage(db_, "INSERT INTO complaint_stages (ticket, stage, reached_ms) VALUES (?, ?, ?)");
    stage.text(1, ticket).text(2, (*now)["next_stage"].get<std::string>()).integer(3, clock_.wall_ms()).step();
    tx.commit();
    *status = *complaint_locked(ticket, &phone);
    return Advance::moved;
}

// ---- slots, heartbeats, staff lists -------------------------------------------

json Store::free_slots(const std::string& department, const std::string& day) {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement s(db_, "SELECT s.id, s.doctor, d.name, s.starts_ms FROM slots s JOIN doctors d ON d.id = s.doctor "
                     "WHERE s.department = ? AND s.day = ? AND s.starts_ms > ? "
                     "AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot = s.id AND b.state = 'booked') "
                     "ORDER BY s.starts_ms, s.doctor");
    s.text(1, department).text(2, day).integer(3, clock_.wall_ms());
    json items = json::array();
    while (s.step() == SQLITE_ROW)
        items.push_back({{"slot", s.text_at(0)}, {"doctor", s.text_at(1)}, {"doctor_name", s.text_at(2)},
                         {"starts_ms", s.int_at(3)}});
    return json{{"items", items}};
}

// A slot's department, day, doctor and time; an empty object for an unknown slot.
json Store::slot_json(const std::string& slot_id) {
    Statement s(db_, "SELECT s.id, s.department, s.day, s.doctor, d.name, s.starts_ms FROM slots s "
                     "JOIN doctors d ON d.id = s.doctor WHERE s.id = ?");
    s.text(1, slot_id);
    if (s.step() != SQLITE_ROW) return json::object();
    return {{"slot", s.text_at(0)},   {"department", s.text_at(1)},  {"day", s.text_at(2)},
            {"doctor", s.text_at(3)}, {"doctor_name", s.text_at(4)}, {"starts_ms", s.int_at(5)}};
}

// Free future slots of a department, nearest in time to the one the guest wanted.
json Store::nearest_free_slots(const std::string& department, int64_t wanted_ms, int count) {
    Statement s(db_, "SELECT s.id, s.doctor, d.name, s.starts_ms FROM slots s JOIN doctors d ON d.id = s.doctor "
                     "WHERE s.department = ? AND s.starts_ms > ? "
                     "AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot = s.id AND b.state = 'booked') "
                     "ORDER BY abs(s.starts_ms - ?), s.starts_ms, s.doctor LIMIT ?");
    s.text(1, department).integer(2, clock_.wall_ms()).integer(3, wanted_ms).integer(4, count);
    json items = json::array();
    while (s.step() == SQLITE_ROW)
        items.push_back({{"slot", s.text_at(0)}, {"doctor", s.text_at(1)}, {"doctor_name", s.text_at(2)},
                         {"starts_ms", s.int_at(3)}});
    return items;
}

std::optional<json> Store::booking(const std::string& code, std::string* phone_last4, std::string* person) {
    std::lock_guard<std::mutex> lock(mutex_);
    return booking_locked(code, phone_last4, person);
}

std::optional<json> Store::booking_locked(const std::string& code, std::string* phone_last4, std::string* person) {
    json out;
    Statement b(db_, "SELECT slot, state, person, phone_last4 FROM bookings WHERE code = ?");
    b.text(1, code);
    bool booked = b.step() == SQLITE_ROW;
    if (booked) {
        out = slot_json(b.text_at(0));
        out["status"] = b.text_at(1) == "booked" ? "confirmed" : "cancelled";
        *person = b.text_at(2);
        *phone_last4 = b.text_at(3);
    }
    Statement r(db_, "SELECT type, reason, slot, person, phone_last4 FROM booking_refusals WHERE code = ?");
    r.text(1, code);
    if (r.step() == SQLITE_ROW) {
        json wanted = slot_json(r.text_at(2));
        json refused = {{"type", r.text_at(0)}, {"reason", r.text_at(1)}, {"slot", r.text_at(2)}};
        if (wanted.contains("starts_ms")) refused["starts_ms"] = wanted["starts_ms"];
        if (!booked) {
            // Never booked: what the guest asked for, refused.
            out = wanted.empty() ? json{{"slot", r.text_at(2)}} : wanted;
            out["status"] = "refused";
            *person = r.text_at(3);
            *phone_last4 = r.text_at(4);
        }
        out["refused"] = refused;
        if (wanted.contains("department"))
            out["alternatives"] = nearest_free_slots(wanted["department"], wanted["starts_ms"].get<int64_t>(), 3);
        else
            out["alternatives"] = json::array();
    } else if (!booked) {
        return std::nullopt;
    }
    out["code"] = code;
    return out;
}

json Store::upcoming_bookings(const std::string& person) {
    std::lock_guard<std::mutex> lock(mutex_);
    json items = json::array();
    Statement b(db_, "SELECT b.code, b.slot, s.starts_ms FROM bookings b JOIN slots s ON s.id = b.slot "
                     "WHERE b.person = ? AND b.state = 'booked' AND s.starts_ms > ?");
    b.text(1, person).integer(2, clock_.wall_ms());
    while (b.step() == SQLITE_ROW) {
        json item = slot_json(b.text_at(1));
        item["code"] = b.text_at(0);
        item["status"] = "confirmed";
        items.push_back(item);
    }
    // Requests refused and never booked: the guest should hear about them too.
    Statement r(db_, "SELECT r.code, r.slot, r.reason FROM booking_refusals r JOIN slots s ON s.id = r.slot "
                     "WHERE r.person = ? AND r.type = 'booking' AND s.starts_ms > ? "
                     "AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.code = r.code)");
    r.text(1, person).integer(2, clock_.wall_ms());
    while (r.step() == SQLITE_ROW) {
        json item = slot_json(r.text_at(1));
        item["code"] = r.text_at(0);
        item["status"] = "refused";
        item["refused"] = {{"type", "booking"}, {"reason", r.text_at(2)}, {"slot", r.text_at(1)}};
        items.push_back(item);
    }
    std::stable_sort(items.begin(), items.end(), [](const json& a, const json& b) {
        return a.value("starts_ms", int64_t(0)) < b.value("starts_ms", int64_t(0));
    });
    return json{{"items", items}};
}

void Store::heartbeat(const std::string& kiosk_id, const Heartbeat& b) {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement s(db_, "INSERT OR REPLACE INTO kiosks (kiosk_id, version, queue_depth, oldest_pending_ms, "
                     "last_success_ms, last_error, seen_ms, rejected, printer, uptime_s, restarts_since_boot, "
                     "disk_free_mb, oldest_pending_age_s, watchdog) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.text(1, kiosk_id).text(2, b.version).integer(3, b.queue_depth).integer(4, b.oldest_pending_ms);
    s.integer(5, b.last_success_ms).text(6, b.last_error).integer(7, clock_.wall_ms()).integer(8, b.rejected);
    s.text(9, b.printer).integer(10, b.uptime_s).integer(11, b.restarts_since_boot).integer(12, b.disk_free_mb);
    s.integer(13, b.oldest_pending_age_s).text(14, b.watchdog).step();
}

void Store::revoke_kiosk(const std::string& kiosk_id, bool revoked) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (revoked) {
        Statement s(db_, "INSERT OR IGNORE INTO revoked_kiosks (kiosk_id, revoked_ms) VALUES (?, ?)");
        s.text(1, kiosk_id).integer(2, clock_.wall_ms()).step();
    } else {
        Statement s(db_, "DELETE FROM revoked_kiosks WHERE kiosk_id = ?");
        s.text(1, kiosk_id).step();
    }
}

bool Store::answers() {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement s(db_, "SELECT count(*) FROM kiosks");
    return s.step() == SQLITE_ROW;
}

bool Store::kiosk_revoked(const std::string& kiosk_id) {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement s(db_, "SELECT 1 FROM revoked_kiosks WHERE kiosk_id = ?");
    s.text(1, kiosk_id);
    return s.step() == SQLITE_ROW;
}

json Store::list_records(const std::vector<std::string>& types, Page page) {
    std::lock_guard<std::mutex> lock(mutex_);
    // Up to three types a list; the last one repeats to fill the three places.
    auto type = [&](size_t i) { return types[std::min(i, types.size() - 1)]; };
    // Stored before the bounds existed, or written by hand: a payload the
    // contract's bounds refuse is listed as unreadable, never parsed whole.
    auto payload_of = [](const std::string& text) {
        std::optional<json> doc = crm_contract::parse_bounded(text, crm_contract::payload_bounds());
        return doc ? *doc : json(nullptr);
    };
    bool anonymous = std::all_of(types.begin(), types.end(), [](const std::string& t) {
        return crm_contract::is_anonymous_type(t);
    });
    // Anonymous answers: by hour, then by their random id — no arrival order.
    Statement s(db_, anonymous ? "SELECT key, kiosk_id, type, payload, hour_ms, received_hour_ms FROM anonymous_records "
                                 "WHERE type IN (?1, ?2, ?3) ORDER BY hour_ms DESC, id LIMIT ?4 OFFSET ?5"
                               : "SELECT key, kiosk_id, type, payload, created_ms, received_ms FROM records "
                                 "WHERE type IN (?1, ?2, ?3) ORDER BY seq DESC LIMIT ?4 OFFSET ?5");
    s.text(1, type(0)).text(2, type(1)).text(3, type(2));
    s.integer(4, page.per_page).integer(5, (page.page - 1) * page.per_page);
    json items = json::array();
    while (s.step() == SQLITE_ROW) {
        json payload = payload_of(s.text_at(3));
        json item{{"key", s.text_at(0)}, {"kiosk_id", s.text_at(1)}, {"type", s.text_at(2)}, {"payload", payload},
                  {"created_at_ms", s.int_at(4)}, {"received_at_ms", s.int_at(5)}};
        if (payload.is_null()) item["payload_unreadable"] = true;
        items.push_back(std::move(item));
    }
    Statement total(db_, anonymous ? "SELECT count(*) FROM anonymous_records WHERE type IN (?1, ?2, ?3)"
                                   : "SELECT count(*) FROM records WHERE type IN (?1, ?2, ?3)");
    total.text(1, type(0)).text(2, type(1)).text(3, type(2)).step();
    return json{{"items", items}, {"page", page.page}, {"per_page", page.per_page}, {"total", total.int_at(0)}};
}

json Store::list_kiosks(Page page, int64_t stale_after_ms) {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement s(db_, "SELECT kiosk_id, version, queue_depth, oldest_pending_ms, last_success_ms, last_error, seen_ms, "
                     "rejected, printer, uptime_s, restarts_since_boot, disk_free_mb, oldest_pending_age_s, watchdog, "
                     "EXISTS (SELECT 1 FROM revoked_kiosks r WHERE r.kiosk_id = kiosks.kiosk_id) "
                     "FROM kiosks ORDER BY seen_ms DESC, kiosk_id LIMIT ? OFFSET ?");
    s.integer(1, page.per_page).integer(2, (page.page - 1) * page.per_page);
    json items = json::array();
    int64_t now = clock_.wall_ms();
    while (s.step() == SQLITE_ROW)
        items.push_back({{"kiosk_id", s.text_at(0)}, {"version", s.text_at(1)}, {"queue_depth", s.int_at(2)},
                         {"oldest_pending_ms", s.int_at(3)}, {"last_success_ms", s.int_at(4)},
                         {"last_error", s.text_at(5)}, {"seen_ms", s.int_at(6)}, {"rejected", s.int_at(7)},
                         {"printer", s.text_at(8)}, {"uptime_s", s.int_at(9)}, {"restarts_since_boot", s.int_at(10)},
                         {"disk_free_mb", s.int_at(11)}, {"oldest_pending_age_s", s.int_at(12)},
                         {"watchdog", s.text_at(13)}, {"out_of_service", s.text_at(13) == "out_of_service"},
                         {"stale", now - s.int_at(6) > stale_after_ms}, {"revoked", s.int_at(14) != 0}});
    Statement total(db_, "SELECT count(*) FROM kiosks");
    total.step();
    return json{{"items", items}, {"page", page.page}, {"per_page", page.per_page}, {"total", total.int_at(0)}};
}

// ---- calls for help ----------------------------------------------------------

namespace {
json help_json(Statement& s, int64_t now_ms) {
    int64_t acknowledged = s.int_at(4);
    json out{{"id", s.text_at(0)},
             {"kiosk_id", s.text_at(1)},
             {"screen", s.text_at(2)},
             {"requested_at_ms", s.int_at(3)},
             {"age_s", std::max<int64_t>(0, (now_ms - s.int_at(3)) / 1000)},
             {"state", acknowledged > 0 ? "acknowledged" : "open"}};
    if (acknowledged > 0) {
        out["acknowledged_at_ms"] = acknowledged;
        out["acknowledged_by"] = s.text_at(5);
    }
    return out;
}
constexpr const char* kHelpColumns = "id, kiosk_id, screen, requested_ms, acknowledged_ms, acknowledged_by";
}  // namespace

std::optional<json> Store::help_request(const std::string& id, const std::string& kiosk_id) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string sql = std::string("SELECT ") + kHelpColumns + " FROM help_requests WHERE id = ? AND kiosk_id = ?";
    Statement s(db_, sql.c_str());
    s.text(1, id).text(2, kiosk_id);
    if (s.step() != SQLITE_ROW) return std::nullopt;
    return help_json(s, clock_.wall_ms());
}

json Store::open_help_requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string sql = std::string("SELECT ") + kHelpColumns +
                      " FROM help_requests WHERE acknowledged_ms = 0 ORDER BY requested_ms, id LIMIT 500";
    Statement s(db_, sql.c_str());
    json items = json::array();
    int64_t now = clock_.wall_ms();
    while (s.step() == SQLITE_ROW) items.push_back(help_json(s, now));
    return json{{"items", items}};
}

std::optional<json> Store::acknowledge_help(const std::string& id, const std::string& staff) {
    std::lock_guard<std::mutex> lock(mutex_);
    Transaction tx(db_);
    // The first acknowledgement stands: a second tap by another colleague changes nothing.
    Statement ack(db_, "UPDATE help_requests SET acknowledged_ms = ?, acknowledged_by = ? "
                       "WHERE id = ? AND acknowledged_ms = 0");
    if (!ack.integer(1, clock_.wall_ms()).text(2, staff).text(3, id).done()) return std::nullopt;
    std::string sql = std::string("SELECT ") + kHelpColumns + " FROM help_requests WHERE id = ?";
    Statement s(db_, sql.c_str());
    s.text(1, id);
    if (s.step() != SQLITE_ROW) return std::nullopt;
    json out = help_json(s, clock_.wall_ms());
    if (!tx.commit()) return std::nullopt;
    return out;
}

int64_t Store::count_records(const std::string& type) {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement s(db_, "SELECT (SELECT count(*) FROM records WHERE ?1 = '' OR type = ?1) + "
                     "(SELECT count(*) FROM anonymous_records WHERE ?1 = '' OR type = ?1)");
    s.text(1, type);
    return s.step() == SQLITE_ROW ? s.int_at(0) : -1;
}

// ---- record pages (issue 14: paper and phone) --------------------------------
// The page behind the QR code on a ticket, booking slip or voucher
// (crm_contract/record_pages.h). Guarded by the record's own random guard and
// counted like a look-up (guessing.h): per code, as the kiosk look-ups are, and
// per client address instead of per kiosk.

// Called inside the record's savepoint after the record applied: "" or why the record is refused.
std::string Store::keep_record_page(const std::string& key, const std::string& type, const json& payload) {
    auto kind = crm_contract::page_kind_of(type);
    auto guard = payload.find(crm_contract::kPageGuardField);
    if (!kind || guard == payload.end()) return "";  // an older kiosk's record: no page, nothing else changes
    if (!guard->is_string() || !crm_contract::is_page_guard(guard->get<std::string>())) return "invalid_page_guard";
    const std::string* id = string_field(payload, crm_contract::page_id_field(type));
    if (!id || !crm_contract::is_page_id(*id)) return "invalid_page_guard";  // a page needs an id it can be found by
    char letter = crm_contract::page_kind_letter(*kind);
    Statement add(db_, "INSERT INTO record_pages (record_key, kind, id, guard_hash) VALUES (?, ?, ?, ?)");
    add.text(1, key).text(2, std::string(1, letter)).text(3, *id);
    add.text(4, record_page_guard_hash(letter, *id, guard->get<std::string>()));
    return add.done() ? "" : "storage_error";
}

RecordPage Store::record_page(crm_contract::RecordPageKind kind, const std::string& id, const std::string& guard,
                              const std::string& client) {
    std::lock_guard<std::mutex> lock(mutex_);
    Transaction tx(db_);
    RecordPage out;
    int64_t now = clock_.wall_ms();
    std::string client_subject = "page@" + client;
    out.wait_ms = std::max(guess_wait_ms(GuessScope::look_up_code, id, now),
                           guess_wait_ms(GuessScope::look_up_kiosk, client_subject, now));
    if (out.wait_ms > 0) {
        // No guard is checked while the code or the client waits: a guess made now would be free.
        out.outcome = RecordPage::Outcome::wait;
        return out;
    }
    char letter = crm_contract::page_kind_letter(kind);
    std::string wanted = record_page_guard_hash(letter, id, guard);
    Statement pages(db_, "SELECT record_key, guard_hash FROM record_pages WHERE kind = ? AND id = ?");
    pages.text(1, std::string(1, letter)).text(2, id);
    std::string record_key;
    while (pages.step() == SQLITE_ROW)  // voucher numbers may repeat: each has its own guard
        if (same_secret(wanted, pages.text_at(1))) record_key = pages.text_at(0);
    std::optional<json> shown;
    if (!record_key.empty()) shown = record_page_body(kind, id, record_key);
    if (!shown && kind == crm_contract::RecordPageKind::voucher) shown = void_voucher_page(id, wanted);
    if (!shown) {
        // Unknown, wrong guard and not yet received are one answer, and one counted guess.
        note_guess_failure(GuessScope::look_up_code, id, id, now);
        note_guess_failure(GuessScope::look_up_kiosk, client_subject, client_subject, now);
        tx.commit();
        return out;
    }
    forget_guesses(GuessScope::look_up_code, id);
    out.outcome = RecordPage::Outcome::shown;
    out.record = std::move(*shown);
    out.record["time_zone"] = time_zone_;
    tx.commit();
    return out;
}

// A voucher issued offline and refused here: what it was, and that it is void
// (no points were taken). nullopt when no void voucher has that number and guard.
std::optional<json> Store::void_voucher_page(const std::string& id, const std::string& guard_hash) {
    Statement v(db_, "SELECT page_guard_hash, reward, points FROM void_vouchers WHERE voucher = ?");
    v.text(1, id);
    while (v.step() == SQLITE_ROW) {
        if (v.text_at(0).empty() || !same_secret(guard_hash, v.text_at(0))) continue;
        json out{{"kind", "voucher"}, {"voucher", id}, {"gift", false}, {"void", true}, {"points", v.int_at(2)},
                 {"cash_fen", 0}, {"reward", json{{"en", v.text_at(1)}}}};
        Statement c(db_, "SELECT body FROM content WHERE name = 'rewards'");
        json catalogue = c.step() == SQLITE_ROW ? json::parse(c.text_at(0), nullptr, false) : json();
        if (catalogue.is_object() && catalogue.contains("rewards") && catalogue["rewards"].is_array())
            for (const json& item : catalogue["rewards"])
                if (item.is_object() && item.value("id", "") == v.text_at(1) && item.contains("name") && item["name"].is_object())
                    out["reward"] = item["name"];
        return out;
    }
    return std::nullopt;
}

// What the page shows: the record as the guest saw it on the glass, never a
// name, card or phone (the phone digits and person stay here).
std::optional<json> Store::record_page_body(crm_contract::RecordPageKind kind, const std::string& id,
                                            const std::string& record_key) {
    using crm_contract::RecordPageKind;
    if (kind == RecordPageKind::complaint) {
        std::string phone;
        auto status = complaint_locked(id, &phone);
        if (!status) return std::nullopt;
        (*status)["kind"] = "complaint";
        return status;
    }
    if (kind == RecordPageKind::booking) {
        std::string phone, person;
        auto status = booking_locked(id, &phone, &person);
        if (!status || !status->contains("department")) return std::nullopt;
        json out{{"kind", "booking"}, {"code", id}, {"status", (*status)["status"]},
                 {"doctor_name", status->value("doctor_name", "")}, {"starts_ms", status->value("starts_ms", int64_t(0))}};
        Statement d(db_, "SELECT names FROM departments WHERE id = ?");
        d.text(1, (*status)["department"].get<std::string>());
        json names = d.step() == SQLITE_ROW ? json::parse(d.text_at(0), nullptr, false) : json();
        out["department"] = names.is_object() ? names : json{{"en", (*status)["department"]}};
        return out;
    }
    Statement r(db_, "SELECT type, payload, received_ms FROM records WHERE key = ?");
    r.text(1, record_key);
    if (r.step() != SQLITE_ROW) return std::nullopt;
    json payload = json::parse(r.text_at(1), nullptr, false);
    if (!payload.is_object()) return std::nullopt;
    json out{{"kind", "voucher"}, {"voucher", id}, {"gift", r.text_at(0) == "points_gift"}, {"issued_ms", r.int_at(2)}};
    auto number = [&](const char* name) {
        auto it = payload.find(name);
        return it != payload.end() && it->is_number_integer() ? it->get<int64_t>() : int64_t(0);
    };
    out["points"] = number("points");
    out["cash_fen"] = number("cash_fen");
    // The reward's name in each language, from the catalogue the kiosks show.
    const std::string* reward = string_field(payload, "reward");
    if (reward) {
        out["reward"] = json{{"en", *reward}};
        Statement c(db_, "SELECT body FROM content WHERE name = 'rewards'");
        json catalogue = c.step() == SQLITE_ROW ? json::parse(c.text_at(0), nullptr, false) : json();
        if (catalogue.is_object() && catalogue.contains("rewards") && catalogue["rewards"].is_array())
            for (const json& item : catalogue["rewards"])
                if (item.is_object() && item.value("id", "") == *reward && item.contains("name") && item["name"].is_object())
                    out["reward"] = item["name"];
    }
    return out;
}

}  // namespace crm
