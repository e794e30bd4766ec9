#include "platform/process_stats.h"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace platform {

int64_t peak_rss_kb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;  // kilobytes on Linux
}

int64_t current_pss_kb() {
    std::ifstream in("/proc/self/smaps_rollup");
    std::string key;
    int64_t value = 0;
    while (in >> key) {
        if (key == "Pss:") {
            in >> value;
            return value;
        }
        in.ignore(1 << 12, '\n');
    }
    return 0;
}

int64_t cpu_time_ms() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return (int64_t(usage.ru_utime.tv_sec) + usage.ru_stime.tv_sec) * 1000 +
           (int64_t(usage.ru_utime.tv_usec) + usage.ru_stime.tv_usec) / 1000;
}

int64_t ms_since_process_start() {
    // Field 22 of /proc/self/stat is the start time in clock ticks after boot;
    // /proc/uptime is seconds since boot. Their difference is our age.
    std::ifstream stat("/proc/self/stat");
    std::string content((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    auto close_paren = content.rfind(')');
    if (close_paren == std::string::npos) return -1;
    std::istringstream fields(content.substr(close_paren + 2));
    std::string field;
    for (int i = 3; i <= 22 && fields >> field; ++i) {
        if (i == 22) {
            double start_s = double(std::stoll(field)) / double(sysconf(_SC_CLK_TCK));
            double uptime_s = 0;
            std::ifstream("/proc/uptime") >> uptime_s;
            return int64_t((uptime_s - start_s) * 1000.0);
        }
    }
    return -1;
}

}  // namespace platform
