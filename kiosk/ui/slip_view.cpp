#include "ui/slip_view.h"

#include <optional>

#include "app/kiosk_context.h"
#include "touch/qr_code.h"
#include "ui/touch_keyboard.h"
#include "ui/widgets.h"

namespace kiosk {

namespace {

// One pass that either measures or draws, so the two can never disagree.
float lay_out(KioskContext& ctx, const platform::Slip& slip, ImVec2 top_left, float width, bool draw) {
    const float s = ui_scale();
    const float margin = 28 * s;
    const float inner = width - 2 * margin;
    const ImU32 ink = IM_COL32(20, 20, 20, 255), paper = IM_COL32(255, 255, 252, 255);
    ImDrawList* list = ImGui::GetWindowDrawList();
    ImFont* body = ctx.fonts.body(false);
    ImFont* title = ctx.fonts.title(false);
    float height = 0;
    if (draw) {
        float total = lay_out(ctx, slip, top_left, width, false);
        list->AddRectFilled(ImVec2(top_left.x + 6 * s, top_left.y + 6 * s),
                            ImVec2(top_left.x + width + 6 * s, top_left.y + total + 6 * s), IM_COL32(0, 0, 0, 40));
        list->AddRectFilled(top_left, ImVec2(top_left.x + width, top_left.y + total), paper);
    }
    float y = top_left.y + margin;
    for (const platform::SlipBlock& block : slip.blocks) {
        switch (block.kind) {
            case platform::SlipBlock::Kind::title:
                if (draw) draw_text_centered(title, block.text, ImVec2(top_left.x + width / 2, y + title->FontSize / 2), ink, inner);
                y += wrapped_height(title, block.text, inner) + 12 * s;
                break;
            case platform::SlipBlock::Kind::text:
                y += (draw ? draw_text_wrapped(body, block.text, ImVec2(top_left.x + margin, y), ink, inner)
                           : wrapped_height(body, block.text, inner)) + 8 * s;
                break;
            case platform::SlipBlock::Kind::key_value: {
                float key_w = inner * 0.36f;
                float h1 = draw ? draw_text_wrapped(body, block.text, ImVec2(top_left.x + margin, y), ink, key_w)
                                : wrapped_height(body, block.text, key_w);
                float h2 = draw ? draw_text_wrapped(body, block.value, ImVec2(top_left.x + margin + key_w, y), ink,
                                                    inner - key_w)
                                : wrapped_height(body, block.value, inner - key_w);
                y += std::max(h1, h2) + 8 * s;
                break;
            }
            case platform::SlipBlock::Kind::rule:
                if (draw)
                    for (float x = top_left.x + margin; x < top_left.x + width - margin; x += 18 * s)
                        list->AddLine(ImVec2(x, y + 10 * s), ImVec2(x + 9 * s, y + 10 * s), ink, 2 * s);
                y += 24 * s;
                break;
            case platform::SlipBlock::Kind::qr_code: {
                float side = std::min(inner * 0.6f, 260 * s);
                if (draw) {
                    if (std::optional<QrCode> code = encode_qr(block.text))
                        draw_qr(*code, ImVec2(top_left.x + (width - side) / 2, y), side, ink, paper);
                }
                y += side + 12 * s;
                break;
            }
            case platform::SlipBlock::Kind::feed_and_cut:
                y += 20 * s;
                if (draw)  // the torn edge, where the cutter leaves the paper
                    for (float x = top_left.x; x < top_left.x + width; x += 16 * s)
                        list->AddTriangleFilled(ImVec2(x, y), ImVec2(x + 8 * s, y - 8 * s), ImVec2(x + 16 * s, y),
                                                IM_COL32(0, 0, 0, 30));
                break;
        }
    }
    height = y - top_left.y + margin;
    return height;
}

}  // namespace

float slip_height(KioskContext& ctx, const platform::Slip& slip, float width) {
    return lay_out(ctx, slip, ImVec2(0, 0), width, false);
}

float draw_slip(KioskContext& ctx, const platform::Slip& slip, ImVec2 top_left, float width) {
    return lay_out(ctx, slip, top_left, width, true);
}

}  // namespace kiosk
