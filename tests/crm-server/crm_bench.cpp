// crm-bench — requests per second on POST /api/v1/outbox/batch of the real
// reference CRM (SQLite, WAL, synchronous=FULL) over loopback HTTP, with
// signed requests from several concurrent kiosk connections. Figures and how
// to reproduce them: docs/PERFORMANCE-crm.md.
//
//   crm-bench [--batches N] [--records R] [--clients C] [--dir DIR]
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "crm_server.h"

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

struct Pass {
    double seconds = 0;
    std::vector<double> latencies_ms;
    int failures = 0;
};

// Sends batches [0, batches) across `clients` keep-alive connections; batch i
// always carries keys i*R … i*R+R-1, so a second pass is all duplicates.
Pass run(int port, int batches, int records, int clients) {
    Pass pass;
    std::atomic<int> next{0}, failures{0};
    std::vector<std::vector<double>> lat(static_cast<size_t>(clients));
    auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&, c] {
            httplib::Client client("127.0.0.1", port);
            client.set_keep_alive(true);
            client.set_tcp_nodelay(true);  // as libcurl does by default; else each request waits ~40 ms for a delayed ACK
            for (int b; (b = next++) < batches;) {
                json list = json::array();
                for (int r = 0; r < records; ++r)
                    list.push_back({{"key", "bench-" + std::to_string(b) + "-" + std::to_string(r)},
                                    {"type", "feedback"},
                                    {"payload", R"({"face":2,"topics":["waiting","doctor"],"comment":"候诊时间有点长"})"},
                                    {"created_at_ms", 1795000000000 + b}});
                std::string body = json{{"records", list}}.dump();
                int64_t t = std::time(nullptr);
                // Unique across passes: the same body, second and nonce again would be a replay (401).
                static std::atomic<int64_t> nonce{0};
                std::string n = "bench-" + std::to_string(nonce++);
                httplib::Headers headers = {
                    {"X-Kiosk-Id", "bench"}, {"X-Kiosk-Timestamp", std::to_string(t)}, {"X-Kiosk-Nonce", n},
                    {"X-Kiosk-Signature", crm::sign_request("bench-secret", "POST", "/api/v1/outbox/batch", t, n, body)}};
                auto sent = Clock::now();
                auto res = client.Post("/api/v1/outbox/batch", headers, body, "application/json");
                lat[size_t(c)].push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
                if (!res || res->status != 200) ++failures;
            }
        });
    for (auto& t : threads) t.join();
    pass.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    for (auto& l : lat) pass.latencies_ms.insert(pass.latencies_ms.end(), l.begin(), l.end());
    std::sort(pass.latencies_ms.begin(), pass.latencies_ms.end());
    pass.failures = failures;
    return pass;
}

void report(const char* name, const Pass& p, int batches, int records) {
    auto pct = [&](double q) { return p.latencies_ms[std::min(p.latencies_ms.size() - 1, size_t(q * p.latencies_ms.size()))]; };
    std::printf("%-22s %6d requests in %6.2f s: %7.0f requests/s, %8.0f records/s, latency p50 %.2f ms, p99 %.2f ms%s\n",
                name, batches, p.seconds, batches / p.seconds, double(batches) * records / p.seconds, pct(0.5), pct(0.99),
                p.failures ? " — FAILURES" : "");
}

}  // namespace

int main(int argc, char** argv) {
    int batches = 2000, records = 10, clients = 4;
    std::string dir = std::filesystem::temp_directory_path() / ("crm-bench-" + std::to_string(getpid()));
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "crm-bench: %s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--batches") batches = std::stoi(value());
        else if (a == "--records") records = std::stoi(value());
        else if (a == "--clients") clients = std::stoi(value());
        else if (a == "--dir") dir = value();
        else {
            std::fprintf(stderr, "crm-bench: unknown option '%s'\n", a.c_str());
            return 2;
        }
    }
    std::filesystem::create_directories(dir);
    std::string db = dir + "/bench.sqlite";
    std::filesystem::remove(db);
    crm::CrmOptions options;
    options.port = 0;
    options.db_path = db;
    options.kiosk_secrets = {{"bench", "bench-secret"}};
    options.access_log = false;
    crm::CrmServer server(options, platform::system_clock());
    std::string error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "crm-bench: %s\n", error.c_str());
        return 1;
    }
    std::printf("crm-bench: %d batches of %d records, %d concurrent kiosk connections, database %s\n", batches, records,
                clients, db.c_str());
    Pass fresh = run(server.port(), batches, records, clients);
    report("new records", fresh, batches, records);
    Pass resent = run(server.port(), batches, records, clients);
    report("resent (duplicates)", resent, batches, records);
    int64_t stored = server.count_records("feedback");
    std::printf("stored %lld records (expected %lld)\n", static_cast<long long>(stored),
                static_cast<long long>(batches) * records);
    server.stop();
    std::filesystem::remove_all(dir);
    return stored == int64_t(batches) * records && !fresh.failures && !resent.failures ? 0 : 1;
}
