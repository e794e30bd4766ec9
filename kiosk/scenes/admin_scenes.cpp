// Staff mode. Reached only by the hidden gesture (a long press in the top-left
// corner, see App) followed by the staff PIN from the configuration.
#include <cstdio>

#include "app/kiosk_context.h"
#include "app/secrets.h"
#include "offline_cache/content_cache.h"
#include "offline_cache/outbox.h"
#include "offline_cache/store.h"
#include "platform/log.h"
#include "scenes/scenes.h"
#include "ui/chrome.h"
#include "ui/touch_scroll.h"

#ifndef KIOSK_VERSION
#define KIOSK_VERSION "0.0.0"
#endif

namespace kiosk {

namespace {

constexpr int kMaxTries = 5;
constexpr int64_t kLockoutMs = 60'000;

class AdminPinScene final : public Scene {
public:
    explicit AdminPinScene(KioskContext& ctx) : ctx_(ctx) {}

    // The digits typed are dropped whenever the screen is left.
    void on_enter() override { digits_.clear(), wrong_ = false; }
    void on_leave() override { digits_.clear(), wrong_ = false; }

    void on_frame() override {
        ScreenArea area = begin_screen(ctx_, Bars::top_and_bottom);
        const Palette& p = palette(ctx_.session.high_contrast);
        bool large = ctx_.session.large_text;
        float s = ui_scale();
        float cx = (area.min.x + area.max.x) / 2;
        draw_text_centered(ctx_.fonts.title(large), ctx_.tr("admin.pin_prompt"), ImVec2(cx, area.min.y + 70 * s), p.text,
                           area.width());
        std::string dots;
        for (size_t i = 0; i < digits_.size(); ++i) dots += "• ";
        draw_text_centered(ctx_.fonts.huge(false), dots.empty() ? " " : dots, ImVec2(cx, area.min.y + 160 * s), p.text,
                           area.width());

        int64_t now = ctx_.clock.monotonic_ms();
        bool locked = now < locked_until_ms_;
        if (locked) {
            int left = int((locked_until_ms_ - now + 999) / 1000);
            draw_text_centered(ctx_.fonts.body(large), ctx_.format_seconds("admin.pin_locked", left),
                               ImVec2(cx, area.min.y + 230 * s), p.vip, area.width());
        } else if (wrong_) {
            draw_text_centered(ctx_.fonts.body(large), ctx_.tr("admin.pin_wrong"), ImVec2(cx, area.min.y + 230 * s),
                               p.vip, area.width());
        }

        static const char* const kKeys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok"};
        ImVec2 key(200 * s, 110 * s);
        float gap = 20 * s;
        float left = cx - (3 * key.x + 2 * gap) / 2;
        float top = area.min.y + 280 * s;
        for (int i = 0; i < 12; ++i) {
            std::string id = std::string("pin.") + kKeys[i];
            std::string label = i == 9 ? ctx_.tr("pinpad.clear") : i == 11 ? ctx_.tr("pinpad.ok") : kKeys[i];
            ImVec2 pos(left + float(i % 3) * (key.x + gap), top + float(i / 3) * (key.y + gap));
            bool tapped = touch_button(ctx_.widgets, id.c_str(), label, pos, key,
                                       i == 11 ? ButtonStyle::primary : ButtonStyle::secondary,
                                       ctx_.fonts.title(false), ctx_.session.high_contrast);
            if (!tapped || locked) continue;
            if (i == 9) digits_.clear();
            else if (i == 11) check();
            else if (digits_.size() < 12) digits_ += kKeys[i];
        }
        end_screen(ctx_, Bars::top_and_bottom);
    }

private:
    void check() {
        if (staff_pin_matches(ctx_.config.admin_pin_hash, digits_)) {
            tries_ = 0;
            log_info("staff mode opened");
            ctx_.nav().replace(SceneId::admin);
            return;
        }
        wrong_ = true;
        digits_.clear();
        if (++tries_ >= kMaxTries) {
            tries_ = 0;
            locked_until_ms_ = ctx_.clock.monotonic_ms() + kLockoutMs;
            log_warn("staff PIN: %d wrong tries, locked for %lld s", kMaxTries,
                     static_cast<long long>(kLockoutMs / 1000));
        }
    }

    KioskContext& ctx_;
    std::string digits_;
    bool wrong_ = false;
    int tries_ = 0;  // survives leaving the screen: walking away does not reset the count
    int64_t locked_until_ms_ = 0;
};

class AdminScene final : public Scene {
public:
    explicit AdminScene(KioskContext& ctx) : ctx_(ctx) {}
    void on_enter() override { sync_asked_ = false; }

    void on_frame() override {
        ScreenArea area = begin_screen(ctx_, Bars::top_and_bottom);
        const Palette& p = palette(ctx_.session.high_contrast);
        bool large = ctx_.session.large_text;
        float s = ui_scale();
        ImFont* body = ctx_.fonts.body(large);
        float x = area.min.x + 80 * s, y = area.min.y + 40 * s;
        y += draw_text_wrapped(ctx_.fonts.huge(large), ctx_.tr("admin.title"), ImVec2(x, y), p.text, area.width());
        y += 24 * s;

        int64_t up_s = (ctx_.clock.monotonic_ms() - ctx_.started_ms) / 1000;
        char clock_time[48];
        std::snprintf(clock_time, sizeof clock_time, "%02lld:%02lld:%02lld", static_cast<long long>(up_s / 3600 % 24),
                      static_cast<long long>(up_s / 60 % 60), static_cast<long long>(up_s % 60));
        std::string uptime =
            fill(ctx_.tr("admin.uptime_value"), {{"days", std::to_string(up_s / 86400)}, {"time", clock_time}});
        std::string coverage;
        for (Lang lang : kAllLangs) {
            char part[48];
            std::snprintf(part, sizeof part, "%s %.0f%%   ", lang_code(lang), 100.0 * ctx_.strings.coverage(lang));
            coverage += part;
        }
        // The hospital's own wording from the CRM ("translations"), so staff know why a text differs.
        coverage += "+ " + std::to_string(ctx_.strings.override_count()) + " CRM";
        std::string glyphs = fill(ctx_.tr("admin.glyphs_value"),
                                  {{"n", std::to_string(ctx_.fonts.glyph_count())}, {"mb", megabytes(ctx_.fonts.atlas_bytes())}});
        const std::pair<const char*, std::string> rows[] = {
            {"admin.version", KIOSK_VERSION},
            {"admin.kiosk_id", ctx_.config.kiosk_id},
            {"admin.uptime", uptime},
            {"admin.data_dir", ctx_.config.data_dir},
            {"admin.renderer", ctx_.renderer_name},
            {"admin.font", ctx_.fonts.path()},
            {"admin.glyphs", glyphs},
            {"admin.content", ctx_.flows ? ctx_.flows->version : ctx_.tr("admin.content_error") + ": " + ctx_.flows_error},
            {"admin.coverage", coverage},
            {"admin.store", store_line()},
            {"admin.outbox", outbox_line()},
            {"admin.content_cache", cache_line()},
            {"admin.promotions", promotions_line()},
            {"admin.promotion_images", images_line()},
            {"admin.sync", sync_line()},
        };
        // "Sync now" answers: started, then finished with what is left (the
        // worker's round count moves when it is done; its report wakes the loop).
        std::string sync_feedback;
        if (sync_asked_ && ctx_.sync)
            sync_feedback = ctx_.sync->rounds_completed() > sync_round_before_
                                ? fill(ctx_.tr("admin.sync_done"),
                                       {{"waiting", std::to_string(ctx_.store ? ctx_.store->outbox().stats().depth() : 0)},
                                        {"state", ctx_.tr(ctx_.sync_status.online ? "sync.online" : "sync.offline")}})
                                : ctx_.tr("admin.sync_started");
        float label_w = 420 * s;
        // Five buttons across the bottom: as wide as fits, never wider than 420.
        ImVec2 button(std::min(420 * s, (area.width() - 120 * s - 4 * 30 * s) / 5), 100 * s);
        float by = area.max.y - button.y - 30 * s;
        // The rows scroll (drag) above the buttons: each feature adds its own,
        // and none may slide under the buttons.
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        ImGui::BeginChild("##admin-rows", ImVec2(area.max.x - x - 40 * s, std::max(100 * s, by - y - 20 * s)), false,
                          ImGuiWindowFlags_NoBackground);
        touch_scroll_region(ctx_.scroll, "admin_rows");
        ImVec2 origin = ImGui::GetCursorScreenPos();
        float ry = origin.y;
        for (auto& [key, value] : rows) {
            draw_text_wrapped(body, ctx_.tr(key), ImVec2(origin.x, ry), p.text_muted, label_w);
            float h = std::max(body->FontSize, draw_text_wrapped(body, value, ImVec2(origin.x + label_w, ry), p.text,
                                                                 area.width() - label_w - 160 * s));
            // Each value is a widget named by its row (e.g. admin.outbox), so a script can read it.
            ctx_.widgets.record(key, value, ImVec2(origin.x + label_w, ry), ImVec2(origin.x + label_w + 1, ry + h));
            ry += h + 14 * s;
        }
        if (!sync_feedback.empty()) {
            float h = draw_text_wrapped(ctx_.fonts.heading(large), sync_feedback, ImVec2(origin.x, ry), p.primary,
                                        area.width() - 160 * s);
            ctx_.widgets.record("staff.sync_feedback", sync_feedback, ImVec2(origin.x, ry), ImVec2(origin.x + 1, ry + h));
            ry += h + 14 * s;
        }
        ImGui::Dummy(ImVec2(1, ry - origin.y));
        ImGui::EndChild();

        // Close is the highlighted, safe way out; exiting the program is a plain button.
        if (touch_button(ctx_.widgets, "admin.close", ctx_.tr("admin.close"), ImVec2(x, by), button,
                         ButtonStyle::primary, ctx_.fonts.title(false), ctx_.session.high_contrast))
            ctx_.nav().back();
        if (touch_button(ctx_.widgets, "admin.input_check", ctx_.tr("admin.input_check"),
                         ImVec2(x + 2 * (button.x + 30 * s), by), button, ButtonStyle::secondary,
                         ctx_.fonts.title(false), ctx_.session.high_contrast))
            ctx_.nav().push(SceneId::admin_input);
        if (ctx_.sync && touch_button(ctx_.widgets, "admin.sync_now", ctx_.tr("admin.sync_now"),
                                      ImVec2(x + 3 * (button.x + 30 * s), by), button, ButtonStyle::secondary,
                                      ctx_.fonts.title(false), ctx_.session.high_contrast)) {
            sync_round_before_ = ctx_.sync->rounds_completed();
            sync_asked_ = true;
            ctx_.sync->sync_now();
        }
        if (touch_button(ctx_.widgets, "admin.printer", ctx_.tr("admin.printer"),
                         ImVec2(x + 4 * (button.x + 30 * s), by), button, ButtonStyle::secondary,
                         ctx_.fonts.title(false), ctx_.session.high_contrast))
            ctx_.nav().push(SceneId::admin_printer);
        if (touch_button(ctx_.widgets, "admin.exit_kiosk", ctx_.tr("admin.exit_kiosk"),
                         ImVec2(x + button.x + 30 * s, by), button, ButtonStyle::secondary, ctx_.fonts.title(false),
                         ctx_.session.high_contrast)) {
            log_info("staff asked the kiosk to exit");
            ctx_.quit_requested = true;
        }
        end_screen(ctx_, Bars::top_and_bottom);
    }

private:
    static std::string fill(std::string text, std::initializer_list<std::pair<const char*, std::string>> values) {
        for (const auto& [name, value] : values) {
            std::string token = std::string("{") + name + "}";
            for (size_t at = text.find(token); at != std::string::npos; at = text.find(token, at + value.size()))
                text.replace(at, token.size(), value);
        }
        return text;
    }

    std::string sync_line() const {
        if (!ctx_.sync) return "-";
        const auto& st = ctx_.sync_status;
        std::string state = ctx_.tr(st.online ? "sync.online" : "sync.offline");
        std::string line = ctx_.config.crm_url + " — " + state;
        if (st.last_success_wall_ms)
            line = fill(ctx_.tr("admin.sync_value"),
                        {{"url", ctx_.config.crm_url}, {"state", state},
                         {"n", std::to_string((ctx_.clock.wall_ms() - st.last_success_wall_ms) / 1000)}});
        if (!st.last_error.empty()) line += " — " + st.last_error;
        return line;
    }

    // How much the kiosk holds from the CRM, and how old the oldest of it is.
    std::string cache_line() const {
        if (!ctx_.store) return "-";
        auto entries = ctx_.store->content().list();
        if (entries.empty()) return "0";
        int64_t bytes = 0, oldest = entries.front().fetched_wall_ms;
        for (auto& e : entries) bytes += e.bytes, oldest = std::min(oldest, e.fetched_wall_ms);
        return fill(ctx_.tr("admin.cache_value"), {{"entries", std::to_string(entries.size())},
                                                   {"kb", std::to_string(bytes / 1024)},
                                                   {"n", std::to_string((ctx_.clock.wall_ms() - oldest) / 60'000)}});
    }

    // Which offers the kiosk holds and what each is doing now, so staff can
    // answer "why is the lecture not on the screen?" at the glass.
    // Every value in the staff member's language; only names that are data
    // (offer ids, image ids, tier codes, paths, the CRM's own error text) stay as they are.
    std::string promotions_line() const {
        const PromotionSet& set = ctx_.promotions.offers(ctx_);
        if (!set.error.empty()) return ctx_.tr("admin.promotions_error") + ": " + set.error;
        int64_t now = ctx_.clock.wall_ms();
        std::string line = fill(ctx_.tr("admin.promotions_value"),
                                {{"version", set.version.empty() ? std::string("-") : set.version},
                                 {"n", std::to_string(set.promotions.size())}});
        if (set.skipped) line += fill(ctx_.tr("admin.promotions_skipped"), {{"n", std::to_string(set.skipped)}});
        for (const Promotion& p : set.promotions) {
            const char* state = is_live(p, now)              ? "admin.promotion_live"
                                : p.valid_from_ms > now ? "admin.promotion_upcoming"
                                                        : "admin.promotion_ended";
            line += '\n';
            line += fill(ctx_.tr("admin.promotion_row"),
                         {{"id", p.id}, {"state", ctx_.tr(state)}, {"priority", std::to_string(p.priority)}});
            if (!p.tiers.empty()) {
                std::string tiers;
                for (MemberTier t : p.tiers) {
                    if (!tiers.empty()) tiers += ' ';
                    tiers += tier_code(t);
                }
                line += fill(ctx_.tr("admin.promotion_tiers"), {{"tiers", tiers}});
            }
            if (!p.image.empty()) line += fill(ctx_.tr("admin.promotion_image"), {{"image", p.image}});
        }
        return line;
    }

    std::string images_line() const {
        if (!ctx_.store) return "-";
        int64_t bytes = ctx_.store->content().total_bytes("image/");
        int files = 0;
        for (const auto& e : ctx_.store->content().list())
            if (e.name.rfind("image/", 0) == 0) ++files;
        PromotionBoardStats st = ctx_.promotions.stats();
        return fill(ctx_.tr("admin.images_value"), {{"files", std::to_string(files)},
                                                    {"kb", std::to_string(bytes / 1024)},
                                                    {"cap_mb", std::to_string(ctx_.config.image_cache_mb)},
                                                    {"textures", std::to_string(st.textures)},
                                                    {"mb", megabytes(st.texture_bytes)},
                                                    {"refused", std::to_string(st.refused)}});
    }

    // The start-up check in words staff read; a store that would not open keeps the reason as the system gave it.
    std::string store_line() const {
        if (!ctx_.store_check) return ctx_.tr("admin.store_not_open") + ": " + ctx_.store_status;
        const offline_cache::SelfCheckReport& c = *ctx_.store_check;
        std::string line = c.corrupt ? fill(ctx_.tr("admin.store_damaged"), {{"path", c.set_aside_path},
                                                                             {"salvaged", std::to_string(c.salvaged)},
                                                                             {"unreadable", std::to_string(c.unreadable)}})
                                     : ctx_.tr("admin.store_ok");
        if (c.from_version == 0)
            line += ctx_.tr("admin.store_created");  // a fresh file: nothing was migrated
        else if (c.from_version != offline_cache::latest_schema_version())
            line += fill(ctx_.tr("admin.store_migrated"), {{"from", std::to_string(c.from_version)},
                                                           {"to", std::to_string(offline_cache::latest_schema_version())}});
        if (c.in_flight_reset) line += fill(ctx_.tr("admin.store_in_flight"), {{"n", std::to_string(c.in_flight_reset)}});
        if (c.pruned) line += fill(ctx_.tr("admin.store_pruned"), {{"n", std::to_string(c.pruned)}});
        return line;
    }

    static std::string megabytes(size_t bytes) {
        char mb[32];
        std::snprintf(mb, sizeof mb, "%.1f", double(bytes) / 1048576.0);
        return mb;
    }

    std::string outbox_line() const {
        if (!ctx_.store) return "-";
        offline_cache::OutboxStats stats = ctx_.store->outbox().stats();
        std::string line = fill(ctx_.tr("admin.outbox_value"), {{"waiting", std::to_string(stats.depth())},
                                                                 {"rejected", std::to_string(stats.rejected)},
                                                                 {"delivered", std::to_string(stats.delivered)}});
        // The real age (kept in memory when the record was saved), not the
        // hour-rounded time an anonymous record carries.
        if (stats.oldest_pending_saved_wall_ms) {
            int64_t age_s = std::max<int64_t>(0, ctx_.clock.wall_ms() - *stats.oldest_pending_saved_wall_ms) / 1000;
            line += fill(ctx_.tr("admin.oldest_value"), {{"n", std::to_string(age_s / 60)}});
        }
        return line;
    }

    KioskContext& ctx_;
    bool sync_asked_ = false;         // staff tapped "Sync now" on this visit
    uint64_t sync_round_before_ = 0;  // the worker's rounds then: one more means it finished
};

}  // namespace

std::unique_ptr<Scene> make_admin_pin_scene(KioskContext& ctx) { return std::make_unique<AdminPinScene>(ctx); }
std::unique_ptr<Scene> make_admin_scene(KioskContext& ctx) { return std::make_unique<AdminScene>(ctx); }

}  // namespace kiosk
