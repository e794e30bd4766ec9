#include "platform/clock.h"

#include <chrono>
#include <thread>

namespace platform {

namespace {
class SystemClock final : public Clock {
public:
    int64_t monotonic_ms() const override {
        using namespace std::chrono;
        return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
    }
    int64_t wall_ms() const override {
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    }
    void sleep_ms(int64_t ms) override {
        if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    }
};
}  // namespace

Clock& system_clock() {
    static SystemClock clock;
    return clock;
}

ManualClock::ManualClock(int64_t start_monotonic_ms, int64_t start_wall_ms)
    : mono_(start_monotonic_ms), wall_(start_wall_ms) {}

int64_t ManualClock::monotonic_ms() const { return mono_.load(); }
int64_t ManualClock::wall_ms() const { return wall_.load(); }
void ManualClock::sleep_ms(int64_t ms) { advance(ms); }
void ManualClock::advance(int64_t ms) {
    if (ms <= 0) return;
    mono_ += ms;
    wall_ += ms;
}
void ManualClock::set_wall_ms(int64_t wall_ms) { wall_ = wall_ms; }

}  // namespace platform
