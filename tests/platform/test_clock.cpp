#include <catch2/catch.hpp>

#include "platform/clock.h"

TEST_CASE("A manual clock moves only when told to", "[clock]") {
    platform::ManualClock clock(5'000, 1'700'000'000'000);
    REQUIRE(clock.monotonic_ms() == 5'000);
    REQUIRE(clock.wall_ms() == 1'700'000'000'000);

    clock.advance(250);
    CHECK(clock.monotonic_ms() == 5'250);
    CHECK(clock.wall_ms() == 1'700'000'000'250);

    SECTION("sleeping on it returns at once with time moved forward") {
        clock.sleep_ms(60'000);
        CHECK(clock.monotonic_ms() == 65'250);
    }
    SECTION("a wall-clock jump leaves monotonic time alone") {
        clock.set_wall_ms(1'600'000'000'000);
        CHECK(clock.wall_ms() == 1'600'000'000'000);
        CHECK(clock.monotonic_ms() == 5'250);
    }
    SECTION("negative advances are ignored: monotonic never goes back") {
        clock.advance(-10);
        CHECK(clock.monotonic_ms() == 5'250);
    }
}

TEST_CASE("The system clock's monotonic time never goes back", "[clock]") {
    auto& clock = platform::system_clock();
    int64_t last = clock.monotonic_ms();
    for (int i = 0; i < 1000; ++i) {
        int64_t now = clock.monotonic_ms();
        REQUIRE(now >= last);
        last = now;
    }
    CHECK(clock.wall_ms() > 1'600'000'000'000);  // after 2020: the machine's clock is set
}
