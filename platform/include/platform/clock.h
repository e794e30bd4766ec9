// platform/clock.h — the one way the kiosk reads time and sleeps.
//
// Every timeout, idle countdown, retry backoff and timestamp goes through a
// Clock, so tests drive time by hand instead of waiting (as SQLite routes time
// and sleep through its VFS). No SDL here: offline-cache/ uses it too.
//
// Index
//   Clock::monotonic_ms()   milliseconds on a clock that never goes back; for durations and deadlines
//   Clock::wall_ms()        milliseconds since the Unix epoch; for timestamps people see or the CRM stores
//   Clock::sleep_ms(ms)     block the calling thread for ms (worker threads only — the UI thread never sleeps)
//   system_clock()          the real clock, shared by the whole process
//   ManualClock             test clock: time moves only when advance() or sleep_ms() is called
//
// Local time (the hospital's wall clock, in a named IANA zone such as
// "Asia/Shanghai" or "Europe/Madrid") — the only code that turns instants
// into days and hours people read, and back; nothing else calls
// localtime_r/gmtime_r or reads TZ. The zone's rules come from the system's
// tz database (/usr/share/zoneinfo, or $TZDIR), read once per zone; the
// process's own TZ plays no part. Thread-safe.
//   LocalTime                           a civil date and time, its weekday and the zone's offset then
//   Clock::local_time(wall_ms, zone)    the instant as the zone's wall clock; nullopt for an unknown zone
//   Clock::now_local(zone)              local_time(wall_ms(), zone)
//   Clock::wall_ms_at(local, zone)      the instant a local date and time names (a time skipped by a DST
//                                       change is read with the offset before it; a repeated one is the first)
//   is_valid_zone_name(name) / zone_exists(name)   a safe IANA-style name; one the tz database has
//   civil_from_days / days_from_civil  proleptic Gregorian arithmetic (no time zone)
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace platform {

struct LocalTime {
    int year = 1970, month = 1, day = 1;  // month 1–12, day 1–31
    int hour = 0, minute = 0, second = 0;
    int weekday = 4;                      // 0 = Sunday … 6 = Saturday
    int utc_offset_s = 0;                 // local = UTC + this (e.g. 28800 in Shanghai, 3600/7200 in Madrid)
    std::string iso_day() const;          // "2026-12-03"
    std::string hh_mm() const;            // "09:30"
};

class Clock {
public:
    virtual ~Clock() = default;
    virtual int64_t monotonic_ms() const = 0;
    virtual int64_t wall_ms() const = 0;
    virtual void sleep_ms(int64_t ms) = 0;

    std::optional<LocalTime> local_time(int64_t wall_ms, std::string_view zone) const;
    std::optional<LocalTime> now_local(std::string_view zone) const { return local_time(wall_ms(), zone); }
    // Only year, month, day, hour, minute and second of `local` are read.
    std::optional<int64_t> wall_ms_at(const LocalTime& local, std::string_view zone) const;
};

bool is_valid_zone_name(std::string_view name);
bool zone_exists(std::string_view name);
int64_t days_from_civil(int year, int month, int day);
void civil_from_days(int64_t days, int* year, int* month, int* day);

// The real clock (steady_clock / system_clock). Thread-safe.
Clock& system_clock();

// A clock for tests. Starts at the given instants; only advance() and
// sleep_ms() move it, and both move monotonic and wall time together.
// Thread-safe: a worker may sleep on it while a test advances it.
class ManualClock final : public Clock {
public:
    explicit ManualClock(int64_t start_monotonic_ms = 1'000'000,
                         int64_t start_wall_ms = 1'795'000'000'000 /* 2026-11-18 */);
    int64_t monotonic_ms() const override;
    int64_t wall_ms() const override;
    // A sleep on the manual clock returns at once, having moved time forward.
    void sleep_ms(int64_t ms) override;
    void advance(int64_t ms);
    // Sets wall time alone (a clock jump, as NTP does); monotonic time stays.
    void set_wall_ms(int64_t wall_ms);

private:
    std::atomic<int64_t> mono_;
    std::atomic<int64_t> wall_;
};

}  // namespace platform
