// offline_cache/bench.h — the offline cache's figures for `kiosk --bench`.
//
// Index
//   run_offline_cache_benchmarks(dir, out)   a scratch store in dir: prints `name: value` lines
//                                            (save latency p50/p99, saves per second, cache look-up
//                                            latency, a 100-record claim + acknowledge); removes it after
#pragma once

#include <ostream>
#include <string>

namespace offline_cache {

void run_offline_cache_benchmarks(const std::string& scratch_dir, std::ostream& out);

}  // namespace offline_cache
