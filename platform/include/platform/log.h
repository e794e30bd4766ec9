// platform/log.h — one line per event on stderr, with a timestamp and a level.
//
// Invariant: callers never pass names, card numbers or phone numbers in clear;
// mask them first (kiosk/domain/privacy.h). Lines are single-line: control
// characters in the message are escaped, so nothing a guest types can forge a
// log line.
//
// Index
//   log_info(fmt, ...) / log_warn(...) / log_error(...)   printf-style
//   set_log_sink(fn)                                      tests capture lines here (nullptr restores stderr)
#pragma once

#include <functional>
#include <string>

namespace platform {

enum class LogLevel { info, warn, error };

void log_line(LogLevel level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_info(...) ::platform::log_line(::platform::LogLevel::info, __VA_ARGS__)
#define log_warn(...) ::platform::log_line(::platform::LogLevel::warn, __VA_ARGS__)
#define log_error(...) ::platform::log_line(::platform::LogLevel::error, __VA_ARGS__)

void set_log_sink(std::function<void(LogLevel, const std::string&)> sink);

}  // namespace platform
