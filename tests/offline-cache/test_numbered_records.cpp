// Records that carry a number or a random code the kiosk hands out itself
// (old complaint tickets; tickets and booking codes),
// anonymous records kept to the hour, and finding a record by a payload field.
#include <set>

#include "offline_cache/outbox.h"
#include "store_fixture.h"

using namespace offline_cache;

namespace {
std::string ticket_payload(int64_t n) { return "{\"ticket\":\"K-lobby-1-" + std::to_string(n) + "\"}"; }
}  // namespace

TEST_CASE("A numbered record takes the next number in its own transaction", "[outbox][numbered]") {
    StoreFixture f;
    auto a = f.store->outbox().enqueue_numbered("complaint", "complaint_ticket", ticket_payload);
    auto b = f.store->outbox().enqueue_numbered("complaint", "complaint_ticket", ticket_payload);
    auto other = f.store->outbox().enqueue_numbered("booking", "booking_code", ticket_payload);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a.number == 1);
    CHECK(b.number == 2);
    CHECK(other.number == 1);  // each counter on its own
    CHECK(f.store->outbox().find(b.key)->payload == ticket_payload(2));
}

TEST_CASE("A refused numbered record gives its number back", "[outbox][numbered]") {
    StoreFixture f;
    auto too_big = f.store->outbox().enqueue_numbered(
        "complaint", "complaint_ticket", [](int64_t) { return std::string(kMaxPayloadBytes + 1, 'x'); });
    CHECK(too_big.error == SaveError::invalid);
    auto next = f.store->outbox().enqueue_numbered("complaint", "complaint_ticket", ticket_payload);
    CHECK(next.number == 1);  // rolled back with the refused record: never half-taken
    CHECK(f.store->outbox().stats().pending == 1);
}

TEST_CASE("Numbers are never handed out twice across restarts, even after delivery and pruning",
          "[outbox][numbered]") {
    TempDir dir;
    platform::ManualClock clock;
    std::set<int64_t> seen;
    for (int run = 0; run < 3; ++run) {
        StoreOptions options(dir.str());
        options.delivered_retention_ms = 1;
        SelfCheckReport report;
        std::string error;
        auto store = Store::open(options, clock, &report, &error);
        REQUIRE(store);
        for (int i = 0; i < 4; ++i) {
            auto saved = store->outbox().enqueue_numbered("complaint", "complaint_ticket", ticket_payload);
            REQUIRE(saved.ok());
            CHECK(seen.insert(saved.number).second);
        }
        // Deliver and prune everything: the counter must not depend on the rows.
        auto batch = store->outbox().claim_batch(100);
        std::vector<std::string> keys;
        for (const auto& r : batch) keys.push_back(r.key);
        REQUIRE(store->outbox().mark_delivered(keys));
        clock.advance(10);
        store->outbox().prune_delivered();
        CHECK(store->outbox().stats().delivered == 0);
    }
    CHECK(seen.size() == 12);
    CHECK(*seen.rbegin() == 12);
}

TEST_CASE("An anonymous record keeps only the hour it was made", "[outbox][privacy]") {
    StoreFixture f;
    f.clock.set_wall_ms(1'795'368'248'095);
    auto saved = f.store->outbox().enqueue_anonymous("feedback", R"({"face":1})");
    REQUIRE(saved.ok());
    auto record = f.store->outbox().find(saved.key);
    REQUIRE(record);
    CHECK(record->created_wall_ms == 1'795'366'800'000);
    CHECK(record->created_wall_ms % 3'600'000 == 0);
    // …and it is due at once all the same.
    CHECK(f.store->outbox().claim_batch(10).size() == 1);
    auto plain = f.store->outbox().enqueue("booking", R"({"code":"B-1"})");
    CHECK(f.store->outbox().find(plain.key)->created_wall_ms == 1'795'368'248'095);
}

// Issue 14, fault 9: the staff screen read "the oldest waiting 54 min" for a
// queue two minutes old — the age came from the hour-rounded creation time.
TEST_CASE("The oldest waiting record's age is its real age, though the file keeps only its hour", "[outbox][privacy]") {
    StoreFixture f;
    f.clock.set_wall_ms(1'795'368'248'095);  // 54 min 8 s past the hour
    const int64_t saved_at = f.clock.wall_ms();
    auto saved = f.store->outbox().enqueue_anonymous("feedback", R"({"face":1})");
    REQUIRE(saved.ok());
    f.clock.advance(2 * 60'000);
    auto stats = f.store->outbox().stats();
    REQUIRE(stats.oldest_pending_saved_wall_ms);
    CHECK(f.clock.wall_ms() - *stats.oldest_pending_saved_wall_ms == 2 * 60'000);
    // What the file holds and the heartbeat reports stays the hour.
    CHECK(stats.oldest_pending_wall_ms == 1'795'366'800'000);
    auto record = f.store->outbox().find(saved.key);
    REQUIRE(record);
    CHECK(record->created_wall_ms == 1'795'366'800'000);
    CHECK(record->next_attempt_wall_ms != saved_at);  // not even the retry schedule keeps the exact moment

    SECTION("a newer record does not change the oldest one's age") {
        f.store->outbox().enqueue("booking", R"({"code":"B-1"})");
        CHECK(f.store->outbox().stats().oldest_pending_saved_wall_ms == saved_at);
    }
    SECTION("once the oldest has gone, the next one counts") {
        f.store->outbox().enqueue("booking", R"({"code":"B-1"})");
        const int64_t second_at = f.clock.wall_ms();
        f.clock.advance(60'000);
        auto batch = f.store->outbox().claim_batch(1);
        REQUIRE(batch.size() == 1);
        REQUIRE(batch[0].key == saved.key);
        REQUIRE(f.store->outbox().mark_delivered({saved.key}));
        CHECK(f.store->outbox().stats().oldest_pending_saved_wall_ms == second_at);
    }
    SECTION("an empty queue has no oldest record") {
        auto batch = f.store->outbox().claim_batch(1);
        REQUIRE(f.store->outbox().mark_delivered({batch.at(0).key}));
        CHECK_FALSE(f.store->outbox().stats().oldest_pending_saved_wall_ms);
    }
}

TEST_CASE("The newest record of a type is found by a payload field", "[outbox]") {
    StoreFixture f;
    f.store->outbox().enqueue("complaint", R"({"ticket":"K-lobby-1-000001","text":"a"})");
    f.store->outbox().enqueue("complaint_satisfaction", R"({"ticket":"K-lobby-1-000002"})");
    auto second = f.store->outbox().enqueue("complaint", R"({"ticket":"K-lobby-1-000002","text":"b"})");
    auto found = f.store->outbox().find_latest("complaint", "ticket", "K-lobby-1-000002");
    REQUIRE(found);
    CHECK(found->key == second.key);
    CHECK(found->state == RecordState::pending);
    CHECK_FALSE(f.store->outbox().find_latest("complaint", "ticket", "K-lobby-1-000009"));
    CHECK_FALSE(f.store->outbox().find_latest("complaint", "ticket", "' OR 1=1 --"));
}

namespace {
// A test's stand-in for the kiosk's random codes (domain/guest_codes.h): what
// the store promises holds for any source of codes.
std::string random_test_code() { return "K-" + make_idempotency_key().substr(0, 8); }
std::string coded_payload(const std::string& code) { return "{\"ticket\":\"" + code + "\"}"; }
}  // namespace

TEST_CASE("A record with a random code claims it in its own transaction, and a clash is retried with a new code",
          "[outbox][coded]") {
    StoreFixture f;
    // The first two codes offered are the same: the second record must not
    // get it (nor be lost), it gets the next one.
    std::vector<std::string> offered = {"K-AAAA-AAAA", "K-AAAA-AAAA", "K-BBBB-BBBB"};
    size_t next = 0;
    auto source = [&] { return offered[std::min(next++, offered.size() - 1)]; };
    auto first = f.store->outbox().enqueue_with_code("complaint", source, coded_payload);
    auto second = f.store->outbox().enqueue_with_code("complaint", source, coded_payload);
    REQUIRE(first.ok());
    REQUIRE(second.ok());
    CHECK(first.code == "K-AAAA-AAAA");
    CHECK(second.code == "K-BBBB-BBBB");
    CHECK(f.store->outbox().find(second.key)->payload == coded_payload("K-BBBB-BBBB"));
    CHECK(f.store->outbox().stats().pending == 2);
    // A source that only ever repeats itself ends in a clear refusal, nothing half-saved.
    auto stuck = f.store->outbox().enqueue_with_code("complaint", [] { return std::string("K-AAAA-AAAA"); }, coded_payload);
    CHECK(stuck.error == SaveError::invalid);
    CHECK(f.store->outbox().stats().pending == 2);
    // A refused record gives its code back.
    auto too_big = f.store->outbox().enqueue_with_code(
        "complaint", [] { return std::string("K-CCCC-CCCC"); },
        [](const std::string&) { return std::string(kMaxPayloadBytes + 1, 'x'); });
    CHECK(too_big.error == SaveError::invalid);
    CHECK_FALSE(f.store->outbox().code_issued("K-CCCC-CCCC"));
}

TEST_CASE("Codes are never issued twice by a store, after delivery and pruning, and a rebuilt store needs no counter",
          "[outbox][coded]") {
    TempDir dir;
    platform::ManualClock clock;
    std::set<std::string> seen;
    std::string first_code;
    for (int run = 0; run < 3; ++run) {
        if (run == 2) {
            // The store is lost and rebuilt empty: random codes do not start again anywhere.
            std::filesystem::remove_all(dir.path);
            std::filesystem::create_directories(dir.path);
        }
        StoreOptions options(dir.str());
        options.delivered_retention_ms = 1;
        SelfCheckReport report;
        std::string error;
        auto store = Store::open(options, clock, &report, &error);
        REQUIRE(store);
        for (int i = 0; i < 200; ++i) {
            auto saved = store->outbox().enqueue_with_code("complaint", random_test_code, coded_payload);
            REQUIRE(saved.ok());
            CHECK(seen.insert(saved.code).second);
            if (first_code.empty()) first_code = saved.code;
        }
        auto batch = store->outbox().claim_batch(1000);
        std::vector<std::string> keys;
        for (const auto& r : batch) keys.push_back(r.key);
        REQUIRE(store->outbox().mark_delivered(keys));
        clock.advance(10);
        store->outbox().prune_delivered();
        CHECK(store->outbox().stats().delivered == 0);
        // Pruned, yet still known as issued: a clash with an old code is still caught.
        CHECK(store->outbox().code_issued(first_code) == (run < 2));
    }
    CHECK(seen.size() == 600);
}
