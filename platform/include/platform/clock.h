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
#pragma once

#include <atomic>
#include <cstdint>

namespace platform {

class Clock {
public:
    virtual ~Clock() = default;
    virtual int64_t monotonic_ms() const = 0;
    virtual int64_t wall_ms() const = 0;
    virtual void sleep_ms(int64_t ms) = 0;
};

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
