#include "offline_cache/member_cache.h"

#include "database.h"
#include "sqlite_statement.h"

namespace offline_cache {

bool MemberCache::put(std::string_view key, std::string_view data, int64_t expires_wall_ms) {
    std::lock_guard<std::mutex> lock(db_.guest_mutex);
    return put_in_transaction(db_.guest, key, data, expires_wall_ms);
}

// The caller holds the guest connection (it is inside Outbox::enqueue).
bool MemberCache::put_in_transaction(sqlite3* db, std::string_view key, std::string_view data,
                                     int64_t expires_wall_ms) {
    Statement s(db,
                "INSERT INTO member_cache (member_key, data, expires_wall_ms) VALUES (?, ?, ?) "
                "ON CONFLICT (member_key) DO UPDATE SET data = excluded.data, expires_wall_ms = excluded.expires_wall_ms");
    s.bind(1, key).bind(2, data).bind(3, expires_wall_ms);
    return s.step() == SQLITE_DONE;
}

std::optional<std::string> MemberCache::get(std::string_view key) {
    std::lock_guard<std::mutex> lock(db_.guest_mutex);
    Statement s(db_.guest, "SELECT data FROM member_cache WHERE member_key = ? AND expires_wall_ms > ?");
    s.bind(1, key).bind(2, clock_.wall_ms());
    if (s.step() != SQLITE_ROW) return std::nullopt;
    return s.text_at(0);
}

bool MemberCache::erase(std::string_view key) {
    std::lock_guard<std::mutex> lock(db_.guest_mutex);
    Statement s(db_.guest, "DELETE FROM member_cache WHERE member_key = ?");
    s.bind(1, key);
    return s.step() == SQLITE_DONE;
}

int64_t MemberCache::wipe_expired() {
    std::lock_guard<std::mutex> lock(db_.guest_mutex);
    Statement s(db_.guest, "DELETE FROM member_cache WHERE expires_wall_ms <= ?");
    s.bind(1, clock_.wall_ms());
    return s.step() == SQLITE_DONE ? sqlite3_changes(db_.guest) : 0;
}

}  // namespace offline_cache
