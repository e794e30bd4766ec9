#include "app/help_call.h"

#include <nlohmann/json.hpp>

#include "app/kiosk_context.h"
#include "offline_cache/outbox.h"
#include "platform/log.h"

namespace kiosk {

std::string help_payload(const std::string& screen) { return nlohmann::json{{"screen", screen}}.dump(); }

void call_for_help(KioskContext& ctx) {
    SceneId from = ctx.nav().current();
    if (from == SceneId::help) return;
    // An unanswered call stands: tapping again shows it rather than calling twice.
    bool answered = ctx.session.help && ctx.session.help->acknowledged_wall_ms > 0;
    if (!ctx.session.help || answered) {
        HelpCall call;
        call.from_screen = scene_name(from);
        if (ctx.store) {
            offline_cache::SaveResult saved = ctx.store->outbox().enqueue_urgent("help", help_payload(call.from_screen));
            if (saved.ok()) {
                call.key = saved.key;
                if (ctx.sync) ctx.sync->send_soon();
                log_info("help: called from screen %s", call.from_screen.c_str());
            } else {
                log_error("help: the call could not be saved: %s", saved.message.c_str());
            }
        }
        ctx.session.help = call;  // without a key the help screen sends the guest to the desk
    }
    ctx.nav().push(SceneId::help);
}

}  // namespace kiosk
