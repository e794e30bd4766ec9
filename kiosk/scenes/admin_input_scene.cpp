// Staff: touch & scanner check. After installing a kiosk, or when a guest says
// "the screen does not respond", staff try everything a guest's finger and a
// card reader do: type (pinyin, Latin, number pad), scan a card or QR code,
// drag a long list, and see a QR code drawn from what they typed.
#include "app/kiosk_context.h"
#include "domain/privacy.h"
#include "scenes/scenes.h"
#include "ui/chrome.h"
#include "ui/touch_keyboard.h"
#include "ui/touch_scroll.h"

namespace kiosk {

namespace {

class AdminInputScene final : public Scene {
public:
    explicit AdminInputScene(KioskContext& ctx) : ctx_(ctx) {}

    void on_enter() override { clear(); }
    void on_leave() override { clear(); }

    bool on_event(const SceneEvent& event) override {
        if (event.kind != SceneEvent::Kind::card_scanned) return false;
        // Shown masked even to staff: a member card is a member's.
        last_scan_ = mask_card(event.text) + "  (" + std::to_string(event.text.size()) + ")";
        return true;
    }

    void on_frame() override {
        ScreenArea area = begin_screen(ctx_, Bars::top_and_bottom);
        const Palette& p = palette(ctx_.session.high_contrast);
        bool large = ctx_.session.large_text;
        float s = ui_scale();
        float x = area.min.x + 60 * s, y = area.min.y + 24 * s;
        float column = area.width() * 0.48f;
        y += draw_text_wrapped(ctx_.fonts.title(large), ctx_.tr("admin.input_check"), ImVec2(x, y), p.text, column) + 16 * s;

        text_field_widget(ctx_, "check.text", ctx_.tr("input.text_label"), text_, ImVec2(x, y), column,
                          KeyboardKind::text);
        y += 170 * s;
        text_field_widget(ctx_, "check.pin", ctx_.tr("input.pin_label"), pin_, ImVec2(x, y), column * 0.5f,
                          KeyboardKind::number_pad);
        y += 170 * s;
        draw_text_wrapped(ctx_.fonts.body(large), ctx_.tr("input.last_scan"), ImVec2(x, y), p.text_muted, column);
        const std::string& scan_line = last_scan_.empty() ? ctx_.tr("input.no_scan") : last_scan_;
        float scan_h = draw_text_wrapped(ctx_.fonts.heading(large), scan_line, ImVec2(x, y + 44 * s), p.text, column);
        ctx_.widgets.record("check.last_scan", scan_line, ImVec2(x, y + 44 * s), ImVec2(x + column, y + 44 * s + scan_h));

        // Right: the QR code of the typed text, and a long list to drag.
        float rx = area.min.x + area.width() * 0.56f;
        float qr_side = 300 * s;
        std::string qr_text = text_.text().empty() ? "https://kiosk.example/lobby-1" : text_.text();
        if (qr_text != qr_text_) {
            qr_text_ = qr_text;
            qr_ = encode_qr(qr_text_);
        }
        if (qr_) draw_qr(*qr_, ImVec2(rx, area.min.y + 30 * s), qr_side, IM_COL32(0, 0, 0, 255),
                         IM_COL32(255, 255, 255, 255));
        ctx_.widgets.record("check.qr", ctx_.tr("input.qr"), ImVec2(rx, area.min.y + 30 * s),
                            ImVec2(rx + qr_side, area.min.y + 30 * s + qr_side));
        draw_text_wrapped(ctx_.fonts.body(false), ctx_.tr("input.qr"), ImVec2(rx + qr_side + 24 * s, area.min.y + 40 * s),
                          p.text_muted, area.max.x - rx - qr_side - 60 * s);

        float list_top = area.min.y + 30 * s + qr_side + 30 * s;
        draw_text_wrapped(ctx_.fonts.body(false), ctx_.tr("input.scroll_hint"), ImVec2(rx, list_top), p.text_muted,
                          area.max.x - rx - 60 * s);
        list_top += 50 * s;
        ImGui::SetCursorScreenPos(ImVec2(rx, list_top));
        ImVec2 list_size(area.max.x - rx - 60 * s, std::max(120 * s, area.max.y - list_top - 20 * s));
        ImGui::BeginChild("##drag-list", list_size, true, ImGuiWindowFlags_NoBackground);
        touch_scroll_region(ctx_.scroll, "check.list");
        for (int i = 1; i <= 40; ++i) {
            std::string id = "check.row." + std::to_string(i);
            ImVec2 pos = ImGui::GetCursorScreenPos();
            if (touch_button(ctx_.widgets, id.c_str(), ctx_.format_seconds("input.row", i), pos,
                             ImVec2(list_size.x - 40 * s, 80 * s),
                             i == tapped_row_ ? ButtonStyle::selected : ButtonStyle::secondary, ctx_.fonts.body(large),
                             ctx_.session.high_contrast))
                tapped_row_ = i;
            ImGui::SetCursorScreenPos(ImVec2(pos.x, pos.y + 92 * s));
        }
        ImGui::Dummy(ImVec2(1, 1));
        ImGui::EndChild();
        // For scripts and staff alike: which row the last real tap chose (a drag chooses none).
        ctx_.widgets.record("check.selected_row", "selected row " + std::to_string(tapped_row_), ImVec2(rx, list_top),
                            ImVec2(rx + 1, list_top + 1));
        end_screen(ctx_, Bars::top_and_bottom);
    }

private:
    void clear() {
        text_.clear();
        pin_.clear();
        last_scan_.clear();
        tapped_row_ = 0;
    }

    KioskContext& ctx_;
    TextField text_{40};
    TextField pin_{6, true};
    std::string last_scan_;
    std::string qr_text_;
    std::optional<QrCode> qr_;
    int tapped_row_ = 0;
};

}  // namespace

std::unique_ptr<Scene> make_admin_input_scene(KioskContext& ctx) { return std::make_unique<AdminInputScene>(ctx); }

}  // namespace kiosk
