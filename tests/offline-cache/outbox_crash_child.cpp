// outbox_crash_child DIR — the process the crash test kills.
//
// Saves records as fast as it can and reports each key on stdout right after
// enqueue() returned ok (the moment a screen would say "saved"); now and then
// plays the sync worker, claiming and acknowledging a batch. It never stops
// by itself: the parent kills it with SIGKILL at a random moment.
#include <unistd.h>

#include <cstdio>
#include <string>

#include "offline_cache/outbox.h"
#include "offline_cache/store.h"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: outbox_crash_child DIR ROUND\n");
        return 2;
    }
    offline_cache::SelfCheckReport report;
    std::string error;
    auto store = offline_cache::Store::open({argv[1]}, platform::system_clock(), &report, &error);
    if (!store) {
        std::fprintf(stderr, "open: %s\n", error.c_str());
        return 3;
    }
    for (long n = 0;; ++n) {
        std::string payload = std::string("{\"round\":") + argv[2] + ",\"n\":" + std::to_string(n) + "}";
        offline_cache::SaveResult saved = store->outbox().enqueue("complaint", payload);
        if (!saved.ok()) {
            std::fprintf(stderr, "enqueue: %s\n", saved.message.c_str());
            return 4;
        }
        std::string line = saved.key + "\n";
        if (write(STDOUT_FILENO, line.data(), line.size()) != ssize_t(line.size())) return 5;
        if (n % 7 == 6) {
            auto batch = store->outbox().claim_batch(5);
            std::vector<std::string> keys;
            for (auto& r : batch) keys.push_back(r.key);
            if (!keys.empty()) store->outbox().mark_delivered(keys);
        }
        if (n % 50 == 49) store->checkpoint();
    }
}
