#include "domain/calendar.h"

#include <cstdio>
#include <ctime>

namespace kiosk {

std::string utc_day(int64_t wall_ms) {
    std::time_t t = std::time_t(wall_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char out[48];
    std::snprintf(out, sizeof out, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return out;
}

std::string utc_time(int64_t wall_ms) {
    std::time_t t = std::time_t(wall_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char out[32];
    std::snprintf(out, sizeof out, "%02d:%02d", tm.tm_hour, tm.tm_min);
    return out;
}

}  // namespace kiosk
