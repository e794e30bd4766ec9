// The outbox: what a guest's action becomes, and how the sync worker moves it
// along — pending, in flight, delivered or rejected — without ever losing or
// doubling it.
#include <catch2/catch.hpp>

#include <regex>
#include <set>

#include <sqlite3.h>

#include "offline_cache/member_cache.h"
#include "offline_cache/outbox.h"
#include "offline_cache/store.h"
#include "store_fixture.h"

using namespace offline_cache;

namespace {
struct Fixture : StoreFixture {
    using StoreFixture::StoreFixture;
    Outbox& outbox() { return store->outbox(); }
};
}  // namespace

TEST_CASE("A saved record has a UUID v4 key and is pending", "[outbox]") {
    Fixture f;
    SaveResult saved = f.outbox().enqueue("feedback", R"({"face": 1})");
    REQUIRE(saved.ok());
    CHECK(std::regex_match(saved.key, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
    auto record = f.outbox().find(saved.key);
    REQUIRE(record);
    CHECK(record->type == "feedback");
    CHECK(record->payload == R"({"face": 1})");
    CHECK(record->state == RecordState::pending);
    CHECK(record->attempts == 0);
    CHECK(record->created_wall_ms == f.clock.wall_ms());
    CHECK(f.outbox().stats().pending == 1);
}

TEST_CASE("Idempotency keys do not repeat", "[outbox]") {
    std::set<std::string> keys;
    for (int i = 0; i < 10'000; ++i) keys.insert(make_idempotency_key());
    CHECK(keys.size() == 10'000);
}

TEST_CASE("The worker gets due records oldest first, by sequence, not by clock", "[outbox]") {
    Fixture f;
    std::vector<std::string> keys;
    for (int i = 0; i < 5; ++i) {
        keys.push_back(f.outbox().enqueue("feedback", "{\"n\":" + std::to_string(i) + "}").key);
        f.clock.set_wall_ms(f.clock.wall_ms() - 60'000);  // the kiosk's clock jumps back between records
    }
    f.clock.set_wall_ms(f.clock.wall_ms() + 3'600'000);
    auto batch = f.outbox().claim_batch(3);
    REQUIRE(batch.size() == 3);
    CHECK(batch[0].key == keys[0]);
    CHECK(batch[1].key == keys[1]);
    CHECK(batch[2].key == keys[2]);
    CHECK(f.outbox().find(keys[0])->state == RecordState::in_flight);
    CHECK(f.outbox().stats().in_flight == 3);
    // Claimed records are not handed out twice.
    auto rest = f.outbox().claim_batch(10);
    REQUIRE(rest.size() == 2);
    CHECK(rest[0].key == keys[3]);
}

TEST_CASE("Delivered, rejected and retried records", "[outbox]") {
    Fixture f;
    std::string a = f.outbox().enqueue("complaint", "{}").key;
    std::string b = f.outbox().enqueue("redemption", "{}").key;
    std::string c = f.outbox().enqueue("booking", "{}").key;
    REQUIRE(f.outbox().claim_batch(10).size() == 3);

    REQUIRE(f.outbox().mark_delivered({a}));
    REQUIRE(f.outbox().mark_rejected(b, "balance spent elsewhere"));
    REQUIRE(f.outbox().mark_retry({c}, f.clock.wall_ms() + 30'000, "HTTP 503"));

    CHECK(f.outbox().find(a)->state == RecordState::delivered);
    auto rejected = f.outbox().find(b);
    CHECK(rejected->state == RecordState::rejected);
    CHECK(rejected->reject_reason == "balance spent elsewhere");
    auto retry = f.outbox().find(c);
    CHECK(retry->state == RecordState::pending);
    CHECK(retry->attempts == 1);
    CHECK(retry->last_error == "HTTP 503");

    SECTION("a record waiting for its next attempt is not due yet") {
        CHECK(f.outbox().claim_batch(10).empty());
        CHECK(f.outbox().next_due_wall_ms() == f.clock.wall_ms() + 30'000);
        f.clock.advance(30'000);
        CHECK(f.outbox().claim_batch(10).size() == 1);
    }
    SECTION("a rejected record never blocks the ones behind it, and is kept for staff") {
        std::string d = f.outbox().enqueue("feedback", "{}").key;
        f.clock.advance(30'000);
        auto batch = f.outbox().claim_batch(10);
        REQUIRE(batch.size() == 2);
        CHECK(batch[0].key == c);
        CHECK(batch[1].key == d);
        auto for_staff = f.outbox().rejected(10);
        REQUIRE(for_staff.size() == 1);
        CHECK(for_staff[0].key == b);
    }
    SECTION("stats count each state, the oldest pending record and the last delivery") {
        auto stats = f.outbox().stats();
        CHECK(stats.pending == 1);
        CHECK(stats.delivered == 1);
        CHECK(stats.rejected == 1);
        CHECK(stats.depth() == 1);
        CHECK(stats.oldest_pending_wall_ms == f.clock.wall_ms());
        CHECK(stats.last_delivered_wall_ms == f.clock.wall_ms());
    }
}

TEST_CASE("Delivered records are pruned after the retention period — rejected ones stay", "[outbox]") {
    StoreOptions options;
    options.delivered_retention_ms = 24 * 3600 * 1000;
    Fixture f(options);
    std::string a = f.outbox().enqueue("feedback", "{}").key;
    std::string b = f.outbox().enqueue("feedback", "{}").key;
    f.outbox().claim_batch(10);
    f.outbox().mark_delivered({a});
    f.outbox().mark_rejected(b, "bad");
    f.clock.advance(24 * 3600 * 1000 - 1);
    CHECK(f.outbox().prune_delivered() == 0);
    f.clock.advance(2);
    CHECK(f.outbox().prune_delivered() == 1);
    CHECK_FALSE(f.outbox().find(a));
    CHECK(f.outbox().find(b));
}

TEST_CASE("A full queue says so plainly and drops nothing already queued", "[outbox]") {
    StoreOptions options;
    options.outbox_cap = 3;
    Fixture f(options);
    for (int i = 0; i < 3; ++i) REQUIRE(f.outbox().enqueue("feedback", "{}").ok());
    SaveResult refused = f.outbox().enqueue("feedback", "{}");
    CHECK(refused.error == SaveError::queue_full);
    CHECK(refused.key.empty());
    CHECK(f.outbox().stats().pending == 3);
    // Once something is delivered there is room again.
    auto batch = f.outbox().claim_batch(1);
    f.outbox().mark_delivered({batch[0].key});
    CHECK(f.outbox().enqueue("feedback", "{}").ok());
}

TEST_CASE("Bad input is refused whole, never truncated", "[outbox]") {
    Fixture f;
    CHECK(f.outbox().enqueue("feedback", std::string(kMaxPayloadBytes + 1, 'x')).error == SaveError::invalid);
    CHECK(f.outbox().enqueue("feedback", "{\"text\": \"\xC3\x28\"}").error == SaveError::invalid);
    CHECK(f.outbox().enqueue("feedback", "\xED\xA0\x80").error == SaveError::invalid);  // a UTF-16 surrogate
    CHECK(f.outbox().enqueue("feedback", "\xC0\xAF").error == SaveError::invalid);      // overlong '/'
    CHECK(f.outbox().enqueue("", "{}").error == SaveError::invalid);
    CHECK(f.outbox().enqueue("feedback", std::string(kMaxPayloadBytes, 'x')).ok());
    CHECK(f.outbox().enqueue("feedback", "{\"text\": \"医生 ñ 😀\"}").ok());
    CHECK(f.outbox().stats().pending == 2);
}

TEST_CASE("The caller's own statements share the record's transaction", "[outbox]") {
    Fixture f;
    SaveResult saved = f.outbox().enqueue("redemption", "{}", [](sqlite3* db) {
        return sqlite3_exec(db, "INSERT INTO member_cache VALUES ('hold', '100', 9e15)", nullptr, nullptr, nullptr) ==
               SQLITE_OK;
    });
    REQUIRE(saved.ok());
    CHECK(f.store->members().get("hold") == "100");

    SaveResult refused = f.outbox().enqueue("redemption", "{\"second\":1}", [](sqlite3*) { return false; });
    CHECK(refused.error == SaveError::invalid);
    CHECK(f.outbox().stats().pending == 1);  // neither the record nor anything else of the action remains
}

TEST_CASE("In-flight records of a run that died are pending again at the next open", "[outbox]") {
    TempDir dir;
    platform::ManualClock clock;
    SelfCheckReport report;
    std::string error;
    StoreOptions options;
    options.directory = dir.str();
    std::string key;
    {
        auto store = Store::open(options, clock, &report, &error);
        key = store->outbox().enqueue("complaint", "{}").key;
        REQUIRE(store->outbox().claim_batch(10).size() == 1);
    }
    auto store = Store::open(options, clock, &report, &error);
    REQUIRE(store);
    CHECK(report.in_flight_reset == 1);
    CHECK(store->outbox().find(key)->state == RecordState::pending);
}
