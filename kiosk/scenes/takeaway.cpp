#include "scenes/takeaway.h"

#include "app/kiosk_context.h"
#include "ui/chrome.h"
#include "ui/touch_keyboard.h"
#include "ui/widgets.h"

namespace kiosk {

void Takeaway::issue(KioskContext& ctx, platform::Slip slip, std::string qr_text) {
    reset();
    slip_ = std::move(slip);
    qr_text_ = std::move(qr_text);
    qr_ = encode_qr(qr_text_);
    if (ctx.printer && ctx.printer->configured()) print(ctx);
}

void Takeaway::reset() {
    ++issued_;  // an answer for the record before is no longer this screen's
    slip_ = {};
    qr_text_.clear();
    qr_.reset();
    state_ = State::none;
    failure_key_.clear();
}

void Takeaway::print(KioskContext& ctx) {
    state_ = State::printing;
    ctx.printer->print(slip_, lang_code(ctx.session.lang), [this, issued = issued_](const platform::PrintOutcome& outcome) {
        if (issued != issued_) return;
        if (outcome.printed) {
            state_ = State::printed;
            return;
        }
        state_ = State::failed;
        failure_key_ = outcome.status.state == platform::PrinterState::paper_out ? "paper.why.paper_out"
                                                                                   : "paper.why.offline";
    });
}

void Takeaway::draw_qr(KioskContext& ctx, const char* id, ImVec2 pos, float side) const {
    if (!qr_) return;
    kiosk::draw_qr(*qr_, pos, side, IM_COL32(0, 0, 0, 255), IM_COL32(255, 255, 255, 255));
    ctx.widgets.record(id, qr_text_, pos, ImVec2(pos.x + side, pos.y + side));
}

float Takeaway::draw_printing(KioskContext& ctx, ImVec2 pos, float width) {
    if (state_ == State::none) return 0;
    const Palette& p = palette(ctx.session.high_contrast);
    bool large = ctx.session.large_text;
    float s = ui_scale();
    std::string line = state_ == State::printing ? ctx.tr("slip.printing")
                       : state_ == State::printed ? ctx.tr("paper.printed")
                                                  : ctx.strings.format(ctx.session.lang, "paper.not_printed", "why",
                                                                       ctx.tr(failure_key_));
    // A failure is the line the guest must not miss: the heading's size, with
    // Print again beside it (not under it: the screen's own buttons are below).
    bool failed = state_ == State::failed;
    float button_w = failed ? std::min(width * 0.35f, 380 * s) : 0, gap = failed ? 24 * s : 0;
    ImFont* font = failed ? ctx.fonts.heading(large) : ctx.fonts.body(large);
    float text_w = width - button_w - gap;
    float h = draw_text_wrapped(font, line, pos, p.text, text_w);
    ctx.widgets.record("takeaway.print_result", line, pos, ImVec2(pos.x + text_w, pos.y + h));
    if (failed) {
        float button_h = 90 * s;
        if (touch_button(ctx.widgets, "takeaway.reprint", ctx.tr("paper.reprint"), ImVec2(pos.x + text_w + gap, pos.y),
                         ImVec2(button_w, button_h), ButtonStyle::secondary, ctx.fonts.body(large),
                         ctx.session.high_contrast))
            print(ctx);
        h = std::max(h, button_h);
    }
    return h + 12 * s;
}

}  // namespace kiosk
