// crm-server — the reference central CRM (docs/crm-api.md).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "crm_server.h"
#include "platform/service_notify.h"
#include "store.h"

#ifndef CRM_DEMO_FLOWS
#define CRM_DEMO_FLOWS ""
#endif

namespace {
volatile std::sig_atomic_t stop_requested = 0;
void on_signal(int) { stop_requested = 1; }

const char* const kHelp =
    "crm-server — the lobby kiosks' reference central CRM\n\n"
    "  --listen HOST:PORT        where to serve (default 127.0.0.1:8787; port 0 = any free port)\n"
    "  --db FILE                 SQLite database (default crm.sqlite)\n"
    "  --admin-token-file FILE   the staff endpoints' bearer token, one line (mode 600: owner only)\n"
    "  --kiosk-secrets-file FILE the kiosks and their signing secrets, one 'ID SECRET' per line (mode 600)\n"
    "                            (secrets are never flags: anyone can read /proc/*/cmdline)\n"
    "  --seed-demo               a demo hospital (departments, slots, members, rewards, promotions,\n"
    "                            survey, flows) and the demo kiosk lobby-1=demo-secret\n"
    "  --time-zone ZONE          the hospital's IANA time zone (default Asia/Shanghai): served to kiosks,\n"
    "                            and the demo's clinic hours (08:00-11:30) and days are local to it\n"
    "  --cert FILE --key FILE    serve HTTPS with this certificate and key (PEM)\n"
    "  --allow-faults            enable the test-only fault endpoint (docs/crm-api.md)\n"
    "  --quiet                   no access log lines\n"
    "  --help                    this text\n";
// A secret file: refused unless only its owner may read it; at most 64 KiB.
bool read_secret_file(const std::string& path, std::string* text) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd < 0 || fstat(fd, &st) != 0) {
        std::fprintf(stderr, "crm-server: %s: cannot be read\n", path.c_str());
        if (fd >= 0) ::close(fd);
        return false;
    }
    if ((st.st_mode & 077) || !S_ISREG(st.st_mode) || st.st_size > 65536) {
        std::fprintf(stderr, "crm-server: %s: must be a file of at most 64 KiB readable by its owner alone (chmod 600)\n",
                     path.c_str());
        ::close(fd);
        return false;
    }
    std::string data(size_t(st.st_size), '\0');
    ssize_t got = ::read(fd, data.data(), data.size());
    ::close(fd);
    if (got != ssize_t(data.size())) {
        std::fprintf(stderr, "crm-server: %s: cannot be read\n", path.c_str());
        return false;
    }
    *text = std::move(data);
    return true;
}

bool valid_kiosk_id(const std::string& id) {
    if (id.empty() || id.size() > 32) return false;
    for (char c : id)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
    return true;
}

// "ID SECRET" or "ID=SECRET" per line; '#' starts a comment line.
bool read_kiosk_secrets(const std::string& path, std::map<std::string, std::string>* secrets) {
    std::string text;
    if (!read_secret_file(path, &text)) return false;
    std::istringstream lines(text);
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        auto sep = line.find_first_of(" =");
        std::string id = line.substr(0, sep), secret = sep == std::string::npos ? "" : line.substr(sep + 1);
        if (!valid_kiosk_id(id) || secret.empty() || secret.find_first_of(" \t") != std::string::npos) {
            std::fprintf(stderr, "crm-server: %s:%d: expected 'KIOSK-ID SECRET'\n", path.c_str(), number);
            return false;
        }
        (*secrets)[id] = secret;
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    crm::CrmOptions options;
    options.demo_flows_path = CRM_DEMO_FLOWS;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "crm-server: %s needs a value\n", arg.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (arg == "--help") {
            std::fputs(kHelp, stdout);
            return 0;
        } else if (arg == "--listen") {
            std::string v = value();
            auto colon = v.rfind(':');
            try {
                if (colon == std::string::npos) throw std::invalid_argument(v);
                options.host = v.substr(0, colon);
                options.port = std::stoi(v.substr(colon + 1));
                if (options.host.empty() || options.port < 0 || options.port > 65535) throw std::invalid_argument(v);
            } catch (...) {
                std::fprintf(stderr, "crm-server: --listen %s: must be HOST:PORT\n", v.c_str());
                return 2;
            }
        } else if (arg == "--db") {
            options.db_path = value();
        } else if (arg == "--admin-token" || arg == "--kiosk-secret") {
            // Gone: a flag's value is in /proc/<pid>/cmdline for every user of the machine.
            std::fprintf(stderr, "crm-server: %s is no longer accepted (anyone can read a command line); use %s FILE, "
                                 "a file readable by its owner alone\n",
                         arg.c_str(), arg == "--admin-token" ? "--admin-token-file" : "--kiosk-secrets-file");
            return 2;
        } else if (arg == "--admin-token-file") {
            std::string text;
            if (!read_secret_file(value(), &text)) return 2;
            while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
            if (text.empty() || text.find_first_of(" \t\n") != std::string::npos) {
                std::fprintf(stderr, "crm-server: --admin-token-file: the token alone on one line\n");
                return 2;
            }
            options.admin_token = text;
        } else if (arg == "--kiosk-secrets-file") {
            if (!read_kiosk_secrets(value(), &options.kiosk_secrets)) return 2;
        } else if (arg == "--seed-demo") {
            options.seed_demo = true;
            options.kiosk_secrets.emplace("lobby-1", "demo-secret");
        } else if (arg == "--time-zone") {
            options.time_zone = value();
        } else if (arg == "--cert") {
            options.cert_path = value();
        } else if (arg == "--key") {
            options.key_path = value();
        } else if (arg == "--allow-faults") {
            options.allow_faults = true;
        } else if (arg == "--quiet") {
            options.access_log = false;
        } else {
            std::fprintf(stderr, "crm-server: unknown option '%s' (see --help)\n", arg.c_str());
            return 2;
        }
    }
    if (options.cert_path.empty() != options.key_path.empty()) {
        std::fprintf(stderr, "crm-server: --cert and --key go together\n");
        return 2;
    }
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    crm::CrmServer server(options, platform::system_clock());
    std::string error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "crm-server: %s\n", error.c_str());
        return 1;
    }
    // The readiness line: tests starting the binary wait for it (or poll the port).
    std::fprintf(stderr, "crm-server: serving on %s://%s:%d\n", options.cert_path.empty() ? "http" : "https",
                 options.host.c_str(), server.port());
    // systemd (Type=notify): ready once bound; the watchdog pinged only while
    // the store answers, so a CRM stuck on its database is restarted.
    platform::ServiceNotifier notifier = platform::ServiceNotifier::from_environment();
    notifier.ready();
    notifier.status("serving on port " + std::to_string(server.port()));
    std::mutex watchdog_mutex;
    std::condition_variable watchdog_wake;
    bool watchdog_stop = false;
    std::thread watchdog;
    if (notifier.watchdog_interval_ms() > 0)
        watchdog = std::thread([&] {
            std::unique_lock<std::mutex> lock(watchdog_mutex);
            while (!watchdog_stop) {
                lock.unlock();
                bool alive = server.store().answers();
                lock.lock();
                if (alive && !watchdog_stop) notifier.ping();
                watchdog_wake.wait_for(lock, std::chrono::milliseconds(notifier.watchdog_interval_ms()),
                                       [&] { return watchdog_stop; });
            }
        });
    sigset_t none;
    sigemptyset(&none);
    while (!stop_requested) sigsuspend(&none);  // woken by SIGINT/SIGTERM only
    notifier.stopping();
    {
        std::lock_guard<std::mutex> lock(watchdog_mutex);
        watchdog_stop = true;
    }
    watchdog_wake.notify_all();
    if (watchdog.joinable()) watchdog.join();
    server.stop();
    return 0;
}
