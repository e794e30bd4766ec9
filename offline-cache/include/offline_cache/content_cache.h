// offline_cache/content_cache.h — what the CRM sends, kept for when it is not there.
//
// Flows, promotions and their images, rewards, departments/doctors/slots,
// survey definitions, translations: each an opaque body under a name
// ("promotions", "image/<id>", …) with the ETag or version it came with and
// when it was fetched, so screens work offline and staff see the data's age.
//
// Index
//   get(name)                      any thread: the cached body, or nullopt
//   put(entry)                     sync worker: store or replace an entry (one transaction)
//   touch(name, fetched_wall_ms)   sync worker: the CRM said "not modified" — the copy is fresh again
//   list()                         staff: every entry's name, size, ETag and fetch time (no bodies)
//   total_bytes(prefix)            bytes held by entries whose name starts with prefix ("" = all)
//   evict_to_cap(prefix, cap)      sync worker: drop the least recently fetched entries under prefix until under cap
//   remove(name)                   sync worker: drop one entry (a withdrawn promotion's image); true if it was there
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace offline_cache {

struct Database;

struct CachedContent {
    std::string name;
    std::string body;
    std::string etag;
    int64_t fetched_wall_ms = 0;
};

struct CachedContentSummary {
    std::string name;
    int64_t bytes = 0;
    std::string etag;
    int64_t fetched_wall_ms = 0;
};

class ContentCache {
public:
    explicit ContentCache(Database& db) : db_(db) {}
    std::optional<CachedContent> get(std::string_view name);
    bool put(const CachedContent& entry);
    bool touch(std::string_view name, int64_t fetched_wall_ms);
    std::vector<CachedContentSummary> list();
    int64_t total_bytes(std::string_view prefix = "");
    int64_t evict_to_cap(std::string_view prefix, int64_t byte_cap);
    bool remove(std::string_view name);

private:
    Database& db_;
};

}  // namespace offline_cache
