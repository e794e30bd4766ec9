// crm-server — the reference central CRM (docs/crm-api.md).
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "crm_server.h"

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
    "  --admin-token TOKEN       bearer token for the staff endpoints\n"
    "  --kiosk-secret ID=SECRET  a kiosk and its signing secret (repeatable)\n"
    "  --seed-demo               a demo hospital (departments, slots, members, rewards, promotions,\n"
    "                            survey, flows) and the demo kiosk lobby-1=demo-secret\n"
    "  --time-zone ZONE          the hospital's IANA time zone (default Asia/Shanghai): served to kiosks,\n"
    "                            and the demo's clinic hours (08:00-11:30) and days are local to it\n"
    "  --cert FILE --key FILE    serve HTTPS with this certificate and key (PEM)\n"
    "  --allow-faults            enable the test-only fault endpoint (docs/crm-api.md)\n"
    "  --quiet                   no access log lines\n"
    "  --help                    this text\n";
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
        } else if (arg == "--admin-token") {
            options.admin_token = value();
        } else if (arg == "--kiosk-secret") {
            std::string v = value();
            auto eq = v.find('=');
            if (eq == std::string::npos || eq == 0 || eq + 1 == v.size()) {
                std::fprintf(stderr, "crm-server: --kiosk-secret %s: must be ID=SECRET\n", v.c_str());
                return 2;
            }
            options.kiosk_secrets[v.substr(0, eq)] = v.substr(eq + 1);
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
    sigset_t none;
    sigemptyset(&none);
    while (!stop_requested) sigsuspend(&none);  // woken by SIGINT/SIGTERM only
    server.stop();
    return 0;
}
