#include "platform/clock.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

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

// ---- local time -------------------------------------------------------------
namespace platform {

namespace {

// One zone's offsets as the tz database writes them (TZif, RFC 8536): the
// 64-bit block's transition instants and the offset in force from each.
// Past the last transition the last offset holds (the database's files
// carry explicit transitions to 2037).
struct ZoneRules {
    std::vector<int64_t> transitions_s;
    std::vector<int32_t> offset_after;
    int32_t offset_before = 0;

    int32_t offset_at(int64_t t_s) const {
        auto it = std::upper_bound(transitions_s.begin(), transitions_s.end(), t_s);
        if (it == transitions_s.begin()) return offset_before;
        return offset_after[size_t(it - transitions_s.begin()) - 1];
    }
};

uint32_t be32(const std::string& d, size_t at) {
    return uint32_t(uint8_t(d[at])) << 24 | uint32_t(uint8_t(d[at + 1])) << 16 | uint32_t(uint8_t(d[at + 2])) << 8 |
           uint32_t(uint8_t(d[at + 3]));
}

std::optional<ZoneRules> parse_tzif(const std::string& d) {
    // Header: "TZif", version, 15 reserved, then six counts.
    auto counts = [&](size_t at, uint32_t c[6]) {
        if (d.size() < at + 44 || d.compare(at, 4, "TZif") != 0) return false;
        for (int i = 0; i < 6; ++i) c[i] = be32(d, at + 20 + size_t(i) * 4);
        return true;
    };
    uint32_t c[6];  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
    if (!counts(0, c) || d[4] < '2') return std::nullopt;
    size_t v1 = size_t(c[3]) * 5 + size_t(c[4]) * 6 + c[5] + size_t(c[2]) * 8 + c[1] + c[0];
    size_t at = 44 + v1;
    if (!counts(at, c)) return std::nullopt;
    uint32_t timecnt = c[3], typecnt = c[4];
    if (typecnt == 0 || typecnt > 256 || timecnt > 100'000) return std::nullopt;
    size_t times = at + 44, indices = times + size_t(timecnt) * 8, types = indices + timecnt;
    if (d.size() < types + size_t(typecnt) * 6) return std::nullopt;
    ZoneRules rules;
    auto offset_of = [&](uint32_t type) { return int32_t(be32(d, types + size_t(type) * 6)); };
    // Before the first transition: the first standard-time type (RFC 8536 3.2).
    rules.offset_before = offset_of(0);
    for (uint32_t i = 0; i < timecnt; ++i) {
        uint64_t hi = be32(d, times + size_t(i) * 8), lo = be32(d, times + size_t(i) * 8 + 4);
        uint8_t type = uint8_t(d[indices + i]);
        if (type >= typecnt) return std::nullopt;
        rules.transitions_s.push_back(int64_t(hi << 32 | lo));
        rules.offset_after.push_back(offset_of(type));
    }
    return rules;
}

std::string zone_dir() {
    const char* dir = std::getenv("TZDIR");
    return dir && *dir ? dir : "/usr/share/zoneinfo";
}

// Each zone read once; a zone that does not load is remembered as such.
std::shared_ptr<const ZoneRules> rules_for(std::string_view zone) {
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const ZoneRules>, std::less<>> cache;
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = cache.find(zone); it != cache.end()) return it->second;
    std::shared_ptr<const ZoneRules> rules;
    if (is_valid_zone_name(zone)) {
        std::ifstream in(zone_dir() + "/" + std::string(zone), std::ios::binary);
        std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (in && data.size() <= 1 << 20)
            if (auto parsed = parse_tzif(data)) rules = std::make_shared<const ZoneRules>(std::move(*parsed));
    }
    if (cache.size() < 64) cache.emplace(std::string(zone), rules);
    return rules;
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

// Howard Hinnant's civil-date algorithms (public domain).
int64_t days_from_civil(int year, int month, int day) {
    int64_t y = int64_t(year) - (month <= 2);
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int* year, int* month, int* day) {
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = int(doy - (153 * mp + 2) / 5 + 1);
    int m = int(mp < 10 ? mp + 3 : mp - 9);
    *year = int(yoe + era * 400 + (m <= 2));
    *month = m;
    *day = d;
}

bool is_valid_zone_name(std::string_view name) {
    if (name.empty() || name.size() > 64 || name.front() == '/' || name.find("..") != std::string_view::npos)
        return false;
    for (char ch : name)
        if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '/' || ch == '_' || ch == '-' || ch == '+'))
            return false;
    return true;
}

bool zone_exists(std::string_view name) { return rules_for(name) != nullptr; }

std::string LocalTime::iso_day() const {
    char out[40];
    std::snprintf(out, sizeof out, "%04d-%02d-%02d", year, month, day);
    return out;
}

std::string LocalTime::hh_mm() const {
    char out[24];
    std::snprintf(out, sizeof out, "%02d:%02d", hour, minute);
    return out;
}

std::optional<LocalTime> Clock::local_time(int64_t wall_ms, std::string_view zone) const {
    auto rules = rules_for(zone);
    if (!rules) return std::nullopt;
    int64_t t = floor_div(wall_ms, 1000);
    LocalTime out;
    out.utc_offset_s = rules->offset_at(t);
    int64_t local = t + out.utc_offset_s;
    int64_t days = floor_div(local, 86'400);
    int64_t secs = local - days * 86'400;
    civil_from_days(days, &out.year, &out.month, &out.day);
    out.hour = int(secs / 3600);
    out.minute = int(secs / 60 % 60);
    out.second = int(secs % 60);
    out.weekday = int((days + 4) % 7 + ((days + 4) % 7 < 0 ? 7 : 0));  // 1970-01-01 was a Thursday
    return out;
}

std::optional<int64_t> Clock::wall_ms_at(const LocalTime& local, std::string_view zone) const {
    auto rules = rules_for(zone);
    if (!rules) return std::nullopt;
    int64_t as_if_utc = days_from_civil(local.year, local.month, local.day) * 86'400 + local.hour * 3600 +
                        local.minute * 60 + local.second;
    // The offset in force a day before is the guess; the offset at the guess
    // corrects it. A repeated hour resolves to its first instant, a skipped
    // one keeps the offset before the change (so 02:30 on a spring-forward
    // night in Madrid is 03:30 CEST).
    int32_t before = rules->offset_at(as_if_utc - 86'400);
    int64_t first = as_if_utc - before;
    int32_t at_first = rules->offset_at(first);
    if (at_first == before) return first * 1000;
    int64_t second = as_if_utc - at_first;
    if (rules->offset_at(second) == at_first) return second * 1000;
    return first * 1000;  // skipped by the change
}

}  // namespace platform
