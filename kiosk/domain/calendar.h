// kiosk/domain/calendar.h — days and times: the hospital's, and the contract's.
//
// A guest reads every time and day in the hospital's own zone (its IANA name
// from the CRM's content "time_zone", or the `time_zone` configuration key),
// written the way their language writes a date, with the weekday. The
// conversion is platform::Clock's (the only place that knows time zones).
// The CRM's days ("YYYY-MM-DD" in /api/v1/slots, a slot's day) are the
// hospital's local days too (docs/crm-api.md).
//
// Index
//   kDefaultTimeZone                    until the CRM or the configuration says otherwise
//   HospitalCalendar(clock, zone)       an unknown zone reads as UTC (and says so: known() is false)
//   HospitalCalendar::at(ms)            the instant as the hospital's wall clock
//   HospitalCalendar::day(ms) / time(ms)     "2026-12-03" / "09:00", local
//   HospitalCalendar::next_days(n)      today (the local day) and the n−1 days after, "YYYY-MM-DD"
//   written_day(lang, iso_day)          "2026年12月3日 星期四" · "Thursday 3 December" · "jueves 3 de diciembre"
//   HospitalCalendar::written(lang, ms) written_day + "  09:00"
//   utc_day(ms) / utc_time(ms)          the UTC day and time (a member's offline spending day, as the CRM counts it)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "i18n/lang.h"
#include "platform/clock.h"

namespace kiosk {

inline constexpr const char* kDefaultTimeZone = "Asia/Shanghai";

class HospitalCalendar {
public:
    HospitalCalendar(const platform::Clock& clock, std::string zone);
    bool known() const { return known_; }
    const std::string& zone() const { return zone_; }
    platform::LocalTime at(int64_t wall_ms) const;
    std::string day(int64_t wall_ms) const { return at(wall_ms).iso_day(); }
    std::string time(int64_t wall_ms) const { return at(wall_ms).hh_mm(); }
    std::vector<std::string> next_days(int count) const;
    std::string written(Lang lang, int64_t wall_ms) const;

private:
    const platform::Clock& clock_;
    std::string zone_;
    bool known_;
};

// iso_day is "YYYY-MM-DD"; anything else comes back unchanged.
std::string written_day(Lang lang, const std::string& iso_day);

std::string utc_day(int64_t wall_ms);
std::string utc_time(int64_t wall_ms);

}  // namespace kiosk
