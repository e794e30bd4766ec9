// The attract screen: what the lobby sees while nobody uses the kiosk.
// Cheap enough to run all day: it asks for a frame only when its text changes
// (every kRotateMs), never in between.
#include <algorithm>

#include "app/kiosk_context.h"
#include "scenes/scenes.h"
#include "ui/chrome.h"

namespace kiosk {

namespace {

constexpr int64_t kRotateMs = 4000;
const char* const kMessages[] = {"attract.message.flows", "attract.message.voice", "attract.message.complaint"};

class AttractScene final : public Scene {
public:
    explicit AttractScene(KioskContext& ctx) : ctx_(ctx) {}

    void on_enter() override {
        entered_ms_ = ctx_.clock.monotonic_ms();
        drawn_turn_ = 0;
    }
    bool wants_idle_timeout() const override { return false; }
    std::optional<uint32_t> background() const override { return IM_COL32(13, 110, 103, 255); }
    int64_t ms_until_redraw() const override {
        // Due again when the turn drawn last has ended.
        int64_t next_turn_ms = entered_ms_ + (drawn_turn_ + 1) * kRotateMs;
        return std::max<int64_t>(0, next_turn_ms - ctx_.clock.monotonic_ms());
    }

    void on_frame() override {
        ScreenArea area = begin_screen(ctx_, Bars::none);
        const Palette& p = palette(ctx_.session.high_contrast);
        float s = ui_scale();
        ImDrawList* draw = ImGui::GetWindowDrawList();
        // A soft darker band at the foot; the teal itself is the frame's clear.
        if (!ctx_.session.high_contrast)
            draw->AddRectFilledMultiColor(ImVec2(area.min.x, area.max.y - 360 * s), area.max, IM_COL32(13, 110, 103, 255),
                                          IM_COL32(13, 110, 103, 255), IM_COL32(8, 66, 72, 255), IM_COL32(8, 66, 72, 255));
        ImU32 ink = ctx_.session.high_contrast ? p.text : IM_COL32(255, 255, 255, 255);
        ImU32 soft = ctx_.session.high_contrast ? p.primary : IM_COL32(214, 240, 236, 255);

        // Every text the rotation will show, noted up front: one atlas build
        // at the first frame instead of a rebuild at each new language.
        bool large = ctx_.session.large_text;
        auto note = [](ImFont* font, const std::string& text) { note_glyphs(font, text.data(), text.data() + text.size()); };
        for (Lang each : kAllLangs) {
            note(ctx_.fonts.title(large), ctx_.strings.get(each, "app.hospital_name"));
            note(ctx_.fonts.huge(large), ctx_.strings.get(each, "attract.welcome"));
            note(ctx_.fonts.title(large), ctx_.strings.get(each, "attract.tap_to_start"));
            for (const char* key : kMessages) note(ctx_.fonts.title(large), ctx_.strings.get(each, key));
        }

        // Every language in turn: a guest who reads none of the others still
        // finds their own within a few seconds.
        int64_t turn = (ctx_.clock.monotonic_ms() - entered_ms_) / kRotateMs;
        drawn_turn_ = turn;
        Lang lang = kAllLangs[size_t(turn % int64_t(kAllLangs.size()))];
        const std::string& message_key = kMessages[size_t((turn / int64_t(kAllLangs.size())) % 3)];
        float cx = (area.min.x + area.max.x) / 2;
        float w = area.width() - 200 * s;
        draw_text_centered(ctx_.fonts.title(large), ctx_.strings.get(lang, "app.hospital_name"),
                           ImVec2(cx, area.min.y + 200 * s), soft, w);
        draw_text_centered(ctx_.fonts.huge(large), ctx_.strings.get(lang, "attract.welcome"),
                           ImVec2(cx, area.min.y + 380 * s), ink, w);
        draw_text_centered(ctx_.fonts.title(large), ctx_.strings.get(lang, message_key),
                           ImVec2(cx, area.min.y + 540 * s), ink, w);

        // "Tap anywhere" sits on a pill that looks like the button it is.
        ImVec2 pill(820 * s, 120 * s);
        ImVec2 pill_min(cx - pill.x / 2, area.max.y - 300 * s);
        draw->AddRectFilled(pill_min, ImVec2(pill_min.x + pill.x, pill_min.y + pill.y),
                            ctx_.session.high_contrast ? p.primary : IM_COL32(255, 255, 255, 255), pill.y / 2);
        draw_text_centered(ctx_.fonts.title(large), ctx_.strings.get(lang, "attract.tap_to_start"),
                           ImVec2(cx, pill_min.y + pill.y / 2),
                           ctx_.session.high_contrast ? p.on_primary : IM_COL32(13, 110, 103, 255), pill.x - 40 * s);
        // Which language is showing: four dots.
        for (size_t i = 0; i < kAllLangs.size(); ++i) {
            ImVec2 c(cx + (float(i) - 1.5f) * 36 * s, area.max.y - 130 * s);
            draw->AddCircleFilled(c, (kAllLangs[i] == lang ? 9.0f : 6.0f) * s, kAllLangs[i] == lang ? ink : soft);
        }

        ImGui::SetCursorScreenPos(area.min);
        if (ImGui::InvisibleButton("start", ImVec2(area.width(), area.height()))) ctx_.nav().replace(SceneId::home);
        ctx_.widgets.record("start", ctx_.tr("attract.tap_to_start"), area.min, area.max);
        end_screen(ctx_, Bars::none);
    }

private:
    KioskContext& ctx_;
    int64_t entered_ms_ = 0;
    int64_t drawn_turn_ = 0;
};

}  // namespace

std::unique_ptr<Scene> make_attract_scene(KioskContext& ctx) { return std::make_unique<AttractScene>(ctx); }

}  // namespace kiosk
