#include "app/start_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

namespace kiosk {

namespace {

constexpr size_t kKeptLines = 64;

struct Entry {
    std::string kind, boot_id;
    int64_t wall_ms = 0;
};

std::vector<Entry> read_entries(const std::string& path) {
    std::vector<Entry> entries;
    std::ifstream in(path);
    std::string line;
    // Bounded: a garbled or huge file is read for its first few hundred lines only.
    for (int n = 0; n < 1000 && std::getline(in, line); ++n) {
        std::istringstream fields(line);
        Entry e;
        if (fields >> e.kind >> e.boot_id >> e.wall_ms && (e.kind == "start" || e.kind == "clean") &&
            e.boot_id.size() <= 64)
            entries.push_back(e);
    }
    return entries;
}

// Written whole to a new file, fsync'd, then renamed over the old: a crash
// leaves the old log or the new one, never half of one.
void write_entries(const std::string& path, std::vector<Entry> entries) {
    if (entries.size() > kKeptLines) entries.erase(entries.begin(), entries.end() - kKeptLines);
    std::string text;
    for (const Entry& e : entries) text += e.kind + " " + e.boot_id + " " + std::to_string(e.wall_ms) + "\n";
    std::string tmp = path + ".new";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return;
    bool ok = ::write(fd, text.data(), text.size()) == ssize_t(text.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (ok) std::rename(tmp.c_str(), path.c_str());
}

}  // namespace

StartHistory record_start(const std::string& path, const std::string& boot_id, int64_t now_wall_ms) {
    std::vector<Entry> entries = read_entries(path);
    StartHistory h;
    for (size_t i = 0; i < entries.size(); ++i) {
        const Entry& e = entries[i];
        if (e.kind != "start") continue;
        if (e.boot_id == boot_id) ++h.restarts_since_boot;
        bool ended_cleanly = i + 1 < entries.size() && entries[i + 1].kind == "clean";
        if (!ended_cleanly && now_wall_ms - e.wall_ms <= kCrashLoopWindowMs && e.wall_ms <= now_wall_ms)
            ++h.crashes_in_window;
    }
    h.out_of_service = h.crashes_in_window >= kCrashLoopCount;
    entries.push_back({"start", boot_id, now_wall_ms});
    write_entries(path, std::move(entries));
    return h;
}

void record_clean_exit(const std::string& path, const std::string& boot_id, int64_t now_wall_ms) {
    std::vector<Entry> entries = read_entries(path);
    entries.push_back({"clean", boot_id, now_wall_ms});
    write_entries(path, std::move(entries));
}

std::string current_boot_id() {
    std::ifstream in("/proc/sys/kernel/random/boot_id");
    std::string id;
    in >> id;
    return id.empty() || id.size() > 64 ? std::string("unknown") : id;
}

}  // namespace kiosk
