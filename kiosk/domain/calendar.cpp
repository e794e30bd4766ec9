#include "domain/calendar.h"

#include <cstdio>

namespace kiosk {

namespace {

platform::LocalTime utc(int64_t wall_ms) {
    platform::LocalTime out;
    int64_t s = wall_ms >= 0 ? wall_ms / 1000 : -((-wall_ms + 999) / 1000);
    int64_t days = s >= 0 ? s / 86'400 : -((-s + 86'399) / 86'400);
    int64_t rest = s - days * 86'400;
    platform::civil_from_days(days, &out.year, &out.month, &out.day);
    out.hour = int(rest / 3600);
    out.minute = int(rest / 60 % 60);
    out.second = int(rest % 60);
    out.weekday = int(((days + 4) % 7 + 7) % 7);
    return out;
}

const char* const kWeekdayZh[] = {"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"};
const char* const kWeekdayEn[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
const char* const kWeekdayEs[] = {"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"};
const char* const kMonthEn[] = {"January", "February", "March",     "April",   "May",      "June",
                                "July",    "August",   "September", "October", "November", "December"};
const char* const kMonthEs[] = {"enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
                                "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre"};

}  // namespace

HospitalCalendar::HospitalCalendar(const platform::Clock& clock, std::string zone)
    : clock_(clock), zone_(std::move(zone)), known_(platform::zone_exists(zone_)) {}

platform::LocalTime HospitalCalendar::at(int64_t wall_ms) const {
    if (known_)
        if (auto local = clock_.local_time(wall_ms, zone_)) return *local;
    return utc(wall_ms);
}

std::vector<std::string> HospitalCalendar::next_days(int count) const {
    platform::LocalTime today = at(clock_.wall_ms());
    int64_t first = platform::days_from_civil(today.year, today.month, today.day);
    std::vector<std::string> out;
    for (int i = 0; i < count; ++i) {
        platform::LocalTime d;
        platform::civil_from_days(first + i, &d.year, &d.month, &d.day);
        out.push_back(d.iso_day());
    }
    return out;
}

std::string HospitalCalendar::written(Lang lang, int64_t wall_ms) const {
    platform::LocalTime t = at(wall_ms);
    return written_day(lang, t.iso_day()) + "  " + t.hh_mm();
}

std::string written_day(Lang lang, const std::string& iso_day) {
    int y = 0, m = 0, d = 0;
    char tail = 0;
    if (iso_day.size() != 10 || std::sscanf(iso_day.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 ||
        m > 12 || d < 1 || d > 31)
        return iso_day;
    int64_t days = platform::days_from_civil(y, m, d);
    int weekday = int(((days + 4) % 7 + 7) % 7);
    char out[96];
    switch (lang) {
        case Lang::zh_Hans:
        case Lang::zh_Hant: std::snprintf(out, sizeof out, "%d年%d月%d日 %s", y, m, d, kWeekdayZh[weekday]); break;
        case Lang::en: std::snprintf(out, sizeof out, "%s %d %s", kWeekdayEn[weekday], d, kMonthEn[m - 1]); break;
        case Lang::es: std::snprintf(out, sizeof out, "%s %d de %s", kWeekdayEs[weekday], d, kMonthEs[m - 1]); break;
    }
    return out;
}

std::string utc_day(int64_t wall_ms) { return utc(wall_ms).iso_day(); }
std::string utc_time(int64_t wall_ms) { return utc(wall_ms).hh_mm(); }

}  // namespace kiosk
