// The attract screen: what the lobby sees while nobody uses the kiosk.
// Cheap enough to run all day: it asks for a frame only when its text changes
// (every kRotateMs), never in between.
//
// A carousel of slides — the hospital's key messages and the current
// promotions for every guest (from the CRM, via the content cache), one after
// the other — each shown once in every language in turn. Promotion pictures
// are decoded once and kept as textures (ui/promotion_board.h), so a turn
// costs one frame.
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
    bool on_event(const SceneEvent& event) override { return event.kind == SceneEvent::Kind::content_changed; }
    bool wants_idle_timeout() const override { return false; }
    std::optional<uint32_t> background() const override { return IM_COL32(13, 110, 103, 255); }
    int64_t ms_until_redraw() const override {
        // Due again when the turn drawn last has ended.
        // Due again when the turn drawn last has ended. (Offers starting or
        // ending take effect at the next turn: at most kRotateMs late.)
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
            note(ctx_.fonts.body(large), ctx_.strings.get(each, "tile.promotions"));
            note(ctx_.fonts.title(large), ctx_.strings.get(each, "app.hospital_name"));
            note(ctx_.fonts.huge(large), ctx_.strings.get(each, "attract.welcome"));
            note(ctx_.fonts.title(large), ctx_.strings.get(each, "attract.tap_to_start"));
            for (const char* key : kMessages) note(ctx_.fonts.title(large), ctx_.strings.get(each, key));
            for (const Promotion* offer : offers_for_everyone()) {
                note(ctx_.fonts.huge(large), offer->title.in(each));
                note(ctx_.fonts.title(large), offer->body.in(each));
            }
        }

        // Every language in turn: a guest who reads none of the others still
        // finds their own within a few seconds. Each slide stays for one turn
        // per language, then the next slide: key messages and offers alternate.
        int64_t turn = (ctx_.clock.monotonic_ms() - entered_ms_) / kRotateMs;
        drawn_turn_ = turn;
        Lang lang = kAllLangs[size_t(turn % int64_t(kAllLangs.size()))];
        std::vector<const Promotion*> offers = offers_for_everyone();
        const int64_t messages = int64_t(std::size(kMessages));
        const int64_t slides = messages + int64_t(offers.size());
        int64_t slide = (turn / int64_t(kAllLangs.size())) % slides;
        // Interleave, offers first (what the hospital most wants seen): offer,
        // message, offer, message, … then the rest of either.
        const Promotion* offer = nullptr;
        int64_t message = 0;
        int64_t pairs = std::min<int64_t>(messages, int64_t(offers.size()));
        if (slide < 2 * pairs) {
            if (slide % 2) message = slide / 2;
            else offer = offers[size_t(slide / 2)];
        } else if (messages > pairs) {
            message = pairs + (slide - 2 * pairs);
        } else {
            offer = offers[size_t(pairs + (slide - 2 * pairs))];
        }
        float cx = (area.min.x + area.max.x) / 2;
        float w = area.width() - 200 * s;
        if (offer) {
            draw_offer(*offer, lang, area, ink, soft);
        } else {
            draw_text_centered(ctx_.fonts.title(large), ctx_.strings.get(lang, "app.hospital_name"),
                               ImVec2(cx, area.min.y + 200 * s), soft, w);
            draw_text_centered(ctx_.fonts.huge(large), ctx_.strings.get(lang, "attract.welcome"),
                               ImVec2(cx, area.min.y + 380 * s), ink, w);
            draw_text_centered(ctx_.fonts.title(large), ctx_.strings.get(lang, kMessages[size_t(message)]),
                               ImVec2(cx, area.min.y + 540 * s), ink, w);
        }

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

        // Help before the full-screen "start": the first item under a finger takes the tap.
        draw_help_button(ctx_, ImVec2(area.max.x - 400 * s, area.max.y - 150 * s), ImVec2(360 * s, 100 * s));
        // Elder mode in one tap, straight into the short home.
        if (touch_button(ctx_.widgets, "a11y.elder", ctx_.strings.get(lang, "a11y.elder"),
                         ImVec2(area.min.x + 40 * s, area.max.y - 150 * s), ImVec2(360 * s, 100 * s),
                         ButtonStyle::secondary, ctx_.fonts.title(large), ctx_.session.high_contrast)) {
            ctx_.set_elder(true);
            ctx_.nav().replace(SceneId::home);
        }
        ImGui::SetCursorScreenPos(area.min);
        if (ImGui::InvisibleButton("start", ImVec2(area.width(), area.height()))) ctx_.nav().replace(SceneId::home);
        ctx_.widgets.record("start", ctx_.tr("attract.tap_to_start"), area.min, area.max);
        end_screen(ctx_, Bars::none);
    }

private:
    // Live offers aimed at every guest and every language, best first: the
    // attract screen knows nothing of who will walk up.
    std::vector<const Promotion*> offers_for_everyone() {
        std::vector<const Promotion*> out;
        for (const ShownPromotion& shown :
             promotions_for(ctx_.promotions.offers(ctx_), Audience{Lang::zh_Hans, std::nullopt}, ctx_.clock.wall_ms()))
            if (shown.promotion->languages.empty()) out.push_back(shown.promotion);
        return out;
    }

    // One offer: its picture on the left (if it can be shown), its text on the right.
    void draw_offer(const Promotion& offer, Lang lang, const ScreenArea& area, ImU32 ink, ImU32 soft) {
        float s = ui_scale();
        bool large = ctx_.session.large_text;
        float cx = (area.min.x + area.max.x) / 2;
        Lang text_lang = text_language(offer, lang).value_or(lang);
        draw_text_centered(ctx_.fonts.title(large), ctx_.strings.get(lang, "app.hospital_name"),
                           ImVec2(cx, area.min.y + 110 * s), soft, area.width() - 200 * s);
        float top = area.min.y + 190 * s, bottom = area.max.y - 340 * s;
        ImVec2 pic_min(cx - 860 * s, top), pic_max(cx - 40 * s, bottom);
        bool pictured = ctx_.promotions.draw_picture(ctx_, offer.image, pic_min, pic_max, 24 * s);
        float tx = pictured ? cx + 20 * s : cx - 700 * s;
        float tw = pictured ? 840 * s : 1400 * s;
        float y = top + 10 * s;
        y += draw_text_wrapped(ctx_.fonts.body(large), ctx_.strings.get(lang, "tile.promotions"), ImVec2(tx, y), soft, tw) +
             16 * s;
        y += draw_text_wrapped(ctx_.fonts.huge(large), offer.title.in(text_lang), ImVec2(tx, y), ink, tw) + 20 * s;
        // The body may be long: only what fits above the pill is drawn.
        ImGui::PushClipRect(ImVec2(tx, y), ImVec2(tx + tw, bottom), true);
        draw_text_wrapped(ctx_.fonts.title(large), offer.body.in(text_lang), ImVec2(tx, y), ink, tw);
        ImGui::PopClipRect();
        ctx_.widgets.record("carousel.offer", offer.title.in(text_lang), pic_min, pic_max);
    }

    KioskContext& ctx_;
    int64_t entered_ms_ = 0;
    int64_t drawn_turn_ = 0;
};

}  // namespace

std::unique_ptr<Scene> make_attract_scene(KioskContext& ctx) { return std::make_unique<AttractScene>(ctx); }

}  // namespace kiosk
