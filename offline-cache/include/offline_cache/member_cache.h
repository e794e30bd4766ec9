// offline_cache/member_cache.h — the little member data the offline rules need.
//
// Only what the member rules need while the CRM is unreachable (a cached
// balance, today's offline spending), each entry with an expiry; nothing is
// kept past it. Keys are opaque to this library (the member feature decides
// them; never a card number in clear).
//
// Index — UI thread
//   put(key, data, expires_wall_ms)   store or replace
//   get(key)                          the data if present and not expired
//   erase(key)                        forget one entry now
//   wipe_expired()                    forget everything past its expiry; returns how many
//   put_in_transaction(db, key, data, expires_wall_ms)   put() inside an outbox enqueue's transaction
//                                     (Outbox::enqueue's same_transaction: the connection is already locked)
//
// Other features keep small kiosk-local state here too (the booking feature:
// its code sequence and what it knows of the bookings it made), written in
// the same transaction as the outbox record they belong to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "platform/clock.h"

struct sqlite3;

namespace offline_cache {

struct Database;

class MemberCache {
public:
    MemberCache(Database& db, platform::Clock& clock) : db_(db), clock_(clock) {}
    bool put(std::string_view key, std::string_view data, int64_t expires_wall_ms);
    std::optional<std::string> get(std::string_view key);
    bool erase(std::string_view key);
    int64_t wipe_expired();
    static bool put_in_transaction(sqlite3* guest, std::string_view key, std::string_view data,
                                   int64_t expires_wall_ms);

private:
    Database& db_;
    platform::Clock& clock_;
};

}  // namespace offline_cache
