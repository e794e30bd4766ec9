#include "platform/service_notify.h"

#include <systemd/sd-daemon.h>

#include <algorithm>
#include <cstdlib>

namespace platform {

ServiceNotifier ServiceNotifier::from_environment() {
    ServiceNotifier n;
    const char* socket = std::getenv("NOTIFY_SOCKET");
    n.enabled_ = socket && *socket;
    // WATCHDOG_USEC read directly, not through sd_watchdog_enabled(): under
    // cage the kiosk is the service's main process's child, so WATCHDOG_PID
    // names cage, and the unit's NotifyAccess=all is what lets the kiosk's
    // own pings count.
    const char* usec_text = std::getenv("WATCHDOG_USEC");
    if (n.enabled_ && usec_text && *usec_text) {
        char* end = nullptr;
        unsigned long long usec = std::strtoull(usec_text, &end, 10);
        if (*end == '\0' && usec >= 2000 && usec <= 3600ULL * 1000 * 1000)
            n.watchdog_interval_ms_ = int64_t(usec / 1000 / 2);
    }
    return n;
}

void ServiceNotifier::ready() {
    if (!enabled_ || ready_sent_) return;
    ready_sent_ = true;
    sd_notify(0, "READY=1");
}

void ServiceNotifier::ping() {
    if (enabled_) sd_notify(0, "WATCHDOG=1");
}

void ServiceNotifier::status(const std::string& text) {
    if (enabled_) sd_notify(0, ("STATUS=" + text).c_str());
}

void ServiceNotifier::reloading() {
    if (enabled_) sd_notify(0, "RELOADING=1");
}

void ServiceNotifier::stopping() {
    if (enabled_) sd_notify(0, "STOPPING=1");
}

}  // namespace platform
