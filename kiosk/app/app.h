// kiosk/app/app.h — the kiosk program: one window, one event-driven loop.
//
// The loop draws only when something changed (input, a worker's message, a
// timer or an animation) and otherwise sleeps in the platform's wait, so the
// idle attract screen costs next to no CPU. The UI thread never waits on the
// network or the disk: workers post to the main-thread queue and wake it.
//
// Index
//   App(config, clock)   clock: the system clock, or a ManualClock when a script drives time
//   App::run(script)     start everything and run until exit; returns the process exit code
//                        (script: commands from --script, or empty)
#pragma once

#include <memory>
#include <vector>

#include "app/config.h"
#include "app/script.h"
#include "platform/clock.h"

namespace kiosk {

class App {
public:
    App(const KioskConfig& config, platform::Clock& clock);
    ~App();
    int run(const std::vector<ScriptCommand>& script);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kiosk
