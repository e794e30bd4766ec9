// The outbox's priority lane: a call for help leaves the kiosk before every
// ordinary record, however many wait ahead of it, and never waits out a long
// backoff or a full queue.
#include <catch2/catch.hpp>

#include "offline_cache/outbox.h"
#include "offline_cache/store.h"
#include "store_fixture.h"

using namespace offline_cache;

TEST_CASE("An urgent record is claimed before every ordinary record queued ahead of it", "[outbox][priority]") {
    StoreFixture f;
    Outbox& outbox = f.store->outbox();
    for (int i = 0; i < 250; ++i) REQUIRE(outbox.enqueue("feedback", "{\"n\":" + std::to_string(i) + "}").ok());
    SaveResult help = outbox.enqueue_urgent("help", R"({"screen":"booking"})");
    REQUIRE(help.ok());
    CHECK(outbox.find(help.key)->urgent);

    auto batch = outbox.claim_batch(100);
    REQUIRE(batch.size() == 100);
    CHECK(batch[0].key == help.key);
    CHECK(batch[0].type == "help");
    CHECK_FALSE(batch[1].urgent);
    CHECK(batch[1].payload == R"({"n":0})");  // behind it, the ordinary ones keep their order
}

TEST_CASE("An urgent record's retry never waits longer than kUrgentRetryMaxMs", "[outbox][priority]") {
    StoreFixture f;
    Outbox& outbox = f.store->outbox();
    std::string ordinary = outbox.enqueue("feedback", "{}").key;
    std::string help = outbox.enqueue_urgent("help", "{}").key;
    REQUIRE(outbox.claim_batch(10).size() == 2);
    // The whole batch failed; the backoff says two minutes.
    REQUIRE(outbox.mark_retry({ordinary, help}, f.clock.wall_ms() + 120'000, "network: refused"));
    CHECK(outbox.find(help)->next_attempt_wall_ms == f.clock.wall_ms() + kUrgentRetryMaxMs);
    CHECK(outbox.find(ordinary)->next_attempt_wall_ms == f.clock.wall_ms() + 120'000);
    f.clock.advance(kUrgentRetryMaxMs);
    auto again = outbox.claim_batch(10);
    REQUIRE(again.size() == 1);
    CHECK(again[0].key == help);
}

TEST_CASE("A full outbox still takes a call for help", "[outbox][priority]") {
    StoreOptions options;
    options.outbox_cap = 3;
    StoreFixture f(options);
    Outbox& outbox = f.store->outbox();
    for (int i = 0; i < 3; ++i) REQUIRE(outbox.enqueue("feedback", "{}").ok());
    CHECK(outbox.enqueue("feedback", "{}").error == SaveError::queue_full);
    SaveResult help = outbox.enqueue_urgent("help", "{}");
    CHECK(help.ok());
    CHECK(outbox.enqueue_urgent("help", std::string(kMaxPayloadBytes + 1, 'x')).error == SaveError::invalid);
}
