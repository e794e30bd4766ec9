// build/bin/crm-server as a program: its flags, its readiness line, a clean
// stop on SIGTERM. Started as a child process on a free port, loopback only.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <fstream>

#include "../support/notify_socket.h"
#include "crm_fixture.h"

namespace {

struct Child {
    pid_t pid = -1;
    int err = -1;  // the child's stderr
    std::string output;

    explicit Child(std::vector<std::string> args) {
        int fds[2];
        REQUIRE(pipe(fds) == 0);
        pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            dup2(fds[1], 2);
            dup2(fds[1], 1);
            close(fds[0]);
            std::vector<char*> argv;
            args.insert(args.begin(), CRM_SERVER_BIN);
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            execv(CRM_SERVER_BIN, argv.data());
            _exit(127);
        }
        close(fds[1]);
        err = fds[0];
    }
    ~Child() {
        if (pid > 0) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
        }
        if (err >= 0) close(err);
    }
    // Reads output until it holds `text` or the deadline passes (bounded: no sleeping).
    bool wait_for(const std::string& text, int timeout_ms = 10'000) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        while (output.find(text) == std::string::npos) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return false;
            pollfd p{err, POLLIN, 0};
            if (poll(&p, 1, int(left.count())) <= 0) return false;
            char buf[512];
            ssize_t n = read(err, buf, sizeof buf);
            if (n <= 0) return output.find(text) != std::string::npos;
            output.append(buf, size_t(n));
        }
        return true;
    }
    int exit_code() {
        int status = 0;
        waitpid(pid, &status, 0);
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
};

std::string write_private(const std::filesystem::path& path, const std::string& text,
                          std::filesystem::perms mode = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write) {
    std::ofstream(path) << text;
    std::filesystem::permissions(path, mode);
    return path.string();
}

}  // namespace

TEST_CASE("Secrets reach the CRM by files only their owner reads, never by flags", "[crm][binary][secrets]") {
    CrmFixture scratch(/*seed_demo=*/false);
    scratch.server.reset();
    for (const char* gone : {"--admin-token", "--kiosk-secret"}) {
        INFO(gone);
        Child c({gone, "t0ken"});
        c.wait_for("\n");
        CHECK(c.exit_code() == 2);
        CHECK(c.output.find("anyone can read a command line") != std::string::npos);
    }
    using p = std::filesystem::perms;
    std::string readable = write_private(scratch.dir / "open-token", "t0ken\n", p::owner_read | p::owner_write | p::others_read);
    Child open_token({"--admin-token-file", readable});
    open_token.wait_for("\n");
    CHECK(open_token.exit_code() == 2);
    CHECK(open_token.output.find("chmod 600") != std::string::npos);
    std::string bad_line = write_private(scratch.dir / "bad-secrets", "lobby 9 has spaces\n");
    Child bad({"--kiosk-secrets-file", bad_line});
    bad.wait_for("\n");
    CHECK(bad.exit_code() == 2);
    CHECK(bad.output.find(":1:") != std::string::npos);
}

TEST_CASE("Under systemd the CRM says READY after binding and pings while its store answers", "[crm][binary][systemd]") {
    CrmFixture scratch(/*seed_demo=*/false);
    scratch.server.reset();
    NotifySocket notify;
    REQUIRE(notify.bound());
    setenv("NOTIFY_SOCKET", notify.path().c_str(), 1);
    setenv("WATCHDOG_USEC", "200000", 1);  // a ping every 100 ms
    Child c({"--listen", "127.0.0.1:0", "--db", (scratch.dir / "notify.sqlite").string(), "--quiet"});
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    REQUIRE(notify.wait_for("READY=1", 10'000));
    REQUIRE(c.wait_for("serving on"));
    auto pings = notify.collect(1000);
    int count = 0;
    for (auto& m : pings) count += m.text.find("WATCHDOG=1") != std::string::npos;
    CHECK(count >= 5);
    CHECK(count <= 15);
    kill(c.pid, SIGTERM);
    CHECK(notify.wait_for("STOPPING=1", 5000));
    CHECK(c.exit_code() == 0);
}

TEST_CASE("A bad flag stops the server with one line naming it", "[crm][binary]") {
    for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
             {"--bogus"}, {"--listen", "nowhere"}, {"--kiosk-secret", "no-equals"}, {"--cert", "x.pem"}, {"--db"}}) {
        INFO(args[0]);
        Child c(args);
        c.wait_for("\n");
        CHECK(c.exit_code() == 2);
        CHECK(c.output.find(args[0]) != std::string::npos);
        CHECK(std::count(c.output.begin(), c.output.end(), '\n') == 1);
    }
    Child no_cert({"--listen", "127.0.0.1:0", "--db", "/nonexistent-dir/x.sqlite"});
    no_cert.wait_for("\n");
    CHECK(no_cert.exit_code() == 1);  // cannot open the database: one line, exit 1
    CHECK(no_cert.output.find("/nonexistent-dir/x.sqlite") != std::string::npos);
    Child help({"--help"});
    help.wait_for("--allow-faults");
    CHECK(help.exit_code() == 0);
    CHECK(help.output.find("--listen HOST:PORT") != std::string::npos);
}

TEST_CASE("The binary announces its port when ready, serves, and stops cleanly on SIGTERM", "[crm][binary]") {
    CrmFixture scratch(/*seed_demo=*/false);  // for its temp directory
    scratch.server.reset();
    std::string db = (scratch.dir / "child.sqlite").string();
    std::string token = write_private(scratch.dir / "admin-token", "t0ken\n");
    std::string secrets = write_private(scratch.dir / "kiosk-secrets", "# id secret\nlobby-9 nine\n");
    Child c({"--listen", "127.0.0.1:0", "--db", db, "--admin-token-file", token, "--seed-demo",
             "--kiosk-secrets-file", secrets});
    REQUIRE(c.wait_for("serving on http://127.0.0.1:"));
    REQUIRE(c.wait_for("\n"));
    auto at = c.output.find("127.0.0.1:") + 10;
    int port = std::stoi(c.output.substr(at));
    httplib::Client client("127.0.0.1", port);
    auto kiosks = client.Get("/api/v1/admin/kiosks", {{"Authorization", "Bearer t0ken"}});
    REQUIRE(kiosks);
    CHECK(kiosks->status == 200);
    // --seed-demo adds the demo kiosk lobby-1 / demo-secret beside the given one.
    int64_t t = std::time(nullptr);
    auto flows = client.Get("/api/v1/content/flows",
                            {{"X-Kiosk-Id", "lobby-1"}, {"X-Kiosk-Timestamp", std::to_string(t)}, {"X-Kiosk-Nonce", "n"},
                             {"X-Kiosk-Signature", crm::sign_request("demo-secret", "GET", "/api/v1/content/flows", t, "n", "")}});
    REQUIRE(flows);
    CHECK(flows->status == 200);
    kill(c.pid, SIGTERM);
    CHECK(c.exit_code() == 0);
}
