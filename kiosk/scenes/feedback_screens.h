// kiosk/scenes/feedback_screens.h — what the feedback, survey, complaint and
// complaint-status screens share: their content with its shipped default,
// a calm message line, a day as guests read it, and the save-result wording.
//
// Index
//   load_feedback_content(ctx, name, file, parse)   the CRM's cached entry when it parses, else assets/content/<file>
//   draw_notice(ctx, text, pos, width, warning)      one wrapped message line (warnings in the accent colour)
//   local_day(ctx, wall_ms)                          the hospital's day, written as the guest's language writes it
//   save_failure_key(result)                         the guest-facing message for an outbox refusal
//   drop_keyboard_from(ctx, field)                   hide the keyboard if it types into this screen's field
#pragma once

#include <ctime>
#include <optional>
#include <string>

#include "app/kiosk_context.h"
#include "content/feedback_content.h"
#include "offline_cache/content_cache.h"
#include "offline_cache/outbox.h"
#include "platform/log.h"

namespace kiosk {

template <typename Parse>
auto load_feedback_content(KioskContext& ctx, const char* name, const char* file, Parse parse)
    -> decltype(parse(std::string(), nullptr)) {
    std::string why;
    if (ctx.store) {
        if (auto cached = ctx.store->content().get(name)) {
            if (auto parsed = parse(cached->body, &why)) return parsed;
            log_warn("content %s from the CRM: %s; using the shipped default", name, why.c_str());
        }
    }
    std::string assets = ctx.config.assets_dir.empty() ? std::string(KIOSK_ASSETS_DIR) : ctx.config.assets_dir;
    auto shipped = parse(load_text_file(assets + "/content/" + file), &why);
    if (!shipped) log_error("content %s: the shipped default %s: %s", name, file, why.c_str());
    return shipped;
}

inline float draw_notice(KioskContext& ctx, const std::string& text, ImVec2 pos, float width, bool warning) {
    if (text.empty()) return 0;
    const Palette& p = palette(ctx.session.high_contrast);
    ImFont* font = ctx.fonts.body(ctx.session.large_text);
    ctx.widgets.record("notice", text, pos, ImVec2(pos.x + width, pos.y + font->FontSize));
    return draw_text_wrapped(font, text, pos, warning ? p.vip : p.text_muted, width);
}

inline std::string local_day(const KioskContext& ctx, int64_t wall_ms) {
    return written_day(ctx.session.lang, ctx.calendar().day(wall_ms));
}

inline const char* save_failure_key(const offline_cache::SaveResult& result) {
    switch (result.error) {
        case offline_cache::SaveError::queue_full: return "feedback.save_failed.full";
        case offline_cache::SaveError::invalid: return "feedback.text_invalid";
        default: return "feedback.save_failed";
    }
}

inline void drop_keyboard_from(KioskContext& ctx, const TextField& field) {
    if (ctx.keyboard.focused() == &field) ctx.keyboard.focus(nullptr, KeyboardKind::text, 0);
}

}  // namespace kiosk
