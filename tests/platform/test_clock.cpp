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

// Issue 14, fault 2: the hospital's local time comes from its named zone,
// never from the process's TZ or the UTC day. Instants from Python's zoneinfo.
TEST_CASE("Local time in Asia/Shanghai: 09:00 on Thursday 3 December 2026 is 01:00 UTC", "[clock][local-time]") {
    platform::ManualClock clock(0, 1796259600000);
    auto t = clock.now_local("Asia/Shanghai");
    REQUIRE(t);
    CHECK(t->iso_day() == "2026-12-03");
    CHECK(t->hh_mm() == "09:00");
    CHECK(t->weekday == 4);
    CHECK(t->utc_offset_s == 8 * 3600);
    CHECK(clock.wall_ms_at(*t, "Asia/Shanghai") == 1796259600000);
    // The UTC day had not begun in Shanghai's evening: 2026-12-02 20:00 UTC is the 3rd at 04:00 there.
    auto late = clock.local_time(1796259600000 - 5 * 3'600'000, "Asia/Shanghai");
    CHECK(late->iso_day() == "2026-12-03");
    CHECK(late->hh_mm() == "04:00");
}

TEST_CASE("Local time in Europe/Madrid across both daylight-saving changes of 2026", "[clock][local-time]") {
    platform::ManualClock clock(0, 1774684800000);  // Saturday 28 March, 09:00 CET
    auto sat = clock.now_local("Europe/Madrid");
    REQUIRE(sat);
    CHECK(sat->hh_mm() == "09:00");
    CHECK(sat->utc_offset_s == 3600);
    CHECK(sat->weekday == 6);
    clock.advance(48 * 3'600'000);  // two days later, the clocks moved forward on Sunday: 10:00 CEST
    auto mon = clock.now_local("Europe/Madrid");
    CHECK(mon->iso_day() == "2026-03-30");
    CHECK(mon->hh_mm() == "10:00");
    CHECK(mon->utc_offset_s == 7200);
    CHECK(mon->weekday == 1);

    platform::LocalTime nine;
    nine.year = 2026, nine.month = 3, nine.day = 30, nine.hour = 9;
    CHECK(clock.wall_ms_at(nine, "Europe/Madrid") == 1774854000000);  // a clinic's 09:00 after the change
    // The minute before the change, and the first one after it (02:00–02:59 does not exist that night).
    CHECK(clock.local_time(1774745940000, "Europe/Madrid")->hh_mm() == "01:59");
    CHECK(clock.local_time(1774746000000, "Europe/Madrid")->hh_mm() == "03:00");
    platform::LocalTime skipped = nine;
    skipped.day = 29, skipped.hour = 2, skipped.minute = 30;
    CHECK(clock.wall_ms_at(skipped, "Europe/Madrid") == 1774746000000 + 30 * 60'000);  // read as 03:30 CEST
    // In October 02:00–02:59 happens twice: the first is meant.
    platform::LocalTime twice = nine;
    twice.month = 10, twice.day = 25, twice.hour = 2, twice.minute = 30;
    CHECK(clock.wall_ms_at(twice, "Europe/Madrid") == 1792888200000);
    CHECK(clock.local_time(1792890000000, "Europe/Madrid")->hh_mm() == "02:00");  // the second 02:00, CET
    CHECK(clock.local_time(1792890000000, "Europe/Madrid")->utc_offset_s == 3600);
}

TEST_CASE("A zone name that is unknown or not a plain name gives no local time", "[clock][local-time]") {
    platform::ManualClock clock;
    CHECK_FALSE(clock.now_local("Mars/Olympus_Mons"));
    CHECK_FALSE(clock.now_local("../../etc/passwd"));
    CHECK_FALSE(clock.now_local("/etc/localtime"));
    CHECK_FALSE(clock.now_local(""));
    CHECK(platform::zone_exists("UTC"));
    CHECK(clock.local_time(0, "UTC")->iso_day() == "1970-01-01");
    CHECK(clock.local_time(-1, "UTC")->iso_day() == "1969-12-31");
    CHECK(clock.local_time(-1, "UTC")->weekday == 3);
}
