#include "offline_cache/content_cache.h"

#include "database.h"
#include "sqlite_statement.h"

namespace offline_cache {

namespace {
// LIKE with the prefix's own % and _ escaped, so a name is matched literally.
std::string like_prefix(std::string_view prefix) {
    std::string out;
    for (char c : prefix) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    return out + "%";
}
}  // namespace

std::optional<CachedContent> ContentCache::get(std::string_view name) {
    std::lock_guard<std::mutex> lock(db_.guest_mutex);
    Statement s(db_.guest, "SELECT name, body, etag, fetched_wall_ms FROM content WHERE name = ?");
    s.bind(1, name);
    if (s.step() != SQLITE_ROW) return std::nullopt;
    return CachedContent{s.text_at(0), s.blob_at(1), s.text_at(2), s.int_at(3)};
}

bool ContentCache::put(const CachedContent& entry) {
    std::lock_guard<std::mutex> lock(db_.worker_mutex);
    Statement s(db_.worker,
                "INSERT INTO content (name, body, etag, fetched_wall_ms, bytes) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET body = excluded.body, etag = excluded.etag, "
                "fetched_wall_ms = excluded.fetched_wall_ms, bytes = excluded.bytes");
    s.bind(1, entry.name).bind_blob(2, entry.body).bind(3, entry.etag).bind(4, entry.fetched_wall_ms);
    s.bind(5, int64_t(entry.body.size()));
    return s.step() == SQLITE_DONE;
}

bool ContentCache::touch(std::string_view name, int64_t fetched_wall_ms) {
    std::lock_guard<std::mutex> lock(db_.worker_mutex);
    Statement s(db_.worker, "UPDATE content SET fetched_wall_ms = ? WHERE name = ?");
    s.bind(1, fetched_wall_ms).bind(2, name);
    return s.step() == SQLITE_DONE && sqlite3_changes(db_.worker) == 1;
}

std::vector<CachedContentSummary> ContentCache::list() {
    std::lock_guard<std::mutex> lock(db_.guest_mutex);
    Statement s(db_.guest, "SELECT name, bytes, etag, fetched_wall_ms FROM content ORDER BY name");
    std::vector<CachedContentSummary> out;
    while (s.step() == SQLITE_ROW) out.push_back({s.text_at(0), s.int_at(1), s.text_at(2), s.int_at(3)});
    return out;
}

int64_t ContentCache::total_bytes(std::string_view prefix) {
    std::lock_guard<std::mutex> lock(db_.guest_mutex);
    Statement s(db_.guest, "SELECT coalesce(sum(bytes), 0) FROM content WHERE name LIKE ? ESCAPE '\\'");
    s.bind(1, like_prefix(prefix));
    return s.step() == SQLITE_ROW ? s.int_at(0) : 0;
}

int64_t ContentCache::evict_to_cap(std::string_view prefix, int64_t byte_cap) {
    std::lock_guard<std::mutex> lock(db_.worker_mutex);
    sqlite3* db = db_.worker;
    Transaction txn(db);
    if (!txn.begun()) return 0;
    Statement entries(db, "SELECT name, bytes FROM content WHERE name LIKE ? ESCAPE '\\' "
                          "ORDER BY fetched_wall_ms DESC, name");
    entries.bind(1, like_prefix(prefix));
    std::vector<std::string> over;
    int64_t kept = 0;
    while (entries.step() == SQLITE_ROW) {
        // Newest first: keep while under the cap, evict the rest.
        if (kept + entries.int_at(1) <= byte_cap) kept += entries.int_at(1);
        else over.push_back(entries.text_at(0));
    }
    Statement remove(db, "DELETE FROM content WHERE name = ?");
    for (const auto& name : over) {
        remove.reset();
        remove.bind(1, name);
        if (remove.step() != SQLITE_DONE) return 0;
    }
    return txn.commit() == SQLITE_OK ? int64_t(over.size()) : 0;
}

bool ContentCache::remove(std::string_view name) {
    std::lock_guard<std::mutex> lock(db_.worker_mutex);
    Statement s(db_.worker, "DELETE FROM content WHERE name = ?");
    s.bind(1, name);
    return s.step() == SQLITE_DONE && sqlite3_changes(db_.worker) == 1;
}

}  // namespace offline_cache
