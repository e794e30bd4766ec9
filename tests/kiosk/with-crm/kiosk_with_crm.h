// tests/kiosk/with-crm/kiosk_with_crm.h — the real kiosk binary, headless and
// driven by a script, against the real reference CRM on 127.0.0.1.
//
// The CRM runs in this test process (CrmFixture: a fresh seeded database, a
// free port, kiosk lobby-1 with secret "s3cret", admin token "staff-token");
// each run_script() starts the kiosk as its own process on a data directory
// that outlives the run, so a second run is the same kiosk restarted: what
// the first one queued offline is still in its outbox.
//
// Index
//   KioskWithCrm                   the CRM plus one kiosk data directory per kiosk id
//   run_script(text, opts)         run the kiosk on the script; exit code and everything it printed
//   start_script / finish_script   the same in two halves, for a test that acts while the kiosk runs
//   ScriptRun::online              false: the kiosk is pointed at a closed port (the CRM is unreachable)
//   ScriptRun::offline(), as_kiosk(id)   the common variations
//   admin_list(name)               GET /api/v1/admin/<name> as staff: the "items" array
//   screenshot_dir()               where scripts may write PNGs ($KIOSK_SCREENSHOT_DIR or the temp dir)
#pragma once

#include <spawn.h>
#include <sys/wait.h>

#include <fstream>
#include <sstream>

#include "../../crm-server/crm_fixture.h"

extern char** environ;

struct ScriptRun {
    std::string kiosk_id = "lobby-1";
    bool online = true;
    std::string lang;                      // --lang, when set
    std::vector<std::string> extra_args;   // more kiosk options
    std::vector<std::string> config_lines; // more "key = value" lines for the kiosk's config file

    static ScriptRun offline() {
        ScriptRun run;
        run.online = false;
        return run;
    }
    static ScriptRun as_kiosk(const std::string& id) {
        ScriptRun run;
        run.kiosk_id = id;
        return run;
    }
};

struct ScriptResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr together
};

struct KioskWithCrm : CrmFixture {
    KioskWithCrm() : CrmFixture(/*seed_demo=*/true) {}

    std::filesystem::path data_dir(const std::string& kiosk_id) const { return dir / ("kiosk-" + kiosk_id); }

    ScriptResult run_script(const std::string& script, const ScriptRun& run = {}) {
        return finish_script(start_script(script, run));
    }

    // The kiosk as its own process while the test goes on (staff answering a
    // call for help, say); finish_script() waits for it, bounded by the
    // script's own bounded steps.
    struct Running {
        pid_t pid = 0;
        std::filesystem::path output_file;
    };
    Running start_script(const std::string& script, const ScriptRun& run = {}) {
        static int counter = 0;
        int n = counter++;
        std::filesystem::path script_file = dir / ("script-" + std::to_string(n) + ".script");
        std::filesystem::path config_file = dir / ("kiosk-" + std::to_string(n) + ".conf");
        std::filesystem::path output_file = dir / ("output-" + std::to_string(n) + ".txt");
        std::filesystem::path secret_file = dir / ("kiosk-" + std::to_string(n) + ".secret");
        std::ofstream(script_file) << script;
        {
            // The secret by a file only its owner reads (the kiosk refuses any other).
            std::ofstream(secret_file) << (run.kiosk_id == "lobby-2" ? "other" : "s3cret") << "\n";
            std::filesystem::permissions(secret_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
            std::ofstream conf(config_file);
            conf << "kiosk_id = " << run.kiosk_id << "\n";
            conf << "kiosk_secret_file = " << secret_file.string() << "\n";
            // Port 1 on loopback: nothing listens, so the connection is refused at once.
            conf << "crm_url = http://127.0.0.1:" << (run.online ? server->port() : 1) << "\n";
            for (const std::string& line : run.config_lines) conf << line << "\n";
        }
        // --demo: the scripts open staff mode with the demo PIN.
        std::vector<std::string> args = {KIOSK_BINARY, "--demo", "--config", config_file.string(), "--headless",
                                         "--data-dir", data_dir(run.kiosk_id).string(), "--script",
                                         script_file.string()};
        if (!run.lang.empty()) args.insert(args.end(), {"--lang", run.lang});
        args.insert(args.end(), run.extra_args.begin(), run.extra_args.end());

        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, output_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        std::vector<char*> argv;
        for (std::string& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        pid_t pid = 0;
        int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        REQUIRE(spawned == 0);
        return {pid, output_file};
    }

    ScriptResult finish_script(const Running& running) {
        ScriptResult result;
        int status = 0;
        // Bounded: the kiosk's own script steps each end within their timeouts.
        REQUIRE(waitpid(running.pid, &status, 0) == running.pid);
        result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        std::ifstream in(running.output_file);
        std::stringstream text;
        text << in.rdbuf();
        result.output = text.str();
        return result;
    }

    json admin_list(const std::string& name) {
        auto res = staff("GET", "/api/v1/admin/" + name);
        REQUIRE(res);
        INFO(res->body);
        REQUIRE(res->status == 200);
        return json::parse(res->body)["items"];
    }

    static std::string screenshot_dir() {
        const char* d = std::getenv("KIOSK_SCREENSHOT_DIR");
        return d && *d ? d : std::filesystem::temp_directory_path().string();
    }
};

// The script held (exit 0); otherwise show what the kiosk said.
// `result` is evaluated once: REQUIRE_SCRIPT_PASSES(k.run_script(…)) runs the script once.
#define REQUIRE_SCRIPT_PASSES(result)                   \
    do {                                                \
        const ScriptResult& script_result_ = (result);  \
        INFO(script_result_.output);                    \
        REQUIRE(script_result_.exit_code == 0);         \
    } while (0)
