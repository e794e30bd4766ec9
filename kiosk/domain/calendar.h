// kiosk/domain/calendar.h — days and times as the CRM contract writes them.
//
// The contract's days are UTC (docs/crm-api.md: "days are YYYY-MM-DD (UTC)"),
// so every feature that names a day to the CRM — a member's offline spending
// day, a booking's day — uses these and no other formatting.
//
// Index
//   utc_day(wall_ms)    "2026-11-23"
//   utc_time(wall_ms)   "08:30"
#pragma once

#include <cstdint>
#include <string>

namespace kiosk {

std::string utc_day(int64_t wall_ms);
std::string utc_time(int64_t wall_ms);

}  // namespace kiosk
