// kiosk/app/start_log.h — the kiosk's starts, counted durably in its data
// directory, so a kiosk that keeps crashing stops looping and says so.
//
// The file (<data_dir>/starts) holds one line per start and per clean exit:
// "start <boot_id> <wall_ms>" / "clean <boot_id> <wall_ms>", the last 64 only.
// A start followed by another start (no clean exit between) was a crash.
//
// Index
//   StartHistory                          what the kiosk knows about its recent starts
//   record_start(path, boot_id, now)      append this start; the history including it
//   record_clean_exit(path, boot_id, now) the run that started last ended on purpose (restart request, staff exit)
//   current_boot_id()                     /proc/sys/kernel/random/boot_id (a new one every boot)
//
// Rule: kCrashLoopCount crashes within kCrashLoopWindowMs before this start
// put the kiosk out of service: it shows the "please go to the information
// desk" screen instead of the guest screens, and its heartbeat says so, until
// it has stayed out of service for kOutOfServiceRetryMs (then it tries again).
#pragma once

#include <cstdint>
#include <string>

namespace kiosk {

inline constexpr int kCrashLoopCount = 5;
inline constexpr int64_t kCrashLoopWindowMs = 60'000;
inline constexpr int64_t kOutOfServiceRetryMs = 10 * 60'000;

struct StartHistory {
    int restarts_since_boot = 0;    // starts with this boot id before this one
    int crashes_in_window = 0;      // starts within the window that did not end cleanly
    bool out_of_service = false;    // crashes_in_window >= kCrashLoopCount
};

StartHistory record_start(const std::string& path, const std::string& boot_id, int64_t now_wall_ms);
void record_clean_exit(const std::string& path, const std::string& boot_id, int64_t now_wall_ms);
std::string current_boot_id();

}  // namespace kiosk
