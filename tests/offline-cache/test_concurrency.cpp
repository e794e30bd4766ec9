// The UI thread saves while the sync worker claims and acknowledges: every
// record is delivered exactly once and nothing waits forever.
#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <thread>

#include "offline_cache/outbox.h"
#include "offline_cache/store.h"
#include "store_fixture.h"

using namespace offline_cache;

TEST_CASE("A saving thread and a delivering thread together lose and double nothing", "[outbox][threads][tsan]") {
    StoreFixture f;
    auto& store = f.store;
    Outbox& outbox = store->outbox();
    const int kRecords = 1500;

    std::vector<std::string> saved;
    std::atomic<bool> saving_done{false};
    std::thread ui([&] {
        for (int i = 0; i < kRecords; ++i) {
            SaveResult r = outbox.enqueue("feedback", "{\"n\":" + std::to_string(i) + "}");
            if (r.ok()) saved.push_back(r.key);
        }
        saving_done = true;
    });

    std::multiset<std::string> delivered;
    std::thread worker([&] {
        // Bounded: at most this many empty rounds after saving finished.
        int idle_rounds_after_done = 0;
        while (idle_rounds_after_done < 3) {
            auto batch = outbox.claim_batch(64);
            if (batch.empty()) {
                if (saving_done) ++idle_rounds_after_done;
                std::this_thread::yield();
                continue;
            }
            std::vector<std::string> keys;
            for (auto& r : batch) keys.push_back(r.key);
            REQUIRE(outbox.mark_delivered(keys));
            delivered.insert(keys.begin(), keys.end());
            if (delivered.size() % 256 < 64) store->checkpoint();
        }
    });
    ui.join();
    worker.join();

    CHECK(saved.size() == size_t(kRecords));
    CHECK(delivered.size() == saved.size());
    for (const auto& key : saved) CHECK(delivered.count(key) == 1);
    auto stats = outbox.stats();
    CHECK(stats.delivered == kRecords);
    CHECK(stats.depth() == 0);
}
