// kiosk — the lobby kiosk's entry point: read the configuration, then run the App.
#include <sys/stat.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/app.h"
#include "app/config.h"
#include "app/scene.h"
#include "app/script.h"
#include "app/secrets.h"
#include "platform/clock.h"
#include "platform/control_signals.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
    // Network writes to a closed socket must fail as errors, not kill the kiosk.
    std::signal(SIGPIPE, SIG_IGN);
    // Before any thread starts, so every thread inherits the mask: these reach
    // the App through its control-signal thread only (platform/control_signals.h).
    platform::ControlSignals::block_in_this_thread({SIGHUP, SIGUSR1, SIGUSR2});

    kiosk::KioskConfig config;
    std::string message;
    switch (kiosk::parse_kiosk_args(argc, argv, &config, &message)) {
        case kiosk::ParseOutcome::exit_ok: std::fputs(message.c_str(), stdout); return 0;
        case kiosk::ParseOutcome::exit_error: std::fprintf(stderr, "kiosk: %s\n", message.c_str()); return 2;
        case kiosk::ParseOutcome::run: break;
    }
    if (config.hash_pin) {
        // The PIN comes on stdin, never as an argument (anyone can read /proc/*/cmdline).
        std::string pin;
        std::getline(std::cin, pin);
        if (!pin.empty() && pin.back() == '\r') pin.pop_back();
        if (pin.size() < 4 || pin.size() > 12 || pin.find_first_not_of("0123456789") != std::string::npos) {
            std::fprintf(stderr, "kiosk: --hash-pin: the PIN must be 4 to 12 digits\n");
            return 2;
        }
        std::printf("%s\n", kiosk::hash_staff_pin(pin).c_str());
        return 0;
    }
    if (config.assets_dir.empty()) {
        // Installed (the lobby-kiosk package): /usr/bin/lobby-kiosk finds /usr/share/lobby-kiosk.
        // Run from a build tree: the source tree's assets/ it was built with.
        std::error_code ec;
        fs::path exe = fs::read_symlink("/proc/self/exe", ec);
        fs::path installed = exe.parent_path().parent_path() / "share" / "lobby-kiosk";
        config.assets_dir = !ec && fs::exists(installed / "i18n", ec) ? installed.string() : std::string(KIOSK_ASSETS_DIR);
    }
    if (!kiosk::load_kiosk_secrets(&config, &message)) {
        std::fprintf(stderr, "kiosk: %s\n", message.c_str());
        return 2;
    }
    // Everything the kiosk writes (the store, its journal, images, the restart
    // log) is for the kiosk user alone: files 0600 in a 0700 directory.
    umask(077);
    {
        std::error_code ec;
        std::filesystem::create_directories(config.data_dir, ec);
        if (chmod(config.data_dir.c_str(), 0700) != 0) {
            std::fprintf(stderr, "kiosk: --data-dir %s: cannot be made private (mode 0700)\n", config.data_dir.c_str());
            return 2;
        }
    }
    if (!config.start_screen.empty() && !kiosk::scene_from_name(config.start_screen)) {
        std::string names;
        for (int i = 0; i < kiosk::kSceneCount; ++i) names += std::string(" ") + kiosk::scene_name(kiosk::SceneId(i));
        std::fprintf(stderr, "kiosk: --screen %s: no such screen (screens:%s)\n", config.start_screen.c_str(),
                     names.c_str());
        return 2;
    }

    std::vector<kiosk::ScriptCommand> script;
    if (!config.script_file.empty()) {
        std::ifstream in(config.script_file);
        if (!in) {
            std::fprintf(stderr, "kiosk: --script %s: cannot be read\n", config.script_file.c_str());
            return 2;
        }
        std::stringstream text;
        text << in.rdbuf();
        std::string error;
        auto parsed = kiosk::parse_script(text.str(), &error);
        if (!parsed) {
            std::fprintf(stderr, "kiosk: --script %s: %s\n", config.script_file.c_str(), error.c_str());
            return 2;
        }
        script = std::move(*parsed);
    }

    // A script drives time itself, so a 60-second idle timeout takes no 60 seconds.
    platform::ManualClock script_clock(platform::system_clock().monotonic_ms(), platform::system_clock().wall_ms());
    platform::Clock& clock = config.script_file.empty() ? platform::system_clock() : script_clock;
    kiosk::App app(config, clock);
    // SIGHUP: the same flags and file again; a bad file keeps the running configuration.
    return app.run(script, [&config, argc, argv](bool* restart_needed) {
        kiosk::KioskConfig fresh;
        std::string why;
        if (kiosk::parse_kiosk_args(argc, argv, &fresh, &why) != kiosk::ParseOutcome::run) return why;
        if (!kiosk::load_kiosk_secrets(&fresh, &why)) return why;
        if (fresh.assets_dir.empty()) fresh.assets_dir = config.assets_dir;  // resolved the same way at start
        *restart_needed = kiosk::apply_reloaded_config(fresh, &config);
        return std::string();
    });
}
