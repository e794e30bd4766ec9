#include "platform/log.h"

#include <cstdarg>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace platform {

namespace {
std::mutex sink_mutex;
std::function<void(LogLevel, const std::string&)> sink;

const char* level_name(LogLevel level) {
    switch (level) {
        case LogLevel::info: return "info";
        case LogLevel::warn: return "warn";
        case LogLevel::error: return "error";
    }
    return "?";
}

// Keeps one event on one line: newlines and other control bytes become \xNN.
std::string escape_controls(const char* text) {
    std::string out;
    for (const unsigned char* p = reinterpret_cast<const unsigned char*>(text); *p; ++p) {
        if (*p < 0x20 || *p == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", *p);
            out += buf;
        } else {
            out += char(*p);
        }
    }
    return out;
}
}  // namespace

void log_line(LogLevel level, const char* fmt, ...) {
    char message[2048];
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(message, sizeof message, fmt, args);
    va_end(args);
    std::string line = escape_controls(message);

    std::lock_guard<std::mutex> lock(sink_mutex);
    if (sink) {
        sink(level, line);
        return;
    }
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    std::fprintf(stderr, "%s %s %s\n", stamp, level_name(level), line.c_str());
}

void set_log_sink(std::function<void(LogLevel, const std::string&)> new_sink) {
    std::lock_guard<std::mutex> lock(sink_mutex);
    sink = std::move(new_sink);
}

}  // namespace platform
