// sync-bench — sync figures for `make bench` and docs/PERFORMANCE.md: the real
// outbox drained through libcurl to the real reference CRM on 127.0.0.1.
// Prints `name: value` lines.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "crm_server.h"
#include "offline_cache/outbox.h"
#include "offline_cache/store.h"
#include "offline_cache/sync_engine.h"

int main() {
    namespace fs = std::filesystem;
    using steady = std::chrono::steady_clock;
    fs::path dir = fs::temp_directory_path() / ("sync-bench-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);

    crm::CrmOptions crm_options;
    crm_options.port = 0;
    crm_options.db_path = (dir / "crm.sqlite").string();
    crm_options.kiosk_secrets = {{"lobby-1", "s"}};
    crm::CrmServer server(crm_options, platform::system_clock());
    std::string error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "sync-bench: %s\n", error.c_str());
        return 1;
    }
    offline_cache::SelfCheckReport report;
    auto store = offline_cache::Store::open({(dir / "kiosk").string()}, platform::system_clock(), &report, &error);
    if (!store) {
        std::fprintf(stderr, "sync-bench: %s\n", error.c_str());
        return 1;
    }
    const int kRecords = 10'000;
    for (int i = 0; i < kRecords; ++i)
        store->outbox().enqueue("feedback", "{\"face\":" + std::to_string(i % 4) + ",\"topics\":[\"waiting\"]}");

    offline_cache::SyncOptions options;
    options.crm_url = "http://127.0.0.1:" + std::to_string(server.port());
    options.secret = "s";
    options.batch_size = 100;
    offline_cache::SyncEngine engine(*store, platform::system_clock(), options);
    auto t0 = steady::now();
    int requests = 0;
    while (engine.run_once() != offline_cache::RoundResult::nothing_due && requests < 1000) ++requests;
    double seconds = std::chrono::duration<double>(steady::now() - t0).count();
    std::printf("sync_drain_10000_records_s: %.2f\n", seconds);
    std::printf("sync_records_per_s: %.0f\n", kRecords / seconds);
    std::printf("sync_batch_requests_per_s: %.1f\n", requests / seconds);
    std::printf("sync_delivered: %lld\n", static_cast<long long>(store->outbox().stats().delivered));
    std::printf("crm_records_stored: %lld\n", static_cast<long long>(server.count_records()));

    // Content: the first pull, then unchanged pulls (If-None-Match → 304).
    server.stop();
    crm_options.seed_demo = true;
    crm_options.demo_flows_path = KIOSK_FLOWS_PATH;
    crm::CrmServer content_server(crm_options, platform::system_clock());
    if (!content_server.start(&error)) return 1;
    options.crm_url = "http://127.0.0.1:" + std::to_string(content_server.port());
    offline_cache::SyncEngine puller(*store, platform::system_clock(), options);
    puller.pull_content("flows");
    const int kPulls = 200;
    auto p0 = steady::now();
    for (int i = 0; i < kPulls; ++i) puller.pull_content("flows");
    double pull_ms = std::chrono::duration<double, std::milli>(steady::now() - p0).count() / kPulls;
    std::printf("content_pull_unchanged_ms: %.2f\n", pull_ms);
    store.reset();
    content_server.stop();
    fs::remove_all(dir);
    return 0;
}
