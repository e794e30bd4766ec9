// The content cache (what the CRM sent, with its ETag and age) and the member
// cache (only what the offline rules need, never past its expiry).
#include <catch2/catch.hpp>

#include "offline_cache/content_cache.h"
#include "offline_cache/member_cache.h"
#include "offline_cache/store.h"
#include "store_fixture.h"

using namespace offline_cache;

using Fixture = StoreFixture;

TEST_CASE("Content is served with the ETag and fetch time it came with", "[content-cache]") {
    Fixture f;
    REQUIRE(f.store);
    CHECK_FALSE(f.store->content().get("promotions"));
    REQUIRE(f.store->content().put({"promotions", "[{\"id\":1}]", "\"v7\"", 1000}));
    auto got = f.store->content().get("promotions");
    REQUIRE(got);
    CHECK(got->body == "[{\"id\":1}]");
    CHECK(got->etag == "\"v7\"");
    CHECK(got->fetched_wall_ms == 1000);

    SECTION("a new version replaces the old") {
        REQUIRE(f.store->content().put({"promotions", "[]", "\"v8\"", 2000}));
        CHECK(f.store->content().get("promotions")->etag == "\"v8\"");
        CHECK(f.store->content().list().size() == 1);
    }
    SECTION("'not modified' makes the copy fresh again") {
        REQUIRE(f.store->content().touch("promotions", 5000));
        CHECK(f.store->content().get("promotions")->fetched_wall_ms == 5000);
        CHECK_FALSE(f.store->content().touch("unknown", 5000));
    }
}

TEST_CASE("Binary bodies (images) round-trip byte for byte", "[content-cache]") {
    Fixture f;
    std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    REQUIRE(f.store->content().put({"image/promo-1", png, "", 1}));
    CHECK(f.store->content().get("image/promo-1")->body == png);
}

TEST_CASE("Images are held under a byte cap, oldest fetched evicted first", "[content-cache]") {
    Fixture f;
    for (int i = 0; i < 5; ++i)
        REQUIRE(f.store->content().put({"image/" + std::to_string(i), std::string(1000, 'x'), "", 100 + i}));
    REQUIRE(f.store->content().put({"promotions", std::string(5000, 'p'), "", 1}));
    CHECK(f.store->content().total_bytes("image/") == 5000);
    CHECK(f.store->content().total_bytes() == 10000);
    CHECK(f.store->content().evict_to_cap("image/", 2500) == 3);
    CHECK(f.store->content().total_bytes("image/") == 2000);
    CHECK(f.store->content().get("image/4"));
    CHECK(f.store->content().get("image/3"));
    CHECK_FALSE(f.store->content().get("image/0"));
    CHECK(f.store->content().get("promotions"));  // other kinds are not touched
}

TEST_CASE("Member data is gone once it expires", "[member-cache]") {
    Fixture f;
    int64_t now = f.clock.wall_ms();
    REQUIRE(f.store->members().put("member-7f3a", "{\"balance\":1200}", now + 60'000));
    CHECK(f.store->members().get("member-7f3a") == "{\"balance\":1200}");
    f.clock.advance(60'000);
    CHECK_FALSE(f.store->members().get("member-7f3a"));  // expired data is never served
    CHECK(f.store->members().wipe_expired() == 1);
    REQUIRE(f.store->members().put("member-9", "{}", now + 3'600'000));
    CHECK(f.store->members().erase("member-9"));
    CHECK_FALSE(f.store->members().get("member-9"));
}
