#include "ui/chrome.h"

#include "app/help_call.h"
#include "app/kiosk_context.h"

namespace kiosk {

namespace {

// The bars' heights at 1080p. Large text (and so elder mode) makes them grow
// with their text — a larger top bar's buttons hold the large face — so the
// bars never read smaller than the screen between them.
constexpr float kTopBar = 112.0f, kLargeTopBar = 150.0f;
constexpr float kBottomBar = 128.0f, kLargeBottomBar = 152.0f;
constexpr float kMemberBand = 60.0f, kLargeMemberBand = 78.0f;
float top_bar(const KioskContext& ctx) { return ctx.session.large_text ? kLargeTopBar : kTopBar; }
float bottom_bar(const KioskContext& ctx) { return ctx.session.large_text ? kLargeBottomBar : kBottomBar; }
float member_band(const KioskContext& ctx) { return ctx.session.large_text ? kLargeMemberBand : kMemberBand; }
// Back (40 + 280) and Home (24 + 280) end here, with a margin: an open keyboard starts right of it.
constexpr float kNavButtonsRight = 40.0f + 280.0f + 24.0f + 280.0f + 24.0f;

// The band under the top bar: who is signed in, and the way out; or, for a
// few seconds after signing out, that they are signed out.
bool member_band_shown(const KioskContext& ctx) {
    return ctx.session.member || ctx.session.signed_out_notice_until_ms > ctx.clock.monotonic_ms();
}

void draw_member_band(KioskContext& ctx) {
    float s = ui_scale();
    const Palette& p = palette(ctx.session.high_contrast);
    bool large = ctx.session.large_text;
    ImVec2 display = ImGui::GetIO().DisplaySize;
    const float band = member_band(ctx);
    ImVec2 min(0, top_bar(ctx) * s), max(display.x, (top_bar(ctx) + band) * s);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    // Its own colour on every screen (never a screen's background), so it is seen at a glance.
    draw->AddRectFilled(min, max, ctx.session.high_contrast ? p.background : kMemberBandColour);
    draw->AddLine(ImVec2(min.x, max.y), ImVec2(max.x, max.y), ctx.session.high_contrast ? p.vip : p.border, 2.0f * s);
    ImFont* font = ctx.fonts.heading(large);
    float text_y = min.y + (band * s - font->FontSize) / 2;
    if (!ctx.session.member) {
        std::string text = ctx.tr("session.signed_out");
        draw_text_wrapped(font, text, ImVec2(40 * s, text_y), p.text, 0);
        ctx.widgets.record("session.signed_out", text, min, max);
        return;
    }
    const SignedInMember& m = *ctx.session.member;
    std::string text = ctx.strings.format(ctx.session.lang, "session.signed_in_as", "name", m.masked_name);
    std::string card = "•••• " + m.card_last4;
    for (size_t at = text.find("{card}"); at != std::string::npos; at = text.find("{card}"))
        text.replace(at, 6, card);
    draw_text_wrapped(font, text, ImVec2(40 * s, text_y), ctx.session.high_contrast ? p.vip : p.text, 0);
    ctx.widgets.record("signed_in.member", text, min, max);
    ImVec2 size((large ? 360 : 300) * s, std::max(64.0f * s, (band - 4) * s));
    if (touch_button(ctx.widgets, "session.sign_out", ctx.tr("session.sign_out"),
                     ImVec2(display.x - 24 * s - size.x, min.y + (band * s - size.y) / 2), size,
                     ButtonStyle::secondary, ctx.fonts.body(large), ctx.session.high_contrast))
        ctx.sign_out_member();
}

void draw_top_bar(KioskContext& ctx) {
    float s = ui_scale();
    const Palette& p = palette(ctx.session.high_contrast);
    bool large = ctx.session.large_text;
    ImVec2 display = ImGui::GetIO().DisplaySize;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float bar = top_bar(ctx);
    draw->AddRectFilled(ImVec2(0, 0), ImVec2(display.x, bar * s), p.surface);
    draw->AddLine(ImVec2(0, bar * s), ImVec2(display.x, bar * s), p.border, 2.0f * s);

    // The hospital's name keeps the title face (the large one would not leave
    // room for the larger buttons); the line under it grows.
    ImFont* title = ctx.fonts.title(false);
    ImFont* body = ctx.fonts.body(large);
    float name_y = (bar * s - title->FontSize - body->FontSize) / 2;
    draw_text_wrapped(title, ctx.tr("app.hospital_name"), ImVec2(40 * s, name_y), p.primary, 0);
    draw_text_wrapped(body, ctx.tr("app.kiosk_name"), ImVec2(40 * s, name_y + title->FontSize), p.text_muted, 0);

    // Where the buttons on the right begin (see the placing below): the left
    // side's text is clipped there, never drawn under them.
    const float lang_w = (large ? 200 : 170) * s, switch_w = (large ? 250 : 190) * s;
    const float buttons_left = display.x - 24 * s - 2 * (switch_w + 12 * s) - 20 * s - 4 * (lang_w + 12 * s);
    ImGui::PushClipRect(ImVec2(0, 0), ImVec2(buttons_left, bar * s), true);

    // A small, calm connection indicator: guests need not worry, staff can see it.
    // In large text it sits on the second line, after the kiosk's name, leaving room for the buttons.
    if (ctx.sync) {
        bool online = ctx.sync_status.online;
        ImVec2 dot;
        if (large)
            dot = ImVec2(40 * s + body->CalcTextSizeA(body->FontSize, FLT_MAX, 0, ctx.tr("app.kiosk_name").c_str()).x + 40 * s,
                         name_y + title->FontSize + body->FontSize / 2);
        else
            dot = ImVec2(40 * s + title->CalcTextSizeA(title->FontSize, FLT_MAX, 0, ctx.tr("app.hospital_name").c_str()).x + 40 * s,
                         name_y + title->FontSize / 2);
        ImGui::GetWindowDrawList()->AddCircleFilled(dot, 8 * s, online ? IM_COL32(46, 160, 90, 255) : IM_COL32(200, 140, 40, 255));
        draw_text_wrapped(body, ctx.tr(online ? "sync.online" : "sync.offline"), ImVec2(dot.x + 18 * s, dot.y - body->FontSize / 2),
                          p.text_muted, 0);
    }

    ImGui::PopClipRect();

    // Right side, right to left: contrast, large text, then the four languages.
    // In large text they grow with the bar and hold the large face; a long
    // label (Alto contraste) takes two lines.
    float h = (large ? 110 : 80) * s, y = (bar * s - h) / 2, x = display.x - 24 * s;
    auto place = [&](float width) {
        x -= width;
        ImVec2 pos(x, y);
        x -= 12 * s;
        return pos;
    };
    ImVec2 at = place(switch_w);
    if (touch_button(ctx.widgets, "a11y.high_contrast", ctx.tr("a11y.high_contrast"), at, ImVec2(switch_w, h),
                     ctx.session.high_contrast ? ButtonStyle::selected : ButtonStyle::secondary, body,
                     ctx.session.high_contrast))
        ctx.session.high_contrast = !ctx.session.high_contrast;
    at = place(switch_w);
    if (touch_button(ctx.widgets, "a11y.large_text", ctx.tr("a11y.large_text"), at, ImVec2(switch_w, h),
                     large ? ButtonStyle::selected : ButtonStyle::secondary, body, ctx.session.high_contrast))
        ctx.session.large_text = !ctx.session.large_text;
    x -= 20 * s;
    // Each language's name is written in that language, in every table.
    static const char* const kLangKeys[] = {"lang.zh-Hans", "lang.zh-Hant", "lang.en", "lang.es"};
    static_assert(std::size(kLangKeys) == kAllLangs.size());
    for (auto it = kAllLangs.rbegin(); it != kAllLangs.rend(); ++it) {
        Lang lang = *it;
        const char* key = kLangKeys[size_t(lang)];
        at = place(lang_w);
        if (touch_button(ctx.widgets, key, ctx.tr(key), at, ImVec2(lang_w, h),
                         ctx.session.lang == lang ? ButtonStyle::selected : ButtonStyle::secondary, body,
                         ctx.session.high_contrast))
            ctx.session.lang = lang;
    }
}

// After three failed attempts (a wrong PIN, a refused booking, a look-up not
// found) the kiosk offers help by itself, just above the bottom bar.
void draw_help_offer(KioskContext& ctx) {
    if (!ctx.offer_help() || ctx.nav().current() == SceneId::help) return;
    float s = ui_scale();
    const Palette& p = palette(ctx.session.high_contrast);
    bool large = ctx.session.large_text;
    ImVec2 display = ImGui::GetIO().DisplaySize;
    ImVec2 panel(1120 * s, 150 * s);
    ImVec2 min(display.x - 40 * s - panel.x, display.y - bottom_bar(ctx) * s - 24 * s - panel.y);
    ImVec2 max(min.x + panel.x, min.y + panel.y);
    // A window of its own, above the screen's: a tap on the offer never reaches a button underneath.
    ImGui::SetNextWindowPos(min);
    ImGui::SetNextWindowSize(panel);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
    ImGui::Begin("##help_offer", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBackground);
    ImGui::PopStyleVar(2);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(min, max, p.surface, 20 * s);
    draw->AddRect(min, max, p.primary, 20 * s, 0, 4 * s);
    std::string text = ctx.tr("help.offer");
    draw_text_wrapped(ctx.fonts.body(large), text, ImVec2(min.x + 30 * s, min.y + 24 * s), p.text, 560 * s);
    ctx.widgets.record("help.offer", text, min, max);
    ImVec2 button(220 * s, 100 * s);
    if (touch_button(ctx.widgets, "help.offer.call", ctx.tr("help.offer.call"), ImVec2(max.x - 2 * button.x - 50 * s, min.y + 25 * s),
                     button, ButtonStyle::primary, ctx.fonts.heading(large), ctx.session.high_contrast))
        call_for_help(ctx);
    if (touch_button(ctx.widgets, "help.offer.dismiss", ctx.tr("help.offer.dismiss"),
                     ImVec2(max.x - button.x - 25 * s, min.y + 25 * s), button, ButtonStyle::secondary,
                     ctx.fonts.heading(large), ctx.session.high_contrast))
        ctx.session.failed_attempts = 0;  // asked again only after three more
    ImGui::End();
}

// Voice guidance on and off (a11y.voice), and while on its volume: in the
// middle of every bottom bar, between Home and help.
void draw_voice_controls(KioskContext& ctx, float x, float y, float h) {
    float s = ui_scale();
    const Palette& p = palette(ctx.session.high_contrast);
    bool large = ctx.session.large_text;
    ImFont* font = ctx.fonts.heading(large);
    ImVec2 toggle(230 * s, h);
    if (touch_button(ctx.widgets, "a11y.voice", ctx.tr("a11y.voice"), ImVec2(x, y), toggle,
                     ctx.session.voice ? ButtonStyle::selected : ButtonStyle::secondary, font, ctx.session.high_contrast))
        ctx.set_voice(!ctx.session.voice);
    if (!ctx.session.voice) return;
    x += toggle.x + 16 * s;
    ImVec2 step(170 * s, h);
    if (touch_button(ctx.widgets, "a11y.voice.quieter", ctx.tr("a11y.voice.quieter"), ImVec2(x, y), step,
                     ButtonStyle::secondary, ctx.fonts.body(large), ctx.session.high_contrast))
        ctx.change_voice_volume(-KioskContext::kVoiceVolumeStep);
    x += step.x + 8 * s;
    std::string level = ctx.strings.format(ctx.session.lang, "a11y.voice.volume", "n", std::to_string(ctx.session.voice_volume));
    ImFont* body = ctx.fonts.body(large);
    float width = 170 * s;
    draw_text_centered(body, level, ImVec2(x + width / 2, y + h / 2), p.text, width);
    ctx.widgets.record("a11y.voice.volume", level, ImVec2(x, y), ImVec2(x + width, y + h));
    x += width + 8 * s;
    if (touch_button(ctx.widgets, "a11y.voice.louder", ctx.tr("a11y.voice.louder"), ImVec2(x, y), step,
                     ButtonStyle::secondary, ctx.fonts.body(large), ctx.session.high_contrast))
        ctx.change_voice_volume(KioskContext::kVoiceVolumeStep);
}

void draw_bottom_bar(KioskContext& ctx) {
    float s = ui_scale();
    const Palette& p = palette(ctx.session.high_contrast);
    ImVec2 display = ImGui::GetIO().DisplaySize;
    const float bar = bottom_bar(ctx);
    float top = display.y - bar * s;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(ImVec2(0, top), display, p.surface);
    draw->AddLine(ImVec2(0, top), ImVec2(display.x, top), p.border, 2.0f * s);
    ImFont* font = ctx.fonts.title(ctx.session.large_text);
    // The width stays (the keyboard starts right of Back and Home); the height grows with the text.
    ImVec2 size(280 * s, (ctx.session.large_text ? 120 : 96) * s);
    float y = top + (bar * s - size.y) / 2;
    draw_help_button(ctx, ImVec2(display.x - 40 * s - 360 * s, y), ImVec2(360 * s, size.y));
    draw_voice_controls(ctx, 40 * s + 2 * size.x + 48 * s + 24 * s, y, size.y);
    if (ctx.nav().current() == SceneId::home) {
        // Home is the root: instead of Back, a way to leave and clear the session at once.
        if (touch_button(ctx.widgets, "nav.finish", ctx.tr("nav.finish"), ImVec2(40 * s, y), size,
                         ButtonStyle::secondary, font, ctx.session.high_contrast))
            ctx.nav().end_session();
        return;
    }
    if (touch_button(ctx.widgets, "nav.back", "← " + ctx.tr("nav.back"), ImVec2(40 * s, y), size,
                     ButtonStyle::secondary, font, ctx.session.high_contrast))
        ctx.nav().back();
    if (touch_button(ctx.widgets, "nav.home", ctx.tr("nav.home"), ImVec2(40 * s + size.x + 24 * s, y), size,
                     ButtonStyle::secondary, font, ctx.session.high_contrast))
        ctx.nav().home();
}

}  // namespace

void draw_help_button(KioskContext& ctx, ImVec2 pos, ImVec2 size) {
    if (ctx.nav().current() == SceneId::help) return;
    // While a call is unanswered the button says so, and shows that call again.
    bool open = ctx.session.help && ctx.session.help->acknowledged_wall_ms == 0 && !ctx.session.help->key.empty();
    if (touch_button(ctx.widgets, "help.call", ctx.tr(open ? "help.called" : "help.call"), pos, size,
                     ButtonStyle::primary, ctx.fonts.title(ctx.session.large_text), ctx.session.high_contrast))
        call_for_help(ctx);
}

ScreenArea begin_screen(KioskContext& ctx, Bars bars) {
    const Palette& p = palette(ctx.session.high_contrast);
    ImVec2 display = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(display);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
    ImGui::Begin("##screen", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse |
                     ImGuiWindowFlags_NoBackground);
    ImGui::PopStyleVar(2);
    (void)p;  // the background is the frame's clear colour (App::draw_frame): no full-screen quad
    ImGui::PushFont(ctx.fonts.body(ctx.session.large_text));
    float s = ui_scale();
    ScreenArea area{ImVec2(0, 0), display};
    if (bars != Bars::none) area.min.y = (top_bar(ctx) + (member_band_shown(ctx) ? member_band(ctx) : 0.0f)) * s;
    if (bars == Bars::top_and_bottom) area.max.y = display.y - bottom_bar(ctx) * s;
    // An open keyboard leaves Back and Home free: a guest typing can always leave.
    ctx.keyboard.keep_left_clear(bars == Bars::top_and_bottom ? kNavButtonsRight * s : 0.0f);
    return area;
}

void end_screen(KioskContext& ctx, Bars bars) {
    if (bars != Bars::none) draw_top_bar(ctx);
    if (bars != Bars::none && member_band_shown(ctx)) draw_member_band(ctx);
    if (bars == Bars::top_and_bottom) draw_bottom_bar(ctx);
    ImGui::PopFont();
    ImGui::End();
    if (bars == Bars::top_and_bottom) draw_help_offer(ctx);
}

void draw_idle_countdown(KioskContext& ctx, int seconds_left) {
    const Palette& p = palette(ctx.session.high_contrast);
    bool large = ctx.session.large_text;
    float s = ui_scale();
    ImVec2 display = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(display);
    ImGui::SetNextWindowFocus();
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin("##idle", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBackground);
    ImGui::PopStyleVar();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(ImVec2(0, 0), display, p.overlay);
    ImVec2 panel(1000 * s, 520 * s);
    ImVec2 min((display.x - panel.x) / 2, (display.y - panel.y) / 2);
    ImVec2 max(min.x + panel.x, min.y + panel.y);
    draw->AddRectFilled(min, max, p.surface, 24 * s);
    if (ctx.session.high_contrast) draw->AddRect(min, max, p.border, 24 * s, 0, 4 * s);
    float cx = (min.x + max.x) / 2;
    draw_text_centered(ctx.fonts.title(large), ctx.tr("idle.title"), ImVec2(cx, min.y + 80 * s), p.text, panel.x - 80 * s);
    draw_text_centered(ctx.fonts.huge(large), std::to_string(seconds_left), ImVec2(cx, min.y + 200 * s), p.primary,
                       panel.x);
    draw_text_centered(ctx.fonts.body(large), ctx.format_seconds("idle.body", seconds_left),
                       ImVec2(cx, min.y + 300 * s), p.text_muted, panel.x - 120 * s);
    ImVec2 button(420 * s, 100 * s);
    // Any tap on the overlay keeps the session (the App counts every touch as
    // activity); the button says so plainly. The overlay window covers the
    // screen, so that tap never reaches a button underneath.
    touch_button(ctx.widgets, "idle.continue", ctx.tr("idle.continue"), ImVec2(cx - button.x / 2, max.y - 140 * s),
                 button, ButtonStyle::primary, ctx.fonts.title(large), ctx.session.high_contrast);
    ImGui::End();
}

void draw_out_of_service(KioskContext& ctx) {
    const Palette& p = palette(true);  // high contrast: read from across the lobby
    float s = ui_scale();
    ImVec2 display = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(display);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin("##out_of_service", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBackground);
    ImGui::PopStyleVar();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(ImVec2(0, 0), display, p.background);
    // No guest has chosen a language: every language, one band each.
    float band = display.y / float(std::size(kAllLangs));
    float cx = display.x / 2;
    for (size_t i = 0; i < std::size(kAllLangs); ++i) {
        Lang lang = kAllLangs[i];
        float top = band * float(i);
        draw_text_centered(ctx.fonts.title(true), ctx.strings.get(lang, "out_of_service.title"),
                           ImVec2(cx, top + band * 0.25f), p.text, display.x - 160 * s);
        draw_text_centered(ctx.fonts.body(true), ctx.strings.get(lang, "out_of_service.body"),
                           ImVec2(cx, top + band * 0.58f), p.text_muted, display.x - 160 * s);
    }
    ctx.widgets.record("out_of_service", ctx.strings.get(kAllLangs[0], "out_of_service.title"), ImVec2(0, 0), display);
    ImGui::End();
}

}  // namespace kiosk
