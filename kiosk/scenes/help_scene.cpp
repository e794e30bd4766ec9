// Help (需要帮助): what a guest sees after calling for help. The call left in
// the outbox's priority lane (app/help_call.h); this screen says staff are
// coming, where the nearest staffed desk is (content "help_desk"), and — asking
// the CRM every few seconds on the CRM request worker, never on this thread —
// when a member of staff acknowledged the call. Offline it says plainly that
// the call waits for the network and sends the guest to the desk.
#include <ctime>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/help_call.h"
#include "app/kiosk_context.h"
#include "content/help_desk.h"
#include "offline_cache/content_cache.h"
#include "offline_cache/outbox.h"
#include "platform/log.h"
#include "scenes/scenes.h"
#include "ui/chrome.h"

#ifndef KIOSK_ASSETS_DIR
#define KIOSK_ASSETS_DIR "assets"
#endif

namespace kiosk {

namespace {

constexpr int64_t kPollMs = 3'000;  // how often the CRM is asked whether staff answered

class HelpScene final : public Scene {
public:
    explicit HelpScene(KioskContext& ctx) : ctx_(ctx) {}

    void on_enter() override {
        next_poll_ms_ = ctx_.clock.monotonic_ms();
        load_desk();
    }
    void on_leave() override { asking_ = false; }
    bool on_event(const SceneEvent& event) override {
        if (event.kind == SceneEvent::Kind::content_changed) load_desk();
        // The sync worker reported: the call may have reached the CRM just now.
        if (event.kind == SceneEvent::Kind::sync_changed) next_poll_ms_ = ctx_.clock.monotonic_ms();
        return event.kind != SceneEvent::Kind::card_scanned;
    }
    int64_t ms_until_redraw() const override {
        if (!waiting_for_staff()) return -1;
        return std::max<int64_t>(0, next_poll_ms_ - ctx_.clock.monotonic_ms());
    }

    void on_frame() override {
        poll();
        ScreenArea area = begin_screen(ctx_, Bars::top_and_bottom);
        const Palette& p = palette(ctx_.session.high_contrast);
        bool large = ctx_.session.large_text;
        float s = ui_scale();
        float cx = (area.min.x + area.max.x) / 2, w = area.width() - 240 * s;
        float x = area.min.x + 120 * s;
        float y = area.min.y + 60 * s;
        const std::optional<HelpCall>& call = ctx_.session.help;

        if (!call) {
            // Only reached by --screen help (screenshots, the bench): no call made yet.
            y += draw_text_wrapped(ctx_.fonts.huge(large), ctx_.tr("help.title"), ImVec2(x, y), p.text, w) + 40 * s;
            ImVec2 size(560 * s, 120 * s);
            if (touch_button(ctx_.widgets, "help.call_now", ctx_.tr("help.call_now"), ImVec2(x, y), size,
                             ButtonStyle::primary, ctx_.fonts.title(large), ctx_.session.high_contrast)) {
                ctx_.nav().back();
                call_for_help(ctx_);
            }
            end_screen(ctx_, Bars::top_and_bottom);
            return;
        }

        const char* status_key = nullptr;
        const char* status_id = nullptr;
        std::string status_text;
        if (call->key.empty()) {
            status_key = "help.status.not_saved";
            status_id = "help.status.not_saved";
        } else if (call->acknowledged_wall_ms > 0) {
            status_id = "help.status.acknowledged";
            status_text = ctx_.strings.format(ctx_.session.lang, "help.status.acknowledged", "time",
                                              clock_time(call->acknowledged_wall_ms));
        } else if (call->delivered) {
            status_key = "help.status.sent";
            status_id = "help.status.sent";
        } else if (ctx_.sync && !ctx_.sync_status.online && !ctx_.sync_status.last_error.empty()) {
            status_key = "help.status.offline";
            status_id = "help.status.offline";
        } else {
            status_key = "help.status.sending";
            status_id = "help.status.sending";
        }
        if (status_key) status_text = ctx_.tr(status_key);

        bool acknowledged = call->acknowledged_wall_ms > 0;
        y += draw_text_wrapped(ctx_.fonts.huge(large), ctx_.tr(acknowledged ? "help.title.coming" : "help.title.called"),
                               ImVec2(x, y), p.primary, w) +
             30 * s;
        // The state of the call, on a band that changes colour when staff answer.
        ImFont* status_font = ctx_.fonts.title(large);
        float band_h = wrapped_height(status_font, status_text, w - 60 * s) + 50 * s;
        ImDrawList* draw = ImGui::GetWindowDrawList();
        ImVec2 band_min(x, y), band_max(x + w, y + band_h);
        draw->AddRectFilled(band_min, band_max, acknowledged ? IM_COL32(46, 160, 90, 40) : p.secondary, 18 * s);
        if (ctx_.session.high_contrast) draw->AddRect(band_min, band_max, p.border, 18 * s, 0, 3 * s);
        draw_text_wrapped(status_font, status_text, ImVec2(x + 30 * s, y + 25 * s), p.text, w - 60 * s);
        ctx_.widgets.record(status_id, status_text, band_min, band_max);
        y += band_h + 50 * s;

        // Where the nearest staffed desk is, in case the guest would rather walk there.
        y += draw_text_wrapped(ctx_.fonts.heading(large), ctx_.tr("help.desk"), ImVec2(x, y), p.text_muted, w) + 10 * s;
        std::string desk = desk_ ? desk_->in(ctx_.session.lang) : std::string();
        if (desk.empty()) desk = ctx_.tr("help.desk.unknown");
        ImVec2 desk_min(x, y);
        y += draw_text_wrapped(ctx_.fonts.title(large), desk, ImVec2(x, y), p.text, w);
        ctx_.widgets.record("help.desk", desk, desk_min, ImVec2(x + w, y));
        y += 40 * s;
        draw_text_wrapped(ctx_.fonts.body(large), ctx_.tr("help.stay"), ImVec2(x, y), p.text_muted, w);
        (void)cx;
        end_screen(ctx_, Bars::top_and_bottom);
    }

private:
    bool waiting_for_staff() const {
        const std::optional<HelpCall>& call = ctx_.session.help;
        return call && !call->key.empty() && call->acknowledged_wall_ms == 0;
    }

    // The outbox says when the call reached the CRM; then the CRM says when
    // staff answered. One question at a time, every kPollMs.
    void poll() {
        if (!waiting_for_staff() || asking_ || ctx_.clock.monotonic_ms() < next_poll_ms_) return;
        next_poll_ms_ = ctx_.clock.monotonic_ms() + kPollMs;
        HelpCall& call = *ctx_.session.help;
        if (!call.delivered && ctx_.store) {
            auto record = ctx_.store->outbox().find(call.key);
            call.delivered = record && record->state == offline_cache::RecordState::delivered;
        }
        if (!call.delivered || !ctx_.crm) return;
        asking_ = true;
        std::string key = call.key;
        ctx_.crm->help_status(key, [this, key](const JsonReply& answer) {
            asking_ = false;
            if (!ctx_.session.help || ctx_.session.help->key != key) return;  // another call by now
            if (!answer.ok()) {
                if (answer.status != 0) log_warn("help: the CRM answered HTTP %ld %s", answer.status, answer.code.c_str());
                return;
            }
            const nlohmann::json& doc = answer.doc;
            if (doc.value("state", "") != "acknowledged") return;
            auto at = doc.find("acknowledged_at_ms");
            ctx_.session.help->acknowledged_wall_ms =
                at != doc.end() && at->is_number_integer() && at->get<int64_t>() > 0 ? at->get<int64_t>()
                                                                                      : ctx_.clock.wall_ms();
            log_info("help: staff acknowledged the call");
        });
    }

    // The CRM's copy when the cache has a usable one, else the shipped default.
    void load_desk() {
        desk_.reset();
        if (ctx_.store)
            if (auto cached = ctx_.store->content().get("help_desk"))
                desk_ = help_desk_for(cached->body, ctx_.config.kiosk_id);
        if (desk_) return;
        std::string assets = ctx_.config.assets_dir.empty() ? std::string(KIOSK_ASSETS_DIR) : ctx_.config.assets_dir;
        std::ifstream in(assets + "/content/help_desk.json");
        std::stringstream text;
        text << in.rdbuf();
        desk_ = help_desk_for(text.str(), ctx_.config.kiosk_id);
        if (!desk_) log_warn("help: no usable help_desk content, shipped or cached");
    }

    static std::string clock_time(int64_t wall_ms) {
        std::time_t t = std::time_t(wall_ms / 1000);
        std::tm local{};
        localtime_r(&t, &local);
        char text[16];
        std::strftime(text, sizeof text, "%H:%M", &local);
        return text;
    }

    KioskContext& ctx_;
    std::optional<LocalizedText> desk_;
    int64_t next_poll_ms_ = 0;
    bool asking_ = false;
};

}  // namespace

std::unique_ptr<Scene> make_help_scene(KioskContext& ctx) { return std::make_unique<HelpScene>(ctx); }

}  // namespace kiosk
