// Offers & events: the CRM's promotions as a drag-scrolled list, and one offer
// on its own page with a QR code to read more or sign up on the phone.
//
// Which offers, in what order and why: kiosk/domain/promotion_rules.h (tier,
// language and date only). Everything shown comes from the content cache, so
// the screens work offline; an offer vanishes at its end instant because both
// screens ask to be redrawn then (ms_until_redraw), even with no touch.
#include <cstdio>
#include <ctime>

#include "app/kiosk_context.h"
#include "scenes/scenes.h"
#include "touch/qr_code.h"
#include "ui/chrome.h"
#include "ui/touch_keyboard.h"
#include "ui/touch_scroll.h"

namespace kiosk {

namespace {

// The last day an offer runs, in the hospital's local time, as a lobby reads it.
std::string last_day(const KioskContext& ctx, int64_t valid_until_ms) {
    static const char* const kEnglishMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    platform::LocalTime tm = ctx.calendar().at(valid_until_ms - 1);  // the end instant is exclusive
    char out[64];
    switch (ctx.session.lang) {
        case Lang::zh_Hans:
        case Lang::zh_Hant: std::snprintf(out, sizeof out, "%d月%d日", tm.month, tm.day); break;
        case Lang::en: std::snprintf(out, sizeof out, "%d %s", tm.day, kEnglishMonths[(tm.month - 1) % 12]); break;
        case Lang::es: std::snprintf(out, sizeof out, "%d/%d/%d", tm.day, tm.month, tm.year); break;
    }
    return out;
}

const char* why_key(const ShownPromotion& shown, const Session& session) {
    if (shown.why == WhyShown::everyone || !session.member) return "promotions.why.everyone";
    switch (session.member->tier) {
        case MemberTier::vip: return "promotions.why.vip";
        case MemberTier::key: return "promotions.why.key";
        case MemberTier::regular: return "promotions.why.regular";
        case MemberTier::basic: return "promotions.why.basic";
    }
    return "promotions.why.everyone";
}

Audience audience_of(const Session& session) {
    Audience a;
    a.lang = session.lang;
    if (session.member) a.tier = session.member->tier;
    return a;
}

// "why you see this", and a note when the text is not in the guest's language.
std::string why_line(KioskContext& ctx, const ShownPromotion& shown) {
    std::string line = ctx.tr(why_key(shown, ctx.session));
    if (shown.text_lang != ctx.session.lang) line += "  ·  " + ctx.tr("promotions.not_in_your_language");
    return line;
}

// Wake the screen when an offer next starts or ends (wall clock), never sooner than needed.
int64_t ms_until_next_change(KioskContext& ctx) {
    auto next = next_change_ms(ctx.promotions.offers(ctx), ctx.clock.wall_ms());
    if (!next) return -1;
    return std::max<int64_t>(0, *next - ctx.clock.wall_ms());
}

class PromotionsScene final : public Scene {
public:
    explicit PromotionsScene(KioskContext& ctx) : ctx_(ctx) {}

    int64_t ms_until_redraw() const override { return ms_until_next_change(ctx_); }
    bool on_event(const SceneEvent& event) override { return event.kind == SceneEvent::Kind::content_changed; }

    void on_frame() override {
        ScreenArea area = begin_screen(ctx_, Bars::top_and_bottom);
        const Palette& p = palette(ctx_.session.high_contrast);
        bool large = ctx_.session.large_text;
        float s = ui_scale();
        float x = area.min.x + 80 * s, y = area.min.y + 30 * s, w = area.width() - 160 * s;
        y += draw_text_wrapped(ctx_.fonts.huge(large), ctx_.tr("promotions.title"), ImVec2(x, y), p.text, w) + 10 * s;
        if (!ctx_.session.member)
            y += draw_text_wrapped(ctx_.fonts.body(large), ctx_.tr("promotions.member_hint"), ImVec2(x, y), p.text_muted, w);
        y += 20 * s;

        std::vector<ShownPromotion> shown = promotions_for(ctx_.promotions.offers(ctx_), audience_of(ctx_.session),
                                                           ctx_.clock.wall_ms());
        if (shown.empty()) {
            draw_text_centered(ctx_.fonts.title(large), ctx_.tr("promotions.empty"),
                               ImVec2((area.min.x + area.max.x) / 2, (y + area.max.y) / 2), p.text_muted, w);
            ctx_.widgets.record("promotions.empty", ctx_.tr("promotions.empty"), ImVec2(x, y), ImVec2(x + w, y + 1));
            end_screen(ctx_, Bars::top_and_bottom);
            return;
        }

        ImGui::SetCursorScreenPos(ImVec2(x, y));
        ImVec2 list_size(w, area.max.y - y - 20 * s);
        ImGui::BeginChild("##promotions", list_size, false, ImGuiWindowFlags_NoBackground);
        touch_scroll_region(ctx_.scroll, "promotions_list");
        ImDrawList* draw = ImGui::GetWindowDrawList();
        float card_w = list_size.x - 30 * s;
        for (const ShownPromotion& item : shown) {
            const Promotion& offer = *item.promotion;
            ImVec2 pos = ImGui::GetCursorScreenPos();
            ImFont* title_font = ctx_.fonts.title(large);
            ImFont* body_font = ctx_.fonts.body(large);
            ImVec2 pic_min(pos.x + 24 * s, pos.y + 24 * s), pic_max(pic_min.x + 400 * s, pic_min.y + 225 * s);
            bool has_picture = ctx_.promotions.picture(ctx_, offer.image) != nullptr;
            float text_x = has_picture ? pic_max.x + 36 * s : pos.x + 40 * s;
            float text_w = pos.x + card_w - text_x - 40 * s;
            const std::string& title = offer.title.in(item.text_lang);
            std::string why = why_line(ctx_, item);
            std::string until = ctx_.strings.format(ctx_.session.lang, "promotions.valid_until", "date",
                                                    last_day(ctx_, offer.valid_until_ms));
            float text_h = wrapped_height(title_font, title, text_w) + 16 * s + wrapped_height(body_font, why, text_w - 30 * s) +
                           10 * s + body_font->FontSize;
            float card_h = std::max(has_picture ? 273 * s : 0.0f, text_h + 56 * s);
            ImVec2 max(pos.x + card_w, pos.y + card_h);

            std::string id = "promotions.card." + offer.id;
            bool tapped = ImGui::InvisibleButton(id.c_str(), ImVec2(card_w, card_h));
            bool pressed = ImGui::IsItemActive();
            ctx_.widgets.record(id, title, pos, max);
            draw->AddRectFilled(pos, max, pressed ? p.secondary_pressed : p.surface, 24 * s);
            draw->AddRect(pos, max, item.why == WhyShown::your_tier ? p.vip : p.border, 24 * s, 0,
                          (item.why == WhyShown::your_tier ? 5 : 2) * s);
            if (has_picture) ctx_.promotions.draw_picture(ctx_, offer.image, pic_min, pic_max, 16 * s);
            float ty = pos.y + 28 * s;
            ty += draw_text_wrapped(title_font, title, ImVec2(text_x, ty), p.text, text_w) + 16 * s;
            // A gold dot marks offers for the member's own tier.
            ImU32 marker = item.why == WhyShown::your_tier ? p.vip : p.primary;
            draw->AddCircleFilled(ImVec2(text_x + 10 * s, ty + body_font->FontSize / 2), 8 * s, marker);
            ty += draw_text_wrapped(body_font, why, ImVec2(text_x + 30 * s, ty), p.text_muted, text_w - 30 * s) + 10 * s;
            draw_text_wrapped(body_font, until, ImVec2(text_x, ty), p.text_muted, text_w);
            if (tapped) {
                ctx_.promotions.selected = offer.id;
                ctx_.nav().push(SceneId::promotion_detail);
            }
            ImGui::SetCursorScreenPos(ImVec2(pos.x, max.y + 24 * s));
        }
        ImGui::Dummy(ImVec2(1, 1));
        ImGui::EndChild();
        end_screen(ctx_, Bars::top_and_bottom);
    }

private:
    KioskContext& ctx_;
};

class PromotionDetailScene final : public Scene {
public:
    explicit PromotionDetailScene(KioskContext& ctx) : ctx_(ctx) {}

    void on_leave() override {
        qr_.reset();
        qr_text_.clear();
    }
    int64_t ms_until_redraw() const override { return ms_until_next_change(ctx_); }
    bool on_event(const SceneEvent& event) override { return event.kind == SceneEvent::Kind::content_changed; }

    void on_frame() override {
        ScreenArea area = begin_screen(ctx_, Bars::top_and_bottom);
        const Palette& p = palette(ctx_.session.high_contrast);
        bool large = ctx_.session.large_text;
        float s = ui_scale();
        float cx = (area.min.x + area.max.x) / 2;

        // Looked up through the same rules as the list: an offer that ended or
        // was withdrawn while the guest reads it is gone from this page too.
        std::optional<ShownPromotion> item;
        for (const ShownPromotion& shown :
             promotions_for(ctx_.promotions.offers(ctx_), audience_of(ctx_.session), ctx_.clock.wall_ms()))
            if (shown.promotion->id == ctx_.promotions.selected) item = shown;
        if (!item) {
            draw_text_centered(ctx_.fonts.title(large), ctx_.tr("promotions.ended"),
                               ImVec2(cx, area.min.y + area.height() * 0.35f), p.text, area.width() - 160 * s);
            ctx_.widgets.record("promotion.ended", ctx_.tr("promotions.ended"), area.min, ImVec2(area.min.x + 1, area.min.y + 1));
            ImVec2 button(560 * s, 110 * s);
            if (touch_button(ctx_.widgets, "promotion.back_to_list", ctx_.tr("promotions.back_to_list"),
                             ImVec2(cx - button.x / 2, area.min.y + area.height() * 0.5f), button, ButtonStyle::primary,
                             ctx_.fonts.title(large), ctx_.session.high_contrast))
                ctx_.nav().back();
            end_screen(ctx_, Bars::top_and_bottom);
            return;
        }
        const Promotion& offer = *item->promotion;
        const std::string& title = offer.title.in(item->text_lang);
        const std::string& body = offer.body.in(item->text_lang);

        // Left: the picture (when there is one that can be shown) and the text.
        float lx = area.min.x + 80 * s, y = area.min.y + 40 * s;
        float right_w = 480 * s;
        float left_w = area.width() - 160 * s - right_w - 60 * s;
        ImVec2 pic_min(lx, y), pic_max(lx + left_w, y + std::min(left_w * 9 / 16, area.height() * 0.45f));
        if (ctx_.promotions.draw_picture(ctx_, offer.image, pic_min, pic_max, 20 * s)) y = pic_max.y + 30 * s;
        float title_h = draw_text_wrapped(ctx_.fonts.huge(large), title, ImVec2(lx, y), p.text, left_w);
        ctx_.widgets.record("promotion.title", title, ImVec2(lx, y), ImVec2(lx + left_w, y + title_h));
        y += title_h + 20 * s;
        ImFont* body_font = ctx_.fonts.body(large);
        y += draw_text_wrapped(ctx_.fonts.title(large), body, ImVec2(lx, y), p.text, left_w) + 24 * s;
        ImU32 marker = item->why == WhyShown::your_tier ? p.vip : p.primary;
        ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(lx + 10 * s, y + body_font->FontSize / 2), 8 * s, marker);
        std::string why = why_line(ctx_, *item);
        y += draw_text_wrapped(body_font, why, ImVec2(lx + 30 * s, y), p.text_muted, left_w - 30 * s) + 10 * s;
        ctx_.widgets.record("promotion.why", why, ImVec2(lx, y), ImVec2(lx + 1, y + 1));
        draw_text_wrapped(body_font,
                          ctx_.strings.format(ctx_.session.lang, "promotions.valid_until", "date",
                                              last_day(ctx_, offer.valid_until_ms)),
                          ImVec2(lx, y), p.text_muted, left_w);

        // Right: the QR code to take the offer home on the phone, or where to ask.
        float rx = area.max.x - 80 * s - right_w, ry = area.min.y + 40 * s;
        if (offer.url != qr_text_) {
            qr_text_ = offer.url;
            qr_ = offer.url.empty() ? std::nullopt : encode_qr(offer.url);
        }
        if (qr_) {
            float side = right_w;
            ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(rx - 16 * s, ry - 16 * s),
                                                      ImVec2(rx + side + 16 * s, ry + side + 16 * s),
                                                      IM_COL32(255, 255, 255, 255), 16 * s);
            draw_qr(*qr_, ImVec2(rx, ry), side, IM_COL32(0, 0, 0, 255), IM_COL32(255, 255, 255, 255));
            ctx_.widgets.record("promotion.qr", ctx_.tr("promotions.scan_qr"), ImVec2(rx, ry), ImVec2(rx + side, ry + side));
            draw_text_centered(ctx_.fonts.title(large), ctx_.tr("promotions.scan_qr"),
                               ImVec2(rx + side / 2, ry + side + 90 * s), p.text, right_w + 40 * s);
        } else {
            draw_text_centered(ctx_.fonts.title(large), ctx_.tr("promotions.ask_desk"),
                               ImVec2(rx + right_w / 2, ry + 120 * s), p.text, right_w);
            ctx_.widgets.record("promotion.ask_desk", ctx_.tr("promotions.ask_desk"), ImVec2(rx, ry), ImVec2(rx + 1, ry + 1));
        }
        end_screen(ctx_, Bars::top_and_bottom);
    }

private:
    KioskContext& ctx_;
    std::string qr_text_;
    std::optional<QrCode> qr_;
};

}  // namespace

std::unique_ptr<Scene> make_promotions_scene(KioskContext& ctx) { return std::make_unique<PromotionsScene>(ctx); }
std::unique_ptr<Scene> make_promotion_detail_scene(KioskContext& ctx) {
    return std::make_unique<PromotionDetailScene>(ctx);
}

}  // namespace kiosk
