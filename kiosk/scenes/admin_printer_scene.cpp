// Staff: the receipt printer. After installing a kiosk, changing a roll, or
// when a guest says "nothing came out", staff see what the printer reports,
// ask it again, and print a test slip — the same path a booking slip takes
// (PrintQueue → ReceiptPrinter), never on the UI thread. The slip is also
// drawn on screen, so it can be checked where there is no printer at all.
#include <ctime>

#include "app/kiosk_context.h"
#include "scenes/scenes.h"
#include "ui/chrome.h"
#include "ui/slip_view.h"

namespace kiosk {

namespace {

const char* state_key(platform::PrinterState state) {
    switch (state) {
        case platform::PrinterState::ok: return "printer.state.ok";
        case platform::PrinterState::paper_low: return "printer.state.paper_low";
        case platform::PrinterState::paper_out: return "printer.state.paper_out";
        case platform::PrinterState::offline: return "printer.state.offline";
        case platform::PrinterState::not_configured: return "printer.state.not_configured";
    }
    return "printer.state.offline";
}

class AdminPrinterScene final : public Scene {
public:
    explicit AdminPrinterScene(KioskContext& ctx) : ctx_(ctx) {}

    void on_enter() override {
        result_key_.clear();
        if (ctx_.printer) ctx_.printer->refresh_status();
    }
    void on_leave() override { result_key_.clear(); }

    void on_frame() override {
        ScreenArea area = begin_screen(ctx_, Bars::top_and_bottom);
        const Palette& p = palette(ctx_.session.high_contrast);
        bool large = ctx_.session.large_text;
        float s = ui_scale();
        float x = area.min.x + 60 * s, y = area.min.y + 24 * s;
        float column = area.width() * 0.5f;
        ImFont* body = ctx_.fonts.body(large);
        y += draw_text_wrapped(ctx_.fonts.title(large), ctx_.tr("admin.printer"), ImVec2(x, y), p.text, column) + 24 * s;

        platform::PrinterStatus status = ctx_.printer ? ctx_.printer->state() : platform::PrinterStatus{};
        const std::string device = ctx_.config.printer_path.empty() ? "—" : ctx_.config.printer_path;
        const std::pair<const char*, std::string> rows[] = {
            {"printer.device", device},
            {"printer.state", ctx_.tr(state_key(status.state))},
            {"printer.detail", status.detail.empty() ? "—" : status.detail},
        };
        float label_w = 260 * s;
        for (auto& [key, value] : rows) {
            draw_text_wrapped(body, ctx_.tr(key), ImVec2(x, y), p.text_muted, label_w);
            float h = draw_text_wrapped(body, value, ImVec2(x + label_w, y), p.text, column - label_w);
            ctx_.widgets.record(key, value, ImVec2(x + label_w, y), ImVec2(x + column, y + h));
            y += std::max(body->FontSize, h) + 16 * s;
        }

        y += 20 * s;
        ImVec2 button(column * 0.46f, 110 * s);
        bool configured = ctx_.printer && ctx_.printer->configured();
        bool printing = ctx_.printer && ctx_.printer->busy();
        if (configured && touch_button(ctx_.widgets, "printer.test_print",
                                       ctx_.tr(printing ? "printer.printing" : "printer.test_print"), ImVec2(x, y),
                                       button, ButtonStyle::primary, ctx_.fonts.title(false), ctx_.session.high_contrast) &&
            !printing) {
            result_key_.clear();
            ctx_.printer->print(test_slip(), lang_code(ctx_.session.lang), [this](const platform::PrintOutcome& outcome) {
                result_key_ = outcome.printed ? "printer.printed" : state_key(outcome.status.state);
            });
        }
        if (configured && touch_button(ctx_.widgets, "printer.check", ctx_.tr("printer.check"),
                                       ImVec2(x + button.x + 30 * s, y), button, ButtonStyle::secondary,
                                       ctx_.fonts.title(false), ctx_.session.high_contrast))
            ctx_.printer->refresh_status();
        if (!configured)
            draw_text_wrapped(body, ctx_.tr("printer.how_to_configure"), ImVec2(x, y), p.text_muted, column);
        y += button.y + 24 * s;
        if (!result_key_.empty()) {
            float h = draw_text_wrapped(ctx_.fonts.heading(large), ctx_.tr(result_key_), ImVec2(x, y), p.text, column);
            ctx_.widgets.record("printing.result", ctx_.tr(result_key_), ImVec2(x, y), ImVec2(x + column, y + h));
        }

        // The slip as the paper will show it: 80 mm paper, about 560 px at 1080p.
        float slip_w = std::min(560 * s, area.max.x - (x + column) - 80 * s);
        draw_slip(ctx_, test_slip(), ImVec2(area.max.x - slip_w - 80 * s, area.min.y + 30 * s), slip_w);
        end_screen(ctx_, Bars::top_and_bottom);
    }

private:
    platform::Slip test_slip() const {
        // The hospital's wall clock, as on every slip.
        HospitalCalendar calendar = ctx_.calendar();
        std::string when = calendar.day(ctx_.clock.wall_ms()) + " " + calendar.time(ctx_.clock.wall_ms());
        platform::Slip slip;
        slip.title(ctx_.tr("app.hospital_name"))
            .text(ctx_.tr("printer.test_heading"))
            .rule()
            .key_value(ctx_.tr("admin.kiosk_id"), ctx_.config.kiosk_id)
            .key_value(ctx_.tr("printer.printed_at"), when)
            .rule()
            .text(ctx_.tr("printer.test_body"))
            .qr_code("kiosk:" + ctx_.config.kiosk_id)
            .feed_and_cut();
        return slip;
    }

    KioskContext& ctx_;
    std::string result_key_;  // what the last test print came to
};

}  // namespace

std::unique_ptr<Scene> make_admin_printer_scene(KioskContext& ctx) { return std::make_unique<AdminPrinterScene>(ctx); }

}  // namespace kiosk
