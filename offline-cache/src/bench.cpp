#include "offline_cache/bench.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <vector>

#include "offline_cache/content_cache.h"
#include "offline_cache/outbox.h"
#include "offline_cache/store.h"

namespace offline_cache {

namespace {
using steady = std::chrono::steady_clock;

double ms_since(steady::time_point t0) { return std::chrono::duration<double, std::milli>(steady::now() - t0).count(); }

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}
}  // namespace

void run_offline_cache_benchmarks(const std::string& scratch_dir, std::ostream& out) {
    namespace fs = std::filesystem;
    fs::remove_all(scratch_dir);
    SelfCheckReport report;
    std::string error;
    {
        auto store = Store::open({scratch_dir}, platform::system_clock(), &report, &error);
        if (!store) {
            out << "outbox_error: " << error << "\n";
            return;
        }
        out << std::fixed << std::setprecision(3);

        // One guest action = one durable transaction (WAL append + fsync).
        const std::string payload =
            R"({"face":1,"topics":["waiting","reception"],"text":"候诊时间太长了，希望改进","hour":"2026-11-22T10"})";
        std::vector<double> save_ms;
        auto all0 = steady::now();
        for (int i = 0; i < 500; ++i) {
            auto t0 = steady::now();
            store->outbox().enqueue("feedback", payload);
            save_ms.push_back(ms_since(t0));
        }
        double total_s = ms_since(all0) / 1000.0;
        out << "outbox_save_ms_p50: " << percentile(save_ms, 0.5) << "\n";
        out << "outbox_save_ms_p99: " << percentile(save_ms, 0.99) << "\n";
        out << "outbox_saves_per_s: " << std::setprecision(0) << 500.0 / total_s << std::setprecision(3) << "\n";

        auto t0 = steady::now();
        auto batch = store->outbox().claim_batch(100);
        std::vector<std::string> keys;
        for (auto& r : batch) keys.push_back(r.key);
        store->outbox().mark_delivered(keys);
        out << "outbox_claim_ack_100_ms: " << ms_since(t0) << "\n";

        store->content().put({"promotions", std::string(20'000, 'p'), "\"v1\"", 0});
        std::vector<double> lookup_us;
        for (int i = 0; i < 1000; ++i) {
            auto t1 = steady::now();
            store->content().get("promotions");
            lookup_us.push_back(ms_since(t1) * 1000.0);
        }
        out << "cache_lookup_us_p50: " << percentile(lookup_us, 0.5) << "\n";
        out << "cache_lookup_us_p99: " << percentile(lookup_us, 0.99) << "\n";
    }
    fs::remove_all(scratch_dir);
}

}  // namespace offline_cache
