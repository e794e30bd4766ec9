// What lets a kiosk act for a member, and how far (docs/crm-api.md, "Member
// sessions" and "Offline grants"): a session opened by a right PIN, bound to
// the card and the kiosk, and an offline grant the CRM signs with a key of its
// own. A kiosk's signing key alone is not enough to spend anyone's points.
#include <openssl/hmac.h>
#include <sys/random.h>

#include <algorithm>
#include <ctime>

#include "auth.h"
#include "store.h"

namespace crm {

namespace {

std::string random_hex(size_t bytes) {
    std::string raw(bytes, '\0');
    size_t got = 0;
    while (got < bytes) {
        ssize_t n = getrandom(raw.data() + got, bytes - got, 0);
        if (n > 0) got += size_t(n);
    }
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : raw) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

std::string hmac_hex(const std::string& key, const std::string& message) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    HMAC(EVP_sha256(), key.data(), int(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
         message.size(), mac, &n);
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < n; ++i) {
        out += digits[mac[i] >> 4];
        out += digits[mac[i] & 15];
    }
    return out;
}

// What the grant's signature covers: everything the CRM relies on when a record cites it.
std::string grant_message(const std::string& id, const std::string& kiosk_id, const std::string& card, int64_t cap,
                          int64_t expires_ms) {
    return "lobby-kiosk offline grant v1\n" + id + "\n" + kiosk_id + "\n" + card + "\n" + std::to_string(cap) + "\n" +
           std::to_string(expires_ms);
}

class Transaction {  // BEGIN IMMEDIATE … COMMIT, rolled back unless committed
public:
    explicit Transaction(sqlite3* db) : db_(db) { sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr); }
    ~Transaction() {
        if (!done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    bool commit() { return done_ = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK; }

private:
    sqlite3* db_;
    bool done_ = false;
};

const std::string* text_field(const json& o, const char* name) {
    auto it = o.find(name);
    return it != o.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
}

}  // namespace

// The grant signing key: made once, at random, on first use; it never leaves the CRM.
std::string Store::grant_key_locked() {
    Statement get(db_, "SELECT secret FROM crm_keys WHERE name = 'offline_grants'");
    if (get.step() == SQLITE_ROW) return get.text_at(0);
    std::string key = random_hex(32);
    Statement put(db_, "INSERT INTO crm_keys (name, secret) VALUES ('offline_grants', ?)");
    put.text(1, key).step();
    return key;
}

json Store::open_member_session(const std::string& card, const std::string& kiosk_id) {
    std::lock_guard<std::mutex> lock(mutex_);
    Transaction tx(db_);
    int64_t now = clock_.wall_ms();
    // 256 random bits; the table keeps only their hash.
    std::string token = random_hex(32);
    Statement s(db_, "INSERT INTO member_sessions (token_sha, card, kiosk_id, started_ms, last_used_ms) VALUES (?, ?, ?, ?, ?)");
    s.text(1, sha256_hex(token)).text(2, card).text(3, kiosk_id).integer(4, now).integer(5, now);
    if (!s.done()) return json::object();
    // Ended and expired sessions are of no use to anyone: kept a day for staff questions, then gone.
    Statement prune(db_, "DELETE FROM member_sessions WHERE started_ms < ?");
    prune.integer(1, now - 24 * 60 * 60 * 1000LL).step();

    // The grant: what this card may still spend offline today (the CRM's day,
    // across all kiosks), never more than the balance.
    json grant = nullptr;
    Statement b(db_, "SELECT balance FROM members WHERE card = ?");
    b.text(1, card);
    int64_t balance = b.step() == SQLITE_ROW ? b.int_at(0) : 0;
    Statement spent(db_, "SELECT points FROM offline_spending WHERE card = ? AND day = ?");
    spent.text(1, card).text(2, local(now).iso_day());
    int64_t spent_today = spent.step() == SQLITE_ROW ? spent.int_at(0) : 0;
    int64_t cap = std::max<int64_t>(0, std::min(offline_daily_cap_ - spent_today, balance));
    if (cap > 0) {
        std::string id = "G-" + random_hex(12);
        int64_t expires = now + kGrantLifetimeMs;
        Statement g(db_, "INSERT INTO offline_grants (id, card, kiosk_id, cap_points, issued_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?)");
        g.text(1, id).text(2, card).text(3, kiosk_id).integer(4, cap).integer(5, now).integer(6, expires);
        if (g.done())
            grant = {{"id", id}, {"cap_points", cap}, {"expires_ms", expires},
                     {"signature", hmac_hex(grant_key_locked(), grant_message(id, kiosk_id, card, cap, expires))}};
    }
    if (!tx.commit()) return json::object();
    return json{{"session", {{"token", token}, {"idle_timeout_s", kSessionIdleMs / 1000}}}, {"offline_grant", grant}};
}

std::optional<std::string> Store::session_card(const std::string& token, const std::string& kiosk_id) {
    if (token.empty() || token.size() > 128) return std::nullopt;
    std::lock_guard<std::mutex> lock(mutex_);
    int64_t now = clock_.wall_ms();
    Statement s(db_, "SELECT card, kiosk_id, started_ms, last_used_ms, ended_ms FROM member_sessions WHERE token_sha = ?");
    s.text(1, sha256_hex(token));
    if (s.step() != SQLITE_ROW) return std::nullopt;
    // Another kiosk's session is no session here: a token copied off one kiosk is useless at another.
    if (!same_secret(s.text_at(1), kiosk_id) || s.int_at(4) != 0 || now - s.int_at(3) >= kSessionIdleMs ||
        now - s.int_at(2) >= kSessionMaxMs)
        return std::nullopt;
    std::string card = s.text_at(0);
    Statement touch(db_, "UPDATE member_sessions SET last_used_ms = ? WHERE token_sha = ?");
    touch.integer(1, now).text(2, sha256_hex(token)).step();
    return card;
}

void Store::end_member_session(const std::string& token, const std::string& kiosk_id) {
    if (token.empty() || token.size() > 128) return;
    std::lock_guard<std::mutex> lock(mutex_);
    Statement s(db_, "UPDATE member_sessions SET ended_ms = ? WHERE token_sha = ? AND kiosk_id = ? AND ended_ms = 0");
    s.integer(1, clock_.wall_ms()).text(2, sha256_hex(token)).text(3, kiosk_id).step();
}

std::optional<json> Store::reward_price(const std::string& reward) {
    std::lock_guard<std::mutex> lock(mutex_);
    return reward_price_locked(reward);
}

// The catalogue is the `rewards` content staff publish; a reward listed twice
// counts by its first entry, as the kiosk shows it.
std::optional<json> Store::reward_price_locked(const std::string& reward) {
    Statement s(db_, "SELECT body FROM content WHERE name = 'rewards'");
    if (s.step() != SQLITE_ROW) return std::nullopt;
    json doc = json::parse(s.text_at(0), nullptr, false);
    if (!doc.is_object() || !doc.contains("rewards") || !doc["rewards"].is_array()) return std::nullopt;
    for (const json& r : doc["rewards"]) {
        if (!r.is_object() || !r.contains("id") || r["id"] != reward) continue;
        auto points = r.find("points"), cash = r.find("cash_fen");
        if (points == r.end() || !points->is_number_integer()) return std::nullopt;
        int64_t p = points->get<int64_t>();
        int64_t c = cash != r.end() && cash->is_number_integer() ? cash->get<int64_t>() : 0;
        if (p <= 0 || p > 10'000'000 || c < 0 || c > 100'000'000) return std::nullopt;
        return json{{"reward", reward}, {"mode", c > 0 ? "points_cash" : "points"}, {"points", p}, {"cash_fen", c}};
    }
    return std::nullopt;
}

// A queued redemption or gift: it must cite a grant the CRM issued to THIS
// kiosk for THIS card, signed with the CRM's key, not expired past the delivery
// grace; and it must fit the grant's cap and the card's cap for the CRM's day.
// Runs inside the record's savepoint: a later refusal undoes the counting.
std::string Store::spend_under_grant(const std::string& kiosk_id, const std::string& type, const json& payload) {
    const std::string* card = text_field(payload, type == "redemption" ? "card" : "from_card");
    auto grant_it = payload.find("grant");
    if (!card || grant_it == payload.end() || !grant_it->is_object()) return "no_offline_grant";
    const std::string* id = text_field(*grant_it, "id");
    const std::string* signature = text_field(*grant_it, "signature");
    if (!id || !signature || id->size() > 64 || signature->size() > 128) return "invalid_grant";
    Statement g(db_, "SELECT card, kiosk_id, cap_points, expires_ms, spent_points FROM offline_grants WHERE id = ?");
    g.text(1, *id);
    if (g.step() != SQLITE_ROW) return "invalid_grant";
    std::string expected = hmac_hex(grant_key_locked(), grant_message(*id, g.text_at(1), g.text_at(0), g.int_at(2), g.int_at(3)));
    if (!same_secret(*signature, expected) || g.text_at(0) != *card || g.text_at(1) != kiosk_id) return "invalid_grant";
    int64_t now = clock_.wall_ms();
    if (now > g.int_at(3) + kGrantDeliveryGraceMs) return "grant_expired";
    auto points_it = payload.find("points");
    if (points_it == payload.end() || !points_it->is_number_integer()) return "invalid_points";
    int64_t points = points_it->get<int64_t>();
    if (points <= 0 || points > 10'000'000) return "invalid_points";
    if (g.int_at(4) + points > g.int_at(2)) return "over_offline_cap";
    std::string day = local(now).iso_day();
    Statement d(db_, "SELECT points FROM offline_spending WHERE card = ? AND day = ?");
    d.text(1, *card).text(2, day);
    int64_t today = d.step() == SQLITE_ROW ? d.int_at(0) : 0;
    if (today + points > offline_daily_cap_) return "over_offline_cap";
    Statement use(db_, "UPDATE offline_grants SET spent_points = spent_points + ? WHERE id = ?");
    Statement add(db_, "INSERT INTO offline_spending (card, day, points) VALUES (?, ?, ?) "
                       "ON CONFLICT (card, day) DO UPDATE SET points = points + excluded.points");
    if (!use.integer(1, points).text(2, *id).done() || !add.text(1, *card).text(2, day).integer(3, points).done())
        return "storage_error";
    return "";
}

}  // namespace crm
