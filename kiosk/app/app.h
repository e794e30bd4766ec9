// kiosk/app/app.h — the kiosk program: one window, one event-driven loop.
//
// The loop draws only when something changed (input, a worker's message, a
// timer or an animation) and otherwise sleeps in the platform's wait, so the
// idle attract screen costs next to no CPU. The UI thread never waits on the
// network or the disk: workers post to the main-thread queue and wake it.
//
// Index
//   App(config, clock)   clock: the system clock, or a ManualClock when a script drives time
//   App::run(script, reload)   start everything and run until exit; returns the process exit code
//                        (script: commands from --script, or empty; reload: re-reads the configuration
//                        on SIGHUP, see Reloader)
//
// The appliance (docs/deployment.md), in the real loop only:
//   - systemd: READY=1 once the first frame is on the glass; WATCHDOG=1 from the
//     loop itself at half of WATCHDOG_USEC (the wait wakes for it), so a hung UI
//     thread stops the pings and systemd restarts the kiosk;
//   - SIGUSR1: restart at the next idle moment (the attract screen): exit 0, and
//     systemd's Restart=always starts the new version; a guest is never cut off;
//   - SIGHUP: reload the configuration; settings the workers hold (CRM, secret,
//     printer, data) make it a restart at the next idle moment instead;
//   - five crashes in a minute (app/start_log.h): the out-of-service screen only.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/config.h"
#include "app/script.h"
#include "platform/clock.h"

namespace kiosk {

// Called on the UI thread on SIGHUP: re-reads the configuration into the
// live one. Returns "" or why the new one was refused (the old one stays);
// *restart_needed: a changed setting only a new process can take.
using Reloader = std::function<std::string(bool* restart_needed)>;

class App {
public:
    App(const KioskConfig& config, platform::Clock& clock);
    ~App();
    int run(const std::vector<ScriptCommand>& script, Reloader reload = {});

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kiosk
