// The kiosk as an appliance (issue 16), through the real binary in its real
// event loop: systemd's notify protocol on a socket this test owns, the
// watchdog that stops when the UI thread hangs, restart requests honoured only
// at the attract screen, SIGHUP reloads, the crash-loop screen, private data.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../support/notify_socket.h"
#include "app/start_log.h"
#include "platform/clock.h"

extern char** environ;

namespace fs = std::filesystem;

namespace {

int count_of(const std::vector<NotifyMessage>& messages, const std::string& text) {
    int n = 0;
    for (const NotifyMessage& m : messages) n += m.text.find(text) != std::string::npos;
    return n;
}

// The kiosk binary as systemd would run it: NOTIFY_SOCKET and WATCHDOG_USEC set.
struct ServiceKiosk {
    fs::path dir;
    NotifySocket notify;
    pid_t pid = -1;
    int status = -1;

    explicit ServiceKiosk(const std::string& name) {
        dir = fs::temp_directory_path() / ("kiosk-appliance-" + name + "-" + std::to_string(getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
        REQUIRE(notify.bound());
    }
    ~ServiceKiosk() {
        if (pid > 0) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
        }
        fs::remove_all(dir);
    }
    fs::path data() const { return dir / "data"; }
    fs::path config() const { return dir / "kiosk.conf"; }

    void start(std::vector<std::string> args, int64_t watchdog_usec = 400'000) {
        args.insert(args.begin(), {KIOSK_BINARY, "--headless", "--size", "640x360", "--data-dir", data().string(),
                                   "--config", config().string()});
        if (!fs::exists(config())) std::ofstream(config()) << "# test\n";
        std::vector<std::string> env_text = {"NOTIFY_SOCKET=" + notify.path(),
                                             "WATCHDOG_USEC=" + std::to_string(watchdog_usec)};
        for (char** e = environ; *e; ++e)
            if (std::string(*e).rfind("NOTIFY_SOCKET=", 0) != 0 && std::string(*e).rfind("WATCHDOG_", 0) != 0)
                env_text.push_back(*e);
        std::vector<char*> argv, envp;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        for (auto& e : env_text) envp.push_back(e.data());
        envp.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        std::string log = (dir / "kiosk.log").string();
        posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        REQUIRE(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data()) == 0);
        posix_spawn_file_actions_destroy(&actions);
    }

    std::string log() const {
        std::ifstream in(dir / "kiosk.log");
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }

    bool running() {
        if (pid <= 0) return false;
        pid_t got = waitpid(pid, &status, WNOHANG);
        if (got == pid) pid = -1;
        return got == 0;
    }

    // Waits for the process to end, bounded; the notify socket's own wait paces the loop.
    bool wait_exit(int timeout_ms) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        while (std::chrono::steady_clock::now() < deadline) {
            if (!running()) return true;
            notify.collect(100);
        }
        return !running();
    }
};

}  // namespace

TEST_CASE("Under systemd the kiosk says READY after its first frame and pings from its loop at half WATCHDOG_USEC",
          "[appliance][systemd]") {
    ServiceKiosk k("watchdog");
    k.start({"--demo", "--test-hooks"}, 400'000);  // a ping every 200 ms
    INFO(k.log());
    REQUIRE(k.notify.wait_for("READY=1", 30'000));
    // READY comes with the first frame, and nothing is pinged before it.
    CHECK(count_of(k.notify.received(), "WATCHDOG=1") == 0);
    auto pings = k.notify.collect(2000);
    INFO(k.log());
    CHECK(count_of(pings, "WATCHDOG=1") >= 6);
    CHECK(count_of(pings, "WATCHDOG=1") <= 14);

    // The UI thread hangs (a test-only hook): the pings stop; systemd would restart it.
    kill(k.pid, SIGUSR2);
    k.notify.collect(300);  // one ping may already be on its way
    auto after = k.notify.collect(1500);
    CHECK(count_of(after, "WATCHDOG=1") == 0);
    CHECK(k.running());  // hung, not dead: only the watchdog can tell
}

TEST_CASE("Without the watchdog the kiosk sends no pings, and without --test-hooks SIGUSR2 does nothing",
          "[appliance][systemd]") {
    ServiceKiosk k("nowatchdog");
    k.start({"--demo"}, 0);
    REQUIRE(k.notify.wait_for("READY=1", 30'000));
    kill(k.pid, SIGUSR2);
    CHECK(count_of(k.notify.collect(800), "WATCHDOG=1") == 0);
    CHECK(k.running());
}

TEST_CASE("A restart request waits for the guest: the kiosk exits only back on the attract screen",
          "[appliance][update]") {
    ServiceKiosk k("restart");
    // A short idle timeout so the "guest" on the home screen walks away within the test.
    std::ofstream(k.config()) << "idle_timeout_s = 5\nidle_countdown_s = 3\n";
    k.start({"--demo", "--screen", "home"});
    REQUIRE(k.notify.wait_for("READY=1", 30'000));
    kill(k.pid, SIGUSR1);
    REQUIRE(k.notify.wait_for("STATUS=restart requested", 5000));
    // Still serving the guest: alive and pinging after it saw the request.
    CHECK(count_of(k.notify.collect(1000), "WATCHDOG=1") >= 2);
    CHECK(k.running());
    // The session times out (5 s + 3 s countdown), the attract screen returns, and it exits cleanly.
    REQUIRE(k.wait_exit(30'000));
    CHECK(WIFEXITED(k.status));
    CHECK(WEXITSTATUS(k.status) == 0);

    // Its files are its own: the directory 0700, every file 0600.
    struct stat st {};
    REQUIRE(stat(k.data().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    int files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(k.data())) {
        REQUIRE(stat(entry.path().c_str(), &st) == 0);
        INFO(entry.path());
        CHECK((st.st_mode & 0777) == (S_ISDIR(st.st_mode) ? 0700u : 0600u));
        ++files;
    }
    CHECK(files >= 2);  // the store and the start log at least
    std::ifstream starts(k.data() / "starts");
    std::string all((std::istreambuf_iterator<char>(starts)), std::istreambuf_iterator<char>());
    CHECK(all.find("clean ") != std::string::npos);  // a restart request is not a crash
}

TEST_CASE("SIGHUP reloads the configuration: screen settings at once, a bad file keeps the old one",
          "[appliance][update]") {
    ServiceKiosk k("reload");
    std::ofstream(k.config()) << "idle_timeout_s = 3600\n";
    k.start({"--demo", "--screen", "home"});
    REQUIRE(k.notify.wait_for("READY=1", 30'000));

    std::ofstream(k.config()) << "idle_timeout_s = soon\n";
    kill(k.pid, SIGHUP);
    REQUIRE(k.notify.wait_for("STATUS=configuration not reloaded", 5000));

    std::ofstream(k.config()) << "idle_timeout_s = 5\nidle_countdown_s = 3\n";
    kill(k.pid, SIGHUP);
    REQUIRE(k.notify.wait_for("STATUS=configuration reloaded", 5000));
    // The shorter timeout now holds: a restart request is honoured within it
    // (with the old hour-long timeout the kiosk would still be waiting).
    kill(k.pid, SIGUSR1);
    REQUIRE(k.notify.wait_for("STATUS=restart requested", 5000));
    REQUIRE(k.wait_exit(30'000));
    CHECK(WEXITSTATUS(k.status) == 0);

    // A setting the workers hold (the CRM's address) makes it a restart at the next idle moment.
    ServiceKiosk cold("reload-cold");
    std::ofstream(cold.config()) << "crm_url = http://127.0.0.1:1\n";
    cold.start({"--demo"});
    REQUIRE(cold.notify.wait_for("READY=1", 30'000));
    std::ofstream(cold.config()) << "crm_url = http://127.0.0.1:2\n";
    kill(cold.pid, SIGHUP);
    REQUIRE(cold.notify.wait_for("STATUS=configuration reloaded: restart requested", 5000));
    REQUIRE(cold.wait_exit(10'000));  // on the attract screen already: at once
    CHECK(WEXITSTATUS(cold.status) == 0);
}

TEST_CASE("Five crashes in a minute: the kiosk shows only the out-of-service screen and says so", "[appliance][systemd]") {
    ServiceKiosk k("crashloop");
    fs::create_directories(k.data());
    // Five starts in the last minute, none of them ended cleanly.
    int64_t now = platform::system_clock().wall_ms();
    for (int i = 5; i >= 1; --i) kiosk::record_start((k.data() / "starts").string(), kiosk::current_boot_id(), now - i * 1000);
    k.start({"--demo"});
    REQUIRE(k.notify.wait_for("READY=1", 30'000));
    CHECK(k.notify.wait_for("STATUS=out of service", 5000));
    CHECK(k.log().find("out of service") != std::string::npos);
}

TEST_CASE("The start log counts restarts since boot and crashes in the last minute", "[appliance]") {
    fs::path log = fs::temp_directory_path() / ("kiosk-starts-" + std::to_string(getpid()));
    fs::remove(log);
    int64_t t = 1'800'000'000'000;
    CHECK(kiosk::record_start(log.string(), "boot-a", t).restarts_since_boot == 0);
    kiosk::record_clean_exit(log.string(), "boot-a", t + 10);
    kiosk::StartHistory h;
    for (int i = 1; i <= 5; ++i) h = kiosk::record_start(log.string(), "boot-a", t + i * 1000);
    CHECK(h.restarts_since_boot == 5);
    CHECK(h.crashes_in_window == 4);  // the first start ended cleanly
    CHECK_FALSE(h.out_of_service);
    h = kiosk::record_start(log.string(), "boot-a", t + 6000);
    CHECK(h.crashes_in_window == 5);
    CHECK(h.out_of_service);
    // A new boot: no restarts yet; crashes long ago do not count.
    h = kiosk::record_start(log.string(), "boot-b", t + 10 * 60'000);
    CHECK(h.restarts_since_boot == 0);
    CHECK_FALSE(h.out_of_service);
    fs::remove(log);
}

TEST_CASE("Outside --demo the kiosk refuses to start without its own secret", "[appliance][secrets]") {
    std::string command = std::string(KIOSK_BINARY) + " --headless --data-dir /tmp/kiosk-nodemo-" +
                          std::to_string(getpid()) + " 2>&1";
    FILE* out = popen(command.c_str(), "r");
    REQUIRE(out);
    std::string text;
    char buf[512];
    while (size_t n = fread(buf, 1, sizeof buf, out)) text.append(buf, n);
    int status = pclose(out);
    CHECK(WEXITSTATUS(status) == 2);
    CHECK(text.find("kiosk_secret_file") != std::string::npos);
}
