// Crash consistency, in the style of SQLite's crash tests: a child process
// saves records while the parent kills it with SIGKILL at random moments,
// hundreds of times. After every kill, each record the child reported as saved
// is present exactly once and the file passes its integrity check.
//
// OUTBOX_CRASH_ROUNDS=5000 makes it a soak (default 300: a few seconds).
#include <catch2/catch.hpp>

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <set>

#include "offline_cache/outbox.h"
#include "offline_cache/store.h"
#include "store_fixture.h"

namespace {

struct ChildRun {
    std::vector<std::string> reported;  // complete lines: keys the child said were saved
};

ChildRun run_and_kill(const std::string& dir, int round, int kill_after_keys, int extra_spin_us) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        std::string round_text = std::to_string(round);
        execl(OUTBOX_CRASH_CHILD, OUTBOX_CRASH_CHILD, dir.c_str(), round_text.c_str(), nullptr);
        _exit(127);
    }
    close(fds[1]);
    std::string buffer;
    char chunk[4096];
    auto lines = [&] { return std::count(buffer.begin(), buffer.end(), '\n'); };
    while (lines() < kill_after_keys) {
        ssize_t n = read(fds[0], chunk, sizeof chunk);
        if (n <= 0) break;  // the child died by itself: the checks below will say why
        buffer.append(chunk, size_t(n));
    }
    // A random moment inside the next save: spin (no sleep), then kill.
    auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(extra_spin_us);
    while (std::chrono::steady_clock::now() < until) {
    }
    kill(pid, SIGKILL);
    ssize_t n;
    while ((n = read(fds[0], chunk, sizeof chunk)) > 0) buffer.append(chunk, size_t(n));
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    INFO("the child must die by our SIGKILL, not by an error of its own");
    REQUIRE(WIFSIGNALED(status));

    ChildRun run;
    size_t start = 0;
    for (size_t nl = buffer.find('\n'); nl != std::string::npos; nl = buffer.find('\n', start)) {
        run.reported.push_back(buffer.substr(start, nl - start));
        start = nl + 1;
    }
    return run;
}

}  // namespace

TEST_CASE("Records reported saved survive SIGKILL at random moments, exactly once", "[outbox][crash]") {
    const char* env = std::getenv("OUTBOX_CRASH_ROUNDS");
    const int rounds = env ? std::atoi(env) : 300;
    TempDir dir;
    std::mt19937 random(20261122);
    std::set<std::string> all_reported;

    for (int round = 1; round <= rounds; ++round) {
        int keys = std::uniform_int_distribution<int>(0, 12)(random);
        int spin_us = std::uniform_int_distribution<int>(0, 3000)(random);
        ChildRun run = run_and_kill(dir.str(), round, keys, spin_us);
        all_reported.insert(run.reported.begin(), run.reported.end());

        // Restart as the kiosk would, then check.
        platform::ManualClock clock;
        offline_cache::SelfCheckReport report;
        std::string error;
        auto store = offline_cache::Store::open({dir.str()}, clock, &report, &error);
        INFO("round " << round << ": " << error);
        REQUIRE(store);
        REQUIRE_FALSE(report.corrupt);
        for (const auto& key : run.reported) {
            INFO("round " << round << ": key " << key << " was reported saved");
            auto record = store->outbox().find(key);
            REQUIRE(record);
            CHECK(record->state != offline_cache::RecordState::in_flight);  // reset by the restart
        }
        // Exactly once: one row per saved action (payloads name round and number uniquely).
        sqlite3* db = nullptr;
        sqlite3_open_v2(store->path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(db, "SELECT count(*), count(DISTINCT payload), count(DISTINCT key) FROM outbox", -1, &s,
                           nullptr);
        REQUIRE(sqlite3_step(s) == SQLITE_ROW);
        CHECK(sqlite3_column_int64(s, 0) == sqlite3_column_int64(s, 1));
        CHECK(sqlite3_column_int64(s, 0) == sqlite3_column_int64(s, 2));
        CHECK(sqlite3_column_int64(s, 0) >= int64_t(all_reported.size()));
        sqlite3_finalize(s);
        sqlite3_close(db);
        std::string path = store->path();
        store.reset();
        REQUIRE(integrity_check(path) == "ok");
    }
    CHECK(all_reported.size() > size_t(rounds));  // the children really saved things
}
