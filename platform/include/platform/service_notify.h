// platform/service_notify.h — telling systemd how the process is (sd_notify).
//
// Under a unit with Type=notify, systemd waits for READY=1 before it calls the
// service started, and with WatchdogSec= it kills and restarts a service that
// sends no WATCHDOG=1 within that time. Outside systemd (no NOTIFY_SOCKET)
// every call here does nothing, cheaply.
//
// Index
//   ServiceNotifier::from_environment()   reads NOTIFY_SOCKET / WATCHDOG_USEC once (libsystemd)
//   ServiceNotifier::watchdog_interval_ms()   how often to ping: half of WATCHDOG_USEC; 0 = no watchdog
//   ServiceNotifier::ready()              READY=1, once (later calls do nothing)
//   ServiceNotifier::ping()               WATCHDOG=1
//   ServiceNotifier::status(text)         STATUS=<text> (shown by systemctl status; tests wait on it)
//   ServiceNotifier::reloading() / stopping()   RELOADING=1 / STOPPING=1
//
// Invariant: the only code that may call ping() is the loop whose liveness it
// vouches for (the kiosk's UI loop, the CRM's store check) — never a timer
// thread of its own, or a hung loop would go on being reported alive.
#pragma once

#include <cstdint>
#include <string>

namespace platform {

class ServiceNotifier {
public:
    static ServiceNotifier from_environment();
    bool enabled() const { return enabled_; }
    int64_t watchdog_interval_ms() const { return watchdog_interval_ms_; }
    void ready();
    void ping();
    void status(const std::string& text);
    void reloading();
    void stopping();

private:
    bool enabled_ = false;
    bool ready_sent_ = false;
    int64_t watchdog_interval_ms_ = 0;
};

}  // namespace platform
