// platform/process_stats.h — what the process costs, for --bench and the staff screen.
//
// Index
//   peak_rss_kb()               the most resident memory this process has held
//   current_pss_kb()            proportional set size now (/proc/self/smaps_rollup), 0 if unknown
//   cpu_time_ms()               user + system CPU time so far
//   ms_since_process_start()    wall time since the kernel started this process (for time-to-first-frame)
#pragma once

#include <cstdint>

namespace platform {

int64_t peak_rss_kb();
int64_t current_pss_kb();
int64_t cpu_time_ms();
int64_t ms_since_process_start();

}  // namespace platform
