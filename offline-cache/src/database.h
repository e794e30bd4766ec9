// offline-cache/src/database.h — the two connections behind a Store.
//
// Invariant: `guest` is used only under guest_mutex and `worker` only under
// worker_mutex; the UI thread takes the first, the sync worker the second
// (the headers of Outbox, ContentCache and MemberCache say which call uses
// which). Each mutex makes misuse from another thread slow, not unsafe.
#pragma once

#include <sqlite3.h>

#include <mutex>
#include <string>

#include "platform/clock.h"

namespace offline_cache {

struct Database {
    explicit Database(platform::Clock& clock) : clock(clock) {}
    ~Database() {
        sqlite3_close_v2(guest);
        sqlite3_close_v2(worker);
    }
    platform::Clock& clock;
    std::string path;
    sqlite3* guest = nullptr;   // synchronous=FULL, no automatic checkpoints
    sqlite3* worker = nullptr;  // synchronous=NORMAL
    std::mutex guest_mutex;
    std::mutex worker_mutex;
};

}  // namespace offline_cache
